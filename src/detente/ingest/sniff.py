"""Sniff an article's metadata (title, publication date, author, source) from its plain text.

Texts copied from news sites carry their metadata as lines of the text itself:

* the title is the first non-empty line (unless it is the only one, a date line or a byline,
  or longer than :data:`MAX_TITLE_CHARS`);
* a standalone date line, ``Jan 13, 2020`` or ``November 25, 2019``, dates the article;
* a byline-dateline, ``F.M. Shakil, The Cradle, July 26, 2023 —``, gives author, source and date;
* failing both, the latest dated photo caption (``... in Rawalpindi, Pakistan, Jan. 29, 2024.
  (AFP Photo)``) says roughly when the article was written: ``found["published"]`` is then
  ``"caption-inferred"``.

Date lines and bylines are only looked for in the article's head (its first
:data:`HEAD_LINES` non-empty lines); captions anywhere. The month names, weekday names,
photo-credit words and date-line labels are read from ``data/ingest/sniff.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from detente.errors import DataFileError
from detente.model import DateValue

HEAD_LINES = 12  # date lines and bylines are looked for among this many non-empty lines
MAX_TITLE_CHARS = 300  # a longer first line is a paragraph, not a title
MAX_NAME_WORDS = 8  # author and source names in a byline are short


@dataclass(frozen=True)
class SniffTables:
    """The word lists the sniffer needs, as read from ``sniff.yaml``, and the patterns built
    from them."""

    months: Mapping[str, int]
    weekdays: frozenset[str]
    photo_credits: frozenset[str]
    date_line_prefixes: tuple[str, ...]
    date_re: re.Pattern[str] = field(init=False, compare=False, repr=False)
    date_line_re: re.Pattern[str] = field(init=False, compare=False, repr=False)
    byline_re: re.Pattern[str] = field(init=False, compare=False, repr=False)
    caption_re: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        month = _alternation(self.months)
        weekday = _alternation(self.weekdays)
        prefix = _alternation(self.date_line_prefixes)
        mdy = (rf"(?:(?i:{weekday})\.?,?\s+)?(?P<mon1>(?i:{month}))\.?\s+(?P<day1>\d{{1,2}}){_ORD}"
               rf",?\s+(?P<year1>\d{{4}})")
        dmy = (rf"(?:(?i:{weekday})\.?,?\s+)?(?P<day2>\d{{1,2}}){_ORD}\s+(?P<mon2>(?i:{month}))\.?,?"
               rf"\s+(?P<year2>\d{{4}})")
        iso = r"(?P<year3>\d{4})-(?P<mon3>\d{2})-(?P<day3>\d{2})"
        date = rf"(?<![\w-])(?:{mdy}|{dmy}|{iso})(?![\w-])"
        object.__setattr__(self, "date_re", re.compile(date))
        object.__setattr__(self, "date_line_re", re.compile(
            rf"^(?:(?i:{prefix})\s*:?\s+)?{date}{_TIME}\.?$"))
        object.__setattr__(self, "byline_re", re.compile(
            rf"^(?P<names>[^,]{{2,80}}(?:,\s*[^,]{{2,80}})?),\s*{date}\s*(?P<dash>{_DASH}\s*(?P<rest>.*))?$"))
        object.__setattr__(self, "caption_re", re.compile(rf",\s*{date}\s*\.\s*(?P<credit>.+)$"))


_ORD = r"(?:st|nd|rd|th)?"
_TIME = r"(?:\s*(?:[-|,@]|at)?\s*\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*\(?[A-Z]{2,5}\)?)?)?"
_DASH = r"(?:\s+[-—–]+|[—–]+)"


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (so "sept" wins over "sep")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def load_sniff_tables(path: Path | None = None) -> SniffTables:
    """Read and validate the sniffer's word lists (the bundled file unless ``path`` is given)."""
    if path is None:
        return _bundled_tables()
    return _parse_tables(path, path.read_text(encoding="utf-8"))


@cache
def _bundled_tables() -> SniffTables:
    res = resources.files("detente") / "data" / "ingest" / "sniff.yaml"
    return _parse_tables(Path(str(res)), res.read_text(encoding="utf-8"))


