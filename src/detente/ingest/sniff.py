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
    reference_labels: tuple[str, ...] = ()
    date_re: re.Pattern[str] = field(init=False, compare=False, repr=False)
    date_line_re: re.Pattern[str] = field(init=False, compare=False, repr=False)
    byline_re: re.Pattern[str] = field(init=False, compare=False, repr=False)
    caption_re: re.Pattern[str] = field(init=False, compare=False, repr=False)
    dateline_re: re.Pattern[str] = field(init=False, compare=False, repr=False)
    place_date_re: re.Pattern[str] = field(init=False, compare=False, repr=False)
    reference_re: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        month = _alternation(self.months)
        weekday = _alternation(self.weekdays)
        prefix = _alternation(self.date_line_prefixes)
        mdy = (rf"(?:(?i:{weekday})\.?,?\s+)?(?P<mon1>(?i:{month}))\.?\s+(?P<day1>\d{{1,2}}){_ORD}"
               rf",?\s+(?P<year1>\d{{4}})")
        dmy = (rf"(?:(?i:{weekday})\.?,?\s+)?(?P<day2>\d{{1,2}}){_ORD}\s+(?P<mon2>(?i:{month}))\.?,?"
               rf"\s+(?P<year2>\d{{4}})")
        iso = r"(?P<year3>\d{4})-(?P<mon3>\d{2})-(?P<day3>\d{2})"
        date = rf"(?<![\w-])(?:{mdy}|{dmy}|{iso})(?:(?![\w-])|(?=T\d))"
        object.__setattr__(self, "date_re", re.compile(date))
        object.__setattr__(self, "date_line_re", re.compile(
            rf"^(?:(?i:{prefix})\s*:?\s+)?{date}{_TIME}\.?(?:{_DASH}\s*(?P<after>.*))?$"))
        md = rf"(?P<dmon1>(?i:{month}))\.?\s+(?P<dday1>\d{{1,2}}){_ORD}"
        dm = rf"(?P<dday2>\d{{1,2}}){_ORD}\s+(?P<dmon2>(?i:{month}))\.?"
        place = r"(?P<place>[A-Z][\w'’.\-]*(?:[ ][A-Z\w'’.\-][\w'’.\-]*){0,3}" \
                r"(?:,\s*[A-Z][\w'’.\-]*(?:[ ][A-Za-z][\w'’.\-]*){0,2})?)"
        object.__setattr__(self, "dateline_re", re.compile(
            rf"^{place}\s*(?:,\s*|(?P<paren>\(\s*))(?:(?i:{weekday})\.?,?\s+)?(?:{md}|{dm})"
            rf"(?:,?\s+(?P<dyear>\d{{4}}))?\s*(?(paren)\))\s*(?:\((?P<agency>[A-Za-z][\w .&/'’-]{{0,30}})\))?"
            rf"\s*(?:{_DASH}|--|-|:)\s*(?P<rest>.*)$"))
        object.__setattr__(self, "place_date_re", re.compile(
            rf"^(?P<lead>\S.{{0,150}}?)\s*(?:,|{_DASH})\s*{date}{_TIME}\s*(?:{_DASH}|--)?$"))
        labels = _alternation(self.reference_labels) if self.reference_labels else r"(?!)"
        object.__setattr__(self, "reference_re", re.compile(
            rf"(?:(?i:\b(?:{labels}))\.?\s*(?:(?i:no)\.?\s*)?[:#]?\s*[A-Z]{{0,5}}[-/ ]?"
            rf"(?:\d{{1,5}}\s*[-/]\s*)?"
            rf"(?P<ryear>(?:19|20)\d{{2}})(?:\s*[-/]\s*\d{{1,5}})?(?!\d))|(?:©|\(c\)|(?i:copyright))\s*"
            rf"(?:[A-Z][\w&.'-]*\s+){{0,4}}(?P<cyear>(?:19|20)\d{{2}})(?!\d)"))
        object.__setattr__(self, "byline_re", re.compile(
            rf"^(?P<names>[^,]{{2,80}}(?:,\s*[^,]{{2,80}})?),\s*{date}\s*(?P<dash>{_DASH}\s*(?P<rest>.*))?$"))
        object.__setattr__(self, "caption_re", re.compile(rf",\s*{date}\s*\.\s*(?P<credit>.+)$"))


