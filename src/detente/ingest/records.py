"""Record files: many articles in one ``.jsonl``, ``.json`` or ``.csv`` file.

Each record carries the article's text plus optional title, date, url, source, author and id
(the names are set in :class:`~detente.ingest.options.IngestOptions`). A bad record gives a
:class:`~detente.errors.RecordError` with its 1-based line number and the other records are
still read; a field a record lacks (title, date, author, source) is sniffed from its text as
for ``.txt`` files.

Sizes: ``.jsonl`` files are streamed line by line and ``IngestOptions.max_bytes`` applies to
each record's text, not to the file; ``.json`` and ``.csv`` files are read into memory whole
(the per-record limit applies to them too).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from detente.errors import (
    EmptyInput,
    InputError,
    NotEnglish,
    RecordError,
    TooLarge,
)
from detente.ingest.encoding import Decoded, decode, repair, repaired_warning
from detente.ingest.options import IngestOptions
from detente.ingest.sniff import complete_from_text, parse_record_date
from detente.ingest.text import (
    SIZE_HINT,
    TextResources,
    add_warning,
    check_binary,
    check_english,
    check_size,
    normalise_newlines,
    read_bytes,
    unreadable,
)
from detente.model import Article

Read = Article | InputError  # what the readers yield


class NotEnglishRecord(RecordError, NotEnglish):
    """A record whose text is not English (both a RecordError and a NotEnglish)."""


class TooLargeRecord(RecordError, TooLarge):
    """A record whose text is over ``max_bytes`` (both a RecordError and a TooLarge)."""


class EmptyRecord(RecordError, EmptyInput):
    """A record whose text is empty or whitespace (both a RecordError and an EmptyInput)."""


# --- one record ----------------------------------------------------------------------------


def _scalar(value: Any) -> str | None:
    """A metadata value as a stripped string; None for missing, empty or non-scalar values."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _repaired(record: Mapping[str, Any], key: str, warnings: list[str]) -> Any:
    """``record[key]`` with lone surrogates in a string value replaced (see
    :func:`~detente.ingest.encoding.repair`), a warning noted for each field repaired."""
    value = record.get(key)
    if isinstance(value, str):
        value, count = repair(value)
        if count:
            warnings.append(repaired_warning(key, count))
    return value


def article_from_record(path: str | Path, line: int, record: Any, options: IngestOptions,
                        resources_: TextResources, decoded: Decoded | None = None) -> Article:
    """Make an Article from one record (a JSON object or a CSV row); raises RecordError.

    ``decoded`` says how the record's bytes were decoded (its encoding and warning are recorded
    in ``found``). Lone surrogates in any field used are replaced by U+FFFD, with a warning.
    """
    if not isinstance(record, Mapping):
        raise RecordError(path, line, f"expected a JSON object, got {type(record).__name__}",
                          'write each article as {"text": "..."}')
    warnings: list[str] = []
    field = options.text_field
    text = _repaired(record, field, warnings)
    if text is None:
        raise RecordError(path, line, f"record has no {field!r} field",
                          "put the article's text in it, or name its field with --text-field")
    if not isinstance(text, str):
        raise RecordError(path, line, f"the {field!r} field is a {type(text).__name__}, not a string")
    if not text.strip():
        raise EmptyRecord(path, line, f"the {field!r} field is empty")
    size = len(text.encode("utf-8"))
    if size > options.max_bytes:
        raise TooLargeRecord(path, line, f"the text is {size:,} bytes, over the limit of "
                             f"{options.max_bytes:,} bytes", SIZE_HINT)
    text = normalise_newlines(text)
    if options.check_language:
        try:
            check_english(path, text, resources_.language)
        except NotEnglish as exc:
            raise NotEnglishRecord(path, line, exc.problem, exc.hint) from exc

    found: dict[str, str] = {"line": str(line)}
    if decoded is not None:
        found["encoding"] = decoded.encoding
    title = _scalar(_repaired(record, options.title_field, warnings))
    author = _scalar(_repaired(record, options.author_field, warnings))
    source = _scalar(_repaired(record, options.source_field, warnings))
    url = _scalar(_repaired(record, options.url_field, warnings))
    record_id = _scalar(_repaired(record, options.id_field, warnings))
    for key, value in (("title", title), ("author", author), ("source", source), ("url", url)):
        if value is not None:
            found[key] = "record"
    published = None
    raw_date = _scalar(_repaired(record, options.date_field, warnings))
    if raw_date is not None:
        published = parse_record_date(raw_date, resources_.sniff)
        if published is not None:
            found["published"] = "record"
        else:
            found["published"] = "record-unparsed"
            found["date_raw"] = raw_date

    fields: dict[str, Any] = {"title": title, "published": published, "author": author,
                              "source": source}
    complete_from_text(text, resources_.sniff, fields, found,
                       keep=("published",) if raw_date is not None else (), user_year=options.year)
    add_warning(found, decoded.warning if decoded is not None else None, *warnings)
    return Article(text=text, path=str(path), url=url, record_id=record_id, found=found, **fields)


