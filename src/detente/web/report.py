"""The offline report: one self-contained HTML file (plotly.js, CSS, JS and data inlined)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from detente.errors import QueryError
from detente.store import Store
from detente.web import json_markup, make_env, plotly_js, static_text
from detente.web.views import Filters, report_data

_EVENT_KEYS = ("id", "event", "date", "date_first", "date_last", "actor_codes", "recipient_codes",
               "mediator_codes", "quad")


#: Events (and triads, and disagreements) a report embeds unless told otherwise: a report of a
#: large store stays a file a browser opens at once; filters choose which part it shows.
REPORT_LIMIT = 1000


def render_report(store: Store, *, actor: str | None = None, type: str | None = None,
                  since: str | None = None, until: str | None = None,
                  limit: int | None = REPORT_LIMIT) -> str:
    """The report's HTML as a string (see :func:`build_report`)."""
    if limit is not None and limit < 1:
        raise QueryError(f"the report's limit must be 1 or more, not {limit}")
    data = report_data(store, Filters(actor=actor, type=type, since=since, until=until),
                       limit=limit)
    embedded: dict[str, Any] = {
        "events": [{k: ev[k] for k in _EVENT_KEYS} for ev in data["events"]],
        "figures": {"timeline": data["timeline"], "network": data["network"]["figure"]},
        "dyads": data["dyads"],
    }
    inline = {"css": Markup(static_text("style.css")), "js": Markup(static_text("app.js")),
              "plotly": Markup(plotly_js())}
    template = make_env().get_template("report.html")
    return template.render(data=data, inline=inline, data_json=json_markup(embedded), charts=True)


def build_report(store: Store, path: str | Path, *, actor: str | None = None,
                 type: str | None = None, since: str | None = None,
                 until: str | None = None, limit: int | None = REPORT_LIMIT) -> Path:
    """Write the offline report of ``store`` to ``path`` and return the path.

    One HTML file that works without a network: a timeline coloured by quad class, a dyad chart
    (mean Goldstein per month) for each pair present, the actor network with its mediators, the
    mediation triads, the disagreements between documents, and the events, each opening its
    sentence (actor, recipient, mediator and trigger marked) and linking to its document's text.
    ``actor``/``type``/``since``/``until`` choose the events embedded; the page filters them
    further in the browser. At most ``limit`` events, triads and disagreements are embedded
    (the first in date order; the report says how many there are in all), None for all.
    Raises :class:`~detente.errors.QueryError` for a bad filter or an
    unwritable path.
    """
    html = render_report(store, actor=actor, type=type, since=since, until=until, limit=limit)
    target = Path(path)
    try:
        target.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"cannot write the report to {target}: {exc.strerror or exc}") from exc
    return target
