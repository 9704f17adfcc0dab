"""Scoring actor resolution: the gold alias groups (forms that name one actor) and the pairs
that must not be merged, against the actor ids of the stored mentions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from detente.evaluate.extracted import nonempty
from detente.evaluate.gold import Gold
from detente.evaluate.text import DocText
from detente.store import Store, reports


@dataclass
class _M:
    start: int
    end: int
    actor_id: str | None
    code: str | None
    sector: str | None
    is_place: bool


def mentions_by_doc(store: Store, keys: dict[str, Any]) -> dict[str, list[_M]]:
    frame = reports.mention_spans(store)
    out: dict[str, list[_M]] = defaultdict(list)
    for doc_id, s, e, aid, code, sector, is_place in frame.itertuples(index=False):
        if doc_id in keys:
            out[keys[doc_id][0]].append(_M(int(s), int(e), nonempty(aid), nonempty(code), nonempty(sector),
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
