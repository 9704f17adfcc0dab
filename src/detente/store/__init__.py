"""The DuckDB store: schema, writes (one transaction per document) and queries.

This is the only module that speaks SQL. Queries return pandas DataFrames (``.events()``) or
Arrow tables (``.events(arrow=True)``); :meth:`Store.event_records` returns the nested records of
the stable export contract (see ``docs/schema.md``).

Tables::

    documents(doc_id, path, title, published, published_precision, published_how, url, source,
              author, record_id, found, text, ingested_at)
    sentences(doc_id, sentence_index, char_start, char_end, text)
    mentions(doc_id, sentence_index, char_start, char_end, text, actor_id, name, code, sector,
             kind, is_place, how)
    actors(actor_id, name, kind, code, sector, roles)            -- one row per identity seen
    events(event_id, doc_id, sentence_index, sent_start, sent_end, text, event, mode, context,
           trigger, trigger_start, trigger_end, date, date_precision, date_end, date_how,
           place_*, cameo, goldstein, quad_code, confidence, negated, hypothetical)
    participants(event_id, role, position, actor_id, code, sector, entity_text, name,
                 char_start, char_end)                          -- role: actor|recipient|mediator
    actor_edits(edited_at, action, actor_id, other_id, detail)         -- --merge / --split history
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import duckdb
import pyarrow as pa

from detente.errors import QueryError, StoreError, StoreLocked
from detente.model import ActorEntry, DateValue, Event, ProcessedArticle
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


def arrow_schema(fields: list[tuple[str, pa.DataType]]) -> pa.Schema:
    """``pa.schema`` for a list of (name, type) pairs, typed so that mixed Arrow types check."""
    return pa.schema(fields)


SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY, path VARCHAR, title VARCHAR, published VARCHAR,
    published_precision VARCHAR, published_how VARCHAR, url VARCHAR, source VARCHAR,
    author VARCHAR, record_id VARCHAR, found JSON, text VARCHAR, ingested_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id VARCHAR, sentence_index INTEGER, char_start INTEGER, char_end INTEGER, text VARCHAR);
CREATE TABLE IF NOT EXISTS mentions (
    doc_id VARCHAR, sentence_index INTEGER, char_start INTEGER, char_end INTEGER, text VARCHAR,
    actor_id VARCHAR, name VARCHAR, code VARCHAR, sector VARCHAR, kind VARCHAR,
    is_place BOOLEAN, how VARCHAR);
CREATE TABLE IF NOT EXISTS actors (
    actor_id VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR, code VARCHAR, sector VARCHAR,
    roles JSON);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY, doc_id VARCHAR, sentence_index INTEGER, sent_start INTEGER,
    sent_end INTEGER, text VARCHAR, event VARCHAR, mode VARCHAR, context VARCHAR[],
    trigger VARCHAR, trigger_start INTEGER, trigger_end INTEGER, date VARCHAR,
    date_precision VARCHAR, date_end VARCHAR, date_how VARCHAR, date_first DATE, date_last DATE,
    place_name VARCHAR, place_country VARCHAR, place_province VARCHAR, place_lat DOUBLE,
    place_lon DOUBLE, place_geonameid BIGINT, cameo VARCHAR, goldstein DOUBLE, quad_code INTEGER,
    confidence DOUBLE, negated BOOLEAN, hypothetical BOOLEAN, modality VARCHAR);
CREATE TABLE IF NOT EXISTS participants (
    event_id VARCHAR, role VARCHAR, position INTEGER, actor_id VARCHAR, code VARCHAR,
    sector VARCHAR, entity_text VARCHAR, name VARCHAR, char_start INTEGER, char_end INTEGER,
    country_how VARCHAR);
CREATE TABLE IF NOT EXISTS actor_edits (
    edited_at TIMESTAMP, action VARCHAR, actor_id VARCHAR, other_id VARCHAR, detail VARCHAR);
"""

_DOC_TABLES = ("sentences", "mentions")

#: How long opening a store waits for a *reader* to let go of it (``detente serve`` and the query
#: commands hold a read lock only while they answer). A writer's lock is reported at once.
LOCK_WAIT_S = 5.0
_PID = re.compile(r"\(PID (\d+)\)")


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


