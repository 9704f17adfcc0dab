"""Every reader survives every byte sequence: property tests over random bytes, lone surrogates in
JSON records and files mixing encodings.

A reader may turn a file into articles or into the project's typed errors
(:class:`~detente.errors.InputError` subclasses, yielded), never raise, never yield a
:class:`~detente.errors.ReaderFailure` (what :func:`detente.ingest.read_file` reports when a
reader breaks), and every article it yields can be stored: each of its strings encodes as UTF-8.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.errors import BinaryInput, InputError, ReaderFailure
from detente.ingest import SUPPORTED_SUFFIXES, IngestOptions, TextResources, read_file
from detente.ingest.encoding import decode
from detente.model import Article

RESOURCES = TextResources.default()
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
OPTIONS = [IngestOptions(), IngestOptions(check_language=False)]

SENTENCES = [
    "The foreign minister met his counterpart in the capital on Tuesday.",
    "Café owners near the border said the crossing reopened.",
    "Officials in Ankara and Tehran agreed to share intelligence.",
    "Москва и Киев обменялись заявлениями.",
    "東京で両国の外相が会談した。",
    "Le ministre a rencontré son homologue à Téhéran.",
]
ENCODINGS = ["utf-8", "cp1252", "latin-1", "cp1251", "shift_jis", "utf-16", "utf-8-sig"]

# strings with lone surrogates, control characters, NUL, non-characters, astral code points
WILD_TEXT = st.text(alphabet=st.one_of(
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    st.characters(),
    st.sampled_from(["\x00", "\ufffe", "\uffff", "\U0001f600", "\u2028", "\r", "\n", '"', "\\", ","]),
    st.sampled_from(list(" Pakistan Iran said talks border minister")),
), max_size=300)


def check_storable(item: Article | InputError) -> None:
    """What every reader must give: an Article whose strings are all storable, or a typed error."""
    assert isinstance(item, Article | InputError), type(item)
    assert not isinstance(item, ReaderFailure), str(item)
    if isinstance(item, InputError):
        str(item).encode("utf-8", errors="surrogatepass")  # the message can be printed
        return
    for value in (item.text, item.path, item.title, item.url, item.source, item.author,
                  item.record_id, item.doc_id, *item.found.keys(), *item.found.values()):
        if value is not None:
            value.encode("utf-8")  # raises UnicodeEncodeError on a lone surrogate
    assert "encoding" in item.found or "extractor" in item.found


def read_all(path: Path, options: IngestOptions) -> list[Article | InputError]:
    items = list(read_file(path, options, RESOURCES))
    assert items, "a reader yields at least one article or error per file"
    for item in items:
        check_storable(item)
    return items


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
@FUZZ
@given(data=st.binary(max_size=3000), prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"\xef\xbb\xbf",
                                                             b"\xff\xfe", b"<html><body><p>", b"text\n",
                                                             b'{"text": "', b"[{", b"\x00"]),
       options=st.sampled_from(OPTIONS))
def test_random_bytes_never_break_a_reader(folder: Path, suffix: str, data: bytes, prefix: bytes,
                                           options: IngestOptions) -> None:
    path = folder / f"random{suffix}"
    path.write_bytes(prefix + data)
    read_all(path, options)


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv"])
@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["text", "title", "date", "url", "source", "author", "id",
                                               "extra"]), WILD_TEXT, min_size=1),
       ascii_escapes=st.booleans(), options=st.sampled_from(OPTIONS))
def test_wild_strings_in_records_are_repaired_or_rejected(
        folder: Path, suffix: str, fields: dict[str, str], ascii_escapes: bool,
        options: IngestOptions) -> None:
    """Lone surrogates as JSON escapes (``"\\ud800"``) or as their raw WTF-8 bytes, NUL, control
    and astral characters in every field."""
    good = {"text": " ".join(SENTENCES[:3]), "title": "A record that is fine"}
    if suffix == ".csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=sorted({*fields, *good}))
        writer.writeheader()
        writer.writerow(fields)
        writer.writerow(good)
        content = buffer.getvalue().encode("utf-8", errors="surrogatepass")
    else:
        records = [fields, good]
        if suffix == ".jsonl":
            text = "\n".join(json.dumps(r, ensure_ascii=ascii_escapes) for r in records)
        else:
            text = json.dumps(records, ensure_ascii=ascii_escapes)
        content = text.encode("utf-8", errors="surrogatepass")
    path = folder / f"wild{suffix}"
    path.write_bytes(content)
    items = read_all(path, options)
    articles = [i for i in items if isinstance(i, Article)]
    if suffix == ".csv" and len(items) == 1 and isinstance(items[0], BinaryInput):
        # raw NUL bytes or many control characters (JSON escapes them, CSV does not) make the
        # file binary, rejected as a whole and named
        return
    assert any(a.title == "A record that is fine" for a in articles), items  # the good record survives


@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".csv", ".html"])
@FUZZ
@given(lines=st.lists(st.tuples(st.sampled_from(SENTENCES), st.sampled_from(ENCODINGS)), min_size=1,
                      max_size=12),
       options=st.sampled_from(OPTIONS))
def test_files_mixing_encodings_are_read_and_named(folder: Path, suffix: str, lines: list[tuple[str, str]],
                                                   options: IngestOptions) -> None:
    """Each line in its own encoding (a file pasted together from several sources)."""
    chunks: list[bytes] = []
    for sentence, encoding in lines:
        if suffix == ".jsonl":
            sentence = json.dumps({"text": sentence}, ensure_ascii=False)
        elif suffix == ".csv":
            sentence = '"' + sentence + '"'
        elif suffix == ".html":
            sentence = f"<p>{sentence}</p>"
        try:
            chunks.append(sentence.encode(encoding))
        except UnicodeEncodeError:
            chunks.append(sentence.encode(encoding, errors="replace"))
    head = b"text\n" if suffix == ".csv" else b""
    path = folder / f"mixed{suffix}"
    path.write_bytes(head + b"\n".join(chunks) + b"\n")
    read_all(path, options)


@FUZZ
@given(data=st.binary(max_size=4000))
def test_decode_never_raises_and_names_what_it_replaced(data: bytes) -> None:
    decoded = decode(data)
    decoded.text.encode("utf-8")
    try:
        clean = data.decode("utf-8")
    except UnicodeDecodeError:
        clean = None
    if clean is not None and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                                                  codecs.BOM_UTF8, codecs.BOM_UTF32_BE)):
        assert (decoded.text, decoded.encoding, decoded.warning) == (clean, "utf-8", None)
    if "\ufffd" in decoded.text and "\ufffd" not in (clean or ""):
        assert decoded.warning, "a replacement is always named"