_ORD = r"(?:st|nd|rd|th)?"
_TIME = (r"(?:\s*(?:[-|,@T]|at)?\s*\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?"
         r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|\(?[A-Z]{2,5}\)?))?)?")
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
    for key in ("weekdays", "photo_credits", "date_line_prefixes", "reference_labels"):
        value = data.get(key, [] if key == "reference_labels" else None)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise DataFileError(path, f"'{key}' must be a list of non-empty strings")
        if key == "reference_labels":
            value = [v for v in value if v.strip()]
        lists[key] = [v.strip().lower() for v in value]
    return SniffTables(
        months=MappingProxyType(checked),
        weekdays=frozenset(lists["weekdays"]),
        photo_credits=frozenset(lists["photo_credits"]),
        date_line_prefixes=tuple(lists["date_line_prefixes"]),
        reference_labels=tuple(lists["reference_labels"]),
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


# lower-case words allowed inside the lead of a place-date line ("Ministry of Finance")
_LEAD_CONNECTORS = frozenset({"of", "the", "and", "for", "on", "in", "at", "de", "del", "la", "le", "du",
                              "des", "al", "el", "da", "do", "dos", "y", "et", "&"})
MAX_LEAD_WORDS = 14  # the lead of a place-date line is an office and a place, not a sentence


def sniff_place_date_line(line: str, tables: SniffTables | None = None) -> tuple[dt.date, str | None] | None:
    """Read a head line that ends with a full date after a place, an office or both, and nothing
    else: ``RAWALPINDI, November 21, 2024``; ``New York, 31 May 2024``; ``Kampala, 1st December
    2021``; ``Press Release — Islamabad, July 12, 2023``; ``Somali National News Agency —
    Mogadishu, 8 January 2024``. Gives the date and the place (the part after the last dash),
    else None. Every word of the lead starts with a capital or a digit (a few connectors such as
    "of" aside), so a sentence ending with a date is not taken."""
    tables = tables or load_sniff_tables()
    m = tables.place_date_re.match(line.strip())
    if m is None:
        return None
    lead = m.group("lead").strip(" ,—–-")
    words = [w.strip("()[]\"'“”‘’.,:;-") for w in re.split(r"[\s,—–]+", lead)]
    words = [w for w in words if w]
    if not words or len(words) > MAX_LEAD_WORDS:
        return None
    if not all(w[0].isupper() or w[0].isdigit() or w.lower() in _LEAD_CONNECTORS for w in words) \
            or not (words[0][0].isupper() or words[0][0].isdigit()):
        return None
    if re.match(r"(?i)by\s", lead):
        return None  # a byline, read by sniff_byline
    day = _date_from_match(m, tables)
    if day is None:
        return None
    place = re.split(r"\s*[—–]+\s*|\s+-+\s+", lead)[-1].strip(" ,") or None
    return day, place


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


@dataclass(frozen=True)
class Dateline:
    """A wire dateline: ``KABUL, April 8, 2025 (Reuters) —``. ``year`` is None when the line
    gives none (``KABUL (April 8) —``); ``day`` is the full date when it does."""

    place: str | None
    month: int
    day_of_month: int
    year: int | None
    agency: str | None

    @property
    def day(self) -> dt.date | None:
        return None if self.year is None else _safe_date(self.year, self.month, self.day_of_month)


def sniff_dateline(line: str, tables: SniffTables | None = None) -> Dateline | None:
    """Read the dateline that opens a story's first paragraph, else None.

    Forms: ``CITY, Month D, YYYY —``; ``CITY, Country, Month D —``; ``CITY (Month D) —``;
    ``CITY, D Month (Agency) —``; ``CITY, Mon. D (Agency) -``; and a date line with its dash,
    ``April 12, 2025 — text``. The place must be written in capitals (``KABUL``) unless the
    date is in parentheses or an agency is named (``Kabul, April 8 (Reuters) -``): a mixed-case
    name before a date and a dash is more often a byline's author.
    """
    tables = tables or load_sniff_tables()
    text = line.strip()
    m = tables.date_line_re.match(text)
    if m is not None and m.group("after") is not None:
        day = _date_from_match(m, tables)
        if day is not None:
            return Dateline(None, day.month, day.day, day.year, None)
    m = tables.dateline_re.match(text)
    if m is None:
        return None
    place = m.group("place").strip()
    head = place.split(",")[0]
    if not (head.isupper() or m.group("paren") or m.group("agency")):
        return None
    if re.match(r"(?i)by\s", place):
        return None
    mon = m.group("dmon1") or m.group("dmon2")
    dom = int(m.group("dday1") or m.group("dday2"))
    month = tables.months[mon.lower().rstrip(".")]
    year = int(m.group("dyear")) if m.group("dyear") else None
    if _safe_date(year or 2000, month, dom) is None:  # 2000 is a leap year: Feb 29 passes
        return None
    agency = m.group("agency").strip() if m.group("agency") else None
    return Dateline(place, month, dom, year, agency)


_FILE_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
FUTURE_ALLOWANCE_DAYS = 31  # a dateline may lie this many days after the document's latest full date


def file_name_date(name: str | None) -> dt.date | None:
    """The date a file's name carries (``2025-04-08_kabul.txt``, ``20250408-report.txt``), else None."""
    if not name:
        return None
    m = _FILE_DATE_RE.search(Path(name).name)
    return _safe_date(int(m[1]), int(m[2]), int(m[3])) if m else None


def complete_year(month: int, day: int, text: str, tables: SniffTables | None = None, *,
                  file_name: str | None = None, user_year: int | None = None) -> tuple[dt.date, str] | None:
    """The full date of a day-month without a year, and how its year was found, else None.

    In order: the document's full dates (the first year that puts the day on or after the
    latest of them, less :data:`FUTURE_ALLOWANCE_DAYS`: a dateline is the newest date of its
    story), ``"document-date"``; a release or reference number or copyright line carrying a year
    (``Release No. 045/2025``, ``© 2025``), ``"reference-number"``; the date in the file's
    name, ``"file-name"``; the user's year (``--year``), ``"user"``.
    """
    tables = tables or load_sniff_tables()
    full = [d for mt in tables.date_re.finditer(text) if (d := _date_from_match(mt, tables)) is not None]
    if full:
        latest = max(full)
        for year in (latest.year, latest.year + 1):
            cand = _safe_date(year, month, day)
            if cand is not None and cand >= latest - dt.timedelta(days=FUTURE_ALLOWANCE_DAYS):
                return cand, "document-date"
    years = [int(mt.group("ryear") or mt.group("cyear")) for mt in tables.reference_re.finditer(text)]
    if years:
        cand = _safe_date(max(years), month, day)
        if cand is not None:
            return cand, "reference-number"
    named = file_name_date(file_name)
    if named is not None:
        for year in (named.year, named.year - 1):
            cand = _safe_date(year, month, day)
            if cand is not None and cand <= named + dt.timedelta(days=FUTURE_ALLOWANCE_DAYS):
                return cand, "file-name"
    if user_year is not None:
        cand = _safe_date(user_year, month, day)
        if cand is not None:
            return cand, "user"
    return None


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

_ISO_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_ISO_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_MONTH_YEAR_RE = re.compile(r"^([A-Za-z]{3,9})\.?,?\s+(\d{4})$")


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
