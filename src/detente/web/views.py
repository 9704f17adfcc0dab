"""Data preparation shared by the offline report and the web app.

Everything here reads a :class:`~detente.store.Store` and returns plain JSON-able Python
(dicts, lists, strings, numbers): the templates render it, the JSON API returns it and the report
embeds it. Charts are plotly figures built by :mod:`detente.web.figures` (``*_figure``, named
here too) and drawn in the browser by the plotly.js that ships inside the plotly package, so
nothing is fetched at view time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from detente.errors import QueryError
from detente.store import Store, frame_rows, reports
from detente.values import plain
from detente.web.figures import QUADS as QUADS
from detente.web.figures import UNKNOWN_QUAD as UNKNOWN_QUAD
from detente.web.figures import dyad_figure as dyad_figure
from detente.web.figures import network_figure as network_figure
from detente.web.figures import quad_info as quad_info
from detente.web.figures import timeline_figure as timeline_figure

MARKS = ("actor", "recipient", "mediator", "trigger")
DYAD_BUCKETS = ("month", "week", "year")


@dataclass(frozen=True)
class Filters:
    """The event filters every view accepts (the same as ``detente events``)."""

    actor: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    doc: str | None = None
    min_confidence: float | None = None

    def kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    def active(self) -> bool:
        return bool(self.kwargs())




clean = plain  # the web views' name for it


def records(frame: Any) -> list[dict[str, Any]]:
    """A DataFrame as JSON-able records."""
    return [{str(k): clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


# -- highlighted sentences -----------------------------------------------------------------------
def segments(text: str, spans: Iterable[tuple[int, int, str]]) -> list[dict[str, Any]]:
    """Cut ``text`` into ``{"text", "mark"}`` pieces; ``mark`` is a span's role or None.

    Spans index ``text``; those outside it or overlapping an earlier (or longer) span are dropped,
    so the pieces always join back to ``text``.
    """
    chosen: list[tuple[int, int, str]] = []
    ordered = sorted(((s, e, m) for s, e, m in spans if 0 <= s < e <= len(text)),
                     key=lambda x: (x[0], -(x[1] - x[0])))
    for start, end, mark in ordered:
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, mark))
    out: list[dict[str, Any]] = []
    pos = 0
    for start, end, mark in chosen:
        if start > pos:
            out.append({"text": text[pos:start], "mark": None})
        out.append({"text": text[start:end], "mark": mark})
        pos = end
    if pos < len(text) or not out:
        out.append({"text": text[pos:], "mark": None})
    return out


# -- events --------------------------------------------------------------------------------------
def _names(refs: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(str(r.get("name") or r.get("entity_text") or r.get("code") or "?") for r in refs)


def _codes(refs: Sequence[Mapping[str, Any]]) -> list[str]:
    return [str(r["code"]) for r in refs if r.get("code")]


def event_views(store: Store, filters: Filters = Filters(), *, include_flagged: bool = False,
                limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Events with everything a page shows: names, codes, quad colour and the marked sentence;
    ``limit``/``offset`` give one page of them."""
    recs = store.event_records(**filters.kwargs(), include_flagged=include_flagged, limit=limit,
                               offset=offset)
    if not recs:
        return []
    ids = [r["id"] for r in recs]
    by_id = {row["event_id"]: row for row in records(reports.event_offsets(store, ids))}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for row in records(reports.participant_spans(store, ids)):
        spans.setdefault(row["event_id"], []).append(
            (int(row["char_start"]), int(row["char_end"]), str(row["role"])))
    out = []
    for rec in recs:
        off = by_id.get(rec["id"], {})
        base = int(off.get("sent_start") or 0)
        marks = [(s - base, e - base, m) for s, e, m in spans.get(rec["id"], []) if m in MARKS]
        if off.get("trigger_start") is not None and off.get("trigger_end") is not None:
            marks.append((int(off["trigger_start"]) - base, int(off["trigger_end"]) - base, "trigger"))
        info = rec["text_info"]
        quad = quad_info(rec["quad_code"])
        out.append({
            "id": rec["id"], "date": rec["date"], "date_precision": rec["date_precision"],
            "date_first": off.get("date_first"), "date_last": off.get("date_last"),
            "event": rec["event"], "mode": rec["mode"], "quad": rec["quad_code"],
            "quad_label": quad["label"], "colour": quad["colour"], "goldstein": rec["goldstein"],
            "confidence": rec["confidence"], "negated": rec["negated"],
            "hypothetical": rec["hypothetical"],
            "actor": _names(rec["actor"]), "recipient": _names(rec["recipient"]),
            "mediator": _names(rec["mediator"]), "actor_codes": _codes(rec["actor"]),
            "recipient_codes": _codes(rec["recipient"]), "mediator_codes": _codes(rec["mediator"]),
            "trigger": rec["event_text"], "text": rec["text"],
            "place": (rec["event_loc"] or {}).get("name"),
            "doc_id": info["doc_id"], "doc_title": info["title"] or info["path"],
            "sentence_index": info["sentence_index"],
            "segments": segments(rec["text"] or "", marks),
        })
    return out


