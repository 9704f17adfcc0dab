"""Dates and places of events on whole short texts run through the Pipeline (the parse, the
previous event, the time of writing); the rules are in detente.dates and detente.places."""

from __future__ import annotations

from typing import Any

import pytest

from detente.model import Event
from detente.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load()


def _events(pipeline: Pipeline, text: str, published: str | None) -> list[Event]:
    return pipeline.process_text(text, published).events


def _find(events: list[Event], event: str, trigger: str) -> Event:
    found = [e for e in events if e.event == event and e.trigger == trigger]
    assert found, f"no {event} {trigger!r} among {[(e.event, e.trigger) for e in events]}"
    return found[0]


def _date(ev: Event) -> tuple[Any, ...] | None:
    return None if ev.date is None else (ev.date.value, ev.date.precision, ev.date.how)


def test_present_perfect_is_the_month_of_writing_past_perfect_is_undated(pipeline: Pipeline) -> None:
    events = _events(pipeline, "Pakistan has offered to mediate between Iran and Saudi Arabia.\n\n"
                               "Iran had accused Pakistan of sheltering militants.", "2023-05-20")
    assert _date(_find(events, "CONSULT", "mediate")) == ("2023-05", "month", "reporting-time")
    assert _find(events, "ACCUSE", "accused").date is None


def test_undated_article_dates_nothing_from_the_context(pipeline: Pipeline) -> None:
    events = _events(pipeline, "Pakistan has offered to mediate between Iran and Saudi Arabia.", None)
    assert _find(events, "CONSULT", "mediate").date is None


def test_the_same_day_counts_from_the_previous_event_and_keeps_its_place(pipeline: Pipeline) -> None:
    events = _events(pipeline, "Pakistan's foreign minister arrived in Tehran on Saturday for talks.\n\n"
                               "On the same day, Pakistan's foreign minister met President Ebrahim Raisi.",
                     "2023-05-22")
    arrived, met = _find(events, "CONSULT", "arrived"), _find(events, "CONSULT", "met")
    assert _date(arrived) == ("2023-05-20", "day", "relative")
    assert _date(met) == ("2023-05-20", "day", "relative")
    assert arrived.place is not None and arrived.place.name == "Tehran"
    assert met.place is not None and met.place.name == "Tehran" and met.place.char_start is None


def test_narrative_past_continues_the_story(pipeline: Pipeline) -> None:
    events = _events(pipeline, "Iran's foreign minister visited Islamabad on Monday.\n\n"
                               "The two ministers agreed to reopen border markets.", "2023-05-24")
    assert _date(_find(events, "CONSULT", "visited")) == ("2023-05-22", "day", "relative")
    agreed = _find(events, "AGREE", "agreed")
    assert _date(agreed) == ("2023-05", "month", "context")  # the story's month, not a guessed day
    assert agreed.place is not None and agreed.place.name == "Islamabad"


def test_parse_picks_the_date_of_the_triggers_clause(pipeline: Pipeline) -> None:
    text = ("Pakistan's army chief arrived in Tehran on Sunday for his first visit to Iran since taking "
            "command in March.")
    events = _events(pipeline, text, "2023-05-24")
    assert events
    for ev in events:
        assert _date(ev) == ("2023-05-21", "day", "relative")


def test_quotation_continued_from_the_previous_sentence(pipeline: Pipeline) -> None:
    text = ("The ministry said on May 2, \u201cPakistan and Iran agreed. The two countries signed a trade "
            "deal today. They will meet again.\u201d")
    events = _events(pipeline, text, "2023-05-24")
    assert _date(_find(events, "AGREE", "signed")) == ("2023-05-02", "day", "relative")


def test_a_strike_mentioned_again_keeps_its_date(pipeline: Pipeline) -> None:
    events = _events(pipeline, "Iranian drones struck militant camps in Pakistan on May 16.\n\n"
                               "Pakistan's army chief met Afghan officials in Kabul on May 20.\n\n"
                               "Iran attacked Pakistan without warning.", "2023-05-24")
    assert _date(_find(events, "ASSAULT", "attacked")) == ("2023-05-16", "day", "coreference")


def test_back_reference_takes_an_old_date(pipeline: Pipeline) -> None:
    text = ("Iran's ambassador met Pakistan's army chief in Rawalpindi in December 2022.\n\n"
            "During the meeting, Pakistan's army chief praised Iran.")
    events = _events(pipeline, text, "2023-07-26")
    assert _date(_find(events, "SUPPORT", "praised")) == ("2022-12", "month", "context")


@pytest.mark.parametrize(
    ("text", "published", "event", "trigger", "place"),
    [
        ("Pakistani jets struck hideouts near Saravan, in Iran's Sistan-Baluchistan province, on Thursday.",
         "2024-01-19", "ASSAULT", "struck", "Saravan"),
        ("Diplomats in Islamabad said Pakistan's prime minister had met Iran's foreign minister in Davos.",
         "2024-01-19", "CONSULT", "met", "Davos"),
        ("A US drone strike near Baghdad's international airport killed an Iranian general on Jan. 3.",
         "2020-01-09", "ASSAULT", "strike", "Baghdad"),  # "the strike killed X" is the strike's event
        ("The Iranian minister drove to Rawalpindi, where he met Pakistan's army chief.", "2024-01-30",
         "CONSULT", "met", "Rawalpindi"),
        ("Iranian drones struck militant camps in Pakistan on May 16.", "2023-05-24", "ASSAULT", "struck",
         "Pakistan"),
    ],
)
def test_event_places(pipeline: Pipeline, text: str, published: str, event: str, trigger: str,
                      place: str) -> None:
    ev = _find(_events(pipeline, text, published), event, trigger)
    assert ev.place is not None and ev.place.name == place


def test_participant_without_a_cue_is_no_place(pipeline: Pipeline) -> None:
    ev = _find(_events(pipeline, "Tehran accused Islamabad of harbouring militants.", "2024-01-19"),
               "ACCUSE", "accused")
    assert ev.place is None
