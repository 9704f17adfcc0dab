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


def test_present_perfect_is_the_day_of_writing_past_perfect_the_month(pipeline: Pipeline) -> None:
    events = _events(pipeline, "Pakistan has offered to mediate between Iran and Saudi Arabia.\n\n"
                               "Iran had accused Pakistan of sheltering militants.", "2023-05-20")
    assert _date(_find(events, "CONSULT", "mediate")) == ("2023-05-20", "day", "reporting-time")
    # before the story, at a time the text does not give: the report's month
    assert _date(_find(events, "ACCUSE", "accused")) == ("2023-05", "month", "context")


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
    # the story is two days old: by news convention the undated agreement is of the report's day
    assert _date(agreed) == ("2023-05-24", "day", "reporting-time")
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


# --- undated documents dated from linked reports (detente.link.infer_dates) ----------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from detente.link import EventMention, load_plover_table  # noqa: E402
from detente.link.infer_dates import INFERRED_HOW, infer_document_dates  # noqa: E402
from detente.model import DateValue  # noqa: E402


def _mention(event_id: str, doc: str, text: str, trigger: str, date: DateValue | None, *,
             event: str = "CONSULT", actors: tuple[str, ...] = ("KEN",),
             recipients: tuple[str, ...] = ("SOM",), actor_ids: tuple[str, ...] = ("person:ruto",),
             recipient_ids: tuple[str, ...] = ("person:mohamud",)) -> EventMention:
    return EventMention(event_id=event_id, doc_id=doc, sentence_index=0, trigger_start=text.index(trigger),
                        text=text, event=event, mode=None, trigger=trigger, date=date, place=None,
                        goldstein=None, quad=None, negated=False, hypothetical=False, actors=actors,
                        recipients=recipients,
                        mediators=(), published="2025-03-06" if date else None, source=None,
                        actor_ids=actor_ids, recipient_ids=recipient_ids)


def test_undated_document_takes_its_dates_from_linked_reports() -> None:
    met = DateValue("2025-03-04", "day", how="relative")
    mentions = [
        _mention("d1", "dated", "President Ruto met President Mohamud in Nairobi on Tuesday.", "met", met),
        _mention("u1", "undated", "Ruto met Mohamud to discuss the border.", "met", None),
        _mention("u2", "undated", "Troops crossed into Gedo on March 2, officials said.", "crossed", None,
                 event="MOBILIZE", actor_ids=(), recipient_ids=()),
        _mention("u3", "undated", "Kenya has pledged to support the mission.", "pledged", None,
                 event="SUPPORT", actor_ids=(), recipient_ids=()),
        _mention("u4", "undated", "The two leaders had clashed over the maritime border.", "clashed", None,
                 event="ACCUSE", actor_ids=(), recipient_ids=()),
        _mention("u5", "undated", "Kenya has repeatedly accused Somalia of hosting militants.", "accused",
                 None, event="ACCUSE", actor_ids=(), recipient_ids=()),
    ]
    new, docs = infer_document_dates(mentions, load_plover_table(), undated={"undated"},
                                     sentence_starts={m.event_id: 0 for m in mentions})
    assert [d.doc_id for d in docs] == ["undated"]
    assert (docs[0].first.isoformat(), docs[0].published.value, docs[0].published.precision) == \
        ("2025-03-04", "2025-03", "month")
    assert all(v.how == INFERRED_HOW for v in new.values())
    assert (new["u1"].value, new["u1"].precision) == ("2025-03-04", "day")  # the linked report's day
    assert (new["u2"].value, new["u2"].precision) == ("2025-03-02", "day")  # its own day, year completed
    assert (new["u3"].value, new["u3"].precision) == ("2025-03", "month")  # the time of writing
    assert "u4" not in new and "u5" not in new  # past perfect; a background marker
    assert "d1" not in new


def test_no_linked_report_no_inferred_date() -> None:
    mentions = [_mention("u1", "undated", "Ruto met Mohamud.", "met", None),
                _mention("d1", "dated", "Ruto met Abiy in Addis Ababa on Tuesday.", "met",
                         DateValue("2025-03-04", "day"), recipient_ids=("person:abiy",), recipients=("ETH",))]
    new, docs = infer_document_dates(mentions, load_plover_table(), undated={"undated"},
                                     sentence_starts={"u1": 0, "d1": 0})
    assert new == {} and docs == []


def test_ingest_dates_an_undated_article_from_a_dated_one(tmp_path: Path) -> None:
    from detente.batch import ingest
    from detente.store import Store

    quote = ("“Pakistan urges Iran and Afghanistan to show restraint and to resolve their differences "
             "through dialogue,” the minister said.")
    (tmp_path / "dated.txt").write_text(
        "Pakistan urges calm\n\nISLAMABAD, March 6, 2025 — Pakistan's foreign minister spoke to reporters "
        f"on Tuesday. {quote}\n", encoding="utf-8")
    (tmp_path / "undated.txt").write_text(
        "A neighbour's worry\n\nPakistan's foreign minister sent a message to Tehran and Kabul. "
        f"{quote}\n\nPakistan's foreign minister met Iran's ambassador to discuss the border.\n",
        encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        ingest([tmp_path], store)
        docs = store.sql("SELECT path, published, published_how, found FROM documents ORDER BY path")
        rows = store.sql("SELECT e.date, e.date_how FROM events e JOIN documents d USING (doc_id) "
                         "WHERE d.path LIKE '%undated.txt' AND e.date IS NOT NULL")
    undated = docs[docs["path"].str.endswith("undated.txt")].iloc[0]
    found = json.loads(undated["found"]) if isinstance(undated["found"], str) else undated["found"]
    assert not isinstance(undated["published"], str)  # NULL: the document gives no date of its own
    assert found["published_inferred"] == "2025-03" and found["published_inferred_how"] == INFERRED_HOW
    # the undated report's events are dated from its linked report: the quote by the day the dated
    # report gives it (its day of writing), the others by the month of writing that day implies
    assert len(rows) >= 2 and set(rows["date_how"]) == {INFERRED_HOW}
    assert set(rows["date"]) == {"2025-03-06", "2025-03"}
