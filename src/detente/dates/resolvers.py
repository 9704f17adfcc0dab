"""The resolvers of date expressions, one per rule kind of :mod:`detente.dates.rules`: each turns a
match into a :class:`DateValue` against the base date (see :mod:`detente.dates.expressions`), with
the calendar arithmetic they share."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from detente.dates.lexicon import DateLexicon
from detente.dates.parse import add_months, make_date, month_value
from detente.dates.rules import DateRules
from detente.model import PRECISION_RANK, DateValue

_Resolver = Callable[["ResolveContext", re.Match[str]], DateValue | None]


# --------------------------------------------------------------------------------------------
# calendar helpers
# --------------------------------------------------------------------------------------------


def base_day(base: DateValue | None) -> dt.date | None:
    """The base date's first day, or None without a base."""
    return None if base is None else base.start_date


def _week(monday: dt.date) -> DateValue:
    return DateValue(monday.isoformat(), "day", end=(monday + dt.timedelta(days=6)).isoformat(),
                     how="relative")


@dataclass(frozen=True)
class ResolveContext:
    """What a resolver resolves against: the rules, the base date, the date anchored phrases count
    from ("two days later"), and whether the text is one expression rather than a sentence."""

    rules: DateRules
    base: DateValue | None
    anchor: DateValue | None = None
    whole: bool = False  # the text is one expression (an entity), not a sentence

    @property
    def lex(self) -> DateLexicon:
        return self.rules.lexicon


def _year_ok(y: int, ctx: ResolveContext) -> bool:
    hi = ctx.base.start_date.year + ctx.lex.max_years_ahead if ctx.base is not None else 2100
    return ctx.lex.min_year <= y <= hi


def validate(value: DateValue | None, ctx: ResolveContext) -> DateValue | None:
    """``value`` when its years are plausible (``min_year`` to ``max_years_ahead`` after the base)
    and its range runs forward, else None."""
    if value is None:
        return None
    years = [int(value.value[:4])] + ([int(value.end[:4])] if value.end else [])
    if not all(_year_ok(y, ctx) for y in years):
        return None
    if value.end and value.end < value.value:
        return None
    return value


def _complete_day(m: int, d: int, ctx: ResolveContext, weekday: int | None = None) -> dt.date | None:
    """The year for a day-month: the latest one on or before base + allowance (see module doc)."""
    base = base_day(ctx.base)
    if base is None:
        return None
    limit = base + dt.timedelta(days=ctx.lex.future_allowance_days)
    cands = [c for y in (base.year + 1, base.year, base.year - 1, base.year - 2, base.year - 3, base.year - 4)
             if (c := make_date(y, m, d)) is not None and c <= limit]
    if not cands:
        return None
    best = cands[0]
    if weekday is not None and best.weekday() != weekday:
        floor = limit - dt.timedelta(days=400)
        agree = [c for c in cands if c.weekday() == weekday and c >= floor]
        if agree:
            best = agree[0]
    return best


def _recent_month(m: int, base: dt.date, strict: bool = False) -> tuple[int, int]:
    """The most recent month ``m`` not after (or, strict, before) the base month."""
    if m < base.month or (m == base.month and not strict):
        return base.year, m
    return base.year - 1, m


def _next_month(m: int, base: dt.date) -> tuple[int, int]:
    return (base.year, m) if m > base.month else (base.year + 1, m)


# --------------------------------------------------------------------------------------------
# resolvers, one per rule kind
# --------------------------------------------------------------------------------------------


def _month(ctx: ResolveContext, word: str) -> int:
    return ctx.lex.months[" ".join(word.lower().rstrip(".").split())]


def count_of(ctx: ResolveContext, word: str) -> int:
    """The number a count word or numeral stands for ("two", "12")."""
    w = word.lower()
    return int(w) if w.isdigit() else ctx.lex.numbers[" ".join(w.split())]


def _year_offset(ctx: ResolveContext, mt: re.Match[str]) -> int | None:
    """The year named by a trailing "this year" / "the following year" group, else None."""
    base = base_day(ctx.base)
    if mt.group("yrel"):
        if base is None:
            return None
        return base.year + ctx.lex.deictic[" ".join(mt.group("yrel").lower().split())]
    if mt.group("yanc"):
        if ctx.anchor is None:
            return None
        return ctx.anchor.start_date.year + ctx.lex.anchored[" ".join(mt.group("yanc").lower().split())]
    return None


