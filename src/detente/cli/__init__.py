"""The ``detente`` command line: parses options, calls the library, formats the output.

Every command is a thin wrapper over a library function; errors from the library
(:class:`detente.errors.DetenteError`) become one message on stderr and a non-zero exit.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path
from typing import Any

import click

from detente import __version__
from detente.cli.options import db_option, fail_cleanly, filter_options, open_db, output_options
from detente.cli.output import flatten_event, write_output
from detente.errors import QueryError
from detente.ingest.options import DEFAULT_MAX_BYTES


class _LazyGroup(click.Group):
    """A command group whose heavier commands are imported only when run (or asked for help).

    ``lazy`` maps a command name to ``(module, attribute, short help)``: ``detente --help`` lists
    them from the short help without importing their modules, so the listing works with only the
    core install (the web commands need jinja2, plotly, fastapi) and start-up stays fast."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str, str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, attr, _ = self.lazy[cmd_name]
            try:
                command = getattr(importlib.import_module(module), attr)
            except ImportError as exc:
                return _missing_extra(cmd_name, exc)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in self.lazy and name not in self.commands:
                rows.append((name, self.lazy[name][2]))
                continue
            cmd = super().get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _missing_extra(name: str, exc: ImportError) -> click.Command:
    """A stand-in for a command whose optional dependencies are not installed: it says which."""

    @click.command(name, context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                           "help_option_names": []})
    def missing() -> None:
        extra = "web" if name in ("serve", "report") else "test"
        click.echo(f"detente {name}: a dependency is missing ({exc}). Install it with "
                   f"`pip install 'detente[{extra}]'`.", err=True)
        sys.exit(2)

    return missing


# commands defined beside their code, whose modules import more (web: jinja2, plotly, fastapi)
LAZY_COMMANDS = {
    "serve": ("detente.web.cli", "serve_cli", "Browse the store in a local web app (read-only)..."),
    "report": ("detente.web.cli", "report_cli", "Write a self-contained HTML report (works offline)..."),
    "evaluate": ("detente.cli.evaluate", "evaluate_cli", "Score events, actors, dates and triads..."),
}


@click.group(cls=_LazyGroup, lazy=LAZY_COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="detente")
def main() -> None:
    """detente: international news in, a political system out (PLOVER events, actors, dyads)."""


