"""Canonical events across articles and mediation triads (hand-built stores, no spaCy)."""

from __future__ import annotations

import pytest

from detente.errors import QueryError, StoreError
from detente.link import (
    canonical_events,
    canonical_id,
    dates_compatible,
    find_triads,
    link_events,
    load_mentions,
)
from detente.model import DateValue
from detente.store import Store
from fixtures_link import link_store, triad_store


def _ids(*events: object) -> list[str]:
    return sorted(e.id for e in events)  # type: ignore[attr-defined]


# -- linking -------------------------------------------------------------------------------------
def test_same_call_in_two_documents_is_one_canonical_event() -> None:
    b = link_store()
    result = link_events(b.store)
    assert (result.n_events, result.n_canonical, result.n_merged, result.n_multi_document) == (5, 3, 2, 2)
    calls = canonical_events(b.store, type="CONSULT")
    assert len(calls) == 1
    row = calls.iloc[0]
    assert row["n_documents"] == 2
    assert row["n_mentions"] == 2
    assert sorted(row["event_ids"]) == _ids(b.events["call1"], b.events["call2"])
    assert (row["date"], row["date_precision"]) == ("2024-01-22", "day")
    assert list(row["actor_codes"]) == ["IRN", "PAK"]
    assert list(row["recipient_codes"]) == ["IRN", "PAK"]
    assert sorted(row["sources"]) == ["one.txt", "two.txt"]
    # the earliest-published document gives the first text
    assert row["first_text"] == "Pakistan's foreign minister called his Iranian counterpart on Jan. 22"
    assert row["canonical_id"] == canonical_id(
        [m for m in load_mentions(b.store) if m.event in ("CONSULT",)])


def test_strikes_a_month_apart_stay_apart_and_a_month_mention_joins_the_right_one() -> None:
    b = link_store()
    link_events(b.store)
    strikes = canonical_events(b.store, type="ASSAULT")
    assert strikes["date"].tolist() == ["2024-01-16", "2024-02-16"]
    assert strikes["n_mentions"].tolist() == [2, 1]
    assert strikes["n_documents"].tolist() == [2, 1]
    assert sorted(strikes.iloc[0]["event_ids"]) == _ids(b.events["jan"], b.events["jan_month"])
    assert list(strikes.iloc[1]["event_ids"]) == [b.events["feb"].id]
    assert strikes["place_name"].tolist() == ["Panjgur", "Panjgur"]


def test_linking_is_repeatable_and_writes_every_link() -> None:
    b = link_store()
    first = link_events(b.store).canonical["canonical_id"].tolist()
    second = link_events(b.store).canonical["canonical_id"].tolist()
    assert first == second
    links = b.store.sql("SELECT count(*) AS n, count(DISTINCT canonical_id) AS c FROM event_links")
    assert (int(links["n"].iloc[0]), int(links["c"].iloc[0])) == (5, 3)


def test_canonical_events_builds_on_demand_and_filters() -> None:
    b = link_store()
    assert len(canonical_events(b.store)) == 3  # not linked yet: linked on first use
    assert len(canonical_events(b.store, min_documents=2)) == 2
    assert canonical_events(b.store, since="2024-02")["event"].tolist() == ["ASSAULT"]
    assert canonical_events(b.store, until="2024-01-20")["event"].tolist() == ["ASSAULT"]
    assert canonical_events(b.store, until="2024-01-22")["event"].tolist() == ["ASSAULT", "CONSULT"]
    assert len(canonical_events(b.store, actor="pak")) == 3
    assert len(canonical_events(b.store, actor="CHN")) == 0
    table = canonical_events(b.store, arrow=True)
    assert table.num_rows == 3  # type: ignore[union-attr]