def _holder_command(pid: int | None) -> str | None:
    """The command line of process ``pid`` (Linux ``/proc``), or None where it cannot be read."""
    if pid is None:
        return None
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    words = [w for w in raw.decode("utf-8", "replace").split("\0") if w]
    if not words:
        return None
    text = " ".join(Path(words[0]).name if i == 0 else w for i, w in enumerate(words))
    return text if len(text) <= 120 else text[:119] + "…"


def lock_error(path: str, exc: duckdb.IOException, *, read_only: bool) -> StoreLocked:
    """The :class:`StoreLocked` for DuckDB's lock refusal ``exc``: who holds it (reader or
    writer, process id and command line where DuckDB and ``/proc`` tell) and what to do.

    DuckDB lets readers share a file, so a read-only open is refused only by a writer; a
    read-write open refused by a reader says so in DuckDB's message ("would be able to open
    this database in read-only mode").
    """
    text = str(exc)
    found = _PID.search(text)
    pid = int(found.group(1)) if found else None
    holder = "reader" if (not read_only and "read-only mode" in text) else "writer"
    who = f"process {pid}" if pid is not None else "another process"
    command = _holder_command(pid)
    if command:
        who += f" ({command})"
    if holder == "reader":
        message = (f"cannot open the store {path} for writing: {who} is reading it. Readers such as "
                   "`detente serve` hold it only while they answer, so retry; a long query "
                   "(`detente events`, `detente report`) holds it until it ends.")
    else:
        message = (f"cannot open the store {path}: {who} is writing to it (an ingest, a link or an "
                   "actor edit). Wait for it to finish, or read another copy with --db.")
    return StoreLocked(message, holder, pid)


