"""Analysis over the whole store: dyad time series, turning points, the actor network, and
disagreements between sources (numbers and dates reported differently).

Counts are of *canonical* events (see :mod:`detente.link`): the same strike reported by three
articles counts once.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

import networkx as nx
import pandas as pd
import pyarrow as pa
import yaml

from detente.errors import DataFileError, QueryError
from detente.link import (
    DATA_DIR,
    EventMention,
    build_canonical,
    canonical_map,
    compute_triads,
    load_mentions,
    load_plover_table,
    mentions_from_frame,
)
from detente.model import DateValue
from detente.store import Store, frame_rows, records
from detente.store.links import LinkStore

CLAIMS_FILE = DATA_DIR / "claims.yaml"
BUCKETS = ("week", "month", "year")
DIRECTIONS = ("both", "a->b", "b->a")
_FINEST = {"week": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}


# -- dyad series -------------------------------------------------------------------------------
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


def _representatives(mentions: Sequence[EventMention], canon: dict[str, str]) -> list[EventMention]:
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
        links = store.sql("SELECT event_id, canonical_id FROM event_links "
                          "WHERE event_id IN (SELECT unnest(?))", [[m.event_id for m in mentions]])
        return DyadData(mentions, dict(zip(links["event_id"], links["canonical_id"], strict=True)))
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
    events = _representatives(chosen, canon)
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


# -- the actor network -----------------------------------------------------------------------------
@functools.cache
def _country_names() -> dict[str, str]:
    from detente.actors.countries import CountryTable

    return dict(CountryTable.load().names)


def node_names(store: Store) -> dict[str, str]:
    """A display name for each network node key (a participant's code, else its actor id, else
    its name).

    A country code is named as the country (``data/countries.yaml``, else the store's
    ``country:CODE`` actor): TUR is "Turkey" even when only its foreign minister acts. Any other
    key takes the name of the dictionary actor with that id, else the name its participants
    carry most often, a tie going to the name that sorts first.
    """
    frame = store.sql("""
        SELECT coalesce(p.code, p.actor_id, p.name) AS key, p.name, count(*) AS n,
               any_value(c.name) AS country, any_value(a.name) AS actor
        FROM participants p
        LEFT JOIN actors c ON c.actor_id = 'country:' || p.code
        LEFT JOIN actors a ON a.actor_id = coalesce(p.code, p.actor_id, p.name)
        WHERE coalesce(p.code, p.actor_id, p.name) IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, n DESC, p.name NULLS LAST""")
    countries = _country_names()
    out: dict[str, str] = {}
    for row in frame.itertuples(index=False):
        key = str(row.key)
        if key in out:
            continue
        for candidate in (countries.get(key), row.country, row.actor, row.name):
            if isinstance(candidate, str) and candidate:
                out[key] = candidate
                break
        else:
            out[key] = key
    return out


def actor_network(store: Store, *, actor_ids: bool = False, dedupe: bool = True,
                  shuttle_window_days: int = 14) -> nx.Graph[str]:
    """Actors (country/IGO codes) linked by the events between them (see :func:`compute_network`).

    The default network (country codes, canonical events) is read from the store when linking
    precomputed it (:func:`precompute_views`) and nothing changed since; otherwise computed.
    """
    if not actor_ids and dedupe:
        stored = _stored_network(store, shuttle_window_days)
        if stored is not None:
            return stored
    return compute_network(store, actor_ids=actor_ids, dedupe=dedupe,
                           shuttle_window_days=shuttle_window_days)


def compute_network(store: Store, *, actor_ids: bool = False, dedupe: bool = True,
                    shuttle_window_days: int = 14,
                    triads: Sequence[dict[str, Any]] | None = None) -> nx.Graph[str]:
    """Actors (country/IGO codes) linked by the events between them.

    Edge attributes: ``events``, ``cooperation`` (quad 1/2), ``conflict`` (quad 3/4),
    ``goldstein_sum``, ``mediation`` (triads in which one end mediates for the other) and
    ``weight`` (events + mediation). Node attributes: ``name``, ``events``, ``mediations`` (triads
    mediated), ``broker`` (mediated at least once), ``degree``, ``weighted_degree``,
    ``betweenness``. A mediator is joined to both parties, so brokers sit between them.
    With ``actor_ids`` individual actors (people, organisations) become nodes too, each joined
    to its country code by a ``member`` edge. ``triads`` (as :func:`detente.link.compute_triads`
    gives them) saves finding them again.
    """
    table = load_plover_table()
    mentions = load_mentions(store, table)
    canon = canonical_map(store, mentions, table) if dedupe else {}
    events = _representatives([m for m in mentions if not m.flagged], canon)
    name_of = node_names(store)
    graph: nx.Graph[str] = nx.Graph()

    def node(key: str) -> None:
        if key not in graph:
            graph.add_node(key, name=str(name_of.get(key) or key), kind="code", events=0,
                           mediations=0, broker=False)

    def edge(x: str, y: str) -> dict[str, Any]:
        node(x)
        node(y)
        if not graph.has_edge(x, y):
            graph.add_edge(x, y, events=0, cooperation=0, conflict=0, goldstein_sum=0.0,
                           mediation=0, member=0, weight=0.0)
        return graph.edges[x, y]

    for m in events:
        for x in m.actors:
            for y in m.recipients:
                if x == y:
                    continue
                data = edge(x, y)
                data["events"] += 1
                data["cooperation"] += int(m.quad in (1, 2))
                data["conflict"] += int(m.quad in (3, 4))
                data["goldstein_sum"] = round(data["goldstein_sum"] + (m.goldstein or 0.0), 6)
                data["weight"] += 1.0
        for key in sorted({*m.actors, *m.recipients}):
            node(key)
            graph.nodes[key]["events"] += 1
    if triads is None:
        triads = compute_triads(store, shuttle_window_days=shuttle_window_days, plover=table)
    for triad in triads:
        med = triad["mediator"]
        for party in (triad["party_a"], triad["party_b"]):
            data = edge(med, party)
            data["mediation"] += 1
            data["weight"] += 1.0
        graph.nodes[med]["mediations"] += 1
        graph.nodes[med]["broker"] = True
    if actor_ids:
        frame = LinkStore(store).store.sql("""
            SELECT actor_id, code, min(name) AS name FROM participants
            WHERE actor_id IS NOT NULL AND code IS NOT NULL AND actor_id <> code
            GROUP BY actor_id, code ORDER BY actor_id, code""")
        for row in frame_rows(frame):
            node(row.code)
            if row.actor_id not in graph:
                graph.add_node(row.actor_id, name=str(row.name), kind="actor", events=0,
                               mediations=0, broker=False)
            data = edge(row.actor_id, row.code)
            data["member"] = 1
    between = nx.betweenness_centrality(graph) if graph.number_of_nodes() else {}
    for key in graph.nodes:
        graph.nodes[key]["degree"] = int(graph.degree[key])
        graph.nodes[key]["weighted_degree"] = float(graph.degree(key, weight="weight"))
        graph.nodes[key]["betweenness"] = float(between.get(key, 0.0))
    return graph


def export_network(graph: nx.Graph[str], path: Path | str, fmt: str = "graphml") -> Path:
    """Write ``graph`` as GraphML (Gephi, Cytoscape) or node-link JSON (d3); returns the path."""
    if fmt not in ("graphml", "json"):
        raise QueryError(f"bad network format {fmt!r}: use graphml or json")
    target = Path(path)
    try:
        if fmt == "graphml":
            nx.write_graphml(graph, target)
        else:
            data = nx.node_link_data(graph, edges="edges")
            target.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"cannot write the network to {target}: {exc}") from exc
    return target


# -- views precomputed at link time ----------------------------------------------------------------
_NODE_KEYS = ("name", "kind", "events", "mediations", "broker", "degree", "weighted_degree",
              "betweenness")
_EDGE_KEYS = ("events", "cooperation", "conflict", "goldstein_sum", "mediation", "member", "weight")


def precompute_views(store: Store, triads: Sequence[dict[str, Any]], *,
                     shuttle_window_days: int = 14) -> None:
    """Build what the query commands and web pages would otherwise compute over the whole store
    on every request, and write it to the store (linking calls this after finding ``triads``):
    the numeric claims, the disagreements between documents and the actor network.

    Each is stamped with the store's fingerprint (:meth:`LinkStore.fingerprint`), so a query
    reads it only while the store is unchanged; ``shuttle_window_days`` is the window the triads
    were found with (the network and the stored triads serve queries with that window only).
    """
    ls = LinkStore(store)
    rules = load_claim_rules()
    claims = extract_claims(store, save=True, rules=rules)
    rows = _disagreement_rows(store, rules, claims=claims)
    graph = compute_network(store, shuttle_window_days=shuttle_window_days, triads=triads)
    nodes = [{"position": i, "node": str(n), **{k: graph.nodes[n].get(k) for k in _NODE_KEYS}}
             for i, n in enumerate(graph.nodes)]
    edges = [{"position": i, "source": str(u), "target": str(v),
              **{k: data.get(k) for k in _EDGE_KEYS}}
             for i, (u, v, data) in enumerate(graph.edges(data=True))]
    ls.replace_views(disagreements=rows, nodes=nodes, edges=edges,
                     state={"fingerprint": ls.fingerprint(),
                            "triad_window": str(int(shuttle_window_days))})


def views_fresh(store: Store, *, shuttle_window_days: int | None = None) -> bool:
    """True when the precomputed views were built on the store as it is now (and, when
    ``shuttle_window_days`` is given, with that triad window)."""
    ls = LinkStore(store)
    state = ls.view_state()
    if not state.get("fingerprint"):
        return False
    if shuttle_window_days is not None and state.get("triad_window") != str(int(shuttle_window_days)):
        return False
    return state["fingerprint"] == ls.fingerprint()


def mediation_triads(store: Store, *, shuttle_window_days: int = 14) -> pd.DataFrame:
    """:func:`detente.link.find_triads`, read from the store when linking saved them for this
    window and nothing changed since (a read-only store is never written)."""
    from detente.link import TRIAD_COLUMNS, find_triads

    if views_fresh(store, shuttle_window_days=shuttle_window_days):
        return pd.DataFrame(LinkStore(store).triad_rows(), columns=TRIAD_COLUMNS)
    frame = find_triads(store, shuttle_window_days=shuttle_window_days)
    assert isinstance(frame, pd.DataFrame)
    return frame


def _stored_network(store: Store, shuttle_window_days: int) -> nx.Graph[str] | None:
    if not views_fresh(store, shuttle_window_days=shuttle_window_days):
        return None
    graph: nx.Graph[str] = nx.Graph()
    nodes = store.sql("SELECT * FROM network_nodes ORDER BY position")
    for row in records(nodes):
        graph.add_node(row["node"], **{k: _plain_number(row[k]) for k in _NODE_KEYS})
    edges = store.sql("SELECT * FROM network_edges ORDER BY position")
    for row in records(edges):
        graph.add_edge(row["source"], row["target"],
                       **{k: _plain_number(row[k]) for k in _EDGE_KEYS})
    return graph


def _plain_number(value: Any) -> Any:
    """numpy scalars from a DataFrame as the Python ints, floats and bools the graph had."""
    return value.item() if hasattr(value, "item") else value


# -- numbers in text -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Topic:
    name: str
    kind: str  # length | count | percent
    keywords: re.Pattern[str]
    subject: str  # countries | event | phrase
    share_verbs: re.Pattern[str] | None


@dataclass(frozen=True)
class ClaimRules:
    """The validated contents of ``data/analysis/claims.yaml``."""

    numbers: dict[str, int]
    multipliers: dict[str, int]
    approximate: tuple[str, ...]
    lower_bound: tuple[str, ...]
    upper_bound: tuple[str, ...]
    tolerance_exact: float
    tolerance_approx: float
    units: dict[str, float]  # surface form -> factor to the base unit (km)
    percent_forms: tuple[str, ...]
    not_counts: frozenset[str]
    topics: tuple[Topic, ...]
    distance_words: tuple[str, ...] = ()

    @functools.cached_property
    def quantity_re(self) -> re.Pattern[str]:
        return _quantity_pattern(self)

    @functools.cached_property
    def distance_re(self) -> re.Pattern[str] | None:
        """Words right after a length that make it a distance ("40 km from the border")."""
        if not self.distance_words:
            return None
        return re.compile(r"\s*(?:" + _alts(self.distance_words) + r")(?!\w)", re.IGNORECASE)


def _alts(words: Sequence[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _str_list(path: Path, raw: dict[str, Any], key: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(path, f"'{key}' must be a list of non-empty strings")
    return [v.strip().lower() for v in value]


@functools.lru_cache(maxsize=8)
def load_claim_rules(path: Path = CLAIMS_FILE) -> ClaimRules:
    """Read and validate the claim rules (number words, units, topics)."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(path, f"cannot read the claim rules: {exc}") from exc
    if not isinstance(raw, dict):
        raise DataFileError(path, "expected a mapping")
    numbers, multipliers = raw.get("numbers"), raw.get("multipliers")
    for key, table in (("numbers", numbers), ("multipliers", multipliers)):
        if not isinstance(table, dict) or not all(
                isinstance(k, str) and isinstance(v, int) and v >= 0 for k, v in table.items()):
            raise DataFileError(path, f"'{key}' must map words to whole numbers")
    assert isinstance(numbers, dict) and isinstance(multipliers, dict)
    tol = raw.get("tolerance") or {}
    try:
        t_exact, t_approx = float(tol["exact"]), float(tol["approximate"])
    except (KeyError, TypeError, ValueError):
        raise DataFileError(path, "'tolerance' needs numeric 'exact' and 'approximate'") from None
    if not (0 <= t_exact < 1 and 0 <= t_approx < 1):
        raise DataFileError(path, "tolerances are fractions between 0 and 1")
    units: dict[str, float] = {}
    for name, spec in (raw.get("units") or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("forms"), list):
            raise DataFileError(path, f"unit {name}: needs 'factor' and a 'forms' list")
        try:
            factor = float(spec["factor"])
        except (KeyError, TypeError, ValueError):
            raise DataFileError(path, f"unit {name}: 'factor' must be a number") from None
        for form in spec["forms"]:
            units[str(form).lower()] = factor
    topics = []
    for name, spec in (raw.get("topics") or {}).items():
        if not isinstance(spec, dict) or spec.get("kind") not in ("length", "count", "percent"):
            raise DataFileError(path, f"topic {name}: 'kind' must be length, count or percent")
        if spec.get("subject") not in ("countries", "event", "phrase"):
            raise DataFileError(path, f"topic {name}: 'subject' must be countries, event or phrase")
        words = _str_list(path, spec, "keywords")
        if not words:
            raise DataFileError(path, f"topic {name}: needs keywords")
        try:
            keywords = re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)
        except re.error as exc:
            raise DataFileError(path, f"topic {name}: bad keyword pattern: {exc}") from None
        verbs = _str_list(path, spec, "share_verbs")
        topics.append(Topic(str(name), spec["kind"], keywords, spec["subject"],
                            re.compile(r"(?<!\w)(?:" + _alts(verbs) + r")(?!\w)", re.IGNORECASE)
                            if verbs else None))
    return ClaimRules(
        numbers={k.lower(): v for k, v in numbers.items()},
        multipliers={k.lower(): v for k, v in multipliers.items()},
        approximate=tuple(_str_list(path, raw, "approximate")),
        lower_bound=tuple(_str_list(path, raw, "lower_bound")),
        upper_bound=tuple(_str_list(path, raw, "upper_bound")),
        tolerance_exact=t_exact, tolerance_approx=t_approx, units=units,
        percent_forms=tuple(_str_list(path, raw, "percent_forms")),
        not_counts=frozenset(_str_list(path, raw, "not_counts")), topics=tuple(topics),
        distance_words=tuple(_str_list(path, raw, "distance_words")))


