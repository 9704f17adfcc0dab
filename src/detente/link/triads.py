"""Mediation triads from canonical events: explicit ones (events with a mediator or naming
mediation), inferred ones (engagement, shuttle), the readings of :mod:`detente.link.mediation`,
merged into one row per triad; and the *derived* canonical events of triads no event states."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from detente.errors import QueryError
from detente.link.config import PloverTable, words_pattern
from detente.link.dedup import canonical_date
from detente.link.mediation import (
    KIND_RANK,
    DocumentContext,
    load_mediation_rules,
    read_mediation,
    strongest,
)
from detente.link.mentions import EventMention, published_day
from detente.link.spells import (
    Contact,
    Context,
    Span,
    attacks_a_side,
    contact_spells,
    near_spell,
)
from detente.model import PRECISION_RANK, DateValue
from detente.store import Store, frame_rows
from detente.store.links import LinkStore

TRIAD_KINDS = ("offer", "hosted", "brokered", "facilitated", "engagement", "shuttle")


# -- mediation triads ----------------------------------------------------------------------------
TRIAD_COLUMNS = ["triad_id", "mediator", "party_a", "party_b", "date", "date_precision", "kind",
                 "evidence", "event_ids", "date_how", "basis", "doc_ids"]


def _triad(kind: str, mediator: str, pair: tuple[str, str], date: DateValue | None,
           date_how: str | None, evidence: list[str], event_ids: list[str], *, basis: str,
           docs: Iterable[str], own: Iterable[str] = ()) -> dict[str, Any]:
    a, b = sorted(pair)
    key = f"{kind}|{mediator}|{a}|{b}|" + ",".join(sorted(event_ids)) + "|" + "|".join(evidence)
    return {"triad_id": hashlib.sha256(key.encode()).hexdigest()[:16], "mediator": mediator,
            "party_a": a, "party_b": b, "date": date.value if date else None,
            "date_precision": date.precision if date else None, "kind": kind,
            "evidence": evidence, "event_ids": event_ids, "date_how": date_how if date else None,
            "basis": basis, "_docs": sorted(set(docs)), "_own": list(own)}


def _dedupe(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _explicit_triads(mentions: Sequence[EventMention], table: PloverTable,
                     ctx: Context) -> list[dict[str, Any]]:
    offer = words_pattern(table.offer_words)
    mediation = words_pattern(table.mediation_words)
    groups: dict[tuple[str, str, tuple[str, str], str], list[EventMention]] = defaultdict(list)
    for m in mentions:
        if m.negated:
            continue
        said = f"{m.trigger} {m.text}"
        pairs: list[tuple[str, str, str]] = []  # (mediator, a, b)
        if m.mediators:
            parties = _dedupe([*m.actors, *m.recipients])
            if m.actors and m.recipients:
                raw = [(a, b) for a in m.actors for b in m.recipients]
            else:
                raw = [(a, b) for i, a in enumerate(parties) for b in parties[i + 1:]]
            pairs = [(med, a, b) for med in m.mediators for a, b in raw
                     if a != b and med not in (a, b)]
        elif m.actors and len(set(m.recipients) - set(m.actors)) >= 2 and mediation.search(said):
            recips = [r for r in m.recipients if r not in m.actors]
            pairs = [(med, a, b) for med in m.actors for i, a in enumerate(recips)
                     for b in recips[i + 1:]]
        if not pairs:
            continue
        if m.event == "AGREE" and not m.hypothetical:
            kind = "brokered"
        elif m.hypothetical or offer.search(said):
            kind = "offer"
        else:
            kind = "facilitated"
        for med, a, b in pairs:
            pair = (min(a, b), max(a, b))
            groups[(kind, med, pair, ctx.canon.get(m.event_id, m.event_id))].append(m)
    out = []
    for (kind, med, pair, _), ms in groups.items():
        ms = sorted(ms, key=lambda x: x.order_key)
        date, how = canonical_date(ms), "event"
        if date is None:
            date, how = ctx.linked_date(ms[0]), "linked"
        if date is None:
            date, how = ctx.fallback(frozenset(pair), (x.doc_id for x in ms))  # type: ignore[assignment]
        ids = _dedupe(x.event_id for x in ms)
        out.append(_triad(kind, med, pair, date, how, _dedupe(x.text for x in ms), ids,
                          basis="event", docs=(x.doc_id for x in ms), own=ids))
    return out


def _inferred_triads(mentions: Sequence[EventMention], table: PloverTable,
                     ctx: Context) -> list[dict[str, Any]]:
    live = [m for m in mentions if not m.flagged]
    # sentences where an actor puts pressure on someone: its contacts there are no engagement
    rules = load_mediation_rules()
    pressure = rules.pressure_types
    pressing = {(a, m.doc_id, m.sentence_index) for m in live if m.event in pressure
                for a in m.actors}
    # contacts[M] = M's contacts with others (M acting, or either side of a symmetric type);
    # one event M -> [A, B] gives two contacts at once, so it engages both sides by itself
    contacts: dict[str, list[Contact]] = defaultdict(list)
    for m in live:
        if m.event not in table.engagement_types:
            continue
        when = ctx.when(m)
        for med in (a for a in m.actors if (a, m.doc_id, m.sentence_index) not in pressing):
            contacts[med].extend(Contact(o, m, when) for o in m.recipients if o != med)
        if table.symmetric(m.event):
            for med in m.recipients:
                contacts[med].extend(Contact(o, m, when) for o in m.actors if o != med)
    out: list[dict[str, Any]] = []
    for pair, fights in sorted(ctx.conflicts.items(), key=lambda kv: sorted(kv[0])):
        a, b = sorted(pair)
        fights = sorted(fights, key=lambda x: x.order_key)
        for med in sorted(contacts):
            if med in pair:
                continue
            mine = [c for c in contacts[med] if c.other in pair]
            for spell in contact_spells(mine, ctx.window):
                if {c.other for c in spell} != set(pair):
                    continue
                span = Span.of(spell, ctx)
                near = [f for f in fights if near_spell(f, span, ctx)]
                if not near or attacks_a_side(med, pair, span, ctx, rules):
                    continue
                only_a = {c.mention.event_id for c in spell if c.other == a and
                          c.mention.event in table.shuttle_types and b not in c.mention.recipients
                          and b not in c.mention.actors}
                only_b = {c.mention.event_id for c in spell if c.other == b and
                          c.mention.event in table.shuttle_types and a not in c.mention.recipients
                          and a not in c.mention.actors}
                kind = "shuttle" if only_a and only_b and only_a.isdisjoint(only_b) else "engagement"
                own = [c.mention for c in spell]
                dated = [c.mention for c in spell if c.mention.date is not None]
                date, how = (canonical_date(dated), "event") if dated else (None, None)
                if date is None:
                    linked = [d for d in (ctx.linked_date(x) for x in own) if d is not None]
                    date, how = (min(linked, key=lambda d: d.start_date), "linked") if linked \
                        else ctx.fallback(pair, (x.doc_id for x in own))
                ids = _dedupe(x.event_id for x in own)
                texts = _dedupe([x.text for x in own] + [f.text for f in near])
                out.append(_triad(kind, med, (a, b), date, how, texts,
                                  ids + _dedupe(f.event_id for f in near if f.event_id not in ids),
                                  basis="event", docs=(x.doc_id for x in own), own=ids))
    return out


def _reading_triads(ls: LinkStore, mentions: Sequence[EventMention], ctx: Context
                    ) -> tuple[list[dict[str, Any]], dict[str, DocumentContext]]:
    """Triads read from the sentences' mediation wording (:mod:`detente.link.mediation`), dated by
    the events of their sentence, else by their conflict or article."""
    contexts: dict[str, DocumentContext] = {}
    conflicts: dict[str, list[frozenset[str]]] = defaultdict(list)
    for pair, fights in ctx.conflicts.items():
        for f in fights:
            conflicts[f.doc_id].append(pair)
    for doc, pairs in conflicts.items():
        contexts[doc] = DocumentContext(pairs)
    readings, contexts = read_mediation(ls.sentences(), ls.sentence_mentions(), contexts)
    in_sentence: dict[tuple[str, int], list[EventMention]] = defaultdict(list)
    for m in mentions:
        if not m.negated:
            in_sentence[(m.doc_id, m.sentence_index)].append(m)
    out = []
    for r in readings:
        own = in_sentence.get((r.doc_id, r.sentence_index), [])
        dated = [m for m in own if m.date is not None]
        date, how = (canonical_date(dated), "event") if dated else \
            ctx.fallback(frozenset(r.parties), [r.doc_id])
        ids = _dedupe(m.event_id for m in own)
        out.append(_triad(r.kind, r.mediator, r.parties, date, how, [r.text], ids,
                          basis="sentence", docs=[r.doc_id], own=ids))
        out[-1]["_explicit"] = r.explicit
    return out, contexts


def _plausible(row: dict[str, Any], contexts: dict[str, DocumentContext],
               by_id: dict[str, EventMention]) -> bool:
    """An event-based triad keeps parties and mediators apart: no party is a mediator or host
    of its document, and a third party fighting one side is no mediator between them, unless
    the sentence names both parties together."""
    med, a, b = row["mediator"], row["party_a"], row["party_b"]
    texts = [by_id[e] for e in row["_own"] if e in by_id]
    for doc in row["_docs"]:
        c = contexts.get(doc)
        if c is None:
            continue
        named = any({a, b} == set(p) for m in texts if m.doc_id == doc
                    for p in c.pairs_in(m.sentence_index))
        if named:
            continue
        if a in c.mediators - {med} or b in c.mediators - {med} or c.fights(med, a) or \
                c.fights(med, b):
            return False
    return True


def _merge(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One triad per kind, mediator, pair and date among the reports of one document; inferred
    triads whose contacts are all explicit mediation events already are dropped."""
    explicit: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rows:
        if r["kind"] in ("offer", "brokered", "facilitated") and r["basis"] == "event":
            explicit[(r["mediator"], r["party_a"], r["party_b"])].update(r["_own"])
    kept: list[dict[str, Any]] = []
    for r in rows:
        if r["kind"] in ("engagement", "shuttle") and r["_own"] and set(r["_own"]) <= explicit.get(
                (r["mediator"], r["party_a"], r["party_b"]), set()):
            continue
        same = next((k for k in kept if (k["kind"], k["mediator"], k["party_a"], k["party_b"],
                                         k["date"], k["date_precision"]) ==
                     (r["kind"], r["mediator"], r["party_a"], r["party_b"], r["date"],
                      r["date_precision"]) and set(k["_docs"]) & set(r["_docs"])), None)
        if same is None:
            kept.append(dict(r))
            continue
        same["evidence"] = _dedupe([*same["evidence"], *r["evidence"]])
        same["event_ids"] = _dedupe([*same["event_ids"], *r["event_ids"]])
        same["_own"] = _dedupe([*same["_own"], *r["_own"]])
        same["_docs"] = sorted({*same["_docs"], *r["_docs"]})
        if r["basis"] == "event":
            same["basis"] = "event"
    return kept


