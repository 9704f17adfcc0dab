"""Writing to the store: one processed article in one transaction, and the actor corrections.

:func:`write` replaces a document's rows (document, sentences, mentions, events, participants)
and upserts the actors it names, all in one transaction; :func:`merge_actors` and
:func:`split_actor` are the ``detente actors --merge/--split`` edits, logged in ``actor_edits``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa

from detente.errors import QueryError
from detente.model import ActorEntry, Event, ProcessedArticle


def arrow_schema(fields: list[tuple[str, pa.DataType]]) -> pa.Schema:
    """``pa.schema`` for a list of (name, type) pairs, typed so that mixed Arrow types check."""
    return pa.schema(fields)


_DOC_TABLES = ("sentences", "mentions")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction on ``con``: committed at its end, rolled back if it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def has_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> bool:
    row = con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    return row is not None


def known_documents(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()}


def write(con: duckdb.DuckDBPyConnection, processed: ProcessedArticle,
          actors: Sequence[ActorEntry], written: set[str]) -> None:
    """Write one processed article (replacing an earlier version) in one transaction.

    ``written``: the actor ids already upserted on this connection (the session's); the ids this
    article upserts are added to it once the transaction commits.
    """
    art = processed.article
    doc_id = art.doc_id
    replacing = has_document(con, doc_id)  # a new document has no rows anywhere to delete
    with transaction(con):
        if replacing:
            _delete_document(con, doc_id)
        pub = art.published
        con.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [doc_id, art.path, art.title, pub.value if pub else None,
             pub.precision if pub else None, art.found.get("published"), art.url, art.source,
             art.author, art.record_id, json.dumps(art.found), art.text,
             dt.datetime.now()])
        if processed.sentences:
            insert_arrow(con, "sentences", pa.table({
                "doc_id": [doc_id] * len(processed.sentences),
                "sentence_index": [s.index for s in processed.sentences],
                "char_start": [s.char_start for s in processed.sentences],
                "char_end": [s.char_end for s in processed.sentences],
                "text": [s.text for s in processed.sentences]}))
        if processed.mentions:
            ms = processed.mentions
            insert_arrow(con, "mentions", pa.table({
                "doc_id": [m.doc_id for m in ms],
                "sentence_index": [m.sentence_index for m in ms],
                "char_start": [m.char_start for m in ms], "char_end": [m.char_end for m in ms],
                "text": [m.text for m in ms], "actor_id": [m.actor_id for m in ms],
                "name": [m.name for m in ms], "code": [m.code for m in ms],
                "sector": [m.sector for m in ms], "kind": [m.kind for m in ms],
                "is_place": [m.is_place for m in ms], "how": [m.how for m in ms]}))
        if processed.events:
            _insert_events(con, processed.events)
        new_actors = [e for e in actors if e.id not in written]
        for entry in new_actors:
            _upsert_actor(con, entry)
        seen = _insert_mention_actors(con, processed, {e.id for e in new_actors}, written)
    written.update(e.id for e in new_actors)  # only once committed
    written.update(seen)


def _delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    con.execute("DELETE FROM participants WHERE event_id IN "
                "(SELECT event_id FROM events WHERE doc_id = ?)", [doc_id])
    con.execute("DELETE FROM events WHERE doc_id = ?", [doc_id])
    for table in _DOC_TABLES:
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
    con.execute("DELETE FROM documents WHERE doc_id = ?", [doc_id])


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    """Insert an Arrow table's rows into ``table`` (matching columns by name)."""
    con.register("_incoming", data)
    try:
        cols = ", ".join(data.column_names)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
    finally:
        con.unregister("_incoming")


def _insert_events(con: duckdb.DuckDBPyConnection, events: Sequence[Event]) -> None:
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
    insert_arrow(con, "events", pa.table(rows, schema=schema))
    if parts["event_id"]:
        pschema = arrow_schema([
            ("event_id", pa.string()), ("role", pa.string()), ("position", pa.int32()),
            ("actor_id", pa.string()), ("code", pa.string()), ("sector", pa.string()),
            ("entity_text", pa.string()), ("name", pa.string()), ("char_start", pa.int32()),
            ("char_end", pa.int32()), ("country_how", pa.string())])
        insert_arrow(con, "participants", pa.table(parts, schema=pschema))


def _upsert_actor(con: duckdb.DuckDBPyConnection, entry: ActorEntry) -> None:
    roles = [{"office": r.office, "country": r.country, "sector": r.sector,
              "start": r.start.isoformat() if r.start else None,
              "end": r.end.isoformat() if r.end else None} for r in entry.roles]
    con.execute("INSERT OR REPLACE INTO actors VALUES (?,?,?,?,?,?)",
                [entry.id, entry.name, entry.kind, entry.country, entry.sector, json.dumps(roles)])


def _insert_mention_actors(con: duckdb.DuckDBPyConnection, processed: ProcessedArticle,
                           new: set[str], written: set[str]) -> set[str]:
    """Identities seen only through mentions (countries, titled people) get an actors row.

    Works from the article's own mentions and an index lookup per new id, never a scan of the
    mentions table, so writing stays constant-time per document as the store grows.
    """
    first: dict[str, Any] = {}
    for m in processed.mentions:
        if m.actor_id and m.actor_id not in first and m.actor_id not in new \
                and m.actor_id not in written:
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


def merge_actors(con: duckdb.DuckDBPyConnection, keep: str, other: str) -> int:
    """Fold actor ``other`` into ``keep`` everywhere; returns the number of mentions moved."""
    for aid in (keep, other):
        if not con.execute("SELECT 1 FROM mentions WHERE actor_id = ? LIMIT 1",
                                [aid]).fetchone():
            raise QueryError(f"no actor {aid!r} in the store; see `detente actors` for the ids")
    with transaction(con):
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


def split_actor(con: duckdb.DuckDBPyConnection, actor_id: str, surface: str,
                new_id: str | None = None) -> str:
    """Move the mentions of ``actor_id`` written ``surface`` to a new actor; returns its id."""
    n = con.execute("SELECT count(*) FROM mentions WHERE actor_id = ? AND text = ?",
                         [actor_id, surface]).fetchone()
    if not n or not n[0]:
        raise QueryError(f"actor {actor_id!r} has no mention written {surface!r}; "
                         "`detente actors --actor ID` lists its surface forms")
    new_id = new_id or f"{actor_id}:{surface.lower().replace(' ', '-')}"
    with transaction(con):
        con.execute("UPDATE mentions SET actor_id = ?, name = ? WHERE actor_id = ? AND text = ?",
                    [new_id, surface, actor_id, surface])
        con.execute("UPDATE participants SET actor_id = ?, name = ? WHERE actor_id = ? AND "
                    "entity_text = ?", [new_id, surface, actor_id, surface])
        con.execute("INSERT INTO actor_edits VALUES (now(), 'split', ?, ?, ?)",
                    [actor_id, new_id, surface])
    return new_id
