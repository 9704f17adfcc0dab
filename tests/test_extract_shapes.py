"""Sentence shapes the extractor must read: a dateline parsed as a second subject, sides named
in a coordinated modifier, domestic events with no recipient named, and past events recalled
in a relative clause (background, not reported)."""

from __future__ import annotations

from typing import Any

import pytest

from builders import happened


def _coded(pipeline: Any, text: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    return [(e.event, tuple(str(a.code) for a in e.actor), tuple(str(r.code) for r in e.recipient))
            for e in happened(pipeline, text)]


@pytest.mark.parametrize(("text", "want"), [
    ("LIMA, June 3 (Andes Desk) — Peru and Chile agreed on Monday to reopen their border crossings.",
     ("AGREE", ("PER",), ("CHL",))),
    ("Kenyan and Somali negotiators held a third round of talks in Nairobi on Friday.",
     ("CONSULT", ("KEN",), ("SOM",))),
    ("Senior Indian and Chinese officials met in Beijing on Tuesday.", ("CONSULT", ("IND",), ("CHN",))),
], ids=["dateline-subject", "coordinated-demonyms-talks", "coordinated-demonyms-met"])
def test_both_sides_found(pipeline: Any, text: str,
                          want: tuple[str, tuple[str, ...], tuple[str, ...]]) -> None:
    got = _coded(pipeline, text)
    assert any(t == want[0] and set(a) | set(r) == set(want[1]) | set(want[2]) for t, a, r in got), got


@pytest.mark.parametrize(("text", "etype", "code"), [
    ("Peru's Prime Minister Gustavo Adrianzen resigned on Tuesday.", "CONCEDE", "PER"),
    ("Ecuadorian police detained 40 people on Sunday.", "COERCE", "ECU"),
], ids=["resigned", "detained"])
def test_domestic_event_takes_the_actors_country(pipeline: Any, text: str, etype: str, code: str) -> None:
    events = [e for e in pipeline.process_text(text).events if e.event == etype]
    assert events, text
    assert all(r.code == code for r in events[0].recipient) and events[0].recipient


@pytest.mark.parametrize(("text", "etype", "code", "sector"), [
    ("Peru's Prime Minister Gustavo Adrianzen resigned on Tuesday.", "CONCEDE", "PER", "CVL"),
    ("The Bolivian interior minister lifted the curfew in Cochabamba on Friday.", "RETREAT", "BOL", "CVL"),
], ids=["resigned-public", "lifted-public"])
def test_domestic_recipient_sector_by_type(pipeline: Any, text: str, etype: str, code: str,
                                           sector: str) -> None:
    """A leader who resigns or a minister who lifts a curfew yields to the country's public (CVL);
    other domestic types keep the bare country (data/generic_actors.yaml, domestic_recipient)."""
    events = [e for e in pipeline.process_text(text).events if e.event == etype]
    assert events, text
    rec = [r for r in events[0].recipient if r.country_how == "no-recipient:actor"]
    assert [(r.code, r.sector) for r in rec] == [(code, sector)], events[0].recipient


def test_no_domestic_recipient_when_another_country_is_named(pipeline: Any) -> None:
    text = "Peru's foreign minister Elmer Schialer rejected the proposal from Chile."
    events = pipeline.process_text(text).events
    rejects = [e for e in events if e.event == "REJECT"]
    assert not any(r.code == "PER" for e in rejects for r in e.recipient), rejects


def test_state_named_as_itself_keeps_no_domestic_recipient(pipeline: Any) -> None:
    events = pipeline.process_text("Peru rejected the proposal on Monday.").events
    assert not any(r.code == "PER" for e in events for r in e.recipient), events


@pytest.mark.parametrize(("text", "etype"), [
    ("Lawmakers shelved the fuel tax that had triggered the protests in Quito.", "PROTEST"),
    ("Kuwait, which had joined the boycott of Qatar, reopened its airspace.", "PROTEST"),
], ids=["had-triggered", "which-had-joined"])
def test_recalled_event_is_background(pipeline: Any, text: str, etype: str) -> None:
    assert not any(t == etype for t, _, _ in _coded(pipeline, text))


def test_reported_protest_is_kept(pipeline: Any) -> None:
    got = _coded(pipeline, "Thousands of protesters rallied in Quito against the fuel tax on Monday.")
    assert any(t == "PROTEST" for t, _, _ in got), got


MEDIATED = ("Ethiopia and Eritrea held talks in Nairobi on Sunday, mediated by Kenya. Kenya's foreign "
            "minister Musalia Mudavadi praised the talks. Kenyan officials said the two countries had agreed "
            "to a prisoner exchange.")


def test_mediator_is_not_one_of_the_two_countries(pipeline: Any) -> None:
    agree = [e for e in pipeline.process_text(MEDIATED).events if e.event == "AGREE"]
    assert agree, MEDIATED
    sides = {str(p.code) for e in agree for p in [*e.actor, *e.recipient]}
    assert sides == {"ETH", "ERI"}, sides


def test_no_domestic_recipient_after_foreign_parties(pipeline: Any) -> None:
    praise = [e for e in pipeline.process_text(MEDIATED).events if e.event == "SUPPORT"]
    assert not any(r.code == "KEN" for e in praise for r in e.recipient), praise


@pytest.mark.parametrize(("text", "want"), [
    ("China launched two days of military drills around Taiwan on Thursday.", ("MOBILIZE", ("CHN",))),
    ("Israel carried out a series of strikes on Hezbollah positions in Lebanon.", ("ASSAULT", ("ISR",))),
    ("Kenyan teachers staged protests in Nairobi.", ("PROTEST", ("KEN",))),
], ids=["days-of-drills", "series-of-strikes", "staged-lemma-missed"])
def test_light_verb_gives_the_actor(pipeline: Any, text: str, want: tuple[str, tuple[str, ...]]) -> None:
    got = _coded(pipeline, text)
    assert any(t == want[0] and a == want[1] for t, a, _ in got), got


def test_summary_of_past_meetings_is_not_an_event(pipeline: Any) -> None:
    got = _coded(pipeline, "Recent meetings between Peruvian and Chilean officials have focused on trade.")
    assert not any(t == "CONSULT" for t, _, _ in got), got


def test_habitual_visits_are_events(pipeline: Any) -> None:
    got = _coded(pipeline, "Peru's president has been paying frequent visits to Chile and Bolivia.")
    assert any(t == "CONSULT" and a == ("PER",) for t, a, _ in got), got


@pytest.mark.parametrize(("text", "want"), [
    ("Armenian and Azerbaijani border guards exchanged fire near the village on Sunday.",
     {("ARM", "MIL"), ("AZE", "MIL")}),
    ("Bolivian, Peruvian and Chilean police officers met in Brasilia on Monday.",
     {("BOL", "POL"), ("PER", "POL"), ("CHL", "POL")}),
], ids=["pair", "list"])
def test_coordinated_demonyms_share_the_noun_sector(pipeline: Any, text: str,
                                                     want: set[tuple[str, str]]) -> None:
    """Each demonym before a sectored noun names that sector of its country, not the state."""
    got = {(m.code, m.sector) for m in pipeline.process_text(text).mentions if m.code}
    assert want <= got, got
    assert not any(m.sector == "GOV" for m in pipeline.process_text(text).mentions), got


@pytest.mark.parametrize(("text", "want"), [
    ("Ghanaian soldiers were deployed to the northern border on Monday.", ("GHA", "MIL")),
    ("Ecuador deployed riot police to Guayaquil on Tuesday.", ("ECU", "POL")),
    ("Ecuador deployed 300 troops to Guayaquil on Tuesday.", ("ECU", "MIL")),
], ids=["passive-force", "state-sends-police", "state-sends-troops"])
def test_mobilized_forces_stand_for_the_actor(pipeline: Any, text: str, want: tuple[str, str]) -> None:
    events = [e for e in pipeline.process_text(text).events if e.event == "MOBILIZE"]
    assert events, text
    assert [(a.code, a.sector) for a in events[0].actor] == [want], events[0].actor


@pytest.mark.parametrize(("text", "want"), [
    ("ACCRA, May 5 - Soldiers were posted at checkpoints across Accra on Monday.", "MIL"),
    ("DAKAR, June 9 - Gendarmes were sent to the port of Dakar on Sunday.", "POL"),
], ids=["soldiers", "gendarmes"])
def test_sentence_opening_generic_noun_is_kept(pipeline: Any, text: str, want: str) -> None:
    """A common noun capitalised because it follows the dateline is still a generic actor."""
    second = text.split(" - ")[1].split()[0]
    got = [m for m in pipeline.process_text(text).mentions if m.text == second]
    assert [m.sector for m in got] == [want], pipeline.process_text(text).mentions
