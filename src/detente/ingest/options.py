"""Options for reading input files, and the file suffixes the ingest stage understands."""

from __future__ import annotations

from dataclasses import dataclass

TEXT_SUFFIXES: frozenset[str] = frozenset({".txt"})
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})
PDF_SUFFIXES: frozenset[str] = frozenset({".pdf"})
RECORD_SUFFIXES: frozenset[str] = frozenset({".jsonl", ".json", ".csv"})
SUPPORTED_SUFFIXES: frozenset[str] = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | RECORD_SUFFIXES
# the largest single-article file read by default: one core parses about 5-25 KB of news a second
# here, so 5 MB takes minutes, and memory stays under 1.5 GB (benchmarks/size.py, docs/benchmarks.md)
DEFAULT_MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class IngestOptions:
    """How to read input files.

    The ``*_field`` names say which keys (JSONL/JSON) or columns (CSV) hold each field.
    ``max_bytes`` limits the size of a single-article file (.txt, .html, .htm, .pdf) and of each
    record's text in a record file (.jsonl, .json, .csv). ``check_language`` turns the
    English-only check on or off. ``year`` completes datelines that give none ("KABUL (April 8)
    —") when the document itself does not, and dates a document that carries no date at all to
    that year (``found["published"]`` ``"user"``).
    """

    text_field: str = "text"
    title_field: str = "title"
    date_field: str = "date"
    url_field: str = "url"
    source_field: str = "source"
    author_field: str = "author"
    id_field: str = "id"
    max_bytes: int = DEFAULT_MAX_BYTES
    check_language: bool = True
    year: int | None = None
