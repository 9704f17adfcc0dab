"""Across articles: canonical events and mediation triads.

Several articles (or several sentences of one) often report the same happening. :func:`link_events`
groups event mentions into *canonical events*: the same PLOVER type (and so the same quad class),
overlapping actors and recipients (either direction for symmetric types such as CONSULT), compatible
dates (a day inside a month, or days at most ``window_days`` apart) and compatible places. Grouping
is complete-link: a mention joins a canonical event only when it is compatible with every mention
already in it, so a chain of "close enough" dates cannot merge two different strikes. Two more rules
tie reports together without breaking that: participants are compared by code (``PAK`` and
``PAK`` army are one party), but two reports naming different *people* on the same side (Pompeo and
Esper, each calling Bajwa) are different happenings; and an undated report joins a report in
another document only when the two sentences share a long run of words (the same quoted tweet).

:func:`find_triads` finds third parties between two others: explicit mediation (offers, brokered
agreements, facilitated talks, from events that carry a mediator or name mediation), and inferred
mediation (a third party engaging both sides of a live conflict, in one event naming both or in
contacts with each, or shuttling between them). A triad without a date of its own takes the date of
the conflict it relates to (``date_how`` ``conflict``) or its article's month (``article``). Triads
that no stored event states as third-party CONSULT are also written as *derived* canonical events.

The modules: :mod:`~detente.link.config` (the cross-article table), :mod:`~detente.link.mentions`
(stored events as mentions), :mod:`~detente.link.dedup` (canonical events),
:mod:`~detente.link.triads` (mediation triads) with :mod:`~detente.link.spells` (contacts in
time), :mod:`~detente.link.mediation` (reading mediation from sentences) with
:mod:`~detente.link.mediation_rules` (its wording) and :mod:`~detente.link.infer_dates` (dating
undated documents from linked reports). This module holds the public functions:
:func:`link_events` (the link step, which writes), :func:`canonical_events`,
:func:`compute_triads` and :func:`find_triads`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, overload

import pandas as pd
import pyarrow as pa

from detente.errors import NotLinked, QueryError
from detente.link.config import DATA_DIR, PLOVER_FILE, PloverTable, TypeInfo, load_plover_table
from detente.link.dedup import (
    build_canonical,
    canonical_id,
    canonical_map,
    canonical_row,
    cluster_mentions,
    compatible,
    dates_compatible,
    distinctive_words,
    parties_compatible,
    places_compatible,
    shared_run,
)
from detente.link.mentions import EventMention, cell, codes_of, load_mentions, mentions_from_frame
from detente.link.spells import article_month
from detente.link.triads import (
    TRIAD_COLUMNS,
    TRIAD_KINDS,
    all_triads,
    derived_rows,
    merge_same_triads,
    select_triads,
)
from detente.store import Store
from detente.store.links import (
    CANONICAL_KINDS,
    CANONICAL_SCHEMA,
    LINK_SCHEMA,
    CanonicalFilter,
    LinkStore,
)

__all__ = [
    "CANONICAL_KINDS", "DATA_DIR", "PLOVER_FILE", "TRIAD_COLUMNS", "TRIAD_KINDS", "CanonicalFilter",
    "EventMention", "LinkResult", "PloverTable", "TypeInfo", "article_month", "build_canonical",
    "canonical_events", "canonical_id", "canonical_map", "canonical_row", "canonical_table",
    "cluster_mentions", "compatible", "compute_triads", "dates_compatible", "derived_rows",
    "distinctive_words", "find_triads", "link_events", "load_mentions", "load_plover_table",
    "mentions_from_frame", "parties_compatible", "places_compatible", "select_triads", "shared_run",
]


# -- public: canonical events ------------------------------------------------------------------
@dataclass
class LinkResult:
    """What :func:`link_events` built."""

    n_events: int
    n_canonical: int
    n_merged: int  # canonical events with more than one mention
    n_multi_document: int  # canonical events reported by two or more documents
    canonical: pd.DataFrame
    n_derived: int = 0  # third-party CONSULT events derived from mediation triads
    triads: list[dict[str, Any]] = field(default_factory=list)  # as compute_triads found them

    def __str__(self) -> str:
        return (f"{self.n_events} event mentions -> {self.n_canonical} canonical events "
                f"({self.n_merged} merged, {self.n_multi_document} reported by 2+ documents); "
                f"{self.n_derived} derived from mediation triads")



def link_events(store: Store, *, window_days: int = 1, shuttle_window_days: int = 14,
                plover: PloverTable | None = None) -> LinkResult:
    """Link the whole store: (re)build its canonical events and event links, and its mediation
    triads, and write them.

    Mediation triads that no stored event states as a third-party CONSULT (engagement, shuttle,
    offers read from sentences) are written too, as ``derived`` canonical events
    (:func:`derived_rows`), found with ``shuttle_window_days``. The triads themselves (as
    :func:`compute_triads` finds them, over the links just written) go to the store's ``triads``
    table. The views built on them (claims, disagreements, the network) are
    :func:`detente.analysis.precompute_views`; :func:`detente.relink` (what ingest runs at its
    end, and ``detente link``) does both. Queries never write; this and those do.
    """
    table = plover or load_plover_table()
    mentions = load_mentions(store, table)
    # undated documents dated from linked reports (detente.link.infer_dates); linking and triads read
    # only the dates documents give themselves
    from detente.link.infer_dates import date_undated_documents, without_inferred_dates

    if date_undated_documents(store, mentions, table, window_days=window_days) or any(
            m.published is None for m in mentions):  # dates written or cleared: read them again
        mentions = without_inferred_dates(store, load_mentions(store, table))
    rows, links = build_canonical(mentions, table, window_days=window_days)
    triads = all_triads(store, mentions, table, links, shuttle_window_days)
    derived = derived_rows(triads, mentions, table)
    ls = LinkStore(store)
    ls.replace_canonical(
        pa.Table.from_pylist(rows + derived, schema=CANONICAL_SCHEMA),
        pa.Table.from_pylist([{"event_id": e, "canonical_id": c} for e, c in links.items()],
                             schema=LINK_SCHEMA))
    triad_rows = compute_triads(store, shuttle_window_days=shuttle_window_days, plover=table)
    ls.replace_triads(triad_rows, shuttle_window_days=shuttle_window_days)
    frame = canonical_events(store, include_flagged=True)
    return LinkResult(n_events=len(mentions), n_canonical=len(rows),
                      n_merged=sum(1 for r in rows if r["n_mentions"] > 1),
                      n_multi_document=sum(1 for r in rows if r["n_documents"] > 1), canonical=frame,
                      n_derived=len(derived), triads=triad_rows)


@overload
def canonical_events(store: Store, flt: CanonicalFilter | None = ..., /, *,
                     arrow: Literal[False] = ..., **filters: Any) -> pd.DataFrame: ...
@overload
def canonical_events(store: Store, flt: CanonicalFilter | None = ..., /, *, arrow: Literal[True],
                     **filters: Any) -> pa.Table: ...
@overload
def canonical_events(store: Store, flt: CanonicalFilter | None = ..., /, *, arrow: bool,
                     **filters: Any) -> pd.DataFrame | pa.Table: ...
def canonical_events(store: Store, flt: CanonicalFilter | None = None, /, *, arrow: bool = False,
                     **filters: Any) -> pd.DataFrame | pa.Table:
    """Canonical events, as linking (:func:`link_events`) stored them; nothing is written.

    Raises :class:`~detente.errors.NotLinked` when the store has events that are not linked (never
    linked, or events added since).

    The filter is ``flt`` or the keywords of :class:`~detente.store.links.CanonicalFilter`
    (``actor``, ``type``, ``since``, ``until``, ``min_documents``, ``kind``,
    ``include_flagged``; an unknown one is a :class:`~detente.errors.QueryError`). ``arrow``:
    return a pyarrow Table.
    """
    if flt is not None and filters:
        raise QueryError("give a CanonicalFilter or filter keywords, not both")
    chosen = flt or CanonicalFilter.of(**filters)
    ls = LinkStore(store)
    if not ls.is_linked() and (store.read_only or ls.has_events()):
        raise NotLinked(f"the store {store.path} has no canonical events for all its events (never "
                        "linked, or events were added since); run `detente link --db "
                        f"{store.path}`, or detente.relink(store) on the store opened for writing")
    return ls.canonical(chosen, arrow=arrow)


def canonical_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A compact, readable view of :func:`canonical_events` for a text table.

    One row per canonical event: date, type, kind, mode, ``who`` (``USA -> PAK``, with
    ``via CHN`` for mediators), the number of reports and documents, and the first report's text.
    """
    rows = []
    for r in frame.to_dict("records"):
        who = f"{', '.join(codes_of(r.get('actor_codes'))) or '?'} -> " \
              f"{', '.join(codes_of(r.get('recipient_codes'))) or '?'}"
        meds = codes_of(r.get("mediator_codes"))
        if meds:
            who += f" via {', '.join(meds)}"
        flags = [f for f in ("negated", "hypothetical") if bool(cell(r.get(f)))]
        rows.append({"date": cell(r.get("date")) or "", "event": r.get("event"),
                     "kind": cell(r.get("kind")) or "reported",
                     "mode": cell(r.get("mode")) or cell(r.get("triad_kind")) or "",
                     "who": who, "reports": cell(r.get("n_mentions")),
                     "docs": cell(r.get("n_documents")), "flags": ", ".join(flags),
                     "text": cell(r.get("first_text")) or ""})
    return pd.DataFrame(rows, columns=["date", "event", "kind", "mode", "who", "reports", "docs",
                                       "flags", "text"])


