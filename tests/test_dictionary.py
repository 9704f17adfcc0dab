"""The bundled actor dictionary (src/detente/data/actors/*.yaml) and the loader's validation."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente.actors.dictionary import (
    ActorDictionary,
    _slug,
    bundled_actor_files,
    known_country_codes,
    parse_data_date,
)
from detente.datafiles import load_yaml_with_lines
from detente.errors import DataFileError
from detente.model import SECTORS

ISO3 = known_country_codes()
EXPECTED_FILES = {"afghanistan", "armed_groups", "china", "igos", "india", "iran", "pakistan", "saudi_arabia",
                  "turkey", "usa"}


@pytest.fixture(scope="module")
def bundled() -> ActorDictionary:
    return ActorDictionary.load()


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# -- the bundled files -------------------------------------------------------------------------

def test_bundled_files_are_all_there() -> None:
    assert {p.stem for p in bundled_actor_files()} >= EXPECTED_FILES


def test_bundled_dictionary_loads(bundled: ActorDictionary) -> None:
    assert len(bundled) > 250
    assert {"UNO", "OIC", "SCO", "GCC", "ECO", "SAA", "NAT", "EEC", "ARL"} <= bundled.igo_codes
    for actor_id in ("qamar-javed-bajwa", "asim-munir", "irgc", "quds-force", "ttp", "afghan-taliban", "un"):
        assert actor_id in bundled


def test_ids_are_unique_across_bundled_files() -> None:
    """The loader merges entries that share an id; in the bundled files that would be a mistake."""
    seen: dict[str, str] = {}
    for path in bundled_actor_files():
        for item in load_yaml_with_lines(path)["actors"]:
            where = f"{path.name}:{item['__line__']}"
            actor_id = item.get("id") or _slug(item["name"])
            assert actor_id not in seen, f"{actor_id} at {where} and {seen.get(actor_id)}"
            seen[actor_id] = where


def test_ids_are_lowercase_slugs(bundled: ActorDictionary) -> None:
    for entry in bundled:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.id), entry.id


def test_every_surface_form_names_one_entry(bundled: ActorDictionary) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in bundled:
        for form in (entry.name, *entry.aliases):
            owners[form.lower()].add(entry.id)
    shared = {form: ids for form, ids in owners.items() if len(ids) > 1}
    assert not shared


_TITLES = re.compile(r"^(General|Gen\.|Lt\.?|Major|Maj\.|Brigadier|Admiral|Colonel|President|Prime Minister|"
                     r"Minister|Foreign Minister|Secretary|King|Crown Prince|Prince|Sheikh|Dr\.?|Ayatollah|"
                     r"Mr\.?|Mrs\.?|Ms\.?|Sir|Chief|Senator)\b")


def test_aliases_carry_no_titles(bundled: ActorDictionary) -> None:
    titled = [(e.id, a) for e in bundled for a in e.aliases if _TITLES.match(a)]
    assert not titled


def test_no_role_ends_before_it_starts(bundled: ActorDictionary) -> None:
    for entry in bundled:
        for role in entry.roles:
            if role.start and role.end:
                assert role.start <= role.end, (entry.id, role)


def test_codes_and_sectors_are_known(bundled: ActorDictionary) -> None:
    valid = ISO3 | bundled.igo_codes
    for entry in bundled:
        assert entry.country is None or entry.country in valid, entry.id
        assert entry.sector is None or entry.sector in SECTORS, entry.id
        for role in entry.roles:
            assert role.country in valid and role.sector in SECTORS, (entry.id, role)


def test_igo_codes_are_not_country_codes(bundled: ActorDictionary) -> None:
    assert not bundled.igo_codes & ISO3
    for entry in bundled:
        if entry.kind == "igo":
            assert entry.country in bundled.igo_codes and entry.sector == "IGO", entry.id


def test_people_have_a_nationality_and_roles(bundled: ActorDictionary) -> None:
    for entry in bundled:
        if entry.kind == "person":
            assert entry.country in ISO3, entry.id
            assert entry.roles, entry.id


@pytest.mark.parametrize("office_word", ["Minister", "President", "Prime Minister", "King"])
def test_civilian_offices_are_gov(bundled: ActorDictionary, office_word: str) -> None:
    """A minister, president, prime minister or king of a state (not of an agency) is GOV."""
    pattern = re.compile(rf"^(Acting |First |Deputy |Caretaker |Interim |Transitional )*{office_word}\b")
    checked = 0
    for entry in bundled:
        for role in entry.roles:
            if role.country in ISO3 and pattern.match(role.office) and " of the " not in role.office:
                checked += 1
                assert role.sector == "GOV", (entry.id, role)
    assert checked > 5


def test_army_chief_roles_are_mil(bundled: ActorDictionary) -> None:
    chiefs = [(e.id, r) for e in bundled for r in e.roles
              if "Army Staff" in r.office or "General Staff" in r.office]
    assert len(chiefs) >= 15
    assert all(r.sector == "MIL" for _, r in chiefs)


# -- roles on the day, on both sides of changes of office -------------------------------------

ON_THE_DAY = [
    # (actor id, day, expected (code, sector) of the role held, or None when no role is held)
    ("qamar-javed-bajwa", "2020-01-03", ("PAK", "MIL")),
    ("qamar-javed-bajwa", "2016-11-28", None),
    ("qamar-javed-bajwa", "2023-06-01", None),
    ("asim-munir", "2024-01-29", ("PAK", "MIL")),
    ("asim-munir", "2019-01-15", ("PAK", "SPY")),
    ("asim-munir", "2023-07-26", ("PAK", "MIL")),
    ("imran-khan", "2019-11-25", ("PAK", "GOV")),
    ("imran-khan", "2018-08-17", None),
    ("imran-khan", "2023-06-01", None),
    ("shehbaz-sharif", "2023-07-26", ("PAK", "GOV")),
    ("shehbaz-sharif", "2023-12-01", None),
    ("shah-mahmood-qureshi", "2020-01-13", ("PAK", "GOV")),
    ("jalil-abbas-jilani", "2024-01-19", ("PAK", "GOV")),
    ("afghan-taliban", "2020-06-01", ("AFG", "REB")),
    ("afghan-taliban", "2021-08-14", ("AFG", "REB")),
    ("afghan-taliban", "2021-08-15", ("AFG", "GOV")),
    ("afghan-taliban", "2022-06-01", ("AFG", "GOV")),
    ("haibatullah-akhundzada", "2019-05-01", ("AFG", "REB")),
    ("haibatullah-akhundzada", "2023-05-01", ("AFG", "GOV")),
    ("hossein-amir-abdollahian", "2024-01-19", ("IRN", "GOV")),
    ("hossein-amir-abdollahian", "2024-06-01", ("IRN", "GOV")),  # died in office
    ("qasem-soleimani", "2019-06-01", ("IRN", "MIL")),
    ("qasem-soleimani", "2020-01-04", ("IRN", "MIL")),  # "the late commander"
    ("esmail-qaani", "2020-01-13", ("IRN", "MIL")),
    ("ebrahim-raisi", "2020-06-01", ("IRN", "JUD")),
    ("ebrahim-raisi", "2023-07-26", ("IRN", "GOV")),
    ("ebrahim-raisi", "2024-06-01", ("IRN", "GOV")),  # died in office
    ("hassan-rouhani", "2019-11-25", ("IRN", "GOV")),
    ("mohammad-bagheri", "2023-07-26", ("IRN", "MIL")),
    ("hossein-salami", "2019-11-25", ("IRN", "MIL")),
    ("mike-pompeo", "2020-01-03", ("USA", "GOV")),
    ("mike-pompeo", "2017-06-01", ("USA", "SPY")),
    ("mark-esper", "2020-01-03", ("USA", "GOV")),
    ("mohammed-bin-salman", "2020-01-03", ("SAU", "GOV")),
    ("hakan-fidan", "2024-01-20", ("TUR", "GOV")),
    ("hakan-fidan", "2020-01-20", ("TUR", "SPY")),
    ("antonio-guterres", "2024-01-17", ("UNO", "IGO")),
    ("antonio-guterres", "2010-01-01", ("HCR", "IGO")),
    ("ban-ki-moon", "2017-06-01", None),
    ("wang-yi", "2023-03-01", ("CHN", "GOV")),
    ("s-jaishankar", "2024-01-18", ("IND", "GOV")),
]


@pytest.mark.parametrize(("actor_id", "on", "expected"), ON_THE_DAY)
def test_role_on_the_day(bundled: ActorDictionary, actor_id: str, on: str,
                         expected: tuple[str, str] | None) -> None:
    entry = bundled.get(actor_id)
    assert entry is not None
    role = entry.role_on(day(on))
    if expected is None:
        assert role is None, role
    else:
        assert role is not None
        assert (role.country, role.sector) == expected


def test_died_in_office_keeps_the_office_afterwards(tmp_path: Path) -> None:
    path = write(tmp_path, """
        version: 1
        actors:
          - name: Late Commander
            country: IRN
            died: 2019-05-10
            roles:
              - {office: Deputy, sector: GOV, start: 2001, end: 2008}
              - {office: Fleet Commander, sector: MIL, start: 2010, end: 2019-05-10}
        """)
    entry = ActorDictionary.load([path], bundled=False).get("late-commander")
    assert entry is not None
    assert entry.code_on(day("2019-05-10")) == ("IRN", "MIL")
    late = entry.role_on(day("2021-01-01"))
    assert late is not None and (late.office, late.sector) == ("the late Fleet Commander", "MIL")
    assert entry.code_on(day("2005-01-01")) == ("IRN", "GOV")
    assert entry.code_on(day("2009-06-01")) == ("IRN", "CVL")  # between offices, alive


def test_retired_person_keeps_country_without_office(bundled: ActorDictionary) -> None:
    bajwa = bundled.get("qamar-javed-bajwa")
    assert bajwa is not None
    assert bajwa.code_on(day("2020-01-03")) == ("PAK", "MIL")
    assert bajwa.code_on(day("2023-06-01")) == ("PAK", "CVL")
    assert bajwa.role_on(day("2020-01-03")).office == "Chief of Army Staff"  # type: ignore[union-attr]


def test_army_chief_succession_is_seamless(bundled: ActorDictionary) -> None:
    """On every day from Kayani to Munir somebody is Pakistan's Chief of Army Staff."""
    ids = ("ashfaq-parvez-kayani", "raheel-sharif", "qamar-javed-bajwa", "asim-munir")
    chiefs = [bundled.get(i) for i in ids]
    on = day("2010-01-01")
    while on <= day("2025-06-30"):
        holders = [e.id for e in chiefs if e and any(r.office == "Chief of Army Staff" and r.held_on(on)
                                                     for r in e.roles)]
        assert holders, on
        on += dt.timedelta(days=30)


