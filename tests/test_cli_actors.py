"""`detente ingest --actors FILE` and `detente actors` end to end, as a user runs them."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from detente.cli import main

NAVY_TEXT = """Navy chiefs meet in Tehran

July 10, 2023

Zara Qadir met Iranian army chief Mohammad Bagheri in Tehran on July 9. Qadir praised the growing
naval cooperation between the two countries and invited Bagheri to visit Karachi.
"""

USER_ACTORS = """\
version: 1
actors:
  - id: zara-qadir
    name: Zara Qadir
    kind: person
    country: PAK
    aliases: [Zara Qadir Baig]
    roles:
      - {office: Minister of Maritime Affairs, country: PAK, sector: GOV, start: 2021-01-01, end: 2022-12-31}
      - {office: Chief of Naval Staff, country: PAK, sector: MIL, start: 2023-03-01}
"""

REPORTERS_TEXT = """Reporters question the talks

May 4, 2023

Iranian journalist Leila Nouri interviewed the Pakistani foreign minister in Islamabad on May 3.
Iranian reporter Leyla Nuri later wrote that the talks had stalled, and Nouri said both sides
blamed Kabul.
"""


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def actors(db: Path) -> dict[str, dict[str, Any]]:
    return {row["actor_id"]: row for row in jsonl(cli("actors", "--db", str(db), "--format", "jsonl"))}


# -- (a) a user dictionary is used -------------------------------------------------------------------
def test_user_dictionary_person_gets_code_and_sector_of_the_day(tmp_path: Path) -> None:
    text = write(tmp_path, "navy.txt", NAVY_TEXT)
    user = write(tmp_path, "my_actors.yaml", USER_ACTORS)
    db = tmp_path / "with.duckdb"
    result = cli("ingest", str(text), "--db", str(db), "--actors", str(user), "--no-progress")
    assert result.exit_code == 0, result.output

    qadir = actors(db)["zara-qadir"]
    assert (qadir["name"], qadir["kind"], qadir["code"], qadir["sector"]) == ("Zara Qadir", "person", "PAK",
                                                                              "MIL")
    assert qadir["surface_forms"] == ["Qadir", "Zara Qadir"]  # the surname joins the full name
    assert qadir["mentions"] == 2

    events = jsonl(cli("events", "--db", str(db), "--format", "jsonl"))
    refs = [ref for e in events for ref in e["actor"] + e["recipient"] if ref["identifier"] == "zara-qadir"]
    assert refs, events
    assert all((ref["code"], ref["sector"]) == ("PAK", "MIL") for ref in refs)


def test_without_the_user_dictionary_the_person_is_unknown(tmp_path: Path) -> None:
    text = write(tmp_path, "navy.txt", NAVY_TEXT)
    db = tmp_path / "without.duckdb"
    assert cli("ingest", str(text), "--db", str(db), "--no-progress").exit_code == 0
    listed = actors(db)
    assert "zara-qadir" not in listed
    assert all(row["sector"] != "MIL" or row["code"] != "PAK" for row in listed.values())


# -- (b) a malformed user dictionary stops ingest with one line ---------------------------------------
MALFORMED = [
    pytest.param("""\
        version: 1
        actors:
          - id: ok
            name: Ok Person
            country: PAK
          - id: broken
            kind: person
        """, 6, "entry has no 'name'", id="missing-name"),
    pytest.param("""\
        version: 1
        actors:
          - name: Roving Envoy
            country: XYZ
        """, 3, "Roving Envoy: unknown country code 'XYZ'; use an ISO 3166-1 alpha-3 code (PAK, IRN, USA) "
               "or the code of an IGO entry", id="unknown-country"),
    pytest.param("""\
        version: 1
        actors:
          - name: Backwards Admiral
            country: PAK
            roles:
              - {office: Chief of Naval Staff, sector: MIL, start: 2023-03-01, end: 2020-01-01}
        """, 6, "Backwards Admiral: role 'Chief of Naval Staff' ends (2020-01-01) before it starts "
               "(2023-03-01)", id="end-before-start"),
]


@pytest.mark.parametrize(("body", "line", "reason"), MALFORMED)
def test_malformed_user_dictionary_fails_with_one_line(tmp_path: Path, body: str, line: int,
                                                       reason: str) -> None:
    text = write(tmp_path, "navy.txt", NAVY_TEXT)
    user = write(tmp_path, "bad_actors.yaml", textwrap.dedent(body))
    db = tmp_path / "store.duckdb"
    result = CliRunner().invoke(main, ["ingest", str(text), "--db", str(db), "--actors", str(user),
                                       "--no-progress"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {user}:{line}: {reason}\n"
    # nothing was written: the store holds no document
    docs = cli("docs", "--db", str(db), "--format", "jsonl")
    assert docs.exit_code == 0 and docs.stdout.strip() == ""


# -- (c) merge and split ------------------------------------------------------------------------------
def test_merge_then_split(tmp_path: Path) -> None:
    text = write(tmp_path, "reporters.txt", REPORTERS_TEXT)
    db = tmp_path / "store.duckdb"
    assert cli("ingest", str(text), "--db", str(db), "--no-progress").exit_code == 0

    before = actors(db)
    assert before["person:leila-nouri"]["surface_forms"] == ["Leila Nouri", "Nouri"]
    assert before["person:leyla-nuri"]["surface_forms"] == ["Leyla Nuri"]

    merged = cli("actors", "--db", str(db), "--merge", "person:leila-nouri", "person:leyla-nuri")
    assert merged.exit_code == 0
    assert merged.stdout == "merged person:leyla-nuri into person:leila-nouri (1 mention(s) moved)\n"
    after = actors(db)
    assert "person:leyla-nuri" not in after
    assert after["person:leila-nouri"]["surface_forms"] == ["Leila Nouri", "Leyla Nuri", "Nouri"]
    assert after["person:leila-nouri"]["mentions"] == 3

    split = cli("actors", "--db", str(db), "--split", "person:leila-nouri", "--form", "Leyla Nuri")
    assert split.exit_code == 0
    new_id = "person:leila-nouri:leyla-nuri"
    assert split.stdout == f"split 'Leyla Nuri' off person:leila-nouri as {new_id}\n"
    final = actors(db)
    assert final["person:leila-nouri"]["surface_forms"] == ["Leila Nouri", "Nouri"]
    assert final[new_id]["surface_forms"] == ["Leyla Nuri"]
    assert final[new_id]["mentions"] == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--merge", "person:leila-nouri", "person:nobody"], "no actor 'person:nobody' in the store"),
    (["--split", "person:leila-nouri", "--form", "Somebody Else"], "has no mention written 'Somebody Else'"),
    (["--split", "person:leila-nouri"], "--split needs --form TEXT"),
])
def test_bad_corrections_fail_cleanly(tmp_path: Path, args: list[str], message: str) -> None:
    text = write(tmp_path, "reporters.txt", REPORTERS_TEXT)
    db = tmp_path / "store.duckdb"
    assert cli("ingest", str(text), "--db", str(db), "--no-progress").exit_code == 0
    result = CliRunner().invoke(main, ["actors", "--db", str(db), *args])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert actors(db)["person:leila-nouri"]["surface_forms"] == ["Leila Nouri", "Nouri"]


UNRESOLVED_TEXT = """Talks in Geneva

