"""The small date parsers every reader of dates shares: a calendar day that may not exist, month
arithmetic, ``YYYY[-MM[-DD]]`` as a :class:`~detente.model.DateValue`, the month names of
``data/dates.yaml``, and the one call of ``dateparser`` (for the forms no rule of ours reads).

The resolvers of date expressions (:mod:`detente.dates.resolvers`) and the ingest stage's date
lines and record dates (:mod:`detente.ingest.sniff`) both parse here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from detente.dates.lexicon import default_date_lexicon
from detente.model import DateValue

ISO_VALUE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
"""``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (use ``fullmatch``)."""


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """The calendar day, or None when there is no such day (February 30)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """The ``(year, month)`` ``delta`` months after (before, when negative) ``year``-``month``."""
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def month_value(year: int, month: int) -> str:
    """A month's ``DateValue.value``: ``YYYY-MM``."""
    return f"{year:04d}-{month:02d}"


def parse_iso_value(text: str, how: str = "explicit") -> DateValue | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (the whole text) as a :class:`DateValue` of that
    precision; None for any other text and for a month or day that does not exist (``2024-13``,
    ``2023-02-29``). The year is taken as written."""
    m = ISO_VALUE.fullmatch(text)
    if m is None:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if day is not None:
        got = make_date(int(year), int(month), int(day))
        return DateValue.of_day(got, how=how) if got is not None else None
    if month is not None:
        return DateValue(f"{year}-{month}", "month", how=how) if 1 <= int(month) <= 12 else None
    return DateValue(year, "year", how=how)


def month_names() -> Mapping[str, int]:
    """The month names and abbreviations of the bundled ``dates.yaml`` (lower case) -> 1..12."""
    return default_date_lexicon().months


def read_with_dateparser(text: str, how: str,
                         settings: Mapping[str, Any]) -> tuple[DateValue, dt.date] | None:
    """``text`` as ``dateparser`` reads it in English with ``settings``: a :class:`DateValue` of
    the period it names (year, month, else day) with ``how``, and the day dateparser gave (for the
    caller's own checks); None when it reads no date.

    ``dateparser`` is slow to import: it is imported on the first call only.
    """
    from dateparser.date import DateDataParser

    try:
        data = DateDataParser(languages=["en"], settings=dict(settings)).get_date_data(text)
    except (ValueError, TypeError, OverflowError):
        return None
    if data is None or data.date_obj is None:
        return None
    got = data.date_obj.date()
    period = data.period or "day"
    if period == "year":
        return DateValue(f"{got.year:04d}", "year", how=how), got
    if period == "month":
        return DateValue(month_value(got.year, got.month), "month", how=how), got
    return DateValue.of_day(got, how=how), got