def _quantity_pattern(rules: ClaimRules) -> re.Pattern[str]:
    words = [w for w in rules.numbers if w not in ("a", "an")]
    word = "(?:" + _alts(words + list(rules.multipliers)) + ")"
    wordnum = (r"(?:(?:an?)[\s-]+(?=" + _alts(list(rules.multipliers)) + r"))?" + word
               + r"(?:(?:[\s-]+|\s+and\s+)" + word + r")*")
    digits = (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
    dignum = "(?:" + digits + r")(?:\s+(?:" + _alts(list(rules.multipliers)) + "))?"
    num = "(?:" + dignum + "|" + wordnum + ")"
    prefix = _alts([*rules.approximate, *rules.lower_bound, *rules.upper_bound])
    unit = _alts([*rules.units, *rules.percent_forms])
    return re.compile(
        r"(?<![\w.,])(?:(?P<prefix>" + prefix + r")\s+)?(?:(?P<between>between|from)\s+)?"
        r"(?P<n1>" + num + r")(?![\w])"
        r"(?:(?(between)\s*(?:-|–|—|to|and)\s*|\s*(?:-|–|—|to)\s*)(?P<n2>" + num + r")(?![\w]))?"
        r"(?:\s*-?\s*(?P<unit>" + unit + r")(?![\w]))?",
        re.IGNORECASE)


def _word_value(text: str, rules: ClaimRules) -> float | None:
    text = text.lower().replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    parts = text.split()
    if len(parts) == 2 and parts[1] in rules.multipliers:
        try:
            return float(parts[0]) * rules.multipliers[parts[1]]
        except ValueError:
            pass
    total, current, seen = 0.0, 0.0, False
    for tok in re.split(r"[\s-]+", text):
        if tok == "and" or not tok:
            continue
        if tok in rules.multipliers:
            current = (current or 1.0) * rules.multipliers[tok]
            if rules.multipliers[tok] >= 1000:
                total, current = total + current, 0.0
            seen = True
        elif tok in rules.numbers:
            current += rules.numbers[tok]
            seen = True
        else:
            return None
    return total + current if seen else None


@dataclass(frozen=True)
class Quantity:
    """A number found in text: ``low``..``high`` in ``unit`` (km for lengths, % for shares)."""

    text: str
    start: int
    end: int
    low: float
    high: float
    approx: bool
    unit: str | None  # "km", "%" or None for a bare count

    @property
    def value(self) -> float:
        if math.isinf(self.high):
            return self.low
        return (self.low + self.high) / 2


def find_quantities(text: str, rules: ClaimRules | None = None) -> list[Quantity]:
    """Every number in ``text`` with its range, approximation and unit (lengths in km)."""
    rules = rules or load_claim_rules()
    out = []
    for m in rules.quantity_re.finditer(text):
        n1 = _word_value(m.group("n1"), rules)
        n2 = _word_value(m.group("n2"), rules) if m.group("n2") else None
        if n1 is None:
            continue
        low, high = (n1, n2) if n2 is not None and n2 >= n1 else (n1, n1)
        if n2 is not None and n2 < n1:  # "2015-16", "1,200-300": not a range we can read
            low = high = n1
        prefix = (m.group("prefix") or "").lower()
        approx = prefix in rules.approximate
        if prefix in rules.lower_bound:
            high = math.inf
        elif prefix in rules.upper_bound:
            low = 0.0
        unit_word = (m.group("unit") or "").lower()
        unit: str | None = None
        if unit_word in rules.units:
            factor = rules.units[unit_word]
            low, high = low * factor, high * factor
            unit = "km"
        elif unit_word in rules.percent_forms:
            unit = "%"
        out.append(Quantity(m.group(0), m.start(), m.end(), low, high, approx, unit))
    return out


def parse_quantity(text: str, rules: ClaimRules | None = None) -> Quantity | None:
    """The quantity a short phrase states ("909-kilometer", "around 900 kilometres", "nine")."""
    found = find_quantities(text.strip(), rules)
    return found[0] if found else None


def parse_number(text: str, rules: ClaimRules | None = None) -> float | None:
    """The number a short phrase states, in its base unit (km for lengths); None if there is none."""
    q = parse_quantity(text, rules)
    return q.value if q else None


# -- claims and disagreements ----------------------------------------------------------------------
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
        frame = store.sql("SELECT * EXCLUDE (position) FROM disagreement_rows ORDER BY position")
        rows = records(frame)
        for r in rows:
            for key in ("number_a", "number_b", "unit"):
                if isinstance(r[key], float) and r[key] != r[key]:
                    r[key] = None
            for key in ("index_a", "index_b"):
                r[key] = int(r[key])
        return rows
    return _disagreement_rows(store, rules or load_claim_rules())


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


def _disagreement_rows(store: Store, rules: ClaimRules, *,
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
