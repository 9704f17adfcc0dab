"""Dyad time series: events between two actors bucketed by week, month or year, and the
turning points where a conflict spike gives way to cooperation.

Counts are of *canonical* events (see :mod:`detente.link`): the same strike reported by three
articles counts once.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import pandas as pd
import pyarrow as pa

from detente.errors import QueryError
from detente.link import (
    EventMention,
    canonical_map,
    load_mentions,
    load_plover_table,
    mentions_from_frame,
)
from detente.store import Store, records, reports
from detente.store.links import LinkStore

BUCKETS = ("week", "month", "year")
DIRECTIONS = ("both", "a->b", "b->a")
_FINEST = {"week": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}


def bucket_of(day: dt.date, by: str) -> tuple[str, dt.date]:
    """The label and first day of the ``by`` bucket holding ``day`` (weeks are ISO weeks)."""
    if by == "month":
        return f"{day.year:04d}-{day.month:02d}", day.replace(day=1)
    if by == "week":
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}", day - dt.timedelta(days=day.weekday())
    if by == "year":
        return f"{day.year:04d}", dt.date(day.year, 1, 1)
    raise QueryError(f"bad bucket {by!r}: use one of {', '.join(BUCKETS)}")


def _next_bucket(start: dt.date, by: str) -> dt.date:
    if by == "week":
        return start + dt.timedelta(days=7)
    if by == "month":
        return dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return dt.date(start.year + 1, 1, 1)


def representatives(mentions: Sequence[EventMention], canon: dict[str, str]) -> list[EventMention]:
    """One mention per canonical event: the one with the most precise, earliest date."""
    best: dict[str, EventMention] = {}
    for m in mentions:
        key = canon.get(m.event_id, m.event_id)
        if key not in best or m.sort_key < best[key].sort_key:
            best[key] = m
    return sorted(best.values(), key=lambda m: m.order_key)


def _check_actor(ls: LinkStore, key: str, label: str) -> str:
    if not isinstance(key, str) or not key.strip():
        raise QueryError(f"{label} must be an actor code such as 'PAK', not {key!r}")
    if not ls.actor_codes_known(key.strip()):
        raise QueryError(f"no actor {key!r} takes part in any stored event; "
                         "`detente actors` lists the codes and ids")
    return key.strip().upper()


SERIES_COLUMNS = ["bucket", "start", "n_events", "quad1", "quad2", "quad3", "quad4", "goldstein_sum",
                  "goldstein_mean", "event_ids", "event_dates", "event_quads", "event_goldstein",
                  "turning_point"]


@dataclass(frozen=True)
class DyadData:
    """The event mentions and canonical links :func:`dyad_series` reads, loaded once for many
    dyads (:func:`load_dyad_data`)."""

    mentions: list[EventMention]
    canon: dict[str, str]

    @functools.cached_property
    def _by_key(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = defaultdict(list)
        for i, m in enumerate(self.mentions):
            for key in {c.upper() for c in (*m.actors, *m.recipients)}:
                index[key].append(i)
        return index

    def involving(self, a: str, b: str) -> list[EventMention]:
        """The mentions with both ``a`` and ``b`` among their actors and recipients, in order."""
        both = set(self._by_key.get(a.upper(), ())) & set(self._by_key.get(b.upper(), ()))
        return [self.mentions[i] for i in sorted(both)]


def load_dyad_data(store: Store, *, dedupe: bool = True,
                   pair: tuple[str, str] | None = None) -> DyadData:
    """What :func:`dyad_series` reads: every event mention, or with ``pair`` only the events of
    that pair that are neither negated nor hypothetical, when the store's canonical links cover
    every event (they need not be computed)."""
    table = load_plover_table()
    ls = LinkStore(store)
    if pair is not None and (not dedupe or ls.is_linked()):
        # a dyad never counts negated or hypothetical events: they are not read
        mentions = mentions_from_frame(ls.event_frame(involving=pair, include_flagged=False), table)
        if not dedupe:
            return DyadData(mentions, {})
        return DyadData(mentions, reports.canonical_ids(store, [m.event_id for m in mentions]))
    mentions = load_mentions(store, table)
    return DyadData(mentions, canonical_map(store, mentions, table) if dedupe else {})


@overload
def dyad_series(store: Store, a: str, b: str, *, by: str = ..., direction: str = ...,
                dedupe: bool = ..., conflict_threshold: float = ...,
                arrow: Literal[False] = ..., data: DyadData | None = ...) -> pd.DataFrame: ...
@overload
def dyad_series(store: Store, a: str, b: str, *, by: str = ..., direction: str = ...,
                dedupe: bool = ..., conflict_threshold: float = ...,
                arrow: Literal[True], data: DyadData | None = ...) -> pa.Table: ...
@overload
def dyad_series(store: Store, a: str, b: str, *, by: str = ..., direction: str = ...,
                dedupe: bool = ..., conflict_threshold: float = ...,
                arrow: bool, data: DyadData | None = ...) -> pd.DataFrame | pa.Table: ...
def dyad_series(store: Store, a: str, b: str, *, by: str = "month", direction: str = "both",
                dedupe: bool = True, conflict_threshold: float = -2.0,
                arrow: bool = False, data: DyadData | None = None) -> pd.DataFrame | pa.Table:
    """Events between ``a`` and ``b`` bucketed by ``by`` (week, month or year).

    ``direction``: ``a->b`` (a acts on b), ``b->a``, or ``both``. Empty buckets between the first
    and the last event are kept (n_events 0) so that "the next bucket" means the next period.
    Events dated less precisely than the bucket (a month-only date in a weekly series) are left
    out. ``dedupe`` counts canonical events once. The per-event lists (``event_ids``,
    ``event_dates``, ``event_quads``, ``event_goldstein``) are in date order;
    ``turning_point`` marks the buckets :func:`turning_points` returns. ``data``
    (:func:`load_dyad_data`, with the same ``dedupe``) saves reading the store again when
    drawing many dyads.
    """
    if by not in BUCKETS:
        raise QueryError(f"bad bucket {by!r}: use one of {', '.join(BUCKETS)}")
    if direction not in DIRECTIONS:
        raise QueryError(f"bad direction {direction!r}: use one of {', '.join(DIRECTIONS)}")
    ls = LinkStore(store)
    code_a, code_b = _check_actor(ls, a, "a"), _check_actor(ls, b, "b")
    if code_a == code_b:
        raise QueryError(f"a dyad needs two different actors, got {a!r} twice")
    data = data or load_dyad_data(store, dedupe=dedupe, pair=(code_a, code_b))
    mentions, canon = data.involving(code_a, code_b), data.canon

    def acts(m: EventMention, x: str, y: str) -> bool:
        return x in {c.upper() for c in m.actors} and y in {c.upper() for c in m.recipients}

    chosen = [m for m in mentions if not m.flagged and m.date is not None
              and m.date.precision in _FINEST[by]
              and ((direction in ("both", "a->b") and acts(m, code_a, code_b))
                   or (direction in ("both", "b->a") and acts(m, code_b, code_a)))]
    events = representatives(chosen, canon)
    buckets: dict[dt.date, list[EventMention]] = defaultdict(list)
    labels: dict[dt.date, str] = {}
    for m in events:
        assert m.date is not None
        label, start = bucket_of(m.date.start_date, by)
        buckets[start].append(m)
        labels[start] = label
    rows: list[dict[str, Any]] = []
    if buckets:
        start, last = min(buckets), max(buckets)
        while start <= last:
            ms = sorted(buckets.get(start, []), key=lambda m: m.order_key)
            golds = [m.goldstein for m in ms if m.goldstein is not None]
            quads = [m.quad for m in ms]
            rows.append({
                "bucket": labels.get(start) or bucket_of(start, by)[0], "start": start,
                "n_events": len(ms), **{f"quad{q}": quads.count(q) for q in (1, 2, 3, 4)},
                "goldstein_sum": float(sum(golds)),
                "goldstein_mean": float(sum(golds) / len(golds)) if golds else math.nan,
                "event_ids": [m.event_id for m in ms],
                "event_dates": [m.date.start_date.isoformat() for m in ms if m.date],
                "event_quads": [int(m.quad or 0) for m in ms],
                "event_goldstein": [float(m.goldstein) if m.goldstein is not None else math.nan
                                    for m in ms],
                "turning_point": False})
            start = _next_bucket(start, by)
    frame = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    if rows:
        marked = {tp.bucket for tp in turning_points(frame, conflict_threshold=conflict_threshold)}
        frame["turning_point"] = frame["bucket"].isin(marked)
    frame.attrs.update({"a": code_a, "b": code_b, "by": by, "direction": direction})
    if arrow:
        return pa.Table.from_pandas(frame, preserve_index=False)
    return frame


@dataclass(frozen=True)
class TurningPoint:
    """Where a conflict spike turns into de-escalation.

    ``bucket`` is where cooperation takes over; ``conflict_bucket`` holds the spike (the same
    bucket when ``kind`` is ``"within"``: conflict then cooperation, in date order, inside it).
    """

    bucket: str
    conflict_bucket: str
    kind: str  # within | across
    goldstein_before: float
    goldstein_after: float


def _score(quads: Sequence[int], golds: Sequence[float]) -> tuple[int, int, float]:
    coop = sum(1 for q in quads if q in (1, 2))
    conflict = sum(1 for q in quads if q in (3, 4))
    real = [g for g in golds if g == g]
    return coop, conflict, (sum(real) / len(real) if real else math.nan)


def turning_points(series: pd.DataFrame, *, conflict_threshold: float = -2.0,
                   lookahead: int = 2) -> list[TurningPoint]:
    """Conflict spikes followed by de-escalation in a :func:`dyad_series` frame.

    A *spike* bucket has more conflict (quad 3/4) than cooperation (quad 1/2) events and a mean
    Goldstein score at or below ``conflict_threshold``; a *cooperative* bucket has more
    cooperation than conflict and a mean above 0. A turning point is a cooperative bucket at most
    ``lookahead`` buckets after a spike, or a bucket whose events, in date order, split into a
    spike followed by a cooperative run (strikes on the 16th-18th, talks from the 19th on).
    """
    if series is None or len(series) == 0:
        return []
    needed = {"bucket", "quad1", "quad2", "quad3", "quad4", "goldstein_mean"}
    missing = needed - set(series.columns)
    if missing:
        raise QueryError(f"not a dyad series: missing column(s) {', '.join(sorted(missing))}")
    rows = records(series)
    found: dict[str, TurningPoint] = {}

    def coop(row: dict[str, Any]) -> bool:
        mean = row["goldstein_mean"]
        return bool(row["quad1"] + row["quad2"] > row["quad3"] + row["quad4"] and mean == mean
                    and mean > 0)

    def spike(row: dict[str, Any]) -> bool:
        mean = row["goldstein_mean"]
        return bool(row["quad3"] + row["quad4"] > row["quad1"] + row["quad2"] and mean == mean
                    and mean <= conflict_threshold)

    for i, row in enumerate(rows):
        dates = list(row.get("event_dates") or [])
        event_quads, event_golds = row.get("event_quads"), row.get("event_goldstein")
        quads = [int(q) for q in (event_quads if event_quads is not None else [])]
        golds = [float(g) for g in (event_golds if event_golds is not None else [])]
        if len(dates) == len(quads) == len(golds) and len(quads) >= 2:
            for k in range(1, len(quads)):
                if dates[k - 1] >= dates[k]:
                    continue
                c1, f1, g1 = _score(quads[:k], golds[:k])
                c2, f2, g2 = _score(quads[k:], golds[k:])
                if f1 > c1 and g1 <= conflict_threshold and c2 > f2 and g2 > 0:
                    found[row["bucket"]] = TurningPoint(row["bucket"], row["bucket"], "within",
                                                        g1, g2)
                    break
        if spike(row):
            for j in range(i + 1, min(i + lookahead, len(rows) - 1) + 1):
                if coop(rows[j]):
                    if rows[j]["bucket"] not in found:
                        found[rows[j]["bucket"]] = TurningPoint(
                            rows[j]["bucket"], row["bucket"], "across",
                            float(row["goldstein_mean"]), float(rows[j]["goldstein_mean"]))
                    break
                if spike(rows[j]):
                    break
    order = {row["bucket"]: i for i, row in enumerate(rows)}
    return sorted(found.values(), key=lambda tp: order[tp.bucket])
