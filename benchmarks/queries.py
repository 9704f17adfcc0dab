"""How fast every query command and web route answers on a large store (issue 15, item 4).

The store is built in two steps:

1. **Base**: the articles of ``examples/``, ``eval/dev/tune`` and ``eval/dev/heldout`` are
   ingested once with :func:`detente.batch.ingest` (``--quick``: ``examples/`` only). The base
   store is kept in ``--workdir`` and reused by later runs.
2. **Synthetic scale-up**: the base store is copied and its documents cloned inside DuckDB, with
   their sentences, mentions, events and participants, until it holds ``--articles`` documents.
   Clone *k* of a document gets new ids (``<id>~k``) and every date (publication, event dates)
   shifted by *k* months, so the copies are distinct happenings spread over time rather than
   duplicates of one another. The texts repeat: this measures queries over many rows, not
   the variety of the news. Then the link step (:func:`detente.batch.finish`: canonical events,
   triads and what linking precomputes) runs over the whole store and is timed.

Then each CLI query command runs in a fresh process (``python -m detente ...``, start-up
included) and each web route is requested through the app's test client in a fresh process (the
time is that of the request alone, after one request to a static file and the analysis modules
have warmed the imports, as in a server that has answered its first page).
Printed: seconds and response bytes per command and route, slowest first. Timings on a shared
machine are noisy; no test depends on them.

Usage::

    python benchmarks/queries.py                    # 10,000 articles
    python benchmarks/queries.py --quick            # 300 articles from examples/ (a minute or two)
    python benchmarks/queries.py --articles 2000 --json out.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FULL_BASE = [ROOT / "examples", ROOT / "eval" / "dev" / "tune", ROOT / "eval" / "dev" / "heldout"]
QUICK_BASE = [ROOT / "examples"]


@dataclass
class Timing:
    kind: str  # cli | web | build
    name: str
    seconds: float
    bytes: int
    status: str


# -- building the store ------------------------------------------------------------------------
def build_base(db: Path, paths: list[Path]) -> None:
    """Ingest ``paths`` into a fresh store at ``db`` (linked, as ``detente ingest`` leaves it)."""
    from detente.batch import ingest
    from detente.store import Store

    tmp = db.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    with Store(str(tmp)) as store:
        ingest([p for p in paths if p.exists()], store)
    tmp.rename(db)


_SHIFT_TEXT = """CASE
    WHEN {col} IS NULL THEN NULL
    WHEN length({col}) >= 10 AND try_cast(left({col}, 10) AS DATE) IS NOT NULL
      THEN strftime(CAST(left({col}, 10) AS DATE) + to_months({k}), '%Y-%m-%d') || substr({col}, 11)
    WHEN length({col}) = 7 AND try_cast({col} || '-01' AS DATE) IS NOT NULL
      THEN strftime(CAST({col} || '-01' AS DATE) + to_months({k}), '%Y-%m')
    WHEN length({col}) = 4 AND try_cast({col} AS INTEGER) IS NOT NULL
      THEN CAST(CAST({col} AS INTEGER) + {k} // 12 AS VARCHAR)
    ELSE {col} END"""


def _shift(col: str, k: str = "m.k") -> str:
    return _SHIFT_TEXT.format(col=col, k=k)


def scale_up(base: Path, target: Path, articles: int) -> int:
    """Copy ``base`` to ``target`` and clone its documents until it holds ``articles`` of them.

    Returns the number of documents in ``target``. Derived tables (canonical events, links,
    triads, claims and anything else linking writes) are emptied: the link step rebuilds them.
    """
    import duckdb

    shutil.copyfile(base, target)
    con = duckdb.connect(str(target))
    try:
        n_base = con.execute("SELECT count(*) FROM documents").fetchone()[0]  # type: ignore[index]
        copies = max(math.ceil(articles / max(n_base, 1)), 1)
        con.execute("""
            CREATE TEMP TABLE docmap AS
            SELECT doc_id, doc_id || '~' || k AS new_id, k FROM (
              SELECT doc_id, row_number() OVER (ORDER BY doc_id) - 1 AS i FROM documents) d,
              range(1, ?) r(k)
            WHERE k * ? + i < ?""", [copies, n_base, articles])
        con.execute("BEGIN")
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'documents' "
            "ORDER BY ordinal_position").fetchall()]
        select = {c: f"d.{c}" for c in cols}
        select.update(doc_id="m.new_id", path="d.path || '~' || m.k",
                      published=_shift("d.published"))
        if "record_id" in select:
            select["record_id"] = "CASE WHEN d.record_id IS NULL THEN NULL ELSE d.record_id || '~' || m.k END"
        con.execute(f"INSERT INTO documents SELECT {', '.join(select[c] for c in cols)} "
                    "FROM documents d JOIN docmap m USING (doc_id)")
        for table in ("sentences", "mentions"):
            _clone(con, table, {"doc_id": "m.new_id"}, "FROM {t} x JOIN docmap m USING (doc_id)")
        con.execute("CREATE TEMP TABLE eventmap AS SELECT e.event_id, e.event_id || '~' || m.k "
                    "AS new_id, m.new_id AS new_doc, m.k FROM events e JOIN docmap m USING (doc_id)")
        _clone(con, "events", {
            "event_id": "m.new_id", "doc_id": "m.new_doc", "date": _shift("x.date"),
            "date_end": _shift("x.date_end"), "date_first": "x.date_first + to_months(m.k)",
            "date_last": "x.date_last + to_months(m.k)"},
            "FROM {t} x JOIN eventmap m USING (event_id)")
        _clone(con, "participants", {"event_id": "m.new_id"},
               "FROM {t} x JOIN eventmap m USING (event_id)")
        for table in _derived_tables(con):
            con.execute(f"DELETE FROM {table}")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def _derived_tables(con: Any) -> list[str]:
    own = {"meta", "documents", "sentences", "mentions", "actors", "events", "participants",
           "actor_edits"}
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()
            if r[0] not in own]


def _clone(con: Any, table: str, replace: dict[str, str], source: str) -> None:
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()]
    exprs = [replace.get(c, f"x.{c}") for c in cols]
    con.execute(f"INSERT INTO {table} SELECT {', '.join(exprs)} {source.format(t=table)}")


def link(db: Path) -> float:
    """The link step ``detente ingest`` ends with, over the whole store; its seconds."""
    from detente.batch import IngestReport, finish
    from detente.store import Store

    start = time.perf_counter()
    with Store(str(db)) as store:
        finish(store, IngestReport(documents=1))
    return time.perf_counter() - start


# -- timing ------------------------------------------------------------------------------------
def _busiest_pair(db: Path) -> tuple[str, str]:
    from detente.store import Store

    with Store(str(db), read_only=True) as store:
        frame = store.sql("""
            SELECT least(a.code, r.code) AS x, greatest(a.code, r.code) AS y, count(*) AS n
            FROM participants a JOIN participants r ON a.event_id = r.event_id
            WHERE a.role = 'actor' AND r.role = 'recipient' AND a.code IS NOT NULL
              AND r.code IS NOT NULL AND a.code <> r.code
            GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 1""")
    if frame.empty:
        return "PAK", "IRN"
    return str(frame["x"].iloc[0]), str(frame["y"].iloc[0])


def cli_commands(db: Path, out_dir: Path) -> list[tuple[str, list[str], Path | None]]:
    """(label, arguments, file written or None) for every query command."""
    a, b = _busiest_pair(db)
    d = ["--db", str(db)]
    report = out_dir / "report.html"
    return [
        ("summary", ["summary", *d], None),
        ("docs", ["docs", *d], None),
        ("events", ["events", *d], None),
        ("events --format jsonl", ["events", *d, "--format", "jsonl"], None),
        ("events --canonical", ["events", *d, "--canonical"], None),
        ("actors", ["actors", *d], None),
        (f"dyad {a} {b}", ["dyad", a, b, *d], None),
        ("mediation", ["mediation", *d], None),
        ("network", ["network", *d], None),
        ("conflicts", ["conflicts", *d], None),
        ("report", ["report", *d, "-o", str(report)], report),
    ]


def time_cli(db: Path, out_dir: Path, timeout: float) -> list[Timing]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = []
    for label, args, written in cli_commands(db, out_dir):
        start = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, "-m", "detente", *args], capture_output=True,
                                  env=env, timeout=timeout, check=False)
            status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}: " + \
                proc.stderr.decode(errors="replace").strip().splitlines()[-1:][0][:100] \
                if proc.stderr.strip() else f"exit {proc.returncode}"
            size = len(proc.stdout) + (written.stat().st_size if written and written.exists() else 0)
        except subprocess.TimeoutExpired:
            status, size = f"timeout after {timeout:.0f} s", 0
        out.append(Timing("cli", label, time.perf_counter() - start, size, status))
        print(f"  cli {label}: {out[-1].seconds:.2f} s, {size:,} bytes ({status})", flush=True)
    return out


def web_routes(db: Path) -> list[str]:
    """Every GET route of the web app, with real ids and a real dyad."""
    from detente.store import Store

    a, b = _busiest_pair(db)
    with Store(str(db), read_only=True) as store:
        event_id = store.sql("SELECT event_id FROM events ORDER BY event_id LIMIT 1")["event_id"]
        doc_id = store.sql("SELECT doc_id FROM documents ORDER BY doc_id LIMIT 1")["doc_id"]
    ev = str(event_id.iloc[0]) if len(event_id) else "none"
    doc = str(doc_id.iloc[0]) if len(doc_id) else "none"
    return ["/", f"/events/{ev}", "/documents", f"/documents/{doc}", "/dyad", f"/dyad?a={a}&b={b}",
            "/network", "/mediation", "/disagreements", "/search?q=minister", "/api",
            "/api/events", f"/api/events/{ev}", "/api/actors", "/api/dyads",
            f"/api/dyad?a={a}&b={b}", "/api/network", "/api/mediation", "/api/disagreements",
            "/api/documents", f"/api/documents/{doc}", "/api/search?q=minister"]


def request(db: Path, route: str) -> dict[str, Any]:
    """One GET through the app's test client: seconds (the request only), bytes, status."""
    from fastapi.testclient import TestClient

    import detente.analysis  # noqa: F401  (what a running server has loaded after its first page)
    from detente.web.app import create_app

    client = TestClient(create_app(str(db)), base_url="http://127.0.0.1:8000")
    client.get("/static/app.js")  # the app's imports, once
    start = time.perf_counter()
    response = client.get(route)
    return {"seconds": time.perf_counter() - start, "bytes": len(response.content),
            "status": response.status_code}


def time_web(db: Path, timeout: float) -> list[Timing]:
    """Each route in a child process (so a slow one can be stopped at ``timeout``)."""
    out = []
    for route in web_routes(db):
        try:
            proc = subprocess.run([sys.executable, __file__, "--db", str(db), "--route", route],
                                  capture_output=True, timeout=timeout, check=False)
            got = json.loads(proc.stdout.decode().strip().splitlines()[-1]) if proc.returncode == 0 \
                else None
        except subprocess.TimeoutExpired:
            got = None
            out.append(Timing("web", route, timeout, 0, f"timeout after {timeout:.0f} s"))
        else:
            if got is None:
                tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:]
                out.append(Timing("web", route, 0.0, 0, f"failed: {tail[0][:100] if tail else '?'}"))
            else:
                out.append(Timing("web", route, got["seconds"], got["bytes"],
                                  "ok" if got["status"] == 200 else f"HTTP {got['status']}"))
        print(f"  web {route}: {out[-1].seconds:.2f} s, {out[-1].bytes:,} bytes "
              f"({out[-1].status})", flush=True)
    return out


