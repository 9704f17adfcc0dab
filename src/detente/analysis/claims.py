"""Numeric claims in the stored sentences and the disagreements between sources: numbers and
dates that documents report differently for the same subject.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Any

import pandas as pd

from detente.analysis.quantities import ClaimRules, Quantity, Topic, find_quantities, load_claim_rules
from detente.analysis.stored import views_fresh
from detente.link import EventMention, build_canonical, load_mentions, load_plover_table
from detente.model import DateValue
from detente.store import Store, frame_rows, records, reports
from detente.store.links import LinkStore

_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "some", "about", "around"})


def _phrase_subject(sentence: str, q: Quantity, topic: Topic) -> str | None:
    if topic.share_verbs is None:
        return None
    before = sentence[:q.start]
    verbs = list(topic.share_verbs.finditer(before))
    if not verbs or len(before) - verbs[-1].end() > 25:
        return None
    words = re.findall(r"[\w'-]+", before[:verbs[-1].start()])[-4:]
    # keep the noun phrase: from the first capitalised word of the tail, else the last two words
    for i, w in enumerate(words):
        if w[:1].isupper():
            words = words[i:]
            break
    else:
        words = words[-2:]
    words = [w for w in words if w.lower() not in _DETERMINERS]
    return " ".join(w.lower() for w in words) or None


def _canonical_label(row: dict[str, Any]) -> str:
    actors = "+".join(row["actor_codes"]) or "?"
    recips = "+".join(row["recipient_codes"]) or "?"
    return f"{row['event']} {actors}->{recips} {row['date'] or 'undated'} [{row['canonical_id']}]"


def extract_claims(store: Store, *, save: bool = False,
                   rules: ClaimRules | None = None) -> pd.DataFrame:
    """Numeric claims in the stored sentences, keyed by topic and subject.

    ``save`` also writes them to the store's ``claims`` table.
    """
    rules = rules or load_claim_rules()
    table = load_plover_table()
    ls = LinkStore(store)
    sentences = ls.sentences()
    sent_codes = {(r.doc_id, int(r.sentence_index)): list(r.codes)
                  for r in frame_rows(ls.sentence_codes())}
    doc_codes: dict[str, list[str]] = defaultdict(list)
    for r in frame_rows(ls.document_codes()):
        doc_codes[r.doc_id].append(r.code)
    mentions = load_mentions(store, table)
    rows_c, links = build_canonical(mentions, table)
    label = {r["canonical_id"]: _canonical_label(r) for r in rows_c}
    conflict_in: dict[tuple[str, int], list[str]] = defaultdict(list)
    for m in mentions:
        if not m.flagged and m.quad in (3, 4):
            conflict_in[(m.doc_id, m.sentence_index)].append(label[links[m.event_id]])
    rows: list[dict[str, Any]] = []
    for s in frame_rows(sentences):
        text, key = str(s.text), (s.doc_id, int(s.sentence_index))
        topics = [t for t in rules.topics if t.keywords.search(text)]
        if not topics:
            continue
        quantities = find_quantities(text, rules)
        for topic in topics:
            for q, subject in _topic_claims(text, quantities, topic, rules, key, sent_codes,
                                            doc_codes, conflict_in):
                cid = hashlib.sha256(f"{s.doc_id}:{s.sentence_index}:{topic.name}:{q.start}".encode()
                                     ).hexdigest()[:16]
                rows.append({"claim_id": cid, "doc_id": s.doc_id,
                             "sentence_index": int(s.sentence_index), "topic": topic.name,
                             "subject": subject, "value_text": q.text, "value": q.value,
                             "value_low": q.low, "value_high": q.high, "unit": q.unit,
                             "approx": q.approx, "sentence": text})
    if save:
        ls.replace_claims(rows)
    return pd.DataFrame(rows, columns=["claim_id", "doc_id", "sentence_index", "topic", "subject",
                                       "value_text", "value", "value_low", "value_high", "unit",
                                       "approx", "sentence"])


def _topic_claims(text: str, quantities: list[Quantity], topic: Topic, rules: ClaimRules,
                  key: tuple[str, int], sent_codes: dict[tuple[str, int], list[str]],
                  doc_codes: dict[str, list[str]],
                  conflict_in: dict[tuple[str, int], list[str]]) -> list[tuple[Quantity, str]]:
    out: list[tuple[Quantity, str]] = []
    if topic.kind == "length":
        codes = list(sent_codes.get(key, []))
        for code in doc_codes.get(key[0], []):
            if len(codes) >= 2:
                break
            if code not in codes:
                codes.append(code)
        subject = "-".join(sorted(codes)) if codes else "unspecified"
        distance = rules.distance_re
        out += [(q, subject) for q in quantities if q.unit == "km"
                and not (distance and distance.match(text, q.end))]
    elif topic.kind == "percent":
        for q in quantities:
            if q.unit == "%":
                phrase = _phrase_subject(text, q, topic)
                if phrase:
                    out.append((q, phrase))
    else:
        events = conflict_in.get(key, [])
        if not events:
            return out
        counts = []
        for q in quantities:
            prev = re.findall(r"[\w]+", text[:q.start])[-1:]
            if q.unit is not None or (prev and prev[0].lower() in rules.not_counts):
                continue
            if q.low == q.high and q.low.is_integer() and 1800 <= q.low <= 2100 and q.text.isdigit():
                continue  # a year
            counts.append(q)
        for kw in topic.keywords.finditer(text):
            near = [(max(q.start - kw.end(), kw.start() - q.end, 0), q) for q in counts]
            near = [(d, q) for d, q in near if d <= 40]
            if near:
                q = min(near, key=lambda dq: dq[0])[1]
                if all(q is not seen for seen, _ in out):
                    out.append((q, events[0]))
    return out


def _interval(row: dict[str, Any], rules: ClaimRules) -> tuple[float, float]:
    tol = rules.tolerance_approx if row["approx"] else rules.tolerance_exact
    return row["value_low"] * (1 - tol), row["value_high"] * (1 + tol)


def _agree(x: dict[str, Any], y: dict[str, Any], rules: ClaimRules) -> bool:
    lo1, hi1 = _interval(x, rules)
    lo2, hi2 = _interval(y, rules)
    return lo1 <= hi2 and lo2 <= hi1


DISAGREEMENT_COLUMNS = ["topic", "subject", "value_a", "doc_a", "sentence_a", "value_b", "doc_b",
                        "sentence_b", "kind", "number_a", "number_b", "unit"]


def _doc_order(store: Store) -> dict[str, tuple[str, str]]:
    docs = LinkStore(store).documents()
    return {r.doc_id: (str(r.published) if r.published is not None and r.published == r.published
                       else "\uffff", r.doc_id) for r in frame_rows(docs)}


def disagreements(store: Store, *, rules: ClaimRules | None = None) -> pd.DataFrame:
    """Claims about the same thing that differ between documents.

    ``kind`` ``number``: the same topic and subject (a border's length, the dead of one canonical
    event, a group's share of a population) with values that do not overlap even allowing for
    rounding (and for "around"). ``kind`` ``date``: one canonical event dated to different days
    by two documents. One row per pair of differing claims (see :func:`disagreement_pairs` for
    one row per pair of documents).
    """
    rows = _disagreements(store, rules)
    return pd.DataFrame([{k: r[k] for k in DISAGREEMENT_COLUMNS} for r in rows],
                        columns=DISAGREEMENT_COLUMNS)


def _disagreements(store: Store, rules: ClaimRules | None) -> list[dict[str, Any]]:
    """The rows linking precomputed when they are fresh (and the rules are the default ones),
    else computed now."""
    if rules is None and views_fresh(store):
        rows = reports.disagreement_view_rows(store)
        for r in rows:
            for key in ("number_a", "number_b", "unit"):
                if isinstance(r[key], float) and r[key] != r[key]:
                    r[key] = None
            for key in ("index_a", "index_b"):
                r[key] = int(r[key])
        return rows
    return disagreement_rows(store, rules or load_claim_rules())


_EVENT_SUBJECT = re.compile(r"^(?P<event>\S+) (?P<actors>\S+)->(?P<recipients>\S+) "
                            r"(?P<date>\S+) \[(?P<id>[^\]]+)\]$")


def describe_subject(subject: str, topic: str) -> str:
    """What a disagreement is about, for a reader: ``"ASSAULT IRN → PAK, 2024-01-16"`` for a
    canonical event (the subject :func:`disagreements` gives it), ``"border length: IRN-PAK"``
    for a topic's subject."""
    m = _EVENT_SUBJECT.match(subject or "")
    if m:
        return (f"{m['event']} {m['actors'].replace('+', ', ')} → "
                f"{m['recipients'].replace('+', ', ')}, {m['date']}")
    return f"{topic_label(topic)}: {subject}"


def topic_label(topic: str) -> str:
    """A claim topic as words (``border_length`` -> ``border length``)."""
    return topic.replace("_", " ")


def disagreement_pairs(store: Store, *, rules: ClaimRules | None = None) -> list[dict[str, Any]]:
    """:func:`disagreements` with one item per subject and pair of documents.

    Each item: ``about`` (:func:`describe_subject`), ``subject``, ``kinds`` (``number``,
    ``date``), and ``a``/``b``: the two documents (``doc_id``, ``title``, ``published``,
    ``path``), each with the ``claims`` it makes (``topic``, ``value``, ``sentence``,
    ``sentence_index``), every claim once. Documents are in publication order (a the earlier);
    items in the order :func:`disagreements` gives their first row.
    """
    rows = _disagreements(store, rules)
    if not rows:
        return []
    docs = {r.doc_id: r for r in LinkStore(store).documents().itertuples(index=False)}

    def text(value: Any) -> str | None:
        return value if isinstance(value, str) else None

    def document(doc_id: str) -> dict[str, Any]:
        d = docs.get(doc_id)
        return {"doc_id": doc_id, "title": text(d.title) if d else None,
                "published": text(d.published) if d else None, "path": text(d.path) if d else None,
                "claims": []}

    items: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["subject"], r["doc_a"], r["doc_b"])
        item = items.get(key)
        if item is None:
            item = items[key] = {"about": describe_subject(r["subject"], r["topic"]),
                                 "subject": r["subject"], "kinds": [],
                                 "a": document(r["doc_a"]), "b": document(r["doc_b"])}
        if r["kind"] not in item["kinds"]:
            item["kinds"].append(r["kind"])
        topic = "date" if r["kind"] == "date" else topic_label(r["topic"])
        for side in ("a", "b"):
            claim = {"topic": topic, "value": r[f"value_{side}"], "sentence": r[f"sentence_{side}"],
                     "sentence_index": r[f"index_{side}"]}
            if claim not in item[side]["claims"]:
                item[side]["claims"].append(claim)
    return list(items.values())


