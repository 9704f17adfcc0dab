"""Score a store (or a fresh ingest) against gold annotations: ``detente evaluate GOLD``.

The gold format and its matching rules are ``docs/gold-format.md`` (``detente-gold/1``); this
module implements them. In short, per document:

* documents match on the file name (``Path(documents.path).name``) and, for record files, the
  ``record_id``; gold documents absent from the store are listed and their events are misses;
  stored documents absent from the gold are not scored;
* a gold ``sentence`` is located in the article text (NFKC, curly quotes folded, whitespace
  collapsed; case-sensitive, then case-insensitive as a fallback) and an extracted event aligns
  when its sentence span overlaps that span (when the quote cannot be found, the fallback is the
  quote being a substring of the event's sentence);
* extracted events of one sentence with the same type and actor set are merged first (their
  recipients united); events aligned to an ``ignore`` sentence are dropped;
* candidates are aligned pairs whose type is the gold ``type`` or an ``alt_type``; pairs are taken
  greedily, best partial credit first (ties: gold order, then the event's position), which is
  close to the summed-credit optimum the format asks for and deterministic;
* required gold events are matched first; an extraction left over that matches or merely aligns
  with an ``optional`` gold event counts neither way (nor does the optional event);
* negated and hypothetical extractions are left out (the store's default) unless
  ``include_flagged``; negative violations (see the format) are reported and count as FPs.

Partial credit follows the format (type 1 / 0.5 for an alt type; Jaccard of code sets, the
better of straight and swapped for ``symmetric``, ``alt_recipient`` allowed; date 1 inside the
gold value or range at the same or finer precision, 0.5 compatible but coarser; place 1 on the
name, or on the country when the gold place is that country). Each component is reported both as
mean credit and as an exact accuracy: type (the primary type), actor and recipient (set
equality), date strict (full credit) and lenient (any compatibility), place (full credit).
Sectors are not scored (the format annotates them only sparsely).

Decisions where the format leaves room:

* P/R/F1 count required gold events and their matches only; matched optional events are
  reported apart (``optional_matched``) and field scores cover required pairs only.
* The confusion table pairs, after the type-matched assignment, the leftover gold events and
  extractions of the same sentence regardless of type (gold type x extracted type); what stays
  unpaired goes to the ``none`` column (misses) or row (false positives).
* Aliases: each form is located in its document's text and given the actor id of the mention
  overlapping it most (non-place mentions first); a form's id is its most frequent one.
  ``alias_recall`` is the share of forms (over all groups) mapped to their group's dominant id;
  ``groups_resolved`` the share of groups entirely on one id whose mentions code as ``code``
  (and ``sector``). A must-not-merge pair is a false merge when both forms map to one id.
* Triads come from :func:`detente.link.compute_triads` (``find_triads`` without writing) over
  the whole store and are compared, pooled over the gold documents, as (mediator, {A, B}) and as
  (mediator, {A, B}, kind).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from detente.errors import DataFileError, QueryError
from detente.model import DateValue
from detente.store import Store, records

NONE = "none"
FORMAT = "detente-gold/1"
_RANK = {"day": 0, "month": 1, "year": 2}
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


# -- normalisation -------------------------------------------------------------------------------
def normalise(text: str) -> str:
    """NFKC, curly quotes folded to straight ones, whitespace runs collapsed (case kept)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