@pytest.mark.parametrize(("alias", "actor_id"), [
    ("Qassem Soleimani", "qasem-soleimani"),
    ("Ghasem Soleimani", "qasem-soleimani"),
    ("Qasem Suleimani", "qasem-soleimani"),
    ("Hossein Amirabdollahian", "hossein-amir-abdollahian"),
    ("Hossein Amir Abdollahian", "hossein-amir-abdollahian"),
    ("Javad Zarif", "mohammad-javad-zarif"),
    ("Ibrahim Raisi", "ebrahim-raisi"),
    ("Syed Asim Munir", "asim-munir"),
    ("Field Marshal Asim Munir", "asim-munir"),
    ("Qamar Bajwa", "qamar-javed-bajwa"),
    ("Tehrik-i-Taliban Pakistan", "ttp"),
    ("Pakistani Taliban", "ttp"),
    ("Baloch Liberation Army", "bla"),
    ("Baloch Liberation Front", "blf"),
    ("Army of Justice", "jaish-al-adl"),
    ("Jaish ul-Adl", "jaish-al-adl"),
    ("Islamic Revolution Guards Corps", "irgc"),
    ("Sepah", "irgc"),
    ("Liwa Zainebiyoun", "zainabiyoun-brigade"),
    ("Islamic Emirate of Afghanistan", "afghan-taliban"),
    ("Organization of Islamic Cooperation", "oic"),
    ("Shanghai Cooperation Organization", "sco"),
    ("ISPR", "ispr"),
])
def test_alias_belongs_to(bundled: ActorDictionary, alias: str, actor_id: str) -> None:
    owners = [e.id for e in bundled if alias.lower() in {a.lower() for a in (e.name, *e.aliases)}]
    assert owners == [actor_id]


