"""Reading the store: documents, events (flat or in the export shape), actors, summaries.

Each query takes the store's connection and returns a pandas DataFrame (or an Arrow table, for
``events(arrow=True)``) or plain records; the filters are checked here (a bad date or an unknown
event type is a :class:`~detente.errors.QueryError`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, cast

import duckdb
import pyarrow as pa

from detente.errors import QueryError
from detente.values import plain

if TYPE_CHECKING:  # pandas is imported by duckdb when a query asks for a DataFrame, not at start-up
    import pandas as pd


class Row(Protocol):
    """One row of a query result with its columns as attributes (``DataFrame.itertuples``).

    A cell holds whatever the query's column type reads back as (str, int, float, list, None,
    NaN ...), which no static type can tell: callers convert what they use.
    """

    def __getattr__(self, name: str, /) -> Any: ...


def frame_rows(frame: pd.DataFrame) -> Iterator[Row]:
    """The rows of ``frame`` as named tuples (``itertuples(index=False)``)."""
    return cast(Iterator[Row], frame.itertuples(index=False))


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")``, typed: the columns of a query result are always named by str."""
    return cast(list[dict[str, Any]], frame.to_dict("records"))


@functools.cache
def plover_types() -> tuple[str, ...]:
    """The PLOVER types of the bundled coding table (``data/ontology/plover.yaml``)."""
    from detente.events.code import load_table

    return tuple(load_table().types)


def _most_frequent(column: str, source: str = "picked") -> str:
    """SQL for one row per actor_id: the most frequent non-null ``column`` of ``source``, ties
    broken by the value that sorts first (DuckDB's ``mode()`` breaks them by scan order, which
    varies from run to run)."""
    return f"""(SELECT actor_id, value FROM (
                  SELECT actor_id, {column} AS value, count(*) AS n FROM {source}
                  WHERE {column} IS NOT NULL GROUP BY actor_id, {column})
                QUALIFY row_number() OVER (PARTITION BY actor_id ORDER BY n DESC, value) = 1)"""


