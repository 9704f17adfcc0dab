"""The ingest stage: turn input files into :class:`~detente.model.Article` records.

Supported inputs (:data:`SUPPORTED_SUFFIXES`, case-insensitive):

* ``.txt``: one article; UTF-8 (BOM or not), else cp1252, else latin-1 (``found["encoding"]``);
  title, date, author and source are sniffed from the text (:mod:`detente.ingest.sniff`);
* ``.html``/``.htm``: one article, extracted offline with trafilatura (:mod:`detente.ingest.html`);
* ``.pdf``: one article from the PDF's text layer (pypdf), then sniffed like ``.txt``;
* ``.jsonl``/``.json``/``.csv``: one article per record (:mod:`detente.ingest.records`).

Errors are **yielded, not raised**: :func:`read_file` yields an :class:`~detente.errors.InputError`
subclass in place of an article it cannot read (one for a whole file that fails, one
:class:`~detente.errors.RecordError` per bad record, the good records still being yielded), so
that a caller can report it and go on with the next input. Only bugs raise.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from detente.errors import InputError, UnreadablePath
from detente.ingest.html import read_html_file
from detente.ingest.options import (
    HTML_SUFFIXES,
    PDF_SUFFIXES,
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
    IngestOptions,
)
from detente.ingest.pdf import read_pdf_file
from detente.ingest.records import read_csv, read_json, read_jsonl
from detente.ingest.text import TextResources, read_text_file
from detente.model import Article

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestOptions",
    "TextResources",
    "iter_input_files",
    "read_file",
    "read_paths",
]

_DEFAULT_OPTIONS = IngestOptions()


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def iter_input_files(paths: Sequence[str | Path]) -> Iterator[Path | InputError]:
    """The files named by ``paths``: files as given, folders walked recursively in sorted order,
    hidden files and folders (names starting with ``.``) skipped. A file named directly is yielded
    whatever its suffix (:func:`read_file` reports an unsupported one); inside a folder only files
    with a supported suffix are taken, so a README or an image beside the articles is passed over.
    A file reached twice is yielded once. A missing or unreadable path yields
    :class:`~detente.errors.UnreadablePath`.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield UnreadablePath(path, "no such file or directory", "check the path")
            continue
        if not path.is_dir():
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                yield path
            continue
        if not os.access(path, os.R_OK | os.X_OK):
            yield UnreadablePath(path, "permission denied: cannot list the folder",
                                 "check the folder's permissions")
            continue
        errors: list[OSError] = []
        found: list[Path] = []
        for root, dirnames, filenames in os.walk(path, onerror=errors.append):
            dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
            found.extend(Path(root) / f for f in filenames
                         if not _is_hidden(f) and Path(f).suffix.lower() in SUPPORTED_SUFFIXES)
        for error in errors:
            yield UnreadablePath(error.filename or path, f"cannot list the folder: {error.strerror or error}",
                                 "check the folder's permissions")
        for file in sorted(found):
            key = file.resolve()
            if key not in seen and not file.is_dir():
                seen.add(key)
                yield file


def read_file(path: Path, options: IngestOptions = _DEFAULT_OPTIONS,
              resources: TextResources | None = None) -> Iterator[Article | InputError]:
    """The articles in one file (see the module docstring), errors yielded in their place.

    ``resources`` (stopword list, sniffing tables) defaults to the bundled data.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        problem = f"unsupported file type {suffix!r}" if suffix else "file has no suffix"
        yield UnreadablePath(path, problem, "supported suffixes: " + ", ".join(sorted(SUPPORTED_SUFFIXES)))
        return
    if path.is_dir():
        yield UnreadablePath(path, "is a directory, not a file", "pass it to read_paths to read its files")
        return
    res = resources or TextResources.default()
    if suffix == ".jsonl":
        yield from read_jsonl(path, options, res)
        return
    if suffix == ".json":
        yield from read_json(path, options, res)
        return
    if suffix == ".csv":
        yield from read_csv(path, options, res)
        return
    try:
        if suffix in TEXT_SUFFIXES:
            yield read_text_file(path, options, res)
        elif suffix in HTML_SUFFIXES:
            yield read_html_file(path, options, res)
        elif suffix in PDF_SUFFIXES:
            yield read_pdf_file(path, options, res)
    except InputError as exc:
        yield exc


def read_paths(paths: Sequence[str | Path], options: IngestOptions = _DEFAULT_OPTIONS,
               resources: TextResources | None = None) -> Iterator[Article | InputError]:
    """:func:`iter_input_files` and :func:`read_file` together: every article (or error) in
    ``paths``."""
    res = resources or TextResources.default()
    for item in iter_input_files(paths):
        if isinstance(item, InputError):
            yield item
        else:
            yield from read_file(item, options, res)
