"""The actor network: actors joined by the events between them and by the triads they mediate,
exported as GraphML or node-link JSON, or read back as linking precomputed it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from detente.analysis.dyads import representatives
from detente.analysis.stored import views_fresh
from detente.errors import QueryError
from detente.link import canonical_map, compute_triads, load_mentions, load_plover_table
from detente.store import Store, frame_rows, reports


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
    frame = reports.node_name_candidates(store)
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
    events = representatives([m for m in mentions if not m.flagged], canon)
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
        for row in frame_rows(reports.actor_memberships(store)):
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


NODE_KEYS = ("name", "kind", "events", "mediations", "broker", "degree", "weighted_degree",
              "betweenness")
EDGE_KEYS = ("events", "cooperation", "conflict", "goldstein_sum", "mediation", "member", "weight")


def _stored_network(store: Store, shuttle_window_days: int) -> nx.Graph[str] | None:
    if not views_fresh(store, shuttle_window_days=shuttle_window_days):
        return None
    graph: nx.Graph[str] = nx.Graph()
    for row in reports.network_node_rows(store):
        graph.add_node(row["node"], **{k: _plain_number(row[k]) for k in NODE_KEYS})
    for row in reports.network_edge_rows(store):
        graph.add_edge(row["source"], row["target"],
                       **{k: _plain_number(row[k]) for k in EDGE_KEYS})
    return graph


def _plain_number(value: Any) -> Any:
    """numpy scalars from a DataFrame as the Python ints, floats and bools the graph had."""
    return value.item() if hasattr(value, "item") else value
