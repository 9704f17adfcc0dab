"""Scoring mediation triads, pooled over the gold documents (with and without their kind), and
per document (:func:`detente.evaluate.linking.score_triads_by_document`: a triad counts for each
document that tells it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from detente.evaluate.gold import Gold, GoldTriad
from detente.evaluate.measures import prf
from detente.store import Store, records


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
    scores = triad_scores(gold.triads, pred_kind)
    if gold.path and Path(gold.path).is_file():
        from detente.evaluate.extracted import document_keys
        from detente.evaluate.linking import gold_triads, score_triads_by_document

        keys = {d: v[0] for d, v in document_keys(store).items()}
        scores["by_document"] = score_triads_by_document(gold_triads(Path(gold.path)), rows, keys)
    return scores


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
