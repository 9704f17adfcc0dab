"""Options and error handling shared by every ``detente`` command (the CLI's only common code).

Commands defined in other modules (``detente.web.cli``, ``detente.cli.evaluate``) import from here,
not from :mod:`detente.cli`, which registers them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from detente.cli.output import FORMATS
from detente.errors import DetenteError

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_DB = "detente.duckdb"


def fail_cleanly(func: F) -> F:
    """Turn library errors into one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DetenteError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def db_option(func: F) -> F:
    return click.option("--db", default=DEFAULT_DB, show_default=True, envvar="DETENTE_DB",
                        help="The DuckDB store (':memory:' for a throwaway one).")(func)


def output_options(func: F) -> F:
    """The one output option set shared by every query command."""
    func = click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
                        help="Write to this file instead of standard output.")(func)
    func = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(func)
    return func


def filter_options(func: F) -> F:
    for opt in reversed([
        click.option("--actor", help="Only events involving this actor (code such as PAK, id or name)."),
        click.option("--type", "type_", help="Only these PLOVER types (comma-separated)."),
        click.option("--since", help="Only events on or after this date (YYYY[-MM[-DD]])."),
        click.option("--until", help="Only events on or before this date (YYYY[-MM[-DD]])."),
        click.option("--doc", help="Only this document (id prefix)."),
    ]):
        func = opt(func)
    return func


def open_db(db: str, *, read_only: bool = True, create: bool = True) -> Any:
    from detente.store import open_store

    return open_store(db, read_only=read_only and db != ":memory:", create=create)
