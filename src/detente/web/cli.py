"""``detente serve`` and ``detente report``: click commands the main group registers.

    from detente.web.cli import report_cli, serve_cli
    main.add_command(serve_cli)
    main.add_command(report_cli)
"""

from __future__ import annotations

import click

from detente.cli.options import db_option, fail_cleanly, open_db


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (keep the loopback address unless you mean to share).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (repeatable); only the loopback "
                   "names (127.0.0.1, localhost, [::1]) are answered otherwise.")
@fail_cleanly
def serve_cli(db: str, host: str, port: int, allow_hosts: tuple[str, ...]) -> None:
    """Browse the store in a local web app (read-only) with a JSON API under /api.

    The store is opened only while a request is answered, so `detente ingest` can write to it
    while the app runs.
    """
    import uvicorn

    from detente.web.app import create_app

    extra = list(allow_hosts)
    if host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::"):
        extra.append(host)  # the address it listens on is a name it answers to
    app = create_app(db, allowed_hosts=extra, port=port)
    click.echo(f"detente: serving {db} on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@click.command("report")
@db_option
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default="report.html",
              show_default=True, help="The HTML file to write.")
@click.option("--actor", help="Only events involving this actor (code such as PAK, id or name).")
@click.option("--type", "type_", help="Only these PLOVER types (comma-separated).")
@click.option("--since", help="Only events on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", help="Only events on or before this date (YYYY[-MM[-DD]]).")
@click.option("--limit", type=click.IntRange(0), default=1000, show_default=True,
              help="At most this many events (the first by date), triads and disagreements; "
                   "0 for all of them (a large store makes a large file).")
@fail_cleanly
def report_cli(db: str, output: str, actor: str | None, type_: str | None, since: str | None,
               until: str | None, limit: int) -> None:
    """Write a self-contained HTML report (works offline) of the store's events."""
    from detente.web.report import build_report

    with open_db(db) as store:
        path = build_report(store, output, actor=actor, type=type_, since=since, until=until,
                            limit=limit or None)
    click.echo(f"wrote {path}")
