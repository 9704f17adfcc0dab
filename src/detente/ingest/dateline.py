"""The dated lines of an article's head: date lines, bylines, place-date lines, photo captions and
wire datelines, each read alone, and the year of a dateline that gives none (:func:`complete_year`).
:mod:`detente.ingest.sniff` decides which of them dates the article."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from detente.dates.parse import make_date
from detente.ingest.sniff_tables import SniffTables, date_from_match, load_sniff_tables

MAX_NAME_WORDS = 8  # author and source names in a byline are short


def find_date(text: str, tables: SniffTables | None = None) -> dt.date | None:
    """The first full calendar date (day, month and year) spelled anywhere in ``text``."""
    tables = tables or load_sniff_tables()
    for m in tables.date_re.finditer(text):
        day = date_from_match(m, tables)
        if day is not None:
            return day
    return None


def sniff_date_line(line: str, tables: SniffTables | None = None) -> dt.date | None:
    """The date of a line that is nothing but a date (``Jan 13, 2020``, ``Published: 13 January
    2020``, ``Monday, November 25, 2019 10:30 AM``), else None."""
    tables = tables or load_sniff_tables()
    m = tables.date_line_re.match(line.strip())
    return None if m is None else date_from_match(m, tables)


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
    day = date_from_match(m, tables)
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
    day = date_from_match(m, tables)
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
    return date_from_match(m, tables)


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
        return None if self.year is None else make_date(self.year, self.month, self.day_of_month)


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
        day = date_from_match(m, tables)
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
    if make_date(year or 2000, month, dom) is None:  # 2000 is a leap year: Feb 29 passes
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
    return make_date(int(m[1]), int(m[2]), int(m[3])) if m else None


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
    full = [d for mt in tables.date_re.finditer(text) if (d := date_from_match(mt, tables)) is not None]
    if full:
        latest = max(full)
        for year in (latest.year, latest.year + 1):
            cand = make_date(year, month, day)
            if cand is not None and cand >= latest - dt.timedelta(days=FUTURE_ALLOWANCE_DAYS):
                return cand, "document-date"
    years = [int(mt.group("ryear") or mt.group("cyear")) for mt in tables.reference_re.finditer(text)]
    if years:
        cand = make_date(max(years), month, day)
        if cand is not None:
            return cand, "reference-number"
    named = file_name_date(file_name)
    if named is not None:
        for year in (named.year, named.year - 1):
            cand = make_date(year, month, day)
            if cand is not None and cand <= named + dt.timedelta(days=FUTURE_ALLOWANCE_DAYS):
                return cand, "file-name"
    if user_year is not None:
        cand = make_date(user_year, month, day)
        if cand is not None:
            return cand, "user"
    return None
