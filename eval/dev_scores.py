"""Per-type precision and recall on the team's development corpus, tune and held-out parts side
by side. The generic-actor check (matched events whose gold actor or recipient has a sector: is
the predicted sector and country right?) is ``eval/generic_actors.py``; ``make eval`` runs both.

``python eval/dev_scores.py [DEV_DIR] [--json OUT]`` (DEV_DIR: ``eval/dev`` by default; a part
is scored when ``PART.gold.yaml`` and ``PART/`` exist). Nothing is tuned here: it only reports.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from detente.evaluate import evaluate
from detente.pipeline import Pipeline

PARTS = ("tune", "heldout")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dev", nargs="?", type=Path, default=Path(__file__).resolve().parent / "dev")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--parts", default=",".join(PARTS))
    args = ap.parse_args(argv)
    parts = [p for p in args.parts.split(",") if (args.dev / f"{p}.gold.yaml").exists()
             and (args.dev / p).is_dir()]
    if not parts:
        print(f"dev corpus: nothing to score under {args.dev}")
        return 0
    pipeline = Pipeline.load()
    reports = {p: evaluate(args.dev / f"{p}.gold.yaml", paths=[args.dev / p], pipeline=pipeline)
               for p in parts}
    sys.stdout.write(format_dev(reports))
    if args.json:
        args.json.write_text(json.dumps({p: r.to_dict() for p, r in reports.items()}, indent=1) + "\n",
                             encoding="utf-8")
    return 0


def format_dev(reports: dict[str, Any]) -> str:
    parts = list(reports)
    types = sorted({t for r in reports.values() for t in r.by_type})
    head = "  ".join(f"{p:>24}" for p in parts)
    out = ["dev corpus: per-type recall / precision (gold, extracted)", f"  {'type':<10} {head}"]
    for t in types:
        cells = []
        for p in parts:
            v = reports[p].by_type.get(t)
            cells.append(f"{'-':>24}" if v is None
                         else _cell(v["recall"], v["precision"], v["gold"], v["predicted"]))
        out.append(f"  {t:<10} " + "  ".join(cells))
    out.append(f"  {'all':<10} " + "  ".join(
        _cell(r.events["recall"], r.events["precision"], r.events["gold"], r.events["predicted"])
        for r in reports.values()))
    for p, r in reports.items():
        bd = (r.triads or {}).get("by_document")
        if bd:
            out.append(f"  {p}: triads per document P {100 * bd['precision']:.1f} R {100 * bd['recall']:.1f}"
                       f" ({bd['gold']} gold, {bd['found']} found), kind right "
                       f"{100 * bd['kind_right']:.1f}% (hosted = facilitated {100 * bd['kind_close']:.1f}%)")
    for p, r in reports.items():
        f = r.fields
        out.append(f"  {p}: type {100 * f['type']['accuracy']:.1f}%"
                   f"  actor codes {100 * f['actor']['accuracy']:.1f}%"
                   f"  recipient codes {100 * f['recipient']['accuracy']:.1f}%  ({r.documents} documents)")
    return "\n".join(out) + "\n"


def _cell(recall: float, precision: float, gold: int, predicted: int) -> str:
    return f"R {100 * recall:5.1f} P {100 * precision:5.1f} ({gold:>3},{predicted:>4})"


if __name__ == "__main__":
    raise SystemExit(main())
