"""The documentation's examples are real runs (issue 16, point 7): every console block of
README.md, docs/cli.md, docs/python.md and docs/scale.md is run on ``examples/`` in a fresh
store, and every Python script followed by its output, and the output must be what the page
shows. The rules (elided lines, ``cut``, skipped and slow blocks) are in
``tests/docs_examples.py``; ``python tests/docs_examples.py --write`` rewrites the pages from a
fresh run when the program's output changes on purpose."""

from __future__ import annotations

import os

import pytest

from docs_examples import DOC_FILES, ROOT, matches, parse, regenerated, run_file

SLOW = os.environ.get("DETENTE_DOCS_SLOW") == "1"


@pytest.mark.slow
@pytest.mark.parametrize("name", DOC_FILES)
def test_documented_examples_are_real_runs(name: str) -> None:
    results = list(run_file(ROOT / name, slow=SLOW))
    if not results and not SLOW:
        pytest.skip(f"{name} holds only slow examples (Dask clusters): DETENTE_DOCS_SLOW=1 runs them")
    assert results, f"{name} has no example to run"
    bad = [f"{r.where}\n{r.diff()}" for r in results if not r.ok]
    assert not bad, ("the documentation disagrees with a real run; if the change is meant, "
                     "run `python tests/docs_examples.py --write`:\n\n" + "\n\n".join(bad))


def test_the_pages_hold_checked_examples() -> None:
    counts = {}
    for name in DOC_FILES:
        blocks = parse((ROOT / name).read_text(encoding="utf-8").splitlines())
        counts[name] = sum(len(b.commands) + (b.kind == "python") for b in blocks
                           if b.mode in ("run", "slow"))
    assert all(n > 0 for n in counts.values()), counts
    python = parse((ROOT / "docs/python.md").read_text(encoding="utf-8").splitlines())
    assert sum(b.kind == "python" and b.mode == "run" for b in python) >= 2


def test_matching_rules() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "…"], ["a"])
    assert matches(["a", "b", ""], ["a", "b"])  # blank lines before the next command
    assert not matches(["a", "b"], ["a", "c"])
    assert not matches(["a", "...", "d"], ["a", "b", "c"])
    assert not matches(["26 events"], ["55 events"])
    assert regenerated(["a", "x", "...", "z"], ["a", "b", "c", "d", "e"]) == ["a", "b", "...", "e"]
    assert regenerated(["...", "z"], ["a", "b"]) == ["...", "b"]
    assert regenerated(["old"], ["new", "lines"]) == ["new", "lines"]
