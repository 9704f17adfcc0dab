"""Tests for detente.dates: date expressions resolved against an article date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.dates import (
    DatedEvent,
    article_reference_date,
    context_date,
    coreferent_date,
    date_for_event,
    default_date_rules,
    find_dates,
    load_date_lexicon,
    load_date_rules,
    open_quote_day,
    paragraph_before,
    parse_date_expression,
    previous_date,
)
from detente.errors import DataFileError
from detente.model import DateValue


def day(value: str) -> DateValue:
    return DateValue(value, "day", how="article")


JAN13_2020 = day("2020-01-13")  # a Monday
JAN29_2024 = day("2024-01-29")  # a Monday
NOV25_2019 = day("2019-11-25")  # a Monday
JUL26_2023 = day("2023-07-26")  # a Wednesday

# (text, base, value, precision, end)
CASES: list[tuple[str, DateValue | None, str, str, str | None]] = [
    # explicit
    ("January 16, 2024", JAN29_2024, "2024-01-16", "day", None),
    ("16 January 2024", JAN29_2024, "2024-01-16", "day", None),
    ("Jan. 16, 2024", JAN29_2024, "2024-01-16", "day", None),
    ("2024-01-16", JAN29_2024, "2024-01-16", "day", None),
    ("Jan 13, 2020", JAN13_2020, "2020-01-13", "day", None),
    ("Sept. 23, 2019", JAN13_2020, "2019-09-23", "day", None),
    ("the 3rd of March, 2021", JUL26_2023, "2021-03-03", "day", None),
    ("Tuesday, January 16, 2024", JAN29_2024, "2024-01-16", "day", None),
    ("1/16/2024", JAN29_2024, "2024-01-16", "day", None),
    ("January 16, 2024", None, "2024-01-16", "day", None),
    ("December 2018", JAN13_2020, "2018-12", "month", None),
    ("December of 2018", JAN13_2020, "2018-12", "month", None),
    ("in August 2018", NOV25_2019, "2018-08", "month", None),
    ("in 2019", JAN13_2020, "2019", "year", None),
    ("in 2017", NOV25_2019, "2017", "year", None),
    ("since 1947", NOV25_2019, "1947", "year", None),
    ("mid-2019", JAN13_2020, "2019", "year", None),
    ("the end of 2019", JAN13_2020, "2019", "year", None),
    ("the 1990s", JAN13_2020, "1990", "year", "1999"),
    ("summer 2019", JAN13_2020, "2019-06", "month", "2019-08"),
    # partial: completed from the base
    ("Jan. 16", JAN29_2024, "2024-01-16", "day", None),
    ("on Jan. 3", JAN13_2020, "2020-01-03", "day", None),
    ("Tuesday, Jan. 16", JAN29_2024, "2024-01-16", "day", None),
    ("Dec. 28", JAN13_2020, "2019-12-28", "day", None),
    ("Nov. 15", NOV25_2019, "2019-11-15", "day", None),
    ("Feb. 10", JAN29_2024, "2024-02-10", "day", None),  # scheduled, within a month after
    ("March 20", JAN29_2024, "2023-03-20", "day", None),  # too far ahead: last year's
    ("Jan. 5", day("2019-12-20"), "2020-01-05", "day", None),
    ("the 16th of January", JAN29_2024, "2024-01-16", "day", None),
    # relative to the base
    ("today", JAN13_2020, "2020-01-13", "day", None),
    ("yesterday", JAN13_2020, "2020-01-12", "day", None),
    ("tomorrow", JAN13_2020, "2020-01-14", "day", None),
    ("last week", JAN13_2020, "2020-01-06", "day", "2020-01-12"),
    ("this week", day("2020-01-15"), "2020-01-13", "day", "2020-01-15"),  # up to the report's day
    ("later this week", day("2020-01-15"), "2020-01-13", "day", "2020-01-19"),
    ("this week", day("2020-01-13"), "2020-01-13", "day", None),
    ("two weeks ago", JAN13_2020, "2019-12-30", "day", "2020-01-05"),
    ("earlier this month", NOV25_2019, "2019-11", "month", None),
    ("this month", NOV25_2019, "2019-11", "month", None),
    ("last month", JAN13_2020, "2019-12", "month", None),
    ("next month", JAN13_2020, "2020-02", "month", None),
    ("three months ago", JAN13_2020, "2019-10", "month", None),
    ("earlier this year", NOV25_2019, "2019", "year", None),
    ("this year", NOV25_2019, "2019", "year", None),
    ("last year", JUL26_2023, "2022", "year", None),
    ("early last year", JAN13_2020, "2019", "year", None),
    ("the previous year", JUL26_2023, "2022", "year", None),
    ("two years ago", JUL26_2023, "2021", "year", None),
    ("in May", JUL26_2023, "2023-05", "month", None),
    ("in May", day("2023-03-02"), "2022-05", "month", None),
    ("10 March this year", JUL26_2023, "2023-03-10", "day", None),
    ("March 10 last year", JUL26_2023, "2022-03-10", "day", None),
    ("December of the previous year", JUL26_2023, "2022-12", "month", None),
    ("March this year", JUL26_2023, "2023-03", "month", None),
    ("last December", JUL26_2023, "2022-12", "month", None),
    ("last July", JUL26_2023, "2022-07", "month", None),
    ("this July", JUL26_2023, "2023-07", "month", None),
    ("next March", JUL26_2023, "2024-03", "month", None),
    ("on Monday", JAN13_2020, "2020-01-13", "day", None),  # the base is a Monday
    ("on Saturday", JAN13_2020, "2020-01-11", "day", None),
    ("last Thursday", JAN13_2020, "2020-01-09", "day", None),
    ("last Monday", JAN13_2020, "2020-01-06", "day", None),
    ("next Friday", JAN13_2020, "2020-01-17", "day", None),
    ("Wednesday night", JUL26_2023, "2023-07-26", "day", None),
    ("last summer", JAN13_2020, "2019-06", "month", "2019-08"),
    # ranges
    ("Jan. 26-27", JAN29_2024, "2024-01-26", "day", "2024-01-27"),
    ("Jan. 26–27", JAN29_2024, "2024-01-26", "day", "2024-01-27"),
    ("26-27 January 2024", JAN29_2024, "2024-01-26", "day", "2024-01-27"),
    ("Dec. 30 to Jan. 2", JAN13_2020, "2019-12-30", "day", "2020-01-02"),
    ("January-March 2019", JAN13_2020, "2019-01", "month", "2019-03"),
    ("2015-16", JUL26_2023, "2015", "year", "2016"),
    ("2015-2018", JUL26_2023, "2015", "year", "2018"),
    ("between 2015 and 2018", JUL26_2023, "2015", "year", "2018"),
    # background
    ("In February", NOV25_2019, "2019-02", "month", None),
    ("In December", NOV25_2019, "2018-12", "month", None),
    ("September", JAN13_2020, "2019-09", "month", None),
    ("early January", JAN29_2024, "2024-01", "month", None),
]


@pytest.mark.parametrize(("text", "base", "value", "precision", "end"), CASES)
def test_parse_table(text: str, base: DateValue | None, value: str, precision: str, end: str | None) -> None:
    got = parse_date_expression(text, base)
    assert got is not None, text
    assert (got.value, got.precision, got.end) == (value, precision, end)


@pytest.mark.parametrize(
    ("text", "how"),
    [("January 16, 2024", "explicit"), ("Jan. 16", "partial"), ("yesterday", "relative"),
     ("In February", "background"), ("Jan. 26-27", "range"), ("2015-16", "range")],
)
def test_how_is_recorded(text: str, how: str) -> None:
    got = parse_date_expression(text, JAN29_2024)
    assert got is not None and got.how == how


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("recently", JAN13_2020),
        ("in recent years", JAN13_2020),
        ("the past decade", JAN13_2020),
        ("for decades", JAN13_2020),
        ("now", JAN13_2020),
        ("soon", JAN13_2020),
        ("", JAN13_2020),
        ("Theresa May", JAN13_2020),
        ("it may rain", JAN13_2020),
        ("a march on the capital", JAN13_2020),
        ("two days later", JAN13_2020),  # no anchor to count from
        ("the following year", JAN13_2020),
        ("Jan. 16", None),  # partial without a base
        ("yesterday", None),
        ("in May", None),
        ("Resolution 2231", JAN13_2020),  # not a year: after base + 1
        ("1750", JAN13_2020),  # before the minimum year
        ("February 30, 2020", JAN13_2020),
        ("Jan. 27-26", JAN29_2024),
    ],
)
def test_unrecoverable_gives_none(text: str, base: DateValue | None) -> None:
    assert parse_date_expression(text, base) is None


def test_never_defaults_to_base() -> None:
    for text in ("the talks", "a long time", "the meeting was tense"):
        assert parse_date_expression(text, JAN13_2020) is None


def test_anchor_resolves_later_phrases() -> None:
    anchor = DateValue("2024-01-16", "day")
    assert parse_date_expression("two days later", JAN29_2024, anchor=anchor) == DateValue(
        "2024-01-18", "day", how="relative")
    assert parse_date_expression("the next day", JAN29_2024, anchor=anchor).value == "2024-01-17"
    assert parse_date_expression("a year earlier", JAN29_2024, anchor=anchor).value == "2023"
    # days counted from a year are meaningless
    assert parse_date_expression("two days later", JAN29_2024, anchor=DateValue("2019", "year")) is None


def test_dateparser_fallback_for_explicit_forms() -> None:
    got = parse_date_expression("16.01.2024", JAN29_2024)
    assert got is not None and (got.value, got.precision) == ("2024-01-16", "day")


# -------------------------------------------------------------------------------------------
# property tests
# -------------------------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
ABBR = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


Formatter = Callable[[dt.date], str]

FORMATS: list[Formatter] = [
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {d.day:02d}, {d.year}",
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{ABBR[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{MONTHS[d.month - 1][:3]} {d.day}, {d.year}",
    lambda d: d.isoformat(),
    lambda d: f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"the {_ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.month}/{d.day}/{d.year}",
    lambda d: f"on {MONTHS[d.month - 1]} {d.day} {d.year}",
]

dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 12, 31))


@settings(max_examples=300, deadline=None)
@given(d=dates, fmt=st.sampled_from(FORMATS), ahead=st.integers(0, 4000), no_base=st.booleans())
def test_explicit_formats_round_trip(d: dt.date, fmt: Formatter, ahead: int,
                                    no_base: bool) -> None:
    base = None if no_base else DateValue.of_day(d + dt.timedelta(days=ahead))
    got = parse_date_expression(fmt(d), base)
    assert got is not None
    assert (got.value, got.precision, got.end) == (d.isoformat(), "day", None)


@settings(max_examples=300, deadline=None)
@given(base=dates, offset=st.integers(-330, 31), weekday=st.booleans(), abbr=st.booleans())
def test_partial_dates_near_base_are_exact(base: dt.date, offset: int, weekday: bool, abbr: bool) -> None:
    d = base + dt.timedelta(days=offset)
    if (d.month, d.day) == (2, 29):
        return
    text = f"{(ABBR if abbr else MONTHS)[d.month - 1]} {d.day}"
    if weekday:
        text = f"{WEEKDAYS[d.weekday()]}, {text}"
    got = parse_date_expression(text, DateValue.of_day(base))
    assert got is not None and got.value == d.isoformat() and got.precision == "day"


@settings(max_examples=300, deadline=None)
@given(base=dates, month=st.integers(1, 12), dom=st.integers(1, 31))
def test_partial_dates_within_a_year_of_base(base: dt.date, month: int, dom: int) -> None:
    text = f"{MONTHS[month - 1]} {dom}"
    got = parse_date_expression(text, DateValue.of_day(base))
    try:
        dt.date(2000, month, dom)  # a leap year: does the day exist at all?
    except ValueError:
        assert got is None
        return
    assert got is not None
    resolved = got.start_date
    assert (resolved.month, resolved.day) == (month, dom)
    if (month, dom) != (2, 29):
        assert base - dt.timedelta(days=366) <= resolved <= base + dt.timedelta(days=31)


@settings(max_examples=200, deadline=None)
@given(base=dates, wd=st.integers(0, 6), rel=st.sampled_from(["", "on ", "last ", "next "]))
def test_weekdays(base: dt.date, wd: int, rel: str) -> None:
    got = parse_date_expression(f"{rel}{WEEKDAYS[wd]}", DateValue.of_day(base))
    assert got is not None and got.precision == "day"
    d = got.start_date
    assert d.weekday() == wd
    if rel == "last ":
        assert base - dt.timedelta(days=7) <= d < base
    elif rel == "next ":
        assert base < d <= base + dt.timedelta(days=7)
    else:
        assert base - dt.timedelta(days=6) <= d <= base


@settings(max_examples=200, deadline=None)
@given(base=dates, month=st.integers(1, 12))
def test_bare_month_is_most_recent_not_after_base(base: dt.date, month: int) -> None:
    got = parse_date_expression(f"in {MONTHS[month - 1]}", DateValue.of_day(base))
    assert got is not None and got.precision == "month"
    start = got.start_date
    assert start.month == month
    assert start <= base
    assert (base.year - start.year) * 12 + base.month - start.month < 12


# -------------------------------------------------------------------------------------------
# find_dates
# -------------------------------------------------------------------------------------------

SENTENCES = [
    ("Tehran said on Jan. 3 that the talks held in December 2018 had failed.", JAN13_2020,
     [("Jan. 3", "2020-01-03"), ("December 2018", "2018-12")]),
    ("The envoys will resume their duties on Jan. 26-27, respectively.", JAN29_2024,
     [("Jan. 26-27", "2024-01-26")]),
    ("In February, two dozen guards were killed, and last month the border was closed.", NOV25_2019,
     [("February", "2019-02"), ("last month", "2019-10")]),
    ("The minister arrived on Tuesday, Jan. 16, and left two days later.", JAN29_2024,
     [("Tuesday, Jan. 16", "2024-01-16"), ("two days later", "2024-01-18")]),
    ("Ties have improved since 2015-16, the ambassador said in an interview last week.", JUL26_2023,
     [("2015-16", "2015"), ("last week", "2023-07-17")]),
    ("The ministers met in Islamabad to discuss border security.", JUL26_2023, []),
    ("Theresa May may visit in May.", JUL26_2023, [("May", "2023-05")]),
    ("Some 2,000 troops and 1,500 police were deployed.", JUL26_2023, []),
]


@pytest.mark.parametrize(("sentence", "base", "expected"), SENTENCES)
def test_find_dates(sentence: str, base: DateValue, expected: list[tuple[str, str]]) -> None:
    found = find_dates(sentence, base)
    assert [(sentence[a:b], v.value) for a, b, v in found] == expected


def test_find_dates_offsets_slice_back() -> None:
    sentence = "Talks began on Jan. 5, 2020, resumed in March and ended early last year."
    found = find_dates(sentence, JUL26_2023)
    spans = [sentence[a:b] for a, b, _ in found]
    assert spans == ["Jan. 5, 2020", "March", "early last year"]
    for a, b, v in found:
        assert parse_date_expression(sentence[a:b], JUL26_2023) == v


def test_quoted_today_takes_the_quotes_date() -> None:
    sentence = "The minister tweeted Jan. 3: “We spoke today about the crisis.”"
    found = find_dates(sentence, JAN13_2020)
    assert [v.value for _, _, v in found] == ["2020-01-03", "2020-01-03"]


@settings(max_examples=150, deadline=None)
@given(d=dates, fmt=st.sampled_from(FORMATS), prefix=st.sampled_from(["Talks were held ", "On ", "x "]),
       suffix=st.sampled_from([".", ", officials said.", " in Tehran."]))
def test_find_dates_offsets_property(d: dt.date, fmt: Formatter, prefix: str, suffix: str) -> None:
    expression = fmt(d)
    sentence = prefix + expression + suffix
    found = find_dates(sentence, DateValue.of_day(dt.date(2031, 1, 1)))
    assert len(found) == 1
    a, b, value = found[0]
    assert value.value == d.isoformat()
    assert sentence[a:b] in expression  # "on" is not part of the span
    assert sentence[a:b].endswith(str(d.year)) or sentence[a:b] == d.isoformat()


# -------------------------------------------------------------------------------------------
# date_for_event
# -------------------------------------------------------------------------------------------


def _event_date(sentence: str, trigger: str, base: DateValue,
                entities: list[tuple[int, int, str]] | None = None) -> str | None:
    got = date_for_event(sentence, sentence.index(trigger), base, entities)
    return None if got is None else got.value


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Khan, who visited in July, met Rouhani on Jan. 19 in Tehran.", "met", "2024-01-19"),
        ("Khan, who visited in July, met Rouhani on Jan. 19 in Tehran.", "visited", "2023-07"),
        ("On Jan. 16, Iran launched missiles and Pakistan retaliated on Jan. 18.", "launched", "2024-01-16"),
        ("On Jan. 16, Iran launched missiles and Pakistan retaliated on Jan. 18.", "retaliated",
         "2024-01-18"),
        ("Iran struck on Jan. 16, and Pakistan retaliated two days later.", "retaliated", "2024-01-18"),
        ("Iran struck on Jan. 16, and Pakistan retaliated two days later.", "struck", "2024-01-16"),
        ("On Jan. 16, the ministry said the army struck targets on Jan. 15.", "said", "2024-01-16"),
        ("On Jan. 16, the ministry said the army struck targets on Jan. 15.", "struck", "2024-01-15"),
        ("Arriving in Tehran Jan. 13, the minister presented a proposal.", "presented", "2024-01-13"),
        ("The army chief visited Tehran in 2019 and again last week.", "visited", "2019"),
    ],
)
def test_date_for_event(sentence: str, trigger: str, expected: str) -> None:
    assert _event_date(sentence, trigger, JAN29_2024) == expected


def test_date_for_event_undated_sentence_is_none() -> None:
    assert _event_date("The two ministers met in Islamabad.", "met", JAN29_2024) is None
    # a date only inside a relative clause about another event is not the trigger's
    assert _event_date("Khan, who visited Tehran in July, criticised Iran.", "criticised", JAN29_2024) is None


def test_date_for_event_uses_spacy_entities() -> None:
    sentence = "The ministers met on the sixteenth of January 2023 in Rawalpindi."
    start = sentence.index("the sixteenth")
    end = sentence.index(" in Rawalpindi")
    # our rules see "January 2023"; an entity overlapping it is ignored, one elsewhere is added
    assert _event_date(sentence, "met", JAN29_2024, [(start, end, sentence[start:end])]) == "2023-01"
    plain = "The ministers met in recent days."
    ent = plain.index("recent days")
    assert _event_date(plain, "met", JAN29_2024, [(ent, ent + 11, "recent days")]) is None
    assert _event_date(plain, "met", JAN29_2024, [(ent, ent + 11, "Jan. 27")]) == "2024-01-27"
    # "the weekend" is one of our own expressions: the Saturday and Sunday before the base
    weekend = "The ministers met at the weekend."
    assert _event_date(weekend, "met", JAN29_2024) == "2024-01-27"


# -------------------------------------------------------------------------------------------
# article_reference_date
# -------------------------------------------------------------------------------------------


def test_reference_date_prefers_published() -> None:
    published = DateValue("2019-11-25", "day", how="article")
    assert article_reference_date(published, "Written on Jan. 29, 2024.") is published


def test_reference_date_inferred_from_latest_full_date() -> None:
    text = ("Ties and mediation\nThe army chief meets the minister in Rawalpindi, Jan. 29, 2024. (Photo)\n"
            "The strike of Jan. 16 followed talks held on 12 March 2022 and in 2023.")
    got = article_reference_date(None, text)
    assert got == DateValue("2024-01-29", "day", how="inferred")


def test_reference_date_none_without_full_date() -> None:
    assert article_reference_date(None, "Talks were held last month and in 2019, in May.") is None


# -------------------------------------------------------------------------------------------
# the data file
# -------------------------------------------------------------------------------------------


def test_bundled_lexicon_is_valid() -> None:
    lex = load_date_lexicon()
    assert lex.months["sept"] == 9 and lex.weekdays["sunday"] == 6
    assert default_date_rules() is default_date_rules()


def _bundled_text() -> str:
    return Path(load_date_lexicon().source).read_text(encoding="utf-8")


def _bundled_variant(tmp_path: Path, old: str, new: str) -> Path:
    """The bundled dates.yaml with ``old`` replaced by ``new``, written to a temporary file."""
    text = _bundled_text()
    assert old in text
    path = tmp_path / "dates.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_custom_lexicon_adds_words(tmp_path: Path) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(_bundled_text().replace("  tomorrow: 1\n", "  tomorrow: 1\n  overmorrow: 2\n"),
                    encoding="utf-8")
    rules = load_date_rules(path)
    assert parse_date_expression("overmorrow", JAN13_2020, rules=rules).value == "2020-01-15"
    assert parse_date_expression("overmorrow", JAN13_2020) is None


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("version: 1", "version: 7", "unsupported or missing 'version'"),
        ("  12: [december, dec]\n", "", "every number 1..12"),
        ("  yesterday: -1", "  yesterday: many", "day_words"),
        ("  fall: [9, 11]", "  fall: [9]", "seasons"),
        ("months:", "months: [", "not valid YAML"),
    ],
)
def test_bad_lexicon_raises(tmp_path: Path, old: str, new: str, problem: str) -> None:
    with pytest.raises(DataFileError, match=problem):
        load_date_lexicon(_bundled_variant(tmp_path, old, new))


def test_missing_lexicon_raises(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read"):
        load_date_lexicon(tmp_path / "nope.yaml")


# -------------------------------------------------------------------------------------------
# dates from the context (events whose sentence gives no date)
# -------------------------------------------------------------------------------------------

MONTH_2024_01 = DateValue("2024-01", "month", how="article")


def _ctx(tense: str, sentence: str = "The minister met his counterpart.",
         base: DateValue | None = JAN29_2024, previous: DateValue | None = None,
         coreferent: DateValue | None = None) -> tuple[str, str, str] | None:
    got = context_date(tense, sentence, base, previous=previous, coreferent=coreferent)
    return None if got is None else (got.value, got.precision, got.how)


@pytest.mark.parametrize(
    ("tense", "expected"),
    [
        ("present-perfect", ("2024-01-29", "day", "reporting-time")),
        ("past", ("2024-01-29", "day", "reporting-time")),
        ("present", ("2024-01-29", "day", "reporting-time")),
        ("future", ("2024-01-29", "day", "reporting-time")),  # "said it would reopen": an intention
        ("modal", ("2024-01-29", "day", "reporting-time")),
        ("past-perfect", ("2024-01", "month", "context")),  # before the story: the report's month
        ("none", None),
    ],
)
def test_reporting_time_by_tense(tense: str, expected: tuple[str, str, str] | None) -> None:
    assert _ctx(tense) == expected


def test_reporting_time_needs_a_base_and_follows_its_precision() -> None:
    assert _ctx("past", base=None) is None
    assert _ctx("past", base=MONTH_2024_01) == ("2024-01", "month", "reporting-time")
    assert _ctx("past", base=DateValue("2024", "year")) == ("2024", "year", "reporting-time")
    # a base inferred from the text's latest date is no report's day: its month
    inferred = DateValue("2024-01-29", "day", how="inferred")
    assert _ctx("past", base=inferred) == ("2024-01", "month", "reporting-time")


def test_background_sentence_gets_no_context_date() -> None:
    for sentence in ("Historically, the two armies trained together.",
                     "The neighbours have quarrelled over the border for decades.",
                     "Iran previously accused Pakistan of sheltering militants."):
        assert _ctx("past", sentence, previous=day("2024-01-27")) is None


def test_an_undated_event_of_a_dated_report_is_of_the_reports_day() -> None:
    # news convention: a reaction told after an event of two days before is of the report's day
    assert _ctx("past", previous=day("2024-01-27")) == ("2024-01-29", "day", "reporting-time")
    assert _ctx("past", previous=day("2023-11-02")) == ("2024-01-29", "day", "reporting-time")
    week = DateValue("2024-01-22", "day", end="2024-01-28", how="relative")
    assert _ctx("past", previous=week) == ("2024-01-29", "day", "reporting-time")
    # the story stands at the report's day: the narrative takes it from the event before
    assert _ctx("past", previous=JAN29_2024) == ("2024-01-29", "day", "context")
    # a base without a day: its month
    assert _ctx("past", base=MONTH_2024_01, previous=day("2024-01-27")) == ("2024-01", "month",
                                                                              "reporting-time")


@pytest.mark.parametrize(("old", "new", "expected"), [
    # the month policy: the story's month within the window, else the report's month
    ("  reporting_precision: day\n", "  reporting_precision: month\n",
     [("2024-01", "month", "context"), ("2024-01", "month", "reporting-time")]),
    # the story's day when it lies within reporting_story_days of the report's day
    ("  reporting_story_days: -1\n", "  reporting_story_days: 2\n",
     [("2024-01-27", "day", "reporting-time"), ("2024-01-29", "day", "reporting-time")]),
])
def test_reporting_settings(tmp_path: Path, old: str, new: str, expected: list[tuple[str, str, str]]) -> None:
    rules = load_date_rules(_bundled_variant(tmp_path, old, new))
    got = [context_date("past", "The minister met his counterpart.", JAN29_2024, previous=p, rules=rules)
           for p in (day("2024-01-27"), day("2023-11-02"))]
    assert [(g.value, g.precision, g.how) for g in got if g is not None] == expected


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("  reporting_precision: day\n", "  reporting_precision: week\n", "reporting_precision"),
    ("  reporting_story_days: -1\n", "  reporting_story_days: soon\n", "reporting_story_days"),
])
def test_bad_reporting_settings_raise(tmp_path: Path, old: str, new: str, problem: str) -> None:
    with pytest.raises(DataFileError, match=problem):
        load_date_lexicon(_bundled_variant(tmp_path, old, new))


def test_back_reference_takes_the_previous_date_whatever_its_age() -> None:
    december = DateValue("2022-12", "month", how="relative")
    got = _ctx("past", "During the meeting, the general voiced his concern.", previous=december)
    assert got == ("2022-12", "month", "context")
    assert _ctx("past", "After these talks, both sides agreed to reopen the crossing.",
                previous=day("2024-01-10")) == ("2024-01-10", "day", "context")


def test_coreferent_wins_and_needs_a_single_day() -> None:
    strike = DateValue("2024-01-18", "day", how="partial")
    assert _ctx("past", coreferent=strike, previous=day("2024-01-25")) == ("2024-01-18", "day",
                                                                             "coreference")
    assert _ctx("past-perfect", coreferent=strike) == ("2024-01-18", "day", "coreference")
    assert _ctx("past-perfect", base=None) is None
    assert _ctx("past", coreferent=MONTH_2024_01) == ("2024-01-29", "day", "reporting-time")


def test_coreferent_date_matches_type_and_parties() -> None:
    strike = DateValue("2024-01-18", "day", how="partial")
    inferred = DateValue("2024-01-20", "day", how="context")
    earlier = [DatedEvent("ASSAULT", frozenset({"PAK"}), frozenset({"PAK"}), strike),
               DatedEvent("ASSAULT", frozenset({"PAK"}), frozenset({"IRN"}), inferred),
               DatedEvent("CONSULT", frozenset({"PAK"}), frozenset({"IRN"}), day("2024-01-19"))]
    # an attack by the same actor is the same attack, whatever its recipients (context-dated
    # mentions do not count)
    assert coreferent_date("ASSAULT", ["PAK"], ["IRN"], earlier) == strike
    assert coreferent_date("ASSAULT", ["IRN"], ["PAK"], earlier) is None
    # a meeting needs the same recipients too
    assert coreferent_date("CONSULT", ["PAK"], ["IRN"], earlier) == day("2024-01-19")
    assert coreferent_date("CONSULT", ["PAK"], ["SAU"], earlier) is None


def test_open_quote_day() -> None:
    prefix = "The envoy wrote on Jan. 25, \u201cthe minister and I agreed "
    assert open_quote_day(prefix, JAN29_2024).value == "2024-01-25"  # type: ignore[union-attr]
    assert open_quote_day("The envoy wrote on Jan. 25, \u201cwe agreed.\u201d Then ", JAN29_2024) is None
    assert open_quote_day('He said on Jan. 20 that "we ', JAN29_2024).value == "2024-01-20"  # type: ignore[union-attr]
    assert open_quote_day("No quotation here on Jan. 20. ", JAN29_2024) is None


def test_quote_day_resolves_relative_dates_inside_the_quotation() -> None:
    sentence = "We spoke today about the border,\u201d the envoy added."
    quote_day = day("2024-01-25")
    got = date_for_event(sentence, sentence.index("spoke"), JAN29_2024, quote_day=quote_day)
    assert got is not None and got.value == "2024-01-25"
    # outside the quotation the article's date still counts
    after = "\u201cWe agreed,\u201d the envoy said today."
    got = date_for_event(after, after.index("said"), JAN29_2024, quote_day=quote_day)
    assert got is not None and got.value == "2024-01-29"


def test_paragraph_and_previous_date() -> None:
    text = "First paragraph on Jan. 3.\n\nThe meeting was held on Jan. 27. During it, they met."
    start = text.index("During")
    prefix = paragraph_before(text, start)
    assert prefix == "The meeting was held on Jan. 27. "
    # a day written after the previous event wins over that event's date
    got = previous_date(5, day("2024-01-20"), prefix, start - len(prefix), JAN29_2024)
    assert got == DateValue("2024-01-27", "day", how="partial")
    # an event after the last written day keeps its own date
    assert previous_date(start - 2, day("2024-01-20"), prefix, start - len(prefix), JAN29_2024) == day(
        "2024-01-20")
    assert previous_date(None, None, "", 0, JAN29_2024) is None


def test_anchored_phrase_counts_from_the_previous_event() -> None:
    sentence = "On the same day, the minister met the army chief."
    assert date_for_event(sentence, sentence.index("met"), JAN29_2024) is None
    got = date_for_event(sentence, sentence.index("met"), JAN29_2024, anchor=day("2024-01-23"))
    assert got is not None and got.value == "2024-01-23"
    later = "Two days later, the envoys returned."
    got = date_for_event(later, later.index("returned"), JAN29_2024, anchor=day("2024-01-23"))
    assert got is not None and got.value == "2024-01-25"


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Pakistan recalled its envoy on Wednesday, a day after missiles and drones hit a town.", "hit",
         "2024-01-23"),
        ("Pakistan recalled its envoy on Wednesday, a day after missiles and drones hit a town.",
         "recalled", "2024-01-24"),
        ("The talks ended on Jan. 10, two days before the envoys met again.", "met", "2024-01-12"),
        # the phrase names its date: the event is N units from it
        ("The Qatari envoy flew to Kigali a day after the January 14 signing.", "flew", "2024-01-15"),
        ("Rebels shelled the town two days before the Jan. 20 election.", "shelled", "2024-01-18"),
        ("Three days after the January 3 vote, the opposition staged a sit-in.", "staged", "2024-01-06"),
        # a date of the event's own wins
        ("Three days after the January 3 vote, the opposition staged a sit-in on Sunday.", "staged",
         "2024-01-28"),
        ("Police detained the candidate on Friday, a day after the January 14 rally.", "detained",
         "2024-01-26"),
        ("The January 14 signing came a day after talks in Doha.", "signing", "2024-01-14"),
    ],
)
def test_offset_clause(sentence: str, trigger: str, expected: str) -> None:
    assert _event_date(sentence, trigger, JAN29_2024) == expected


def test_offset_clause_uses_the_anchor_without_an_earlier_date() -> None:
    sentence = "The raid came one day after militants ambushed a convoy."
    got = date_for_event(sentence, sentence.index("ambushed"), JAN29_2024, anchor=day("2024-01-16"))
    assert got is not None and got.value == "2024-01-15"


def test_attachment_overrides_distance() -> None:
    sentence = "The general arrived on Sunday for his first visit since taking command in November."
    trigger = sentence.index("visit")
    # without the parse the nearest date wins
    assert date_for_event(sentence, trigger, JAN29_2024).value == "2023-11"  # type: ignore[union-attr]
    sunday, november = sentence.index("Sunday"), sentence.index("November")

    def parse(start: int, end: int) -> int:
        return {sunday: 2, november: -1}.get(start, 0)

    assert date_for_event(sentence, trigger, JAN29_2024, attachment=parse).value == "2024-01-28"  # type: ignore[union-attr]


def test_attachment_keeps_a_date_the_relative_clause_regex_cuts_off() -> None:
    sentence = "The premier flew to Riyadh, where on Tuesday, Jan. 16, he met the king."
    trigger = sentence.index("met")
    start = sentence.index("Tuesday")
    assert date_for_event(sentence, trigger, JAN29_2024) is None
    got = date_for_event(sentence, trigger, JAN29_2024, attachment=lambda s, e: 2 if s == start else 0)
    assert got is not None and got.value == "2024-01-16"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("  reporting_tenses: [past, present, present-perfect, future, modal]",
         "  reporting_tenses: [past, someday]", "reporting_tenses"),
        ("  window_days: 31", "  window_days: -4", "window_days"),
        ("  coreference_by_actor: [ASSAULT, COERCE, MOBILIZE]", "  coreference_by_actor: 7",
         "coreference_by_actor"),
        ("    prepositions: [during,", "    verbs: [during,", "back_reference"),
        ("\ncontext:\n", "\ncontexts:\n", "missing section 'context'"),
    ],
)
def test_bad_context_section_raises(tmp_path: Path, old: str, new: str, problem: str) -> None:
    with pytest.raises(DataFileError, match=problem):
        load_date_lexicon(_bundled_variant(tmp_path, old, new))


# --- the clause that holds the event (issue 12) --------------------------------------------

CLAUSE_BASE = DateValue("2025-05-14", "day", how="given")  # a Wednesday


@pytest.mark.parametrize(("sentence", "trigger", "expected"), [
    # a limit is not the event's date
    ("The two sides agreed to a ceasefire until Sunday, May 18.", "agreed", None),
    ("The two sides agreed on Monday to a ceasefire until Sunday, May 18.", "agreed", "2025-05-12"),
    # a relative or subordinate clause that does not hold the trigger
    ("Israel and Hamas agreed a ceasefire on Wednesday, ending a war that began in October 2023.",
     "agreed", "2025-05-14"),
    ("The agreement ends a war that began in October 2023.", "ends", None),
    ("Since the truce took effect on April 1, the army has shelled the area daily.", "shelled", None),
    ("The strike came after talks collapsed on May 2.", "strike", None),
    # but a phrase is not a clause: "after midnight on Monday" still dates the event
    ("Gunmen attacked the post after midnight on Monday.", "attacked", "2025-05-12"),
    # a dateline at the head of the sentence dates the report, not the event
    ("BAGHDAD, Iraq, May 14, 2025 — Police arrested 14 people in Basra on Sunday.", "arrested",
     "2025-05-11"),
])
def test_the_date_of_the_clause_that_holds_the_event(sentence: str, trigger: str,
                                                     expected: str | None) -> None:
    got = date_for_event(sentence, sentence.index(trigger), CLAUSE_BASE)
    assert (got.value if got else None) == expected


def test_the_day_before_counts_from_the_story() -> None:
    anchor = DateValue("2025-05-12", "day", how="relative")
    s = "Police said they had arrested two suspects the day before."
    got = date_for_event(s, s.index("arrested"), CLAUSE_BASE, anchor=anchor)
    assert got is not None and got.value == "2025-05-11" and got.precision == "day"
    s2 = "Officials said troops withdrew the day after."
    got2 = date_for_event(s2, s2.index("withdrew"), CLAUSE_BASE, anchor=anchor)
    assert got2 is not None and got2.value == "2025-05-13"
