"""Scoring the cross-document stages: mediation triads per document and linking as pairwise F1.

* :func:`score_triads_by_document`: each document's triads (those whose ``doc_ids`` include it)
  against its gold ``mediation`` entries (``detente-gold/1``): precision and recall of
  (mediator, unordered parties), and the share of matched triads whose kind is right
  (``kind_right``; ``kind_close`` also takes ``hosted`` for ``facilitated`` and back).
* :func:`pairwise_scores`: clusterings compared as sets of linked pairs (precision, recall, F1),
  with must-not-link pairs counted separately.
* :func:`evaluate_linking`: a linking set (``eval/linking/*.yaml``, format ``detente-linking/1``)
  of reports grouped by happening, ingested and linked, scored by :func:`pairwise_scores`.

Run ``python -m detente.evaluate.linking mediation GOLD PATH...``, ``... linking SET.yaml`` or
``... linking-gold SET.yaml PART|all GOLD.yaml... DIR...`` (groups of gold event ids).
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.datafiles import load_yaml
from detente.errors import DataFileError, QueryError
from detente.evaluate.extracted import document_keys
from detente.evaluate.gold import doc_key, load_gold
from detente.evaluate.measures import prf
from detente.link.mediation import strongest
from detente.store import Store, frame_rows
from detente.store import reports as store_reports

# -- triads ----------------------------------------------------------------------------------------
# hosting is the facilitation of talks on one's territory: annotators who keep no "hosted" kind
# write "facilitated" for a venue's state, so ``kind_close`` counts the two as one
CLOSE_KINDS = frozenset({"hosted", "facilitated"})


def gold_triads(path: Path) -> dict[str, dict[tuple[str, frozenset[str]], str]]:
    """Per gold document key, its triads (mediator, parties) and their kinds; the file is
    validated by :func:`detente.evaluate.load_gold` first. Documents without triads are kept."""
    load_gold(Path(path))
    raw = load_yaml(Path(path))
    out: dict[str, dict[tuple[str, frozenset[str]], str]] = {}
    for d in raw.get("documents") or []:
        key = doc_key(str(d["file"]), d.get("record"))
        out[key] = {(str(t["mediator"]).upper(), frozenset(str(p).upper() for p in t["parties"])):
                    str(t.get("kind") or "") for t in d.get("mediation") or []}
    return out


def score_triads_by_document(gold: Mapping[str, Mapping[tuple[str, frozenset[str]], str]],
                             rows: Iterable[Mapping[str, Any]],
                             doc_keys: Mapping[str, str]) -> dict[str, Any]:
    """``gold``: :func:`gold_triads`; ``rows``: triads (with ``doc_ids``); ``doc_keys``: stored
    doc_id -> gold document key. Only the gold's documents are scored."""
    pred: dict[str, dict[tuple[str, frozenset[str]], list[str]]] = defaultdict(dict)
    for r in rows:
        for d in r.get("doc_ids") or []:
            key = doc_keys.get(d)
            if key is not None:
                pred[key].setdefault((str(r["mediator"]), frozenset((str(r["party_a"]),
                                                                      str(r["party_b"])))),
                                     []).append(str(r["kind"]))
    n_gold = n_pred = tp = kind_right = kind_close = 0
    missed, spurious, wrong_kind = [], [], []
    for doc in sorted(gold):
        g, p = gold[doc], pred.get(doc, {})
        n_gold += len(g)
        n_pred += len(p)
        for triad, kind in sorted(g.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]))):
            row = {"doc": doc, "mediator": triad[0], "parties": sorted(triad[1]), "kind": kind}
            if triad not in p:
                missed.append(row)
                continue
            tp += 1
            got = strongest(p[triad])
            if got == kind:
                kind_right += 1
            if got == kind or {got, kind} <= CLOSE_KINDS:
                kind_close += 1
            if got != kind:
                wrong_kind.append({**row, "found": got})
        spurious += [{"doc": doc, "mediator": m, "parties": sorted(ps), "kind": strongest(k)}
                     for (m, ps), k in sorted(p.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1])))
                     if (m, ps) not in g]
    return {**prf(tp, n_pred, n_gold), "gold": n_gold, "found": n_pred, "matched": tp,
            "kind_right": kind_right / tp if tp else 0.0,
            "kind_close": kind_close / tp if tp else 0.0, "missed": missed,
            "spurious": spurious, "wrong_kind": wrong_kind}


