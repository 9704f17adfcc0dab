"""One evaluation: :func:`evaluate` scores a store (or a fresh ingest) against a gold file into
an :class:`EvalReport`, and :func:`format_text` writes it for a reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detente.errors import QueryError
from detente.evaluate.actors import mentions_by_doc, score_aliases
from detente.evaluate.extracted import document_keys, predicted_events
from detente.evaluate.gold import Gold, load_gold
from detente.evaluate.matching import NONE, Aligner, score_events
from detente.evaluate.text import DocText
from detente.evaluate.triads import score_triads
from detente.store import Store


@dataclass
class EvalReport:
    """Every figure of one evaluation; :meth:`to_dict` is the JSON of ``--format json``."""

    gold_path: str
    documents: int
    missing_documents: list[str]
    events: dict[str, float]
    fields: dict[str, dict[str, float]]
    by_type: dict[str, dict[str, float]]
    confusion: dict[str, dict[str, int]]
    misses: list[dict[str, Any]]
    false_positives: list[dict[str, Any]]
    negative_violations: list[dict[str, Any]]
    optional_matched: int
    aliases: dict[str, Any]
    triads: dict[str, Any] | None
    published: dict[str, float]
    unlocated: list[dict[str, str]]
    include_flagged: bool = False

    @property
    def date_accuracy(self) -> tuple[float, float]:
        """(strict, lenient) date accuracy over matched events with a gold date."""
        return self.fields["date_strict"]["accuracy"], self.fields["date_lenient"]["accuracy"]

    def headline(self) -> dict[str, float]:
        """The figures the regression test guards."""
        return {"event_precision": self.events["precision"], "event_recall": self.events["recall"],
                "event_f1": self.events["f1"], "alias_recall": float(self.aliases["recall"]),
                "date_strict": float(self.date_accuracy[0]),
                "triad_f1": self._triad_f1()}

    def _triad_f1(self) -> float:
        without_kind = (self.triads or {}).get("without_kind")
        return float(without_kind.get("f1", 0.0)) if isinstance(without_kind, dict) else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold_path, "documents": self.documents,
                "missing_documents": self.missing_documents, "include_flagged": self.include_flagged,
                "headline": self.headline(), "events": self.events, "fields": self.fields,
                "dates": {"strict": self.date_accuracy[0], "lenient": self.date_accuracy[1]},
                "by_type": self.by_type, "optional_matched": self.optional_matched,
                "aliases": self.aliases, "triads": self.triads, "published": self.published,
                "confusion": self.confusion, "misses": self.misses,
                "false_positives": self.false_positives,
                "negative_violations": self.negative_violations, "unlocated_quotes": self.unlocated}


def evaluate(gold_path: Path, *, store: Store | None = None, paths: Sequence[Path] = (),
             include_flagged: bool = False, pipeline: Any = None) -> EvalReport:
    """Score ``store``, or a fresh in-memory ingest of ``paths``, against the gold file.

    ``pipeline`` (a loaded :class:`~detente.pipeline.Pipeline`) avoids loading the models again
    when ``paths`` are ingested. Raises :class:`~detente.errors.DataFileError` for a bad gold
    file and :class:`~detente.errors.QueryError` when there is nothing to score.
    """
    gold = load_gold(Path(gold_path))
    if paths:
        from detente.batch import ingest

        own = Store(":memory:")
        try:
            result = ingest(list(paths), own, pipeline=pipeline)
            if result.documents == 0 and result.failures:
                raise QueryError("nothing could be ingested: " + "; ".join(
                    f.message for f in result.failures[:3]))
            return evaluate_store(gold, own, include_flagged=include_flagged)
        finally:
            own.close()
    if store is None:
        raise QueryError("evaluate needs a store or input paths to ingest")
    return evaluate_store(gold, store, include_flagged=include_flagged)


def evaluate_store(gold: Gold, store: Store, *, include_flagged: bool = False) -> EvalReport:
    """Score an open store against a parsed gold file (only the gold's documents count)."""
    wanted = {d.key for d in gold.documents}
    keys = {d: v for d, v in document_keys(store).items() if v[0] in wanted}
    texts = {v[0]: DocText(v[1]) for v in keys.values()}
    aligner = Aligner(texts)
    preds = [p for p in predicted_events(store, keys, include_flagged=include_flagged)
             if p.doc in wanted]
    scored = score_events(gold, preds, aligner)
    stored_pub = {v[0]: (v[2], v[3]) for v in keys.values()}
    judged = [d for d in gold.documents if d.published is not None and d.key in stored_pub]
    right = sum(1 for d in judged if d.published is not None
                and stored_pub[d.key] == (d.published.value, d.published.precision))
    return EvalReport(
        gold_path=gold.path, documents=len(texts), missing_documents=sorted(wanted - set(texts)),
        events=scored["events"], fields=scored["fields"], by_type=scored["by_type"],
        confusion=scored["confusion"], misses=scored["misses"],
        false_positives=scored["false_positives"],
        negative_violations=scored["negative_violations"],
        optional_matched=scored["optional_matched"],
        aliases=score_aliases(gold, texts, mentions_by_doc(store, keys)),
        triads=score_triads(gold, store),
        published={"correct": right, "judged": len(judged),
                   "accuracy": right / len(judged) if judged else 0.0},
        unlocated=[{"doc": d, "sentence": s} for d, s in sorted(aligner.unlocated) if d in texts],
        include_flagged=include_flagged)


# -- text ----------------------------------------------------------------------------------------
def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def format_text(report: EvalReport) -> str:
    """A readable report: headline figures, field scores, actors, triads, confusion, errors."""
    ev = report.events
    out = [f"gold: {report.gold_path}   documents scored: {report.documents}"]
    if report.missing_documents:
        out.append("not in the store: " + ", ".join(report.missing_documents))
    out += ["", f"events       P {_pct(ev['precision'])}  R {_pct(ev['recall'])}  F1 {_pct(ev['f1'])}"
            f"   ({ev['tp']} matched of {ev['gold']} required gold, {ev['predicted']} extracted;"
            f" {report.optional_matched} optional matched)", "",
            "matched events          exact      mean credit"]
    labels = {"type": "type (primary)", "actor": "actor codes", "recipient": "recipient codes",
              "date_strict": "date strict", "date_lenient": "date lenient", "place": "place"}
    for name, label in labels.items():
        f = report.fields[name]
        out.append(f"  {label:<18} {_pct(f['accuracy'])} {f['correct']:>3}/{f['judged']:<3}"
                   + (f"  {f['credit']:.2f}" if name != "date_lenient" else ""))
    pub = report.published
    out.append(f"  {'article dates':<18} {_pct(pub['accuracy'])} {pub['correct']:>3}/{pub['judged']}")
    al = report.aliases
    out += ["", f"actors       alias recall {_pct(al['recall'])} ({al['mapped']}/{al['forms']} forms);"
            f" groups resolved {_pct(al['groups_resolved']).strip()} of {al['groups']};"
            f" false merges {al['false_merges']}/{al['must_not_merge']}"]
    for g in al["by_group"]:
        if not g["resolved"]:
            miss = ", ".join(f"{f!r} -> {i}" for f, i in g["missing"].items())
            out.append(f"  [{g['doc']}] {g['code']} {g['forms'][0]!r} -> {g['actor_id']}"
                       + (f"; not mapped: {miss}" if miss else "; wrong code or sector"))
    for m in al["false_merge_pairs"]:
        out.append(f"  false merge [{m['doc']}]: {m['a']!r} and {m['b']!r} are both {m['actor_id']}")
    tr = report.triads
    if tr is None:
        out += ["", "triads       (no triad finder available)"]
    else:
        wk, nk = tr["without_kind"], tr["with_kind"]
        out += ["", f"triads       P {_pct(wk['precision'])}  R {_pct(wk['recall'])}  F1 {_pct(wk['f1'])}"
                f"   with kind: P {_pct(nk['precision'])}  R {_pct(nk['recall'])}  F1 {_pct(nk['f1'])}"]
        bd = tr.get("by_document")
        if bd:
            out.append(f"  per document: P {_pct(bd['precision'])}  R {_pct(bd['recall'])}  "
                       f"({bd['gold']} gold, {bd['found']} found)   kind right {_pct(bd['kind_right'])}"
                       f"  (hosted = facilitated: {_pct(bd['kind_close'])})")
        out += [f"  missed: {t['mediator']} between {' and '.join(t['parties'])}" for t in tr["missed"]]
        out += [f"  spurious: {t['mediator']} between {' and '.join(t['parties'])}"
                for t in tr["spurious"]]
    out += ["", "by type (gold, extracted, recall, precision)"]
    out += [f"  {t:<10} {v['gold']:>3} {v['predicted']:>4}  {_pct(v['recall'])} {_pct(v['precision'])}"
            for t, v in report.by_type.items()]
    cols = [*sorted({c for row in report.confusion.values() for c in row} - {NONE}), NONE]
    rows = [*sorted(set(report.confusion) - {NONE}), *([NONE] if NONE in report.confusion else [])]
    w = max(len(c) for c in cols + rows)
    out += ["", "confusion (rows: gold type, columns: extracted type)",
            " " * (w + 1) + " ".join(f"{c[:4]:>4}" for c in cols)]
    for r in rows:
        out.append(f"{r:<{w}} " + " ".join(f"{report.confusion[r].get(c, 0) or '.':>4}" for c in cols))
    out += ["", f"misses ({len(report.misses)})"]
    out += [f"  [{m['doc']}] {m['id']} {m['type']} {'+'.join(m['actor'])} -> "
            f"{'+'.join(m['recipient'])}: {m['sentence']}" for m in report.misses]
    out += ["", f"false positives ({len(report.false_positives)})"]
    out += [f"  [{p['doc']}] {p['type']} {'+'.join(p['actor'])} -> {'+'.join(p['recipient'])}: "
            f"{p['sentence']}" for p in report.false_positives]
    if report.negative_violations:
        out += ["", f"negative violations ({len(report.negative_violations)})"]
        out += [f"  [{p['doc']}] {p['type']}: {p['sentence']}" for p in report.negative_violations]
    if report.unlocated:
        out += ["", "gold quotes not found in their article (aligned by substring instead)"]
        out += [f"  [{u['doc']}] {u['sentence']}" for u in report.unlocated]
    return "\n".join(out) + "\n"