def table(rows: list[Timing]) -> str:
    lines = ["| kind | command / route | seconds | bytes | status |", "|---|---|---:|---:|---|"]
    for t in sorted(rows, key=lambda t: -t.seconds):
        lines.append(f"| {t.kind} | `{t.name}` | {t.seconds:.2f} | {t.bytes:,} | {t.status} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="documents in the scaled store")
    parser.add_argument("--quick", action="store_true",
                        help="base from examples/ only, 300 articles (unless --articles is given)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "detente-queries",
                        help="where the base and scaled stores are kept between runs")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the scaled store of an earlier run (still re-linked)")
    parser.add_argument("--no-link", action="store_true",
                        help="with --reuse: keep the scaled store's links as they are")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI commands")
    parser.add_argument("--no-web", action="store_true", help="skip the web routes")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per command or route")
    parser.add_argument("--json", type=Path, help="also write the timings as JSON")
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)  # child mode, with --route
    parser.add_argument("--route", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    if args.route:
        print(json.dumps(request(args.db, args.route)))
        return 0
    if args.quick and "--articles" not in (argv if argv is not None else sys.argv[1:]):
        args.articles = 300
    args.workdir.mkdir(parents=True, exist_ok=True)
    base = args.workdir / ("base-quick.duckdb" if args.quick else "base.duckdb")
    build: list[Timing] = []
    if not base.exists():
        print(f"ingesting the base set into {base} ...", flush=True)
        start = time.perf_counter()
        build_base(base, QUICK_BASE if args.quick else FULL_BASE)
        build.append(Timing("build", "ingest base set", time.perf_counter() - start,
                            base.stat().st_size, "ok"))
    scaled = args.workdir / f"store-{'quick-' if args.quick else ''}{args.articles}.duckdb"
    if not (args.reuse and scaled.exists()):
        start = time.perf_counter()
        n = scale_up(base, scaled, args.articles)
        build.append(Timing("build", f"clone to {n:,} documents", time.perf_counter() - start,
                            scaled.stat().st_size, "ok"))
    if not (args.no_link and args.reuse and not build):
        seconds = link(scaled)
        build.append(Timing("build", "link step (canonical events, triads, precomputed views)",
                            seconds, scaled.stat().st_size, "ok"))
    for t in build:
        print(f"  {t.name}: {t.seconds:.1f} s", flush=True)
    rows: list[Timing] = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_cli:
            rows += time_cli(scaled, Path(tmp), args.timeout)
    if not args.no_web:
        rows += time_web(scaled, args.timeout)
    print(f"\nstore: {scaled} (synthetic scale-up to {args.articles:,} articles)\n")
    print(table(build) + "\n")
    print(table(rows))
    if rows:
        slowest = max(rows, key=lambda t: t.seconds)
        biggest = max(rows, key=lambda t: t.bytes)
        print(f"\nslowest: {slowest.kind} {slowest.name} {slowest.seconds:.2f} s; "
              f"largest response: {biggest.kind} {biggest.name} {biggest.bytes:,} bytes")
    if args.json:
        args.json.write_text(json.dumps({"articles": args.articles, "build": [asdict(t) for t in build],
                                         "timings": [asdict(t) for t in rows]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