def disagreement_rows(store: Store, rules: ClaimRules, *,
                       claims: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    order = _doc_order(store)
    out: list[dict[str, Any]] = []
    if claims is None:
        claims = extract_claims(store, rules=rules)
    groups: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list))
    for row in records(claims):
        per_doc = groups[(row["topic"], row["subject"])][row["doc_id"]]
        if not any(_agree(row, seen, rules) for seen in per_doc):
            per_doc.append(row)
    for (topic, subject), by_doc in sorted(groups.items()):
        docs = sorted(by_doc, key=lambda d: order.get(d, ("\uffff", d)))
        for i, da in enumerate(docs):
            for db in docs[i + 1:]:
                for x in by_doc[da]:
                    for y in by_doc[db]:
                        if not _agree(x, y, rules):
                            out.append({"topic": topic, "subject": subject, "value_a": x["value_text"],
                                        "doc_a": da, "sentence_a": x["sentence"],
                                        "value_b": y["value_text"], "doc_b": db,
                                        "sentence_b": y["sentence"], "kind": "number",
                                        "number_a": round(x["value"], 3),
                                        "number_b": round(y["value"], 3),
                                        "unit": x["unit"] if isinstance(x["unit"], str) else None,
                                        "index_a": int(x["sentence_index"]),
                                        "index_b": int(y["sentence_index"])})
    out += _date_disagreements(store, order)
    return out


