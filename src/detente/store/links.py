"""SQL for the cross-article stages (:mod:`detente.link`, :mod:`detente.analysis`).

Kept apart from :mod:`detente.store` so the two can be edited independently; it takes an open
:class:`~detente.store.Store` and uses its connection. Their DDL is in :mod:`detente.store.schema`
(created once per store open for writing, by the first :class:`LinkStore`). Tables::

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

Views that the link step precomputes (:func:`detente.analysis.precompute_views`), so that queries read
them instead of recomputing them over the whole store::

    disagreement_rows(position, topic, subject, value_a, doc_a, sentence_a, value_b, doc_b,
                      sentence_b, kind, number_a, number_b, unit, index_a, index_b)
    network_nodes(position, node, name, kind, events, mediations, broker, degree,
                  weighted_degree, betweenness)
    network_edges(position, source, target, events, cooperation, conflict, goldstein_sum,
                  mediation, member, weight)
    view_state(key, value)  -- fingerprint, triad_window: the store's fingerprint when the views
                               were built and their triad window; triads_fingerprint,
                               triads_window: the same for the stored triads

``triads.position`` keeps the order :func:`detente.link.find_triads` gave; the view state
records the shuttle window they were found with. A view is used only
while :meth:`LinkStore.fingerprint` still matches the one it was built on (documents, sentences,
mentions, actors, events, participants and links unchanged); otherwise queries compute it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import duckdb
import pandas as pd
import pyarrow as pa

from detente.errors import QueryError, StoreError
from detente.store import Store, arrow_schema, date_bound, records
from detente.store.queries import CheckedFilter

CANONICAL_SCHEMA = arrow_schema([
    ("canonical_id", pa.string()), ("event", pa.string()), ("quad_code", pa.int32()),
    ("date", pa.string()), ("date_precision", pa.string()), ("date_first", pa.date32()),
    ("date_last", pa.date32()), ("actor_codes", pa.list_(pa.string())),
    ("recipient_codes", pa.list_(pa.string())), ("mediator_codes", pa.list_(pa.string())),
    ("place_name", pa.string()), ("n_mentions", pa.int32()), ("n_documents", pa.int32()),
    ("doc_ids", pa.list_(pa.string())), ("sources", pa.list_(pa.string())),
    ("goldstein", pa.float64()), ("negated", pa.bool_()), ("hypothetical", pa.bool_()),
    ("first_text", pa.string()), ("kind", pa.string()), ("mode", pa.string()),
    ("date_how", pa.string()), ("triad_kind", pa.string()), ("evidence_ids", pa.list_(pa.string()))])
LINK_SCHEMA = arrow_schema([("event_id", pa.string()), ("canonical_id", pa.string())])
TRIAD_SCHEMA = arrow_schema([
    ("triad_id", pa.string()), ("mediator", pa.string()), ("party_a", pa.string()),
    ("party_b", pa.string()), ("date", pa.string()), ("date_precision", pa.string()),
    ("kind", pa.string()), ("evidence", pa.string()), ("event_ids", pa.list_(pa.string())),
    ("date_how", pa.string()), ("basis", pa.string()), ("doc_ids", pa.list_(pa.string()))])
CLAIM_SCHEMA = arrow_schema([
    ("claim_id", pa.string()), ("doc_id", pa.string()), ("sentence_index", pa.int32()),
    ("topic", pa.string()), ("subject", pa.string()), ("value_text", pa.string()),
    ("value", pa.float64()), ("value_low", pa.float64()), ("value_high", pa.float64()),
    ("unit", pa.string()), ("approx", pa.bool_()), ("sentence", pa.string())])
DISAGREEMENT_SCHEMA = arrow_schema([
    ("position", pa.int32()), ("topic", pa.string()), ("subject", pa.string()),
    ("value_a", pa.string()), ("doc_a", pa.string()), ("sentence_a", pa.string()),
    ("value_b", pa.string()), ("doc_b", pa.string()), ("sentence_b", pa.string()),
    ("kind", pa.string()), ("number_a", pa.float64()), ("number_b", pa.float64()),
    ("unit", pa.string()), ("index_a", pa.int32()), ("index_b", pa.int32())])
NODE_SCHEMA = arrow_schema([
    ("position", pa.int32()), ("node", pa.string()), ("name", pa.string()), ("kind", pa.string()),
    ("events", pa.int32()), ("mediations", pa.int32()), ("broker", pa.bool_()),
    ("degree", pa.int32()), ("weighted_degree", pa.float64()), ("betweenness", pa.float64())])
EDGE_SCHEMA = arrow_schema([
    ("position", pa.int32()), ("source", pa.string()), ("target", pa.string()),
    ("events", pa.int32()), ("cooperation", pa.int32()), ("conflict", pa.int32()),
    ("goldstein_sum", pa.float64()), ("mediation", pa.int32()), ("member", pa.int32()),
    ("weight", pa.float64())])

_STATE_SCHEMA = arrow_schema([("key", pa.string()), ("value", pa.string())])
_TABLES = ("canonical_events", "event_links", "triads", "claims", "disagreement_rows",
           "network_nodes", "network_edges", "view_state")

#: What a fingerprint hashes, per table: every column a precomputed view reads.
_FINGERPRINT = (
    ("documents", "doc_id, path, title, published, source"),
    ("sentences", "doc_id, sentence_index, char_start, char_end, text"),
    ("mentions", "doc_id, sentence_index, char_start, char_end, code, actor_id, is_place, kind"),
    ("actors", "actor_id, name, code"),
    ("events", "event_id, doc_id, sentence_index, event, mode, date, date_precision, date_end, "
               "goldstein, quad_code, negated, hypothetical, text, trigger_start"),
    ("participants", "event_id, role, position, actor_id, code, name"),
    ("event_links", "event_id, canonical_id"))


#: The kinds of canonical event: groups of stored reports, or third-party CONSULT events derived
#: from mediation triads.
CANONICAL_KINDS = ("reported", "derived")


@dataclass(frozen=True)
class CanonicalFilter(CheckedFilter):
    """Which canonical events :meth:`LinkStore.canonical` gives, checked when made.

    ``actor``: a code in any role (any case); ``type``: PLOVER types, one or a sequence, each
    possibly comma-separated (any case); ``since``/``until``: ``YYYY[-MM[-DD]]`` bounds the
    event's date range must reach; ``min_documents``: the least number of reporting documents;
    ``kind``: ``reported`` or ``derived`` (default both); ``include_flagged``: keep negated and
    hypothetical events too.
    """

    actor: str | None = None
    type: str | Sequence[str] | None = None
    since: str | None = None
    until: str | None = None
    min_documents: int | None = None
    kind: str | None = None
    include_flagged: bool = False
    label: ClassVar[str] = "canonical event filter"

    def __post_init__(self) -> None:
        self._check_common()
        if self.min_documents is not None:
            try:
                object.__setattr__(self, "min_documents", int(self.min_documents))
            except (TypeError, ValueError):
                raise QueryError(f"min_documents must be a whole number, not "
                                 f"{self.min_documents!r}") from None
        if self.kind and self.kind not in CANONICAL_KINDS:
            raise QueryError(f"bad kind {self.kind!r}: use {' or '.join(CANONICAL_KINDS)}")

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition on ``canonical_events c`` and its parameters."""
        where: list[str] = ["1=1"]
        params: list[Any] = []
        if self.actor:
            anyrole = " OR ".join(
                f"list_contains(list_transform(c.{col}, lambda x: upper(x)), upper(?))"
                for col in ("actor_codes", "recipient_codes", "mediator_codes"))
            where.append(f"({anyrole})")
            params += [self.actor] * 3
        if self.type:
            raw = [self.type] if isinstance(self.type, str) else list(self.type)
            types = [t.strip().upper() for part in raw for t in str(part).split(",") if t.strip()]
            where.append(f"c.event IN ({', '.join('?' for _ in types)})")
            params += types
        if self.since:
            where.append("c.date_last >= ?")
            params.append(date_bound(self.since))
        if self.until:
            where.append("c.date_first <= ?")
            params.append(date_bound(self.until, last=True))
        if self.min_documents is not None:
            where.append("c.n_documents >= ?")
            params.append(self.min_documents)
        if self.kind:
            where.append("coalesce(c.kind, 'reported') = ?")
            params.append(self.kind)
        if not self.include_flagged:
            where.append("NOT c.negated AND NOT c.hypothetical")
        return " AND ".join(where), params


