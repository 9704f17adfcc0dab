"""Tests for detente.ingest: file types, metadata sniffing, record files and bad inputs."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.errors import (
    BinaryInput,
    DataFileError,
    EmptyInput,
    InputError,
    NoArticle,
    NotEnglish,
    RecordError,
    ScannedPDF,
    TooLarge,
    UnreadablePath,
    UnsupportedType,
)
from detente.ingest import SUPPORTED_SUFFIXES, IngestOptions, iter_input_files, read_file, read_paths
from detente.ingest.encoding import decode
from detente.ingest.sniff import (
    load_sniff_tables,
    parse_record_date,
    sniff_byline,
    sniff_caption_date,
    sniff_date_line,
    sniff_metadata,
)
from detente.ingest.text import decode_bytes, load_stopwords, warnings_of
from detente.model import Article, DateValue

# --- article texts written for these tests ---------------------------------------------------

BODY = (
    "The foreign ministers of Pakistan and Iran met in Islamabad on Monday and agreed to reopen "
    "the border crossing at Taftan, which had been closed for three weeks after an attack on a "
    "police post in the province of Sistan and Baluchestan.\n\n"
    "Officials from both sides said that the talks were held in a friendly atmosphere and that "
    "the two countries would share intelligence on armed groups that operate along the frontier. "
    "A joint committee is expected to meet again in Tehran before the end of the month.\n"
)
TITLE = "Pakistan and Iran agree to reopen border crossing"
CAPTION_AFP = ("The two foreign ministers shake hands before their meeting in Islamabad, Pakistan, "
               "Feb. 12, 2024. (AFP Photo)")
CAPTION_PHOTO_BY = ("Officials inspect the gate at the Taftan crossing, Pakistan, Jan. 30, 2024.  "
                    "Photo by Staff/Example Agency.")
FRENCH = (
    "Le ministre des affaires étrangères du Pakistan a rencontré son homologue iranien à Téhéran "
    "pour discuter de la sécurité à la frontière commune. Les deux pays ont convenu de renforcer "
    "leur coopération contre le terrorisme et de rouvrir les points de passage fermés depuis le "
    "mois dernier.\n"
)


def article(*head: str, body: str = BODY) -> str:
    """An article: the given head lines, a blank line, then the body."""
    return "\n\n".join([*head, body])


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def read_one(path: Path, options: IngestOptions | None = None) -> Article | InputError:
    results = list(read_file(path, options or IngestOptions()))
    assert len(results) == 1, results
    return results[0]


def read_article(path: Path, options: IngestOptions | None = None) -> Article:
    result = read_one(path, options)
    assert isinstance(result, Article), result
    return result


def make_text_pdf(path: Path, lines: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line)
        pdf.ln(4)
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 60, style="F")  # a picture, no text layer
    pdf.output(str(path))
    return path


def html_page(body_html: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body_html}</body></html>"


NAV_ONLY = html_page("<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/about'>About</a></nav>"
                     "<footer>All rights reserved</footer>")


# --- bad inputs --------------------------------------------------------------------------------

Builder = Callable[[Path], Path]

BAD_INPUTS: list[tuple[str, Builder, IngestOptions, type[InputError], str, str | None]] = [
    # (case, build file, options, error class, words of the problem, words of the hint)
    ("empty", lambda d: write(d / "empty.txt", b""), IngestOptions(), EmptyInput, "empty", None),
    ("whitespace", lambda d: write(d / "blank.txt", " \n\t\r\n  \n"), IngestOptions(), EmptyInput,
     "whitespace", None),
    ("nul bytes", lambda d: write(d / "data.txt", b"\x00\x01\x02PK\x03\x04" * 50), IngestOptions(),
     BinaryInput, "binary", "plain text"),
    ("control noise", lambda d: write(d / "noise.txt", bytes(range(1, 9)) * 200), IngestOptions(),
     BinaryInput, "non-text", None),
    ("pdf named txt", lambda d: write(d / "report.txt", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj"), IngestOptions(),
     BinaryInput, "is a PDF", ".pdf"),
    ("scanned pdf", lambda d: make_scanned_pdf(d / "scan.pdf"), IngestOptions(), ScannedPDF,
     "no text layer", "ocrmypdf"),
    ("not a pdf", lambda d: write(d / "fake.pdf", article(TITLE)), IngestOptions(), BinaryInput,
     "not a PDF", None),
    ("too large", lambda d: write(d / "big.txt", article(TITLE)), IngestOptions(max_bytes=100), TooLarge,
     "over the limit of 100 bytes", "--max-bytes"),
    ("too large html", lambda d: write(d / "big.html", html_page("<p>" + BODY * 3 + "</p>")),
     IngestOptions(max_bytes=200), TooLarge, "over the limit", "split it"),
    ("html without article", lambda d: write(d / "index.html", NAV_ONLY), IngestOptions(), NoArticle,
     "no article body", "article page"),
    ("french", lambda d: write(d / "article_fr.txt", FRENCH), IngestOptions(), NotEnglish,
     "does not look like English", "translate"),
    ("missing", lambda d: d / "nowhere.txt", IngestOptions(), UnreadablePath, "no such file", None),
    ("unsupported suffix", lambda d: write(d / "notes.docx", article(TITLE)), IngestOptions(),
     UnsupportedType, "unsupported file type '.docx'", ".jsonl"),
    ("no suffix", lambda d: write(d / "README", article(TITLE)), IngestOptions(), UnsupportedType,
     "no suffix", ".txt"),
    ("broken json", lambda d: write(d / "batch.json", '[{"text": "x"},\n{"text": '), IngestOptions(),
     RecordError, "not valid JSON", None),
    ("json not a list", lambda d: write(d / "batch.json", '"just a string"'), IngestOptions(), RecordError,
     "expected a list", None),
    ("blank jsonl", lambda d: write(d / "batch.jsonl", "\n\n  \n"), IngestOptions(), EmptyInput,
     "blank lines", None),
    ("csv without text column", lambda d: write(d / "batch.csv", "title,date\nA,2024-01-01\n"),
     IngestOptions(), RecordError, "no 'text' column", "--text-field"),
]


@pytest.mark.parametrize(("case", "build", "options", "error", "problem", "hint"), BAD_INPUTS,
                         ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gives_one_clear_error(tmp_path: Path, case: str, build: Builder, options: IngestOptions,
                                         error: type[InputError], problem: str, hint: str | None) -> None:
    path = build(tmp_path)
    result = read_one(path, options)
    assert type(result) is error, f"{case}: {result!r}"
    message = str(result)
    assert path.name in message
    assert result.path == str(path)
    assert problem in message
    if hint is not None:
        assert result.hint is not None and hint in result.hint


def test_bad_input_table_covers_every_error_class() -> None:
    covered = {case[3] for case in BAD_INPUTS}
    assert covered >= {EmptyInput, BinaryInput, ScannedPDF, NoArticle, NotEnglish, TooLarge, RecordError,
                       UnreadablePath, UnsupportedType}


def test_too_large_is_decided_from_stat_without_reading(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "huge.txt", "x" * 5000)

    def no_reading(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    result = read_one(path, IngestOptions(max_bytes=1000))
    assert isinstance(result, TooLarge)
    assert "5,000 bytes" in str(result)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_is_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", article(TITLE))
    path.chmod(0)
    try:
        result = read_one(path)
    finally:
        path.chmod(0o644)
    assert isinstance(result, UnreadablePath)
    assert "permission denied" in str(result)


@pytest.mark.parametrize("suffix", [".txt", ".html", ".pdf", ".jsonl", ".json", ".csv"])
def test_read_permission_error_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             suffix: str) -> None:
    path = write(tmp_path / f"locked{suffix}", article(TITLE))
    def denied(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    monkeypatch.setattr(Path, "open", denied)
    results = list(read_file(path))
    assert len(results) == 1 and isinstance(results[0], UnreadablePath), results
    assert path.name in str(results[0]) and "permission denied" in str(results[0]).lower()


def test_unsupported_suffix_hint_lists_every_supported_suffix(tmp_path: Path) -> None:
    result = read_one(write(tmp_path / "a.md", article(TITLE)))
    assert isinstance(result, UnreadablePath) and result.hint is not None
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in result.hint


def test_short_texts_are_too_short_to_judge(tmp_path: Path) -> None:
    assert isinstance(read_one(write(tmp_path / "x.txt", "Bonjour, ceci est un texte court.")), Article)


def test_language_check_can_be_turned_off(tmp_path: Path) -> None:
    path = write(tmp_path / "fr.txt", FRENCH)
    assert isinstance(read_one(path), NotEnglish)
    assert isinstance(read_one(path, IngestOptions(check_language=False)), Article)


# --- plain text: decoding and sniffing --------------------------------------------------------


def test_cp1252_text_is_read_not_rejected(tmp_path: Path) -> None:
    text = article(TITLE, "Jan 13, 2020", body="Pakistan\x92s caf\xe9 diplomacy \x93worked\x94 in the end.\n")
    path = write(tmp_path / "windows.txt", text.encode("latin-1"))
    art = read_article(path)
    assert art.found["encoding"] == "cp1252"
    assert "Pakistan’s café diplomacy “worked” in the end." in art.text
    assert art.published == DateValue("2020-01-13", "day", how="date-line")


def test_utf8_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    text = article(TITLE, "November 25, 2019").replace("\n", "\r\n")
    art = read_article(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert art.found["encoding"] == "utf-8-sig"
    assert "\r" not in art.text and not art.text.startswith("\ufeff")
    assert art.title == TITLE and art.text.startswith(TITLE)
    same = read_article(write(tmp_path / "plain.txt", text.replace("\r\n", "\n")))
    assert same.doc_id == art.doc_id


@pytest.mark.parametrize(("data", "encoding", "expected"), [
    ("naïve “quotes”".encode(), "utf-8", "naïve “quotes”"),
    (b"it\x92s", "cp1252", "it’s"),
    ("utf16 text".encode("utf-16"), "utf-16", "utf16 text"),
    ("utf32 text".encode("utf-32"), "utf-32", "utf32 text"),
])
def test_decode_bytes(data: bytes, encoding: str, expected: str) -> None:
    assert decode_bytes(data) == (expected, encoding)
    assert decode(data).warning is None


RUSSIAN = "Министр иностранных дел встретился с послом в столице в понедельник утром"


@pytest.mark.parametrize(("data", "encoding", "text", "warned"), [
    # a UTF-8 file with one stray cp1252 byte: the UTF-8 stays UTF-8, the stray byte is named
    ("Jilani met Amir-Abdollahian in Tehran; “calm” returned. ".encode() + b"Sharif\x92s aide",
     "utf-8", "“calm” returned. Sharif’s aide",  # 60 bytes before "Sharif"
     "1 byte(s) are not valid UTF-8 (the first at byte 66)"),
    # bytes cp1252 does not define: no silent Latin-1, a warning
    (b"Talks \x81 resumed \x8d today", "cp1252", "Talks \ufffd resumed \ufffd today", "2 undefined byte(s)"),
    (RUSSIAN.encode("cp1251"), "cp1251", RUSSIAN, "charset-normalizer detected cp1251"),
    # a UTF-16 byte-order mark followed by an odd byte count
    (b"\xff\xfeh\x00i\x00!", "utf-16", "hi", "UTF-16 byte-order mark"),
])
def test_undecodable_bytes_are_named_never_garbled_silently(data: bytes, encoding: str, text: str,
                                                            warned: str) -> None:
    decoded = decode(data)
    assert decoded.encoding == encoding
    assert text in decoded.text
    assert decoded.warning is not None and warned in decoded.warning


def test_txt_records_its_encoding_and_what_was_replaced(tmp_path: Path) -> None:
    data = (article(TITLE).encode() + "Café owners in Quetta said the “talks” helped.".encode()
            + b" It\x92s over.\n")
    art = read_article(write(tmp_path / "mixed.txt", data))
    assert art.found["encoding"] == "utf-8"
    assert "Café owners" in art.text and "“talks”" in art.text and "It’s over." in art.text
    assert list(warnings_of(art.found)) == [decode(data).warning]


def test_lone_surrogates_in_records_are_repaired_and_named(tmp_path: Path) -> None:
    # json.dumps writes "\ud800" as the escape \\ud800, as scrapers do
    lines = [json.dumps({"text": BODY + "Envoy \ud800 said.", "title": "Border \udc00 talks",
                         "author": "Jane \ud83d Roe", "id": "s-1"}),
             json.dumps({"text": BODY.replace("Monday", "Tuesday"), "title": "Clean"})]
    path = write(tmp_path / "scraped.jsonl", "\n".join(lines))
    first, second = list(read_file(path))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert "Envoy \ufffd said." in first.text and first.title == "Border \ufffd talks"
    assert first.author == "Jane \ufffd Roe"
    first.text.encode("utf-8")  # storable
    warned = list(warnings_of(first.found))
    assert [w.split("'")[1] for w in warned] == ["text", "title", "author"]
    assert first.found["line"] == "1" and first.found["encoding"] == "utf-8"
    assert not list(warnings_of(second.found))


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_lone_surrogates_in_json_and_csv_files(tmp_path: Path, suffix: str) -> None:
    if suffix == ".json":
        content = json.dumps([{"text": BODY + "\udfff", "title": "T\ud800"}]).encode()
    else:  # the surrogate's UTF-8-like bytes (CESU/WTF-8) in a CSV file
        content = ('title,text\nCafé talks,"' + BODY).encode() + b'\xed\xa0\x80"\n'
    (art,) = list(read_file(write(tmp_path / f"dump{suffix}", content)))
    assert isinstance(art, Article), art
    art.text.encode("utf-8")
    warned = list(warnings_of(art.found))
    if suffix == ".json":
        assert "\ufffd" in art.text and art.title == "T\ufffd" and len(warned) == 2
    else:  # invalid UTF-8, read as cp1252 and named; the UTF-8 around it is intact
        assert art.title == "Café talks" and len(warned) == 1 and "not valid UTF-8" in warned[0]


SNIFF_CASES = [
    # (case, text, published value, how, found["published"], author, source)
    ("date line", article(TITLE, CAPTION_AFP, "Jan 13, 2020"), "2020-01-13", "date-line", "date-line",
     None, None),
    ("long month date line", article(TITLE, "November 25, 2019"), "2019-11-25", "date-line", "date-line",
     None, None),
    ("byline-dateline", article(TITLE, "Jane Roe, Example Times, July 26, 2023 —"), "2023-07-26", "byline",
     "byline", "Jane Roe", "Example Times"),
    ("byline with initials", article(TITLE, "A.B. Karimi, The Frontier Post, March 3, 2021 — Officials met."),
     "2021-03-03", "byline", "byline", "A.B. Karimi", "The Frontier Post"),
    ("caption, afp", article(TITLE, CAPTION_AFP), "2024-02-12", "caption", "caption-inferred", None, None),
    ("latest of two captions", article(TITLE, CAPTION_PHOTO_BY, body=BODY + "\n" + CAPTION_AFP + "\n"),
     "2024-02-12", "caption", "caption-inferred", None, None),
    ("caption photo by", article(TITLE, CAPTION_PHOTO_BY), "2024-01-30", "caption", "caption-inferred",
     None, None),
    ("no date", article(TITLE), None, None, None, None, None),
    ("date inside a sentence only",
     article(TITLE, body="Talks began on Jan 13, 2020, in Islamabad.\n" + BODY),
     None, None, None, None, None),
    ("caption without credit is not a caption",
     article(TITLE, body=BODY + "\nThe talks ended in Tehran, Iran, Oct. 13, 2019.\n"),
     None, None, None, None, None),
]


@pytest.mark.parametrize(("case", "text", "value", "how", "found", "author", "source"), SNIFF_CASES,
                         ids=[c[0] for c in SNIFF_CASES])
def test_txt_metadata_is_sniffed_from_the_text(tmp_path: Path, case: str, text: str, value: str | None,
                                               how: str | None, found: str | None, author: str | None,
                                               source: str | None) -> None:
    art = read_article(write(tmp_path / "a.txt", text))
    assert art.text == text  # the full text, title included: offsets index it
    assert art.title == TITLE and art.found["title"] == "first-line"
    if value is None:
        assert art.published is None and "published" not in art.found
    else:
        assert art.published == DateValue(value, "day", how=how or "")
        assert art.found["published"] == found
    assert art.author == author
    assert art.source == source


@pytest.mark.parametrize(("line", "expected"), [
    ("Jan 13, 2020", dt.date(2020, 1, 13)),
    ("Sept. 23, 2019", dt.date(2019, 9, 23)),
    ("Monday, January 13, 2020", dt.date(2020, 1, 13)),
    ("13 January 2020", dt.date(2020, 1, 13)),
    ("Published: Nov 25, 2019 10:30 AM", dt.date(2019, 11, 25)),
    ("2020-01-13", dt.date(2020, 1, 13)),
    ("Feb 30, 2020", None),  # no such day
    ("Someday Jan 13, 2020", None),
    ("Talks on Jan 13, 2020", None),
    ("Jan 13", None),
])
def test_sniff_date_line(line: str, expected: dt.date | None) -> None:
    assert sniff_date_line(line) == expected


@pytest.mark.parametrize(("line", "author", "source"), [
    ("Jane Roe, Example Times, July 26, 2023 —", "Jane Roe", "Example Times"),
    ("By Jane Roe, March 3, 2021", "Jane Roe", None),
    ("ISLAMABAD, Pakistan, March 3, 2021 — Officials said", None, None),
])
def test_sniff_byline(line: str, author: str | None, source: str | None) -> None:
    byline = sniff_byline(line)
    assert byline is not None
    assert (byline.author, byline.source) == (author, source)


@pytest.mark.parametrize("line", [
    "The talks ended, officials said, March 3, 2021",  # a sentence, lower-case words
    "Jane Roe, March 3, 2021",  # one name, no dash: too weak
    "Jane Roe, Example Times, July 26, 2023 and more",
])
def test_not_a_byline(line: str) -> None:
    assert sniff_byline(line) is None


def test_caption_date_needs_a_credit() -> None:
    assert sniff_caption_date(CAPTION_AFP) == dt.date(2024, 2, 12)
    assert sniff_caption_date("He spoke in Rawalpindi, Pakistan, Jan. 29, 2024. Then he left.") is None


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       fmt=st.sampled_from(["%b %d, %Y", "%B %d, %Y"]))
def test_date_line_round_trips(day: dt.date, fmt: str) -> None:
    line = day.strftime(fmt)
    assert sniff_date_line(line) == day
    sniffed = sniff_metadata(article(TITLE, line))
    assert sniffed.published == DateValue.of_day(day, how="date-line")


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-01-16", DateValue("2024-01-16", "day", how="record")),
    ("2024-01-16T08:30:00Z", DateValue("2024-01-16", "day", how="record")),
    ("2024-01", DateValue("2024-01", "month", how="record")),
    ("2024", DateValue("2024", "year", how="record")),
    ("Jan 16, 2024", DateValue("2024-01-16", "day", how="record")),
    ("16 January 2024", DateValue("2024-01-16", "day", how="record")),
    ("January 2024", DateValue("2024-01", "month", how="record")),
    ("2024-13", None),
    ("2024-02-30", None),
    ("yesterday", None),
    ("not a date", None),
])
def test_parse_record_date(value: str, expected: DateValue | None) -> None:
    assert parse_record_date(value) == expected


# --- HTML and PDF ------------------------------------------------------------------------------


def test_html_article_with_metadata(tmp_path: Path) -> None:
    head = ("<title>Border deal | Example News</title><meta name='author' content='Jane Roe'>"
            "<meta property='og:site_name' content='Example News'>"
            "<meta property='article:published_time' content='2024-01-30T08:00:00Z'>"
            "<link rel='canonical' href='https://news.example.org/world/border-deal'>")
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    page = html_page(f"<nav><a href='/'>Home</a></nav><article><h1>{TITLE}</h1>{paragraphs}</article>"
                     "<footer>Copyright Example News</footer>", head)
    art = read_article(write(tmp_path / "page.html", page))
    assert art.title == TITLE  # the article's own headline, not the <title> with the site name
    assert art.text.startswith(art.title)
    assert "reopen the border crossing at Taftan" in art.text
    assert "Home" not in art.text and "Copyright" not in art.text
    assert art.published == DateValue("2024-01-30", "day", how="html-metadata")
    assert art.author == "Jane Roe"
    assert art.source == "Example News"
    assert art.url == "https://news.example.org/world/border-deal"
    assert art.found["published"] == "html-metadata"


def test_html_without_date_metadata_falls_back_on_sniffing(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in [CAPTION_AFP, *BODY.split("\n\n")])
    page = html_page(f"<article><h1>{TITLE}</h1>{paragraphs}</article>")
    art = read_article(write(tmp_path / "page.htm", page))
    assert art.published == DateValue("2024-02-12", "day", how="caption")
    assert art.found["published"] == "caption-inferred"


def test_pdf_with_text_layer_is_sniffed_like_text(tmp_path: Path) -> None:
    path = make_text_pdf(tmp_path / "report.pdf", [TITLE, "March 4, 2024", *BODY.split("\n\n")])
    art = read_article(path)
    assert art.title == TITLE
    assert art.published == DateValue("2024-03-04", "day", how="date-line")
    assert art.found["extractor"] == "pypdf"
    assert "Taftan" in art.text


# --- record files ------------------------------------------------------------------------------


def test_jsonl_bad_line_in_the_middle(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": article(TITLE), "title": "First", "date": "2024-01-16", "id": "a-1",
                    "url": "https://example.org/1", "source": "Example Wire", "author": "Jane Roe"}),
        '{"text": "unterminated',
        "",
        json.dumps({"title": "No text here"}),
        json.dumps({"text": BODY, "date": "Jan 16, 2024", "id": 42}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    results = list(read_file(path))
    assert [type(r).__name__ for r in results] == ["Article", "RecordError", "RecordError", "Article"]
    first, bad_json, no_text, last = results
    assert isinstance(first, Article) and isinstance(last, Article)
    assert isinstance(bad_json, RecordError) and isinstance(no_text, RecordError)
    assert bad_json.line == 2 and f"{path}:2" in str(bad_json) and "not valid JSON" in str(bad_json)
    assert no_text.line == 4 and "no 'text' field" in str(no_text)
    assert (first.title, first.record_id, first.url, first.source, first.author) == (
        "First", "a-1", "https://example.org/1", "Example Wire", "Jane Roe")
    assert first.published == DateValue("2024-01-16", "day", how="record")
    assert first.found["published"] == "record"
    assert last.record_id == "42" and last.published == DateValue("2024-01-16", "day", how="record")
    assert first.doc_id != last.doc_id


def test_jsonl_field_names_and_per_record_checks(tmp_path: Path) -> None:
    options = IngestOptions(text_field="body", title_field="headline", date_field="published", max_bytes=2000)
    lines = [
        json.dumps({"body": BODY, "headline": "Renamed", "published": "2023-07"}),
        json.dumps({"body": FRENCH}),
        json.dumps({"body": BODY * 5}),
        json.dumps({"body": "   "}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"body": BODY, "published": "sometime soon"}),
    ]
    results = list(read_file(write(tmp_path / "renamed.jsonl", "\n".join(lines)), options))
    good, french, big, empty, listed, undated = results
    assert isinstance(good, Article) and good.title == "Renamed"
    assert good.published == DateValue("2023-07", "month", how="record")
    assert isinstance(french, RecordError) and isinstance(french, NotEnglish) and french.line == 2
    assert isinstance(big, RecordError) and isinstance(big, TooLarge) and big.line == 3
    assert isinstance(empty, RecordError) and isinstance(empty, EmptyInput) and empty.line == 4
    assert isinstance(listed, RecordError) and "JSON object" in str(listed)
    assert isinstance(undated, Article) and undated.published is None
    assert undated.found["published"] == "record-unparsed" and undated.found["date_raw"] == "sometime soon"


def test_record_without_metadata_is_sniffed(tmp_path: Path) -> None:
    record = {"text": article(TITLE, "Jane Roe, Example Times, July 26, 2023 —")}
    art = read_article(write(tmp_path / "one.jsonl", json.dumps(record)))
    assert art.title == TITLE and art.author == "Jane Roe"
    assert art.published == DateValue("2023-07-26", "day", how="byline")


def test_one_line_record_has_no_sniffed_title(tmp_path: Path) -> None:
    one_line = BODY.replace("\n", " ").strip()
    art = read_article(write(tmp_path / "flat.jsonl", json.dumps({"text": one_line})))
    assert art.title is None and "title" not in art.found


@pytest.mark.parametrize("shape", ["list", "articles"])
def test_json_records_carry_their_line_numbers(tmp_path: Path, shape: str) -> None:
    items = [{"text": BODY, "id": "x1"}, {"title": "missing text"}, {"text": article(TITLE), "id": "x3"}]
    listing = json.dumps(items, indent=2)
    content = listing if shape == "list" else '{\n  "source": "dump",\n  "articles": ' + listing + "\n}"
    path = write(tmp_path / "dump.json", content)
    results = list(read_file(path))
    assert [type(r).__name__ for r in results] == ["Article", "RecordError", "Article"]
    bad = results[1]
    assert isinstance(bad, RecordError)
    lines = content.splitlines()
    title_line = next(n for n, ln in enumerate(lines, start=1) if '"missing text"' in ln)
    assert lines[title_line - 2].strip() == "{"
    assert bad.line == title_line - 1  # the line of the record's opening brace
    assert [r.record_id for r in results if isinstance(r, Article)] == ["x1", "x3"]


def test_csv_rows_with_multiline_fields_and_cp1252(tmp_path: Path) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "title", "date", "text"])
    writer.writerow(["r1", "Multi-line", "2024-01-16", article(TITLE)])
    writer.writerow(["r2", "Empty", "2024-01-17", ""])
    writer.writerow(["r3", "Café talks", "Jan 18, 2024", "Pakistan’s envoy said the café talks went well."])
    path = write(tmp_path / "rows.csv", buffer.getvalue().encode("cp1252"))
    results = list(read_file(path))
    assert [type(r).__name__ for r in results] == ["Article", "EmptyRecord", "Article"]
    first, empty, last = results
    assert isinstance(first, Article) and isinstance(last, Article) and isinstance(empty, RecordError)
    assert first.record_id == "r1" and first.text == article(TITLE) and first.found["line"] == "2"
    assert empty.line == 2 + article(TITLE).count("\n") + 1
    assert last.title == "Café talks" and "Pakistan’s" in last.text
    assert last.published == DateValue("2024-01-18", "day", how="record")


# --- folders -----------------------------------------------------------------------------------


def test_iter_input_files_walks_sorted_skips_hidden_and_reports_missing(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for name in ["b.txt", "a.txt", "sub/c.html", "sub/.hidden.txt", ".git/config.txt", "notes.md"]:
        write(root / name, article(TITLE))
    items = list(iter_input_files([root, root / "a.txt", tmp_path / "gone"]))
    files = [i for i in items if isinstance(i, Path)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [f.relative_to(root).as_posix() for f in files] == ["a.txt", "b.txt", "sub/c.html"]
    assert len(errors) == 1 and isinstance(errors[0], UnreadablePath) and "gone" in str(errors[0])


def test_read_paths_reads_articles_and_reports_errors(tmp_path: Path) -> None:
    write(tmp_path / "in" / "one.txt", article(TITLE, "Jan 13, 2020"))
    write(tmp_path / "in" / "two.txt", b"")
    write(tmp_path / "in" / "three.jsonl", json.dumps({"text": BODY}) + "\n")
    results = list(read_paths([tmp_path / "in"]))
    kinds = sorted(type(r).__name__ for r in results)
    assert kinds == ["Article", "Article", "EmptyInput"]


# --- data files --------------------------------------------------------------------------------


def test_bundled_word_lists_load() -> None:
    words = load_stopwords()
    assert {"the", "of", "and", "to", "that", "for", "with"} <= words
    assert "de" not in words and "la" not in words
    assert load_sniff_tables().months["sept"] == 9


@pytest.mark.parametrize(("content", "problem"), [
    ("months: {jan: 13}\nweekdays: []\nphoto_credits: []\ndate_line_prefixes: []\n", "months"),
    ("months: [1, 2]\n", "months"),
    ("- just\n- a list\n", "mapping"),
])
def test_bad_sniff_table_is_a_data_file_error(tmp_path: Path, content: str, problem: str) -> None:
    path = write(tmp_path / "sniff.yaml", content)
    with pytest.raises(DataFileError, match=problem):
        load_sniff_tables(path)


def test_bad_stopword_file_is_a_data_file_error(tmp_path: Path) -> None:
    path = write(tmp_path / "stop.txt", "the\nof\nTwo Words\n")
    with pytest.raises(DataFileError) as info:
        load_stopwords(path)
    assert info.value.line == 3
