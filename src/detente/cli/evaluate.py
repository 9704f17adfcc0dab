"""``detente evaluate GOLD [--db DB | PATHS...]``: score extraction against gold annotations.

The lead registers :func:`evaluate_cli` on the main group (``main.add_command(evaluate_cli)``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from detente.cli.options import db_option, fail_cleanly


@click.command("evaluate")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A readable report, or every number as JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--include-flagged", is_flag=True,
              help="Also score negated and hypothetical events (left out by default).")
@fail_cleanly
def evaluate_cli(gold: Path, paths: tuple[Path, ...], db: str, fmt: str, output: Path | None,
                 include_flagged: bool) -> None:
    """Score events, actors, dates and triads against the gold file GOLD.

    With PATHS, they are ingested into a throwaway in-memory store first; without, the store at
    --db is scored as it is.
    """
    from detente.evaluate import evaluate, format_text
    from detente.store import open_store

    if paths:
        report = evaluate(gold, paths=list(paths), include_flagged=include_flagged)
    else:
        with open_store(db, read_only=db != ":memory:") as store:
            report = evaluate(gold, store=store, include_flagged=include_flagged)
    text = (json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n" if fmt == "json"
            else format_text(report))
    if output is not None:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)