# -- ingest ------------------------------------------------------------------------------------
@main.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--force", is_flag=True, help="Re-process documents already in the store.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for parsing and coding (with --dask local: the local cluster's).")
@click.option("--dask", "dask_scheduler", is_flag=False, flag_value="local", default=None,
              metavar="[ADDRESS|local]",
              help="Process on Dask: a running scheduler's address (tcp://host:8786) or 'local' for a "
                   "local cluster. Needs `pip install 'detente[dask]'`.")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra actor dictionary (YAML); repeatable.")
@click.option("--lexicon", "lexicon_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False), help="An extra event lexicon (YAML).")
@click.option("--places", "place_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra gazetteer file (YAML).")
@click.option("--text-field", default="text", show_default=True, help="Text field of JSONL/JSON/CSV.")
@click.option("--title-field", default="title", show_default=True)
@click.option("--date-field", default="date", show_default=True)
@click.option("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, show_default=True,
              help="Larger single-article files (and record texts) are refused.")
@click.option("--no-language-check", is_flag=True, help="Ingest texts even if they do not look English.")
@click.option("--year", type=click.IntRange(1900, 2100), default=None,
              help="The year of datelines that give none (KABUL (April 8) —) when the text does not.")
@click.option("--no-progress", is_flag=True, help="Do not show the progress bar.")
@click.option("--quiet", "-q", is_flag=True, help="Print only failures.")
@fail_cleanly
def ingest_cli(paths: tuple[Path, ...], db: str, force: bool, workers: int, dask_scheduler: str | None,
               actor_files: tuple[str, ...],
               lexicon_files: tuple[str, ...], place_files: tuple[str, ...], text_field: str,
               title_field: str, date_field: str, max_bytes: int, no_language_check: bool,
               year: int | None, no_progress: bool, quiet: bool) -> None:
    """Read articles (files or folders: .txt .html .pdf .jsonl .json .csv) into the store."""
    from detente.batch import ingest
    from detente.ingest import IngestOptions
    from detente.pipeline import PipelineOptions

    options = PipelineOptions(actor_files=actor_files, lexicon_files=lexicon_files,
                              place_files=place_files)
    ing = IngestOptions(text_field=text_field, title_field=title_field, date_field=date_field,
                        max_bytes=max_bytes, check_language=not no_language_check, year=year)
    show = not no_progress and not quiet
    with open_db(db, read_only=False) as store:
        if dask_scheduler is not None:
            from detente.scale import LOCAL, ingest_distributed

            if workers > 1 and dask_scheduler != LOCAL:
                raise QueryError("--workers sizes a local cluster; a Dask scheduler has its own workers")
            report = ingest_distributed(list(paths), store, scheduler=dask_scheduler, force=force,
                                        options=options, ingest_options=ing, progress=show,
                                        local_workers=workers if workers > 1 else 2)
        else:
            report = ingest(list(paths), store, force=force, workers=workers, options=options,
                            ingest_options=ing, progress=show)
    for failure in report.failures:
        click.echo(f"failed: {failure.message}", err=True)
    if not quiet:
        for warning in report.warnings:
            click.echo(f"warning: {warning.message}", err=True)
        click.echo("\n".join(report.summary_lines()))
    if report.nothing_ingested:
        click.echo(f"error: {report.nothing_ingested_message()}", err=True)
    if not report.ok:
        sys.exit(1)


@main.command("link")
@db_option
@click.option("--window-days", type=click.IntRange(0), default=1, show_default=True,
              help="Reports of one happening may differ in date by this many days.")
@click.option("--shuttle-window-days", type=click.IntRange(0), default=14, show_default=True,
              help="Contacts with each side within this many days make a shuttle or engagement triad.")
@fail_cleanly
def link_cli(db: str, window_days: int, shuttle_window_days: int) -> None:
    """Link the store again: canonical events, mediation triads and the views queries read
    (ingest does this at its end; run it after editing actors)."""
    from detente.link_step import relink

    with open_db(db, read_only=False, create=False) as store:
        result = relink(store, window_days=window_days, shuttle_window_days=shuttle_window_days)
    click.echo(str(result))


# -- queries -----------------------------------------------------------------------------------
@main.command("docs")
@db_option
@click.option("--doc", help="Only this document (id prefix or part of its path).")
@click.option("--since")
@click.option("--until")
@output_options
@fail_cleanly
def docs_cli(db: str, doc: str | None, since: str | None, until: str | None, fmt: str,
             output: str | None) -> None:
    """List the documents in the store."""
    with open_db(db) as store:
        write_output(store.docs(doc=doc, since=since, until=until), fmt, output, sys.stdout)


@main.command("events")
@db_option
@filter_options
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Only events at least this confident.")
@click.option("--include-flagged", is_flag=True,
              help="Also show negated and hypothetical events (hidden by default).")
@click.option("--canonical", is_flag=True, help="One row per real happening (linked across reports).")
@output_options
@fail_cleanly
def events_cli(db: str, actor: str | None, type_: str | None, since: str | None, until: str | None,
               doc: str | None, min_confidence: float | None, include_flagged: bool, canonical: bool,
               fmt: str, output: str | None) -> None:
    """List coded events with their sentences."""
    filters = dict(actor=actor, type=type_, since=since, until=until, doc=doc,
                   min_confidence=min_confidence, include_flagged=include_flagged)
    if canonical:
        from detente.link import canonical_events, canonical_table

        if doc or min_confidence is not None:
            raise QueryError("--doc and --min-confidence apply to reports, not to --canonical events; "
                             "drop them or leave out --canonical")
        with open_db(db) as store:
            frame = canonical_events(store, actor=actor, type=type_, since=since, until=until,
                                     include_flagged=include_flagged)
        write_output(frame, fmt, output, sys.stdout,
                     table=canonical_table(frame) if fmt == "table" else None)
        return
    with open_db(db) as store:
        if fmt == "table":
            df = store.events(**filters)
            cols = ["date", "event", "mode", "actor", "recipient", "mediator", "trigger", "place_name",
                    "confidence", "text"]
            write_output(df, fmt, output, sys.stdout, table=df[cols])
            return
        records = store.event_records(**filters)
        if fmt in ("csv", "parquet"):
            import pandas as pd

            flat = pd.DataFrame([flatten_event(r) for r in records]).convert_dtypes()
            write_output(flat, fmt, output, sys.stdout)
        else:
            write_output(records, fmt, output, sys.stdout)


@main.command("actors")
@db_option
@click.option("--actor", help="Only this actor (id, code or name).")
@click.option("--merge", nargs=2, metavar="KEEP OTHER", help="Fold actor OTHER into KEEP.")
@click.option("--split", metavar="ID", help="Move the mentions of ID written --form to a new actor.")
@click.option("--form", help="With --split: the surface form to move.")
@click.option("--places", "include_places", is_flag=True, help="Also list places.")
@click.option("--unresolved", is_flag=True,
              help="List the mentions that got no code, most frequent first (what to add to a dictionary).")
@click.option("--limit", type=click.IntRange(1), default=None, help="With --unresolved: at most N rows.")
@click.option("--coverage", is_flag=True,
              help="Print what the actor dictionary covers (countries, offices, people, groups); "
                   "needs no --db.")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="With --coverage: an extra actor dictionary (YAML); repeatable.")
@click.option("--on", "on_day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="With --coverage: count the people in office on this day (default: today).")
@output_options
@fail_cleanly
def actors_cli(db: str, actor: str | None, merge: tuple[str, str] | None, split: str | None,
               form: str | None, include_places: bool, unresolved: bool, limit: int | None,
               coverage: bool, actor_files: tuple[str, ...], on_day: dt.datetime | None, fmt: str,
               output: str | None) -> None:
    """List resolved actors with every surface form seen; correct them with --merge/--split."""
    if coverage:
        from detente.actors.coverage import coverage_lines, dictionary_coverage

        day = on_day.date() if on_day else dt.date.today()
        for line in coverage_lines(dictionary_coverage(actor_files, day=day), day):
            click.echo(line)
        return
    if unresolved:
        from detente.store.coverage import unresolved_mentions

        with open_db(db) as store:
            write_output(unresolved_mentions(store, limit=limit), fmt, output, sys.stdout)
        return
    if merge or split:
        with open_db(db, read_only=False) as store:
            if merge:
                moved = store.merge_actors(merge[0], merge[1])
                click.echo(f"merged {merge[1]} into {merge[0]} ({moved} mention(s) moved)")
            if split:
                if not form:
                    raise QueryError("--split needs --form TEXT: the surface form to move")
                new_id = store.split_actor(split, form)
                click.echo(f"split {form!r} off {split} as {new_id}")
        return
    with open_db(db) as store:
        write_output(store.actors(actor=actor, include_places=include_places), fmt, output,
                     sys.stdout)


@main.command("dyad")
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--by", type=click.Choice(["month", "week", "year"]), default="month", show_default=True)
@click.option("--direction", type=click.Choice(["both", "a->b", "b->a"]), default="both",
              show_default=True, help="A->B, B->A or both.")
@click.option("--events", "show_events", is_flag=True, help="List the events behind the buckets.")
@output_options
@fail_cleanly
def dyad_cli(a: str, b: str, db: str, by: str, direction: str, show_events: bool, fmt: str,
             output: str | None) -> None:
    """How relations between A and B move over time (quad classes, Goldstein, turning points)."""
    from detente.analysis import dyad_series

    with open_db(db) as store:
        series = dyad_series(store, a, b, by=by, direction=direction)
        if show_events:
            ids = [i for row in series["event_ids"] for i in row]
            df = store.events()
            write_output(df[df["event_id"].isin(ids)], fmt, output, sys.stdout)
            return
        table = series.drop(columns=["event_ids"]) if fmt == "table" else None
        write_output(series, fmt, output, sys.stdout, table=table)


@main.command("mediation")
@db_option
@click.option("--actor", help="Only triads involving this actor code (as mediator or party).")
@click.option("--kind", type=click.Choice(["offer", "brokered", "facilitated", "engagement", "shuttle"]),
              help="Only this kind of mediation.")
@click.option("--window", "window_days", type=click.IntRange(1, 365), default=14, show_default=True,
              help="Days around a crisis within which separate contacts count as shuttle/engagement.")
@output_options
@fail_cleanly
def mediation_cli(db: str, actor: str | None, kind: str | None, window_days: int, fmt: str,
                  output: str | None) -> None:
    """Mediation triads: who mediated between whom, when, how, with the evidence."""
    from detente.link import find_triads

    with open_db(db) as store:
        triads = find_triads(store, shuttle_window_days=window_days, actor=actor, kind=kind)
    table = None
    if fmt == "table":
        table = triads.drop(columns=["evidence", "event_ids"])
    write_output(triads, fmt, output, sys.stdout, table=table)


@main.command("network")
@db_option
@click.option("--format", "fmt", type=click.Choice(["graphml", "json", "table"]), default="table",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (required for graphml).")
@click.option("--actor-ids", is_flag=True, help="Nodes are actor ids (people, groups), not country codes.")
@fail_cleanly
def network_cli(db: str, fmt: str, output: str | None, actor_ids: bool) -> None:
    """The actor network: edges weighted by cooperation and conflict, with degree and betweenness."""
    import pandas as pd

    from detente.analysis import actor_network, export_network

    with open_db(db) as store:
        graph = actor_network(store, actor_ids=actor_ids)
    if fmt == "table":
        rows = [{"node": n, **{k: v for k, v in d.items() if not isinstance(v, list | dict)}}
                for n, d in graph.nodes(data=True)]
        df = pd.DataFrame(rows)
        if not df.empty and "betweenness" in df:
            df = df.sort_values(["betweenness", "node"], ascending=[False, True])
        write_output(df, "table", output, sys.stdout)
        return
    if output is None:
        if fmt == "graphml":
            raise QueryError("GraphML goes to a file: add -o network.graphml")
        import json
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "network.json"
            export_network(graph, path, fmt="json")
            click.echo(json.dumps(json.loads(path.read_text()), indent=1))
        return
    export_network(graph, Path(output), fmt=fmt)
    click.echo(f"wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {output}")


@main.command("conflicts")
@db_option
@output_options
@fail_cleanly
def conflicts_cli(db: str, fmt: str, output: str | None) -> None:
    """Claims about the same thing that differ between sources (numbers, dates of one event)."""
    from detente.analysis import disagreements

    with open_db(db) as store:
        write_output(disagreements(store), fmt, output, sys.stdout)


@main.command("summary")
@db_option
@fail_cleanly
def summary_cli(db: str) -> None:
    """Documents, actors, events by type and the busiest dyads."""
    from detente.cli.output import format_table

    with open_db(db) as store:
        s = store.summary()
    click.echo(f"documents: {s['documents']}   sentences: {s['sentences']}   actors: {s['actors']}"
               f"   events: {s['events']}")
    click.echo("\nevents by type")
    click.echo(format_table(s["events_by_type"]), nl=False)
    click.echo("\nbusiest dyads")
    click.echo(format_table(s["dyads"]), nl=False)



if __name__ == "__main__":  # pragma: no cover
    main()