def event_view(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event (flagged ones included) by its id, or None."""
    doc = reports.event_document(store, event_id)
    if doc is None:
        return None
    for ev in event_views(store, Filters(doc=doc), include_flagged=True):
        if ev["id"] == event_id:
            return ev
    return None


def anchor(doc_id: str, sentence_index: int) -> str:
    """The id of an event's sentence in a rendered document."""
    return f"s-{doc_id}-{sentence_index}"


# -- documents -----------------------------------------------------------------------------------
def document_list(store: Store, *, since: str | None = None, until: str | None = None,
                  limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    return records(store.docs(since=since, until=until, limit=limit, offset=offset))


def document_view(store: Store, doc_id: str, *, events: Sequence[dict[str, Any]] | None = None
                  ) -> dict[str, Any] | None:
    """A document's metadata, its text cut at its events' sentences (anchored) and its events."""
    evs = list(events) if events is not None else event_views(store, Filters(doc=doc_id),
                                                              include_flagged=True)
    found = document_views(store, [doc_id], events=evs)
    return found[0] if found else None


def document_views(store: Store, doc_ids: Sequence[str], *,
                   events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """:func:`document_view` of each of ``doc_ids`` that is stored (in that order), read with
    one query per table; ``events`` are the events to mark (those of other documents are left
    out of each)."""
    if not doc_ids:
        return []
    ids = list(dict.fromkeys(doc_ids))
    docs = {d["doc_id"]: d for d in records(reports.document_rows(store, ids))}
    # every sentence is anchored (disagreements link to theirs); those with events are marked
    spans_of: dict[str, list[dict[str, Any]]] = {}
    for r in records(reports.sentence_spans(store, ids)):
        spans_of.setdefault(str(r["doc_id"]), []).append(r)
    events_of: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        events_of.setdefault(str(e["doc_id"]), []).append(e)
    out = []
    for doc_id in ids:
        doc = docs.get(doc_id)
        if doc is None:
            continue
        evs = events_of.get(doc_id, [])
        spans, seen = [], set()
        for r in spans_of.get(doc_id, []):
            index = int(r["sentence_index"])
            if index not in seen:
                seen.add(index)
                spans.append((int(r["char_start"]), int(r["char_end"]), anchor(doc_id, index)))
        event_anchors = {anchor(doc_id, e["sentence_index"]) for e in evs}
        doc["segments"] = [{"text": s["text"], "anchor": s["mark"],
                            "event": s["mark"] in event_anchors}
                           for s in segments(doc["text"] or "", spans)]
        doc["events"] = evs
        out.append(doc)
    return out


# -- dyads ---------------------------------------------------------------------------------------
def dyad_pairs(events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The unordered actor/recipient pairs present, busiest first."""
    counts: dict[tuple[str, str], int] = {}
    for ev in events:
        for a in ev["actor_codes"]:
            for b in ev["recipient_codes"]:
                if a != b:
                    key = (min(a, b), max(a, b))
                    counts[key] = counts.get(key, 0) + 1
    return [{"a": a, "b": b, "events": n, "key": f"{a}|{b}"}
            for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def store_dyad_pairs(store: Store) -> list[dict[str, Any]]:
    """:func:`dyad_pairs` of every event the timeline shows (negated and hypothetical ones left
    out), counted in the store instead of over loaded events."""
    counts = {(str(r.a), str(r.b)): int(r.n) for r in frame_rows(reports.dyad_pair_counts(store))}
    return [{"a": a, "b": b, "events": n, "key": f"{a}|{b}"}
            for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def dyad_view(store: Store, a: str, b: str, by: str = "month", *,
              data: Any = None) -> dict[str, Any]:
    """The dyad series of ``a`` and ``b`` (see :func:`detente.analysis.dyad_series`) and its chart;
    ``data`` is :func:`detente.analysis.load_dyad_data` for drawing many dyads."""
    if by not in DYAD_BUCKETS:
        raise QueryError(f"bad bucket {by!r}: use one of {', '.join(DYAD_BUCKETS)}")
    from detente.analysis import dyad_series

    series = records(dyad_series(store, a, b, by=by, data=data))
    return {"a": a, "b": b, "by": by, "series": series,
            "figure": dyad_figure(a, b, by, series)}






# -- network -------------------------------------------------------------------------------------
def _mediators(store: Store, triads: Sequence[Mapping[str, Any]]) -> set[str]:
    found = {str(t["mediator"]) for t in triads if t.get("mediator")}
    found |= {str(k) for k in reports.mediator_keys(store) if k}
    return found


def network_view(store: Store, triads: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The actor network (``detente.analysis.actor_network``) laid out with a fixed seed."""
    import networkx as nx

    from detente.analysis import actor_network

    graph = actor_network(store)
    triads = triad_views(store) if triads is None else triads
    mediators = _mediators(store, triads)
    pos = nx.spring_layout(graph, seed=7) if graph.number_of_nodes() else {}
    nodes = []
    for node, data in graph.nodes(data=True):
        x, y = pos[node]
        nodes.append({"id": str(node), "label": str(node), "name": str(data.get("name") or node),
                      "x": float(x), "y": float(y), "events": clean(data.get("events")),
                      "degree": clean(data.get("degree")),
                      "betweenness": clean(data.get("betweenness")),
                      "mediations": clean(data.get("mediations")),
                      "mediator": bool(data.get("broker")) or str(node) in mediators})
    edges = [{"source": str(u), "target": str(v),
              "events": clean(d.get("events")), "mediation": clean(d.get("mediation")),
              "weight": clean(d.get("weight"))}
             for u, v, d in graph.edges(data=True)]
    table = sorted(nodes, key=lambda n: (-(n["betweenness"] or 0.0), -(n["degree"] or 0), n["id"]))
    return {"nodes": nodes, "edges": edges, "table": table, "figure": network_figure(nodes, edges)}




# -- mediation and disagreements ---------------------------------------------------------------
def triad_views(store: Store) -> list[dict[str, Any]]:
    """Mediation triads (``detente.link.find_triads``, as linking stored them when the store is
    unchanged since) as records."""
    from detente.analysis import mediation_triads

    return records(mediation_triads(store))


def disagreement_views(store: Store) -> list[dict[str, Any]]:
    """Disagreements between documents, one item per subject and pair of documents
    (:func:`detente.analysis.disagreement_pairs`): what it is about, and for each document its
    title, date, link target and the claims it makes, each quoting its sentence."""
    from detente.analysis import disagreement_pairs

    items = disagreement_pairs(store)
    for item in items:
        for side in ("a", "b"):
            doc = item[side]
            doc["label"] = doc["title"] or doc["path"] or doc["doc_id"]
            for claim in doc["claims"]:
                index = claim["sentence_index"]
                claim["anchor"] = anchor(doc["doc_id"], int(index)) if index is not None else None
    return items


def cell(value: Any) -> str:
    """A table cell's text (lists joined)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# -- pages ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    """Where one page of a long list sits: ``total`` items, ``limit`` from ``offset``, and the
    links (relative URLs keeping the other query parameters) to the pages around it."""

    total: int
    limit: int
    offset: int
    first: str | None
    prev: str | None
    next: str | None
    last: str | None

    @property
    def start(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def end(self) -> int:
        return min(self.offset + self.limit, self.total)

    def links(self) -> dict[str, str | None]:
        return {"first": self.first, "prev": self.prev, "next": self.next, "last": self.last}


def page_of(path: str, params: Mapping[str, Any], total: int, limit: int, offset: int) -> Page:
    """The :class:`Page` at ``offset`` of ``total`` items shown ``limit`` at a time under
    ``path``; ``params`` are the request's other query parameters (kept in the links)."""
    from urllib.parse import urlencode

    kept = {k: v for k, v in params.items() if k not in ("limit", "offset") and v not in (None, "")}

    def url(at: int) -> str:
        return f"{path}?{urlencode({**kept, 'limit': limit, 'offset': at})}"

    last = max((total - 1) // limit * limit, 0) if total else 0
    return Page(total, limit, offset,
                first=url(0) if offset > 0 else None,
                prev=url(max(offset - limit, 0)) if offset > 0 else None,
                next=url(offset + limit) if offset + limit < total else None,
                last=url(last) if offset + limit < total else None)


# -- search --------------------------------------------------------------------------------------
def like_pattern(query: str) -> str:
    """An ILIKE pattern matching ``query`` literally anywhere (``\\`` escapes ``%`` and ``_``)."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_documents(store: Store, query: str, *, limit: int = 50, offset: int = 0,
                     context: int = 80) -> dict[str, Any]:
    """Documents whose text contains ``query`` (case-insensitive), with a snippet around it."""
    query = query.strip()
    if not query:
        raise QueryError("empty search: give some text to look for with q=")
    pattern = like_pattern(query)
    total = reports.count_text_matches(store, pattern)
    items = []
    for row in records(reports.text_matches(store, pattern, limit=limit, offset=offset)):
        text = row.pop("text") or ""
        at = text.lower().find(query.lower())
        start = max(at - context, 0)
        row["snippet"] = ("…" if start else "") + text[start:at + len(query) + context] + \
            ("…" if at + len(query) + context < len(text) else "")
        row["match_start"] = at
        items.append(row)
    return {"items": items, "total": total, "limit": limit, "offset": offset, "q": query}


# -- the report's data ---------------------------------------------------------------------------
def report_data(store: Store, filters: Filters = Filters(), *,
                limit: int | None = None) -> dict[str, Any]:
    """Everything the offline report embeds: with ``limit``, the first ``limit`` events (in
    timeline order), triads and disagreements, and the documents they come from
    (``total_events``, ``total_triads`` and ``total_disagreements`` count them all)."""
    total_events = store.count_events(**filters.kwargs())
    events = event_views(store, filters, limit=limit)
    triads = triad_views(store)
    if filters.actor:
        key = filters.actor.upper()
        triads = [t for t in triads if key in {str(t.get(k) or "").upper()
                                                for k in ("mediator", "party_a", "party_b")}]
    total_triads = len(triads)
    triads = triads[:limit] if limit is not None else triads
    pairs = dyad_pairs(events)
    from detente.analysis import load_dyad_data
    from detente.store.links import LinkStore

    # a linked store gives each pair its own events quickly; otherwise load them all once
    data = None if LinkStore(store).is_linked() or not pairs else load_dyad_data(store)
    dyads = {p["key"]: dyad_view(store, p["a"], p["b"], data=data)["figure"] for p in pairs[:40]}
    disagreements = disagreement_views(store)
    total_disagreements = len(disagreements)
    disagreements = disagreements[:limit] if limit is not None else disagreements
    doc_ids = sorted({e["doc_id"] for e in events}
                     | {d[side]["doc_id"] for d in disagreements for side in ("a", "b")})
    documents = document_views(store, doc_ids, events=events)
    actors = sorted({c for e in events for c in e["actor_codes"] + e["recipient_codes"]
                     + e["mediator_codes"]})
    return {
        "filters": filters.kwargs(),
        "quads": [{"quad": q, "label": label, "colour": colour}
                  for q, (label, colour) in QUADS.items()],
        "events": events,
        "total_events": total_events,
        "total_triads": total_triads,
        "total_disagreements": total_disagreements,
        "types": sorted({e["event"] for e in events}),
        "actors": actors,
        "timeline": timeline_figure(events),
        "pairs": pairs,
        "dyads": dyads,
        "network": network_view(store, triads),
        "triads": triads,
        "disagreements": disagreements,
        "documents": documents,
        # the store's last write, not the clock: the same store gives the same report
        "as_of": store.last_ingested(),
        "store": store.path,
    }




def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</``, ``<!--`` or ``]]>``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
