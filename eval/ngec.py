"""Breadth on the NGEC synthetic stories: ``python eval/ngec.py [ZIP] [--sample N] [--json OUT]``.

``--sample N`` scores N stories of each type (stratified, fixed seed); without it, all 4,500.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from detente.events.breadth import format_breadth, load_stories, sample_stories, score_breadth
from detente.pipeline import Pipeline

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "ngec-synthetic" / \
    "gpt_synthetic_events_2023-10-19_19.csv.zip"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("stories", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--sample", type=lambda v: int(v) if v else None, default=None,
                    help="stories per type (stratified, fixed seed); empty or absent: all")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--json", type=Path, default=None, help="also write every figure as JSON here")
    args = ap.parse_args(argv)
    if not args.stories.exists():
        print(f"ngec: {args.stories} not found (the synthetic stories live in ../shared/corpus)")
        return 0
    stories = sample_stories(load_stories(args.stories), args.sample, args.seed)
    report = score_breadth(stories, Pipeline.load())
    note = f" (sample of {args.sample} per type, seed {args.seed})" if args.sample else " (all)"
    sys.stdout.write(format_breadth(report, note))
    if args.json:
        args.json.write_text(json.dumps(report.to_dict(), indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
