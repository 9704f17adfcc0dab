"""Sniff an article's metadata (title, publication date, author, source) from its plain text.

Texts copied from news sites carry their metadata as lines of the text itself:

* the title is the first non-empty line (unless it is the only one, a date line or a byline,
  or longer than :data:`MAX_TITLE_CHARS`);
* a standalone date line, ``Jan 13, 2020`` or ``November 25, 2019``, dates the article;
* a byline-dateline, ``F.M. Shakil, The Cradle, July 26, 2023 —``, gives author, source and date;
* a place-date line on its own, ``RAWALPINDI, November 21, 2024``, ``Press Release — Islamabad,
  July 12, 2023``, dates it and names the dateline's place (:func:`sniff_place_date_line`);
* a wire dateline opening the story, ``KABUL, April 8, 2025 —``, ``KABUL (April 8) —``,
  ``GAZA, 12 May (AFP) -``, ``BEIRUT, Oct 5 (Reuters) -``, or a date line with its dash
  (``April 12, 2025 — The army said``) dates it (``found["published"]`` is ``"dateline"``);
  a dateline without a year takes one from the document's other full dates, a release or
  reference number, the file's name, or the user's ``--year`` (``found["published_year"]``
  says which: :func:`complete_year`);
* failing all, the latest dated photo caption (``... in Rawalpindi, Pakistan, Jan. 29, 2024.
  (AFP Photo)``) says roughly when the article was written: ``found["published"]`` is then
  ``"caption-inferred"``.

Date lines and bylines are only looked for in the article's head (its first
:data:`HEAD_LINES` non-empty lines); captions anywhere. The month names, weekday names,
photo-credit words and date-line labels are read from ``data/ingest/sniff.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from detente.dates.parse import ISO_VALUE, parse_iso_value, read_with_dateparser
from detente.ingest.dateline import (
    Byline,
    Dateline,
    complete_year,
    file_name_date,
    find_date,
    sniff_byline,
    sniff_caption_date,
    sniff_date_line,
    sniff_dateline,
    sniff_place_date_line,
)
from detente.ingest.sniff_tables import SniffTables, date_from_match, load_sniff_tables
from detente.model import DateValue

__all__ = [
    "SNIFFED_FIELDS",
    "Byline",
    "Dateline",
    "SniffTables",
    "Sniffed",
    "complete_from_text",
    "complete_year",
    "file_name_date",
    "find_date",
    "load_sniff_tables",
    "parse_record_date",
    "sniff_byline",
    "sniff_caption_date",
    "sniff_date_line",
    "sniff_dateline",
    "sniff_metadata",
    "sniff_place_date_line",
]


HEAD_LINES = 12  # date lines and bylines are looked for among this many non-empty lines
MAX_TITLE_CHARS = 300  # a longer first line is a paragraph, not a title


# --- the whole article ---------------------------------------------------------------------


@dataclass
class Sniffed:
    """What the text says about itself; ``found`` says how each field was found."""

    title: str | None = None
    published: DateValue | None = None
    author: str | None = None
    source: str | None = None
    found: dict[str, str] = field(default_factory=dict)


def sniff_metadata(text: str, tables: SniffTables | None = None, *, file_name: str | None = None,
                   user_year: int | None = None) -> Sniffed:
    """Sniff title, publication date, author and source from an article's text.

    ``file_name`` and ``user_year`` (``--year``) complete a dateline without a year when the
    document itself does not (see :func:`complete_year`); a file name with a date, then the user's
    year, also date a document that carries no date at all (``found["published"]`` ``"file-name"``
    or ``"user"``).
    """
    tables = tables or load_sniff_tables()
    result = Sniffed()
    lines = [ln.strip() for ln in text.split("\n")]
    non_empty = [ln for ln in lines if ln]
    head = non_empty[:HEAD_LINES]

    for line in head:
        if result.published is not None:
            break
        day = sniff_date_line(line, tables)
        if day is not None:
            result.published = DateValue.of_day(day, how="date-line")
            result.found["published"] = "date-line"
            continue
        byline = sniff_byline(line, tables)
        if byline is not None:
            result.published = DateValue.of_day(byline.day, how="byline")
            result.found["published"] = "byline"
            if byline.author:
                result.author = byline.author
                result.found["author"] = "byline"
            if byline.source:
                result.source = byline.source
                result.found["source"] = "byline"
            continue
        placed = sniff_place_date_line(line, tables)
        if placed is not None:
            result.published = DateValue.of_day(placed[0], how="dateline")
            result.found["published"] = "dateline"
            if placed[1]:
                result.found["dateline_place"] = placed[1]

    for line in non_empty[:1] if len(non_empty) > 1 else []:  # a one-line text has no title
        if len(line) <= MAX_TITLE_CHARS and sniff_date_line(line, tables) is None \
                and sniff_byline(line, tables) is None and sniff_dateline(line, tables) is None \
                and sniff_place_date_line(line, tables) is None:
            result.title = line
            result.found["title"] = "first-line"

    if result.published is None:
        for line in head:
            dateline = sniff_dateline(line, tables)
            if dateline is None:
                continue
            day, how = dateline.day, "dateline"
            if day is None:
                got = complete_year(dateline.month, dateline.day_of_month, text, tables,
                                    file_name=file_name, user_year=user_year)
                if got is None:
                    result.found["dateline"] = f"{dateline.month:02d}-{dateline.day_of_month:02d}, no year"
                    break
                day, year_how = got
                result.found["published_year"] = year_how
            result.published = DateValue.of_day(day, how=how)
            result.found["published"] = how
            if dateline.place:
                result.found["dateline_place"] = dateline.place
            if dateline.agency and result.source is None:
                result.source = dateline.agency
                result.found["source"] = "dateline"
            break

    if result.published is None:
        captions = [d for d in (sniff_caption_date(ln, tables) for ln in non_empty) if d is not None]
        if captions:
            result.published = DateValue.of_day(max(captions), how="caption")
            result.found["published"] = "caption-inferred"
    if result.published is None:
        named = file_name_date(file_name)
        if named is not None:
            result.published = DateValue.of_day(named, how="file-name")
            result.found["published"] = "file-name"
        elif user_year is not None:
            result.published = DateValue(f"{user_year:04d}", "year", how="user")
            result.found["published"] = "user"
    return result


# --- dates in records ----------------------------------------------------------------------

# an ISO timestamp: its day is the record's date
_TIMESTAMP_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?$")
_MONTH_YEAR_RE = re.compile(r"^([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_HAS_YEAR_RE = re.compile(r"(?<!\d)\d{4}(?!\d)")
# what dateparser may read of a record's date: absolute dates, with their year
_DATEPARSER_SETTINGS: Mapping[str, Any] = MappingProxyType(
    {"REQUIRE_PARTS": ["year"], "RETURN_AS_TIMEZONE_AWARE": False})


SNIFFED_FIELDS = ("title", "published", "author", "source")


def complete_from_text(text: str, tables: SniffTables | None, fields: dict[str, Any],
                       found: dict[str, str], *, keep: Iterable[str] = (), file_name: str | None = None,
                       user_year: int | None = None) -> None:
    """Fill the metadata ``fields`` a reader left empty (title, published, author, source) from
    the article's own text, recording how each was found; fields named in ``keep`` stay as given
    (a record's unparseable date is not replaced by one sniffed from its text)."""
    sniffed = sniff_metadata(text, tables, file_name=file_name, user_year=user_year)
    for key in SNIFFED_FIELDS:
        value = getattr(sniffed, key)
        if fields.get(key) is None and key not in keep and value is not None:
            fields[key], found[key] = value, sniffed.found[key]
            if key == "published" and "published_year" in sniffed.found:
                found["published_year"] = sniffed.found["published_year"]


def parse_record_date(value: str, tables: SniffTables | None = None) -> DateValue | None:
    """Parse a record's date field into a :class:`DateValue` with its precision.

    Understands ISO dates and timestamps (``2024-01-16``, ``2024-01-16T08:00:00Z``), ISO months
    (``2024-01``), years (``2024``), ``January 2024``, and the spelled-out forms of
    the date pattern (``Jan 16, 2024``, ``16 January 2024``); anything else goes to
    ``dateparser`` (absolute dates only). Returns None when the value is not a date.
    """
    tables = tables or load_sniff_tables()
    text = value.strip()
    if not text:
        return None
    stamp = _TIMESTAMP_RE.match(text)
    iso = stamp[1] if stamp else text
    if ISO_VALUE.fullmatch(iso):
        return parse_iso_value(iso, how="record")
    if m := _MONTH_YEAR_RE.match(text):
        month_number = tables.months.get(m[1].lower())
        if month_number is not None:
            return DateValue(f"{m[2]}-{month_number:02d}", "month", how="record")
    if m := tables.date_re.fullmatch(text):
        day = date_from_match(m, tables)
        return DateValue.of_day(day, how="record") if day else None
    if not _HAS_YEAR_RE.search(text):
        return None  # no year: relative ("3 days ago") or partial, not a record's date
    read = read_with_dateparser(text, "record", _DATEPARSER_SETTINGS)
    return read[0] if read else None
