"""Peak memory of one long ingest (``python benchmarks/memory.py --articles 1600``).

Builds a JSONL corpus of ``--articles`` distinct articles from ``examples/`` (and the seed
articles when ``../shared/corpus/seeds`` is there), each copy carrying names of its own so the
vocabulary keeps meeting new strings, ingests it into a DuckDB file with one worker, and prints
the peak resident memory every ``--every`` documents. A flat curve is what a long ingest needs.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from detente.batch import ingest
from detente.errors import InputError
from detente.ingest import read_paths
from detente.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def build_corpus(path: Path, n: int) -> int:
    sources = [ROOT / "examples"] + ([SEEDS] if SEEDS.is_dir() else [])
    base = [a for a in read_paths(sources) if not isinstance(a, InputError)]
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            art = base[i % len(base)]
            text = f"{art.text}\n\nCopy {i}: Zarq{i}ov met Velt{i}ana in Quorra{i}bad."
            words += len(text.split())
            out.write(json.dumps({"id": f"copy-{i}", "text": text, "title": art.title,
                                  "date": art.published.value if art.published else None}) + "\n")
    return words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1600)
    parser.add_argument("--every", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        words = build_corpus(corpus, args.articles)
        start = time.perf_counter()
        rows: list[tuple[int, float, int]] = []

        def hook(report: object) -> None:
            done = report.documents  # type: ignore[attr-defined]
            if done % args.every == 0:
                rows.append((done, time.perf_counter() - start, peak_mb()))
                print(f"{done:>6} documents  {rows[-1][1]:7.1f} s  peak {rows[-1][2]:,} MB", flush=True)

        with Store(Path(tmp) / "store.duckdb") as store:
            report = ingest([corpus], store, progress=hook)
        elapsed = time.perf_counter() - start
        print(f"done: {report.documents} documents, {words:,} words, {report.events} events in "
              f"{elapsed:.0f} s ({words / elapsed:,.0f} words/s, linking included); "
              f"peak RSS {peak_mb():,} MB")
        if len(rows) >= 2:
            (d0, _, m0), (d1, _, m1) = rows[0], rows[-1]
            print(f"growth from {d0} to {d1} documents: {m1 - m0:+,} MB "
                  f"({(m1 - m0) / max(d1 - d0, 1) * 1000:.1f} MB per 1,000 articles)")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