def _normal_map(text: str) -> tuple[str, list[int]]:
    """:func:`normalise` (without the strip) with, for each output char, its index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch).translate(_QUOTES)
        for c in piece:
            if c.isspace():
                if out and out[-1] == " ":
                    continue
                c = " "
            out.append(c)
            where.append(i)
    return "".join(out), where


@dataclass
class DocText:
    """An article's text, normalised once, for locating quotes."""

    text: str

    def __post_init__(self) -> None:
        self.norm, self.where = _normal_map(self.text)
        self.lower = self.norm.casefold() if len(self.norm.casefold()) == len(self.norm) else None

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Every span of ``text`` where ``quote`` occurs (case-insensitively if not otherwise)."""
        q = normalise(quote)
        if not q:
            return []
        spans = self._find(self.norm, q)
        if not spans and self.lower is not None:
            spans = self._find(self.lower, q.casefold())
        return spans

    def _find(self, hay: str, q: str) -> list[tuple[int, int]]:
        out, pos = [], hay.find(q)
        while pos >= 0:
            out.append((self.where[pos], self.where[pos + len(q) - 1] + 1))
            pos = hay.find(q, pos + 1)
        return out


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 (0 for an empty denominator), with the counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "predicted": n_pred, "gold": n_gold}


# -- gold ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoldEvent:
    doc: str  # the document key: "file" or "file#record"
    id: str
    sentence: str
    type: str
    alt_types: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()
    alt_recipient: tuple[str, ...] | None = None
    symmetric: bool = False
    date: DateValue | None = None
    place: str | None = None
    place_country: str | None = None
    optional: bool = False
    index: int = 0

    @property
    def types(self) -> frozenset[str]:
        return frozenset((self.type, *self.alt_types))


@dataclass(frozen=True)
class Negative:
    doc: str
    sentence: str
    types: frozenset[str]
    actor: frozenset[str] | None = None


@dataclass(frozen=True)
class AliasGroup:
    doc: str
    code: str
    sector: str | None
    forms: tuple[str, ...]


@dataclass(frozen=True)
class GoldTriad:
    mediator: str
    parties: frozenset[str]
    kind: str | None = None


@dataclass
class GoldDocument:
    key: str
    published: DateValue | None = None


@dataclass
class Gold:
    """A parsed gold file."""

    path: str
    documents: list[GoldDocument] = field(default_factory=list)
    events: list[GoldEvent] = field(default_factory=list)
    negatives: list[Negative] = field(default_factory=list)
    ignore: list[tuple[str, str]] = field(default_factory=list)  # (doc, sentence)
    alias_groups: list[AliasGroup] = field(default_factory=list)
    must_not_merge: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, a, b)
    triads: list[GoldTriad] = field(default_factory=list)


def doc_key(file: str, record: str | None) -> str:
    return f"{Path(file).name}#{record}" if record else Path(file).name


def _date(value: Any, precision: Any, end: Any, where: str, path: Path) -> DateValue | None:
    if value is None:
        return None
    if precision not in _RANK:
        raise DataFileError(path, f"{where}: date_precision must be day, month or year")
    dv = DateValue(str(value), precision, str(end) if end else None, how="gold")
    try:
        _ = dv.start_date, dv.last_date
    except ValueError as exc:
        raise DataFileError(path, f"{where}: bad date {value!r}: {exc}") from None
    return dv


def _codes(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.upper(),)
    return tuple(str(v).upper() for v in value if v is not None)


def load_gold(path: Path) -> Gold:
    """Read and check a ``detente-gold/1`` file; raises DataFileError on anything malformed."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(path, f"cannot read the gold file: {exc}") from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise DataFileError(path, f"not valid YAML: {exc}", None if line is None else line + 1) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataFileError(path, f"not a gold file: the top level needs `format: {FORMAT}`")
    docs = data.get("documents")
    if not isinstance(docs, list):
        raise DataFileError(path, "`documents` must be a list")
    gold = Gold(path=str(path))
    for d in docs:
        if not isinstance(d, dict) or not d.get("file"):
            raise DataFileError(path, f"every document needs `file`: {d!r:.80}")
        key = doc_key(str(d["file"]), d.get("record"))
        gold.documents.append(GoldDocument(key, _date(d.get("published"), d.get(
            "published_precision"), None, key, path)))
        for e in d.get("events") or []:
            where = f"{key} event {e.get('id')!r}"
            if not e.get("sentence") or not e.get("type"):
                raise DataFileError(path, f"{where}: `sentence` and `type` are required")
            alt_r = e.get("alt_recipient")
            gold.events.append(GoldEvent(
                doc=key, id=str(e.get("id") or f"{key}:{len(gold.events)}"),
                sentence=str(e["sentence"]), type=str(e["type"]).upper(),
                alt_types=_codes(e.get("alt_types")), actor=_codes(e.get("actor")),
                recipient=_codes(e.get("recipient")),
                alt_recipient=_codes(alt_r) if alt_r is not None else None,
                symmetric=bool(e.get("symmetric")),
                date=_date(e.get("date"), e.get("date_precision"), e.get("date_end"), where, path),
                place=e.get("place"), place_country=e.get("place_country"),
                optional=bool(e.get("optional")) or not e.get("actor"), index=len(gold.events)))
        for n in d.get("negatives") or []:
            gold.negatives.append(Negative(key, str(n["sentence"]), frozenset(_codes(n.get("types"))),
                                           frozenset(_codes(n["actor"])) if n.get("actor") else None))
        gold.ignore += [(key, str(i["sentence"])) for i in d.get("ignore") or []]
        for g in d.get("alias_groups") or []:
            gold.alias_groups.append(AliasGroup(key, str(g.get("code", "")).upper(), g.get("sector"),
                                                tuple(str(f) for f in g.get("forms") or [])))
        for pair in d.get("must_not_merge") or []:
            if not isinstance(pair, list) or len(pair) != 2:
                raise DataFileError(path, f"{key}: a must_not_merge entry is a pair of forms")
            gold.must_not_merge.append((key, str(pair[0]), str(pair[1])))
        for t in d.get("mediation") or []:
            parties = _codes(t.get("parties"))
            if len(parties) != 2 or not t.get("mediator"):
                raise DataFileError(path, f"{key}: a triad needs a mediator and two parties")
            gold.triads.append(GoldTriad(str(t["mediator"]).upper(), frozenset(parties), t.get("kind")))
    return gold