def _has(mt: re.Match[str], g: str) -> bool:
    return g in mt.re.groupindex and mt.group(g) is not None


def _r_iso(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    d = make_date(int(mt.group("y")), int(mt.group("m")), int(mt.group("d")))
    return DateValue.of_day(d) if d else None


def _r_numeric(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    a, b, y = int(mt.group("a")), int(mt.group("b")), int(mt.group("y"))
    d = make_date(y, a, b) if a <= 12 else make_date(y, b, a)  # US month/day first
    return DateValue.of_day(d) if d else None


def _day_date(ctx: ResolveContext, mt: re.Match[str], mg: str, dg: str,
              yg: str | None) -> tuple[dt.date, str] | None:
    m, d = _month(ctx, mt.group(mg)), int(mt.group(dg))
    if yg and _has(mt, yg) and mt.group(yg):
        day = make_date(int(mt.group(yg)), m, d)
        return (day, "explicit") if day else None
    if _has(mt, "yrel") and (mt.group("yrel") or mt.group("yanc")):
        y = _year_offset(ctx, mt)
        day = make_date(y, m, d) if y is not None else None
        return (day, "relative") if day else None
    weekday = ctx.lex.weekdays[mt.group("wd").lower().rstrip(".")] if _has(mt, "wd") else None
    day = _complete_day(m, d, ctx, weekday)
    return (day, "partial") if day else None


def _r_md(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    got = _day_date(ctx, mt, "m", "d", "y")
    return DateValue.of_day(got[0], how=got[1]) if got else None


def _r_md_range(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    got = _day_date(ctx, mt, "m", "d", "y")
    if got is None:
        return None
    start = got[0]
    end = make_date(start.year, start.month, int(mt.group("d2")))
    if end is None or end <= start:
        return None
    return DateValue(start.isoformat(), "day", end=end.isoformat(), how="range")


def _r_md_cross(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    m2, d2 = _month(ctx, mt.group("m2")), int(mt.group("d2"))
    if mt.group("y2") and not mt.group("y"):
        end = make_date(int(mt.group("y2")), m2, d2)
        if end is None:
            return None
        m1, d1 = _month(ctx, mt.group("m")), int(mt.group("d"))
        start = make_date(end.year - (m1 > m2), m1, d1)
    else:
        got = _day_date(ctx, mt, "m", "d", "y")
        if got is None:
            return None
        start = got[0]
        y2 = int(mt.group("y2")) if mt.group("y2") else start.year + (m2 < start.month)
        end = make_date(y2, m2, d2)
    if start is None or end is None or end <= start:
        return None
    return DateValue(start.isoformat(), "day", end=end.isoformat(), how="range")


def _r_month_year(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    return DateValue(month_value(int(mt.group("y")), _month(ctx, mt.group("m"))), "month")


def _r_month_range(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    y, m1, m2 = int(mt.group("y")), _month(ctx, mt.group("m")), _month(ctx, mt.group("m2"))
    if m2 <= m1:
        return None
    return DateValue(month_value(y, m1), "month", end=month_value(y, m2), how="range")


def _r_month_yrel(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    y = _year_offset(ctx, mt)
    return None if y is None else DateValue(month_value(y, _month(ctx, mt.group("m"))), "month",
                                            how="relative")


def _r_month_deictic(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    base = base_day(ctx.base)
    if base is None:
        return None
    off = ctx.lex.deictic[" ".join(mt.group("rel").lower().split())]
    m = _month(ctx, mt.group("m"))
    if off < 0:
        y, m = _recent_month(m, base, strict=True)
    elif off > 0:
        y, m = _next_month(m, base)
    else:
        y = base.year
    return DateValue(month_value(y, m), "month", how="relative")


def _r_month(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    base = base_day(ctx.base)
    if base is None:
        return None
    y, m = _recent_month(_month(ctx, mt.group("m")), base)
    return DateValue(month_value(y, m), "month", how="background")


def _season(ctx: ResolveContext, name: str, y: int, how: str) -> DateValue:
    first, last = ctx.lex.seasons[name.lower()]
    if last < first:  # crosses the new year: the year only
        return DateValue(f"{y:04d}", "year", how=how)
    return DateValue(month_value(y, first), "month", end=month_value(y, last), how=how)


def _r_season_year(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    return _season(ctx, mt.group("season"), int(mt.group("y")), "explicit")


def _r_season_rel(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    base = base_day(ctx.base)
    if base is None:
        return None
    off = ctx.lex.deictic[" ".join(mt.group("rel").lower().split())]
    first, last = ctx.lex.seasons[mt.group("season").lower()]
    if last < first:
        return None
    if off == 0:
        y = base.year
    elif off < 0:
        y = base.year if last < base.month else base.year - 1
    else:
        y = base.year if first > base.month else base.year + 1
    return _season(ctx, mt.group("season"), y, "relative")


def _r_year_range(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    y1, raw2 = int(mt.group("y")), mt.group("y2")
    y2 = int(raw2) if len(raw2) == 4 else (y1 // 100) * 100 + int(raw2)
    if y2 <= y1 or y2 - y1 > 50:
        return None
    return DateValue(f"{y1:04d}", "year", end=f"{y2:04d}", how="range")


def _r_decade(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    y = int(mt.group("dec"))
    return DateValue(f"{y:04d}", "year", end=f"{y + 9:04d}", how="explicit")


def _r_year(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    return DateValue(mt.group("y"), "year")


def _unit_value(unit: str, day: dt.date, off: int) -> DateValue:
    """The week/month/year ``off`` units from the one containing ``day``."""
    if unit == "day":
        return DateValue.of_day(day + dt.timedelta(days=off), how="relative")
    if unit == "week":
        return _week(day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=off))
    if unit == "month":
        y, m = add_months(day.year, day.month, off)
        return DateValue(month_value(y, m), "month", how="relative")
    return DateValue(f"{day.year + off:04d}", "year", how="relative")


def _r_unit_rel(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    base = base_day(ctx.base)
    if base is None:
        return None
    off = ctx.lex.deictic[" ".join(mt.group("rel").lower().split())]
    unit = mt.group("unit").lower()
    if unit == "week" and off == 0 and not re.search(r"\blater\b", mt.group(0), re.IGNORECASE):
        # "this week", "earlier this week": the days of the week up to the report's
        monday = base - dt.timedelta(days=base.weekday())
        return DateValue(monday.isoformat(), "day", end=base.isoformat() if base > monday else None,
                         how="relative")
    return _unit_value(unit, base, off)


# the precision of a unit that is not one itself: a week is days, a decade years
_UNIT_PRECISION = {"week": "day", "decade": "year"}


def anchored_unit(ctx: ResolveContext, unit: str, off: int) -> DateValue | None:
    """The day/week/month/year/decade ``off`` units from the anchor, when the anchor is at least
    as precise as the unit."""
    anchor = ctx.anchor
    if anchor is None:
        return None
    if PRECISION_RANK[anchor.precision] > PRECISION_RANK[_UNIT_PRECISION.get(unit, unit)]:
        return None  # "two days later" after "in 2019": unrecoverable
    if unit == "decade":
        unit, off = "year", off * 10
    return _unit_value(unit, anchor.start_date, off)


def _r_unit_anchored(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    off = ctx.lex.anchored[" ".join(mt.group("anc").lower().split())]
    return anchored_unit(ctx, mt.group("unit").lower(), off)


def _r_anchored_day(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    word = (mt.group("w") or mt.group("w2")).lower()
    return anchored_unit(ctx, "day", -1 if word in ("previous", "before") else 1)


def _r_day_word(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    base = base_day(ctx.base)
    if base is None:
        return None
    offset = ctx.lex.day_words[" ".join(mt.group("w").lower().split())]
    return DateValue.of_day(base + dt.timedelta(days=offset), how="relative")


def _r_ago(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    base = base_day(ctx.base)
    if base is None:
        return None
    n, unit = count_of(ctx, mt.group("n")), mt.group("unit").lower()
    if unit == "decade":
        unit, n = "year", n * 10
    return _unit_value(unit, base, -n)


def _r_later(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    n = count_of(ctx, mt.group("n"))
    sign = 1 if mt.group("dir").lower() in ("later", "after") else -1
    unit = mt.group("unit").lower()
    anchor = ctx.anchor
    if unit == "week" and anchor is not None and anchor.precision == "day" and not anchor.end:
        # "a week earlier" than a day is that day seven days before, not a calendar week
        return DateValue.of_day(anchor.start_date + dt.timedelta(weeks=sign * n), how="relative")
    return anchored_unit(ctx, unit, sign * n)


def _r_weekday(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    base = base_day(ctx.base)
    if base is None:
        return None
    target = ctx.lex.weekdays[mt.group("wd").lower().rstrip(".")]
    back = (base.weekday() - target) % 7
    off = ctx.lex.deictic[" ".join(mt.group("rel").lower().split())] if mt.group("rel") else 0
    if off < 0:
        day = base - dt.timedelta(days=back or 7)
    elif off > 0:
        day = base + dt.timedelta(days=(target - base.weekday()) % 7 or 7)
    else:
        day = base - dt.timedelta(days=back)
    return DateValue.of_day(day, how="relative")


def _r_weekend(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    """The weekend before the base (its own, for a Sunday base): Saturday to Sunday."""
    base = base_day(ctx.base)
    if base is None:
        return None
    saturday = base - dt.timedelta(days=1 if base.weekday() == 6 else (base.weekday() - 5) % 7 or 7)
    return DateValue(saturday.isoformat(), "day", end=(saturday + dt.timedelta(days=1)).isoformat(),
                     how="relative")


def _r_past_span(ctx: ResolveContext, mt: re.Match[str]) -> DateValue | None:
    """ "Over the past 48 hours": from the day that many hours (days) before the base to the base."""
    base = base_day(ctx.base)
    n = count_of(ctx, mt.group("n"))
    if base is None or n <= 0:
        return None
    days = -(-n // 24) if mt.group("unit").lower() == "hour" else n
    if days > 31:
        return None
    start = base - dt.timedelta(days=days)
    return DateValue(start.isoformat(), "day", end=base.isoformat(), how="relative")


RESOLVERS: dict[str, _Resolver] = {
    "iso": _r_iso, "numeric": _r_numeric, "md_range": _r_md_range, "md_cross": _r_md_cross,
    "dm_range": _r_md_range, "md": _r_md, "dm": _r_md, "month_range": _r_month_range,
    "month_year": _r_month_year, "month_yrel": _r_month_yrel, "month_deictic": _r_month_deictic,
    "month": _r_month, "season_year": _r_season_year, "season_rel": _r_season_rel,
    "year_between": _r_year_range, "year_range": _r_year_range, "decade": _r_decade, "year": _r_year,
    "unit_rel": _r_unit_rel, "unit_anchored": _r_unit_anchored, "anchored_day": _r_anchored_day,
    "day_word": _r_day_word, "ago": _r_ago, "later": _r_later, "weekday": _r_weekday,
    "weekend": _r_weekend, "past_span": _r_past_span,
}

# words before a lone month name that make it a date ("in May", not "Theresa May")
_MONTH_LEAD = re.compile(
    r"(?:\b(?:in|on|since|during|until|till|by|of|from|between|and|to|through|before|after|early|late|"
    r"mid|last|this|next|around|about|throughout|or)[\s-]+|^\s*|[,;:(]\s*)$", re.IGNORECASE)


def acceptable(kind: str, mt: re.Match[str], text: str, ctx: ResolveContext) -> bool:
    """Rejects matches that are words rather than dates ("it may rain", "Theresa May")."""
    for g in ("m", "m2"):
        if g in mt.re.groupindex and mt.group(g):
            word = mt.group(g).rstrip(".")
            if word.islower() and word in ctx.lex.ambiguous_lowercase:
                return False
    if kind == "month":
        word = mt.group("m")
        if word.islower():
            return False
        alone = ctx.whole and not text[: mt.start()].strip()
        if not alone and not _MONTH_LEAD.search(text[: mt.start()]) and mt.start("m") == mt.start():
            return False
    return True