def _one_kind(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One triad per mediator, pair and happening: rows of one document (or sharing evidence)
    with compatible dates become the row of the strongest kind; then the same triad told by
    several documents, dated compatibly, becomes one row with every report's evidence."""
    def when(r: dict[str, Any]) -> DateValue | None:
        return DateValue(r["date"], r["date_precision"]) if r["date"] else None

    def fits(x: dict[str, Any], y: dict[str, Any]) -> bool:
        dx, dy = when(x), when(y)
        return dx is None or dy is None or dx.compatible(dy)

    def join(into: dict[str, Any], r: dict[str, Any]) -> None:
        if strongest([into["kind"], r["kind"]]) != into["kind"]:
            into["kind"] = r["kind"]
        if r["date"] and (not into["date"] or (fits(into, r) and PRECISION_RANK[
                r["date_precision"]] < PRECISION_RANK[into["date_precision"]])):
            into["date"], into["date_precision"], into["date_how"] = \
                r["date"], r["date_precision"], r["date_how"]
        into["evidence"] = _dedupe([*into["evidence"], *r["evidence"]])
        into["event_ids"] = _dedupe([*into["event_ids"], *r["event_ids"]])
        into["_own"] = _dedupe([*into["_own"], *r["_own"]])
        into["_docs"] = sorted({*into["_docs"], *r["_docs"]})
        if r["basis"] == "event":
            into["basis"] = "event"

    ordered = sorted(rows, key=lambda r: (KIND_RANK.get(r["kind"], 9), r["basis"] != "event"))
    kept: list[dict[str, Any]] = []
    for r in ordered:  # within documents: the strongest kind
        same = next((k for k in kept if (k["mediator"], k["party_a"], k["party_b"]) ==
                     (r["mediator"], r["party_a"], r["party_b"]) and set(k["_docs"]) & set(r["_docs"])
                     and (fits(k, r) or k["basis"] == "sentence" or r["basis"] == "sentence")),
                    None)
        if same is None:
            kept.append(dict(r))
        else:
            join(same, r)
    merged: list[dict[str, Any]] = []
    for r in kept:  # across documents: the same kind
        same = next((k for k in merged if (k["kind"], k["mediator"], k["party_a"], k["party_b"]) ==
                     (r["kind"], r["mediator"], r["party_a"], r["party_b"]) and fits(k, r)), None)
        if same is None:
            merged.append(r)
        else:
            join(same, r)
    for r in merged:
        key = f"{r['kind']}|{r['mediator']}|{r['party_a']}|{r['party_b']}|" + \
            ",".join(sorted(r["event_ids"])) + "|" + "|".join(r["evidence"])
        r["triad_id"] = hashlib.sha256(key.encode()).hexdigest()[:16]
    return merged


def all_triads(store: Store, mentions: Sequence[EventMention], table: PloverTable,
                canon: dict[str, str], shuttle_window_days: int) -> list[dict[str, Any]]:
    """Every triad, with the private ``_docs``/``_own`` keys :func:`derived_rows` uses."""
    if shuttle_window_days < 0:
        raise QueryError(f"shuttle_window_days must be 0 or more, not {shuttle_window_days}")
    ls = LinkStore(store)
    members: dict[str, list[EventMention]] = defaultdict(list)
    for m in mentions:
        members[canon.get(m.event_id, m.event_id)].append(m)
    canon_dates = {cid: d for cid, ms in members.items() for d in [canonical_date(ms)] if d}
    docs = ls.documents()
    published = {str(r.doc_id): p for r in frame_rows(docs)
                 for p in [published_day(r.published)] if p}
    conflicts: dict[frozenset[str], list[EventMention]] = defaultdict(list)
    for m in mentions:
        if not m.flagged and m.quad in (3, 4):
            for a in m.actors:
                for b in m.recipients:
                    if a != b:
                        conflicts[frozenset((a, b))].append(m)
    ctx = Context(canon, canon_dates, published, conflicts, dt.timedelta(days=shuttle_window_days))
    read, contexts = _reading_triads(ls, mentions, ctx)
    by_id = {m.event_id: m for m in mentions}
    # where a document's wording names a mediator, its reading of the parties and the kind wins
    # over the event coder's guesses for that mediator; and a side of the pairs the wording
    # names is no mediator of the coder's ("Israel signed accords with the UAE and Bahrain")
    read_by = {(r["mediator"], d) for r in read for d in r["_docs"]}
    read_sides = {(p, d) for r in read for d in r["_docs"] for p in (r["party_a"], r["party_b"])}
    rows = [r for r in _explicit_triads(mentions, table, ctx) + _inferred_triads(mentions, table, ctx)
            if _plausible(r, contexts, by_id)
            and not all((r["mediator"], d) in read_by or (r["mediator"], d) in read_sides
                        for d in r["_docs"])]
    rows = _one_kind(_merge(rows + read))
    rows.sort(key=lambda r: (r["date"] or "\uffff", r["mediator"], r["party_a"], r["party_b"],
                             TRIAD_KINDS.index(r["kind"]), r["triad_id"]))
    return rows


def derived_rows(triads: Sequence[dict[str, Any]], mentions: Sequence[EventMention],
                 table: PloverTable) -> list[dict[str, Any]]:
    """Canonical rows (kind ``derived``) for triads that no event states as mediation.

    Each is a CONSULT with mode ``third-party``: party_a as actor, party_b as recipient, the
    mediator as mediator; offers are hypothetical, as PLOVER has them.
    """
    by_id = {m.event_id: m for m in mentions}
    sources = {m.doc_id: m.source for m in mentions if m.source}
    out = []
    for t in merge_same_triads(triads):
        if any(t["mediator"] in by_id[e].mediators for e in t["event_ids"] if e in by_id):
            continue
        date = DateValue(t["date"], t["date_precision"]) if t["date"] else None
        docs = sorted(set(t.get("_docs") or []) | {by_id[e].doc_id for e in t["event_ids"]
                                                     if e in by_id})
        out.append({
            "canonical_id": hashlib.sha256(f"derived|{t['triad_id']}".encode()).hexdigest()[:16],
            "event": "CONSULT", "quad_code": table.quad("CONSULT"), "date": t["date"],
            "date_precision": t["date_precision"], "date_first": date.start_date if date else None,
            "date_last": date.last_date if date else None, "actor_codes": [t["party_a"]],
            "recipient_codes": [t["party_b"]], "mediator_codes": [t["mediator"]],
            "place_name": None, "n_mentions": len(t["evidence"]), "n_documents": len(docs),
            "doc_ids": docs, "sources": sorted({sources[d] for d in docs if d in sources}),
            "goldstein": table.goldstein("CONSULT"), "negated": False,
            "hypothetical": t["kind"] == "offer", "first_text": t["evidence"][0] if t["evidence"]
            else None, "kind": "derived", "mode": "third-party", "date_how": t["date_how"],
            "triad_kind": t["kind"], "evidence_ids": list(t["event_ids"])})
    return out


def merge_same_triads(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per triad id: the same triad told in several articles (say, a syndicated story)
    keeps the first row, with every piece of evidence and every event id."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        first = merged.get(row["triad_id"])
        if first is None:
            merged[row["triad_id"]] = dict(row)
            continue
        first["evidence"] = _dedupe([*first["evidence"], *row["evidence"]])
        first["event_ids"] = _dedupe([*first["event_ids"], *row["event_ids"]])
        if "_docs" in first or "_docs" in row:
            first["_docs"] = _dedupe([*(first.get("_docs") or []), *(row.get("_docs") or [])])
    return list(merged.values())



def select_triads(frame: pd.DataFrame, *, actor: str | None = None,
                  kind: str | None = None) -> pd.DataFrame:
    """The triads of ``frame`` (rows of :data:`TRIAD_COLUMNS`) that involve ``actor`` (a code,
    any case, as mediator or party) and are of ``kind``; the frame itself when neither is given."""
    if actor:
        code = actor.upper()
        frame = frame[(frame["mediator"] == code) | (frame["party_a"] == code)
                      | (frame["party_b"] == code)]
    if kind:
        frame = frame[frame["kind"] == kind]
    return frame
