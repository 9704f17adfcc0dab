"""`detente ingest` end to end: good files all land, each bad input gets one clear message, exit 1."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from detente.batch import IngestReport, ingest
from detente.cli import main
from detente.pipeline import Pipeline
from detente.store import Store

GOOD_A = """Iran and Pakistan agree to calm border tensions

Jan 20, 2024

Pakistan's foreign minister Jalil Abbas Jilani spoke with Iranian Foreign Minister Hossein
Amir-Abdollahian by telephone on Jan. 19. The two ministers agreed to de-escalate after the strikes.
"""

GOOD_B = """China welcomes the Saudi-Iran agreement

March 11, 2023

Saudi Arabia and Iran agreed on March 10 to restore diplomatic relations in a deal brokered by
China. Chinese officials praised both governments for choosing dialogue.
"""

FRENCH = ("Le ministre des Affaires étrangères a rencontré son homologue à Islamabad. Les deux pays "
          "ont convenu de renforcer la coopération dans la lutte contre le terrorisme et de rouvrir "
          "les points de passage de la frontière commune dans les semaines qui viennent, selon un "
          "communiqué publié par le gouvernement et repris par la presse de la région.")


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load()


def _empty(d: Path) -> Path:
    (d / "empty.txt").write_text("   \n\n")
    return d / "empty.txt"


def _binary(d: Path) -> Path:
    (d / "blob.txt").write_bytes(bytes(range(256)) * 8)
    return d / "blob.txt"


def _scanned_pdf(d: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(d / "scan.pdf"))
    return d / "scan.pdf"


def _large(d: Path) -> Path:
    path = d / "huge.txt"
    with path.open("wb") as fh:  # 50 MB, sparse: cheap to make, refused before it is read
        fh.truncate(50 * 1024 * 1024)
    return path


def _bad_jsonl(d: Path) -> Path:
    path = d / "batch.jsonl"
    lines = [json.dumps({"id": "ok-1", "text": GOOD_B.replace("China", "Beijing"), "date": "2023-03-11"}),
             '{"id": "broken", "text": "unterminated',
             json.dumps({"id": "ok-2", "text": GOOD_A.replace("telephone", "phone"), "date": "2024-01-20"})]
    path.write_text("\n".join(lines) + "\n")
    return path


def _no_article_html(d: Path) -> Path:
    (d / "nav.html").write_text("<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a>"
                                "</nav></body></html>")
    return d / "nav.html"


def _french(d: Path) -> Path:
    (d / "fr.txt").write_text(FRENCH)
    return d / "fr.txt"


def _missing(d: Path) -> Path:
    return d / "does-not-exist.txt"


def _unsupported(d: Path) -> Path:
    (d / "notes.docx").write_bytes(b"PK\x03\x04 not really a docx")
    return d / "notes.docx"


BAD: list[tuple[str, Callable[[Path], Path], str]] = [
    ("empty", _empty, "empty"),
    ("binary", _binary, "binary"),
    ("scanned-pdf", _scanned_pdf, "no text layer"),
    ("too-large", _large, "--max-bytes"),
    ("malformed-jsonl", _bad_jsonl, "batch.jsonl:2"),
    ("html-no-article", _no_article_html, "no article"),
    ("not-english", _french, "English"),
    ("missing", _missing, "does-not-exist.txt"),
    ("unsupported", _unsupported, ".txt"),
]


@pytest.mark.parametrize(("name", "make", "expected"), BAD, ids=[b[0] for b in BAD])
def test_each_bad_input_is_reported_and_good_files_survive(
        tmp_path: Path, pipeline: Pipeline, name: str, make: Callable[[Path], Path], expected: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_A)
    (folder / "b.txt").write_text(GOOD_B)
    bad = make(folder)
    db = tmp_path / "t.duckdb"
    monkeypatch.setattr("detente.batch.Pipeline.load", lambda options: pipeline)
    result = CliRunner().invoke(main, ["ingest", str(folder), str(bad), "--db", str(db),
                                       "--no-progress"])
    assert result.exit_code == 1, result.output
    failures = [line for line in result.output.splitlines() if line.startswith("failed: ")]
    assert failures, result.output
    assert any(bad.name in f and expected.lower() in f.lower() for f in failures), failures
    assert "input(s) failed" in result.output
    with Store(db, read_only=True) as store:
        titles = set(store.docs()["title"])
        assert {"Iran and Pakistan agree to calm border tensions",
                "China welcomes the Saudi-Iran agreement"} <= titles
        assert len(store.events()) >= 2
        if name == "malformed-jsonl":  # the good records of the broken file are kept too
            assert len(store.docs()) == 4


def test_cp1252_and_latin1_are_read_not_rejected(tmp_path: Path, pipeline: Pipeline) -> None:
    (tmp_path / "cp.txt").write_bytes(GOOD_A.replace("Jilani", "Jilani\u2019s aide").encode("cp1252"))
    (tmp_path / "latin.txt").write_bytes(GOOD_B.replace("officials", "officials (café talks)")
                                         .encode("latin-1"))
    with Store(":memory:") as store:
        report = ingest([tmp_path], store, pipeline=pipeline)
        assert report.ok, report.failures
        texts = store.sql("SELECT text FROM documents ORDER BY path")["text"].tolist()
    assert "Jilani\u2019s aide" in texts[0] and "café" in texts[1]


def test_reingest_is_a_noop_and_force_reprocesses(tmp_path: Path, pipeline: Pipeline) -> None:
    (tmp_path / "a.txt").write_text(GOOD_A)
    with Store(":memory:") as store:
        first = ingest([tmp_path], store, pipeline=pipeline)
        again = ingest([tmp_path], store, pipeline=pipeline)
        forced = ingest([tmp_path], store, pipeline=pipeline, force=True)
        n_events = len(store.events())
    assert (first.documents, again.documents, again.skipped, forced.documents) == (1, 0, 1, 1)
    assert n_events == first.events


def test_interrupted_ingest_resumes(tmp_path: Path, pipeline: Pipeline) -> None:
    """A crash after the first document leaves it whole; the next run does only the rest."""
    (tmp_path / "a.txt").write_text(GOOD_A)
    (tmp_path / "b.txt").write_text(GOOD_B)

    class Crash(Exception):
        pass

    def crash_after_first(report: object) -> None:
        raise Crash

    db = tmp_path / "t.duckdb"
    with Store(db) as store, pytest.raises(Crash):
        ingest([tmp_path], store, pipeline=pipeline, progress=crash_after_first)
    with Store(db) as store:
        assert len(store.docs()) == 1
        report = ingest([tmp_path], store, pipeline=pipeline)
        assert (report.documents, report.skipped) == (1, 1)
        assert len(store.docs()) == 2


@pytest.mark.skipif(os.cpu_count() == 1, reason="needs two cores")
def test_two_workers_give_the_same_events(tmp_path: Path, pipeline: Pipeline) -> None:
    (tmp_path / "a.txt").write_text(GOOD_A)
    (tmp_path / "b.txt").write_text(GOOD_B)
    with Store(":memory:") as one:
        ingest([tmp_path], one, pipeline=pipeline)
        serial = sorted(one.events()["event_id"])
    with Store(":memory:") as two:
        ingest([tmp_path], two, workers=2)
        parallel = sorted(two.events()["event_id"])
    assert serial == parallel and serial


SYNDICATED = """Iran strikes militants in Pakistan

