"""The ingest stage: turn input files into :class:`~detente.model.Article` records.

Supported inputs (:data:`SUPPORTED_SUFFIXES`, case-insensitive):

* ``.txt``: one article; UTF-8 (BOM or not), else the encoding charset-normalizer detects
  (``found["encoding"]``; what had to be replaced is named in ``found["warnings"]``, see
  :mod:`detente.ingest.encoding`);
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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from detente.errors import InputError, ReaderFailure, UnreadablePath, UnsupportedType
from detente.ingest.html import read_html_file
from detente.ingest.options import (
    DEFAULT_MAX_BYTES,
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
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "IngestOptions",
    "PassedOver",
    "TextResources",
    "iter_input_files",
    "read_file",
    "read_paths",
]

_DEFAULT_OPTIONS = IngestOptions()


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


PassedOver = Callable[[UnsupportedType], None]  # told of each file a folder walk passes over


def iter_input_files(paths: Sequence[str | Path],
                     on_passed_over: PassedOver | None = None) -> Iterator[Path | InputError]:
    """The files named by ``paths``: files as given, folders walked recursively in sorted order,
    hidden files and folders (names starting with ``.``) skipped. A file named directly is yielded
    whatever its suffix (:func:`read_file` reports an unsupported one); inside a folder only files
    with a supported suffix are taken, so a README or an image beside the articles is passed over,
    and ``on_passed_over`` (when given) is called with an
    :class:`~detente.errors.UnsupportedType` for each, so that a caller can say so. A file reached
    twice is yielded once. A missing or unreadable path yields
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
        other: list[Path] = []
        for root, dirnames, filenames in os.walk(path, onerror=errors.append):
            dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
            for f in filenames:
                if not _is_hidden(f):
                    (found if Path(f).suffix.lower() in SUPPORTED_SUFFIXES else other).append(Path(root) / f)
        if on_passed_over is not None:
            for file in sorted(other):
                on_passed_over(unsupported(file))
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

    ``resources`` (stopword list, sniffing tables) defaults to the bundled data. A reader that
    raises anything but an :class:`~detente.errors.InputError` (a bug) yields a
    :class:`~detente.errors.ReaderFailure` for the file, so that the other files are still read.
    """
    path = Path(path)
    try:
        yield from _read_file(path, options, resources)
    except InputError as exc:  # readers yield their errors; one raised is yielded all the same
        yield exc
    except Exception as exc:
        yield ReaderFailure(path, f"internal error while reading the file ({type(exc).__name__}: {exc})",
                            "please report it with this file")


def unsupported(path: Path) -> UnsupportedType:
    """The error for a file whose suffix detente does not read."""
    suffix = path.suffix.lower()
    problem = f"unsupported file type {suffix!r}" if suffix else "file has no suffix"
    return UnsupportedType(path, problem, "supported suffixes: " + ", ".join(sorted(SUPPORTED_SUFFIXES)))


def _read_file(path: Path, options: IngestOptions,
               resources: TextResources | None) -> Iterator[Article | InputError]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield unsupported(path)
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
               resources: TextResources | None = None,
               on_passed_over: PassedOver | None = None) -> Iterator[Article | InputError]:
    """:func:`iter_input_files` and :func:`read_file` together: every article (or error) in
    ``paths``; ``on_passed_over`` is told of the files folders hold that detente does not read."""
    res = resources or TextResources.default()
    for item in iter_input_files(paths, on_passed_over):
        if isinstance(item, InputError):
            yield item
        else:
            yield from read_file(item, options, res)
