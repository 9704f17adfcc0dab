"""Charts: the plotly figures of the pages and the report (the timeline, a dyad's mean Goldstein
score, the actor network) as JSON-able dicts, and the quad classes' labels and colours they use.

The figures are drawn in the browser by the plotly.js that ships inside the plotly package.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from detente.ontology import load_ontology

# the colour each quad class is drawn in (presentation; the names are the ontology's)
_COLOURS: Mapping[int, str] = {1: "#2f9e44", 2: "#1971c2", 3: "#f08c00", 4: "#c92a2a"}

#: PLOVER/CAMEO quad classes: label (from data/ontology/plover.yaml) and colour.
QUADS: Mapping[int, tuple[str, str]] = MappingProxyType({
    quad: (name, _COLOURS.get(quad, "#868e96")) for quad, name in load_ontology().quad_names.items()})
UNKNOWN_QUAD = ("Unclassified", "#868e96")


def quad_info(quad: int | None) -> dict[str, Any]:
    """The quad class ``quad`` (1-4, or None) with its label and colour."""
    label, colour = QUADS.get(quad, UNKNOWN_QUAD) if quad is not None else UNKNOWN_QUAD
    return {"quad": quad, "label": label, "colour": colour}


def dyad_figure(a: str, b: str, by: str, series: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The mean Goldstein score of each bucket of a dyad series, with its number of events."""
    x = [str(r["bucket"]) for r in series]
    y = [r["goldstein_mean"] for r in series]
    counts = [r["n_events"] for r in series]
    fig = go.Figure(go.Scatter(
        x=x, y=y, mode="lines+markers", name=f"{a}–{b}", line={"color": "#1971c2"},
        customdata=counts, hovertemplate="%{x}<br>Goldstein %{y:.2f}<br>%{customdata} event(s)"
                                         "<extra></extra>"))
    fig.add_hline(y=0, line={"color": "#adb5bd", "dash": "dot"})
    fig.update_layout(title=f"{a} – {b}: mean Goldstein per {by}", yaxis={"range": [-10.5, 10.5],
                      "title": "Goldstein"}, xaxis={"title": by, "type": "category"},
                      margin={"l": 50, "r": 20, "t": 50, "b": 50}, height=360,
                      template="plotly_white")
    return figure_json(fig)


def timeline_figure(events: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Events by date and type, one trace (colour) per quad class; customdata holds event ids."""
    fig = go.Figure()
    dated = [e for e in events if e.get("date_first")]
    quads = sorted({e["quad"] for e in dated}, key=lambda q: (q is None, q or 0))
    for quad in quads:
        info = quad_info(quad)
        evs = [e for e in dated if e["quad"] == quad]
        fig.add_trace(go.Scatter(
            x=[e["date_first"] for e in evs], y=[e["event"] for e in evs], mode="markers",
            name=info["label"], marker={"color": info["colour"], "size": 12,
                                        "line": {"width": 1, "color": "#fff"}},
            customdata=[e["id"] for e in evs],
            text=[f"{e['actor'] or '?'} → {e['recipient'] or '?'}: {e['trigger']}" for e in evs],
            hovertemplate="%{x}<br>%{y}<br>%{text}<extra></extra>"))
    fig.update_layout(title="Events over time", xaxis={"type": "date", "title": "date"},
                      yaxis={"type": "category", "title": "PLOVER type"}, height=380,
                      legend={"orientation": "h", "y": -0.25}, hovermode="closest",
                      margin={"l": 110, "r": 20, "t": 50, "b": 40}, template="plotly_white")
    return figure_json(fig)


def network_figure(nodes: Sequence[Mapping[str, Any]],
                   edges: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The laid-out network: relations as lines, actors as circles and mediators as diamonds."""
    where = {n["id"]: (n["x"], n["y"]) for n in nodes}
    ex: list[float | None] = []
    ey: list[float | None] = []
    for e in edges:
        if e["source"] in where and e["target"] in where:
            (x0, y0), (x1, y1) = where[e["source"]], where[e["target"]]
            ex += [x0, x1, None]
            ey += [y0, y1, None]
    fig = go.Figure(go.Scatter(x=ex, y=ey, mode="lines", line={"color": "#ced4da", "width": 1.5},
                               hoverinfo="skip", name="relations", showlegend=False))
    for is_med, name, symbol, colour in ((False, "actor", "circle", "#1971c2"),
                                         (True, "mediator", "diamond", "#e8590c")):
        group = [n for n in nodes if n["mediator"] is is_med]
        if not group:
            continue
        size = [14 + 4 * float(n["degree"] or 0) ** 0.5 for n in group]
        fig.add_trace(go.Scatter(
            x=[n["x"] for n in group], y=[n["y"] for n in group], mode="markers+text",
            text=[n["label"] for n in group], textposition="top center", name=name,
            marker={"symbol": symbol, "size": size, "color": colour,
                    "line": {"width": 1, "color": "#fff"}},
            customdata=[[n["name"], n["degree"], n["betweenness"]] for n in group],
            hovertemplate="%{customdata[0]} (%{text})<br>degree %{customdata[1]}<br>betweenness "
                          "%{customdata[2]:.3f}<extra>" + name + "</extra>"))
    fig.update_layout(title="Actor network (mediators as diamonds)", showlegend=True,
                      xaxis={"visible": False}, yaxis={"visible": False}, height=460,
                      margin={"l": 20, "r": 20, "t": 50, "b": 20}, template="plotly_white")
    return figure_json(fig)


def figure_json(fig: go.Figure) -> dict[str, Any]:
    """``fig`` as the plain JSON dict plotly.js draws."""
    out: dict[str, Any] = json.loads(pio.to_json(fig, validate=False))
    return out
