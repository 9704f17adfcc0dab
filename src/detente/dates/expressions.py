"""Date expressions: find and resolve those of a news sentence into :class:`DateValue` records.

Everything is resolved against a *base* date, the article's own date (see
:func:`article_reference_date`). The rules are our own regular expressions, built from the
words in ``detente/data/dates.yaml``; ``dateparser`` is only a fallback for explicit forms we
do not cover, and its output is validated.

Choices made (each result carries ``how``):

* ``explicit``: a full date, month-year or year written out ("January 16, 2024", "December
  2018", "in 2019", "the 1990s", "summer 2019"): day / month / year precision as written.
* ``partial``: a day and month without a year ("Jan. 16", "Tuesday, Jan. 16"): the year is
  the one that puts the date latest on or before the base plus ``future_allowance_days``
  (31: a news article reports the past, but may announce something scheduled for the coming
  weeks). A weekday written with it picks, among the candidate years, one that agrees.
* ``background``: a month name alone ("In February, ..."): the most recent such month not
  after the base month, month precision.
* ``relative``: phrases relative to the base: "today"/"yesterday" (day); "this month",
  "earlier this month", "last month", "next month" (month); "this year", "early last year"
  (year); "March this year", "10 March this year"; weekdays ("on Monday": the most recent
  Monday on or before the base; "last Thursday": strictly before; "next Friday": strictly
  after); "two days ago", "three months ago".
  A *week* ("last week", "this week", "two weeks ago") has no precision of its own: it is
  returned with day precision as a range from its Monday (``value``) to its Sunday (``end``);
  "this week" and "earlier this week" end on the base (the days of the week written about so
  far), "later this week" on its Sunday. "At the weekend" is the Saturday and Sunday before the
  base; "over the past 48 hours", "in the last three days" run from that many days before the
  base to it.
* ``range``: "Jan. 26-27", "26-27 January 2024", "Jan. 30 to Feb. 2", "January-March 2019",
  "2015-16", "between 2015 and 2018": ``value`` is the first day/month/year, ``end`` the last.
* phrases anchored on another date ("two days later", "the following year", "the next day")
  resolve against the previous date of the same sentence (or the ``anchor`` given to
  :func:`parse_date_expression`); without one they are unrecoverable.

Vague phrases ("recently", "in recent years", "the past decade") give ``None``; nothing ever
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from detente.dates.parse import read_with_dateparser
from detente.dates.resolvers import RESOLVERS, ResolveContext, acceptable, base_day, validate
from detente.dates.rules import DateRules, default_date_rules
from detente.model import DateValue

# --------------------------------------------------------------------------------------------
# scanning
# --------------------------------------------------------------------------------------------


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    match: re.Match[str]
    anchored: bool
    value: DateValue | None = None


_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _scan(text: str, ctx: ResolveContext) -> list[tuple[int, int, DateValue]]:
    found: list[_Found] = []
    for rule in ctx.rules.rules:
        for mt in rule.pattern.finditer(text):
            if mt.end() == mt.start() or not acceptable(rule.kind, mt, text, ctx):
                continue
            item = _Found(mt.start(), mt.end(), rule.kind, mt, rule.anchored)
            if not rule.anchored:
                # an expression that fails (February 30) still hides the shorter ones inside it
                item.value = validate(RESOLVERS[rule.kind](ctx, mt), ctx)
            found.append(item)
    order = {rule.kind: i for i, rule in enumerate(ctx.rules.rules)}
    chosen: list[_Found] = []
    for item in sorted(found, key=lambda f: (-(f.end - f.start), order[f.kind], f.start)):
        if all(item.end <= c.start or c.end <= item.start for c in chosen):
            chosen.append(item)
    chosen.sort(key=lambda f: f.start)

    quotes = [(q.start(), q.end()) for q in _QUOTE.finditer(text)]
    out: list[tuple[int, int, DateValue]] = []
    previous: DateValue | None = ctx.anchor
    previous_end = -1
    for item in chosen:
        if item.anchored:
            at_previous = ResolveContext(ctx.rules, ctx.base, previous, ctx.whole)
            item.value = validate(RESOLVERS[item.kind](at_previous, item.match), ctx)
        elif item.kind == "day_word" and previous is not None and previous.precision == "day" \
                and previous.how in ("explicit", "partial") and not previous.end:
            # "Pompeo tweeted Jan. 3: 'we spoke today'": a quoted "today" is the quote's day
            inside = next(((a, b) for a, b in quotes if a <= item.start < b), None)
            if inside is not None and previous_end <= inside[0]:
                shifted = previous.start_date + dt.timedelta(
                    days=ctx.lex.day_words[" ".join(item.match.group("w").lower().split())])
                item.value = DateValue.of_day(shifted, how="relative")
        if item.value is not None:
            out.append((item.start, item.end, item.value))
            previous, previous_end = item.value, item.end
    return out


def _dateparser_fallback(text: str, ctx: ResolveContext) -> DateValue | None:
    """dateparser for explicit forms our rules miss; only when a month name or a year is present."""
    if not ctx.rules.month_or_year.search(text):
        return None
    base = base_day(ctx.base)
    has_year = re.search(r"(?<!\d)\d{4}(?!\d)", text) is not None
    if not has_year and base is None:
        return None  # a partial date needs a base
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
                                "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    read = read_with_dateparser(text, "explicit" if has_year else "partial", settings)
    if read is None:
        return None
    value, got = read
    if base is not None and not has_year and not (
            base - dt.timedelta(days=400) <= got <= base + dt.timedelta(days=ctx.lex.future_allowance_days)):
        return None
    return validate(value, ctx)


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


def parse_date_expression(text: str, base: DateValue | None, *, anchor: DateValue | None = None,
                          rules: DateRules | None = None) -> DateValue | None:
    """Resolve one date expression (a spaCy DATE entity's text, say) against the base date.

    ``anchor`` is the date that phrases like "two days later" count from. Returns ``None`` when
    the text holds no recoverable date (never the base date by default).
    """
    ctx = ResolveContext(rules or default_date_rules(), base, anchor, whole=True)
    found = _scan(text, ctx)
    if found:
        return max(found, key=lambda f: (f[1] - f[0], -f[0]))[2]
    return _dateparser_fallback(text, ctx)


def find_dates(sentence_text: str, base: DateValue | None, *, rules: DateRules | None = None,
               anchor: DateValue | None = None) -> list[tuple[int, int, DateValue]]:
    """Every date expression of a sentence: ``(start, end, value)`` with offsets into the text.

    Expressions that cannot be resolved (a partial date without a base, "two days later" with
    no earlier date in the sentence and no ``anchor``) are left out. ``anchor`` is the date an
    anchored phrase ("the same day", "two days later") counts from when no earlier date of the
    sentence precedes it: the previous event's date, say.
    """
    return _scan(sentence_text, ResolveContext(rules or default_date_rules(), base, anchor))


def article_reference_date(published: DateValue | None, text: str, *,
                           rules: DateRules | None = None) -> DateValue | None:
    """The base date of an article: its own date, else the latest full date its text carries.

    A full date is a day with a written year ("Jan. 29, 2024"), so an undated article's photo
    caption or byline date serves; the result then has ``how="inferred"``. ``None`` when the
    text holds no full date.
    """
    if published is not None:
        return published
    full = [v for _, _, v in find_dates(text, None, rules=rules)
            if v.precision == "day" and v.how == "explicit" and not v.end]
    if not full:
        return None
    latest = max(full, key=lambda v: v.value)
    return DateValue(latest.value, "day", how="inferred")