Jan 18, 2024

Iran fired missiles at militant bases in Pakistan's Balochistan province on Jan. 16. Pakistan
struck back at hideouts inside Iran on Jan. 18. China offered to mediate between the two
neighbours, and the United Nations urged both sides to exercise restraint.
"""


def test_the_same_story_in_two_outlets_links_without_duplicate_ids(tmp_path: Path,
                                                                   pipeline: Pipeline) -> None:
    """A syndicated story (same text, another outlet's last line) yields the same triads twice."""
    (tmp_path / "one.txt").write_text(SYNDICATED + "\nReporting by the Frontier Ledger.\n")
    (tmp_path / "two.txt").write_text(SYNDICATED + "\nReporting by the Caspian Wire.\n")
    with Store(":memory:") as store:
        report = ingest([tmp_path], store, pipeline=pipeline)
        assert report.ok and report.documents == 2
        triads = store.sql("SELECT triad_id, mediator FROM triads")
        assert triads["triad_id"].is_unique
        assert "CHN" in set(triads["mediator"])
        ids = store.sql("SELECT canonical_id FROM canonical_events")["canonical_id"]
        assert ids.is_unique


# -- every byte sequence survives; every file not ingested is named by reason (issue 16) --------
def _invoke(args: list[str], pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("detente.batch.Pipeline.load", lambda options: pipeline)
    return CliRunner().invoke(main, ["ingest", *args, "--no-progress"])


def test_lone_surrogates_are_repaired_and_the_rest_of_the_run_is_stored_and_linked(
        tmp_path: Path, pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # a scraped record whose text and title hold lone surrogates, before the other files
    scraped = {"text": GOOD_B.replace("praised", "praised \ud800"), "title": "Deal \udc9f restored",
               "date": "2023-03-11"}
    (folder / "a_scraped.jsonl").write_text(json.dumps(scraped) + "\n", encoding="utf-8")
    (folder / "b.txt").write_text(GOOD_A)
    (folder / "c.txt").write_text(SYNDICATED)
    db = tmp_path / "t.duckdb"
    result = _invoke([str(folder), "--db", str(db)], pipeline, monkeypatch)
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.output.splitlines() if ln.startswith("warning: ")]
    assert [w.split(": ")[1] for w in warnings] == [f"{folder / 'a_scraped.jsonl'}:1"] * 2
    assert "'text' field held 1 lone surrogate" in warnings[0]
    assert "'title' field held 1 lone surrogate" in warnings[1]
    with Store(db, read_only=True) as store:
        titles = set(store.docs()["title"])
        canonical = store.sql("SELECT count(*) AS n FROM canonical_events")["n"][0]
    assert titles == {"Deal \ufffd restored", "Iran and Pakistan agree to calm border tensions",
                      "Iran strikes militants in Pakistan"}
    assert canonical > 0


def test_invalid_utf8_is_named_not_garbled(tmp_path: Path, pipeline: Pipeline,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    text = GOOD_A.replace("Jilani", "Jilani (Ğ)").encode() + b"\nA stray \x9d byte.\n"
    (tmp_path / "mixed.txt").write_bytes(text)
    db = tmp_path / "t.duckdb"
    result = _invoke([str(tmp_path / "mixed.txt"), "--db", str(db)], pipeline, monkeypatch)
    assert result.exit_code == 0, result.output
    assert f"warning: {tmp_path / 'mixed.txt'}: 1 byte(s) are not valid UTF-8 (the first at byte " \
        in result.output
    with Store(db, read_only=True) as store:
        stored = store.sql("SELECT text, found FROM documents")
    assert "Jilani (Ğ)" in stored["text"][0] and "\ufffd byte" in stored["text"][0]
    assert json.loads(stored["found"][0])["encoding"] == "utf-8"


def test_a_folder_of_unsupported_files_exits_non_zero_and_says_why(
        tmp_path: Path, pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("report.doc", "notes.md", "feed.xml"):
        (folder / name).write_text(GOOD_A)
    result = _invoke([str(folder), "--db", str(tmp_path / "t.duckdb")], pipeline, monkeypatch)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("0 document(s) ingested, 0 already in the store, 0 event(s); "
                        "3 file(s) of other types passed over")
    assert lines[1:3] == ["not ingested, by reason:",
                          f"  unsupported file type: 3 ({folder / 'feed.xml'}, {folder / 'notes.md'}, "
                          f"{folder / 'report.doc'})"]
    assert lines[3].startswith("error: nothing was ingested: none of the 3 input(s) could be read "
                               "(3 unsupported file type); detente reads .csv, .htm, .html")
    assert "these are .doc, .md, .xml: convert them" in lines[3]


def test_every_file_not_ingested_is_counted_and_named_by_reason(
        tmp_path: Path, pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_A)
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "fr.txt").write_text(FRENCH)
    (folder / "huge.txt").write_text(GOOD_B * 40)
    (folder / "batch.jsonl").write_text(json.dumps({"text": GOOD_B}) + "\n" + json.dumps({"x": 1}) + "\n")
    result = _invoke([str(folder), "--db", str(tmp_path / "t.duckdb"), "--max-bytes", "4000"],
                     pipeline, monkeypatch)
    assert result.exit_code == 1, result.output  # three inputs failed
    lines = result.output.splitlines()
    start = lines.index("not ingested, by reason:")
    assert lines[start - 1].startswith("2 document(s) ingested, 0 already in the store, ")
    assert lines[start - 1].endswith("; 3 input(s) failed; 1 file(s) of other types passed over")
    assert lines[start + 1:] == [f"  bad record: 1 ({folder / 'batch.jsonl'}:2)",
                                 f"  not English: 1 ({folder / 'fr.txt'})",
                                 f"  too large: 1 ({folder / 'huge.txt'})",
                                 f"  unsupported file type: 1 ({folder / 'logo.png'})"]


def test_an_unsupported_file_beside_good_ones_is_named_and_the_run_succeeds(
        tmp_path: Path, pipeline: Pipeline) -> None:
    (tmp_path / "a.txt").write_text(GOOD_A)
    (tmp_path / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with Store(":memory:") as store:
        report = ingest([tmp_path], store, pipeline=pipeline)
    assert report.ok and report.documents == 1
    assert report.not_ingested() == {"unsupported file type": [str(tmp_path / "chart.png")]}
    again = IngestReport(skipped=1, passed_over=report.passed_over)
    assert again.ok and not again.nothing_ingested  # a re-run that finds everything stored is fine