def compute_triads(store: Store, *, shuttle_window_days: int = 14,
                   plover: PloverTable | None = None) -> list[dict[str, Any]]:
    """Every mediation triad in the store, without writing anything."""
    if shuttle_window_days < 0:
        raise QueryError(f"shuttle_window_days must be 0 or more, not {shuttle_window_days}")
    table = plover or load_plover_table()
    from detente.link.infer_dates import without_inferred_dates

    mentions = without_inferred_dates(store, load_mentions(store, table))
    canon = canonical_map(store, mentions, table)
    rows = merge_same_triads(all_triads(store, mentions, table, canon, shuttle_window_days))
    docs = {m.event_id: m.doc_id for m in mentions}
    return [{**{k: v for k, v in r.items() if not k.startswith("_")},
             "doc_ids": sorted({*r.get("_docs", []), *(docs[e] for e in r.get("_own", r["event_ids"])
                                                       if e in docs)})}
            for r in rows]



@overload
def find_triads(store: Store, *, shuttle_window_days: int = ..., arrow: Literal[False] = ...,
                plover: PloverTable | None = ..., actor: str | None = ...,
                kind: str | None = ...) -> pd.DataFrame: ...
@overload
def find_triads(store: Store, *, shuttle_window_days: int = ..., arrow: Literal[True],
                plover: PloverTable | None = ..., actor: str | None = ...,
                kind: str | None = ...) -> pa.Table: ...
