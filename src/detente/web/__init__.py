"""See it: an offline HTML report (:mod:`detente.web.report`) and a local web app
(:mod:`detente.web.app`) over a detente store, sharing their data preparation
(:mod:`detente.web.views`, its charts in :mod:`detente.web.figures`) and templates."""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from detente.web import views

STATIC_FILES = ("app.js", "style.css")


def make_env() -> Environment:
    """The Jinja2 environment of the templates (autoescape on for every template)."""
    env = Environment(loader=PackageLoader("detente.web", "templates"), autoescape=True,
                      trim_blocks=False, lstrip_blocks=False)
    env.globals.update(anchor=views.anchor, cell=views.cell)
    return env


def static_text(name: str) -> str:
    """One of the package's own static files, by its fixed name."""
    if name not in STATIC_FILES:
        raise KeyError(name)
    return (resources.files("detente.web") / "static" / name).read_text(encoding="utf-8")


@cache
def plotly_js() -> str:
    """plotly.js as shipped inside the plotly package (nothing fetched)."""
    from plotly.offline import get_plotlyjs

    js: str = get_plotlyjs()
    return js


def json_markup(data: object) -> Markup:
    """Data for a ``<script type="application/json">`` block, escaped so it cannot close it."""
    return Markup(views.script_json(data))
