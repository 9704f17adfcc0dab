"""detente: international news in, a political system out.

The public surface::

    import detente
    with detente.open_store("detente.duckdb") as store:
        report = detente.ingest_files(["examples/"], store)    # an IngestReport (linked at its end)
        events = store.events(actor="PAK", type="ASSAULT")      # a pandas DataFrame
        records = store.event_records(since="2024-01")           # the JSONL export shape

``relink(store)`` runs the link step again (canonical events, triads, the views queries read),
after editing actors for instance. ``ingest_files`` is named so that it never clashes with the
subpackage ``detente.ingest`` (the readers). ``IngestReport``, ``IngestOptions`` and
``PipelineOptions`` are imported on first use, so ``import detente`` stays cheap (no spaCy). The
exception tree is in :mod:`detente.errors`; its classes are re-exported here.

Stages (one module each): ``ingest`` (files -> Article), ``nlp`` (spaCy), ``actors``
(mentions -> canonical actors), ``events`` (PLOVER coding), ``dates``, ``places``, ``store``
(DuckDB); across documents: ``link`` and ``analysis``.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("detente")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

from detente.errors import (
    DataFileError,
    DetenteError,
    InputError,
    ModelError,
    QueryError,
    StoreError,
    StoreLocked,
)
from detente.store import Store, open_store

if TYPE_CHECKING:
    from detente.batch import IngestReport
    from detente.ingest import IngestOptions
    from detente.link import LinkResult
    from detente.pipeline import PipelineOptions

__all__ = [
    "DataFileError",
    "DetenteError",
    "IngestOptions",
    "IngestReport",
    "InputError",
    "ModelError",
    "PipelineOptions",
    "QueryError",
    "Store",
    "StoreError",
    "StoreLocked",
    "__version__",
    "ingest_files",
    "open_store",
    "relink",
]

_LAZY = {"IngestReport": "detente.batch", "IngestOptions": "detente.ingest",
         "PipelineOptions": "detente.pipeline"}


def ingest_files(paths: Sequence[str | Path], store: Store, **kwargs: Any) -> IngestReport:
    """Ingest files and folders into ``store``; the keywords are those of :func:`detente.batch.ingest`.

    Safe to call any number of times in one process.
    """
    from detente.batch import ingest

    return ingest(paths, store, **kwargs)


def relink(store: Store, **kwargs: Any) -> LinkResult:
    """Link ``store`` again and rebuild the views its queries read (what ingest runs at its end);
    the keywords are those of :func:`detente.link_step.relink`."""
    from detente.link_step import relink as run

    return run(store, **kwargs)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'detente' has no attribute {name!r}")
