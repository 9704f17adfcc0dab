"""The public face of ``import detente``: what ``__all__`` promises, and an ingest function that
keeps working however often it is called (its old name, ``ingest``, was shadowed by the
``detente.ingest`` subpackage as soon as that was imported)."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import types
from pathlib import Path

import pytest

import detente

REPORTS = {
    "first.txt": "ISLAMABAD, March 3 (Newswire) - Pakistan's foreign minister met his Turkish "
                 "counterpart in Islamabad on Tuesday and the two sides signed a trade accord.\n",
    "second.txt": "ANKARA, April 9 (Newswire) - Turkey condemned a rocket attack on its embassy "
                  "in Kabul on Monday and urged Afghanistan to find those responsible.\n",
}


def test_all_names_resolve() -> None:
    missing = [name for name in detente.__all__ if not hasattr(detente, name)]
    assert missing == []


def test_all_is_complete() -> None:
    public = {name for name, value in vars(detente).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)
              and name not in {"annotations", "version", "PackageNotFoundError", "Sequence",
                               "Path", "TYPE_CHECKING", "Any"}}
    assert public <= set(detente.__all__)


def test_import_is_cheap() -> None:
    code = "import detente, sys; print('spacy' in sys.modules, 'duckdb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == "False"


def test_lazy_names_are_the_real_classes() -> None:
    from detente.batch import IngestReport
    from detente.ingest import IngestOptions
    from detente.pipeline import PipelineOptions

    assert (detente.IngestReport, detente.IngestOptions, detente.PipelineOptions) == (
        IngestReport, IngestOptions, PipelineOptions)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        detente.nonsense  # noqa: B018


def test_ingest_files_signature_is_typed() -> None:
    hints = inspect.get_annotations(detente.ingest_files)
    assert set(hints) == {"paths", "store", "kwargs", "return"}


def test_ingest_files_runs_twice_in_one_process(tmp_path: Path) -> None:
    from detente.pipeline import Pipeline

    pipeline = Pipeline.load()
    folders = []
    for name, text in REPORTS.items():
        folder = tmp_path / name.removesuffix(".txt")
        folder.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
        folders.append(folder)
    with detente.open_store(tmp_path / "store.duckdb") as store:
        first = detente.ingest_files([folders[0]], store, pipeline=pipeline)
        importlib.import_module("detente.ingest")  # the subpackage must not shadow the function

        second = detente.ingest_files([folders[1]], store, pipeline=pipeline)
        assert (first.documents, second.documents) == (1, 1)
        assert isinstance(second, detente.IngestReport)
        assert len(store.known_documents()) == 2
