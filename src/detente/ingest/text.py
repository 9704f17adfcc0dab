"""Plain-text articles: size and binary checks, decoding, the English check, sniffing.

The helpers here raise :class:`~detente.errors.InputError` subclasses; :func:`detente.ingest.read_file`
turns them into yielded errors.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from detente.errors import BinaryInput, DataFileError, EmptyInput, NotEnglish, TooLarge, UnreadablePath
from detente.ingest.encoding import decode, repair
from detente.ingest.options import IngestOptions
from detente.ingest.sniff import SniffTables, load_sniff_tables, sniff_metadata
from detente.model import Article

SAMPLE_BYTES = 8192  # how much of a file the binary check looks at
MAX_CONTROL_RATIO = 0.05  # more control characters than this: not text
MIN_WORDS_FOR_LANGUAGE = 20  # fewer words than this: too short to judge, accepted
LANGUAGE_SAMPLE_WORDS = 5000  # the English check reads at most this many words
MIN_STOPWORD_RATIO = 0.15  # English news scores about 0.25-0.4 with the bundled list
SIZE_HINT = "split it or raise --max-bytes"
WARNINGS_KEY = "warnings"  # Article.found key of what was repaired on reading (one per line)

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# --- resources -----------------------------------------------------------------------------


def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """The English function words the language check counts (the bundled list by default).

    The file has one lower-case word per line; blank lines and ``#`` comments are skipped.
    """
    if path is None:
        return _bundled_stopwords()
    return _parse_stopwords(path, path.read_text(encoding="utf-8"))


@cache
def _bundled_stopwords() -> frozenset[str]:
    res = resources.files("detente") / "data" / "ingest" / "english_stopwords.txt"
    return _parse_stopwords(Path(str(res)), res.read_text(encoding="utf-8"))


def _parse_stopwords(path: Path, content: str) -> frozenset[str]:
    words: set[str] = set()
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not _WORD_RE.fullmatch(line) or line != line.lower():
            raise DataFileError(path, f"not a single lower-case word: {line!r}", line=number)
        words.add(line)
    if not words:
        raise DataFileError(path, "the stopword list is empty")
    return frozenset(words)


@dataclass(frozen=True)
class TextResources:
    """The bundled data the text readers need; pass one in to share or replace it."""

    stopwords: frozenset[str]
    sniff: SniffTables

    @classmethod
    def default(cls) -> TextResources:
        return cls(load_stopwords(), load_sniff_tables())


# --- checks --------------------------------------------------------------------------------


def unreadable(path: str | Path, exc: OSError) -> UnreadablePath:
    """The UnreadablePath error for an OS error met while reading ``path``."""
    if isinstance(exc, FileNotFoundError):
        return UnreadablePath(path, "no such file or directory", "check the path")
    if isinstance(exc, PermissionError):
        return UnreadablePath(path, "permission denied", "check the file's permissions")
    if isinstance(exc, IsADirectoryError):
        return UnreadablePath(path, "is a directory, not a file")
    return UnreadablePath(path, f"cannot read the file: {exc.strerror or exc}")


def check_size(path: Path, options: IngestOptions, limit: bool = True) -> int:
    """The file's size in bytes, from ``stat`` (nothing is read): UnreadablePath when it cannot be
    stat'ed, EmptyInput when it is 0 bytes, TooLarge over ``options.max_bytes`` (when ``limit``)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise unreadable(path, exc) from exc
    if limit and size > options.max_bytes:
        raise TooLarge(path, f"file is {size:,} bytes, over the limit of {options.max_bytes:,} bytes",
                       SIZE_HINT)
    if size == 0:
        raise EmptyInput(path, "file is empty (0 bytes)", "remove it or put the article's text in it")
    return size