June 3, 2024

Marta Lindqvist met Iranian Foreign Minister Hossein Amir-Abdollahian in Geneva on June 2.
Marta Lindqvist said the talks were useful. Militants later attacked a convoy.
Marta Lindqvist condemned the attack. Jonas Berg declined to comment.
"""


def test_actors_unresolved_lists_uncoded_mentions_most_frequent_first(tmp_path: Path) -> None:
    db = str(tmp_path / "u.duckdb")
    art = write(tmp_path, "geneva.txt", UNRESOLVED_TEXT)
    assert cli("ingest", str(art), "--db", db, "--quiet", "--no-progress").exit_code == 0
    rows = jsonl(cli("actors", "--unresolved", "--db", db, "--format", "jsonl"))
    texts = [r["text"] for r in rows]
    assert texts[0] == "Marta Lindqvist"
    assert rows[0]["mentions"] == 3 and rows[0]["documents"] == 1
    assert "Jonas Berg" in texts
    # coded actors and places are not listed
    assert not any("Amir-Abdollahian" in t or t == "Geneva" for t in texts)
    assert [r["mentions"] for r in rows] == sorted((r["mentions"] for r in rows), reverse=True)
    limited = jsonl(cli("actors", "--unresolved", "--limit", "1", "--db", db, "--format", "jsonl"))
    assert [r["text"] for r in limited] == ["Marta Lindqvist"]


def test_actors_coverage_counts_the_dictionary_and_user_files(tmp_path: Path) -> None:
    result = cli("actors", "--coverage", "--on", "2023-06-01")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == [
        "countries", "offices", "people", "groups", "other", "files"]
    countries = int(lines[0].split()[1])
    assert countries >= 250
    groups = int(lines[3].split()[1])
    assert groups >= 100
    people = int(lines[2].split()[1])
    extra = write(tmp_path, "mine.yaml", USER_ACTORS)
    more = cli("actors", "--coverage", "--on", "2023-06-01", "--actors", str(extra)).output.splitlines()
    assert int(more[2].split()[1]) == people + 1
    assert "in office on 2023-06-01" in more[2]


def test_actors_coverage_reports_a_bad_user_file(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "version: 1\nactors:\n  - {name: X, kind: person, country: XXQ}\n")
    result = CliRunner().invoke(main, ["actors", "--coverage", "--actors", str(bad)])
    assert result.exit_code != 0
    assert "XXQ" in result.output and "bad.yaml" in result.output
