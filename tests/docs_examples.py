"""The examples in the documentation, run for real: checked by ``tests/test_docs.py`` and
rewritten from a fresh run by ``python tests/docs_examples.py --write``.

What is run, per Markdown file (README.md, docs/cli.md, docs/python.md, docs/scale.md), in a
fresh working folder that holds links to ``examples/`` and ``eval/``, with a fresh store
(``DETENTE_DB`` is its ``detente.duckdb``, the default name), ``detente``,
``.venv/bin/detente`` and ``python`` being this checkout's, and ``/tmp/docs`` standing for the
working folder:

* a ```` ```console ```` block: each line starting ``$ `` is a command (run by bash), the lines
  after it, up to the next command, are what it prints (standard output and error together).
  In the documented output a line ``...`` (or ``…``) stands for any number of lines. A command
  ending in ``| cut -c1-N`` or ``| fold -w N`` has that done here, by characters (GNU tools count
  bytes). A command ending in ``&`` is started in the background (its output not shown) and
  stopped when the file's run ends.
* a ```` ```python ```` block followed by a ```` ```text ```` block: the script is run in a
  fresh ``python`` and prints the text block. A Python block with no text block after it is a
  signature or a fragment and is not run.
* a block right after ``<!-- docs-check: skip -->`` is not run (a server session, a command
  needing a machine of its own); after ``<!-- docs-check: slow -->`` it is run only with
  ``--slow`` (or ``DETENTE_DOCS_SLOW=1`` for the test): these start Dask clusters.

Blocks of one file run in order, sharing the store, so a file's examples form one session.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = ("README.md", "docs/cli.md", "docs/python.md", "docs/scale.md")
PLACEHOLDER = "/tmp/docs"
ELISIONS = frozenset({"...", "…"})
MARKER = re.compile(r"^<!--\s*docs-check:\s*(skip|slow)\s*-->\s*$")
_TRAILING_FILTER = re.compile(r"\|\s*(cut\s+-c\s*1?-(\d+)|fold\s+-w\s*(\d+))\s*(#.*)?$")
TIMEOUT_S = 900


@dataclass
class Command:
    """One ``$`` line of a console block and the output documented under it."""

    line: str
    expected: list[str]
    first: int  # index in the file of the command's line


@dataclass
class Block:
    """A fenced block: its kind, the lines between the fences, and what runs it."""

    kind: str  # console | python
    start: int  # index of the first line inside the fences
    end: int  # index of the closing fence
    mode: str  # run | skip | slow
    commands: list[Command] = field(default_factory=list)
    script: str = ""
    output: tuple[int, int] | None = None  # python: the text block's inside (start, end)
    expected: list[str] = field(default_factory=list)


def parse(lines: Sequence[str]) -> list[Block]:
    """The console blocks and the runnable Python blocks of a Markdown file's lines."""
    fences: list[tuple[int, int, str]] = []  # (start, end, info) of every fenced block
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w*)\s*$", lines[i])
        if m:
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            fences.append((i + 1, j, m.group(1)))
            i = j + 1
        else:
            i += 1
    blocks: list[Block] = []
    for n, (start, end, info) in enumerate(fences):
        mode = "run"
        before = start - 2
        while before >= 0 and not lines[before].strip():
            before -= 1
        marker = MARKER.match(lines[before]) if before >= 0 else None
        if marker:
            mode = marker.group(1)
        if info == "console":
            block = Block("console", start, end, mode)
            for k in range(start, end):
                if lines[k].startswith("$ "):
                    block.commands.append(Command(lines[k][2:], [], k))
                elif block.commands:
                    block.commands[-1].expected.append(lines[k])
            blocks.append(block)
        elif info == "python" and n + 1 < len(fences) and fences[n + 1][2] == "text":
            nstart, nend, _ = fences[n + 1]
            if all(not line.strip() for line in lines[end + 1:nstart - 1]):
                blocks.append(Block("python", start, end, mode, script="\n".join(lines[start:end]),
                                    output=(nstart, nend), expected=list(lines[nstart:nend])))
    return blocks