def _parse_tables(path: Path, content: str) -> SniffTables:
    try:
        data: Any = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        raise DataFileError(path, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DataFileError(path, "expected a mapping with months, weekdays, photo_credits")
    months = data.get("months")
    if not isinstance(months, dict) or not months:
        raise DataFileError(path, "'months' must be a mapping of month names to numbers 1-12")
    checked: dict[str, int] = {}
    for name, number in months.items():
        if not isinstance(name, str) or not isinstance(number, int) or not 1 <= number <= 12:
            raise DataFileError(path, f"months: bad entry {name!r}: {number!r} (want name: 1-12)")
        checked[name.lower().rstrip(".")] = number
    if set(checked.values()) != set(range(1, 13)):
        raise DataFileError(path, "months: every month 1-12 needs at least one name")
    lists: dict[str, list[str]] = {}
    for key in ("weekdays", "photo_credits", "date_line_prefixes"):
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise DataFileError(path, f"'{key}' must be a list of non-empty strings")
        lists[key] = [v.strip().lower() for v in value]
    return SniffTables(
        months=MappingProxyType(checked),
        weekdays=frozenset(lists["weekdays"]),
        photo_credits=frozenset(lists["photo_credits"]),
        date_line_prefixes=tuple(lists["date_line_prefixes"]),
    )


# --- dates ---------------------------------------------------------------------------------


def _date_from_match(m: re.Match[str], tables: SniffTables) -> dt.date | None:
    """The calendar date a date-pattern match spells, or None if there is no such day."""
    groups = m.groupdict()
    for i in ("1", "2"):
        if groups.get(f"mon{i}"):
            month = tables.months[groups[f"mon{i}"].lower()]
            return _safe_date(int(groups[f"year{i}"]), month, int(groups[f"day{i}"]))
    if groups.get("year3"):
        return _safe_date(int(groups["year3"]), int(groups["mon3"]), int(groups["day3"]))
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str, tables: SniffTables | None = None) -> dt.date | None:
    """The first full calendar date (day, month and year) spelled anywhere in ``text``."""
    tables = tables or load_sniff_tables()
    for m in tables.date_re.finditer(text):
        day = _date_from_match(m, tables)
        if day is not None:
            return day
    return None


def sniff_date_line(line: str, tables: SniffTables | None = None) -> dt.date | None:
    """The date of a line that is nothing but a date (``Jan 13, 2020``, ``Published: 13 January
    2020``, ``Monday, November 25, 2019 10:30 AM``), else None."""
    tables = tables or load_sniff_tables()
    m = tables.date_line_re.match(line.strip())
    return None if m is None else _date_from_match(m, tables)


@dataclass(frozen=True)
class Byline:
    day: dt.date
    author: str | None
    source: str | None


def sniff_byline(line: str, tables: SniffTables | None = None) -> Byline | None:
    """Read a byline-dateline: ``Author, Source, Month D, YYYY —`` (the dash, or the end of the
    line, must follow the date). ``By Author, Month D, YYYY`` gives the author alone; an
    all-capitals first name is a place (``TEHRAN, Iran, Oct. 13, 2019 —``) and gives the date
    alone."""
    tables = tables or load_sniff_tables()
    m = tables.byline_re.match(line.strip())
    if m is None:
        return None
    day = _date_from_match(m, tables)
    if day is None:
        return None
    names = [n.strip() for n in m.group("names").split(",")]
    if not all(_looks_like_name(n) for n in names):
        return None
    first = names[0]
    has_by = bool(re.match(r"(?i)by\s+", first))
    if has_by:
        first = re.sub(r"(?i)^by\s+", "", first)
    if len(names) == 1 and not has_by and m.group("dash") is None:
        return None  # "Islamabad, Jan 3, 2020" alone on a line is too weak
    if first.isupper() and not has_by:  # a dateline place, not an author
        return Byline(day, None, None)
    author = first or None
    source = names[1] if len(names) == 2 else None
    return Byline(day, author, source)


def _looks_like_name(name: str) -> bool:
    """A byline part: a few words starting with a capital (``F.M. Shakil``, ``The Cradle``)."""
    words = re.sub(r"(?i)^by\s+", "", name).split()
    return 0 < len(words) <= MAX_NAME_WORDS and words[0][0].isupper()


