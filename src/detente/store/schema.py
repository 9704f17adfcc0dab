"""The store's schema: its DDL, the migrations of older files, its version, and connecting.

:func:`connect` opens the DuckDB file (waiting a moment for a reader, naming a writer that holds
it); :func:`create_schema` creates the tables of a store opened for writing and migrates older
files (columns added after schema 1 shipped). Table by table, the columns are listed in
:mod:`detente.store` and ``docs/schema.md``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

from detente.errors import StoreError, StoreLocked

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


#: The tables of the cross-document stages (:mod:`detente.store.links`) and the migrations of
#: older files; created on a store opened for writing the first time a stage uses them, so that a
#: store never linked holds none of them (readers check :meth:`LinkStore.has_table`).
_LINK_SCHEMA = """
CREATE TABLE IF NOT EXISTS canonical_events (
    canonical_id VARCHAR PRIMARY KEY, event VARCHAR, quad_code INTEGER, date VARCHAR,
    date_precision VARCHAR, date_first DATE, date_last DATE, actor_codes VARCHAR[],
    recipient_codes VARCHAR[], mediator_codes VARCHAR[], place_name VARCHAR, n_mentions INTEGER,
    n_documents INTEGER, doc_ids VARCHAR[], sources VARCHAR[], goldstein DOUBLE, negated BOOLEAN,
    hypothetical BOOLEAN, first_text VARCHAR);
ALTER TABLE canonical_events ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE canonical_events ADD COLUMN IF NOT EXISTS mode VARCHAR;
ALTER TABLE canonical_events ADD COLUMN IF NOT EXISTS date_how VARCHAR;
ALTER TABLE canonical_events ADD COLUMN IF NOT EXISTS triad_kind VARCHAR;
ALTER TABLE canonical_events ADD COLUMN IF NOT EXISTS evidence_ids VARCHAR[];
CREATE TABLE IF NOT EXISTS event_links (event_id VARCHAR PRIMARY KEY, canonical_id VARCHAR);
CREATE TABLE IF NOT EXISTS triads (
    triad_id VARCHAR PRIMARY KEY, mediator VARCHAR, party_a VARCHAR, party_b VARCHAR, date VARCHAR,
    date_precision VARCHAR, kind VARCHAR, evidence JSON, event_ids VARCHAR[]);
ALTER TABLE triads ADD COLUMN IF NOT EXISTS date_how VARCHAR;
ALTER TABLE triads ADD COLUMN IF NOT EXISTS basis VARCHAR;
ALTER TABLE triads ADD COLUMN IF NOT EXISTS doc_ids VARCHAR[];
CREATE TABLE IF NOT EXISTS claims (
    claim_id VARCHAR, doc_id VARCHAR, sentence_index INTEGER, topic VARCHAR, subject VARCHAR,
    value_text VARCHAR, value DOUBLE, value_low DOUBLE, value_high DOUBLE, unit VARCHAR,
    approx BOOLEAN, sentence VARCHAR);
ALTER TABLE triads ADD COLUMN IF NOT EXISTS position INTEGER;
CREATE TABLE IF NOT EXISTS disagreement_rows (
    position INTEGER, topic VARCHAR, subject VARCHAR, value_a VARCHAR, doc_a VARCHAR,
    sentence_a VARCHAR, value_b VARCHAR, doc_b VARCHAR, sentence_b VARCHAR, kind VARCHAR,
    number_a DOUBLE, number_b DOUBLE, unit VARCHAR, index_a INTEGER, index_b INTEGER);
CREATE TABLE IF NOT EXISTS network_nodes (
    position INTEGER, node VARCHAR, name VARCHAR, kind VARCHAR, events INTEGER, mediations INTEGER,
    broker BOOLEAN, degree INTEGER, weighted_degree DOUBLE, betweenness DOUBLE);
CREATE TABLE IF NOT EXISTS network_edges (
    position INTEGER, source VARCHAR, target VARCHAR, events INTEGER, cooperation INTEGER,
    conflict INTEGER, goldstein_sum DOUBLE, mediation INTEGER, member INTEGER, weight DOUBLE);
CREATE TABLE IF NOT EXISTS view_state (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE INDEX IF NOT EXISTS event_links_canonical ON event_links (canonical_id);
"""


#: How long opening a store waits for a *reader* to let go of it (``detente serve`` and the query
#: commands hold a read lock only while they answer). A writer's lock is reported at once.
LOCK_WAIT_S = 5.0
_PID = re.compile(r"\(PID (\d+)\)")


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


def connect(path: str, *, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
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



def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables a store needs (keeping those there) and migrate an older file."""
    con.execute(_SCHEMA)
    # columns added after schema 1 shipped (events: issue 10); older files gain them
    con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS modality VARCHAR")
    con.execute("ALTER TABLE participants ADD COLUMN IF NOT EXISTS country_how VARCHAR")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def create_link_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the cross-document tables (:mod:`detente.store.links`) and migrate older ones."""
    con.execute(_LINK_SCHEMA)
