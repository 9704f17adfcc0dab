"""Cost of one large document: peak memory and seconds for single files of 1, 2, 5 and 20 MB and
for one 40 KB sentence (``python benchmarks/size.py``).

Each case is a text written here (news-style sentences built from a few templates and a list of
countries, capitals and offices; nothing from any corpus), saved as one ``.txt`` file and
ingested with :func:`detente.batch.ingest` into a fresh DuckDB file store (linking included) in a
fresh child process, so that the peak resident set size (``ru_maxrss``) is that case's own.
Model loading is timed apart from the ingest. The size limit is lifted for the run (``max_bytes``
is set above the file's size), so a case over the default limit is measured too; with
``--default-limit`` it is kept, and a larger file's refusal (its seconds, memory and message) is
what is measured.

Usage::

    python benchmarks/size.py                        # every case, table on stdout
    python benchmarks/size.py --cases 1mb,sentence   # some of them
    python benchmarks/size.py --json out.json --write docs/benchmarks.md

``--write`` replaces the part of the file between ``<!-- size:start -->`` and
``<!-- size:end -->`` (appending the block when the markers are missing); ``--json`` keeps the
raw figures. ``--timeout`` (seconds, per case) stops a case that runs too long; it is reported
as not finished.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- size:start -->", "<!-- size:end -->"
MB = 1_000_000

CASES: dict[str, tuple[str, int]] = {  # name: (kind, bytes)
    "1mb": ("article", 1 * MB),
    "2mb": ("article", 2 * MB),
    "5mb": ("article", 5 * MB),
    "20mb": ("article", 20 * MB),
    "sentence": ("sentence", 40_000),
}

# -- texts -------------------------------------------------------------------------------------
_COUNTRIES = [("Pakistan", "Islamabad", "Pakistani"), ("Iran", "Tehran", "Iranian"),
              ("Kenya", "Nairobi", "Kenyan"), ("Peru", "Lima", "Peruvian"),
              ("Norway", "Oslo", "Norwegian"), ("Vietnam", "Hanoi", "Vietnamese"),
              ("Egypt", "Cairo", "Egyptian"), ("Chile", "Santiago", "Chilean"),
              ("Turkey", "Ankara", "Turkish"), ("Ghana", "Accra", "Ghanaian"),
              ("Japan", "Tokyo", "Japanese"), ("Mexico", "Mexico City", "Mexican")]
_OFFICES = ["foreign minister", "defence minister", "prime minister", "army chief",
            "trade envoy", "interior minister"]
_MONTHS = ["January", "March", "May", "July", "September", "November"]
_SENTENCES = [
    "The {dem} {office} met his counterpart from {country2} in {capital} on {month} {day}.",
    "{country} accused {country2} of supporting armed groups along the border.",
    "Officials in {capital} said the two governments agreed to reopen the crossing.",
    "{country2} offered to host talks between {country} and its neighbours later this year.",
    "Police in {capital} arrested several protesters outside the embassy of {country2}.",
    "The {office} of {country} urged {country2} to release the detained fishermen.",
    "{country} and {country2} signed an agreement on trade and energy in {capital}.",
    "A spokesman for the {dem} government rejected the demand as interference.",
]
_CLAUSES = [
    "the {dem} {office} said that {country} would not accept the demand",
    "officials in {capital} warned of new measures against {country2}",
    "{country2} called for calm along the border",
    "protesters gathered outside the ministry in {capital}",
    "the talks were expected to resume in {month}",
]


def _fill(template: str, rng: random.Random, n: int) -> str:
    (country, capital, dem), (country2, _, _) = rng.sample(_COUNTRIES, 2)
    return template.format(country=country, capital=capital, dem=dem, country2=country2,
                           office=rng.choice(_OFFICES), month=rng.choice(_MONTHS),
                           day=rng.randint(1, 28)) if "{" in template else template + f" {n}"


def article_text(size: int, seed: int = 1) -> str:
    """A news-style article of about ``size`` bytes: a title, a date line and paragraphs of
    three to six sentences."""
    rng = random.Random(seed)
    parts = ["Neighbours trade accusations and offers of talks", "", "March 3, 2024", ""]
    total = sum(len(p) + 1 for p in parts)
    n = 0
    while total < size:
        para = " ".join(_fill(rng.choice(_SENTENCES), rng, (n := n + 1)) for _ in range(rng.randint(3, 6)))
        parts += [para, ""]
        total += len(para) + 2
    return "\n".join(parts)


def sentence_text(size: int, seed: int = 2) -> str:
    """One sentence of about ``size`` bytes: clauses joined by commas and "and", no full stop
    until the end."""
    rng = random.Random(seed)
    clauses: list[str] = []
    total = 0
    while total < size:
        clause = _fill(rng.choice(_CLAUSES), rng, 0)
        clauses.append(clause)
        total += len(clause) + 6
    body = ", and ".join(clauses)
    return "Talks stall over the border\n\nMarch 3, 2024\n\n" + body[0].upper() + body[1:] + "."


# -- one case, in a child process ------------------------------------------------------------
def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds of this process: on a shared machine the fairer figure (wall seconds grow with
    the other users' load)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_case(name: str, lift: bool = True) -> dict[str, Any]:
    from detente.batch import ingest
    from detente.ingest import IngestOptions
    from detente.pipeline import Pipeline
    from detente.store import Store

    kind, size = CASES[name]
    text = article_text(size) if kind == "article" else sentence_text(size)
    # counted without making a list of the words (3 million strings for 20 MB: 250 MB, which the
    # peak resident size would otherwise show as the ingest's)
    n_bytes, n_words = len(text.encode("utf-8")), sum(1 for _ in re.finditer(r"\S+", text))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        pipeline = Pipeline.load()
        loaded = time.perf_counter()
        cpu_loaded = cpu_s()
        peak_before = peak_mb()  # the models and the generated text, before the ingest
        with Store(Path(tmp) / "store.duckdb") as store:
            options = IngestOptions(max_bytes=path.stat().st_size + 1) if lift else IngestOptions()
            report = ingest([path], store, pipeline=pipeline, ingest_options=options)
            sentences = int(store.sql("SELECT count(*) AS n FROM sentences")["n"][0])
        done = time.perf_counter()
    return {"case": name if lift else f"{name} (default limit)", "kind": kind,
            "bytes": n_bytes, "words": n_words,
            "load_s": round(loaded - start, 1), "seconds": round(done - loaded, 1),
            "cpu_s": round(cpu_s() - cpu_loaded, 1),
            "peak_rss_mb": round(peak_mb()), "peak_before_ingest_mb": round(peak_before),
            "documents": report.documents, "events": report.events,
            "sentences": sentences, "failures": [f.message for f in report.failures]}


# -- the parent --------------------------------------------------------------------------------
def measure(name: str, timeout: float, lift: bool = True) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", name, *([] if lift else ["--default-limit"])]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"case": name, "kind": CASES[name][0], "bytes": CASES[name][1],
                "error": f"not finished within {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"case": name, "kind": CASES[name][0], "bytes": CASES[name][1],
                "error": f"exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}"}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| case | bytes | words | sentences | wall s | CPU s | KB/CPU s | peak RSS MB | events "
             "| load s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['case']} | {r['bytes']:,} | - | - | {r['error']} | - | - | - | - | - |")
            continue
        refused = not r["documents"] and r["failures"]
        rate = "-" if refused else f"{r['bytes'] / 1000 / max(r['cpu_s'], 0.1):,.1f}"
        events = f"refused: {r['failures'][0].split(': ', 1)[-1]}" if refused else f"{r['events']:,}"
        lines.append(f"| {r['case']} | {r['bytes']:,} | {r['words']:,} | {r['sentences']:,} | "
                     f"{r['seconds']:,} | {r['cpu_s']:,} | {rate} | {r['peak_rss_mb']:,} | "
                     f"{events} | {r['load_s']} |")
    return "\n".join(lines)


def block(results: list[dict[str, Any]]) -> str:
    machine = f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    return (f"{START}\n_Generated by `python benchmarks/size.py` on {time.strftime('%Y-%m-%d')} "
            f"({machine})._\n\n{table(results)}\n{END}")


def write(path: Path, results: list[dict[str, Any]]) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    new = block(results)
    if START in old and END in old:
        head, rest = old.split(START, 1)
        text = head + new + rest.split(END, 1)[1]
    else:
        text = old.rstrip("\n") + "\n\n" + new + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per case")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    parser.add_argument("--write", type=Path, help="markdown file whose size block to replace")
    parser.add_argument("--default-limit", action="store_true",
                        help="keep the default --max-bytes (a larger file is refused: its failure is shown)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, lift=not args.default_limit)))
        return 0
    names = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in names if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; choose from {', '.join(CASES)}")
    results = []
    for name in names:
        results.append(measure(name, args.timeout, lift=not args.default_limit))
        print(json.dumps(results[-1]), flush=True)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.write:
        write(args.write, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
