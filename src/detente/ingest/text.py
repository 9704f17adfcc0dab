"""Plain-text articles: size and binary checks, decoding, the English check, sniffing.

The English check is lingua-language-detector's (its models ship inside the package; nothing is
fetched at run time), restricted to the languages of ``data/ingest/languages.yaml`` so that the
models load quickly; a rejected file's message names the language detected.

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
from typing import Any

from detente.datafiles import load_yaml
from detente.errors import BinaryInput, DataFileError, EmptyInput, NotEnglish, TooLarge, UnreadablePath
from detente.ingest.encoding import decode, repair
from detente.ingest.options import IngestOptions
from detente.ingest.sniff import SniffTables, load_sniff_tables, sniff_metadata
from detente.model import Article

SAMPLE_BYTES = 8192  # how much of a file the binary check looks at
MAX_CONTROL_RATIO = 0.05  # more control characters than this: not text
SIZE_HINT = "split it or raise --max-bytes"
WARNINGS_KEY = "warnings"  # Article.found key of what was repaired on reading (one per line)

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# --- resources -----------------------------------------------------------------------------


def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """A list of English function words (the bundled list by default); the language check itself
    is lingua's (:class:`LanguageCheck`).

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


class LanguageCheck:
    """The language detector and its settings (``languages.yaml``); the detector is built on
    first use, so a run with ``--no-language-check`` never loads it."""

    def __init__(self, languages: tuple[str, ...], min_words: int, min_english_confidence: float,
                 sample_chars: int) -> None:
        self.languages = languages
        self.min_words = min_words
        self.min_english_confidence = min_english_confidence
        self.sample_chars = sample_chars
        self._detector: Any = None

    def detector(self) -> Any:
        if self._detector is None:
            from lingua import Language, LanguageDetectorBuilder

            langs = [getattr(Language, name.upper()) for name in self.languages]
            # low-accuracy mode reads trigrams only: a fraction of the memory, and exact enough on
            # texts of a sentence or more (shorter ones are not judged)
            self._detector = LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()
        return self._detector

    def identify(self, text: str, *, judge_short: bool = False) -> tuple[str, float, float] | None:
        """(detected language, its confidence, English's confidence), or None when the text is too
        short to judge (fewer than ``min_words`` words, unless ``judge_short``; no words at all)."""
        sample = text[:self.sample_chars]
        count = len(_WORD_RE.findall(sample))
        if count == 0 or (count < self.min_words and not judge_short):
            return None
        values = self.detector().compute_language_confidence_values(sample)
        if not values:
            return None
        english = next((v.value for v in values if v.language.name == "ENGLISH"), 0.0)
        top = values[0]
        return top.language.name.capitalize(), float(top.value), float(english)


def load_language_check(path: Path | None = None) -> LanguageCheck:
    """The language check's settings (the bundled ``languages.yaml`` unless ``path`` is given)."""
    if path is None:
        return _bundled_language_check()
    return _parse_language_check(path, load_yaml(path))


@cache
def _bundled_language_check() -> LanguageCheck:
    res = resources.files("detente") / "data" / "ingest" / "languages.yaml"
    path = Path(str(res))
    return _parse_language_check(path, load_yaml(path, res.read_text(encoding="utf-8")))


def _parse_language_check(path: Path, data: Any) -> LanguageCheck:
    from lingua import Language

    if not isinstance(data, dict):
        raise DataFileError(path, "expected a mapping with languages, min_words, min_english_confidence")
    langs = data.get("languages")
    if not isinstance(langs, list) or not all(isinstance(v, str) for v in langs):
        raise DataFileError(path, "'languages' must be a list of language names")
    known = {m.name for m in Language.all()}
    names = tuple(v.strip().upper() for v in langs)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise DataFileError(path, f"languages: unknown language {unknown[0].lower()!r} "
                                  f"(lingua knows e.g. english, french, arabic)")
    if "ENGLISH" not in names or len(names) < 2:
        raise DataFileError(path, "languages: list English and at least one other language")
    words, conf, chars = data.get("min_words"), data.get("min_english_confidence"), data.get("sample_chars")
    if not isinstance(words, int) or isinstance(words, bool) or words < 1:
        raise DataFileError(path, f"min_words: expected a positive integer, got {words!r}")
    if isinstance(conf, bool) or not isinstance(conf, int | float) or not 0 <= conf <= 1:
        raise DataFileError(path, f"min_english_confidence: expected a number 0-1, got {conf!r}")
    if not isinstance(chars, int) or isinstance(chars, bool) or chars < 100:
        raise DataFileError(path, f"sample_chars: expected an integer of at least 100, got {chars!r}")
    return LanguageCheck(names, words, float(conf), chars)


@dataclass(frozen=True)
class TextResources:
    """The bundled data the text readers need; pass one in to share or replace it."""

    language: LanguageCheck
    sniff: SniffTables

    @classmethod
    def default(cls) -> TextResources:
        return cls(load_language_check(), load_sniff_tables())


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


def without_names(text: str) -> str:
    """The text without its words that hold a capital (names such as "al-Sharaa", sentence-initial
    words); a text mostly in capitals (a headline in block letters) is returned unchanged."""
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) > len(letters) / 2:
        return text
    return " ".join(w for w in text.split() if not any(ch.isupper() for ch in w))


def check_english(path: str | Path, text: str, language: LanguageCheck | None = None) -> None:
    """NotEnglish, naming the language detected, when the text is long enough to judge and
    lingua finds another language (English's confidence under ``min_english_confidence``)."""
    check = language or load_language_check()
    found = check.identify(text)
    if found is None:
        return
    name, confidence, english = found
    if name == "English" or english >= check.min_english_confidence:
        return
    # names say nothing of the language: "Shehbaz Sharif, Asim Munir receive Mohammed bin Salman"
    # reads as French to the detector; judge again on the words that are not names, and accept a
    # text left too short to judge
    rest = without_names(text[:check.sample_chars])
    again = check.identify(rest)
    if again is None:  # too few words left to judge: English if most are English function words
        words = [w.lower() for w in _WORD_RE.findall(rest)]
        stop = load_stopwords()
        if words and sum(w in stop for w in words) * 2 >= len(words):
            return
        short = check.identify(rest, judge_short=True)
        if short is not None and short[0] == "English":  # "receive ... in" of a headline of names
            return
    elif again[0] == "English" or again[2] >= check.min_english_confidence:
        return
    raise NotEnglish(path, f"text does not look like English: it is in {name} (language "
                     f"identification: {name} {confidence:.0%}, English {english:.0%})",
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
        check_english(path, text, resources_.language)
    sniffed = sniff_metadata(text, resources_.sniff, file_name=Path(str(path)).name, user_year=options.year)
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
