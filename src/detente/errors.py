"""The exceptions detente raises, in one tree.

    DetenteError                   anything detente raises on purpose
    ├── InputError                 one input file cannot be read as an article
    │   ├── EmptyInput             the file holds no text
    │   ├── BinaryInput            the file is not text (and not a PDF we can read)
    │   ├── ScannedPDF             a PDF without a text layer
    │   ├── NoArticle              HTML from which no article body can be extracted
    │   ├── NotEnglish             the text is not in English
    │   ├── TooLarge               the text is over the size limit
    │   ├── RecordError            a bad record in a JSONL/JSON/CSV file (carries the line number)
    │   ├── UnreadablePath         missing file, permission denied, unsupported extension
    │   │   └── UnsupportedType    a file type detente does not read (.docx, .png, ...)
    │   └── ReaderFailure          a reader broke on the file (a bug: the other files go on)
    ├── DataFileError              a user-supplied or bundled data file is invalid
    │                              (actor dictionary, lexicon, ontology table); carries file and line
    ├── StoreError                 the DuckDB store cannot be opened or is in an unexpected state
    │   └── NotLinked              a query needs canonical events the store has not (yet) linked
    ├── QueryError                 a query argument is not valid (unknown actor, bad date, bad format)
    └── ModelError                 the spaCy model (or another optional model) is not installed

Each exception's message says what is wrong and, where there is one, how to fix it. The CLI
prints ``str(error)`` and exits non-zero; nothing in the library prints or exits.
"""

from __future__ import annotations

from pathlib import Path


class DetenteError(Exception):
    """Base class of every error detente raises on purpose."""


class InputError(DetenteError):
    """An input file cannot be turned into an article."""

    def __init__(self, path: str | Path, problem: str, hint: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        message = f"{self.path}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class ScannedPDF(InputError):
    pass


class NoArticle(InputError):
    pass


class NotEnglish(InputError):
    pass


class TooLarge(InputError):
    pass


class RecordError(InputError):
    """A bad record inside a multi-article file; ``line`` is 1-based."""

    def __init__(self, path: str | Path, line: int, problem: str, hint: str | None = None) -> None:
        self.line = line
        super().__init__(f"{path}:{line}", problem, hint)
        self.path = str(path)


class UnreadablePath(InputError):
    pass


class UnsupportedType(UnreadablePath):
    """A file whose suffix detente does not read."""


class ReaderFailure(InputError):
    """A reader raised something it should not have on this file: a bug to report; the run goes on
    with the other files."""


class DataFileError(DetenteError):
    """An invalid entry in a data file (actor dictionary, lexicon, mapping table)."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class StoreError(DetenteError):
    pass


class StoreLocked(StoreError):
    """The store's file is locked by another process (``holder``: ``reader`` or ``writer``)."""

    def __init__(self, message: str, holder: str, pid: int | None = None) -> None:
        self.holder = holder
        self.pid = pid
        super().__init__(message)


class NotLinked(StoreError):
    """The store has no canonical events for all its events: never linked, or events were added
    since. Linking (``detente.link.link_events``, which ingest runs at its end) builds them."""


class QueryError(DetenteError):
    pass


class ModelError(DetenteError):
    pass