class LinkStore:
    """The link/analysis tables of one open store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.con = store.con
        store.ensure_link_schema()

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
    def event_frame(self, *, include_flagged: bool = True,
                    involving: Sequence[str] = ()) -> pd.DataFrame:
        """One row per event with its participants as code lists and its document's metadata.

        A participant's key is its code, else its actor id, else its name. ``involving``: only
        events with a participant of each of these keys (any role, any case).
        """
        where = [] if include_flagged else ["NOT e.negated AND NOT e.hypothetical"]
        params: list[Any] = []
        for key in involving:
            where.append("e.event_id IN (SELECT event_id FROM participants "
                         "WHERE upper(coalesce(code, actor_id, name)) = upper(?))")
            params.append(key)
        flag = f"WHERE {' AND '.join(where)}" if where else ""
        # with ``involving``, only the chosen events' participants are aggregated
        only = (f"WHERE event_id IN (SELECT e.event_id FROM events e {flag})" if involving else "")
        return self.store.sql(f"""
            WITH part AS (
              SELECT event_id, role,
                     list(coalesce(code, actor_id, name) ORDER BY position) AS codes,
                     list(actor_id ORDER BY position) AS ids
              FROM participants {only} GROUP BY event_id, role)
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
                     e.trigger_start""", params * 2 if involving else params)

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

    def has_events(self) -> bool:
        """True when the store holds at least one event."""
        return self.con.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None

    def links(self) -> pd.DataFrame:
        return self.store.sql("SELECT event_id, canonical_id FROM event_links")

    def canonical(self, flt: CanonicalFilter | None = None, *,
                  arrow: bool = False) -> pd.DataFrame | pa.Table:
        """The canonical events ``flt`` keeps (all unflagged ones by default), each with its
        ``event_ids``, in date order."""
        clause, params = (flt or CanonicalFilter()).where()
        query = f"""
            SELECT c.* EXCLUDE (evidence_ids),
                   coalesce((SELECT list(l.event_id ORDER BY l.event_id) FROM event_links l
                             WHERE l.canonical_id = c.canonical_id), c.evidence_ids,
                            []::VARCHAR[]) AS event_ids
            FROM canonical_events c WHERE {clause}
            ORDER BY c.date_first NULLS LAST, c.event, c.kind DESC, c.canonical_id"""
        if arrow:
            # a relation on a cursor: no extra copy, and no clash with unfinished results
            table: pa.Table = self.con.cursor().sql(query, params=list(params)).to_arrow_table()
            return table
        frame = self.con.execute(query, list(params)).df()
        for col in ("date_first", "date_last"):  # plain dates, not midnight timestamps
            frame[col] = [None if v is None or v != v else v.date() for v in frame[col]]
        return frame

    # -- triads and claims ---------------------------------------------------------------------
    def replace_triads(self, rows: list[dict[str, Any]], *, shuttle_window_days: int) -> None:
        """Write the triads (``position`` keeps their order), stamped with the store's
        fingerprint and the window they were found with (:meth:`triads_fresh`)."""
        data = [{**r, "evidence": json.dumps(r["evidence"]), "position": i}
                for i, r in enumerate(rows)]
        self._replace("triads", pa.Table.from_pylist(
            data, schema=TRIAD_SCHEMA.append(pa.field("position", pa.int32()))))
        self._set_state({"triads_fingerprint": self.fingerprint(),
                         "triads_window": str(int(shuttle_window_days))})

    def triads_fresh(self, *, shuttle_window_days: int) -> bool:
        """True when the stored triads were found on the store as it is now, with this window."""
        state = self.view_state()
        return (state.get("triads_window") == str(int(shuttle_window_days))
                and state.get("triads_fingerprint") == self.fingerprint())

    def views_fresh(self, *, shuttle_window_days: int | None = None) -> bool:
        """True when the precomputed views were built on the store as it is now (and, when
        ``shuttle_window_days`` is given, with that triad window)."""
        state = self.view_state()
        if not state.get("fingerprint"):
            return False
        if shuttle_window_days is not None and \
                state.get("triad_window") != str(int(shuttle_window_days)):
            return False
        return state["fingerprint"] == self.fingerprint()

    def replace_claims(self, rows: list[dict[str, Any]]) -> None:
        self._replace("claims", pa.Table.from_pylist(rows, schema=CLAIM_SCHEMA))

    def triad_rows(self) -> list[dict[str, Any]]:
        """The stored triads in the order they were written, ``evidence`` decoded."""
        frame = self.store.sql("SELECT * EXCLUDE (position) FROM triads "
                               "ORDER BY position NULLS LAST, triad_id")
        rows = records(frame)
        for r in rows:
            r["evidence"] = json.loads(r["evidence"]) if isinstance(r["evidence"], str) else []
            for key in ("event_ids", "doc_ids"):
                value = r.get(key)
                r[key] = [] if value is None or isinstance(value, float) else list(value)
        return rows

    # -- precomputed views ---------------------------------------------------------------------
    def fingerprint(self) -> str:
        """A digest of everything the precomputed views are built from (cheap: one scan each)."""
        parts = []
        for table, cols in _FINGERPRINT:
            if table == "event_links" and not self.has_table(table):
                parts.append("-")
                continue
            row = self.con.execute(f"SELECT count(*), coalesce(bit_xor(hash({cols})), 0) "
                                   f"FROM {table}").fetchone()
            parts.append(f"{row[0]}:{row[1]}" if row else "-")
        return "|".join(parts)

    def view_state(self) -> dict[str, str]:
        if not self.has_table("view_state"):
            return {}
        return {str(k): str(v) for k, v in
                self.con.execute("SELECT key, value FROM view_state").fetchall()}

    def replace_views(self, *, disagreements: list[dict[str, Any]],
                      nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
                      state: dict[str, str]) -> None:
        """Write the precomputed views and the state they were built in, in one transaction."""
        if self.store.read_only:
            raise StoreError(f"the store {self.store.path} is open read-only; open it for writing to "
                             "precompute its views")
        tables = (
            ("disagreement_rows", pa.Table.from_pylist(
                [{**r, "position": i} for i, r in enumerate(disagreements)],
                schema=DISAGREEMENT_SCHEMA)),
            ("network_nodes", pa.Table.from_pylist(nodes, schema=NODE_SCHEMA)),
            ("network_edges", pa.Table.from_pylist(edges, schema=EDGE_SCHEMA)))
        try:
            with self.store.transaction() as con:
                for table, data in tables:
                    con.execute(f"DELETE FROM {table}")
                    if data.num_rows:
                        Store.insert_arrow(con, table, data)
                self._write_state(con, state)
        except duckdb.Error as exc:
            raise StoreError(f"cannot write the precomputed views of {self.store.path}: {exc}"
                             ) from exc

    def _set_state(self, state: dict[str, str]) -> None:
        try:
            with self.store.transaction() as con:
                self._write_state(con, state)
        except duckdb.Error as exc:
            raise StoreError(f"cannot write the link state of {self.store.path}: {exc}") from exc

    @staticmethod
    def _write_state(con: duckdb.DuckDBPyConnection, state: dict[str, str]) -> None:
        """Replace these keys of ``view_state`` (the others stay)."""
        keys = sorted(state)
        if not keys:
            return
        con.execute(f"DELETE FROM view_state WHERE key IN ({', '.join('?' for _ in keys)})", keys)
        Store.insert_arrow(con, "view_state", pa.Table.from_pylist(
            [{"key": k, "value": state[k]} for k in keys], schema=_STATE_SCHEMA))
