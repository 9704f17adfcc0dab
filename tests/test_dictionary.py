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
    DataFileWarning,
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
            if role.country in ISO3 and pattern.match(role.office) and " of the " not in role.office \
                    and not re.search(r"Intelligence|State Security", role.office):  # ministers who are spies
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
    ("imran-khan", "2023-06-01", ("PAK", "OPP")),  # PTI founder, in opposition after his ouster
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


# (December 9999 is left out: DateValue.last_date of that month overflows to the year 10000, in model.py)
@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 11, 30)))
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


# -- one holder per office, ids, shared names (validation across entries) ---------------------

def write_named(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_two_holders_of_one_office_is_an_error_naming_file_line_and_fix(tmp_path: Path) -> None:
    path = write_named(tmp_path, "bad.yaml", """
        version: 1
        actors:
          - name: First Premier
            country: NPL
            roles:
              - {office: Prime Minister, sector: GOV, start: 2016-08-04, end: 2017-06-07}
          - name: Second Premier
            country: NPL
            roles:
              - {office: Prime Minister, sector: GOV, start: 2017-05-01, end: 2018-02-15}
        """)
    with pytest.raises(DataFileError) as info:
        ActorDictionary.load([path], bundled=False)
    error = info.value
    assert (error.path, error.line) == (str(path), 10)
    assert "overlaps the term of first-premier" in error.problem
    assert f"{path}:6" in error.problem  # where the other term is
    assert "collective: true" in error.problem and "fix the dates" in error.problem


def test_the_same_office_of_another_country_is_no_overlap(tmp_path: Path) -> None:
    path = write_named(tmp_path, "ok.yaml", """
        version: 1
        actors:
          - {name: Premier A, country: NPL, roles: [{office: Prime Minister, sector: GOV, start: 2016}]}
          - {name: Premier B, country: BTN, roles: [{office: Prime Minister, sector: GOV, start: 2016}]}
          - {name: Minister B, country: BTN, roles: [{office: Minister of Finance, sector: GOV, start: 2016}]}
        """)
    assert len(ActorDictionary.load([path], bundled=False)) == 3


@pytest.mark.parametrize(("first_end", "second_start"), [
    ("2019-07-24", "2019-07-24"),  # handover on one day
    ("2019-07", "2019-07-24"),     # the old term's end known to the month only
    ("2019-07-24", "2019-07"),     # the new term's start known to the month only
    ("2019", "2019-03-01"),        # the year only
    ("2019-07-23", "2019-07-24"),  # no overlap at all
])
def test_handovers_and_coarse_dates_are_not_overlaps(tmp_path: Path, first_end: str,
                                                     second_start: str) -> None:
    path = write_named(tmp_path, "ok.yaml", f"""
        version: 1
        actors:
          - {{name: Old Chief, country: GBR, roles: [
              {{office: Chief, sector: MIL, start: 2016, end: {first_end}}}]}}
          - {{name: New Chief, country: GBR, roles: [{{office: Chief, sector: MIL, start: {second_start}}}]}}
        """)
    loaded = ActorDictionary.load([path], bundled=False)
    assert {e.id for e in loaded} == {"old-chief", "new-chief"}


def test_an_overlap_of_two_days_is_caught(tmp_path: Path) -> None:
    path = write_named(tmp_path, "bad.yaml", """
        version: 1
        actors:
          - {name: Old Chief, country: GBR, roles: [
              {office: Chief, sector: MIL, start: 2016, end: 2019-07-25}]}
          - {name: New Chief, country: GBR, roles: [{office: Chief, sector: MIL, start: 2019-07-24}]}
        """)
    with pytest.raises(DataFileError, match="overlaps the term of old-chief"):
        ActorDictionary.load([path], bundled=False)


def test_collective_offices_have_several_holders(tmp_path: Path) -> None:
    text = """
        version: 1
        actors:
          - {name: Member One, country: BIH, roles: [
              {office: Member of the Presidency, sector: GOV, start: 2018, COLL}]}
          - {name: Member Two, country: BIH, roles: [
              {office: Member of the Presidency, sector: GOV, start: 2018, COLL}]}
        """
    ok = write_named(tmp_path, "ok.yaml", text.replace("COLL", "collective: true"))
    assert len(ActorDictionary.load([ok], bundled=False)) == 2
    one_sided = write_named(tmp_path, "bad.yaml",
                            text.replace("COLL", "collective: true", 1).replace(", COLL", ""))
    with pytest.raises(DataFileError, match="overlaps"):
        ActorDictionary.load([one_sided], bundled=False)
    not_bool = write_named(tmp_path, "bad2.yaml", text.replace("COLL", "collective: sometimes"))
    with pytest.raises(DataFileError, match="'collective' must be true or false") as info:
        ActorDictionary.load([not_bool], bundled=False)
    assert info.value.line == 4  # the role's line


def test_one_person_may_hold_an_office_twice_and_two_offices_at_once(tmp_path: Path) -> None:
    path = write_named(tmp_path, "ok.yaml", """
        version: 1
        actors:
          - name: Busy Minister
            country: IRL
            roles:
              - {office: Taoiseach, sector: GOV, start: 2020-06-27, end: 2022-12-17}
              - {office: Minister of Foreign Affairs, sector: GOV, start: 2022-12-17, end: 2025-01-23}
              - {office: Minister of Defence, sector: GOV, start: 2022-12-17, end: 2025-01-23}
              - {office: Taoiseach, sector: GOV, start: 2025-01-23}
        """)
    entry = ActorDictionary.load([path], bundled=False).get("busy-minister")
    assert entry is not None and len(entry.roles) == 4


def test_duplicate_id_in_one_file_is_an_error(tmp_path: Path) -> None:
    path = write_named(tmp_path, "dup.yaml", """
        version: 1
        actors:
          - {id: same-person, name: Same Person, country: KEN, roles: [
              {office: President, sector: GOV, start: 2013}]}
          - {id: same-person, name: Same Person, country: KEN, roles: [
              {office: Senator, sector: LEG, start: 2005}]}
        """)
    with pytest.raises(DataFileError, match=r"id 'same-person' is already defined at .*dup.yaml:3") as info:
        ActorDictionary.load([path], bundled=False)
    assert info.value.line == 5 and "merge the two entries" in info.value.problem


def test_duplicate_id_from_a_name_is_an_error(tmp_path: Path) -> None:
    path = write_named(tmp_path, "dup.yaml", """
        version: 1
        actors:
          - {name: José Mujica, country: URY}
          - {name: Jose Mujica, country: URY}
        """)
    with pytest.raises(DataFileError, match="id 'jose-mujica' is already defined"):
        ActorDictionary.load([path], bundled=False)


def test_a_later_user_file_may_extend_an_id(tmp_path: Path) -> None:
    first = write_named(tmp_path, "first.yaml", """
        version: 1
        actors:
          - {id: envoy, name: Some Envoy, country: NOR, aliases: [S. Envoy]}
        """)
    second = write_named(tmp_path, "second.yaml", """
        version: 1
        actors:
          - {id: envoy, name: Some Envoy, country: NOR, aliases: [Sm Envoy], roles: [
              {office: Envoy, sector: GOV, start: 2020}]}
        """)
    envoy = ActorDictionary.load([first, second], bundled=False).get("envoy")
    assert envoy is not None and envoy.aliases == ["S. Envoy", "Sm Envoy"] and len(envoy.roles) == 1


def test_a_user_file_clashing_with_the_bundled_terms_warns(tmp_path: Path) -> None:
    path = write_named(tmp_path, "mine.yaml", """
        version: 1
        actors:
          - {name: Rival Claimant, country: FRA, roles: [
              {office: President, sector: GOV, start: 2020-01-01, end: 2020-12-31}]}
        """)
    with pytest.warns(DataFileWarning, match="overlaps the term of emmanuel-macron"):
        loaded = ActorDictionary.load([path])
    assert "rival-claimant" in loaded
    issue = next(w for w in loaded.warnings if "rival-claimant" in w.problem)
    assert (issue.path, issue.line) == (str(path), 4)  # the role's line


def test_a_name_shared_by_concurrent_actors_of_one_country_warns(tmp_path: Path) -> None:
    path = write_named(tmp_path, "mine.yaml", """
        version: 1
        actors:
          - {name: Ali Hassan, country: SOM, roles: [
              {office: Minister of Finance, sector: GOV, start: 2019, end: 2022}]}
          - {name: Ali Hassan Mohamed, country: SOM, aliases: [Ali Hassan], roles: [
              {office: Army Chief, sector: MIL, start: 2021}]}
          - {name: Ali Hassan Omar, country: SOM, aliases: [ali hassan], roles: [
              {office: Governor, sector: GOV, start: 2010, end: 2012}]}
          - {name: Ali Hassan Abdi, country: KEN, aliases: [Ali Hassan], roles: [
              {office: Governor, sector: GOV, start: 2020}]}
        """)
    with pytest.warns(DataFileWarning):
        loaded = ActorDictionary.load([path], bundled=False)
    shared = [w for w in loaded.warnings if "'ali hassan'" in w.problem]
    # the minister and the army chief (2021-2022, both SOM); not the governor of 2010-2012, not the Kenyan
    assert len(shared) == 1
    assert "ali-hassan-mohamed" in shared[0].problem and "ali-hassan (" in shared[0].problem
    assert shared[0].line == 5  # the entry's line
    assert {e.id for e in loaded.named("ALI HASSAN")} == {
        "ali-hassan", "ali-hassan-mohamed", "ali-hassan-omar", "ali-hassan-abdi"}


def test_bundled_files_load_without_warnings(bundled: ActorDictionary) -> None:
    assert not bundled.warnings, [str(w) for w in bundled.warnings[:5]]


# -- officials of every country ---------------------------------------------------------------

_UN_MEMBER_CODES = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN BGR
BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA DOM ECU
EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND
IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS
MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK
PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP
SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE
GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
"""
UN_MEMBERS = frozenset(_UN_MEMBER_CODES.split())


def test_un_member_list_is_complete() -> None:
    assert len(UN_MEMBERS) == 193 and UN_MEMBERS <= ISO3


@pytest.mark.parametrize("on", ["2016-06-01", "2019-06-01", "2022-06-01", "2025-06-01"])
def test_every_un_member_has_an_official_on_the_day(bundled: ActorDictionary, on: str) -> None:
    held = {r.country for e in bundled if e.kind == "person" for r in e.roles
            if r.held_on(day(on)) and not r.office.startswith("the late ")}
    assert sorted(UN_MEMBERS - held) == (["SMR"] if on < "2020" else [])


def test_coverage_counts(bundled: ActorDictionary) -> None:
    coverage = bundled.coverage()
    assert coverage.countries >= 193 and set(coverage.by_country) >= UN_MEMBERS
    assert coverage.people == sum(1 for e in bundled if e.kind == "person")
    assert coverage.groups == sum(1 for e in bundled if e.kind == "group")
    assert coverage.terms == sum(coverage.by_country.values())
    assert coverage.people < coverage.terms and coverage.offices < coverage.terms
    assert coverage.igos >= 10
    assert {"UNO", "EEC", "NAT", "AFU", "WHO", "ASN", "ARL"} <= set(coverage.by_country)
    assert set(coverage.as_dict()) == {"countries", "igos", "offices", "people", "terms", "groups",
                                       "organisations", "igo_entries"}


def test_coverage_of_a_small_file(tmp_path: Path) -> None:
    path = write_named(tmp_path, "small.yaml", """
        version: 1
        actors:
          - {id: club, name: Club of Two, kind: igo, code: CTW, sector: IGO}
          - name: Two Hats
            country: NPL
            died: 2020-01-01
            roles:
              - {office: Prime Minister, sector: GOV, start: 2010, end: 2020-01-01}
              - {office: Chair of the Club, country: CTW, sector: IGO, start: 2012, end: 2014}
          - {name: Other Premier, country: BTN, roles: [{office: Prime Minister, sector: GOV, start: 2016}]}
          - {name: A Group, kind: group, country: NPL, sector: REB}
        """)
    coverage = ActorDictionary.load([path], bundled=False).coverage()
    assert coverage.as_dict() == {"countries": 2, "igos": 1, "offices": 3, "people": 2, "terms": 3,
                                  "groups": 1, "organisations": 0, "igo_entries": 1}
    assert coverage.by_country == {"BTN": 1, "CTW": 1, "NPL": 1}


ON_THE_DAY_WORLDWIDE = [
    # (office, country or IGO, day, the one holder)
    ("President", "FRA", "2016-06-01", "francois-hollande"),
    ("President", "FRA", "2017-05-15", "emmanuel-macron"),
    ("Chancellor", "DEU", "2023-01-01", "olaf-scholz"),
    ("Chancellor", "DEU", "2025-06-01", "friedrich-merz"),
    ("Prime Minister", "GBR", "2022-10-01", "liz-truss"),
    ("Minister of Foreign Affairs", "RUS", "2022-03-01", "sergey-lavrov"),
    ("Minister of Defence", "RUS", "2025-01-01", "andrei-belousov"),
    ("Minister of Foreign Affairs", "UKR", "2023-01-01", "dmytro-kuleba"),
    ("Prime Minister", "ARM", "2023-09-20", "nikol-pashinyan"),
    ("Prime Minister", "ISR", "2022-01-01", "naftali-bennett"),
    ("Chief of the General Staff", "ISR", "2024-01-01", "herzi-halevi"),
    ("Emir", "QAT", "2020-01-01", "tamim-bin-hamad-al-thani"),
    ("Prime Minister", "QAT", "2024-01-01", "mohammed-bin-abdulrahman-al-thani"),
    ("Minister of Foreign Affairs", "OMN", "2023-01-01", "badr-albusaidi"),
    ("President", "SYR", "2025-06-01", "ahmed-al-sharaa"),
    ("President", "SYR", "2020-06-01", "bashar-al-assad"),
    ("President", "NGA", "2020-01-01", "muhammadu-buhari"),
    ("Chairman of the Sovereignty Council", "SDN", "2024-01-01", "abdel-fattah-al-burhan"),
    ("President", "COD", "2024-01-01", "felix-tshisekedi"),
    ("President", "BRA", "2020-01-01", "jair-bolsonaro"),
    ("President", "ARG", "2024-06-01", "javier-milei"),
    ("Prime Minister", "CAN", "2020-01-01", "justin-trudeau"),
    ("Prime Minister", "JPN", "2021-01-01", "yoshihide-suga"),
    ("President", "KOR", "2023-01-01", "yoon-suk-yeol"),
    ("President", "PHL", "2020-01-01", "rodrigo-duterte"),
    ("Prime Minister", "AUS", "2020-01-01", "scott-morrison"),
    ("Prime Minister", "BGD", "2020-01-01", "sheikh-hasina"),
    ("President", "KAZ", "2018-01-01", "nursultan-nazarbayev"),
    ("President", "KAZ", "2020-01-01", "kassym-jomart-tokayev"),
    ("President of the European Commission", "EEC", "2018-01-01", "jean-claude-juncker"),
    ("Chairperson of the African Union Commission", "AFU", "2020-01-01", "moussa-faki-mahamat"),
    ("Secretary-General of ASEAN", "ASN", "2020-01-01", "lim-jock-hoi"),
    ("Director-General of the WHO", "WHO", "2020-01-01", "tedros-adhanom-ghebreyesus"),
    ("Secretary-General of the Arab League", "ARL", "2020-01-01", "ahmed-aboul-gheit"),
    ("Prosecutor of the International Criminal Court", "ICC", "2019-01-01", "fatou-bensouda"),
    ("President of the World Bank", "WBK", "2021-01-01", "david-malpass"),
]


@pytest.mark.parametrize(("office", "country", "on", "holder"), ON_THE_DAY_WORLDWIDE)
def test_holder_on_the_day(bundled: ActorDictionary, office: str, country: str, on: str, holder: str) -> None:
    assert [e.id for e in bundled.holders(office, country, day(on))] == [holder]
    entry = bundled.get(holder)
    assert entry is not None
    role = entry.role_on(day(on))
    assert role is not None and role.country == country


@pytest.mark.parametrize(("actor_id", "before", "on", "office_before", "office_after", "code_before",
                          "code_after"), [
    # foreign minister, then prime minister from the day of the change
    ("liz-truss", "2022-09-05", "2022-09-06", "Minister of Foreign Affairs", "Prime Minister",
     ("GBR", "GOV"), ("GBR", "GOV")),
    ("paolo-gentiloni", "2016-12-11", "2016-12-12", "Minister of Foreign Affairs", "Prime Minister",
     ("ITA", "GOV"), ("ITA", "GOV")),
    # army commander, then president: the sector changes on the day
    ("joseph-aoun", "2025-01-08", "2025-01-09", "Commander of the Army", "President",
     ("LBN", "MIL"), ("LBN", "GOV")),
    # defence minister, then prime minister
    ("sebastien-lecornu", "2025-09-08", "2025-09-09", "Minister of Defence", "Prime Minister",
     ("FRA", "GOV"), ("FRA", "GOV")),
    # an armed group's leader, then head of state
    ("ahmed-al-sharaa", "2024-12-07", "2024-12-08", "Leader of Hayat Tahrir al-Sham", "De facto leader",
     ("SYR", "REB"), ("SYR", "GOV")),
    # national office, then an IGO's
    ("mahmoud-ali-youssouf", "2025-01-15", "2025-03-31", "Minister of Foreign Affairs",
     "Chairperson of the African Union Commission", ("DJI", "GOV"), ("AFU", "IGO")),
    ("petr-pavel", "2018-06-01", "2023-03-09", "Chairman of the NATO Military Committee", "President",
     ("NAT", "IGO"), ("CZE", "GOV")),
])
def test_a_change_of_office_changes_the_code_on_the_day(
        bundled: ActorDictionary, actor_id: str, before: str, on: str, office_before: str, office_after: str,
        code_before: tuple[str, str], code_after: tuple[str, str]) -> None:
    entry = bundled.get(actor_id)
    assert entry is not None
    old, new = entry.role_on(day(before)), entry.role_on(day(on))
    assert old is not None and new is not None
    assert (old.office, entry.code_on(day(before))) == (office_before, code_before)
    assert (new.office, entry.code_on(day(on))) == (office_after, code_after)
    if office_before != office_after and new.start is not None and new.start.day != 1:
        assert new.start == day(on)  # known to the day: the change is on that day


def test_yasar_guler_becomes_minister_on_the_day(bundled: ActorDictionary) -> None:
    guler = bundled.get("yasar-guler")
    assert guler is not None
    assert guler.code_on(day("2023-06-03")) == ("TUR", "MIL")
    assert guler.code_on(day("2023-06-04")) == ("TUR", "GOV")


@pytest.mark.parametrize(("form", "actor_id"), [
    ("Tamim bin Hamad Al Thani", "tamim-bin-hamad-al-thani"),
    ("Tamim Al-Thani", "tamim-bin-hamad-al-thani"),
    ("Hamad bin Khalifa Al Thani", "hamad-bin-khalifa-al-thani"),
    ("Mohammed bin Abdulrahman Al Thani", "mohammed-bin-abdulrahman-al-thani"),
    ("Khalid bin Khalifa Al Thani", "khalid-bin-khalifa-bin-abdul-aziz-al-thani"),
    ("Mohamed bin Zayed", "mohamed-bin-zayed-al-nahyan"),
    ("Abdullah bin Zayed", "abdullah-bin-zayed-al-nahyan"),
    ("Mohammed bin Rashid", "mohammed-bin-rashid-al-maktoum"),
    ("Kim Jong-un", "kim-jong-un"),
    ("Kim Yo-jong", "kim-yo-jong"),
    ("Volodymyr Zelensky", "volodymyr-zelenskyy"),
    ("Zelenskiy", None),  # a bare surname is for the resolver, not the dictionary
    ("Badr Al Busaidi", "badr-albusaidi"),
    ("Nechirvan Barzani", "nechirvan-barzani"),
    ("Masrour Barzani", "masrour-barzani"),
    ("Masoud Barzani", "masoud-barzani"),
])
def test_names_with_shared_parts_stay_apart(bundled: ActorDictionary, form: str,
                                            actor_id: str | None) -> None:
    assert [e.id for e in bundled.named(form)] == ([actor_id] if actor_id else [])


def test_two_saudi_foreign_ministers_called_faisal_are_told_apart_by_date(bundled: ActorDictionary) -> None:
    office = "Minister of Foreign Affairs"
    assert [e.id for e in bundled.holders(office, "SAU", day("2014-06-01"))] == ["saud-al-faisal"]
    assert [e.id for e in bundled.holders(office, "SAU", day("2025-06-01"))] == ["faisal-bin-farhan"]


def test_the_al_thanis_hold_different_offices(bundled: ActorDictionary) -> None:
    on = day("2024-06-01")
    emir, premier = bundled.get("tamim-bin-hamad-al-thani"), bundled.get("mohammed-bin-abdulrahman-al-thani")
    assert emir is not None and premier is not None
    assert emir.role_on(on).office == "Emir"  # type: ignore[union-attr]
    held = {r.office for r in premier.roles if r.held_on(on)}
    assert held == {"Prime Minister", "Minister of Foreign Affairs"}
    assert not set(map(str.lower, (emir.name, *emir.aliases))) & set(map(str.lower, (premier.name,
                                                                                     *premier.aliases)))