def read_bytes(path: Path) -> bytes:
    """The file's content; OS errors become UnreadablePath."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from exc


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text (see :func:`detente.ingest.encoding.decode`): ``(text, encoding)``; encoding is
    ``"utf-8-sig"`` when a UTF-8 BOM was present. The warning, if any, is dropped: readers that
    record it call :func:`~detente.ingest.encoding.decode` themselves."""
    decoded = decode(data)
    return decoded.text, decoded.encoding


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_binary(path: Path, data: bytes) -> None:
    """BinaryInput when the bytes are not text: NUL bytes (outside UTF-16) or many control codes."""
    sample = data[:SAMPLE_BYTES]
    if sample.startswith(b"%PDF-"):
        raise BinaryInput(path, "file is a PDF, not plain text", "give it the .pdf suffix")
    is_utf16 = sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE))
    if b"\x00" in sample and not is_utf16:
        raise BinaryInput(path, "file is binary (it contains NUL bytes), not text",
                          "convert it to plain text (.txt), or give it its proper suffix (.pdf, .html)")
    text, _ = decode_bytes(sample)
    if text and control_ratio(text) > MAX_CONTROL_RATIO:
        raise BinaryInput(path, f"file is mostly non-text bytes ({control_ratio(text):.0%} control "
                          "characters)", "convert it to plain text (.txt)")


def control_ratio(text: str) -> float:
    """The share of characters that are control codes (not tabs/newlines) or U+FFFD."""
    if not text:
        return 0.0
    bad = sum(1 for ch in text
              if (ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc") or ch == "\ufffd")
    return bad / len(text)


def english_score(text: str, stopwords: frozenset[str]) -> tuple[int, float]:
    """(number of words looked at, share of them that are English function words)."""
    words = [m.group(0).lower().replace("’", "'")
             for _, m in zip(range(LANGUAGE_SAMPLE_WORDS), _WORD_RE.finditer(text), strict=False)]
    if not words:
        return 0, 0.0
    return len(words), sum(1 for w in words if w in stopwords) / len(words)


def check_english(path: str | Path, text: str, stopwords: frozenset[str]) -> None:
    """NotEnglish when the text has enough words to judge and too few English function words."""
    count, ratio = english_score(text, stopwords)
    if count >= MIN_WORDS_FOR_LANGUAGE and ratio < MIN_STOPWORD_RATIO:
        raise NotEnglish(path, f"text does not look like English (only {ratio:.0%} of its first {count} "
                         "words are common English words)",
                         "detente codes English news; translate it first, or pass --no-language-check")


def check_not_empty(path: str | Path, text: str) -> None:
    if not text.strip():
        raise EmptyInput(path, "file holds only whitespace, no text",
                         "remove it or put the article's text in it")


# --- articles ------------------------------------------------------------------------------


def article_from_text(path: str | Path, text: str, options: IngestOptions, resources_: TextResources,
                      found: dict[str, str] | None = None) -> Article:
    """Check plain text (not empty, English) and make an Article with sniffed metadata.

    ``text`` should already have its newlines normalised; it becomes ``Article.text`` unchanged.
    """
    found = dict(found or {})
    text, count = repair(text)
    if count:
        add_warning(found, f"the text held {count} lone surrogate(s) that cannot be stored; each was "
                    "replaced by U+FFFD")
    check_not_empty(path, text)
    if options.check_language:
        check_english(path, text, resources_.stopwords)
    sniffed = sniff_metadata(text, resources_.sniff)
    return Article(text=text, path=str(path), title=sniffed.title, published=sniffed.published,
                   author=sniffed.author, source=sniffed.source,
                   found={**found, **sniffed.found})


def add_warning(found: dict[str, str], *warnings: str | None) -> None:
    """Record what was repaired on reading in ``found["warnings"]`` (one warning per line)."""
    new = [w for w in warnings if w]
    if new:
        found[WARNINGS_KEY] = "\n".join([*filter(None, [found.get(WARNINGS_KEY)]), *new])


def warnings_of(found: dict[str, str]) -> Iterable[str]:
    """The warnings :func:`add_warning` recorded."""
    value = found.get(WARNINGS_KEY)
    return value.split("\n") if value else ()


def read_text_file(path: Path, options: IngestOptions, resources_: TextResources) -> Article:
    """Read one ``.txt`` article; raises an InputError subclass when it cannot."""
    check_size(path, options)
    data = read_bytes(path)
    check_binary(path, data)
    decoded = decode(data)
    found = {"encoding": decoded.encoding}
    add_warning(found, decoded.warning)
    return article_from_text(path, normalise_newlines(decoded.text), options, resources_, found)
