"""Dating undated documents from the store: what other, dated reports of the same happenings say.

An article with no date line, byline or caption date (an opinion piece, a saved page) leaves its
events undated: "yesterday" and "on Sunday" have no base, and the time of writing is unknown. When
the store also holds dated documents that report some of the same happenings, those reports date
the undated one:

1. *Evidence*: an event of the undated document that linking groups with events of dated
   documents (:func:`detente.link.build_canonical`: the same quoted words, the same type and
   parties), or that has the same type and the same named people or groups on both sides as an
   event of a dated document (the same meeting between the same two ministers). Each such dated
   event's own date (not one inferred this way) is evidence.
2. *The document's range*: from the earliest to the latest evidence, ``found["published_range"]``
   (``2020-01-03/2020-01-31``), with ``found["published_evidence"]`` the number of linked reports.
   The document was written on or after its latest evidence: ``found["published_inferred"]`` is
   the month of the latest evidence (month precision: the evidence does not give the day of
   writing) and ``found["published_inferred_how"]`` :data:`INFERRED_HOW`. ``published`` stays
   empty: the document gives no date of its own, and stages that date things by their article's
   month (mediation triads) must not take an inferred one for it.
3. *Its events* (each marked ``date_how`` :data:`INFERRED_HOW`):

   * an event with evidence takes the evidence's date (the most precise, then the most reported);
   * an event whose sentence writes a day and month or a month without a year ("on Jan. 12",
     "in December") takes it, the year completed against the latest evidence
     (:func:`detente.dates.date_for_event`);
   * any other event told in the simple past or present, with no background marker
     (``dates.yaml`` ``context.background_markers``), with no date of its own or one relative to
     the unknown day of writing ("today"), takes the month of the latest evidence (the time of
     writing, month precision, as ``reporting-time`` dates it in a dated article); a year relative
     to the time of writing ("last year") is counted from the latest evidence; events told in the
     past perfect, the future or a modal stay undated.

Documents dated this way are dated again on every run, from the evidence then in the store, so a
newly ingested report can sharpen them. The entry point, :func:`date_undated_documents`, is called
by :func:`detente.link.link_events` before it groups events; linking and mediation triads read the
mentions through :func:`without_inferred_dates`, so an inferred date (a month, say) never glues two
happenings together nor makes a triad: it is written to the events only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from detente.dates import date_for_event, default_date_rules
from detente.model import PRECISION_RANK, DateValue
from detente.store import inferred_dates as stored

if TYPE_CHECKING:
    from detente.link import EventMention, PloverTable
    from detente.store import Store

INFERRED_HOW = "inferred-from-linked-reports"

# "had met", "will meet", "could meet" right before the trigger: not reported as happening then
_NOT_NOW = re.compile(r"\b(?:had|will|would|could|may|might|should|must|can|shall|'d|'ll)\s+(?:\w+\s+){0,2}$",
                      re.IGNORECASE)
# sentence-dated kinds that an inferred base can complete (a written day or month)
_COMPLETABLE = frozenset({"partial", "background"})
_INFERRED_KEYS = ("published_inferred", "published_inferred_how", "published_range", "published_evidence")


@dataclass(frozen=True)
class DatedDocument:
    """What :func:`date_undated_documents` did to one undated document."""

    doc_id: str
    first: dt.date
    last: dt.date
    published: DateValue
    evidence: int
    events_dated: int


def _named(ids: Iterable[str]) -> frozenset[str]:
    return frozenset(i for i in ids
                     if i and not i.startswith("country:") and not re.fullmatch(r"[A-Z]{3}", i))


def _same_people(a: EventMention, b: EventMention) -> bool:
    """The same type and the same named people or groups on both sides (either way round)."""
    if a.event != b.event or a.negated != b.negated or a.hypothetical != b.hypothetical:
        return False
    aa, ar, ba, br = (_named(a.actor_ids), _named(a.recipient_ids), _named(b.actor_ids),
                      _named(b.recipient_ids))
    if not (aa and ar and ba and br):
        return False
    return bool((aa & ba and ar & br) or (aa & br and ar & ba))


def _evidence_date(dates: Sequence[DateValue]) -> DateValue:
    """The most precise of the evidence dates, then the most often reported, then the earliest."""
    best = min(PRECISION_RANK[d.precision] for d in dates)
    counts = Counter((d.value, d.end) for d in dates if PRECISION_RANK[d.precision] == best)
    (value, end), _ = min(counts.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or ""))
    precision = ("day", "month", "year")[best]
    return DateValue(value, precision, end, how=INFERRED_HOW)  # type: ignore[arg-type]


def _month_of(day: dt.date) -> DateValue:
    return DateValue(f"{day.year:04d}-{day.month:02d}", "month", how=INFERRED_HOW)


def _background(text: str) -> bool:
    lex = default_date_rules().lexicon
    low = " ".join(text.lower().split())
    return any(re.search(rf"\b{re.escape(m)}\b", low) for m in lex.background_markers)


def infer_document_dates(mentions: Sequence[EventMention], table: PloverTable, *, undated: set[str],
                         sentence_starts: dict[str, int], window_days: int = 3) -> \
        tuple[dict[str, DateValue], list[DatedDocument]]:
    """The pure part of :func:`date_undated_documents`: new event dates (event_id -> date) and
    one :class:`DatedDocument` per undated document that linked reports date.

    ``undated`` are the doc ids without a date of their own; ``sentence_starts`` maps event ids to
    the offset of their sentence in the article (to place the trigger in its sentence).
    """
    from detente.link import build_canonical

    # the undated documents' events count as undated, whatever an earlier run gave them
    pool = [replace(m, date=None) if m.doc_id in undated else m for m in mentions]
    _, links = build_canonical(pool, table, window_days=window_days)
    clusters: dict[str, list[EventMention]] = defaultdict(list)
    for m in pool:
        clusters[links.get(m.event_id, m.event_id)].append(m)
    dated = [m for m in pool if m.doc_id not in undated and m.date is not None]
    by_type: dict[str, list[EventMention]] = defaultdict(list)
    for m in dated:
        by_type[m.event].append(m)

    new: dict[str, DateValue] = {}
    documents: list[DatedDocument] = []
    for doc in sorted(undated):
        own = [m for m in pool if m.doc_id == doc]
        evidence: dict[str, list[DateValue]] = {}
        for m in own:
            found = [o.date for o in clusters[links.get(m.event_id, m.event_id)]
                     if o.doc_id not in undated and o.date is not None]
            found += [o.date for o in by_type[m.event] if _same_people(m, o) and o.date is not None]
            if found:
                evidence[m.event_id] = found
        if not evidence:
            continue
        all_dates = [d for ds in evidence.values() for d in ds]
        first = min(d.start_date for d in all_dates)
        last = max(d.last_date for d in all_dates)
        # the document was written on or after its latest evidence: that month stands for the time
        # of writing (month precision, as "reporting-time" gives in a dated article)
        latest = max(all_dates, key=lambda d: (d.start_date, -PRECISION_RANK[d.precision]))
        writing = _month_of(latest.start_date)
        base = DateValue(latest.last_date.isoformat(), "day", how=INFERRED_HOW)
        count = 0
        for m in own:
            value: DateValue | None = None
            if m.event_id in evidence:
                value = _evidence_date(evidence[m.event_id])
            else:
                start = sentence_starts.get(m.event_id, 0)
                trigger_at = max(0, m.trigger_start - start)
                own_date = date_for_event(m.text, trigger_at, base)
                told_now = not m.flagged and not _background(m.text) \
                    and not _NOT_NOW.search(m.text[:trigger_at])
                if own_date is not None and (own_date.how in _COMPLETABLE or (
                        own_date.how == "relative" and own_date.precision == "year")):
                    value = DateValue(own_date.value, own_date.precision, own_date.end, how=INFERRED_HOW)
                elif told_now and (own_date is None or own_date.how == "relative"):
                    # no date of its own, or one relative to the unknown day of writing ("today"):
                    # the month of writing
                    value = writing
            if value is not None:
                new[m.event_id] = value
                count += 1
        documents.append(DatedDocument(doc, first, last, writing, len(evidence), count))
    return new, documents


def date_undated_documents(store: Store, mentions: Sequence[EventMention], table: PloverTable, *,
                           window_days: int = 3) -> list[DatedDocument]:
    """Date the store's undated documents and their events from linked dated reports (see the
    module docstring), writing the dates to the store; returns what was dated.

    A document counts as undated when it has no ``published`` date; the date inferred for it is
    kept in its ``found`` (``published_inferred``), never in ``published``.
    """
    docs = stored.document_dates(store)
    undated = {r["doc_id"] for r in docs if r["published"] is None}
    if not undated or len(undated) == len(docs):
        return []
    starts = stored.event_sentence_starts(store, undated)
    new, documents = infer_document_dates(mentions, table, undated=undated, sentence_starts=starts,
                                          window_days=window_days)
    found_by_doc = {r["doc_id"]: r["found"] for r in docs}
    founds: dict[str, dict[str, str]] = {}
    for doc_id in undated - {d.doc_id for d in documents}:  # no evidence (any more)
        found = _found(found_by_doc.get(doc_id))
        if "published_inferred" in found:
            founds[doc_id] = {k: v for k, v in found.items() if k not in _INFERRED_KEYS}
    for d in documents:
        # the inferred date goes to ``found``, not to ``published``: the document still gives no
        # date of its own (stages that date things by their article's month never use it)
        found = _found(found_by_doc.get(d.doc_id))
        found.update({"published_inferred": d.published.value, "published_inferred_how": INFERRED_HOW,
                      "published_range": f"{d.first}/{d.last}", "published_evidence": str(d.evidence)})
        founds[d.doc_id] = found
    stored.write_inferred_dates(store, INFERRED_HOW, new, founds)
    return documents


def without_inferred_dates(store: Store, mentions: Sequence[EventMention]) -> list[EventMention]:
    """The mentions with the dates this module inferred taken off (for stages, such as mediation
    triads, that should read only the dates documents give themselves)."""
    inferred = stored.events_dated_by(store, INFERRED_HOW)
    return [replace(m, date=None) if m.event_id in inferred else m for m in mentions]


def _found(raw: Any) -> dict[str, str]:
    if isinstance(raw, dict):
        return dict(raw)
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except ValueError:
            return {}
        return dict(value) if isinstance(value, dict) else {}
    return {}