def _guarded(path: Path, line: int, record: Any, options: IngestOptions,
             resources_: TextResources, decoded: Decoded | None = None) -> Article | InputError:
    try:
        return article_from_record(path, line, record, options, resources_, decoded)
    except RecordError as exc:
        return exc


# --- .jsonl --------------------------------------------------------------------------------


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    return str(exc)



def read_jsonl(path: Path, options: IngestOptions, resources_: TextResources) -> Iterator[Read]:
    """One Article (or RecordError) per non-blank line; whole-file failures yield one InputError."""
    try:
        check_size(path, options, limit=False)
        with path.open("rb") as handle:
            check_binary(path, handle.read(8192))
    except InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield unreadable(path, exc)
        return
    seen = 0
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                decoded = decode(raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw)
                line = decoded.text
                if not line.strip():
                    continue
                seen += 1
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield RecordError(path, number, f"not valid JSON: {exc.msg} (column {exc.colno})",
                                      "each line must be one JSON object")
                    continue
                except (ValueError, RecursionError) as exc:  # a 5,000-digit number, deep nesting
                    yield RecordError(path, number, f"not readable JSON: {_json_problem(exc)}",
                                      "each line must be one JSON object")
                    continue
                yield _guarded(path, number, record, options, resources_, decoded)
    except OSError as exc:
        yield unreadable(path, exc)
        return
    if seen == 0:
        yield EmptyInput(path, "file holds only blank lines, no records", "remove it or add records")


# --- .json ---------------------------------------------------------------------------------


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _list_item_lines(text: str, start: int) -> list[int]:
    """The 1-based line on which each item of the JSON list at ``text[start] == '['`` begins."""
    decoder = json.JSONDecoder()
    lines: list[int] = []
    i = _skip_ws(text, start + 1)
    while i < len(text) and text[i] != "]":
        lines.append(text.count("\n", 0, i) + 1)
        _, i = decoder.raw_decode(text, i)
        i = _skip_ws(text, i)
        if i < len(text) and text[i] == ",":
            i = _skip_ws(text, i + 1)
    return lines


def _articles_list_start(text: str, key: str) -> int | None:
    """Where the list under top-level ``key`` of a JSON object starts."""
    decoder = json.JSONDecoder()
    i = _skip_ws(text, 0)
    if text[i:i + 1] != "{":
        return None
    i = _skip_ws(text, i + 1)
    while i < len(text) and text[i] != "}":
        name, i = decoder.raw_decode(text, i)
        i = _skip_ws(text, _skip_ws(text, i) + 1)  # past the colon
        if name == key:
            return i if text[i:i + 1] == "[" else None
        _, i = decoder.raw_decode(text, i)
        i = _skip_ws(text, i)
        if i < len(text) and text[i] == ",":
            i = _skip_ws(text, i + 1)
    return None