def _connect(path: str, *, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    """Connect to ``path``, waiting up to ``wait_s`` seconds while a reader holds it."""
    deadline = time.monotonic() + max(wait_s, 0.0)
    delay = 0.02
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"cannot open the store {path}: {exc}") from exc
            err = lock_error(path, exc, read_only=read_only)
            if err.holder != "reader" or time.monotonic() + delay > deadline:
                raise err from exc
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def _date_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Store:
    """An open detente store. Use :func:`open_store` (or ``Store(path)``) and close it after."""

    def __init__(self, path: str | Path = "detente.duckdb", *, read_only: bool = False,
                 wait_s: float = LOCK_WAIT_S) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._actors_written: set[str] = set()  # dictionary entries already upserted this session
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no detente store at {self.path}; run `detente ingest PATH` first "
                             "or point --db at an existing store")
        self.con = _connect(self.path, read_only=read_only, wait_s=wait_s)
        if not read_only:
            self.con.execute(_SCHEMA)
            # columns added after schema 1 shipped (events: issue 10); older files gain them
            self.con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS modality VARCHAR")
            self.con.execute("ALTER TABLE participants ADD COLUMN IF NOT EXISTS country_how VARCHAR")
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                             [str(SCHEMA_VERSION)])

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- writes ------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        row = self.con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        return row is not None

    def known_documents(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT doc_id FROM documents").fetchall()}

    def write(self, processed: ProcessedArticle, actors: Sequence[ActorEntry] = ()) -> None:
        """Write one processed article (replacing an earlier version) in one transaction."""
        art = processed.article
        doc_id = art.doc_id
        replacing = self.has_document(doc_id)  # a new document has no rows anywhere to delete
        with self.transaction() as con:
            if replacing:
                self._delete_document(con, doc_id)
            pub = art.published
            con.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [doc_id, art.path, art.title, pub.value if pub else None,
                 pub.precision if pub else None, art.found.get("published"), art.url, art.source,
                 art.author, art.record_id, json.dumps(art.found), art.text,
                 dt.datetime.now()])
            if processed.sentences:
                self.insert_arrow(con, "sentences", pa.table({
                    "doc_id": [doc_id] * len(processed.sentences),
                    "sentence_index": [s.index for s in processed.sentences],
                    "char_start": [s.char_start for s in processed.sentences],
                    "char_end": [s.char_end for s in processed.sentences],
                    "text": [s.text for s in processed.sentences]}))
            if processed.mentions:
                ms = processed.mentions
                self.insert_arrow(con, "mentions", pa.table({
                    "doc_id": [m.doc_id for m in ms],
                    "sentence_index": [m.sentence_index for m in ms],
                    "char_start": [m.char_start for m in ms], "char_end": [m.char_end for m in ms],
                    "text": [m.text for m in ms], "actor_id": [m.actor_id for m in ms],
                    "name": [m.name for m in ms], "code": [m.code for m in ms],
                    "sector": [m.sector for m in ms], "kind": [m.kind for m in ms],
                    "is_place": [m.is_place for m in ms], "how": [m.how for m in ms]}))
            if processed.events:
                self._insert_events(con, processed.events)
            new_actors = [e for e in actors if e.id not in self._actors_written]
            for entry in new_actors:
                self._upsert_actor(con, entry)
            seen = self._insert_mention_actors(con, processed, {e.id for e in new_actors})
        self._actors_written.update(e.id for e in new_actors)  # only once committed
        self._actors_written.update(seen)

    def _delete_document(self, con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
        con.execute("DELETE FROM participants WHERE event_id IN "
                    "(SELECT event_id FROM events WHERE doc_id = ?)", [doc_id])
        con.execute("DELETE FROM events WHERE doc_id = ?", [doc_id])
        for table in _DOC_TABLES:
            con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
        con.execute("DELETE FROM documents WHERE doc_id = ?", [doc_id])

    @staticmethod
    def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
        """Insert an Arrow table's rows into ``table`` (matching columns by name)."""
        con.register("_incoming", data)
        try:
            cols = ", ".join(data.column_names)
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
        finally:
            con.unregister("_incoming")

    def _insert_events(self, con: duckdb.DuckDBPyConnection, events: Sequence[Event]) -> None:
        rows: dict[str, list[Any]] = {k: [] for k in (
            "event_id", "doc_id", "sentence_index", "sent_start", "sent_end", "text", "event", "mode",
            "context", "trigger", "trigger_start", "trigger_end", "date", "date_precision", "date_end",
            "date_how", "date_first", "date_last", "place_name", "place_country", "place_province",
            "place_lat", "place_lon", "place_geonameid", "cameo", "goldstein", "quad_code",
            "confidence", "negated", "hypothetical", "modality")}
        parts: dict[str, list[Any]] = {k: [] for k in (
            "event_id", "role", "position", "actor_id", "code", "sector", "entity_text", "name",
            "char_start", "char_end", "country_how")}
        seen: set[str] = set()
        for ev in events:
            eid = ev.id or ev.make_id()
            if eid in seen:
                continue
            seen.add(eid)
            d, p = ev.date, ev.place
            values = [eid, ev.doc_id, ev.sentence_index, ev.sent_start, ev.sent_end, ev.text, ev.event,
                      ev.mode, list(ev.context), ev.trigger, ev.trigger_start, ev.trigger_end,
                      d.value if d else None, d.precision if d else None, d.end if d else None,
                      d.how if d else None, d.start_date if d else None, d.last_date if d else None,
                      p.name if p else None, p.country_code if p else None, p.province if p else None,
                      p.lat if p else None, p.lon if p else None, p.geonameid if p else None,
                      ev.cameo, ev.goldstein, ev.quad_code, ev.confidence, ev.negated, ev.hypothetical,
                      ev.modality]
            for key, value in zip(rows, values, strict=True):
                rows[key].append(value)
            for role, refs in (("actor", ev.actor), ("recipient", ev.recipient),
                               ("mediator", ev.mediator)):
                for pos, ref in enumerate(refs):
                    for key, value in zip(parts, [eid, role, pos, ref.identifier, ref.code, ref.sector,
                                                  ref.entity_text, ref.name, ref.char_start,
                                                  ref.char_end, ref.country_how], strict=True):
                        parts[key].append(value)
        schema = arrow_schema([
            ("event_id", pa.string()), ("doc_id", pa.string()), ("sentence_index", pa.int32()),
            ("sent_start", pa.int32()), ("sent_end", pa.int32()), ("text", pa.string()),
            ("event", pa.string()), ("mode", pa.string()), ("context", pa.list_(pa.string())),
            ("trigger", pa.string()), ("trigger_start", pa.int32()), ("trigger_end", pa.int32()),
            ("date", pa.string()), ("date_precision", pa.string()), ("date_end", pa.string()),
            ("date_how", pa.string()), ("date_first", pa.date32()), ("date_last", pa.date32()),
            ("place_name", pa.string()), ("place_country", pa.string()),
            ("place_province", pa.string()), ("place_lat", pa.float64()), ("place_lon", pa.float64()),
            ("place_geonameid", pa.int64()), ("cameo", pa.string()), ("goldstein", pa.float64()),
            ("quad_code", pa.int32()), ("confidence", pa.float64()), ("negated", pa.bool_()),
            ("hypothetical", pa.bool_()), ("modality", pa.string())])
        self.insert_arrow(con, "events", pa.table(rows, schema=schema))
        if parts["event_id"]:
            pschema = arrow_schema([
                ("event_id", pa.string()), ("role", pa.string()), ("position", pa.int32()),
                ("actor_id", pa.string()), ("code", pa.string()), ("sector", pa.string()),
                ("entity_text", pa.string()), ("name", pa.string()), ("char_start", pa.int32()),
                ("char_end", pa.int32()), ("country_how", pa.string())])
            self.insert_arrow(con, "participants", pa.table(parts, schema=pschema))

    @staticmethod
    def _upsert_actor(con: duckdb.DuckDBPyConnection, entry: ActorEntry) -> None:
        roles = [{"office": r.office, "country": r.country, "sector": r.sector,
                  "start": r.start.isoformat() if r.start else None,
                  "end": r.end.isoformat() if r.end else None} for r in entry.roles]
        con.execute("INSERT OR REPLACE INTO actors VALUES (?,?,?,?,?,?)",
                    [entry.id, entry.name, entry.kind, entry.country, entry.sector, json.dumps(roles)])

    def _insert_mention_actors(self, con: duckdb.DuckDBPyConnection, processed: ProcessedArticle,
                               written: set[str]) -> set[str]:
        """Identities seen only through mentions (countries, titled people) get an actors row.

        Works from the article's own mentions and an index lookup per new id, never a scan of the
        mentions table, so writing stays constant-time per document as the store grows.
        """
        first: dict[str, Any] = {}
        for m in processed.mentions:
            if m.actor_id and m.actor_id not in first and m.actor_id not in written \
                    and m.actor_id not in self._actors_written:
                first[m.actor_id] = m
        if not first:
            return set()
        known = {r[0] for r in con.execute(
            "SELECT actor_id FROM actors WHERE actor_id IN (SELECT unnest(?))", [list(first)])
            .fetchall()}
        for aid, m in first.items():
            if aid not in known:
                con.execute("INSERT INTO actors VALUES (?,?,?,?,NULL,'[]')",
                            [aid, m.name, m.kind, m.code])
        return set(first)

    # -- queries -----------------------------------------------------------------------------
    def sql(self, query: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """Run a read query against the store (parameterised) and return a DataFrame."""
        return self.con.execute(query, list(params)).df()

    def docs(self, *, doc: str | None = None, since: str | None = None,
             until: str | None = None, limit: int | None = None,
             offset: int = 0) -> pd.DataFrame:
        """Documents in publication order with their event counts; ``limit``/``offset`` page
        them (see :meth:`count_docs`)."""
        where, params = self._doc_filter(doc, since, until)
        page = ""
        if limit is not None:
            page = " LIMIT ? OFFSET ?"
            params += [int(limit), int(offset)]
        return self.sql(f"""
            SELECT d.doc_id, d.title, d.published, d.published_precision, d.published_how, d.source,
                   d.path, (SELECT count(*) FROM events e WHERE e.doc_id = d.doc_id) AS events,
                   length(d.text) AS chars
            FROM documents d WHERE {where} ORDER BY d.published NULLS LAST, d.path, d.doc_id{page}""",
                        params)

    def count_docs(self, *, doc: str | None = None, since: str | None = None,
                   until: str | None = None) -> int:
        """How many documents :meth:`docs` gives with these filters."""
        where, params = self._doc_filter(doc, since, until)
        row = self.con.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()
        return int(row[0]) if row else 0

    def _doc_filter(self, doc: str | None, since: str | None,
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

    def _event_filter(self, actor: str | None, type_: str | Sequence[str] | None, since: str | None,
                      until: str | None, doc: str | None, min_confidence: float | None,
                      include_flagged: bool) -> tuple[str, list[Any]]:
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if actor:
            where.append("e.event_id IN (SELECT event_id FROM participants p WHERE "
                         "upper(p.code) = upper(?) OR p.actor_id = ? OR lower(p.name) = lower(?))")
            params += [actor, actor, actor]
        if type_:
            types = [type_] if isinstance(type_, str) else list(type_)
            types = [t.strip().upper() for t in types for t in t.split(",") if t.strip()]
            self.check_types(types)
            where.append(f"e.event IN ({', '.join('?' for _ in types)})")
            params += types
        if since:
            where.append("e.date_last >= CAST(? AS DATE)")
            params.append(date_bound(since).isoformat())
        if until:
            where.append("e.date_first <= CAST(? AS DATE)")
            params.append(date_bound(until, last=True).isoformat())
        if doc:
            where.append("e.doc_id LIKE ?")
            params.append(doc + "%")
        if min_confidence is not None:
            where.append("e.confidence >= ?")
            params.append(float(min_confidence))
        if not include_flagged:
            where.append("NOT e.negated AND NOT e.hypothetical")
        return " AND ".join(where), params

    def event_types(self) -> list[str]:
        """The event types a ``type`` filter accepts: the PLOVER types, and any other type stored
        (from an extra lexicon), sorted."""
        stored = {r[0] for r in self.con.execute(
            "SELECT DISTINCT event FROM events WHERE event IS NOT NULL").fetchall()}
        return sorted(set(plover_types()) | stored)

    def check_types(self, types: Sequence[str]) -> None:
        """Raise a :class:`QueryError` listing the valid types when one of ``types`` is unknown."""
        valid = self.event_types()
        unknown = [t for t in types if t not in valid]
        if unknown:
            raise QueryError(f"unknown event type(s) {', '.join(repr(t) for t in unknown)}: use "
                             f"one or more (comma-separated) of {', '.join(valid)}")

    def events(self, *, actor: str | None = None, type: str | Sequence[str] | None = None,
               since: str | None = None, until: str | None = None, doc: str | None = None,
               min_confidence: float | None = None, include_flagged: bool = False,
               arrow: bool = False) -> pd.DataFrame | pa.Table:
        """Events as a flat table: one row per event, actors and recipients joined as strings."""
        where, params = self._event_filter(actor, type, since, until, doc, min_confidence,
                                           include_flagged)
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
            table: pa.Table = self.con.cursor().sql(query, params=params).to_arrow_table()
            return table
        return self.con.execute(query, params).df()

    def count_events(self, **filters: Any) -> int:
        """How many events :meth:`event_records` gives with these filters (no paging)."""
        where, params = self._event_filter(
            filters.get("actor"), filters.get("type"), filters.get("since"), filters.get("until"),
            filters.get("doc"), filters.get("min_confidence"), filters.get("include_flagged", False))
        row = self.con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()
        return int(row[0]) if row else 0

    def event_records(self, **filters: Any) -> list[dict[str, Any]]:
        """Events in the stable export shape (``docs/schema.md``), one dict per event.

        Besides the event filters, ``limit`` and ``offset`` give one page of them (in the same
        order; :meth:`count_events` counts them all).
        """
        where, params = self._event_filter(
            filters.get("actor"), filters.get("type"), filters.get("since"), filters.get("until"),
            filters.get("doc"), filters.get("min_confidence"), filters.get("include_flagged", False))
        page = ""
        if filters.get("limit") is not None:
            page = " LIMIT ? OFFSET ?"
            params += [int(filters["limit"]), int(filters.get("offset") or 0)]
        evs = self.con.execute(f"""
            SELECT e.*, d.path, d.title, d.published FROM events e JOIN documents d USING (doc_id)
            WHERE {where} ORDER BY e.date_first NULLS LAST, e.doc_id, e.sentence_index,
            e.trigger_start, e.trigger_end, e.event_id{page}""", params).df()
        if evs.empty:
            return []
        ids = evs["event_id"].tolist()
        parts = self.con.execute(
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

    def actors(self, *, actor: str | None = None, include_places: bool = False) -> pd.DataFrame:
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
        return self.sql(f"""
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

    # -- corrections -------------------------------------------------------------------------
    def merge_actors(self, keep: str, other: str) -> int:
        """Fold actor ``other`` into ``keep`` everywhere; returns the number of mentions moved."""
        for aid in (keep, other):
            if not self.con.execute("SELECT 1 FROM mentions WHERE actor_id = ? LIMIT 1",
                                    [aid]).fetchone():
                raise QueryError(f"no actor {aid!r} in the store; see `detente actors` for the ids")
        with self.transaction() as con:
            row = con.execute("SELECT name, code FROM actors WHERE actor_id = ?", [keep]).fetchone()
            name, code = row if row else (None, None)
            moved = con.execute("SELECT count(*) FROM mentions WHERE actor_id = ?", [other]).fetchone()
            con.execute("UPDATE mentions SET actor_id = ?, name = coalesce(?, name) WHERE actor_id = ?",
                        [keep, name, other])
            con.execute("UPDATE participants SET actor_id = ?, name = coalesce(?, name), "
                        "code = coalesce(?, code) WHERE actor_id = ?", [keep, name, code, other])
            con.execute("DELETE FROM actors WHERE actor_id = ?", [other])
            con.execute("INSERT INTO actor_edits VALUES (now(), 'merge', ?, ?, NULL)", [keep, other])
        return int(moved[0]) if moved else 0

    def split_actor(self, actor_id: str, surface: str, new_id: str | None = None) -> str:
        """Move the mentions of ``actor_id`` written ``surface`` to a new actor; returns its id."""
        n = self.con.execute("SELECT count(*) FROM mentions WHERE actor_id = ? AND text = ?",
                             [actor_id, surface]).fetchone()
        if not n or not n[0]:
            raise QueryError(f"actor {actor_id!r} has no mention written {surface!r}; "
                             "`detente actors --actor ID` lists its surface forms")
        new_id = new_id or f"{actor_id}:{surface.lower().replace(' ', '-')}"
        with self.transaction() as con:
            con.execute("UPDATE mentions SET actor_id = ?, name = ? WHERE actor_id = ? AND text = ?",
                        [new_id, surface, actor_id, surface])
            con.execute("UPDATE participants SET actor_id = ?, name = ? WHERE actor_id = ? AND "
                        "entity_text = ?", [new_id, surface, actor_id, surface])
            con.execute("INSERT INTO actor_edits VALUES (now(), 'split', ?, ?, ?)",
                        [actor_id, new_id, surface])
        return new_id

    def last_ingested(self) -> str | None:
        """When the last document was written (ISO, to the second), or None for an empty store."""
        row = self.con.execute("SELECT max(ingested_at) FROM documents").fetchone()
        value = row[0] if row else None
        return value.replace(microsecond=0).isoformat() if value is not None else None

    def summary(self) -> dict[str, Any]:
        def one(query: str) -> Any:
            row = self.con.execute(query).fetchone()
            return row[0] if row else None

        return {
            "documents": one("SELECT count(*) FROM documents"),
            "sentences": one("SELECT count(*) FROM sentences"),
            "actors": one("SELECT count(DISTINCT actor_id) FROM mentions WHERE NOT is_place"),
            "events": one("SELECT count(*) FROM events WHERE NOT negated AND NOT hypothetical"),
            "events_by_type": self.sql(
                "SELECT event, count(*) AS n FROM events WHERE NOT negated AND NOT hypothetical "
                "GROUP BY event ORDER BY n DESC, event"),
            "dyads": self.sql("""
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
    parts = str(value).strip().split("-")
    try:
        if not 1 <= len(parts) <= 3:
            raise ValueError
        precision = ("year", "month", "day")[len(parts) - 1]
        dv = DateValue("-".join(parts), precision)  # type: ignore[arg-type]
        return dv.last_date if last else dv.start_date
    except (ValueError, IndexError):
        raise QueryError(f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD") from None


def open_store(path: str | Path = "detente.duckdb", *, read_only: bool = False,
               wait_s: float = LOCK_WAIT_S) -> Store:
    """Open (creating if needed) a detente store; ``":memory:"`` for a throwaway one.

    Readers share the file; a writer excludes everyone. Opening for writing waits up to
    ``wait_s`` seconds for readers to finish; a writer holding the file raises
    :class:`~detente.errors.StoreLocked` at once, naming it.
    """
    return Store(path, read_only=read_only, wait_s=wait_s)