# -- user files -------------------------------------------------------------------------------

def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "user_actors.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


GOOD_HEAD = """
version: 1
actors:
  - id: ok-person
    name: Ok Person
    country: PAK"""  # the entries appended below start on line 6

MALFORMED = [
    pytest.param(GOOD_HEAD + """
  - id: nameless
    kind: person
    country: IRN
""", 6, "no 'name'", id="missing-name"),
    pytest.param(GOOD_HEAD + """
  - name: Nowhere Man
    country: XYZ
""", 6, "unknown country code 'XYZ'", id="unknown-entry-country"),
    pytest.param(GOOD_HEAD + """
  - name: Roving Envoy
    country: PAK
    roles:
      - {office: Envoy, country: QQQ, sector: GOV, start: 2020-01-01}
""", 9, "unknown country code 'QQQ'", id="unknown-role-country"),
    pytest.param(GOOD_HEAD + """
  - name: Backwards General
    country: PAK
    roles:
      - office: Chief
        sector: MIL
        start: 2022-11-29
        end: 2016-11-29
""", 9, "before it starts", id="end-before-start"),
    pytest.param(GOOD_HEAD + """
  - name: Odd Unit
    kind: organisation
    country: PAK
    sector: ARMY
""", 6, "unknown sector 'ARMY'", id="unknown-entry-sector"),
    pytest.param(GOOD_HEAD + """
  - name: Odd Officer
    country: PAK
    roles:
      - {office: Chief, sector: SOLDIER, start: 2020}
""", 9, "unknown sector 'SOLDIER'", id="unknown-role-sector"),
    pytest.param(GOOD_HEAD + """
  - name: Slashed Date
    country: PAK
    roles:
      - {office: Chief, sector: MIL, start: 2020/01/03}
""", 9, "not YYYY-MM-DD", id="bad-date-format"),
    pytest.param(GOOD_HEAD + """
  - name: Worded Date
    country: PAK
    roles:
      - {office: Chief, sector: MIL, start: January 2020}
""", 9, "not YYYY-MM-DD", id="bad-date-words"),
    pytest.param(GOOD_HEAD + """
  - name: Thirteenth Month
    country: PAK
    roles:
      - {office: Chief, sector: MIL, start: 2020-13-01}
""", 9, "no month 13", id="bad-date-month"),
    pytest.param(GOOD_HEAD + """
  - name: February Thirtieth
    country: PAK
    roles:
      - {office: Chief, sector: MIL, end: 2021-02-30}
""", 9, "not a valid date", id="bad-date-day"),
    pytest.param("""
# a user file without a version
actors:
  - name: Ok Person
""", 1, "'version'", id="missing-version"),
    pytest.param("""
version: 2
actors: []
""", 1, "unsupported", id="wrong-version"),
    pytest.param("""
version: 1
actors:
  name: Ok Person
""", 2, "must be a list", id="actors-not-a-list"),
    pytest.param("""
version: 1
actors:
  - name: Ok Person
  - just a string
""", 4, "must be a mapping", id="actor-not-a-mapping"),
    pytest.param(GOOD_HEAD + """
  - name: Listless
    aliases: Just One
""", 6, "'aliases' must be a list", id="aliases-not-a-list"),
    pytest.param(GOOD_HEAD + """
  - name: Mystery
    kind: spirit
""", 6, "unknown kind 'spirit'", id="unknown-kind"),
    pytest.param(GOOD_HEAD + """
  - name: Typo Officer
    country: PAK
    role:
      - {office: Chief, sector: MIL, start: 2020}
""", 6, "unknown field(s) 'role'", id="unknown-entry-field"),
    pytest.param(GOOD_HEAD + """
  - name: Typo Officer
    country: PAK
    roles:
      - {office: Chief, sector: MIL, from: 2020}
""", 9, "unknown field(s) 'from'", id="unknown-role-field"),
    pytest.param(GOOD_HEAD + """
  - name: Late Commander
    country: IRN
    died: last winter
    roles:
      - {office: Commander, sector: MIL, start: 2010}
""", 6, "'died'", id="bad-died-date"),
    pytest.param(GOOD_HEAD + """
  - name: Ghost Officer
    country: IRN
    died: 2015-03-01
    roles:
      - {office: Commander, sector: MIL, start: 2018}
""", 6, "after the person died", id="role-after-death"),
    pytest.param("""
version: 1
actors:
  - name: [unclosed
""", 4, "not valid YAML", id="invalid-yaml"),
]


