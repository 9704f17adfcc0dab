"""SQL for the actor coverage reports (:mod:`detente.actors.coverage`).

Only the store speaks SQL: :func:`unresolved_mention_counts` takes an open
:class:`~detente.store.Store` and returns the frame that ``detente actors --unresolved`` prints from.
"""

from __future__ import annotations

import pandas as pd

from detente.store import Store

__all__ = ["unresolved_mention_counts"]

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