def _trimmed(lines: Sequence[str]) -> list[str]:
    out = [line.rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


def matches(expected: Sequence[str], actual: Sequence[str]) -> bool:
    """Do the documented lines match the real ones (``...`` standing for any lines)?"""
    exp, act = _trimmed(expected), _trimmed(actual)
    memo: dict[tuple[int, int], bool] = {}

    def go(i: int, j: int) -> bool:
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(exp):
            ok = j == len(act)
        elif exp[i] in ELISIONS:
            ok = any(go(i + 1, k) for k in range(j, len(act) + 1))
        else:
            ok = j < len(act) and exp[i] == act[j] and go(i + 1, j + 1)
        memo[(i, j)] = ok
        return ok

    return go(0, 0)


def regenerated(expected: Sequence[str], actual: Sequence[str]) -> list[str]:
    """The real lines shaped like the documented ones: as many lines kept before and after the
    first and last ``...`` as the documentation keeps there, everything when it elides nothing."""
    exp, act = _trimmed(expected), _trimmed(actual)
    cuts = [k for k, e in enumerate(exp) if e in ELISIONS]
    if not cuts:
        return act
    head, tail = cuts[0], len(exp) - cuts[-1] - 1
    if head + tail >= len(act):
        return act
    return [*act[:head], exp[cuts[0]], *(act[len(act) - tail:] if tail else [])]


# -- running ---------------------------------------------------------------------------------------
@dataclass
class Session:
    """A working folder, its store and the programs on its PATH; background jobs it started."""

    work: Path
    env: dict[str, str]
    background: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def to_real(self, text: str) -> str:
        return text.replace(PLACEHOLDER, str(self.work))

    def to_doc(self, text: str) -> str:
        return text.replace(str(self.work), PLACEHOLDER)

    def run_command(self, line: str) -> list[str]:
        command = self.to_real(line)
        if command.rstrip().endswith("&"):
            self.background.append(subprocess.Popen(
                ["bash", "-c", command.rstrip()[:-1]], cwd=self.work, env=self.env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
            return []
        filters: list[tuple[str, int]] = []
        while True:
            m = _TRAILING_FILTER.search(command)
            if not m:
                break
            filters.insert(0, ("cut", int(m.group(2))) if m.group(2) else ("fold", int(m.group(3))))
            command = command[:m.start()].rstrip()
        done = subprocess.run(["bash", "-c", command + " 2>&1"], cwd=self.work, env=self.env,
                              stdout=subprocess.PIPE, timeout=TIMEOUT_S, check=False)
        lines = self.to_doc(done.stdout.decode("utf-8", "replace")).splitlines()
        for kind, width in filters:
            if kind == "cut":
                lines = [line[:width] for line in lines]
            else:
                lines = [piece for line in lines
                         for piece in ([line[k:k + width] for k in range(0, len(line), width)]
                                       or [""])]
        return lines

    def run_python(self, script: str) -> list[str]:
        done = subprocess.run([self.env["DOCS_PYTHON"], "-c", self.to_real(script)], cwd=self.work,
                              env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=TIMEOUT_S, check=False)
        return self.to_doc(done.stdout.decode("utf-8", "replace")).splitlines()

    def stop(self) -> None:
        for proc in self.background:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


@dataclass
class Result:
    """One example's documented lines, the real ones, and where they are in the file."""

    where: str
    expected: list[str]
    actual: list[str]
    span: tuple[int, int]  # the documented output's lines in the file (start, end)

    @property
    def ok(self) -> bool:
        return matches(self.expected, self.actual)

    def diff(self) -> str:
        return "\n".join(difflib.unified_diff(self.expected, self.actual, "documented", "real run",
                                              lineterm=""))


def _session(work: Path) -> Session:
    bin_dir = work / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    shim = bin_dir / "detente"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m detente "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    for name in ("examples", "eval"):
        (work / name).symlink_to(ROOT / name)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}"
                                 f"{os.pathsep}{os.environ.get('PATH', '')}",
           "PYTHONPATH": str(ROOT / "src"), "DETENTE_DB": str(work / "detente.duckdb"),
           "PYTHONHASHSEED": "0", "PYTHONWARNINGS": "ignore", "TZ": "UTC", "COLUMNS": "200",
           "DOCS_PYTHON": sys.executable}
    return Session(work, env)


def run_file(path: Path, *, slow: bool = False) -> Iterator[Result]:
    """Run the examples of one Markdown file in a fresh session, yielding each one's result."""
    lines = path.read_text(encoding="utf-8").splitlines()
    name = path.relative_to(ROOT).as_posix()
    with tempfile.TemporaryDirectory(prefix="docs-") as tmp:
        session = _session(Path(tmp) / "work")
        try:
            for block in parse(lines):
                if block.mode == "skip" or (block.mode == "slow" and not slow):
                    continue
                if block.kind == "python":
                    assert block.output is not None
                    yield Result(f"{name}:{block.start}", block.expected,
                                 session.run_python(block.script), block.output)
                    continue
                for cmd in block.commands:
                    actual = session.run_command(cmd.line)
                    end = cmd.first + 1 + len(cmd.expected)
                    yield Result(f"{name}:{cmd.first + 1}: $ {cmd.line}", cmd.expected, actual,
                                 (cmd.first + 1, end))
        finally:
            session.stop()


def rewrite(path: Path, results: Sequence[Result]) -> bool:
    """Put the real outputs into ``path`` (keeping its elisions); True when it changed."""
    lines = path.read_text(encoding="utf-8").splitlines()
    old = list(lines)
    for res in sorted(results, key=lambda r: r.span[0], reverse=True):
        if res.ok:
            continue
        start, end = res.span
        while end > start and not lines[end - 1].strip():  # keep the blank lines between commands
            end -= 1
        lines[start:end] = regenerated(res.expected, res.actual)
    if lines == old:
        return False
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", default=list(DOC_FILES))
    parser.add_argument("--write", action="store_true", help="Rewrite the documented outputs.")
    parser.add_argument("--slow", action="store_true", help="Also run the Dask examples.")
    args = parser.parse_args(argv)
    failed = 0
    for file in args.files:
        path = (ROOT / file).resolve()
        results = list(run_file(path, slow=args.slow))
        bad = [r for r in results if not r.ok]
        for r in bad:
            print(f"{r.where}\n{r.diff()}\n", file=sys.stderr)
        if args.write:
            if rewrite(path, results):
                print(f"rewrote {file} ({len(bad)} example(s) changed)")
        else:
            failed += len(bad)
        print(f"{file}: {len(results)} example(s) run, {len(bad)} differ", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
