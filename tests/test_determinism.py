"""Every query and export command gives the same bytes twice on an unchanged store (issue 16,
point 4).

The store is the sample corpus (``examples/``) ingested once. Each run of the commands is a
fresh process with its own ``PYTHONHASHSEED``, so output that depends on set or dict order of
strings, on DuckDB's scan order (``mode()``, ``any_value()``, a missing ``ORDER BY`` tie-break)
or on the clock shows up as a difference. Run as a script, this file is that process:
``python tests/test_determinism.py STORE OUTDIR``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: (name, arguments); ``{out}`` is replaced by the output folder (for commands writing files).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("summary", "summary"),
    ("docs", "docs"),
    ("docs.csv", "docs --format csv"),
    ("docs.jsonl", "docs --format jsonl"),
    ("events", "events"),
    ("events-flagged", "events --include-flagged"),
    ("events.jsonl", "events --format jsonl --include-flagged"),
    ("events.csv", "events --format csv"),
    ("events.parquet", "events --format parquet -o {out}/events.parquet"),
    ("events-canonical", "events --canonical"),
    ("events-canonical.jsonl", "events --canonical --format jsonl"),
    ("actors", "actors"),
    ("actors-places.jsonl", "actors --places --format jsonl"),
    ("dyad", "dyad PAK IRN"),
    ("dyad-week.jsonl", "dyad PAK IRN --by week --format jsonl"),
    ("dyad-events", "dyad PAK IRN --events"),
    ("mediation", "mediation"),
    ("mediation.jsonl", "mediation --format jsonl"),
    ("network", "network"),
    ("network-ids", "network --actor-ids"),
    ("network.json", "network --format json"),
    ("network.graphml", "network --format graphml -o {out}/network.graphml"),
    ("conflicts", "conflicts"),
    ("conflicts.jsonl", "conflicts --format jsonl"),
    ("report", "report -o {out}/report.html"),
)


def run_all(db: str, out: Path) -> None:
    """Run every command of :data:`COMMANDS` on ``db``; each one's standard output (and exit
    status) goes to ``out/NAME.stdout``, the files it writes into ``out``."""
    from click.testing import CliRunner

    from detente.cli import main

    out.mkdir(parents=True, exist_ok=True)
    runner = CliRunner()
    for name, args in COMMANDS:
        argv = [*shlex.split(args.format(out=out)), "--db", db]
        result = runner.invoke(main, argv, catch_exceptions=False)
        text = result.stdout.replace(str(out), "OUT")
        (out / f"{name}.stdout").write_text(f"exit {result.exit_code}\n{text}", encoding="utf-8")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from detente.batch import ingest
    from detente.store import open_store

    path = tmp_path_factory.mktemp("det") / "examples.duckdb"
    with open_store(path) as s:
        report = ingest([ROOT / "examples"], s, progress=False)
    assert report.ok and report.documents == 8
    return path


def _run(store: Path, out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, __file__, str(store), str(out)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_every_command_is_deterministic(store: Path, tmp_path: Path) -> None:
    first = _run(store, tmp_path / "one", "1")
    second = _run(store, tmp_path / "two", "2")
    assert set(first) == set(second)
    expected = {f"{n}.stdout" for n, _ in COMMANDS} | {"events.parquet", "network.graphml",
                                                      "report.html"}
    assert expected <= set(first)
    for name in sorted(first):
        if name.endswith(".stdout"):
            assert first[name].startswith(b"exit 0\n"), (name, first[name][:300])
    changed = [name for name in sorted(first) if first[name] != second[name]]
    assert changed == [], f"output changed between two runs on an unchanged store: {changed}"
    assert b"2024-01-17" in first["events.stdout"]  # the outputs are real, not empty


if __name__ == "__main__":
    run_all(sys.argv[1], Path(sys.argv[2]))