@pytest.mark.parametrize("filters, message", [
    ({"since": "16/01/2024"}, "YYYY-MM-DD"),
    ({"colour": "red"}, "unknown filter"),
    ({"min_documents": "two"}, "whole number"),
])
def test_bad_canonical_filters_are_query_errors(filters: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        canonical_events(link_store().store, **filters)


def test_negated_mention_is_not_linked_with_a_real_one() -> None:
    b = link_store()
    b.store.con.execute("UPDATE events SET negated = true WHERE event_id = ?", [b.events["call2"].id])
    link_events(b.store)
    calls = canonical_events(b.store, type="CONSULT", include_flagged=True)
    assert sorted(zip(calls["negated"], calls["n_mentions"], strict=True)) == [(False, 1), (True, 1)]
    assert len(canonical_events(b.store, type="CONSULT")) == 1


def test_different_places_are_not_linked() -> None:
    b = link_store()
    b.store.con.execute("UPDATE events SET place_name = 'Saravan' WHERE event_id = ?",
                        [b.events["jan_month"].id])
    link_events(b.store)
    assert canonical_events(b.store, type="ASSAULT")["n_mentions"].tolist() == [1, 1, 1]


@pytest.mark.parametrize("a, b, window, expected", [
    (("2024-01-16", "day"), ("2024-01-18", "day"), 3, True),
    (("2024-01-16", "day"), ("2024-01-20", "day"), 3, False),
    (("2024-01-16", "day"), ("2024-01-20", "day"), 4, True),
    (("2024-01-16", "day"), ("2024-01", "month"), 0, True),
    (("2024-02-16", "day"), ("2024-01", "month"), 30, False),
    (("2024-01", "month"), ("2024-01", "month"), 0, True),
    (("2024", "year"), ("2024-03", "month"), 0, True),
    (("2023", "year"), ("2024-01-01", "day"), 0, False),
])
def test_date_compatibility(a: tuple[str, str], b: tuple[str, str], window: int, expected: bool) -> None:
    x, y = DateValue(a[0], a[1]), DateValue(b[0], b[1])  # type: ignore[arg-type]
    assert dates_compatible(x, y, window) is expected
    assert dates_compatible(y, x, window) is expected


def test_day_ranges_count_from_their_ends() -> None:
    rng = DateValue("2024-01-26", "day", end="2024-01-27")
    assert dates_compatible(rng, DateValue("2024-01-30", "day"), 3)
    assert not dates_compatible(rng, DateValue("2024-01-31", "day"), 3)


def test_read_only_store_without_links_says_what_to_do(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "s.duckdb"
    b = link_store()
    disk = Store(path)
    for name in ("one", "two", "three"):
        art = b.docs[name]
        from builders import processed

        disk.write(processed(art, [e for e in b.events.values() if e.doc_id == art.doc_id]))
    disk.close()
    with Store(path, read_only=True) as ro, pytest.raises(StoreError, match="link"):
        canonical_events(ro)


# -- triads --------------------------------------------------------------------------------------
def _expected(b: object, kind: str) -> dict[str, object]:
    ev = b.events  # type: ignore[attr-defined]
    if kind == "offer":
        e = ev["offer"]
        return dict(mediator="TUR", party_a="IRN", party_b="PAK", date="2024-01-19",
                    date_precision="day", kind="offer", evidence=[e.text], event_ids=[e.id])
    if kind == "offer-no-mediator":
        e = ev["offer"]
        return dict(mediator="QAT", party_a="IRN", party_b="PAK", date="2024-01-20",
                    date_precision="day", kind="offer", evidence=[e.text], event_ids=[e.id])
    if kind == "brokered":
        e = ev["agree"]
        return dict(mediator="CHN", party_a="IRN", party_b="PAK", date="2024-02-02",
                    date_precision="day", kind="brokered", evidence=[e.text], event_ids=[e.id])
    if kind == "facilitated":
        e = ev["talks"]
        return dict(mediator="SAU", party_a="IRN", party_b="PAK", date="2024-01",
                    date_precision="month", kind="facilitated", evidence=[e.text], event_ids=[e.id])
    if kind == "engagement":
        u, s = ev["urge"], ev["strike"]
        return dict(mediator="CHN", party_a="IRN", party_b="PAK", date="2024-01-17",
                    date_precision="day", kind="engagement", evidence=[u.text, s.text],
                    event_ids=[u.id, s.id])
    v1, v2, s = ev["visit_irn"], ev["visit_pak"], ev["strike"]
    return dict(mediator="TUR", party_a="IRN", party_b="PAK", date="2024-01-20", date_precision="day",
                kind="shuttle", evidence=[v1.text, v2.text, s.text], event_ids=[v1.id, v2.id, s.id])


@pytest.mark.parametrize("kind", ["offer", "offer-no-mediator", "brokered", "facilitated", "engagement",
                                  "shuttle"])
def test_each_mediation_kind(kind: str) -> None:
    b = triad_store(kind)
    triads = find_triads(b.store)
    assert len(triads) == 1, triads
    row = triads.drop(columns=["triad_id"]).iloc[0].to_dict()
    assert row == _expected(b, kind)
    saved = b.store.sql("SELECT kind, mediator FROM triads")
    assert saved.values.tolist() == [[row["kind"], row["mediator"]]]


def test_no_shuttle_when_the_conflict_is_long_past() -> None:
    b = triad_store("shuttle-too-late")
    assert find_triads(b.store).empty


def test_shuttle_window_is_an_option() -> None:
    # the two visits are 3 days apart: a 2-day window splits them, so no triad
    assert find_triads(triad_store("shuttle").store, shuttle_window_days=2).empty
    with pytest.raises(QueryError, match="shuttle_window_days"):
        find_triads(triad_store("shuttle").store, shuttle_window_days=-1)


def test_negated_mediation_is_ignored() -> None:
    b = triad_store("brokered")
    b.store.con.execute("UPDATE events SET negated = true")
    assert find_triads(b.store).empty
