"""Start-up: seconds from starting a process to its first document coded (``python
benchmarks/startup.py``).

Each run is a fresh ``python`` process that ingests one article of ``examples/`` into a fresh
DuckDB file with :func:`detente.batch.ingest` (what ``detente ingest FILE`` runs); it notes the
time when the first document is stored (the progress hook), and the parent subtracts the time
it started the process, so interpreter start, imports, model and table loading all count. Runs:

* ``cold``: an empty cache folder (``DETENTE_CACHE_DIR``): the data tables and the GeoNames name
  index are built and written (what the first run after installing or upgrading pays);
* ``warm`` (``--repeat`` times, the fastest kept): the same folder, now filled;
* ``help``: ``python -m detente --help``.

Wall seconds grow with the machine's load (reported); the child's CPU seconds to its first
document are reported beside them.

``--file`` picks the article; ``--json`` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "examples" / "munir_tehran.txt"

_CHILD = """
import sys, time
from pathlib import Path
from detente.batch import ingest
from detente.store import Store
first = []
def hook(report):
    if not first and report.documents:
        first.append((time.time(), time.process_time()))
with Store(Path(sys.argv[2])) as store:
    report = ingest([sys.argv[1]], store, progress=hook)
wall, cpu = first[0] if first else (-1, -1)
print(wall, cpu, time.time(), report.documents, report.events)
"""


def one_run(path: Path, cache: Path) -> dict[str, float]:
    env = {**os.environ, "DETENTE_CACHE_DIR": str(cache),
           "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.time()
        out = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(Path(tmp) / "s.duckdb")],
                             capture_output=True, text=True, env=env, check=True)
    first, cpu, end, docs, events = out.stdout.split()[-5:]
    # CPU: the child's own seconds to its first document (imports included), fairer than wall
    # seconds on a shared machine
    return {"first_document_s": round(float(first) - start, 2), "first_document_cpu_s": round(float(cpu), 2),
            "total_s": round(float(end) - start, 2), "documents": int(docs), "events": int(events)}


def help_run() -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.time()
    subprocess.run([sys.executable, "-m", "detente", "--help"], capture_output=True, env=env, check=True)
    return round(time.time() - start, 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache_dir:
        cache = Path(cache_dir)
        cold = one_run(args.file, cache)
        warm = min((one_run(args.file, cache) for _ in range(max(1, args.repeat))),
                   key=lambda r: r["first_document_s"])
    result = {"file": args.file.name, "cold": cold, "warm": warm, "help_s": help_run(),
              "load_average": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
