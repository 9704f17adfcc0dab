"""Exact-output tests of the query commands over a temp DuckDB store built by hand."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from builders import article, event, mention, processed, ref
from detente.cli import main
from detente.store import Store

TEXT = "Iran struck targets in Panjgur. Pakistan recalled its envoy. The ministers spoke by phone"


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "t.duckdb"
    art = article(TEXT, path="strikes.txt", title="Strikes and talks")
    evs = [
        event(art, "Iran struck targets in Panjgur", "ASSAULT", [ref("IRN", "Iran")],
              [ref("PAK", "Pakistan")], "struck", "2024-01-16", goldstein=-10, quad=4),
        event(art, "Pakistan recalled its envoy", "SANCTION", [ref("PAK", "Pakistan")],
              [ref("IRN", "Iran")], "recalled", "2024-01", goldstein=-4, quad=4),
    ]
    ments = [mention(art, "Iran", "IRN", "IRN", "Iran"), mention(art, "Pakistan", "PAK", "PAK", "Pakistan")]
    with Store(path) as s:
        s.write(processed(art, evs, ments))
    return str(path)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_events_table_exact(db: str) -> None:
    code, out = run("events", "--db", db)
    assert code == 0
    assert out == (
        "date        event     mode  actor   recipient  mediator  trigger   place_name  confidence  text\n"
        "----------  --------  ----  ------  ---------  --------  --------  ----------  ----------  "
        "------------------------------\n"
        "2024-01     SANCTION        PAKGOV  IRNGOV               recalled              0.8         "
        "Pakistan recalled its envoy\n"
        "2024-01-16  ASSAULT         IRNGOV  PAKGOV               struck                0.8         "
        "Iran struck targets in Panjgur\n"
    )


def test_events_jsonl_is_the_export_contract(db: str) -> None:
    code, out = run("events", "--db", db, "--format", "jsonl", "--type", "ASSAULT")
    assert code == 0
    (line,) = out.splitlines()
    rec = json.loads(line)
    assert rec["event"] == "ASSAULT" and rec["actor"][0]["code"] == "IRN"
    assert rec["text_info"]["path"] == "strikes.txt"


def test_events_csv_and_parquet(db: str, tmp_path: Path) -> None:
    code, out = run("events", "--db", db, "--format", "csv")
    assert code == 0
    header = out.splitlines()[0].split(",")
    assert header[:6] == ["id", "date", "date_precision", "event", "mode", "context"]
    assert "actor_codes" in header and "loc_geonameid" in header
    pq = tmp_path / "e.parquet"
    code, _ = run("events", "--db", db, "--format", "parquet", "-o", str(pq))
    assert code == 0
    df = pd.read_parquet(pq)
    assert sorted(df["actor_codes"]) == ["IRN-GOV", "PAK-GOV"]


def test_parquet_needs_a_file(db: str) -> None:
    code, out = run("events", "--db", db, "--format", "parquet")
    assert code == 1
    assert out == "Error: Parquet is binary: give a file with -o FILE.parquet\n"


def test_bad_date_is_one_clear_error(db: str) -> None:
    code, out = run("events", "--db", db, "--since", "yesterday")
    assert code == 1
    assert out == "Error: bad date 'yesterday': use YYYY, YYYY-MM or YYYY-MM-DD\n"


def test_missing_store_says_how_to_fix(tmp_path: Path) -> None:
    code, out = run("docs", "--db", str(tmp_path / "none.duckdb"))
    assert code == 1
    assert "run `detente ingest PATH` first" in out


def test_docs_and_actors(db: str) -> None:
    code, out = run("docs", "--db", db, "--format", "jsonl")
    assert code == 0
    (doc,) = [json.loads(x) for x in out.splitlines()]
    assert doc["title"] == "Strikes and talks" and doc["events"] == 2
    code, out = run("actors", "--db", db, "--format", "csv")
    assert code == 0
    rows = out.splitlines()
    assert rows[0] == "actor_id,name,kind,code,sector,surface_forms,mentions,documents,roles"
    assert rows[1].startswith('IRN,Iran,country,IRN,GOV,"[""Iran""]",1,1')


def test_actor_merge_via_cli(db: str) -> None:
    code, out = run("actors", "--db", db, "--merge", "IRN", "PAK")
    assert (code, out) == (0, "merged PAK into IRN (1 mention(s) moved)\n")
    code, out = run("actors", "--db", db, "--merge", "IRN", "XYZ")
    assert code == 1 and "no actor 'XYZ'" in out


# -- queries read what linking stored ----------------------------------------------------------------
def test_canonical_events_need_a_linked_store_and_never_write(db: str) -> None:
    from detente.link import link_events

    def digest() -> str:
        return hashlib.sha256(Path(db).read_bytes()).hexdigest()

    before = digest()
    code, out = run("events", "--canonical", "--db", db)
    assert code != 0 and "run `detente link --db" in out
    assert digest() == before  # the query did not link the store
    with Store(db) as s:
        link_events(s)
    linked = digest()
    code, out = run("events", "--canonical", "--db", db, "--format", "csv")
    assert code == 0, out
    assert sorted(pd.read_csv(io.StringIO(out))["event"]) == ["ASSAULT", "SANCTION"]
    assert digest() == linked


def test_mediation_filters_are_the_library_filters(db: str) -> None:
    from detente.errors import QueryError
    from detente.link import find_triads

    code, out = run("mediation", "--db", db, "--actor", "irn", "--kind", "shuttle", "--format", "csv")
    assert code == 0, out
    with Store(db, read_only=True) as s:
        assert find_triads(s, actor="irn", kind="shuttle").empty
        with pytest.raises(QueryError, match="bad kind"):
            find_triads(s, kind="nonsense")
