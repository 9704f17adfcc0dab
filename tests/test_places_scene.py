"""Places found after a noun of the scene ("in the streets of Dakar") and a wire dateline's city as
the scene of a domestic physical action with no place of its own (detente.places.dateline_scene)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from detente.model import ActorRef, DateValue, Event
from detente.places import Gazetteer, cued_place_names
from detente.places.cues import parse_cues
from detente.places.locate import dateline_scene


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(("sentence", "name"), [
    ("Hundreds of students danced in the streets of Dakar.", "Dakar"),
    ("Troops fought in the general area of Bannu until dawn.", "Bannu"),
    ("Fires burned in the centre of Nairobi.", "Nairobi"),
])
def test_a_place_after_a_noun_of_the_scene_is_cued(gaz: Gazetteer, sentence: str, name: str) -> None:
    assert [n for _, _, n in cued_place_names(sentence, gaz)] == [name]


def _event(text: str, event: str, codes: list[str], date: DateValue | None) -> Event:
    refs = [ActorRef(code=c, sector=None, entity_text=c, name=c, identifier=None) for c in codes]
    return Event(doc_id="d", sentence_index=0, sent_start=0, sent_end=len(text), text=text, event=event,
                 actor=refs[:1], recipient=refs[1:], trigger="fired", trigger_start=0, trigger_end=5,
                 date=date)


REPORT = DateValue("2024-06-25", "day", how="dateline")
TODAY = DateValue("2024-06-25", "day", how="relative")


def test_a_wire_datelines_city_is_the_scene_of_a_domestic_action(gaz: Gazetteer) -> None:
    ev = _event("Police fired tear gas at the marchers.", "COERCE", ["KEN", "KEN"], TODAY)
    got = dateline_scene(ev, "NAIROBI", gaz, ("KEN",), REPORT)
    assert got is not None and got.name == "Nairobi" and got.country_code == "KEN" and got.char_start is None


@pytest.mark.parametrize(("text", "event", "codes", "dateline", "date"), [
    # a statement has no scene
    ("The ministry condemned the marchers.", "ACCUSE", ["KEN", "KEN"], "NAIROBI", TODAY),
    # a foreign participant: the action may be anywhere
    ("Troops fired at the convoy.", "ASSAULT", ["KEN", "SOM"], "NAIROBI", TODAY),
    # a release's head line in title case names its office, not a scene
    ("Police fired tear gas at the marchers.", "COERCE", ["KEN", "KEN"], "Nairobi", TODAY),
    # the sentence names another place
    ("Police fired tear gas at marchers in Mombasa.", "COERCE", ["KEN", "KEN"], "NAIROBI", TODAY),
    # older than the day before the report
    ("Police fired tear gas at the marchers.", "COERCE", ["KEN", "KEN"], "NAIROBI",
     DateValue("2024-06-20", "day", how="explicit")),
    # a dateline naming a country
    ("Police fired tear gas at the marchers.", "COERCE", ["KEN", "KEN"], "KENYA", TODAY),
])
def test_no_dateline_scene(gaz: Gazetteer, text: str, event: str, codes: list[str], dateline: str,
                           date: DateValue) -> None:
    assert dateline_scene(_event(text, event, codes, date), dateline, gaz, ("KEN",), REPORT) is None


def test_dateline_scene_settings_are_optional(tmp_path: Path) -> None:
    text = (resources.files("detente") / "data" / "places" / "cues.yaml").read_text(encoding="utf-8")
    cut = text[:text.index("# the event types whose scene")]
    path = tmp_path / "cues.yaml"
    path.write_text(cut, encoding="utf-8")
    cues = parse_cues(path, cut)
    assert cues.dateline_scene_types == frozenset() and cues.dateline_scene_days == -1
    assert "COERCE" in parse_cues(path, text).dateline_scene_types


@pytest.mark.parametrize(("name", "country", "province"), [
    ("Pretoria", "ZAF", "Gauteng"),  # not the Zulu "IGauteng"
    ("Brasília", "BRA", "Federal District"),
    ("Nukus", "UZB", "Karakalpakstan"),
    ("Quezon City", "PHL", "Metro Manila"),
    ("Volgograd", "RUS", "Volgograd"),
    ("Rome", "ITA", "Lazio"),
    ("Geneva", "CHE", "Geneva"),
])
def test_provinces_have_their_english_names(gaz: Gazetteer, name: str, country: str, province: str) -> None:
    place = gaz.lookup_in(name, country)
    assert place is not None and place.province == province


def test_a_name_after_a_possessive_place_is_a_candidate_too(gaz: Gazetteer) -> None:
    sentence = "Clashes broke out in Pakistan's Balochistan overnight."
    assert [n for _, _, n in cued_place_names(sentence, gaz)] == ["Balochistan", "Pakistan"]


@pytest.mark.parametrize(("name", "expected"), [
    ("Congress", None), ("Hospital", None), ("Police", None),  # hamlets of GeoNames, words in news
    ("White House", ("Washington", "USA")), ("Kremlin", ("Moscow", "RUS")),
])
def test_institutions(gaz: Gazetteer, name: str, expected: tuple[str, str] | None) -> None:
    place = gaz.lookup(name)
    assert (None if place is None else (place.name, place.country_code)) == expected


def test_from_after_a_retreat_is_where_it_happened(gaz: Gazetteer) -> None:
    from detente.places import locate_event

    text = "The army's withdrawal from Kupyansk ended talk of an advance on Kharkiv."
    spans = [(text.index("Kupyansk"), text.index("Kupyansk") + 8, "Kupyansk")]
    place = locate_event(text, 0, spans, gaz, ["UKR"])
    assert place is not None and place.name == "Kupyansk"
    text2 = "Refugees from Kupyansk reached the capital."
    spans2 = [(text2.index("Kupyansk"), text2.index("Kupyansk") + 8, "Kupyansk")]
    assert locate_event(text2, 0, spans2, gaz, ["UKR"]) is None


def test_a_possessive_country_gives_way_to_the_province_it_owns(gaz: Gazetteer) -> None:
    from detente.places import locate_event

    text = "Gunmen killed nine people in Papua New Guinea's Enga province on Sunday."
    owner = text.index("Papua")
    enga = text.index("Enga")
    # the recogniser's span keeps the possessive ending
    spans = [(owner, owner + len("Papua New Guinea's"), "Papua New Guinea's"), (enga, enga + 4, "Enga")]
    place = locate_event(text, 0, spans, gaz, ["PNG"], weak=[(enga, enga + 4)])
    assert place is not None and place.name == "Enga"
