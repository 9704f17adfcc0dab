"""The link step: everything the store derives from its stored events, rebuilt and written.

:func:`relink` runs :func:`detente.link.link_events` (canonical events, event links, mediation
triads) and then :func:`detente.analysis.precompute_views` (claims, disagreements, the actor
network), which read what linking wrote. Ingest runs it at its end; ``detente link`` runs it on
its own (after editing actors, say). It sits above :mod:`detente.link` and :mod:`detente.analysis`
so that neither imports the other's writer: analysis reads link, link never reads analysis.
"""

from __future__ import annotations

from detente.link import LinkResult, PloverTable
from detente.store import Store


def relink(store: Store, *, window_days: int = 1, shuttle_window_days: int = 14,
           plover: PloverTable | None = None) -> LinkResult:
    """Link ``store`` (open for writing) and rebuild the views its queries read; queries and
    pages read them while the store is unchanged since."""
    from detente.analysis import precompute_views  # pandas, networkx: only when linking
    from detente.link import link_events

    result = link_events(store, window_days=window_days, shuttle_window_days=shuttle_window_days,
                         plover=plover)
    precompute_views(store, result.triads, shuttle_window_days=shuttle_window_days)
    return result
