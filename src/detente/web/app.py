"""The local web app: HTML pages and a JSON API over one detente store, opened read-only.

Each request opens the store read-only and closes it when it has answered, so the app holds no
lock between requests: ``detente ingest`` can write to the same file while the app runs (a request
that comes while the ingest is writing gets a 503 naming the writer; the next one after it sees
the new documents). Only the package's own static files are served, by fixed names; no parameter
names a file. Every response carries a Content-Security-Policy (scripts and styles from the app
only; no framing), ``X-Content-Type-Options: nosniff`` and ``X-Frame-Options: DENY``; a request
whose ``Host`` is not a loopback name (or one allowed with ``allowed_hosts``) is refused with 400,
so a DNS-rebinding page cannot read the store; ``HEAD`` is answered on every ``GET`` route
(see :mod:`detente.web.guard`). Errors are JSON ``{"error": "..."}`` with a 4xx status on
``/api`` and an HTML page elsewhere. The API is described in ``docs/web.md``.

The routes are plain functions on a module-level :data:`router`; :func:`create_app` checks the
store, adds the host guard and the error handlers, and includes the router (each request finds
the store's path in ``request.app.state.db_path``).

No ``from __future__ import annotations`` here: FastAPI reads the parameter annotations.
"""

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment
from starlette.exceptions import HTTPException

from detente.errors import QueryError, StoreError, StoreLocked
from detente.store import Store, reports
from detente.web import json_markup, make_env, plotly_js, static_text, views
from detente.web.guard import Guard

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
#: Items per HTML page by default (the API's ``limit`` defaults to :data:`DEFAULT_LIMIT`).
PAGE_EVENTS = 100
PAGE_DOCUMENTS = 100
PAGE_TRIADS = 50
PAGE_DISAGREEMENTS = 50

_STATIC_TYPES: Mapping[str, str] = MappingProxyType(
    {"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"})


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid value')}")
    return "bad parameter: " + "; ".join(parts)


router = APIRouter()
"""Every route of the app: the static files, the JSON API and the pages."""


def get_store(request: Request) -> Iterator[Store]:
    """The app's store, opened read-only for one request and closed when it has answered."""
    store = Store(request.app.state.db_path, read_only=True)
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(get_store)]


@cache
def _env() -> Environment:
    return make_env()


def page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Template ``name`` rendered with ``context``; ``figures`` become the page's chart data."""
    figures = context.pop("figures", None)
    if figures:
        context["data_json"] = json_markup({"figures": figures})
        context["charts"] = True
    return HTMLResponse(_env().get_template(name).render(inline=None, **context),
                        status_code=status_code)


def html_page_of(name: str, key: str, items: list[Any], request: Request, limit: int,
                 offset: int) -> HTMLResponse:
    """One page of ``items`` rendered as ``key`` in template ``name``, with its paging links."""
    context: dict[str, Any] = {key: items[offset:offset + limit]}
    return page(name, paging=views.page_of(request.url.path, request.query_params, len(items),
                                           limit, offset), **context)


def error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return JSONResponse({"error": message}, status_code=status)
    return page("error.html", status, status=status, message=message)


def _query_error(request: Request, exc: QueryError) -> Response:
    return error(request, 400, str(exc))


def _store_error(request: Request, exc: StoreError) -> Response:
    response = error(request, 503, str(exc))
    if isinstance(exc, StoreLocked):
        response.headers["Retry-After"] = "5"
    return response


def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    return error(request, 422, _validation_message(exc))


def _http_error(request: Request, exc: HTTPException) -> Response:
    return error(request, exc.status_code, str(exc.detail))


def _bad_input(request: Request, exc: duckdb.Error) -> Response:
    return error(request, 400, f"the store could not use a parameter: {exc}")