@pytest.mark.parametrize(("text", "line", "problem"), MALFORMED)
def test_malformed_user_file(tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DataFileError) as info:
        ActorDictionary.load([path], bundled=False)
    error = info.value
    assert error.line == line, str(error)
    assert problem in error.problem
    assert error.path == str(path)
    assert str(error).startswith(f"{path}:{line}: ")


def test_user_file_extends_bundled_entry(tmp_path: Path) -> None:
    path = write(tmp_path, """
        version: 1
        actors:
          - id: asim-munir
            name: Asim Munir
            kind: person
            country: PAK
            aliases: [COAS Munir Sahib]
          - id: new-igo
            name: Made-up Council
            kind: igo
            code: MUC
            sector: IGO
          - name: Council Envoy
            country: FRA
            roles:
              - {office: Envoy, country: MUC, sector: IGO, start: 2024-02, end: 2024}
        """)
    merged = ActorDictionary.load([path])
    munir = merged.get("asim-munir")
    assert munir is not None
    assert "COAS Munir Sahib" in munir.aliases and "Syed Asim Munir" in munir.aliases
    assert munir.role_on(day("2024-01-29")) is not None
    assert "MUC" in merged.igo_codes
    envoy = merged.get("council-envoy")  # id made from the name
    assert envoy is not None
    role = envoy.roles[0]
    assert (role.start, role.end) == (day("2024-02-01"), day("2024-12-31"))
    assert str(path) in merged.files


# -- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "end", "expected"), [
    ("2016-11-29", False, "2016-11-29"),
    ("2016-11", False, "2016-11-01"),
    ("2016-11", True, "2016-11-30"),
    ("2024-02", True, "2024-02-29"),
    ("2023-12", True, "2023-12-31"),
    ("2016", False, "2016-01-01"),
    ("2016", True, "2016-12-31"),
    (2016, True, "2016-12-31"),
])
def test_parse_data_date(text: str | int, end: bool, expected: str) -> None:
    assert parse_data_date(text, end=end) == day(expected)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_parse_data_date_round_trips(value: dt.date) -> None:
    assert parse_data_date(value.isoformat()) == value
    month = f"{value.year:04d}-{value.month:02d}"
    first, last = parse_data_date(month), parse_data_date(month, end=True)
    assert first is not None and last is not None
    assert first <= value <= last
    assert (last + dt.timedelta(days=1)).day == 1


_DATE_LIKE = re.compile(r"\s*\d{4}(-\d{2}(-\d{2})?)?\s*")


@given(st.text(min_size=1, max_size=12).filter(lambda s: not _DATE_LIKE.fullmatch(s)))
def test_parse_data_date_rejects_other_text(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_data_date(text)