def _whole_text(path: Path, options: IngestOptions, nothing: str, hint: str) -> Decoded:
    """A multi-record file read whole and decoded; raises :class:`InputError` when it cannot be."""
    check_size(path, options, limit=False)
    data = read_bytes(path)
    check_binary(path, data)
    decoded = decode(data)
    if not decoded.text.strip():
        raise EmptyInput(path, f"file holds only whitespace, {nothing}", hint)
    return decoded


def read_json(path: Path, options: IngestOptions, resources_: TextResources) -> Iterator[Read]:
    """A JSON list of article objects, ``{"articles": [...]}``, or a single article object."""
    try:
        decoded = _whole_text(path, options, "no JSON", "remove it or add records")
    except InputError as exc:
        yield exc
        return
    text = decoded.text
    try:
        top = json.loads(text)
    except json.JSONDecodeError as exc:
        yield RecordError(path, exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})",
                          'expected a list of article objects, or {"articles": [...]}')
        return
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, deep nesting
        yield RecordError(path, 1, f"not readable JSON: {_json_problem(exc)}",
                          'expected a list of article objects, or {"articles": [...]}')
        return
    if isinstance(top, Mapping) and options.text_field in top:
        yield _guarded(path, 1, top, options, resources_, decoded)
        return
    if isinstance(top, list):
        items = top
    elif isinstance(top, Mapping) and isinstance(top.get("articles"), list):
        items = top["articles"]
    else:
        yield RecordError(path, 1, f"expected a list of article objects, got a JSON {type(top).__name__}",
                          f'write [{{"{options.text_field}": "..."}}, ...] or {{"articles": [...]}}')
        return
    if not items:
        yield EmptyInput(path, "the JSON list of articles is empty", "remove it or add records")
        return
    try:
        start = _skip_ws(text, 0) if isinstance(top, list) else _articles_list_start(text, "articles")
        lines = _list_item_lines(text, start) if start is not None else []
    except (ValueError, IndexError, TypeError, RecursionError):
        lines = []
    if len(lines) != len(items):
        lines = list(range(1, len(items) + 1))  # fall back on positions in the list
    for line, record in zip(lines, items, strict=True):
        yield _guarded(path, line, record, options, resources_, decoded)


# --- .csv ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Let the csv module read fields up to ``limit`` characters, then put its limit back."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def read_csv(path: Path, options: IngestOptions, resources_: TextResources) -> Iterator[Read]:
    """A CSV file with a header row, one article per row."""
    try:
        decoded = _whole_text(path, options, "no CSV rows", "remove it or add rows")
    except InputError as exc:
        yield exc
        return
    text = decoded.text
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        with _csv_field_limit(options.max_bytes + 1):
            header = next(reader)
    except (csv.Error, StopIteration) as exc:
        yield RecordError(path, 1, f"cannot read the CSV header: {exc}")
        return
    header = [h.strip() for h in header]
    if options.text_field not in header:
        yield RecordError(path, 1, f"no {options.text_field!r} column in the header (columns: "
                          f"{', '.join(header) or 'none'})", "name the text column with --text-field")
        return
    rows = 0
    while True:
        line = reader.line_num + 1
        try:
            with _csv_field_limit(options.max_bytes + 1):
                row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield RecordError(path, line, f"bad CSV: {exc}", "check the quoting of this row")
            break
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if len(row) > len(header) or options.text_field not in header[:len(row)]:
            yield RecordError(path, line, f"row has {len(row)} fields but the header has {len(header)}",
                              "check the quoting of this row")
            continue
        yield _guarded(path, line, dict(zip(header, row, strict=False)), options, resources_, decoded)
    if rows == 0:
        yield EmptyInput(path, "CSV file has a header but no rows", "remove it or add rows")
