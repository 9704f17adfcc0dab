"""The date of the clause that holds the event: dates naming another happening, limit words."""

from __future__ import annotations

from typing import Any

import pytest

from detente.dates import date_for_event
from detente.dates.event_dating import attributive_span
from detente.model import DateValue

MON_JAN29_2024 = DateValue("2024-01-29", "day", how="given")


def _event_date(sentence: str, trigger: str, base: DateValue = MON_JAN29_2024) -> str | None:
    got = date_for_event(sentence, sentence.index(trigger), base)
    return None if got is None else got.value


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        # a date premodifying a noun names that noun's happening
        ("The envoy condemned the raid and recalled the January 12 bombing.", "condemned", None),
        ("The envoy condemned the raid and recalled the January 12 bombing.", "bombing", "2024-01-12"),
        ("On Monday the minister criticised the 2019 agreement.", "criticised", "2024-01-29"),
        ("Rebels rejected Saturday's peace conference in the capital.", "rejected", None),
        ("Rebels rejected Saturday's peace conference in the capital.", "conference", "2024-01-27"),
        # an ordinary date after a determiner-less preposition is the event's
        ("The minister criticised the agreement on January 12.", "criticised", "2024-01-12"),
        # a date after "from" is when something starts, not the day it was decided
        ("The port will reopen to shipping from Saturday, officials said on Friday.", "reopen", "2024-01-26"),
    ],
)
def test_the_clause_that_holds_the_event(sentence: str, trigger: str, expected: str | None) -> None:
    assert _event_date(sentence, trigger) == expected


def test_attributive_span() -> None:
    text = "They marked the March 3 vote in silence."
    start = text.index("the March")
    end = text.index(" vote")
    assert attributive_span(text, start, end) == (end, text.index(" in silence"))
    plain = "They voted on March 3 in silence."
    assert attributive_span(plain, plain.index("March"), plain.index(" in")) is None


@pytest.mark.parametrize(
    ("sentence", "value", "end"),
    [
        ("Farmers blocked the highway at the weekend.", "2024-01-27", "2024-01-28"),
        ("Farmers blocked the highway last weekend.", "2024-01-27", "2024-01-28"),
        ("The navy intercepted five boats over the past 48 hours.", "2024-01-27", "2024-01-29"),
        ("Rescuers pulled 40 people from the rubble in the last three days.", "2024-01-26", "2024-01-29"),
    ],
)
def test_weekend_and_recent_spans(sentence: str, value: str, end: str) -> None:
    got = date_for_event(sentence, 0, MON_JAN29_2024)
    assert got is not None and (got.value, got.precision, got.end) == (value, "day", end)


def test_weekend_of_a_sunday_report_is_its_own() -> None:
    sunday = DateValue("2024-01-28", "day", how="given")
    got = date_for_event("Crowds gathered at the weekend.", 0, sunday)
    assert got is not None and (got.value, got.end) == ("2024-01-27", "2024-01-28")


def test_the_night_before_counts_from_the_sentences_date() -> None:
    sentence = "Polls opened on Sunday, after the cabinet approved the budget the night before."
    assert _event_date(sentence, "approved") == "2024-01-27"


def test_a_planned_happening_in_another_clause_does_not_date_the_event(pipeline: Any) -> None:
    # "would reopen on Friday" is the plan's day; the agreement is of the report's day
    text = ("Armenia and Azerbaijan agreed that the border crossing would reopen on Friday, "
            "officials said.")
    events = pipeline.process_text(text, "2024-01-29").events
    agreed = [e for e in events if e.trigger == "agreed"]
    assert agreed, [(e.event, e.trigger) for e in events]
    assert agreed[0].date is not None and agreed[0].date.value == "2024-01-29"


