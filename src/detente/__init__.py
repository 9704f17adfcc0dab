"""detente: international news in, a political system out.

The public surface::

    import detente
    with detente.open_store("detente.duckdb") as store:
        report = detente.ingest(["examples/"], store)
        events = store.events(actor="PAK", type="ASSAULT")      # a pandas DataFrame
        records = store.event_records(since="2024-01")           # the JSONL export shape

Stages (one module each): ``ingest`` (files -> Article), ``nlp`` (spaCy), ``actors``
(mentions -> canonical actors), ``events`` (PLOVER coding), ``dates``, ``places``, ``store``
(DuckDB); across documents: ``link`` and ``analysis``. Errors: :mod:`detente.errors`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("detente")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

from detente.store import Store, open_store

__all__ = ["Store", "__version__", "ingest", "open_store"]


def ingest(paths: Any, store: Store, **kwargs: Any) -> Any:
    """Ingest files and folders into ``store``; see :func:`detente.batch.ingest`."""
    from detente.batch import ingest as _ingest

    return _ingest(paths, store, **kwargs)