# -- extracted events ----------------------------------------------------------------------------
@dataclass
class PredEvent:
    doc: str
    event_id: str
    sentence_index: int
    sent_start: int
    sent_end: int
    sentence: str
    type: str
    actor: tuple[str, ...]
    recipient: tuple[str, ...]
    date: DateValue | None
    place: str | None
    place_country: str | None
    flagged: bool = False
    order: int = 0


def document_keys(store: Store) -> dict[str, tuple[str, str, str | None, str | None]]:
    """doc_id -> (gold key, text, published, published_precision)."""
    frame = store.sql("SELECT doc_id, path, record_id, text, published, published_precision "
                      "FROM documents")
    out = {}
    for doc_id, path, rid, text, pub, prec in frame.itertuples(index=False):
        rid = rid if isinstance(rid, str) and rid else None
        out[doc_id] = (doc_key(str(path), rid), str(text or ""), pub if isinstance(pub, str) else None,
                       prec if isinstance(prec, str) else None)
    return out


def _s(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def predicted_events(store: Store, keys: dict[str, Any], *, include_flagged: bool = False) -> \
        list[PredEvent]:
    frame = store.sql("""
        WITH part AS (SELECT event_id, role, list(code ORDER BY position) AS codes
                      FROM participants WHERE code IS NOT NULL GROUP BY event_id, role)
        SELECT e.event_id, e.doc_id, e.sentence_index, e.sent_start, e.sent_end, e.text, e.event,
               e.date, e.date_precision, e.date_end, e.place_name, e.place_country, e.negated,
               e.hypothetical, coalesce(a.codes, []) AS actor, coalesce(r.codes, []) AS recipient
        FROM events e
        LEFT JOIN part a ON a.event_id = e.event_id AND a.role = 'actor'
        LEFT JOIN part r ON r.event_id = e.event_id AND r.role = 'recipient'
        ORDER BY e.doc_id, e.sentence_index, e.trigger_start, e.event_id""")
    out = []
    for i, row in enumerate(frame.to_dict("records")):
        flagged = bool(row["negated"]) or bool(row["hypothetical"])
        if flagged and not include_flagged:
            continue
        date = None
        if _s(row["date"]) and row["date_precision"] in _RANK:
            date = DateValue(row["date"], row["date_precision"], _s(row["date_end"]))
        out.append(PredEvent(
            doc=keys[row["doc_id"]][0] if row["doc_id"] in keys else row["doc_id"],
            event_id=row["event_id"], sentence_index=int(row["sentence_index"]),
            sent_start=int(row["sent_start"]), sent_end=int(row["sent_end"]), sentence=row["text"],
            type=str(row["event"]).upper(), actor=tuple(dict.fromkeys(row["actor"])),
            recipient=tuple(dict.fromkeys(row["recipient"])), date=date,
            place=_s(row["place_name"]), place_country=_s(row["place_country"]), flagged=flagged,
            order=i))
    return out


def merge_events(preds: Sequence[PredEvent]) -> list[PredEvent]:
    """One event per (document, sentence, type, actor set): recipients united (format rule 4)."""
    out: dict[tuple[str, int, str, frozenset[str]], PredEvent] = {}
    for p in preds:
        key = (p.doc, p.sentence_index, p.type, frozenset(p.actor))
        if key in out:
            first = out[key]
            first.recipient = tuple(dict.fromkeys([*first.recipient, *p.recipient]))
        else:
            out[key] = PredEvent(**{**p.__dict__})
    return list(out.values())


# -- partial credit ------------------------------------------------------------------------------
def jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def party_credit(g: GoldEvent, p: PredEvent) -> tuple[float | None, float]:
    """(actor credit or None when the gold names no actor, recipient credit)."""
    recips = [g.recipient] + ([g.alt_recipient] if g.alt_recipient is not None else [])
    best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
    orders = [(p.actor, p.recipient)] + ([(p.recipient, p.actor)] if g.symmetric else [])
    for pa, pr in orders:
        for gr in recips:
            a = jaccard(g.actor, pa) if g.actor else 0.0
            r = jaccard(gr, pr)
            if a + r > best[0]:
                best = (a + r, a, r)
    return (best[1] if g.actor else None), best[2]


def date_credit(gold: DateValue | None, pred: DateValue | None) -> float | None:
    """1 inside the gold value/range at the same or a finer precision; 0.5 compatible but
    coarser; 0 otherwise; None when the gold has no date."""
    if gold is None:
        return None
    if pred is None:
        return 0.0
    try:
        inside = gold.start_date <= pred.start_date and pred.last_date <= gold.last_date
        if inside and _RANK[pred.precision] <= _RANK[gold.precision]:
            return 1.0
        return 0.5 if gold.compatible(pred) else 0.0
    except ValueError:
        return 0.0


def _country_names(code: str) -> set[str]:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - a core dependency
        return set()
    c = pycountry.countries.get(alpha_3=code)
    if c is None:
        return set()
    return {normalise(getattr(c, a)).casefold() for a in ("name", "common_name", "official_name")
            if getattr(c, a, None)}


def place_credit(g: GoldEvent, p: PredEvent) -> float | None:
    if not g.place:
        return None
    if p.place and normalise(p.place).casefold() == normalise(g.place).casefold():
        return 1.0
    is_country = g.place_country and normalise(g.place).casefold() in _country_names(g.place_country)
    return 1.0 if is_country and p.place_country == g.place_country else 0.0


def credits(g: GoldEvent, p: PredEvent) -> dict[str, float | None]:
    actor, recipient = party_credit(g, p)
    return {"type": 1.0 if p.type == g.type else 0.5, "actor": actor, "recipient": recipient,
            "date": date_credit(g.date, p.date), "place": place_credit(g, p)}


def mean_credit(c: dict[str, float | None]) -> float:
    vals = [v for v in c.values() if v is not None]
    return sum(vals) / len(vals) if vals else 0.0


# -- matching ------------------------------------------------------------------------------------
@dataclass
class Pair:
    gold: GoldEvent
    pred: PredEvent
    credit: dict[str, float | None]
    score: float


class Aligner:
    """Where each gold quote lies in its document, and which extractions overlap it."""

    def __init__(self, texts: dict[str, DocText]) -> None:
        self.texts = texts
        self.cache: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self.unlocated: set[tuple[str, str]] = set()

    def spans(self, doc: str, quote: str) -> list[tuple[int, int]]:
        key = (doc, quote)
        if key not in self.cache:
            text = self.texts.get(doc)
            self.cache[key] = text.find_all(quote) if text is not None else []
            if not self.cache[key]:
                self.unlocated.add(key)
        return self.cache[key]

    def aligned(self, doc: str, quote: str, p: PredEvent) -> bool:
        if p.doc != doc:
            return False
        spans = self.spans(doc, quote)
        if spans:
            return any(s < p.sent_end and p.sent_start < e for s, e in spans)
        return normalise(quote).casefold() in normalise(p.sentence).casefold()


def greedy_match(golds: Sequence[GoldEvent], preds: Sequence[PredEvent], aligner: Aligner, *,
                 same_type: bool = True) -> tuple[list[Pair], list[GoldEvent], list[PredEvent]]:
    """One-to-one pairs of aligned gold and extracted events, best partial credit first.

    With ``same_type`` the extracted type must be the gold type or an alt type. Returns
    (pairs in gold order, unmatched gold, unmatched extractions).
    """
    cands: list[tuple[float, int, int, int, Pair]] = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if same_type and p.type not in g.types:
                continue
            if not aligner.aligned(g.doc, g.sentence, p):
                continue
            c = credits(g, p)
            score = mean_credit(c)
            cands.append((-score, gi, p.order, pi, Pair(g, p, c, score)))
    cands.sort(key=lambda c: c[:4])
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[Pair] = []
    for _, gi, _, pi, pair in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append(pair)
    pairs.sort(key=lambda pr: pr.gold.index)
    return (pairs, [g for i, g in enumerate(golds) if i not in used_g],
            [p for i, p in enumerate(preds) if i not in used_p])


def _gold_row(g: GoldEvent) -> dict[str, Any]:
    return {"doc": g.doc, "id": g.id, "type": g.type, "alt_types": list(g.alt_types),
            "actor": list(g.actor), "recipient": list(g.recipient),
            "date": g.date.value if g.date else None, "place": g.place, "sentence": g.sentence}


def _pred_row(p: PredEvent) -> dict[str, Any]:
    return {"doc": p.doc, "event_id": p.event_id, "type": p.type, "actor": list(p.actor),
            "recipient": list(p.recipient), "date": p.date.value if p.date else None,
            "place": p.place, "sentence": normalise(p.sentence)}


FIELDS = ("type", "actor", "recipient", "date_strict", "date_lenient", "place")


def score_events(gold: Gold, preds: Sequence[PredEvent], aligner: Aligner) -> dict[str, Any]:
    """Match per document; P/R/F1, field scores, confusion, misses, FPs, negative violations."""
    preds = [p for p in merge_events(preds)
             if not any(aligner.aligned(d, s, p) for d, s in gold.ignore if d == p.doc)]
    by_doc_g: dict[str, list[GoldEvent]] = defaultdict(list)
    by_doc_p: dict[str, list[PredEvent]] = defaultdict(list)
    for g in gold.events:
        by_doc_g[g.doc].append(g)
    for p in preds:
        by_doc_p[p.doc].append(p)
    pairs: list[Pair] = []
    misses: list[GoldEvent] = []
    fps: list[PredEvent] = []
    optional_hits = 0
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in sorted(set(by_doc_g) | set(by_doc_p)):
        required = [g for g in by_doc_g[doc] if not g.optional]
        optional = [g for g in by_doc_g[doc] if g.optional]
        got, lost_g, lost_p = greedy_match(required, by_doc_p[doc], aligner)
        opt, _, lost_p = greedy_match(optional, lost_p, aligner)
        optional_hits += len(opt)
        lost_p = [p for p in lost_p if not any(aligner.aligned(doc, g.sentence, p) for g in optional)]
        pairs += got
        misses += lost_g
        fps += lost_p
        for pr in got:
            confusion[pr.gold.type][pr.pred.type] += 1
        mixed, left_g, left_p = greedy_match(lost_g, lost_p, aligner, same_type=False)
        for pr in mixed:
            confusion[pr.gold.type][pr.pred.type] += 1
        for g in left_g:
            confusion[g.type][NONE] += 1
        for p in left_p:
            confusion[NONE][p.type] += 1
    violations = [p for p in fps if not p.flagged and any(
        n.doc == p.doc and p.type in n.types and aligner.aligned(n.doc, n.sentence, p)
        and (n.actor is None or n.actor & set(p.actor)) for n in gold.negatives)]
    exact: dict[str, Callable[[Pair], bool | None]] = {"type": lambda pr: pr.pred.type == pr.gold.type,
             "actor": lambda pr: None if pr.credit["actor"] is None else pr.credit["actor"] == 1.0,
             "recipient": lambda pr: pr.credit["recipient"] == 1.0,
             "date_strict": lambda pr: None if pr.credit["date"] is None else pr.credit["date"] == 1.0,
             "date_lenient": lambda pr: None if pr.credit["date"] is None else pr.credit["date"] > 0,
             "place": lambda pr: None if pr.credit["place"] is None else pr.credit["place"] == 1.0}
    fields: dict[str, dict[str, float]] = {}
    for name, test in exact.items():
        judged = [v for v in (test(pr) for pr in pairs) if v is not None]
        comp = name.split("_")[0]
        cred = [pr.credit[comp] for pr in pairs if pr.credit[comp] is not None]
        fields[name] = {"correct": sum(1 for v in judged if v), "judged": len(judged),
                        "accuracy": sum(1 for v in judged if v) / len(judged) if judged else 0.0,
                        "credit": sum(cred) / len(cred) if cred else 0.0}  # type: ignore[arg-type]
    n_gold = sum(1 for g in gold.events if not g.optional)
    by_type: dict[str, dict[str, float]] = {}
    for t in sorted({g.type for g in gold.events if not g.optional} | {p.type for p in preds}):
        ng = sum(1 for g in gold.events if g.type == t and not g.optional)
        npred = sum(1 for pr in pairs if pr.pred.type == t) + sum(1 for p in fps if p.type == t)
        found = sum(1 for pr in pairs if pr.gold.type == t)
        right = sum(1 for pr in pairs if pr.pred.type == t)
        prec, rec = (right / npred if npred else 0.0), (found / ng if ng else 0.0)
        by_type[t] = {"precision": prec, "recall": rec,
                      "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
                      "gold": ng, "predicted": npred}
    return {
        "events": prf(len(pairs), len(pairs) + len(fps), n_gold), "fields": fields,
        "by_type": by_type, "optional_matched": optional_hits,
        "confusion": {g: dict(sorted(c.items())) for g, c in sorted(confusion.items())},
        "misses": [_gold_row(g) for g in sorted(misses, key=lambda g: g.index)],
        "false_positives": [_pred_row(p) for p in sorted(fps, key=lambda p: (p.doc, p.order))],
        "negative_violations": [_pred_row(p) for p in violations],
    }


# -- actors --------------------------------------------------------------------------------------
@dataclass
class _M:
    start: int
    end: int
    actor_id: str | None
    code: str | None
    sector: str | None
    is_place: bool


def _mentions_by_doc(store: Store, keys: dict[str, Any]) -> dict[str, list[_M]]:
    frame = store.sql("SELECT doc_id, char_start, char_end, actor_id, code, sector, is_place "
                      "FROM mentions")
    out: dict[str, list[_M]] = defaultdict(list)
    for doc_id, s, e, aid, code, sector, is_place in frame.itertuples(index=False):
        if doc_id in keys:
            out[keys[doc_id][0]].append(_M(int(s), int(e), _s(aid), _s(code), _s(sector),
                                           bool(is_place)))
    return out


def form_identity(text: DocText | None, mentions: Sequence[_M], form: str) -> \
        tuple[str | None, str | None, str | None]:
    """(actor id, code, sector) a surface form resolves to in one document, or Nones.

    Where the form is used both as an actor and as a place ("Islamabad said" and "talks in
    Islamabad"), its actor readings decide: alias groups are about who acts.
    """
    if text is None:
        return None, None, None
    votes: Counter[tuple[str, str | None, str | None]] = Counter()
    place_votes: Counter[tuple[str, str | None, str | None]] = Counter()
    for s, e in text.find_all(form):
        best: tuple[tuple[bool, int], _M] | None = None
        for m in mentions:
            overlap = min(e, m.end) - max(s, m.start)
            if overlap <= 0 or m.actor_id is None:
                continue
            key = (not m.is_place, overlap)
            if best is None or key > best[0]:
                best = (key, m)
        if best is not None:
            m = best[1]
            (place_votes if m.is_place else votes)[(m.actor_id, m.code, m.sector)] += 1  # type: ignore[index]
    votes = votes or place_votes
    if not votes:
        return None, None, None
    return min(votes.items(), key=lambda kv: (-kv[1], kv[0][0]))[0]


def score_aliases(gold: Gold, texts: dict[str, DocText], mentions: dict[str, list[_M]]) -> \
        dict[str, Any]:
    groups: list[dict[str, Any]] = []
    total = mapped = resolved = 0
    for g in gold.alias_groups:
        ids = {f: form_identity(texts.get(g.doc), mentions.get(g.doc, []), f) for f in g.forms}
        tally = Counter(i[0] for i in ids.values() if i[0] is not None)
        target = min(tally.items(), key=lambda x: (-x[1], x[0]))[0] if tally else None
        hits = [f for f, i in ids.items() if target is not None and i[0] == target]
        codes = {i[1] for i in ids.values() if i[0] == target}
        sectors = {i[2] for i in ids.values() if i[0] == target}
        ok = (len(hits) == len(g.forms) and codes == {g.code}
              and (g.sector is None or sectors == {g.sector}))
        total += len(g.forms)
        mapped += len(hits)
        resolved += ok
        groups.append({"doc": g.doc, "code": g.code, "forms": list(g.forms), "actor_id": target,
                       "mapped": len(hits), "resolved": ok,
                       "missing": {f: ids[f][0] for f in g.forms if f not in hits}})
    merges = []
    for doc, a, b in gold.must_not_merge:
        ia = form_identity(texts.get(doc), mentions.get(doc, []), a)[0]
        ib = form_identity(texts.get(doc), mentions.get(doc, []), b)[0]
        if ia is not None and ia == ib:
            merges.append({"doc": doc, "a": a, "b": b, "actor_id": ia})
    n_pairs = len(gold.must_not_merge)
    return {"recall": mapped / total if total else 0.0, "forms": total, "mapped": mapped,
            "groups": len(gold.alias_groups),
            "groups_resolved": resolved / len(gold.alias_groups) if gold.alias_groups else 0.0,
            "must_not_merge": n_pairs, "false_merges": len(merges),
            "kept_apart": (n_pairs - len(merges)) / n_pairs if n_pairs else 0.0,
            "false_merge_pairs": merges, "by_group": groups}


# -- triads --------------------------------------------------------------------------------------
def score_triads(gold: Gold, store: Store) -> dict[str, Any] | None:
    """P/R/F1 of mediation triads with and without the kind; None without a triad finder."""
    try:
        from detente import link
    except ImportError:
        return None
    if getattr(link, "find_triads", None) is None:
        return None
    finder = getattr(link, "compute_triads", None)  # find_triads without writing to the store
    rows = finder(store) if finder is not None else records(link.find_triads(store))
    pred_kind = {(str(r["mediator"]), frozenset((str(r["party_a"]), str(r["party_b"]))),
                  str(r["kind"])) for r in rows}
    return triad_scores(gold.triads, pred_kind)


def triad_scores(gold: Sequence[GoldTriad], pred_kind: set[tuple[str, frozenset[str], str]]) -> \
        dict[str, Any]:
    pred_bare = {(m, p) for m, p, _ in pred_kind}
    gold_bare = {(t.mediator, t.parties) for t in gold}
    gold_kind = {(t.mediator, t.parties, t.kind or "") for t in gold}

    def show(items: set[tuple[str, frozenset[str]]]) -> list[dict[str, Any]]:
        return [{"mediator": m, "parties": sorted(p)} for m, p in sorted(items, key=lambda t: (
            t[0], sorted(t[1])))]

    return {"with_kind": prf(len(gold_kind & pred_kind), len(pred_kind), len(gold_kind)),
            "without_kind": prf(len(gold_bare & pred_bare), len(pred_bare), len(gold_bare)),
            "missed": show(gold_bare - pred_bare), "spurious": show(pred_bare - gold_bare)}


# -- the report ----------------------------------------------------------------------------------
@dataclass
class EvalReport:
    """Every figure of one evaluation; :meth:`to_dict` is the JSON of ``--format json``."""

    gold_path: str
    documents: int
    missing_documents: list[str]
    events: dict[str, float]
    fields: dict[str, dict[str, float]]
    by_type: dict[str, dict[str, float]]
    confusion: dict[str, dict[str, int]]
    misses: list[dict[str, Any]]
    false_positives: list[dict[str, Any]]
    negative_violations: list[dict[str, Any]]
    optional_matched: int
    aliases: dict[str, Any]
    triads: dict[str, Any] | None
    published: dict[str, float]
    unlocated: list[dict[str, str]]
    include_flagged: bool = False

    @property
    def date_accuracy(self) -> tuple[float, float]:
        """(strict, lenient) date accuracy over matched events with a gold date."""
        return self.fields["date_strict"]["accuracy"], self.fields["date_lenient"]["accuracy"]

    def headline(self) -> dict[str, float]:
        """The figures the regression test guards."""
        return {"event_precision": self.events["precision"], "event_recall": self.events["recall"],
                "event_f1": self.events["f1"], "alias_recall": float(self.aliases["recall"]),
                "date_strict": float(self.date_accuracy[0]),
                "triad_f1": self._triad_f1()}

    def _triad_f1(self) -> float:
        without_kind = (self.triads or {}).get("without_kind")
        return float(without_kind.get("f1", 0.0)) if isinstance(without_kind, dict) else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold_path, "documents": self.documents,
                "missing_documents": self.missing_documents, "include_flagged": self.include_flagged,
                "headline": self.headline(), "events": self.events, "fields": self.fields,
                "dates": {"strict": self.date_accuracy[0], "lenient": self.date_accuracy[1]},
                "by_type": self.by_type, "optional_matched": self.optional_matched,
                "aliases": self.aliases, "triads": self.triads, "published": self.published,
                "confusion": self.confusion, "misses": self.misses,
                "false_positives": self.false_positives,
                "negative_violations": self.negative_violations, "unlocated_quotes": self.unlocated}


