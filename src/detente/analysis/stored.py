"""Reading what linking precomputed: whether the stored views are fresh for the store as it is
now (:func:`views_fresh`), and the mediation triads saved with them.
"""

from __future__ import annotations

import pandas as pd

from detente.store import Store
from detente.store.links import LinkStore


def views_fresh(store: Store, *, shuttle_window_days: int | None = None) -> bool:
    """True when the precomputed views were built on the store as it is now (and, when
    ``shuttle_window_days`` is given, with that triad window):
    :meth:`~detente.store.links.LinkStore.views_fresh`."""
    return LinkStore(store).views_fresh(shuttle_window_days=shuttle_window_days)


def mediation_triads(store: Store, *, shuttle_window_days: int = 14) -> pd.DataFrame:
    """:func:`detente.link.find_triads` as a DataFrame (it reads the stored triads while they are
    fresh for this window, else computes them; it never writes)."""
    from detente.link import find_triads

    frame = find_triads(store, shuttle_window_days=shuttle_window_days)
    assert isinstance(frame, pd.DataFrame)
    return frame
