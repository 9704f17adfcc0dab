"""SQL for the stages that read the whole store to report on it: analysis (:mod:`detente.analysis`),
evaluation (:mod:`detente.evaluate`) and the web pages (:mod:`detente.web`).

Only the store speaks SQL: these functions take an open :class:`~detente.store.Store` and return
plain values or frames, so that the reporting stages never write a query themselves. Each query
is the one its caller ran before; the callers keep their Python processing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from detente.store import Store, records

# -- analysis -------------------------------------------------------------------------------------


def canonical_ids(store: Store, event_ids: Sequence[str]) -> dict[str, str]:
    """event_id -> canonical_id of each of ``event_ids`` that linking has linked."""
    links = store.sql("SELECT event_id, canonical_id FROM event_links "
                      "WHERE event_id IN (SELECT unnest(?))", [list(event_ids)])
    return dict(zip(links["event_id"], links["canonical_id"], strict=True))


def node_name_candidates(store: Store) -> pd.DataFrame:
    """Per network node key (a participant's code, else actor id, else name) and participant
    name: ``key``, ``name``, ``n`` (how often), ``country`` (the ``country:KEY`` actor's name)
    and ``actor`` (the name of the actor with id ``key``); most frequent name first per key."""
    return store.sql("""
        SELECT coalesce(p.code, p.actor_id, p.name) AS key, p.name, count(*) AS n,
               any_value(c.name) AS country, any_value(a.name) AS actor
        FROM participants p
        LEFT JOIN actors c ON c.actor_id = 'country:' || p.code
        LEFT JOIN actors a ON a.actor_id = coalesce(p.code, p.actor_id, p.name)
        WHERE coalesce(p.code, p.actor_id, p.name) IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, n DESC, p.name NULLS LAST""")


def actor_memberships(store: Store) -> pd.DataFrame:
    """Each individual actor id with a code of its own (``actor_id``, ``code``, ``name``)."""
    return store.sql("""
        SELECT actor_id, code, min(name) AS name FROM participants
        WHERE actor_id IS NOT NULL AND code IS NOT NULL AND actor_id <> code
        GROUP BY actor_id, code ORDER BY actor_id, code""")


def network_node_rows(store: Store) -> list[dict[str, Any]]:
    """The precomputed network's nodes, in their stored order."""
    return records(store.sql("SELECT * FROM network_nodes ORDER BY position"))


def network_edge_rows(store: Store) -> list[dict[str, Any]]:
    """The precomputed network's edges, in their stored order."""
    return records(store.sql("SELECT * FROM network_edges ORDER BY position"))


def disagreement_view_rows(store: Store) -> list[dict[str, Any]]:
    """The precomputed disagreement rows, in their stored order (without the position)."""
    return records(store.sql("SELECT * EXCLUDE (position) FROM disagreement_rows ORDER BY position"))


def mediator_keys(store: Store) -> list[Any]:
    """The distinct keys (code, else actor id, else name) of the participants in a mediator role."""
    rows = store.sql("SELECT DISTINCT coalesce(code, actor_id, name) AS key FROM participants "
                     "WHERE role = 'mediator'")
    return list(rows["key"].tolist())


def dyad_pair_counts(store: Store) -> pd.DataFrame:
    """Unordered pairs of distinct actor and recipient codes (``a`` < ``b``) with their number of
    events ``n``, negated and hypothetical events left out."""
    return store.sql("""
        SELECT least(a.code, r.code) AS a, greatest(a.code, r.code) AS b, count(*) AS n
        FROM participants a
        JOIN participants r ON r.event_id = a.event_id AND r.role = 'recipient'
        JOIN events e ON e.event_id = a.event_id
        WHERE a.role = 'actor' AND coalesce(a.code, '') <> '' AND coalesce(r.code, '') <> ''
          AND a.code <> r.code AND NOT e.negated AND NOT e.hypothetical
        GROUP BY 1, 2""")


# -- evaluation -----------------------------------------------------------------------------------


def document_sources(store: Store) -> pd.DataFrame:
    """Every document's ``doc_id``, ``path``, ``record_id``, ``text``, ``published`` and
    ``published_precision``."""
    return store.sql("SELECT doc_id, path, record_id, text, published, published_precision "
                     "FROM documents")


def events_with_codes(store: Store) -> pd.DataFrame:
    """Every event with its sentence span, date, place, flags and its ``actor`` and ``recipient``
    code lists (in participant order), in document and text order."""
    return store.sql("""
        WITH part AS (SELECT event_id, role, list(code ORDER BY position) AS codes
                      FROM participants WHERE code IS NOT NULL GROUP BY event_id, role)
        SELECT e.event_id, e.doc_id, e.sentence_index, e.sent_start, e.sent_end, e.text, e.event,
               e.date, e.date_precision, e.date_end, e.place_name, e.place_country, e.negated,
               e.hypothetical, coalesce(a.codes, []) AS actor, coalesce(r.codes, []) AS recipient
        FROM events e
        LEFT JOIN part a ON a.event_id = e.event_id AND a.role = 'actor'
        LEFT JOIN part r ON r.event_id = e.event_id AND r.role = 'recipient'
        ORDER BY e.doc_id, e.sentence_index, e.trigger_start, e.event_id""")


def mention_spans(store: Store) -> pd.DataFrame:
    """Every mention: ``doc_id``, ``char_start``, ``char_end``, ``actor_id``, ``code``, ``sector``,
    ``is_place``."""
    return store.sql("SELECT doc_id, char_start, char_end, actor_id, code, sector, is_place "
                     "FROM mentions")


def linked_record_events(store: Store) -> pd.DataFrame:
    """Each unflagged linked event's document ``rid`` (record id), ``event`` type and
    ``canonical_id``."""
    return store.sql("""
        SELECT d.record_id AS rid, e.event, l.canonical_id FROM events e
        JOIN documents d USING (doc_id) JOIN event_links l USING (event_id)
        WHERE NOT e.negated AND NOT e.hypothetical""")


def linked_sentence_events(store: Store) -> pd.DataFrame:
    """Each unflagged linked event's document ``path`` and ``doc_text``, ``event`` type, sentence
    span (``sent_start``, ``sent_end``) and ``canonical_id``."""
    return store.sql("""
        SELECT d.path, d.text AS doc_text, e.event, e.sent_start, e.sent_end, l.canonical_id
        FROM events e JOIN documents d USING (doc_id) JOIN event_links l USING (event_id)
        WHERE NOT e.negated AND NOT e.hypothetical""")


# -- web pages ------------------------------------------------------------------------------------


def event_offsets(store: Store, event_ids: Sequence[str]) -> pd.DataFrame:
    """The sentence start, trigger span and date bounds of each of ``event_ids``."""
    return store.sql("""
        SELECT event_id, sent_start, trigger_start, trigger_end, date_first, date_last
        FROM events WHERE event_id IN (SELECT unnest(?))""", [list(event_ids)])


def participant_spans(store: Store, event_ids: Sequence[str]) -> pd.DataFrame:
    """The located participants (``event_id``, ``role``, ``char_start``, ``char_end``) of
    ``event_ids``, by event, role and position."""
    return store.sql("""
        SELECT event_id, role, char_start, char_end FROM participants
        WHERE event_id IN (SELECT unnest(?)) AND char_start IS NOT NULL AND char_end IS NOT NULL
        ORDER BY event_id, role, position""", [list(event_ids)])


def event_document(store: Store, event_id: str) -> str | None:
    """The doc_id of the event ``event_id``, or None when there is no such event."""
    row = store.sql("SELECT doc_id FROM events WHERE event_id = ?", [event_id])
    if row.empty:
        return None
    return str(row["doc_id"].iloc[0])


def document_rows(store: Store, doc_ids: Sequence[str]) -> pd.DataFrame:
    """The stored ones of ``doc_ids`` with their metadata and text."""
    return store.sql("SELECT doc_id, path, title, published, published_precision, source, url, "
                     "author, text FROM documents WHERE doc_id IN (SELECT unnest(?))", [list(doc_ids)])


def sentence_spans(store: Store, doc_ids: Sequence[str]) -> pd.DataFrame:
    """Every sentence span (``doc_id``, ``sentence_index``, ``char_start``, ``char_end``) of
    ``doc_ids`` that has an event or a stored sentence, by document and position."""
    ids = list(doc_ids)
    return store.sql("""
        SELECT DISTINCT doc_id, sentence_index, sent_start AS char_start, sent_end AS char_end
        FROM events WHERE doc_id IN (SELECT unnest(?))
        UNION
        SELECT doc_id, sentence_index, char_start, char_end FROM sentences
        WHERE doc_id IN (SELECT unnest(?))
        ORDER BY doc_id, char_start, char_end DESC""", [ids, ids])


def count_text_matches(store: Store, pattern: str) -> int:
    """How many documents' text matches the ILIKE ``pattern`` (``\\`` escapes)."""
    return int(store.sql("SELECT count(*) AS n FROM documents WHERE text ILIKE ? ESCAPE '\\'",
                         [pattern])["n"].iloc[0])


def text_matches(store: Store, pattern: str, *, limit: int, offset: int) -> pd.DataFrame:
    """One page of the documents whose text matches the ILIKE ``pattern``, in publication order."""
    return store.sql("""
        SELECT doc_id, title, published, path, text FROM documents
        WHERE text ILIKE ? ESCAPE '\\' ORDER BY published NULLS LAST, path LIMIT ? OFFSET ?""",
                     [pattern, limit, offset])


def stored_event_types(store: Store) -> list[str]:
    """The distinct event types stored, sorted."""
    return sorted(set(store.sql("SELECT DISTINCT event FROM events")["event"].tolist()))