def test_a_date_inside_a_noun_phrase_of_the_object_loses_to_the_verbs_own(pipeline: Any) -> None:
    text = "A Lahore court on Thursday jailed six men from Pakistan for a bombing at a market in 2018."
    events = pipeline.process_text(text, "2024-02-01").events
    jailed = [e for e in events if e.trigger == "jailed"]
    assert jailed, [(e.event, e.trigger) for e in events]
    assert jailed[0].date is not None and jailed[0].date.value == "2024-02-01"


def test_a_gerund_after_a_preposition_keeps_its_own_date(pipeline: Any) -> None:
    text = "Kenya thanked Uganda for hosting two rounds of talks in 2021."
    events = pipeline.process_text(text, "2024-02-01").events
    thanked = [e for e in events if e.trigger == "thanked"]
    assert thanked, [(e.event, e.trigger) for e in events]
    assert thanked[0].date is not None and thanked[0].date.value == "2024-02-01"


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Soldiers have detained 400 people since March.", "detained", ("2024-03", "month", "2025-01")),
        ("Soldiers have detained 400 people since mid-March.", "detained", ("2024-03", "month", "2025-01")),
        ("Rebels have shelled the town since Jan. 12.", "shelled", ("2025-01-12", "day", "2025-01-20")),
        # a clause opened by "since" belongs to its own verb: nothing for the event
        ("Since the truce took effect on Jan. 12, rebels have shelled the town.", "shelled", None),
    ],
)
def test_since_a_date_runs_to_the_report(sentence: str, trigger: str,
                                         expected: tuple[str, str, str] | None) -> None:
    got = date_for_event(sentence, sentence.index(trigger), DateValue("2025-01-20", "day", how="given"))
    assert (None if got is None else (got.value, got.precision, got.end)) == expected


def test_a_physical_action_told_after_yesterdays_event_is_of_that_day() -> None:
    from detente.dates import context_date

    base = DateValue("2024-01-29", "day", how="given")
    raid = DateValue("2024-01-28", "day", how="relative")
    # "Police raided a compound on Sunday. The gunmen fired at the officers."
    shot = context_date("past", "The gunmen fired at the officers.", base, previous=raid, event="ASSAULT")
    assert shot is not None and (shot.value, shot.how) == ("2024-01-28", "context")
    # a statement is of the report's day; so is any event when the caller gives no type
    said = context_date("past", "The minister condemned the raid.", base, previous=raid, event="ACCUSE")
    assert said is not None and said.value == "2024-01-29"
    untyped = context_date("past", "The gunmen fired at the officers.", base, previous=raid)
    assert untyped is not None and untyped.value == "2024-01-29"
    # two days before the report is too far
    older = DateValue("2024-01-27", "day", how="relative")
    late = context_date("past", "The gunmen fired at the officers.", base, previous=older, event="ASSAULT")
    assert late is not None and late.value == "2024-01-29"


def test_before_the_meeting_refers_back_to_it() -> None:
    from detente.dates import context_date

    base = DateValue("2024-01-29", "day", how="given")
    talks = DateValue("2024-01-28", "day", how="relative")
    got = context_date("past", "The host received both delegations before their meeting.", base,
                       previous=talks)
    assert got is not None and (got.value, got.how) == ("2024-01-28", "context")


def test_a_coordinated_noun_phrase_keeps_its_date() -> None:
    sentence = "The visit followed the March 3 rocket and drone strikes on the port."
    assert _event_date(sentence, "strikes") == "2023-03-03"
    assert _event_date(sentence, "visit") is None


def test_a_week_earlier_than_a_day_is_a_day() -> None:
    anchor = DateValue("2024-01-27", "day", how="relative")
    got = date_for_event("A week earlier, farmers had blocked the road.", 0, MON_JAN29_2024, anchor=anchor)
    assert got is not None and (got.value, got.end) == ("2024-01-20", None)
    # after a month, a week earlier is unrecoverable as before
    month = DateValue("2024-01", "month", how="relative")
    text = "A week earlier, farmers had blocked the road."
    assert date_for_event(text, 0, MON_JAN29_2024, anchor=month) is None