def sniff_caption_date(line: str, tables: SniffTables | None = None) -> dt.date | None:
    """The date of a photo caption: a line whose last part is ``, <date>.`` and a photo credit
    (``(AFP Photo)``, ``Photo by REUTERS/...``)."""
    tables = tables or load_sniff_tables()
    m = tables.caption_re.search(line.strip())
    if m is None:
        return None
    credit_words = {w.lower() for w in re.findall(r"[A-Za-z]+", m.group("credit"))}
    if not credit_words & tables.photo_credits:
        return None
    return _date_from_match(m, tables)


# --- the whole article ---------------------------------------------------------------------


@dataclass
class Sniffed:
    """What the text says about itself; ``found`` says how each field was found."""

    title: str | None = None
    published: DateValue | None = None
    author: str | None = None
    source: str | None = None
    found: dict[str, str] = field(default_factory=dict)


def sniff_metadata(text: str, tables: SniffTables | None = None) -> Sniffed:
    """Sniff title, publication date, author and source from an article's text."""
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

    for line in non_empty[:1] if len(non_empty) > 1 else []:  # a one-line text has no title
        if len(line) <= MAX_TITLE_CHARS and sniff_date_line(line, tables) is None \
                and sniff_byline(line, tables) is None:
            result.title = line
            result.found["title"] = "first-line"

    if result.published is None:
        captions = [d for d in (sniff_caption_date(ln, tables) for ln in non_empty) if d is not None]
        if captions:
            result.published = DateValue.of_day(max(captions), how="caption")
            result.found["published"] = "caption-inferred"
    return result


# --- dates in records ----------------------------------------------------------------------

_ISO_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_ISO_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_MONTH_YEAR_RE = re.compile(r"^([A-Za-z]{3,9})\.?,?\s+(\d{4})$")


SNIFFED_FIELDS = ("title", "published", "author", "source")


def complete_from_text(text: str, tables: SniffTables | None, fields: dict[str, Any],
                       found: dict[str, str], *, keep: Iterable[str] = ()) -> None:
    """Fill the metadata ``fields`` a reader left empty (title, published, author, source) from
    the article's own text, recording how each was found; fields named in ``keep`` stay as given
    (a record's unparseable date is not replaced by one sniffed from its text)."""
    sniffed = sniff_metadata(text, tables)
    for key in SNIFFED_FIELDS:
        value = getattr(sniffed, key)
        if fields.get(key) is None and key not in keep and value is not None:
            fields[key], found[key] = value, sniffed.found[key]


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
    if m := _ISO_DAY_RE.match(text):
        day = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return DateValue.of_day(day, how="record") if day else None
    if m := _ISO_MONTH_RE.match(text):
        month = int(m[2])
        return DateValue(f"{m[1]}-{m[2]}", "month", how="record") if 1 <= month <= 12 else None
    if m := _YEAR_RE.match(text):
        return DateValue(m[1], "year", how="record")
    if m := _MONTH_YEAR_RE.match(text):
        month_number = tables.months.get(m[1].lower())
        if month_number is not None:
            return DateValue(f"{m[2]}-{month_number:02d}", "month", how="record")
    if m := tables.date_re.fullmatch(text):
        day = _date_from_match(m, tables)
        return DateValue.of_day(day, how="record") if day else None
    return _dateparser_fallback(text)


def _dateparser_fallback(text: str) -> DateValue | None:
    if not re.search(r"(?<!\d)\d{4}(?!\d)", text):
        return None  # no year: relative ("3 days ago") or partial, not a record's date
    from dateparser.date import DateDataParser  # slow to import: only when needed

    parser = DateDataParser(languages=["en"], settings={"REQUIRE_PARTS": ["year"],
                                                         "RETURN_AS_TIMEZONE_AWARE": False})
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError):
        return None
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    if data.period == "year":
        return DateValue(f"{d.year:04d}", "year", how="record")
    if data.period == "month":
        return DateValue(f"{d.year:04d}-{d.month:02d}", "month", how="record")
    return DateValue.of_day(d, how="record")
