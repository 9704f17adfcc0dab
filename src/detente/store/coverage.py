"""What the articles of a store named that the actor knowledge could not code: the mentions that
got no country or IGO code, grouped by spelling, most frequent first, so a user sees what to add
to a dictionary file (``detente actors --unresolved``; what the dictionary covers is
:mod:`detente.actors.coverage`).
"""

from __future__ import annotations

import pandas as pd

from detente.store import Store

__all__ = ["unresolved_mention_counts", "unresolved_mentions"]

_UNRESOLVED = """
        SELECT regexp_replace(trim(text), '[[:space:]]+', ' ', 'g') AS text, count(*) AS mentions,
               count(DISTINCT doc_id) AS documents,
               string_agg(DISTINCT how, ',' ORDER BY how) AS how,
               string_agg(DISTINCT coalesce(sector, ''), ',' ORDER BY coalesce(sector, '')) AS sectors
        FROM mentions
        WHERE code IS NULL AND NOT coalesce(is_place, FALSE)
        GROUP BY 1
        ORDER BY mentions DESC, documents DESC, text
    """


def unresolved_mention_counts(store: Store, *, limit: int | None = None) -> pd.DataFrame:
    """Mentions with no code that are no places, grouped by spelling, most frequent first: ``text``,
    ``mentions``, ``documents``, ``how`` and ``sectors`` (comma-joined, as the query aggregates them)."""
    return store.sql(_UNRESOLVED + (f" LIMIT {int(limit)}" if limit else ""))


def unresolved_mentions(store: Store, *, limit: int | None = None) -> pd.DataFrame:
    """Mentions that got no code (not places), by spelling: ``text``, ``mentions``, ``documents``,
    ``how``, ``sectors``.

    Most frequent first; ``how`` says how the resolver met them ("ner": an unknown name with no
    title to give it a country; "title": a collective noun such as "militants" with no country).
    """
    frame = unresolved_mention_counts(store, limit=limit)
    frame["sectors"] = frame["sectors"].str.strip(",")
    return frame