#: Each error type and the handler that answers it (JSON on ``/api``, an HTML page elsewhere).
_EXCEPTION_HANDLERS: tuple[tuple[type[Exception], Callable[[Request, Any], Response]], ...] = (
    (QueryError, _query_error), (StoreError, _store_error),
    (RequestValidationError, _validation_error), (HTTPException, _http_error),
    (duckdb.InvalidInputException, _bad_input), (duckdb.ConversionException, _bad_input))


# -- parameters ------------------------------------------------------------------------------
def event_filters(
    actor: Annotated[str | None, Query(max_length=200,
                                       description="Actor code (PAK), actor id or name")] = None,
    type: Annotated[str | None, Query(max_length=500,
                                      description="PLOVER types, comma-separated")] = None,
    since: Annotated[str | None, Query(max_length=10, description="YYYY[-MM[-DD]]")] = None,
    until: Annotated[str | None, Query(max_length=10, description="YYYY[-MM[-DD]]")] = None,
    doc: Annotated[str | None, Query(max_length=64, description="Document id prefix")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> views.Filters:
    return views.Filters(actor=actor or None, type=type or None, since=since or None,
                         until=until or None, doc=doc or None, min_confidence=min_confidence)


FiltersDep = Annotated[views.Filters, Depends(event_filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (at most {MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, description="Items to skip")]


def paged(request: Request, items: list[Any], limit: int, offset: int, *,
          total: int | None = None) -> dict[str, Any]:
    """One page of ``items`` (all of them, sliced here) or, with ``total``, the page itself
    (sliced by the query), with links to the pages around it."""
    shown = items[offset:offset + limit] if total is None else items
    count = len(items) if total is None else total
    where = views.page_of(request.url.path, request.query_params, count, limit, offset)
    return {"items": shown, "total": count, "limit": limit, "offset": offset,
            "links": where.links()}


# -- static files: fixed names only --------------------------------------------------------
def static_route(name: str) -> Callable[[], Response]:
    def serve() -> Response:
        return Response(static_text(name), media_type=_STATIC_TYPES[name],
                        headers={"Cache-Control": "no-cache"})
    return serve


for _name in _STATIC_TYPES:
    router.add_api_route(f"/static/{_name}", static_route(_name), include_in_schema=False)


@router.get("/static/plotly.min.js", include_in_schema=False)
def plotly_route() -> Response:
    return Response(plotly_js(), media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "max-age=86400"})


# -- JSON API --------------------------------------------------------------------------------
@router.get("/api/events", summary="Events (export contract), filtered and paginated")
def api_events(request: Request, store: StoreDep, filters: FiltersDep,
               limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
               include_flagged: Annotated[bool, Query(
                   description="Also negated and hypothetical events")] = False) -> dict[str, Any]:
    total = store.count_events(**filters.kwargs(), include_flagged=include_flagged)
    recs = store.event_records(**filters.kwargs(), include_flagged=include_flagged,
                               limit=limit, offset=offset)
    return paged(request, views.clean(recs), limit, offset, total=total)


@router.get("/api/events/{event_id}", summary="One event with its marked sentence")
def api_event(store: StoreDep, event_id: str) -> dict[str, Any]:
    ev = views.event_view(store, event_id)
    if ev is None:
        raise HTTPException(404, f"no event {event_id!r} in the store")
    return ev


@router.get("/api/actors", summary="Actors seen, with surface forms and mention counts")
def api_actors(request: Request, store: StoreDep,
               actor: Annotated[str | None, Query(max_length=200)] = None,
               limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    items = views.records(store.actors(actor=actor or None))
    for item in items:
        if isinstance(item.get("roles"), str):
            item["roles"] = json.loads(item["roles"])
    return paged(request, items, limit, offset)


@router.get("/api/dyads", summary="Actor pairs present, busiest first")
def api_dyads(request: Request, store: StoreDep, limit: Limit = DEFAULT_LIMIT,
              offset: Offset = 0) -> dict[str, Any]:
    return paged(request, views.store_dyad_pairs(store), limit, offset)


@router.get("/api/dyad", summary="A dyad's time series (Goldstein, quad counts per bucket)")
def api_dyad(store: StoreDep, a: Annotated[str, Query(min_length=1, max_length=200)],
             b: Annotated[str, Query(min_length=1, max_length=200)],
             by: Annotated[str, Query(pattern="^(month|week|year)$")] = "month"
             ) -> dict[str, Any]:
    view = views.dyad_view(store, a, b, by)
    return {"a": view["a"], "b": view["b"], "by": by, "items": view["series"]}


@router.get("/api/network", summary="The actor network: nodes (degree, betweenness) and edges")
def api_network(store: StoreDep) -> dict[str, Any]:
    net = views.network_view(store)
    return {"nodes": net["nodes"], "edges": net["edges"]}


@router.get("/api/mediation", summary="Mediation triads")
def api_mediation(request: Request, store: StoreDep, limit: Limit = DEFAULT_LIMIT,
                  offset: Offset = 0) -> dict[str, Any]:
    return paged(request, views.triad_views(store), limit, offset)


@router.get("/api/disagreements",
         summary="Claims that differ between documents, one item per subject and document pair")
def api_disagreements(request: Request, store: StoreDep, limit: Limit = DEFAULT_LIMIT,
                      offset: Offset = 0) -> dict[str, Any]:
    return paged(request, views.disagreement_views(store), limit, offset)


@router.get("/api/documents", summary="Documents in the store")
def api_documents(request: Request, store: StoreDep,
                  since: Annotated[str | None, Query(max_length=10)] = None,
                  until: Annotated[str | None, Query(max_length=10)] = None,
                  limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    total = store.count_docs(since=since or None, until=until or None)
    items = views.document_list(store, since=since or None, until=until or None, limit=limit,
                                offset=offset)
    return paged(request, items, limit, offset, total=total)


@router.get("/api/documents/{doc_id}", summary="One document: metadata, text and its events")
def api_document(store: StoreDep, doc_id: str) -> dict[str, Any]:
    doc = views.document_view(store, doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r} in the store")
    doc.pop("segments", None)
    return doc


@router.get("/api/search", summary="Documents whose text contains q (case-insensitive)")
def api_search(store: StoreDep, q: Annotated[str, Query(min_length=1, max_length=200)],
               limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    return views.search_documents(store, q, limit=limit, offset=offset)


# -- pages -----------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(request: Request, store: StoreDep, filters: FiltersDep,
                  limit: Limit = PAGE_EVENTS, offset: Offset = 0) -> HTMLResponse:
    total = store.count_events(**filters.kwargs())
    events = views.event_views(store, filters, limit=limit, offset=offset)
    types = reports.stored_event_types(store)
    return page("timeline.html", filters=filters, types=types, events=events, total=total,
                paging=views.page_of("/", request.query_params, total, limit, offset),
                figures={"timeline": views.timeline_figure(events)})


@router.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
def event_page(store: StoreDep, event_id: str) -> HTMLResponse:
    ev = views.event_view(store, event_id)
    if ev is None:
        raise HTTPException(404, f"no event {event_id!r} in the store")
    return page("event.html", ev=ev)


@router.get("/documents", response_class=HTMLResponse, include_in_schema=False)
def documents_page(request: Request, store: StoreDep, limit: Limit = PAGE_DOCUMENTS,
                   offset: Offset = 0) -> HTMLResponse:
    total = store.count_docs()
    return page("documents.html", docs=views.document_list(store, limit=limit, offset=offset),
                paging=views.page_of("/documents", request.query_params, total, limit, offset))


@router.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
def document_page(store: StoreDep, doc_id: str) -> HTMLResponse:
    doc = views.document_view(store, doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id!r} in the store")
    return page("document.html", doc=doc)


@router.get("/dyad", response_class=HTMLResponse, include_in_schema=False)
def dyad_page(store: StoreDep, pair: Annotated[str | None, Query(max_length=400)] = None,
              a: Annotated[str | None, Query(max_length=200)] = None,
              b: Annotated[str | None, Query(max_length=200)] = None,
              by: Annotated[str, Query(pattern="^(month|week|year)$")] = "month") -> HTMLResponse:
    pairs = views.store_dyad_pairs(store)
    if pair and "|" in pair:
        a, b = pair.split("|", 1)
    if not (a and b) and pairs:
        a, b = pairs[0]["a"], pairs[0]["b"]
    figures = {"dyad": views.dyad_view(store, a, b, by)["figure"]} if a and b else None
    return page("dyad.html", pairs=pairs, a=a, b=b, by=by, buckets=views.DYAD_BUCKETS,
                figures=figures)


@router.get("/network", response_class=HTMLResponse, include_in_schema=False)
def network_page(store: StoreDep) -> HTMLResponse:
    net = views.network_view(store)
    return page("network.html", network=net, figures={"network": net["figure"]})


@router.get("/mediation", response_class=HTMLResponse, include_in_schema=False)
def mediation_page(request: Request, store: StoreDep, limit: Limit = PAGE_TRIADS,
                   offset: Offset = 0) -> HTMLResponse:
    return html_page_of("mediation.html", "triads", views.triad_views(store), request, limit, offset)


@router.get("/disagreements", response_class=HTMLResponse, include_in_schema=False)
def disagreements_page(request: Request, store: StoreDep, limit: Limit = PAGE_DISAGREEMENTS,
                       offset: Offset = 0) -> HTMLResponse:
    return html_page_of("disagreements.html", "disagreements", views.disagreement_views(store), request,
                 limit, offset)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(store: StoreDep,
                q: Annotated[str | None, Query(max_length=200)] = None) -> HTMLResponse:
    result = views.search_documents(store, q) if q and q.strip() else None
    return page("search.html", result=result, q=q)


@router.get("/api", response_class=HTMLResponse, include_in_schema=False)
def api_page(request: Request) -> HTMLResponse:
    return page("api.html", endpoints=endpoint_list(request.app.openapi()))


def create_app(db_path: str, *, allowed_hosts: Sequence[str] = (),
               port: int | None = None) -> FastAPI:
    """The web app over the store at ``db_path`` (opened read-only for each request).

    ``allowed_hosts`` are host names accepted in the ``Host`` header besides the loopback
    names (:data:`~detente.web.guard.LOOPBACK_HOSTS`); ``port``, when given, is the only port
    accepted with them.
    Raises :class:`~detente.errors.StoreError` when there is no store at ``db_path``.
    """
    if db_path == ":memory:" or not Path(db_path).is_file():
        raise StoreError(f"no detente store at {db_path}; run `detente ingest PATH` first or point "
                         "--db at an existing store")
    Store(db_path, read_only=True).close()  # a DuckDB file we can read, or a StoreError now

    app = FastAPI(title="detente", version="1", docs_url=None, redoc_url=None,
                  description="Events, actors, dyads and mediation from a detente store "
                              "(read-only). See docs/web.md.")
    app.state.db_path = db_path
    app.add_middleware(Guard, allowed_hosts=tuple(allowed_hosts), port=port)

    for exc_type, handler in _EXCEPTION_HANDLERS:
        app.exception_handler(exc_type)(handler)
    app.include_router(router)
    return app


def endpoint_list(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The endpoints of an OpenAPI document: method, path, summary and parameters."""
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = []
            for p in op.get("parameters", []):
                schema = p.get("schema", {})
                types = [s.get("type") for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
                params.append({"name": p.get("name"), "in": p.get("in"),
                               "required": bool(p.get("required")),
                               "type": "/".join(t for t in types if t),
                               "description": p.get("description") or schema.get("description", "")})
            out.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "params": params})
    return out
