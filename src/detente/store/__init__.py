"""The DuckDB store: schema, writes (one transaction per document) and queries.

This package is the only one that speaks SQL: :mod:`~detente.store.schema` (DDL, migrations,
connecting), :mod:`~detente.store.writes` (one processed article per transaction, actor
corrections), :mod:`~detente.store.queries` (documents, events, actors), and the SQL of the
cross-document stages and reports (:mod:`~detente.store.links`, :mod:`~detente.store.reports`).
The cross-document tables are created the first time a stage uses them on a store open for
writing (:meth:`Store.ensure_link_schema`), so a store never linked holds none of them.
:class:`Store` holds the connection and delegates to them. Queries return pandas DataFrames
(``.events()``) or Arrow tables (``.events(arrow=True)``); :meth:`Store.event_records` returns the
nested records of the stable export contract (see ``docs/schema.md``).

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

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from detente.errors import QueryError, StoreError
from detente.model import ActorEntry, ProcessedArticle
from detente.store import queries, schema, writes
from detente.store.queries import EventFilter, Row, date_bound, frame_rows, plover_types, records
from detente.store.schema import LOCK_WAIT_S, SCHEMA_VERSION, lock_error
from detente.store.writes import arrow_schema

if TYPE_CHECKING:  # pandas is imported by duckdb when a query asks for a DataFrame, not at start-up
    import pandas as pd

__all__ = ["LOCK_WAIT_S", "SCHEMA_VERSION", "EventFilter", "Row", "Store", "arrow_schema", "date_bound",
           "frame_rows", "lock_error", "open_store", "plover_types", "records"]


class Store:
    """An open detente store. Use :func:`open_store` (or ``Store(path)``) and close it after."""

    def __init__(self, path: str | Path = "detente.duckdb", *, read_only: bool = False,
                 wait_s: float = LOCK_WAIT_S, create: bool = True) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._actors_written: set[str] = set()  # dictionary entries already upserted this session
        self._link_schema = False  # the cross-document tables created/migrated on this connection
        if (read_only or not create) and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no detente store at {self.path}; run `detente ingest PATH` first "
                             "or point --db at an existing store")
        self.con = schema.connect(self.path, read_only=read_only, wait_s=wait_s)
        if not read_only:
            schema.create_schema(self.con)

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with writes.transaction(self.con) as con:
            yield con

    def ensure_link_schema(self) -> None:
        """Create (or migrate) the cross-document tables of :mod:`detente.store.links`, once per
        open store; a read-only store is left as it is (its readers check for the tables)."""
        if not self.read_only and not self._link_schema:
            schema.create_link_schema(self.con)
            self._link_schema = True

    # -- writes ------------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return writes.has_document(self.con, doc_id)

    def known_documents(self) -> set[str]:
        return writes.known_documents(self.con)

    def write(self, processed: ProcessedArticle, actors: Sequence[ActorEntry] = ()) -> None:
        """Write one processed article (replacing an earlier version) in one transaction."""
        writes.write(self.con, processed, actors, self._actors_written)

    @staticmethod
    def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
        """Insert an Arrow table's rows into ``table`` (matching columns by name)."""
        writes.insert_arrow(con, table, data)

    # -- queries -----------------------------------------------------------------------------
    def sql(self, query: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """Run a read query against the store (parameterised) and return a DataFrame."""
        return queries.sql(self.con, query, params)

    def docs(self, *, doc: str | None = None, since: str | None = None,
             until: str | None = None, limit: int | None = None,
             offset: int = 0) -> pd.DataFrame:
        """Documents in publication order with their event counts; ``limit``/``offset`` page
        them (see :meth:`count_docs`)."""
        return queries.docs(self.con, doc=doc, since=since, until=until, limit=limit,
                            offset=offset)

    def count_docs(self, *, doc: str | None = None, since: str | None = None,
                   until: str | None = None) -> int:
        """How many documents :meth:`docs` gives with these filters."""
        return queries.count_docs(self.con, doc=doc, since=since, until=until)

    def event_types(self) -> list[str]:
        """The event types a ``type`` filter accepts: the PLOVER types, and any other type stored
        (from an extra lexicon), sorted."""
        return queries.event_types(self.con)

    def check_types(self, types: Sequence[str]) -> None:
        """Raise a :class:`QueryError` listing the valid types when one of ``types`` is unknown."""
        queries.check_types(self.con, types)

    def events(self, flt: EventFilter | None = None, /, *, actor: str | None = None,
               type: str | Sequence[str] | None = None, since: str | None = None,
               until: str | None = None, doc: str | None = None,
               min_confidence: float | None = None, include_flagged: bool = False,
               arrow: bool = False) -> pd.DataFrame | pa.Table:
        """Events as a flat table: one row per event, actors and recipients joined as strings.

        The filter is ``flt`` or, without one, the keywords (see :class:`EventFilter`).
        """
        if flt is None:
            flt = EventFilter(actor=actor, type=type, since=since, until=until, doc=doc,
                              min_confidence=min_confidence, include_flagged=include_flagged)
        return queries.events(self.con, flt, arrow=arrow)

    def count_events(self, flt: EventFilter | None = None, /, **filters: Any) -> int:
        """How many events :meth:`event_records` gives with this filter (``flt`` or the keywords of
        :class:`EventFilter`; an unknown one is a :class:`QueryError`), not paged."""
        return queries.count_events(self.con, _filter(flt, filters))

    def event_records(self, flt: EventFilter | None = None, /, *, limit: int | None = None,
                      offset: int | None = 0, **filters: Any) -> list[dict[str, Any]]:
        """Events in the stable export shape (``docs/schema.md``), one dict per event.

        The filter is ``flt`` or the keywords of :class:`EventFilter` (an unknown one is a
        :class:`QueryError`); ``limit`` and ``offset`` give one page of them (in the same order;
        :meth:`count_events` counts them all).
        """
        return queries.event_records(self.con, _filter(flt, filters), limit=limit, offset=offset)

    def actors(self, *, actor: str | None = None, include_places: bool = False) -> pd.DataFrame:
        """Every identity seen: canonical name, code, sector, surface forms, mention count, roles.

        Name, kind and code come from the dictionary entry where there is one; otherwise, and for
        the sector, the value most of the actor's mentions carry, a tie going to the value that
        sorts first (so the output never changes on an unchanged store). Rows: most mentioned
        first, then by actor id.
        """
        return queries.actors(self.con, actor=actor, include_places=include_places)

    # -- corrections -------------------------------------------------------------------------
    def merge_actors(self, keep: str, other: str) -> int:
        """Fold actor ``other`` into ``keep`` everywhere; returns the number of mentions moved."""
        return writes.merge_actors(self.con, keep, other)

    def split_actor(self, actor_id: str, surface: str, new_id: str | None = None) -> str:
        """Move the mentions of ``actor_id`` written ``surface`` to a new actor; returns its id."""
        return writes.split_actor(self.con, actor_id, surface, new_id)

    def last_ingested(self) -> str | None:
        """When the last document was written (ISO, to the second), or None for an empty store."""
        return queries.last_ingested(self.con)

    def summary(self) -> dict[str, Any]:
        return queries.summary(self.con)


def _filter(flt: EventFilter | None, filters: dict[str, Any]) -> EventFilter:
    """``flt``, or the filter of the keywords ``filters`` (giving both is a QueryError)."""
    if flt is None:
        return EventFilter.of(**filters)
    if filters:
        raise QueryError("give an EventFilter or filter keywords, not both "
                         f"({', '.join(sorted(filters))})")
    return flt


def open_store(path: str | Path = "detente.duckdb", *, read_only: bool = False,
               wait_s: float = LOCK_WAIT_S, create: bool = True) -> Store:
    """Open (creating if needed, unless ``create`` is False) a detente store; ``":memory:"`` for
    a throwaway one. A missing file opened read-only or with ``create=False`` is a
    :class:`~detente.errors.StoreError`.

    Readers share the file; a writer excludes everyone. Opening for writing waits up to
    ``wait_s`` seconds for readers to finish; a writer holding the file raises
    :class:`~detente.errors.StoreLocked` at once, naming it.
    """
    return Store(path, read_only=read_only, wait_s=wait_s, create=create)