def evaluate(gold_path: Path, *, store: Store | None = None, paths: Sequence[Path] = (),
             include_flagged: bool = False, pipeline: Any = None) -> EvalReport:
    """Score ``store``, or a fresh in-memory ingest of ``paths``, against the gold file.

    ``pipeline`` (a loaded :class:`~detente.pipeline.Pipeline`) avoids loading the models again
    when ``paths`` are ingested. Raises :class:`~detente.errors.DataFileError` for a bad gold
    file and :class:`~detente.errors.QueryError` when there is nothing to score.
    """
    gold = load_gold(Path(gold_path))
    if paths:
        from detente.batch import ingest

        own = Store(":memory:")
        try:
            result = ingest(list(paths), own, pipeline=pipeline)
            if result.documents == 0 and result.failures:
                raise QueryError("nothing could be ingested: " + "; ".join(
                    f.message for f in result.failures[:3]))
            return evaluate_store(gold, own, include_flagged=include_flagged)
        finally:
            own.close()
    if store is None:
        raise QueryError("evaluate needs a store or input paths to ingest")
    return evaluate_store(gold, store, include_flagged=include_flagged)


def evaluate_store(gold: Gold, store: Store, *, include_flagged: bool = False) -> EvalReport:
    """Score an open store against a parsed gold file (only the gold's documents count)."""
    wanted = {d.key for d in gold.documents}
    keys = {d: v for d, v in document_keys(store).items() if v[0] in wanted}
    texts = {v[0]: DocText(v[1]) for v in keys.values()}
    aligner = Aligner(texts)
    preds = [p for p in predicted_events(store, keys, include_flagged=include_flagged)
             if p.doc in wanted]
    scored = score_events(gold, preds, aligner)
    stored_pub = {v[0]: (v[2], v[3]) for v in keys.values()}
    judged = [d for d in gold.documents if d.published is not None and d.key in stored_pub]
    right = sum(1 for d in judged if d.published is not None
                and stored_pub[d.key] == (d.published.value, d.published.precision))
    return EvalReport(
        gold_path=gold.path, documents=len(texts), missing_documents=sorted(wanted - set(texts)),
        events=scored["events"], fields=scored["fields"], by_type=scored["by_type"],
        confusion=scored["confusion"], misses=scored["misses"],
        false_positives=scored["false_positives"],
        negative_violations=scored["negative_violations"],
        optional_matched=scored["optional_matched"],
        aliases=score_aliases(gold, texts, _mentions_by_doc(store, keys)),
        triads=score_triads(gold, store),
        published={"correct": right, "judged": len(judged),
                   "accuracy": right / len(judged) if judged else 0.0},
        unlocated=[{"doc": d, "sentence": s} for d, s in sorted(aligner.unlocated) if d in texts],
        include_flagged=include_flagged)


