"""Building the views linking precomputes (claims, disagreements, the actor network), so that
queries and web pages do not compute them over the whole store on every request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from detente.analysis.claims import disagreement_rows, extract_claims
from detente.analysis.network import EDGE_KEYS, NODE_KEYS, compute_network
from detente.analysis.quantities import load_claim_rules
from detente.store import Store
from detente.store.links import LinkStore


def precompute_views(store: Store, triads: Sequence[dict[str, Any]] | None = None, *,
                     shuttle_window_days: int = 14) -> None:
    """Build what the query commands and web pages would otherwise compute over the whole store
    on every request, and write it to the store: the numeric claims, the disagreements between
    documents and the actor network. :func:`detente.relink` calls this after linking, with the
    ``triads`` linking found (without them, the network computes them).

    Each is stamped with the store's fingerprint (:meth:`LinkStore.fingerprint`), so a query
    reads it only while the store is unchanged; ``shuttle_window_days`` is the window the triads
    were found with (the network and the stored triads serve queries with that window only).
    """
    ls = LinkStore(store)
    rules = load_claim_rules()
    claims = extract_claims(store, save=True, rules=rules)
    rows = disagreement_rows(store, rules, claims=claims)
    graph = compute_network(store, shuttle_window_days=shuttle_window_days, triads=triads)
    nodes = [{"position": i, "node": str(n), **{k: graph.nodes[n].get(k) for k in NODE_KEYS}}
             for i, n in enumerate(graph.nodes)]
    edges = [{"position": i, "source": str(u), "target": str(v),
              **{k: data.get(k) for k in EDGE_KEYS}}
             for i, (u, v, data) in enumerate(graph.edges(data=True))]
    ls.replace_views(disagreements=rows, nodes=nodes, edges=edges,
                     state={"fingerprint": ls.fingerprint(),
                            "triad_window": str(int(shuttle_window_days))})
