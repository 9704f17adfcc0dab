"""Datelines and base dates (detente.ingest.sniff): every wire form, years completed from the
document, a reference number, the file name or the user; the language check (lingua)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.errors import NotEnglish
from detente.ingest import IngestOptions, read_file
from detente.ingest.sniff import (
    complete_year,
    file_name_date,
    load_sniff_tables,
    sniff_dateline,
    sniff_metadata,
    sniff_place_date_line,
)
from detente.ingest.text import check_english, load_language_check
from detente.model import Article, DateValue

TABLES = load_sniff_tables()
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
SHORT = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
DASHES = [" —", " -", " –", "—", " --"]

cities = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWYZ", min_size=3, max_size=12)
days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
agencies = st.sampled_from([None, "Reuters", "AFP", "AP", "Xinhua", "dpa"])


def _month(day: dt.date, short: bool) -> str:
    return (SHORT if short else MONTHS)[day.month - 1]


@settings(max_examples=150, deadline=None)
@given(city=cities, day=days, form=st.sampled_from(["mdy", "md_paren", "dm_agency", "md_agency", "dmy"]),
       dash=st.sampled_from(DASHES), agency=agencies, short=st.booleans(),
       body=st.sampled_from(["", " Police said three people were killed.", " The ministry said."]))
def test_every_dateline_form_reads_back(city: str, day: dt.date, form: str, dash: str, agency: str | None,
                                        short: bool, body: str) -> None:
    mon = _month(day, short)
    tag = f" ({agency})" if agency else ""
    line = {
        "mdy": f"{city}, {mon} {day.day}, {day.year}{tag}{dash}{body}",
        "dmy": f"{city}, {day.day} {mon} {day.year}{tag}{dash}{body}",
        "md_paren": f"{city} ({mon} {day.day}){dash}{body}",
        "dm_agency": f"{city}, {day.day} {mon}{tag}{dash}{body}",
        "md_agency": f"{city}, {mon} {day.day}{tag}{dash}{body}",
    }[form]
    got = sniff_dateline(line, TABLES)
    assert got is not None, line
    assert (got.month, got.day_of_month) == (day.month, day.day)
    assert got.place == city
    assert got.year == (day.year if form in ("mdy", "dmy") else None)
    assert got.agency == (agency if form != "md_paren" else None)


@settings(max_examples=80, deadline=None)
@given(day=days, dash=st.sampled_from(DASHES), short=st.booleans())
def test_own_line_date_with_a_dash(day: dt.date, dash: str, short: bool) -> None:
    text = f"Headline of the story\n\n{_month(day, short)} {day.day}, {day.year}{dash}\n\nThe army said."
    sniffed = sniff_metadata(text, TABLES)
    assert sniffed.published is not None and sniffed.published.value == day.isoformat()


@settings(max_examples=80, deadline=None)
@given(day=days, lag=st.integers(min_value=0, max_value=25))
def test_year_from_the_documents_other_dates(day: dt.date, lag: int) -> None:
    """A dateline is the newest date of its story: a day-month takes the year that puts it on or
    just after the latest full date in the text, across a new year too."""
    earlier = day - dt.timedelta(days=lag)
    text = f"Fighting began on {MONTHS[earlier.month - 1]} {earlier.day}, {earlier.year}."
    got = complete_year(day.month, day.day, text, TABLES)
    assert got == (day, "document-date")


@pytest.mark.parametrize(("text", "file_name", "year", "expected"), [
    ("Press Release No. 045/2025\n\nKABUL (April 8) — Police said.", None, None,
     ("2025-04-08", "reference-number")),
    ("Ref: MOD/2023/118\nKHARTOUM (Nov. 2) - The army said.", None, None, ("2023-11-02", "reference-number")),
    ("Text © 2022 The Agency\nLAGOS (May 3) — Gunmen attacked.", None, None,
     ("2022-05-03", "reference-number")),
    ("KABUL (April 8) — Police said.", "2024-04-09_kabul.txt", None, ("2024-04-08", "file-name")),
    ("KABUL (April 8) — Police said.", None, 2021, ("2021-04-08", "user")),
])
def test_year_evidence_recorded_in_found(text: str, file_name: str | None, year: int | None,
                                          expected: tuple[str, str]) -> None:
    sniffed = sniff_metadata(text, TABLES, file_name=file_name, user_year=year)
    assert sniffed.published is not None
    assert (sniffed.published.value, sniffed.found["published_year"]) == expected
    assert sniffed.found["published"] == "dateline"


def test_dateline_without_any_year_evidence_stays_undated_and_says_so() -> None:
    sniffed = sniff_metadata("Title\n\nKABUL (April 8) — Police said three men died.", TABLES)
    assert sniffed.published is None
    assert sniffed.found["dateline"] == "04-08, no year"


def test_agency_becomes_the_source_and_the_dateline_is_not_the_title() -> None:
    sniffed = sniff_metadata("BEIRUT, Oct 5, 2024 (Reuters) - Israel struck a building.", TABLES)
    assert sniffed.source == "Reuters" and sniffed.title is None
    assert sniffed.found["dateline_place"] == "BEIRUT"


@pytest.mark.parametrize("line", [
    "By John Smith, April 8, 2025 —",  # a byline's author, not a place
    "Kabul, April 8 the talks resumed",  # no dash: prose
    "KABUL (April 31) — Police said.",  # no such day
    "In May 2024 — the government said",
])
def test_not_datelines(line: str) -> None:
    got = sniff_dateline(line, TABLES)
    assert got is None


@pytest.mark.parametrize(("head", "day", "place"), [
    ("GARISSA, March 4, 2023", dt.date(2023, 3, 4), "GARISSA"),
    ("Lusaka, 2 February 2022", dt.date(2022, 2, 2), "Lusaka"),
    ("Accra, 3rd June 2021", dt.date(2021, 6, 3), "Accra"),
    ("Press Statement — Tbilisi, October 9, 2024", dt.date(2024, 10, 9), "Tbilisi"),
    ("Ministry of Defence — Vilnius, 14 May 2025", dt.date(2025, 5, 14), "Vilnius"),
    ("Joint Communique - Santo Domingo, Sept. 1, 2020", dt.date(2020, 9, 1), "Santo Domingo"),
])
def test_place_date_line_on_its_own_dates_the_article(head: str, day: dt.date, place: str) -> None:
    assert sniff_place_date_line(head, TABLES) == (day, place)
    sniffed = sniff_metadata(f"Office of the Spokesperson\n{head}\n\nThe minister met the envoy.", TABLES)
    assert sniffed.published == DateValue.of_day(day, how="dateline")
    assert sniffed.found["dateline_place"] == place
    assert sniffed.title == "Office of the Spokesperson"


@pytest.mark.parametrize("line", [
    "The talks ended, officials said, March 3, 2021",  # lower-case words: a sentence
    "He spoke in Lusaka, 2 February 2022.",
    "By Jane Roe, March 3, 2021",  # a byline
    "Lusaka, 31 February 2022",  # no such day
    "Lusaka, February 2022",  # no day
])
def test_not_place_date_lines(line: str) -> None:
    assert sniff_place_date_line(line, TABLES) is None


def test_feed_timestamps_date_the_article() -> None:
    stamps = ("2025-04-12T08:30:00Z", "Sat, 12 Apr 2025 08:30:00 +0000", "Published: 2025-04-12 08:30 GMT")
    for stamp in stamps:
        sniffed = sniff_metadata(f"Title\n{stamp}\nThe army said.", TABLES)
        assert sniffed.published is not None and sniffed.published.value == "2025-04-12", stamp


def test_file_name_dates() -> None:
    assert file_name_date("reports/20250408-kabul.txt") == dt.date(2025, 4, 8)
    assert file_name_date("000_615a9d514c2456a5.txt") is None


def test_year_option_reaches_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("GAZA, 12 May (AFP) — An air strike hit a school, the civil defence agency said.",
                    encoding="utf-8")
    plain = next(read_file(path))
    given_year = next(read_file(path, IngestOptions(year=2024)))
    assert isinstance(plain, Article) and plain.published is None
    assert isinstance(given_year, Article) and given_year.published is not None
    assert given_year.published.value == "2024-05-12" and given_year.found["published_year"] == "user"


# --- language identification ---------------------------------------------------------------

TERSE = [
    "PESHAWAR: 2 cops martyred, 3 injured in IED blast near Bannu; CTD launches op. Probe on.",
    "MOGADISHU (Reuters) - Car bomb kills 4 near checkpoint, police say. Al Shabaab claims.",
    "Release No. 12/2025. 0300hrs: Coalition aircraft struck 2 UAV launch sites, Hodeidah gov.",
]


# headline-only, name-heavy and all-capitals English: names read as other languages to the detector
HEADLINES = [
    "Kenya, Uganda sign border pact",
    "Shehbaz Sharif, Asim Munir, Ishaq Dar receive Mohammed bin Salman in Islamabad",
    "Jean-Noel Barrot, Annalena Baerbock, Antonio Tajani back Kaja Kallas plan",
    "Ahmed al-Sharaa met Hakan Fidan and Asaad al-Shaibani in Damascus on Sunday",
    "Recep Tayyip Erdogan, Ilham Aliyev, Nikol Pashinyan, Kassym-Jomart Tokayev at Astana summit",
    "BURKINA FASO JUNTA EXPELS FRENCH DIPLOMATS OVER ESPIONAGE CLAIMS, STATE TV SAYS",
    "KYIV - UKRAINIAN DRONES HIT OIL TERMINAL OVERNIGHT, REGIONAL OFFICIALS SAY",
]


@pytest.mark.parametrize("text", TERSE + HEADLINES)
def test_terse_english_passes(text: str) -> None:
    check_english("x.txt", text)


@pytest.mark.parametrize(("text", "language"), [
    ("Le ministre a annoncé mardi que les négociations reprendraient à Genève la semaine prochaine.",
     "French"),
    ("El ejército informó que tres soldados murieron en un ataque cerca de la frontera el lunes.",
     "Spanish"),
    ("Die Regierung hat am Dienstag eine neue Waffenruhe mit den Rebellen im Norden angekündigt.",
     "German"),
    # many names: the second look, without them, still finds the language
    ("Le Premier ministre Gabriel Attal et Emmanuel Macron ont rencontré Olaf Scholz à Paris", "French"),
    ("Der Bundeskanzler Olaf Scholz und Emmanuel Macron trafen sich in Berlin mit Giorgia Meloni",
     "German"),
])
def test_other_languages_are_named(text: str, language: str) -> None:
    with pytest.raises(NotEnglish, match=language):
        check_english("x.txt", text)


def test_language_file_is_validated(tmp_path: Path) -> None:
    from detente.errors import DataFileError

    path = tmp_path / "languages.yaml"
    path.write_text("languages: [english, klingon]\nmin_words: 5\nmin_english_confidence: 0.2\n"
                    "sample_chars: 1000\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="klingon"):
        load_language_check(path)
