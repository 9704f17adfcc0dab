"""The DuckDB store: one transaction per document, filters, export shape, merge and split."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from builders import article, event, mention, processed, ref
from detente.errors import QueryError, StoreError, StoreLocked
from detente.model import Place
from detente.store import Store

TEXT = ("Iran struck targets in Panjgur on Tuesday. Pakistan recalled its ambassador from Tehran. "
        "The two foreign ministers spoke by phone on Jan. 19")


@pytest.fixture
def store() -> Store:
    s = Store(":memory:")
    art = article(TEXT)
    panjgur = Place("Panjgur", "PAK", "Balochistan", 26.97, 64.09, 1168446)
    evs = [
        event(art, "Iran struck targets in Panjgur on Tuesday", "ASSAULT", [ref("IRN", "Iran")],
              [ref("PAK", "Pakistan")], "struck", "2024-01-16", goldstein=-10, quad=4, place=panjgur),
        event(art, "Pakistan recalled its ambassador from Tehran", "SANCTION", [ref("PAK", "Pakistan")],
              [ref("IRN", "Iran")], "recalled", "2024-01-17", goldstein=-4, quad=4),
        event(art, "The two foreign ministers spoke by phone on Jan. 19", "CONSULT",
              [ref("PAK", "Pakistan")], [ref("IRN", "Iran")], "spoke", "2024-01-19"),
        event(art, "The two foreign ministers spoke by phone on Jan. 19", "ASSAULT",
              [ref("PAK", "Pakistan")], [ref("IRN", "Iran")], "phone", None, negated=True),
    ]
    ments = [mention(art, "Iran", "IRN", "IRN", "Iran"), mention(art, "Pakistan", "PAK", "PAK", "Pakistan"),
             mention(art, "Tehran", "IRN", "IRN", "Iran", kind="capital", is_place=True)]
    s.write(processed(art, evs, ments))
    return s


def test_filters_by_type_actor_and_dates(store: Store) -> None:
    assert store.events(type="ASSAULT")["event"].tolist() == ["ASSAULT"]
    assert store.events(type="consult,sanction")["event"].tolist() == ["SANCTION", "CONSULT"]
    assert len(store.events(actor="IRN")) == 3
    assert store.events(since="2024-01-17", until="2024-01-18")["event"].tolist() == ["SANCTION"]
    # a month filter covers the whole month
    assert len(store.events(since="2024-01", until="2024-01")) == 3


def test_flagged_events_hidden_unless_asked(store: Store) -> None:
    assert len(store.events()) == 3
    flagged = store.events(include_flagged=True)
    assert len(flagged) == 4
    assert flagged["negated"].sum() == 1


def test_bad_date_filter_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        store.events(since="16/01/2024")


def test_one_event_filter_for_every_event_query(store: Store) -> None:
    from detente.store import EventFilter

    flt = EventFilter(type=["assault", "sanction"], since="2024-01")
    assert store.events(flt)["event"].tolist() == store.events(type=["assault", "sanction"],
                                                               since="2024-01")["event"].tolist()
    assert [r["id"] for r in store.event_records(flt)] == \
        [r["id"] for r in store.event_records(type="ASSAULT,SANCTION", since="2024-01")]
    assert store.count_events(flt) == store.count_events(type="assault,sanction") == 2
    with pytest.raises(QueryError, match=r"unknown event filter.*'actors'.*the event filters are"):
        store.event_records(actors="IRN")
    with pytest.raises(QueryError, match=r"unknown event filter.*'limit'"):
        store.count_events(limit=2)
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        EventFilter(until="2024-02-30")
    with pytest.raises(QueryError, match="min_confidence must be a number"):
        EventFilter.of(min_confidence="high")
    with pytest.raises(QueryError, match="not both"):
        store.count_events(flt, actor="IRN")


def test_export_record_shape(store: Store) -> None:
    (rec,) = store.event_records(type="ASSAULT")
    assert set(rec) >= {"id", "date", "date_precision", "event", "mode", "context", "actor", "recipient",
                        "mediator", "event_loc", "event_text", "text", "quad_code", "cameo",
                        "goldstein", "confidence", "text_info"}
    assert rec["actor"] == [{"code": "IRN", "sector": "GOV", "entity_text": "Iran", "name": "Iran",
                             "identifier": "IRN"}]
    assert rec["event_loc"] == {"name": "Panjgur", "country_code": "PAK", "province": "Balochistan",
                                "lat": 26.97, "lon": 64.09, "geonameid": 1168446}
    info = rec["text_info"]
    assert TEXT[info["char_start"]:info["char_end"]] == rec["text"]
    assert rec["date"] == "2024-01-16" and rec["date_precision"] == "day"
    json.dumps(rec)  # plain JSON types only


def test_rewriting_a_document_replaces_it(store: Store) -> None:
    art = article(TEXT)
    store.write(processed(art, []))
    assert store.events(include_flagged=True).empty
    assert store.docs()["doc_id"].tolist() == [art.doc_id]


def test_failed_write_leaves_no_half_document(store: Store) -> None:
    art = article("Another text. With two sentences", path="b.txt")
    bad = processed(art, [])
    bad.mentions = [mention(art, "Another", "X", "XXX", "X")]
    bad.mentions[0].char_start = "not a number"  # type: ignore[assignment]
    with pytest.raises(Exception):  # noqa: B017 - any failure inside the transaction
        store.write(bad)
    assert not store.has_document(art.doc_id)
    assert store.sql("SELECT count(*) AS n FROM sentences WHERE doc_id = ?", [art.doc_id])["n"][0] == 0


def test_actors_lists_surface_forms_and_excludes_places(store: Store) -> None:
    actors = store.actors()
    iran = actors[actors["actor_id"] == "IRN"].iloc[0]
    assert list(iran["surface_forms"]) == ["Iran"]
    with_places = store.actors(include_places=True)
    iran2 = with_places[with_places["actor_id"] == "IRN"].iloc[0]
    assert list(iran2["surface_forms"]) == ["Iran", "Tehran"]


def test_merge_and_split(store: Store) -> None:
    moved = store.merge_actors("PAK", "IRN")
    assert moved == 2
    assert set(store.actors(include_places=True)["actor_id"]) == {"PAK"}
    new_id = store.split_actor("PAK", "Tehran")
    assert new_id == "PAK:tehran"
    with pytest.raises(QueryError, match="no actor"):
        store.merge_actors("PAK", "NOPE")


def test_read_only_store_must_exist(tmp_path) -> None:
    with pytest.raises(StoreError, match="detente ingest"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_link_tables_are_made_once_by_a_writer_and_absent_from_a_store_never_linked(
        tmp_path: Path) -> None:
    from detente.store.links import LinkStore

    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.write(processed(article(TEXT), [], []))
    with Store(path, read_only=True) as ro:  # never linked: a reader sees no link tables
        ls = LinkStore(ro)
        assert not ls.has_table("canonical_events")
        assert not ls.is_linked() and ls.view_state() == {}
        assert len(ro.events(include_flagged=True)) == 0
    with Store(path) as s:
        first = LinkStore(s)
        assert first.has_table("canonical_events") and first.has_table("view_state")
        LinkStore(s)  # a second one on the same store runs no DDL
        assert s._link_schema
    with Store(path, read_only=True) as ro:
        assert LinkStore(ro).has_table("triads") and not LinkStore(ro).is_linked()


def test_events_as_arrow(store: Store) -> None:
    table = store.events(arrow=True)
    assert table.num_rows == 3
    assert table.column("event").to_pylist() == ["ASSAULT", "SANCTION", "CONSULT"]


# -- ties and locks ---------------------------------------------------------------------------------
def test_actor_sector_tie_goes_to_the_value_sorting_first() -> None:
    """Two MIL and two GOV mentions: the sector is GOV whatever order they were stored in
    (DuckDB's mode() returns the first value it scans, which varies from run to run)."""
    art = article("Raheel Sharif spoke. Raheel Sharif left. Raheel Sharif met. Raheel Sharif flew")
    ments = []
    for i, sector in enumerate(("MIL", "MIL", "GOV", "GOV")):
        at = art.text.index("Raheel Sharif", i * 20)
        m = mention(art, "Raheel Sharif", "raheel-sharif", "PAK", "Raheel Sharif", sector=sector,
                    kind="person")
        ments.append(dataclasses.replace(m, char_start=at, char_end=at + 13, sentence_index=i))
    for order in (ments, ments[::-1]):
        with Store(":memory:") as s:
            s.write(processed(art, [], order))
            row = s.actors().iloc[0]
            assert (row["actor_id"], row["sector"], row["mentions"]) == ("raheel-sharif", "GOV", 4)


def test_unknown_type_filter_lists_the_types(store: Store) -> None:
    with pytest.raises(QueryError, match=r"unknown event type\(s\) 'FOO'.*ACCUSE, AGREE, AID"):
        store.events(type="ASSAULT,FOO")
    assert store.events(type="assault, sanction")["event"].tolist() == ["ASSAULT", "SANCTION"]


_HOLD = """
import sys
from detente.store import open_store
with open_store(sys.argv[1], read_only=sys.argv[2] == "read") as store:
    print("ready", flush=True)
    sys.stdin.read()
"""


@contextlib.contextmanager
def holding(path: Path, how: str) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the store open (``how``: ``read`` or ``write``) until the block
    ends."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), how], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=60)


def test_lock_message_names_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    with holding(path, "write") as proc:
        for read_only in (True, False):
            with pytest.raises(StoreLocked) as err:
                Store(path, read_only=read_only, wait_s=0)
            assert err.value.holder == "writer" and err.value.pid == proc.pid
            assert f"process {proc.pid}" in str(err.value) and "is writing to it" in str(err.value)


def test_lock_message_names_a_reader_and_a_writer_waits_for_it(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    with holding(path, "read") as proc:
        with pytest.raises(StoreLocked) as err:
            Store(path, wait_s=0)
        assert err.value.holder == "reader" and err.value.pid == proc.pid
        assert f"process {proc.pid}" in str(err.value) and "is reading it" in str(err.value)
        assert "another detente process writing" not in str(err.value)
        Store(path, read_only=True, wait_s=0).close()  # readers share the file
        threading.Timer(0.5, proc.stdin.close).start()  # type: ignore[union-attr]
        with Store(path, wait_s=30) as writer:  # waits for the reader to let go
            assert not writer.read_only


def test_query_frame_helpers_keep_columns_and_cells(store: Store) -> None:
    from detente.store import arrow_schema, frame_rows, records

    frame = store.sql("SELECT event_id, quad_code, context FROM events ORDER BY event_id")
    assert len(frame) > 0
    as_rows = list(frame_rows(frame))
    as_records = records(frame)
    assert [r.event_id for r in as_rows] == [r["event_id"] for r in as_records]
    assert [int(r.quad_code) for r in as_rows] == [int(q) for q in frame["quad_code"]]
    assert all(set(r) == {"event_id", "quad_code", "context"} for r in as_records)
    schema = arrow_schema([("name", pa.string()), ("codes", pa.list_(pa.string())),
                           ("n", pa.int32())])
    assert schema.names == ["name", "codes", "n"]
    assert schema.field("codes").type == pa.list_(pa.string())