@overload
def find_triads(store: Store, *, shuttle_window_days: int = ..., arrow: bool,
                plover: PloverTable | None = ..., actor: str | None = ...,
                kind: str | None = ...) -> pd.DataFrame | pa.Table: ...
def find_triads(store: Store, *, shuttle_window_days: int = 14, arrow: bool = False,
                plover: PloverTable | None = None, actor: str | None = None,
                kind: str | None = None) -> pd.DataFrame | pa.Table:
    """Mediation triads (mediator, party_a, party_b, date, kind, evidence, event_ids, date_how,
    basis), optionally only those involving ``actor`` (a code, as mediator or party) or of one
    ``kind``.

    Kinds: ``offer``, ``brokered``, ``facilitated`` (explicit: from events with a mediator, or
    naming mediation with two recipients), ``engagement`` (the mediator contacts both sides of a
    conflict within ``shuttle_window_days`` of it, or in the same article: one event naming both
    sides is enough), ``shuttle`` (separate talks with each side). ``basis`` is ``event`` or
    ``sentence`` (a third party offering mediation, or appealing to both sides, in a sentence
    with no coded event, read against the main conflict of its document). ``date_how``: ``event``
    (the events' own date), ``linked`` (their canonical event's), ``conflict`` (the date of the
    conflict between the parties reported in the same article) or ``article`` (the article's
    month). Nothing is written: the triads :func:`link_events` stored are read while the store is
    unchanged since and ``shuttle_window_days`` is the window it used (and ``plover`` is not
    given); else they are computed (:func:`compute_triads`).
    """
    if kind is not None and kind not in TRIAD_KINDS:
        raise QueryError(f"bad kind {kind!r}: use {', '.join(TRIAD_KINDS)}")
    ls = LinkStore(store)
    if plover is None and ls.triads_fresh(shuttle_window_days=shuttle_window_days):
        frame = pd.DataFrame(ls.triad_rows(), columns=TRIAD_COLUMNS)
    else:
        rows = compute_triads(store, shuttle_window_days=shuttle_window_days, plover=plover)
        frame = pd.DataFrame(rows, columns=TRIAD_COLUMNS)
    frame = select_triads(frame, actor=actor, kind=kind)
    if arrow:
        return pa.Table.from_pandas(frame, preserve_index=False)
    return frame