# -- text ----------------------------------------------------------------------------------------
def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def format_text(report: EvalReport) -> str:
    """A readable report: headline figures, field scores, actors, triads, confusion, errors."""
    ev = report.events
    out = [f"gold: {report.gold_path}   documents scored: {report.documents}"]
    if report.missing_documents:
        out.append("not in the store: " + ", ".join(report.missing_documents))
    out += ["", f"events       P {_pct(ev['precision'])}  R {_pct(ev['recall'])}  F1 {_pct(ev['f1'])}"
            f"   ({ev['tp']} matched of {ev['gold']} required gold, {ev['predicted']} extracted;"
            f" {report.optional_matched} optional matched)", "",
            "matched events          exact      mean credit"]
    labels = {"type": "type (primary)", "actor": "actor codes", "recipient": "recipient codes",
              "date_strict": "date strict", "date_lenient": "date lenient", "place": "place"}
    for name, label in labels.items():
        f = report.fields[name]
        out.append(f"  {label:<18} {_pct(f['accuracy'])} {f['correct']:>3}/{f['judged']:<3}"
                   + (f"  {f['credit']:.2f}" if name != "date_lenient" else ""))
    pub = report.published
    out.append(f"  {'article dates':<18} {_pct(pub['accuracy'])} {pub['correct']:>3}/{pub['judged']}")
    al = report.aliases
    out += ["", f"actors       alias recall {_pct(al['recall'])} ({al['mapped']}/{al['forms']} forms);"
            f" groups resolved {_pct(al['groups_resolved']).strip()} of {al['groups']};"
            f" false merges {al['false_merges']}/{al['must_not_merge']}"]
    for g in al["by_group"]:
        if not g["resolved"]:
            miss = ", ".join(f"{f!r} -> {i}" for f, i in g["missing"].items())
            out.append(f"  [{g['doc']}] {g['code']} {g['forms'][0]!r} -> {g['actor_id']}"
                       + (f"; not mapped: {miss}" if miss else "; wrong code or sector"))
    for m in al["false_merge_pairs"]:
        out.append(f"  false merge [{m['doc']}]: {m['a']!r} and {m['b']!r} are both {m['actor_id']}")
    tr = report.triads
    if tr is None:
        out += ["", "triads       (no triad finder available)"]
    else:
        wk, nk = tr["without_kind"], tr["with_kind"]
        out += ["", f"triads       P {_pct(wk['precision'])}  R {_pct(wk['recall'])}  F1 {_pct(wk['f1'])}"
                f"   with kind: P {_pct(nk['precision'])}  R {_pct(nk['recall'])}  F1 {_pct(nk['f1'])}"]
        out += [f"  missed: {t['mediator']} between {' and '.join(t['parties'])}" for t in tr["missed"]]
        out += [f"  spurious: {t['mediator']} between {' and '.join(t['parties'])}"
                for t in tr["spurious"]]
    out += ["", "by type (gold, extracted, recall, precision)"]
    out += [f"  {t:<10} {v['gold']:>3} {v['predicted']:>4}  {_pct(v['recall'])} {_pct(v['precision'])}"
            for t, v in report.by_type.items()]
    cols = [*sorted({c for row in report.confusion.values() for c in row} - {NONE}), NONE]
    rows = [*sorted(set(report.confusion) - {NONE}), *([NONE] if NONE in report.confusion else [])]
    w = max(len(c) for c in cols + rows)
    out += ["", "confusion (rows: gold type, columns: extracted type)",
            " " * (w + 1) + " ".join(f"{c[:4]:>4}" for c in cols)]
    for r in rows:
        out.append(f"{r:<{w}} " + " ".join(f"{report.confusion[r].get(c, 0) or '.':>4}" for c in cols))
    out += ["", f"misses ({len(report.misses)})"]
    out += [f"  [{m['doc']}] {m['id']} {m['type']} {'+'.join(m['actor'])} -> "
            f"{'+'.join(m['recipient'])}: {m['sentence']}" for m in report.misses]
    out += ["", f"false positives ({len(report.false_positives)})"]
    out += [f"  [{p['doc']}] {p['type']} {'+'.join(p['actor'])} -> {'+'.join(p['recipient'])}: "
            f"{p['sentence']}" for p in report.false_positives]
    if report.negative_violations:
        out += ["", f"negative violations ({len(report.negative_violations)})"]
        out += [f"  [{p['doc']}] {p['type']}: {p['sentence']}" for p in report.negative_violations]
    if report.unlocated:
        out += ["", "gold quotes not found in their article (aligned by substring instead)"]
        out += [f"  [{u['doc']}] {u['sentence']}" for u in report.unlocated]
    return "\n".join(out) + "\n"
