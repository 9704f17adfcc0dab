"""The sniffer's word lists (``data/ingest/sniff.yaml``), validated, and the date patterns built
from them (:class:`SniffTables`): what every metadata line reader of :mod:`detente.ingest.dateline`
matches against.

The month names are those of ``data/dates.yaml`` (:func:`detente.dates.parse.month_names`), the
one table of them; a sniff file of one's own may still list ``months`` to replace them.
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

from detente.datafiles import load_yaml
from detente.dates.parse import make_date, month_names
from detente.errors import DataFileError


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
    return _parse_tables(path, load_yaml(path))


@cache
def _bundled_tables() -> SniffTables:
    res = resources.files("detente") / "data" / "ingest" / "sniff.yaml"
    path = Path(str(res))
    return _parse_tables(path, load_yaml(path, res.read_text(encoding="utf-8")))


def _months(path: Path, months: Any) -> Mapping[str, int]:
    """A file's own ``months`` (name -> 1..12), validated; the month names of ``dates.yaml``
    when it gives none."""
    if months is None:
        return month_names()
    if not isinstance(months, dict) or not months:
        raise DataFileError(path, "'months' must be a mapping of month names to numbers 1-12")
    checked: dict[str, int] = {}
    for name, number in months.items():
        if not isinstance(name, str) or not isinstance(number, int) or not 1 <= number <= 12:
            raise DataFileError(path, f"months: bad entry {name!r}: {number!r} (want name: 1-12)")
        checked[name.lower().rstrip(".")] = number
    if set(checked.values()) != set(range(1, 13)):
        raise DataFileError(path, "months: every month 1-12 needs at least one name")
    return MappingProxyType(checked)


def _parse_tables(path: Path, data: Any) -> SniffTables:
    if not isinstance(data, dict):
        raise DataFileError(path, "expected a mapping with weekdays, photo_credits, date_line_prefixes")
    months = _months(path, data.get("months"))
    lists: dict[str, list[str]] = {}
    for key in ("weekdays", "photo_credits", "date_line_prefixes", "reference_labels"):
        value = data.get(key, [] if key == "reference_labels" else None)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise DataFileError(path, f"'{key}' must be a list of non-empty strings")
        if key == "reference_labels":
            value = [v for v in value if v.strip()]
        lists[key] = [v.strip().lower() for v in value]
    return SniffTables(
        months=months,
        weekdays=frozenset(lists["weekdays"]),
        photo_credits=frozenset(lists["photo_credits"]),
        date_line_prefixes=tuple(lists["date_line_prefixes"]),
        reference_labels=tuple(lists["reference_labels"]),
    )


def date_from_match(m: re.Match[str], tables: SniffTables) -> dt.date | None:
    """The calendar date a date-pattern match spells, or None if there is no such day."""
    groups = m.groupdict()
    for i in ("1", "2"):
        if groups.get(f"mon{i}"):
            month = tables.months[groups[f"mon{i}"].lower()]
            return make_date(int(groups[f"year{i}"]), month, int(groups[f"day{i}"]))
    if groups.get("year3"):
        return make_date(int(groups["year3"]), int(groups["mon3"]), int(groups["day3"]))
    return None