def _date_disagreements(store: Store, order: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    table = load_plover_table()
    mentions = [m for m in load_mentions(store, table) if not m.flagged]
    rows_c, links = build_canonical(mentions, table)
    label = {r["canonical_id"]: _canonical_label(r) for r in rows_c}
    members: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        members[links[m.event_id]].append(m)
    out = []
    for cid, ms in members.items():
        by_doc: dict[str, dict[str, EventMention]] = defaultdict(dict)
        for m in sorted(ms, key=lambda x: (x.sentence_index, x.trigger_start)):
            if m.date is not None and m.date.precision == "day":
                by_doc[m.doc_id].setdefault(_date_text(m.date), m)
        docs = sorted(by_doc, key=lambda d: order.get(d, ("\uffff", d)))
        for i, da in enumerate(docs):
            for db in docs[i + 1:]:
                for va, x in by_doc[da].items():
                    for vb, y in by_doc[db].items():
                        if va != vb:
                            out.append({"topic": x.event, "subject": label[cid], "value_a": va,
                                        "doc_a": da, "sentence_a": x.text, "value_b": vb,
                                        "doc_b": db, "sentence_b": y.text, "kind": "date",
                                        "number_a": None, "number_b": None, "unit": None,
                                        "index_a": x.sentence_index,
                                        "index_b": y.sentence_index})
    return out


def _date_text(d: DateValue) -> str:
    return f"{d.value}/{d.end}" if d.end else d.value
