"""Matching extracted events to gold events, per document, best partial credit first, and the
event scores: P/R/F1, field scores, the confusion table, misses, false positives.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from detente.evaluate.credit import credits, mean_credit
from detente.evaluate.extracted import PredEvent, merge_events
from detente.evaluate.gold import Gold, GoldEvent
from detente.evaluate.measures import prf
from detente.evaluate.text import DocText, normalise

NONE = "none"


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