def evaluate_mediation(gold_path: Path, paths: Sequence[Path], *, pipeline: Any = None) -> \
        dict[str, Any]:
    """Ingest ``paths`` into a fresh in-memory store and score its triads per document."""
    from detente.batch import ingest
    from detente.link import compute_triads

    gold = gold_triads(Path(gold_path))
    store = Store(":memory:")
    try:
        result = ingest(list(paths), store, pipeline=pipeline)
        if result.documents == 0:
            raise QueryError(f"nothing could be ingested from {', '.join(map(str, paths))}")
        keys = {d: v[0] for d, v in document_keys(store).items()}
        return score_triads_by_document(gold, compute_triads(store), keys)
    finally:
        store.close()


# -- linking ---------------------------------------------------------------------------------------
def pairwise_scores(gold_groups: Iterable[Iterable[str]], predicted: Mapping[str, Iterable[str]],
                    items: Iterable[str] | None = None,
                    apart: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    """Pairwise precision, recall and F1 of a clustering.

    ``gold_groups``: sets of items that tell one happening; ``predicted``: item -> the cluster
    ids it was put in (an item may sit in several, e.g. a report coded as two events); ``items``:
    the items scored (default: those in the gold groups); ``apart``: pairs that must not link.
    A pair is predicted linked when the two items share a cluster id.
    """
    groups = [sorted(set(g)) for g in gold_groups]
    scored = sorted(set(items) if items is not None else {i for g in groups for i in g})
    gold_pairs = {frozenset(p) for g in groups for p in itertools.combinations(g, 2)}
    clusters = {i: set(predicted.get(i, ())) for i in scored}
    pred_pairs = {frozenset((a, b)) for a, b in itertools.combinations(scored, 2)
                  if clusters[a] & clusters[b]}
    tp = len(gold_pairs & pred_pairs)
    must_not = {frozenset(p) for p in apart}
    joined = sorted(sorted(p) for p in must_not & pred_pairs)
    return {**prf(tp, len(pred_pairs), len(gold_pairs)), "gold_pairs": len(gold_pairs),
            "predicted_pairs": len(pred_pairs), "apart_pairs": len(must_not),
            "apart_joined": joined,
            "missed_pairs": sorted(sorted(p) for p in gold_pairs - pred_pairs),
            "false_pairs": sorted(sorted(p) for p in pred_pairs - gold_pairs)}


@dataclass
class LinkingSet:
    """A linking test set: reports (id -> article fields), gold groups and must-stay-apart pairs."""

    path: Path
    reports: dict[str, dict[str, Any]]
    groups: list[list[str]]
    apart: list[tuple[str, str]]
    types: dict[str, str]  # report id -> the PLOVER type (family) its happening is coded as


def load_linking_set(path: Path) -> LinkingSet:
    """Read a ``detente-linking/1`` file: ``groups`` (each: ``type`` and ``reports``, each with
    ``id``, ``published``, ``source``, ``text``) and ``apart`` (pairs of report ids)."""
    raw = load_yaml(Path(path))
    if not isinstance(raw, dict) or raw.get("format") != "detente-linking/1":
        raise DataFileError(path, "expected 'format: detente-linking/1'")
    reports: dict[str, dict[str, Any]] = {}
    groups: list[list[str]] = []
    types: dict[str, str] = {}
    for gi, g in enumerate(raw.get("groups") or []):
        if not isinstance(g, dict) or not isinstance(g.get("reports"), list) or not g["reports"]:
            raise DataFileError(path, f"groups[{gi}]: needs a non-empty 'reports' list")
        ids = []
        for r in g["reports"]:
            rid = str(r.get("id") or "")
            if not rid or rid in reports:
                raise DataFileError(path, f"groups[{gi}]: report id {rid!r} missing or repeated")
            for key in ("published", "text"):
                if not r.get(key):
                    raise DataFileError(path, f"report {rid}: needs '{key}'")
            reports[rid] = r
            types[rid] = str(g.get("type") or "").upper()
            ids.append(rid)
        groups.append(ids)
    apart = []
    for pair in raw.get("apart") or []:
        if not isinstance(pair, list) or len(pair) != 2 or not all(p in reports for p in pair):
            raise DataFileError(path, f"apart: {pair!r} is not a pair of known report ids")
        apart.append((str(pair[0]), str(pair[1])))
    return LinkingSet(Path(path), reports, groups, apart, types)


def evaluate_linking(path: Path, *, pipeline: Any = None, window_days: int | None = None) -> \
        dict[str, Any]:
    """Ingest every report of a linking set as one article, link, and score pairwise.

    A report's clusters are the canonical events of its events of the group's type family (all
    its events when the group names no type or none of them has it: ``other_type``).
    """
    from detente.batch import ingest
    from detente.link import link_events

    ls = load_linking_set(path)
    store = Store(":memory:")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for rid, r in ls.reports.items():
                f = Path(tmp) / f"{rid}.jsonl"
                f.write_text(json.dumps({"id": rid, "date": str(r["published"]),
                                         "source": r.get("source") or "",
                                         "title": r.get("title") or "",
                                         "text": str(r["text"]).strip()}) + "\n", encoding="utf-8")
                files.append(f)
            ingest(files, store, pipeline=pipeline)
        if window_days is None:
            link_events(store)
        else:
            link_events(store, window_days=window_days)
        frame = store_reports.linked_record_events(store)
        from detente.link import load_plover_table

        family = load_plover_table().family
        typed: dict[str, set[str]] = defaultdict(set)
        every: dict[str, set[str]] = defaultdict(set)
        for row in frame_rows(frame):
            want = ls.types.get(str(row.rid))
            every[str(row.rid)].add(str(row.canonical_id))
            if not want or family(str(row.event)) == family(want):
                typed[str(row.rid)].add(str(row.canonical_id))
        # a report coded with another type than its group's keeps all its events
        predicted = {rid: typed.get(rid) or ids for rid, ids in every.items()}
        scores = pairwise_scores(ls.groups, predicted, ls.reports, ls.apart)
        scores["reports"] = len(ls.reports)
        scores["groups"] = len(ls.groups)
        scores["unfound"] = sorted(set(ls.reports) - set(predicted))
        scores["other_type"] = sorted(set(every) - set(typed))
        return scores
    finally:
        store.close()


def evaluate_linking_gold(path: Path, gold_paths: Sequence[Path], text_dirs: Sequence[Path], *,
                          part: str | None = None, pipeline: Any = None) -> dict[str, Any]:
    """Score a linking set whose groups name gold event ids (``events: [d001-1, d002-1]``) and
    whose ``near_misses`` are pairs of gold event ids, as the team's development corpus has it.

    The texts in ``text_dirs`` are ingested and linked; a gold event's clusters are the
    canonical events of the extracted events of its type family whose sentence overlaps the
    gold sentence (all extracted events there when none has its family). ``part``: only the
    groups of that part (``tune``/``heldout``). ``unfound`` lists the gold events the coder
    extracted nothing for (no pair of theirs can link); ``among_found`` scores only the pairs
    whose two events were found, the linker's own share of the figure.
    """
    from detente.batch import ingest
    from detente.evaluate.text import normalise
    from detente.link import link_events, load_plover_table

    raw = load_yaml(Path(path))
    groups = [[str(e) for e in g.get("events") or []] for g in raw.get("groups") or []
              if part is None or g.get("part") == part]
    wanted = {e for g in groups for e in g}
    apart = [(str(n["events"][0]), str(n["events"][1])) for n in raw.get("near_misses") or []
             if len(n.get("events") or []) == 2]
    gold_events: dict[str, tuple[str, str, str]] = {}  # id -> (file, sentence, type)
    for gp in gold_paths:
        for d in (load_yaml(Path(gp)) or {}).get("documents") or []:
            for e in d.get("events") or []:
                gold_events[str(e["id"])] = (str(d["file"]), str(e["sentence"]), str(e["type"]))
    present = {p.name for d in text_dirs for p in Path(d).iterdir()}
    apart = [p for p in apart if all(x in gold_events and gold_events[x][0] in present for x in p)]
    items = sorted(wanted | {x for p in apart for x in p})
    unknown = [i for i in items if i not in gold_events]
    if unknown:
        raise DataFileError(path, f"events not in the gold files: {', '.join(unknown[:5])}")
    names = {gold_events[i][0] for i in items}
    files = sorted({p for d in text_dirs for p in Path(d).iterdir() if p.name in names})
    store = Store(":memory:")
    try:
        ingest(files, store, pipeline=pipeline)
        link_events(store)
        frame = store_reports.linked_sentence_events(store)
    finally:
        store.close()
    family = load_plover_table().family
    by_file: dict[str, list[Any]] = defaultdict(list)
    for r in frame.itertuples(index=False):
        by_file[Path(str(r.path)).name].append(r)
    predicted: dict[str, set[str]] = {}
    for i in items:
        file, quote, etype = gold_events[i]
        rows = by_file.get(file, [])
        if not rows:
            continue
        text = str(rows[0].doc_text)
        at = normalise(text).find(normalise(quote))
        # offsets of the normalised text differ little from the raw text's in these short texts
        span = (text.find(quote), text.find(quote) + len(quote)) if quote in text else \
            ((at, at + len(quote)) if at >= 0 else None)
        if span is None:
            continue
        here = [r for r in rows if r.sent_start < span[1] and span[0] < r.sent_end]
        typed = {str(r.canonical_id) for r in here if family(str(r.event)) == family(etype)}
        ids = typed or {str(r.canonical_id) for r in here}
        if ids:
            predicted[i] = ids
    scores = pairwise_scores(groups, predicted, items, apart)
    scores["events"] = len(items)
    scores["groups"] = len(groups)
    scores["unfound"] = sorted(set(items) - set(predicted))
    # the linker's own share: only the gold pairs whose two events the coder found at all
    found = [[i for i in g if i in predicted] for g in groups]
    among = pairwise_scores(found, predicted, sorted(predicted),
                            [p for p in apart if all(x in predicted for x in p)])
    scores["among_found"] = {k: among[k] for k in ("precision", "recall", "f1", "gold_pairs",
                                                   "predicted_pairs", "apart_pairs",
                                                   "apart_joined", "missed_pairs")}
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) >= 3 and args[0] == "mediation":
        paths = [p for a in args[2:] for p in (sorted(Path(a).iterdir()) if Path(a).is_dir()
                                               else [Path(a)])]
        out = evaluate_mediation(Path(args[1]), paths)
    elif len(args) == 2 and args[0] == "linking":
        out = evaluate_linking(Path(args[1]))
    elif len(args) >= 4 and args[0] == "linking-gold":
        # linking-gold SET.yaml PART|all GOLD... DIR...
        golds = [Path(a) for a in args[3:] if a.endswith(".yaml")]
        dirs = [Path(a) for a in args[3:] if not a.endswith(".yaml")]
        out = evaluate_linking_gold(Path(args[1]), golds, dirs,
                                    part=None if args[2] == "all" else args[2])
    else:
        print("usage: python -m detente.evaluate.linking mediation GOLD PATH... | linking SET.yaml | "
              "linking-gold SET.yaml PART|all GOLD.yaml... DIR...", file=sys.stderr)
        return 2
    print(json.dumps(out, indent=1, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
