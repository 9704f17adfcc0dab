"""SQL for the cross-article stages (:mod:`detente.link`, :mod:`detente.analysis`).

Kept apart from :mod:`detente.store` so the two can be edited independently; it takes an open
:class:`~detente.store.Store` and uses its connection. Tables::

    canonical_events(canonical_id, event, quad_code, date, date_precision, date_first, date_last,
                     actor_codes, recipient_codes, mediator_codes, place_name, n_mentions,
                     n_documents, doc_ids, sources, goldstein, negated, hypothetical, first_text,
                     kind, mode, date_how, triad_kind, evidence_ids)
    event_links(event_id, canonical_id)
    triads(triad_id, mediator, party_a, party_b, date, date_precision, kind, evidence, event_ids,
           date_how, basis, doc_ids)

``canonical_events.kind`` is ``reported`` (a group of stored event mentions, listed in
``event_links``) or ``derived`` (a third-party CONSULT inferred from a mediation triad; its
evidence events are in ``evidence_ids`` and it has no ``event_links`` rows).
    claims(claim_id, doc_id, sentence_index, topic, subject, value_text, value, value_low,
           value_high, unit, approx, sentence)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from detente.errors import StoreError
from detente.store import Store

_SCHEMA = """
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
"""

CANONICAL_SCHEMA = pa.schema([
    ("canonical_id", pa.string()), ("event", pa.string()), ("quad_code", pa.int32()),
    ("date", pa.string()), ("date_precision", pa.string()), ("date_first", pa.date32()),
    ("date_last", pa.date32()), ("actor_codes", pa.list_(pa.string())),
    ("recipient_codes", pa.list_(pa.string())), ("mediator_codes", pa.list_(pa.string())),
    ("place_name", pa.string()), ("n_mentions", pa.int32()), ("n_documents", pa.int32()),
    ("doc_ids", pa.list_(pa.string())), ("sources", pa.list_(pa.string())),
    ("goldstein", pa.float64()), ("negated", pa.bool_()), ("hypothetical", pa.bool_()),
    ("first_text", pa.string()), ("kind", pa.string()), ("mode", pa.string()),
    ("date_how", pa.string()), ("triad_kind", pa.string()), ("evidence_ids", pa.list_(pa.string()))])
LINK_SCHEMA = pa.schema([("event_id", pa.string()), ("canonical_id", pa.string())])
TRIAD_SCHEMA = pa.schema([
    ("triad_id", pa.string()), ("mediator", pa.string()), ("party_a", pa.string()),
    ("party_b", pa.string()), ("date", pa.string()), ("date_precision", pa.string()),
    ("kind", pa.string()), ("evidence", pa.string()), ("event_ids", pa.list_(pa.string())),
    ("date_how", pa.string()), ("basis", pa.string()), ("doc_ids", pa.list_(pa.string()))])
CLAIM_SCHEMA = pa.schema([
    ("claim_id", pa.string()), ("doc_id", pa.string()), ("sentence_index", pa.int32()),
    ("topic", pa.string()), ("subject", pa.string()), ("value_text", pa.string()),
    ("value", pa.float64()), ("value_low", pa.float64()), ("value_high", pa.float64()),
    ("unit", pa.string()), ("approx", pa.bool_()), ("sentence", pa.string())])

_TABLES = ("canonical_events", "event_links", "triads", "claims")


class LinkStore:
    """The link/analysis tables of one open store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.con = store.con
        if not store.read_only:
            self.con.execute(_SCHEMA)

    # -- helpers -------------------------------------------------------------------------------
    def has_table(self, name: str) -> bool:
        if name not in _TABLES:
            return False
        row = self.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                               [name]).fetchone()
        return bool(row and row[0])

    def _replace(self, table: str, data: pa.Table, where: str = "") -> None:
        if self.store.read_only:
            raise StoreError(f"the store {self.store.path} is open read-only; open it for writing to "
                             f"rebuild {table}")
        try:
            with self.store.transaction() as con:
                con.execute(f"DELETE FROM {table} {where}")
                if data.num_rows:
                    Store.insert_arrow(con, table, data)
        except duckdb.Error as exc:
            raise StoreError(f"cannot write {table} in {self.store.path}: {exc}") from exc

    # -- reads the pipeline's tables -------------------------------------------------------------
    def event_frame(self, *, include_flagged: bool = True) -> pd.DataFrame:
        """One row per event with its participants as code lists and its document's metadata.

        A participant's key is its code, else its actor id, else its name.
        """
        flag = "" if include_flagged else "WHERE NOT e.negated AND NOT e.hypothetical"
        return self.store.sql(f"""
            WITH part AS (
              SELECT event_id, role,
                     list(coalesce(code, actor_id, name) ORDER BY position) AS codes,
                     list(actor_id ORDER BY position) AS ids
              FROM participants GROUP BY event_id, role)
            SELECT e.event_id, e.doc_id, e.sentence_index, e.trigger_start, e.text, e.event, e.mode,
                   e.trigger, e.date, e.date_precision, e.date_end, e.date_first, e.date_last,
                   e.place_name, e.place_country, e.goldstein, e.quad_code, e.negated, e.hypothetical,
                   coalesce(a.codes, []) AS actor_codes, coalesce(r.codes, []) AS recipient_codes,
                   coalesce(m.codes, []) AS mediator_codes, coalesce(a.ids, []) AS actor_ids,
                   coalesce(r.ids, []) AS recipient_ids,
                   d.published, coalesce(d.source, d.path) AS source
            FROM events e
            LEFT JOIN documents d ON d.doc_id = e.doc_id
            LEFT JOIN part a ON a.event_id = e.event_id AND a.role = 'actor'
            LEFT JOIN part r ON r.event_id = e.event_id AND r.role = 'recipient'
            LEFT JOIN part m ON m.event_id = e.event_id AND m.role = 'mediator'
            {flag}
            ORDER BY e.date_first NULLS LAST, d.published NULLS LAST, e.doc_id, e.sentence_index,
                     e.trigger_start""")

    def actor_codes_known(self, key: str) -> bool:
        row = self.con.execute(
            "SELECT 1 FROM participants WHERE upper(code) = upper(?) OR actor_id = ? LIMIT 1",
            [key, key]).fetchone()
        return row is not None

    def sentences(self) -> pd.DataFrame:
        """Every stored sentence; documents stored without sentences give their whole text."""
        return self.store.sql("""
            SELECT doc_id, sentence_index, char_start, char_end, text FROM sentences
            UNION ALL
            SELECT d.doc_id, 0, 0, length(d.text), d.text FROM documents d
            WHERE d.doc_id NOT IN (SELECT DISTINCT doc_id FROM sentences)
            ORDER BY doc_id, sentence_index""")

    def sentence_actors(self) -> pd.DataFrame:
        """Per sentence, the codes of the actors named in it (places left out)."""
        return self.store.sql("""
            SELECT doc_id, sentence_index, list(DISTINCT code ORDER BY code) AS codes
            FROM mentions WHERE code IS NOT NULL AND NOT coalesce(is_place, false)
            GROUP BY doc_id, sentence_index""")

    def sentence_mentions(self) -> pd.DataFrame:
        """Resolved mentions with their document offsets, for reading mediation wording."""
        return self.store.sql("""
            SELECT doc_id, sentence_index, char_start, char_end, code,
                   coalesce(is_place, false) AS is_place, kind
            FROM mentions WHERE code IS NOT NULL ORDER BY doc_id, char_start""")

    def sentence_codes(self) -> pd.DataFrame:
        """Country/IGO codes mentioned in each sentence (places included)."""
        return self.store.sql("""
            SELECT doc_id, sentence_index, list(DISTINCT code ORDER BY code) AS codes
            FROM mentions WHERE code IS NOT NULL GROUP BY doc_id, sentence_index""")

    def document_codes(self) -> pd.DataFrame:
        """Per document, codes by mention count (most first)."""
        return self.store.sql("""
            SELECT doc_id, code, count(*) AS n FROM mentions WHERE code IS NOT NULL
            GROUP BY doc_id, code ORDER BY doc_id, n DESC, code""")

    def documents(self) -> pd.DataFrame:
        return self.store.sql("SELECT doc_id, path, title, published, source FROM documents")

    # -- canonical events ----------------------------------------------------------------------
    def replace_canonical(self, canonical: pa.Table, links: pa.Table) -> None:
        if self.store.read_only:
            raise StoreError(f"the store {self.store.path} is open read-only; open it for writing to "
                             "link events")
        try:
            with self.store.transaction() as con:
                for table, data in (("canonical_events", canonical), ("event_links", links)):
                    con.execute(f"DELETE FROM {table}")
                    if data.num_rows:
                        con.register("_link_incoming", data)
                        try:
                            cols = ", ".join(data.column_names)
                            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} "
                                        "FROM _link_incoming")
                        finally:
                            con.unregister("_link_incoming")
        except duckdb.Error as exc:
            raise StoreError(f"cannot write canonical events in {self.store.path}: {exc}") from exc

    def is_linked(self) -> bool:
        """True when canonical events exist and cover every stored event."""
        if not self.has_table("event_links"):
            return False
        row = self.con.execute("""
            SELECT (SELECT count(*) FROM event_links),
                   (SELECT count(*) FROM events WHERE event_id NOT IN
                      (SELECT event_id FROM event_links))""").fetchone()
        return bool(row and row[0] and not row[1])

    def links(self) -> pd.DataFrame:
        return self.store.sql("SELECT event_id, canonical_id FROM event_links")

    def canonical(self, where: Sequence[str], params: Sequence[Any], *,
                  arrow: bool = False) -> pd.DataFrame | pa.Table:
        clause = " AND ".join(where) if where else "1=1"
        query = f"""
            SELECT c.* EXCLUDE (evidence_ids),
                   coalesce((SELECT list(l.event_id ORDER BY l.event_id) FROM event_links l
                             WHERE l.canonical_id = c.canonical_id), c.evidence_ids,
                            []::VARCHAR[]) AS event_ids
            FROM canonical_events c WHERE {clause}
            ORDER BY c.date_first NULLS LAST, c.event, c.kind DESC, c.canonical_id"""
        if arrow:
            # a relation on a cursor: no extra copy, and no clash with unfinished results
            return self.con.cursor().sql(query, params=list(params)).to_arrow_table()
        frame = self.con.execute(query, list(params)).df()
        for col in ("date_first", "date_last"):  # plain dates, not midnight timestamps
            frame[col] = [None if v is None or v != v else v.date() for v in frame[col]]
        return frame

    # -- triads and claims ---------------------------------------------------------------------
    def replace_triads(self, rows: list[dict[str, Any]]) -> None:
        data = [{**r, "evidence": json.dumps(r["evidence"])} for r in rows]
        self._replace("triads", pa.Table.from_pylist(data, schema=TRIAD_SCHEMA))

    def replace_claims(self, rows: list[dict[str, Any]]) -> None:
        self._replace("claims", pa.Table.from_pylist(rows, schema=CLAIM_SCHEMA))
