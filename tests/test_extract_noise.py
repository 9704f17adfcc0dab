"""Sentences that name an event without reporting one, or report one happening twice: a
disaster as the subject of "killed", an event that a verb bans or calls off, and the demand
of a protest read as a second event."""

from __future__ import annotations

from typing import Any

import pytest

from builders import happened


def _types(pipeline: Any, text: str) -> list[str]:
    return [e.event for e in happened(pipeline, text)]


@pytest.mark.parametrize("text", [
    "An earthquake killed at least 30 people in western Peru on Sunday.",
    "Residents of La Paz mourned after floods that killed more than 100 people across Bolivia.",
    "A landslide destroyed dozens of homes in northern Colombia on Friday.",
], ids=["earthquake", "floods-relative", "landslide"])
def test_disaster_is_no_attack(pipeline: Any, text: str) -> None:
    assert "ASSAULT" not in _types(pipeline, text)


@pytest.mark.parametrize(("text", "etype"), [
    ("The governor's office in Lagos banned all demonstrations in the city for a week.", "PROTEST"),
    ("Nigeria's unions suspended a nationwide strike on Tuesday.", "PROTEST"),
    ("Chile lifted its blockade of the port on Monday.", "COERCE"),
    ("The rally in Belgrade was cut short after a loud noise.", "PROTEST"),
], ids=["banned", "suspended", "lifted", "cut-short"])
def test_cancelled_event_is_not_reported(pipeline: Any, text: str, etype: str) -> None:
    assert etype not in _types(pipeline, text)


def test_reported_event_noun_is_still_coded(pipeline: Any) -> None:
    # the same noun with a verb that reports it stays an event
    assert "PROTEST" in _types(pipeline, "Nigeria's unions staged a nationwide strike on Tuesday.")


@pytest.mark.parametrize("text", [
    "Thousands of demonstrators in Lima demanded the resignation of the interior minister.",
    "Tens of thousands of people marched through Quito on Saturday demanding the resignation of the mayor.",
    "Protesters had gathered in central Lima demanding new elections.",
], ids=["demonstrators-demanded", "marched-demanding", "gathered-demanding"])
def test_protest_demand_is_one_protest(pipeline: Any, text: str) -> None:
    got = _types(pipeline, text)
    assert got.count("PROTEST") == 1 and "REQUEST" not in got, got


@pytest.mark.parametrize("text", [
    "Peru's foreign minister demanded that Chile return the seized vessel.",
    "Protesters in Lima called on lawmakers to extend jobless benefits.",
], ids=["official-demand", "addressed-call"])
def test_demand_stays_a_request(pipeline: Any, text: str) -> None:
    got = _types(pipeline, text)
    assert "REQUEST" in got, got


@pytest.mark.parametrize(("text", "etype"), [
    ("Mourners in Kyiv laid flowers at a memorial to soldiers killed in the war.", "ASSAULT"),
    ("Relatives said the men, including students jailed after the riots, had been freed.", "COERCE"),
    ("Medics said 20 people had been wounded by police in Nairobi since the protests began in June.",
     "PROTEST"),
], ids=["reduced-relative-killed", "reduced-relative-jailed", "since-clause"])
def test_background_mention_is_not_an_event(pipeline: Any, text: str, etype: str) -> None:
    assert etype not in _types(pipeline, text)


def test_named_person_arrested_in_apposition_is_coded(pipeline: Any) -> None:
    text = "Kenyan opposition leader Raila Odinga, arrested in Nairobi on Wednesday, was charged on Friday."
    assert "COERCE" in _types(pipeline, text)


def _flags(pipeline: Any, text: str) -> list[tuple[str, bool]]:
    return [(e.event, bool(e.negated or e.hypothetical)) for e in pipeline.process_text(text).events]


@pytest.mark.parametrize(("text", "act"), [
    ("Chile and Peru agreed to cooperate on border security.", "COOPERATE"),
    ("Spain agreed to donate tents to Portugal.", "AID"),
], ids=["cooperate", "aid"])
def test_act_agreed_is_coded_as_the_act(pipeline: Any, text: str, act: str) -> None:
    got = _flags(pipeline, text)
    assert (act, False) in got and not any(t == "AGREE" for t, _ in got), got


@pytest.mark.parametrize(("text", "want"), [
    ("Chile and Peru agreed to resume talks.", ("AGREE", False)),  # talks agreed: an AGREE
    ("Chile and Peru failed to agree to cooperate on border security.", ("COOPERATE", True)),
    ("Chile and Peru signed a treaty, pledging to deepen military ties.", ("COOPERATE", True)),
], ids=["talks-stay-agree", "failed-agreement", "pledge-is-a-promise"])
def test_agreement_rule_leaves_other_shapes(pipeline: Any, text: str, want: tuple[str, bool]) -> None:
    assert want in _flags(pipeline, text), _flags(pipeline, text)


@pytest.mark.parametrize(("text", "want"), [
    ("Rescue teams from Chile, Peru and Brazil arrived in Quito on Sunday.",
     ("AID", ("BRA", "CHL", "PER"), ("ECU",))),
    ("The first relief flights from Japan landed in Manila on Thursday.", ("AID", ("JPN",), ("PHL",))),
    ("Kenyan soldiers arrived in Port-au-Prince on Tuesday.", ("MOBILIZE", ("KEN",), ("HTI",))),
    ("General Asim Munir arrived in Tehran on Sunday.", ("CONSULT", ("PAK",), ("IRN",))),
], ids=["rescue-teams-from", "relief-flights", "troops-arrive", "officer-visits"])
def test_arrival_is_coded_by_who_arrives(pipeline: Any, text: str,
                                         want: tuple[str, tuple[str, ...], tuple[str, ...]]) -> None:
    got = [(t, tuple(sorted(a)), tuple(sorted(r))) for t, a, r in
           ((e.event, [str(x.code) for x in e.actor], [str(x.code) for x in e.recipient])
            for e in pipeline.process_text(text).events)]
    assert want in got, got