def sql(con: duckdb.DuckDBPyConnection, query: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run a read query against the store (parameterised) and return a DataFrame."""
    return con.execute(query, list(params)).df()


def docs(con: duckdb.DuckDBPyConnection, *, doc: str | None = None, since: str | None = None,
         until: str | None = None, limit: int | None = None,
         offset: int = 0) -> pd.DataFrame:
    """Documents in publication order with their event counts; ``limit``/``offset`` page
    them (see :meth:`count_docs`)."""
    where, params = _doc_filter(doc, since, until)
    page = ""
    if limit is not None:
        page = " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset)]
    return sql(con, f"""
        SELECT d.doc_id, d.title, d.published, d.published_precision, d.published_how, d.source,
               d.path, (SELECT count(*) FROM events e WHERE e.doc_id = d.doc_id) AS events,
               length(d.text) AS chars
        FROM documents d WHERE {where} ORDER BY d.published NULLS LAST, d.path, d.doc_id{page}""",
               params)


def count_docs(con: duckdb.DuckDBPyConnection, *, doc: str | None = None,
               since: str | None = None, until: str | None = None) -> int:
    """How many documents :meth:`docs` gives with these filters."""
    where, params = _doc_filter(doc, since, until)
    row = con.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()
    return int(row[0]) if row else 0


def _doc_filter(doc: str | None, since: str | None,
                until: str | None) -> tuple[str, list[Any]]:
    where, params = ["1=1"], []
    if doc:
        where.append("(d.doc_id LIKE ? OR d.path LIKE ?)")
        params += [doc + "%", "%" + doc + "%"]
    if since:
        where.append("d.published >= ?")
        date_bound(since)
        params.append(since.strip())
    if until:
        where.append("d.published <= ?")
        date_bound(until)
        params.append(until.strip() + "\uffff")
    return " AND ".join(where), params


class CheckedFilter:
    """What the store's filter types share (:class:`EventFilter`,
    :class:`~detente.store.links.CanonicalFilter`): made from keywords by :meth:`of` (an unknown
    one is a :class:`QueryError` naming them), a ``type`` sequence kept as a tuple, and
    ``since``/``until`` checked as ``YYYY[-MM[-DD]]`` when made."""

    label: ClassVar[str] = "filter"
    type: str | Sequence[str] | None
    since: str | None
    until: str | None

    @classmethod
    def of(cls, **filters: Any) -> Self:
        """The filter of these keywords; an unknown one is a :class:`QueryError` naming them."""
        names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
        unknown = sorted(set(filters) - set(names))
        if unknown:
            raise QueryError(f"unknown {cls.label}(s) {', '.join(repr(k) for k in unknown)}: "
                             f"the {cls.label}s are {', '.join(names)}")
        return cls(**filters)

    def _check_common(self) -> None:
        if self.type is not None and not isinstance(self.type, str):
            object.__setattr__(self, "type", tuple(self.type))
        if self.since:
            date_bound(self.since)
        if self.until:
            date_bound(self.until, last=True)


@dataclass(frozen=True)
class EventFilter(CheckedFilter):
    """Which stored events a query gives: the filters of :meth:`Store.events`,
    :meth:`Store.event_records` and :meth:`Store.count_events`, checked when made.

    ``actor``: a participant's code, actor id or name (any case); ``type``: event types, one or a
    sequence, each possibly comma-separated (any case; checked against the store's types by
    :meth:`where`); ``since``/``until``: ``YYYY[-MM[-DD]]`` bounds an event's date range must
    reach; ``doc``: a document id prefix; ``min_confidence``: the least confidence;
    ``include_flagged``: keep negated and hypothetical events too.
    """

    actor: str | None = None
    type: str | Sequence[str] | None = None
    since: str | None = None
    until: str | None = None
    doc: str | None = None
    min_confidence: float | None = None
    include_flagged: bool = False
    label: ClassVar[str] = "event filter"

    def __post_init__(self) -> None:
        self._check_common()
        if self.min_confidence is not None:
            try:
                object.__setattr__(self, "min_confidence", float(self.min_confidence))
            except (TypeError, ValueError):
                raise QueryError(f"the event filter min_confidence must be a number, not "
                                 f"{self.min_confidence!r}") from None

    def where(self, con: duckdb.DuckDBPyConnection) -> tuple[str, list[Any]]:
        """The SQL condition on ``events e`` and its parameters (an unknown type is a
        :class:`QueryError` listing the store's types)."""
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if self.actor:
            where.append("e.event_id IN (SELECT event_id FROM participants p WHERE "
                         "upper(p.code) = upper(?) OR p.actor_id = ? OR lower(p.name) = lower(?))")
            params += [self.actor, self.actor, self.actor]
        if self.type:
            types = [self.type] if isinstance(self.type, str) else list(self.type)
            types = [t.strip().upper() for t in types for t in t.split(",") if t.strip()]
            check_types(con, types)
            where.append(f"e.event IN ({', '.join('?' for _ in types)})")
            params += types
        if self.since:
            where.append("e.date_last >= CAST(? AS DATE)")
            params.append(date_bound(self.since).isoformat())
        if self.until:
            where.append("e.date_first <= CAST(? AS DATE)")
            params.append(date_bound(self.until, last=True).isoformat())
        if self.doc:
            where.append("e.doc_id LIKE ?")
            params.append(self.doc + "%")
        if self.min_confidence is not None:
            where.append("e.confidence >= ?")
            params.append(float(self.min_confidence))
        if not self.include_flagged:
            where.append("NOT e.negated AND NOT e.hypothetical")
        return " AND ".join(where), params


def event_types(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The event types a ``type`` filter accepts: the PLOVER types, and any other type stored
    (from an extra lexicon), sorted."""
    stored = {r[0] for r in con.execute(
        "SELECT DISTINCT event FROM events WHERE event IS NOT NULL").fetchall()}
    return sorted(set(plover_types()) | stored)


def check_types(con: duckdb.DuckDBPyConnection, types: Sequence[str]) -> None:
    """Raise a :class:`QueryError` listing the valid types when one of ``types`` is unknown."""
    valid = event_types(con)
    unknown = [t for t in types if t not in valid]
    if unknown:
        raise QueryError(f"unknown event type(s) {', '.join(repr(t) for t in unknown)}: use "
                         f"one or more (comma-separated) of {', '.join(valid)}")


def events(con: duckdb.DuckDBPyConnection, flt: EventFilter, *,
           arrow: bool = False) -> pd.DataFrame | pa.Table:
    """Events as a flat table: one row per event, actors and recipients joined as strings."""
    where, params = flt.where(con)
    query = f"""
        WITH part AS (
          SELECT event_id, role,
                 string_agg(coalesce(code, '?') || coalesce(sector, ''), '+' ORDER BY position)
                   AS codes,
                 string_agg(name, '; ' ORDER BY position) AS names
          FROM participants GROUP BY event_id, role)
        SELECT e.event_id, e.date, e.date_precision, e.event, e.mode, e.context,
               a.codes AS actor, r.codes AS recipient, m.codes AS mediator,
               a.names AS actor_name, r.names AS recipient_name, m.names AS mediator_name,
               e.trigger, e.place_name, e.place_country, e.cameo, e.goldstein, e.quad_code,
               e.confidence, e.negated, e.hypothetical, e.text, e.doc_id, e.sentence_index
        FROM events e
        LEFT JOIN part a ON a.event_id = e.event_id AND a.role = 'actor'
        LEFT JOIN part r ON r.event_id = e.event_id AND r.role = 'recipient'
        LEFT JOIN part m ON m.event_id = e.event_id AND m.role = 'mediator'
        WHERE {where}
        ORDER BY e.date_first NULLS LAST, e.doc_id, e.sentence_index, e.trigger_start,
                 e.trigger_end, e.event_id"""
    if arrow:
        table: pa.Table = con.cursor().sql(query, params=params).to_arrow_table()
        return table
    return con.execute(query, params).df()


def count_events(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> int:
    """How many events :func:`event_records` gives with this filter (no paging)."""
    where, params = flt.where(con)
    row = con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()
    return int(row[0]) if row else 0


def event_records(con: duckdb.DuckDBPyConnection, flt: EventFilter, *, limit: int | None = None,
                  offset: int | None = 0) -> list[dict[str, Any]]:
    """Events in the stable export shape (``docs/schema.md``), one dict per event; ``limit`` and
    ``offset`` give one page of them (in the same order; :func:`count_events` counts them all).
    """
    where, params = flt.where(con)
    page = ""
    if limit is not None:
        page = " LIMIT ? OFFSET ?"
        params += [int(limit), int(offset or 0)]
    evs = con.execute(f"""
        SELECT e.*, d.path, d.title, d.published FROM events e JOIN documents d USING (doc_id)
        WHERE {where} ORDER BY e.date_first NULLS LAST, e.doc_id, e.sentence_index,
        e.trigger_start, e.trigger_end, e.event_id{page}""", params).df()
    if evs.empty:
        return []
    ids = evs["event_id"].tolist()
    parts = con.execute(
        "SELECT * FROM participants WHERE event_id IN (SELECT unnest(?)) "
        "ORDER BY event_id, role, position, char_start NULLS LAST, actor_id",
        [ids]).df()
    by_event: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for part in frame_rows(parts):
        by_event.setdefault(part.event_id, {}).setdefault(part.role, []).append(
            {"code": plain(part.code), "sector": plain(part.sector), "entity_text": part.entity_text,
             "name": plain(part.name), "identifier": plain(part.actor_id)})
    out = []
    for row in records(evs):
        p = by_event.get(row["event_id"], {})
        loc = None
        if row["place_name"] is not None and row["place_name"] == row["place_name"]:
            loc = {"name": row["place_name"], "country_code": plain(row["place_country"]),
                   "province": plain(row["place_province"]), "lat": plain(row["place_lat"]),
                   "lon": plain(row["place_lon"]),
                   "geonameid": int(row["place_geonameid"]) if plain(row["place_geonameid"])
                   is not None else None}
        out.append({
            "id": row["event_id"], "date": plain(row["date"]),
            "date_precision": plain(row["date_precision"]), "event": row["event"],
            "mode": plain(row["mode"]), "context": list(row["context"]) if row["context"] is not None
            else [],
            "actor": p.get("actor", []), "recipient": p.get("recipient", []),
            "mediator": p.get("mediator", []), "event_loc": loc,
            "event_text": row["trigger"], "text": row["text"],
            "quad_code": int(row["quad_code"]) if plain(row["quad_code"]) is not None else None,
            "cameo": plain(row["cameo"]), "goldstein": plain(row["goldstein"]),
            "confidence": plain(row["confidence"]),
            "negated": bool(row["negated"]), "hypothetical": bool(row["hypothetical"]),
            "text_info": {"doc_id": row["doc_id"], "path": row["path"], "title": plain(row["title"]),
                          "published": plain(row["published"]),
                          "sentence_index": int(row["sentence_index"]),
                          "char_start": int(row["sent_start"]), "char_end": int(row["sent_end"])},
        })
    return out


def actors(con: duckdb.DuckDBPyConnection, *, actor: str | None = None,
           include_places: bool = False) -> pd.DataFrame:
    """Every identity seen: canonical name, code, sector, surface forms, mention count, roles.

    Name, kind and code come from the dictionary entry where there is one; otherwise, and for
    the sector, the value most of the actor's mentions carry, a tie going to the value that
    sorts first (so the output never changes on an unchanged store). Rows: most mentioned
    first, then by actor id.
    """
    where, params = ["m.actor_id IS NOT NULL"], []
    if not include_places:
        where.append("NOT m.is_place")
    if actor:
        where.append("(m.actor_id = ? OR upper(m.code) = upper(?) OR lower(m.name) = lower(?))")
        params += [actor, actor, actor]
    return sql(con, f"""
        WITH picked AS (SELECT m.* FROM mentions m WHERE {' AND '.join(where)}),
        agg AS (
          SELECT actor_id,
                 list_sort(list_distinct(list(regexp_replace(text, '[\\s\\x{{00A0}}]+', ' ',
                                                             'g')))) AS surface_forms,
                 count(*) AS mentions, count(DISTINCT doc_id) AS documents
          FROM picked GROUP BY actor_id)
        SELECT g.actor_id, coalesce(a.name, tn.value) AS name,
               CASE WHEN g.actor_id LIKE 'country:%' THEN 'country'
                    ELSE coalesce(a.kind, tk.value) END AS kind,
               coalesce(tc.value, a.code) AS code, ts.value AS sector, g.surface_forms,
               g.mentions, g.documents, a.roles
        FROM agg g LEFT JOIN actors a ON a.actor_id = g.actor_id
        LEFT JOIN {_most_frequent("name")} tn ON tn.actor_id = g.actor_id
        LEFT JOIN {_most_frequent("kind")} tk ON tk.actor_id = g.actor_id
        LEFT JOIN {_most_frequent("code")} tc ON tc.actor_id = g.actor_id
        LEFT JOIN {_most_frequent("sector")} ts ON ts.actor_id = g.actor_id
        ORDER BY g.mentions DESC, g.actor_id""", params)


def last_ingested(con: duckdb.DuckDBPyConnection) -> str | None:
    """When the last document was written (ISO, to the second), or None for an empty store."""
    row = con.execute("SELECT max(ingested_at) FROM documents").fetchone()
    value = row[0] if row else None
    return value.replace(microsecond=0).isoformat() if value is not None else None


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    def one(query: str) -> Any:
        row = con.execute(query).fetchone()
        return row[0] if row else None

    return {
        "documents": one("SELECT count(*) FROM documents"),
        "sentences": one("SELECT count(*) FROM sentences"),
        "actors": one("SELECT count(DISTINCT actor_id) FROM mentions WHERE NOT is_place"),
        "events": one("SELECT count(*) FROM events WHERE NOT negated AND NOT hypothetical"),
        "events_by_type": sql(
            con,
            "SELECT event, count(*) AS n FROM events WHERE NOT negated AND NOT hypothetical "
            "GROUP BY event ORDER BY n DESC, event"),
        "dyads": sql(con, """
            SELECT a.code AS actor, r.code AS recipient, count(DISTINCT e.event_id) AS events,
                   round(avg(e.goldstein), 2) AS mean_goldstein
            FROM events e JOIN participants a ON a.event_id = e.event_id AND a.role = 'actor'
            JOIN participants r ON r.event_id = e.event_id AND r.role = 'recipient'
            WHERE NOT e.negated AND NOT e.hypothetical AND a.code IS NOT NULL
              AND r.code IS NOT NULL AND a.code <> r.code
            GROUP BY 1, 2 ORDER BY events DESC, 1, 2 LIMIT 10"""),
    }


def date_bound(value: str, *, last: bool = False) -> dt.date:
    """The first (or ``last``) day of a ``YYYY[-MM[-DD]]`` filter; a bad one is a QueryError."""
    from detente.dates.parse import parse_iso_value  # detente.dates loads YAML: not at start-up

    dv = parse_iso_value(str(value).strip())
    try:
        if dv is not None:
            return dv.last_date if last else dv.start_date
    except ValueError:  # a year no date has (0000)
        pass
    raise QueryError(f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
