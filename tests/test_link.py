"""Canonical events across articles and mediation triads (hand-built stores, no spaCy)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detente.errors import DataFileError, NotLinked, QueryError, StoreError
from detente.link import (
    PLOVER_FILE,
    CanonicalFilter,
    EventMention,
    article_month,
    build_canonical,
    canonical_events,
    canonical_id,
    canonical_table,
    compatible,
    compute_triads,
    dates_compatible,
    find_triads,
    link_events,
    load_mentions,
    load_plover_table,
    shared_run,
)
from detente.model import DateValue
from detente.store import Store
from fixtures_link import (
    Built,
    link_store,
    one_event_store,
    quoted_call_store,
    sentence_store,
    triad_store,
    undated_offer_store,
)


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


def test_canonical_events_read_what_linking_stored_and_filter() -> None:
    b = link_store()
    with pytest.raises(NotLinked, match=r"detente\.relink\(store\)"):
        canonical_events(b.store)  # not linked yet: a query never links
    link_events(b.store)
    assert len(canonical_events(b.store)) == 3
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
    ({"colour": "red"}, "unknown canonical event filter"),
    ({"kind": "guessed"}, "reported or derived"),
    ({"min_documents": "two"}, "whole number"),
])
def test_bad_canonical_filters_are_query_errors(filters: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        canonical_events(_linked(link_store()).store, **filters)


def test_a_canonical_filter_is_checked_when_made_and_equals_its_keywords() -> None:
    b = _linked(link_store())
    flt = CanonicalFilter(actor="pak", type=["assault", "consult"], min_documents="2")  # type: ignore[arg-type]
    assert flt.min_documents == 2 and flt.type == ("assault", "consult")
    by_filter = canonical_events(b.store, flt)
    by_keywords = canonical_events(b.store, actor="pak", type="ASSAULT,CONSULT", min_documents=2)
    assert by_filter["canonical_id"].tolist() == by_keywords["canonical_id"].tolist()
    assert len(by_filter) == 2
    with pytest.raises(QueryError, match="not both"):
        canonical_events(b.store, flt, actor="PAK")
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        CanonicalFilter(until="Jan 2024")


def _linked(b: Built) -> Built:
    link_events(b.store)
    return b


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
    b = _linked(triad_store(kind))
    triads = find_triads(b.store)
    assert len(triads) == 1, triads
    row = triads.drop(columns=["triad_id"]).iloc[0].to_dict()
    docs = {e.id: e.doc_id for e in b.events.values()}
    assert list(row.pop("doc_ids")) == sorted({docs[i] for i in row["event_ids"]})
    assert row == {**_expected(b, kind), "date_how": "event", "basis": "event"}
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


# -- one event naming both sides; undated triads ---------------------------------------------------
@pytest.mark.parametrize("kind", ["CONSULT", "REQUEST", "SUPPORT", "AGREE"])
def test_one_event_on_both_sides_of_a_conflict_is_engagement(kind: str) -> None:
    b = one_event_store(kind)
    triads = find_triads(b.store)
    assert triads[["mediator", "party_a", "party_b", "kind"]].values.tolist() == [
        ["TUR", "IRN", "PAK", "engagement"]]
    row = triads.iloc[0]
    # the event has no date: the triad takes the date of the strike it follows
    assert (row["date"], row["date_precision"], row["date_how"]) == ("2024-01-16", "day", "conflict")
    assert list(row["event_ids"]) == [b.events["third"].id, b.events["strike"].id]


def test_one_event_engagement_keeps_its_own_date() -> None:
    row = find_triads(one_event_store("CONSULT", dated=True).store).iloc[0]
    assert (row["date"], row["date_how"]) == ("2024-01-18", "event")


@pytest.mark.parametrize("kind", ["CONSULT", "REQUEST"])
def test_no_engagement_when_the_conflict_is_a_year_away(kind: str) -> None:
    # undated event in an article of January 2024 (its month stands in), strike in January 2023
    assert find_triads(one_event_store(kind, far=True).store).empty


@pytest.mark.parametrize("with_conflict, date, precision, how", [
    (True, "2020-01-03", "day", "conflict"),
    (False, "2020-01", "month", "article"),
])
def test_undated_offers_take_the_conflicts_date_or_the_articles_month(
        with_conflict: bool, date: str, precision: str, how: str) -> None:
    b = undated_offer_store(with_conflict)
    triads = find_triads(b.store)
    # the two offers (parties named in either order) are one triad, parties in code order
    assert triads[["mediator", "party_a", "party_b", "kind"]].values.tolist() == [
        ["PAK", "IRN", "USA", "offer"]]
    row = triads.iloc[0]
    assert (row["date"], row["date_precision"], row["date_how"]) == (date, precision, how)
    assert sorted(row["event_ids"]) == sorted([b.events["offer1"].id, b.events["offer2"].id])


@pytest.mark.parametrize("published, expected", [
    ("2024-01-29", ("2024-01", "month")), ("2024", ("2024", "year")), (None, None), ("junk", None)])
def test_article_month(published: str | None, expected: tuple[str, str] | None) -> None:
    got = article_month(published)
    assert (None if got is None else (got.value, got.precision)) == expected


# -- mediation read from sentences -----------------------------------------------------------------
def test_offers_and_appeals_in_sentences_without_events() -> None:
    b = sentence_store()
    triads = find_triads(b.store)
    got = triads[["mediator", "party_a", "party_b", "kind", "date", "date_how", "basis"]]
    assert got.values.tolist() == [
        ["CHN", "IRN", "PAK", "offer", "2024-01-18", "conflict", "sentence"],
        ["UNO", "IRN", "PAK", "engagement", "2024-01-18", "conflict", "sentence"]]
    assert triads["evidence"].tolist() == [["Beijing's spokeswoman stepped forward offering mediation"],
                                           ["The UN chief urged both nations to exercise restraint"]]
    assert all(len(ids) == 0 for ids in triads["event_ids"])


# -- derived canonical events ----------------------------------------------------------------------
def test_inferred_triads_become_derived_third_party_consults() -> None:
    b = one_event_store("REQUEST")
    result = link_events(b.store)
    assert result.n_derived == 1
    derived = canonical_events(b.store, kind="derived")
    assert len(derived) == 1
    row = derived.iloc[0]
    assert (row["event"], row["mode"], row["kind"], row["triad_kind"]) == (
        "CONSULT", "third-party", "derived", "engagement")
    assert (list(row["actor_codes"]), list(row["recipient_codes"]), list(row["mediator_codes"])) == (
        ["IRN"], ["PAK"], ["TUR"])
    assert (row["date"], row["date_how"]) == ("2024-01-16", "conflict")
    assert list(row["event_ids"]) == [b.events["third"].id, b.events["strike"].id]
    assert canonical_events(b.store, kind="reported")["kind"].tolist() == ["reported", "reported"]
    assert len(canonical_events(b.store)) == 3
    with pytest.raises(QueryError, match="kind"):
        canonical_events(b.store, kind="guessed")


def test_an_inferred_triad_belongs_to_the_reports_that_tell_the_contacts() -> None:
    b = one_event_store("REQUEST", dated=True, elsewhere=True)
    rows = compute_triads(b.store)
    assert [(r["mediator"], r["kind"]) for r in rows] == [("TUR", "engagement")]
    # the strike's report relates the conflict but tells nothing of Turkey's role
    assert rows[0]["doc_ids"] == [b.events["third"].doc_id]
    assert b.events["strike"].id in rows[0]["event_ids"]


def test_a_third_party_that_attacks_one_side_is_no_mediator_by_engagement() -> None:
    assert [(r["mediator"], r["kind"]) for r in compute_triads(triad_store("shuttle").store)] == \
        [("TUR", "shuttle")]
    assert compute_triads(triad_store("shuttle-belligerent").store) == []


@pytest.mark.parametrize("pressed, mediators", [(False, ["TUR"]), (True, [])])
def test_pressure_on_the_sides_is_no_engagement(pressed: bool, mediators: list) -> None:
    b = one_event_store("REQUEST", pressed=pressed)
    assert [r["mediator"] for r in compute_triads(b.store)] == mediators


def test_explicit_mediation_events_are_not_derived_again() -> None:
    b = triad_store("facilitated")
    assert link_events(b.store).n_derived == 0
    assert canonical_events(b.store, kind="derived").empty


def test_offers_from_sentences_are_derived_and_hypothetical() -> None:
    b = sentence_store()
    link_events(b.store)
    assert canonical_events(b.store, kind="derived")["mediator_codes"].map(list).tolist() == [["UNO"]]
    flagged = canonical_events(b.store, kind="derived", include_flagged=True)
    assert sorted(zip(flagged["triad_kind"], flagged["hypothetical"], strict=True)) == [
        ("engagement", False), ("offer", True)]


def test_canonical_table_is_compact_and_joins_lists() -> None:
    b = _linked(one_event_store("REQUEST"))
    table = canonical_table(canonical_events(b.store))
    assert list(table.columns) == ["date", "event", "kind", "mode", "who", "reports", "docs", "flags",
                                   "text"]
    assert table["who"].tolist() == ["IRN -> PAK", "IRN -> PAK via TUR", "TUR -> IRN, PAK"]


# -- one report quoted by another ------------------------------------------------------------------
def test_an_undated_report_quoting_a_dated_one_links_to_it() -> None:
    b = quoted_call_store()
    link_events(b.store)
    calls = canonical_events(b.store, type="CONSULT")
    by_ids = {tuple(sorted(r["event_ids"])): r for r in calls.to_dict("records")}
    ev = b.events
    assert set(by_ids) == {tuple(sorted([ev["dated"].id, ev["quoted"].id])), (ev["esper"].id,),
                           (ev["again"].id,)}
    both = by_ids[tuple(sorted([ev["dated"].id, ev["quoted"].id]))]
    # one says USA -> Bajwa (PAK army), the other USA -> PAK: the same call, dated by the first
    assert (both["n_documents"], both["date"]) == (2, "2020-01-03")
    assert list(both["recipient_codes"]) == ["PAK"]


@pytest.mark.parametrize("a, b, n, expected", [
    ("Bajwa and I spoke today about U.S. defensive action", "[Qamar] Bajwa and I spoke today about "
     "US defensive action, he wrote", 8, True),
    ("Bajwa and I spoke today", "Bajwa and I spoke yesterday", 5, False),
    ("the two ministers met in Tehran", "the two ministers met in Islamabad", 5, True),
    ("the two ministers met in Tehran", "the two ministers met in Islamabad", 6, False),
    ("short", "short", 8, False),
])
def test_shared_run(a: str, b: str, n: int, expected: bool) -> None:
    assert shared_run(a, b, n) is expected


@given(st.lists(st.sampled_from(["iran", "pakistan", "talks", "the", "met", "strike"]), max_size=12),
       st.lists(st.sampled_from(["iran", "pakistan", "talks", "the", "met", "strike"]), max_size=12),
       st.integers(min_value=3, max_value=6))
def test_shared_run_is_symmetric_and_reflexive(x: list[str], y: list[str], n: int) -> None:
    a, b = " ".join(x), " ".join(y)
    assert shared_run(a, b, n) == shared_run(b, a, n)
    assert shared_run(a, a, n) == (len(x) >= n)


def test_bad_shared_words_setting_is_a_data_file_error(tmp_path: object) -> None:
    with pytest.raises(DataFileError, match="shared_words"):
        load_plover_table(_plover_variant(tmp_path, "shared_words: 8", "shared_words: 1"))


def test_link_table_takes_quads_and_scores_from_the_coding_table() -> None:
    from detente.events.code import Coder

    coder, table = Coder.load(), load_plover_table()
    for name, info in table.types.items():
        _cameo, gold, quad = coder.lookup(name)
        assert (info.quad, info.goldstein) == (quad, gold), name
    assert {n for n, i in table.types.items() if i.symmetric} == {"AGREE", "CONSULT", "COOPERATE"}


def _plover_variant(tmp_path: object, old: str, new: str) -> Path:
    """The bundled link table with ``old`` replaced by ``new``, written to a temporary file."""
    text = PLOVER_FILE.read_text(encoding="utf-8")
    assert old in text
    path = Path(str(tmp_path)) / "plover.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


# -- mediation wording (detente.link.mediation) --------------------------------------------------------
A, P, C, PE, D = "country", "capital", "person", "demonym", "seat"


def _read(sentences: list[str], mentions: list[tuple[int, str, str, bool, str]],
          conflicts: list[tuple[str, str]] = ()) -> set[tuple[str, tuple[str, str], str]]:
    from detente.link.mediation import DocumentContext, read_mediation, strongest
    from fixtures_link import sentence_frames

    sents, ments = sentence_frames("d", sentences, mentions)
    ctx = {"d": DocumentContext([frozenset(p) for p in conflicts])}
    readings, _ = read_mediation(sents, ments, ctx)
    kinds: dict[tuple[str, tuple[str, str]], list[str]] = {}
    for r in readings:
        kinds.setdefault((r.mediator, r.parties), []).append(r.kind)
    return {(m, p, strongest(k)) for (m, p), k in kinds.items()}  # as find_triads names them


@pytest.mark.parametrize("sentence, mentions, expected", [
    ("Chile and Peru agreed to a truce brokered by Brazil, Ecuador and the United States.",
     [(0, "Chile", "CHL", False, A), (0, "Peru", "PER", False, A), (0, "Brazil", "BRA", False, A),
      (0, "Ecuador", "ECU", False, A), (0, "United States", "USA", False, A)],
     {("BRA", ("CHL", "PER"), "brokered"), ("ECU", ("CHL", "PER"), "brokered"),
      ("USA", ("CHL", "PER"), "brokered")}),
    ("Kenya and Uganda signed a Tanzania-brokered accord on Monday.",
     [(0, "Kenya", "KEN", False, A), (0, "Uganda", "UGA", False, A), (0, "Tanzania", "TZA", True, A)],
     {("TZA", ("KEN", "UGA"), "brokered")}),
    ("Laos and Vietnam swapped prisoners with the mediation of Thailand.",
     [(0, "Laos", "LAO", False, A), (0, "Vietnam", "VNM", False, A), (0, "Thailand", "THA", False, A)],
     {("THA", ("LAO", "VNM"), "brokered")}),
    # talks only planned have no host
    ("Mali said it would cancel planned meetings with Niger in Dakar.",
     [(0, "Mali", "MLI", False, A), (0, "Niger", "NER", False, A), (0, "Dakar", "SEN", True, P)],
     set()),
    ("Mali and Niger held talks in Dakar on Tuesday.",
     [(0, "Mali", "MLI", False, A), (0, "Niger", "NER", False, A), (0, "Dakar", "SEN", True, P)],
     {("SEN", ("MLI", "NER"), "hosted")}),
    ("Peru and Bolivia met at the Planalto with Brazil acting as a mediator.",
     [(0, "Peru", "PER", False, A), (0, "Bolivia", "BOL", False, A),
      (0, "Planalto", "BRA", True, D), (0, "Brazil", "BRA", False, A)],
     {("BRA", ("BOL", "PER"), "facilitated")}),
    ("Norway facilitated talks between Colombia and Venezuela.",
     [(0, "Norway", "NOR", False, A), (0, "Colombia", "COL", False, A),
      (0, "Venezuela", "VEN", False, A)],
     {("NOR", ("COL", "VEN"), "facilitated")}),
    ("Austria's chancellor took the latest proposal to Belgrade.",
     [(0, "Austria's chancellor", "AUT", False, C), (0, "Belgrade", "SRB", True, P)],
     {("AUT", ("ALB", "SRB"), "shuttle")}),
    ("Ghana offered to mediate in the dispute.", [(0, "Ghana", "GHA", False, A)],
     {("GHA", ("ALB", "SRB"), "offer")}),
    ("Serbia asked Hungary on Monday to mediate in its row with Albania.",
     [(0, "Serbia", "SRB", False, A), (0, "Hungary", "HUN", False, A), (0, "Albania", "ALB", False, A)],
     {("HUN", ("ALB", "SRB"), "offer")}),
    ("Jordan's foreign minister said Syria and Lebanon had agreed to reopen the border.",
     [(0, "Jordan's foreign minister", "JOR", False, C), (0, "Syria", "SYR", False, A),
      (0, "Lebanon", "LBN", False, A)],
     {("JOR", ("LBN", "SYR"), "brokered")}),
    ("Japan urged both sides to show restraint.", [(0, "Japan", "JPN", False, A)],
     {("JPN", ("ALB", "SRB"), "engagement")}),
    # a breakthrough is a result concluded: brokered
    ("Chile lifted its embargo on Peru in a breakthrough it credited to \"the patient efforts of "
     "Uruguay\".",
     [(0, "Chile", "CHL", False, A), (0, "Peru", "PER", False, A), (0, "Uruguay", "URY", False, A)],
     {("URY", ("CHL", "PER"), "brokered")}),
    ("Chile eased its embargo on Peru thanks to \"the patient efforts of Uruguay\".",
     [(0, "Chile", "CHL", False, A), (0, "Peru", "PER", False, A), (0, "Uruguay", "URY", False, A)],
     {("URY", ("CHL", "PER"), "facilitated")}),
    ("Mali and Niger restored ties under Algeria's sponsorship.",
     [(0, "Mali", "MLI", False, A), (0, "Niger", "NER", False, A), (0, "Algeria", "DZA", False, A)],
     {("DZA", ("MLI", "NER"), "facilitated")}),
    ("Kenya and Uganda settled the row, and Tanzania helped broker the settlement.",
     [(0, "Kenya", "KEN", False, A), (0, "Uganda", "UGA", False, A), (0, "Tanzania", "TZA", False, A)],
     {("TZA", ("KEN", "UGA"), "brokered")}),
    ("Ghana said it was ready to resume its mediation.", [(0, "Ghana", "GHA", False, A)],
     {("GHA", ("ALB", "SRB"), "offer")}),
    # one side's ties with two others: two pairs, never one with a mediator
    ("Chile signed accords to normalise relations with Peru and Bolivia in a ceremony hosted by "
     "Brazil.",
     [(0, "Chile", "CHL", False, A), (0, "Peru", "PER", False, A), (0, "Bolivia", "BOL", False, A),
      (0, "Brazil", "BRA", False, A)],
     {("BRA", ("BOL", "CHL"), "hosted"), ("BRA", ("CHL", "PER"), "hosted")}),
    ("Serbia and Albania signed separate deals with Hungary and the United Nations, in an accord "
     "brokered by the UN and Hungary.",
     [(0, "Serbia", "SRB", False, A), (0, "Albania", "ALB", False, A), (0, "Hungary", "HUN", False, A),
      (0, "United Nations", "UNO", False, A), (0, "UN", "UNO", False, A),
      (0, "Hungary", "HUN", False, A)],
     {("HUN", ("ALB", "SRB"), "brokered"), ("UNO", ("ALB", "SRB"), "brokered")}),
    # a named mediator's talks held elsewhere: the venue's state is no host
    ("Sudan and Chad agreed on a truce after days of African Union-led talks in Kenya.",
     [(0, "Sudan", "SDN", False, A), (0, "Chad", "TCD", False, A),
      (0, "African Union", "AFU", False, A), (0, "Kenya", "KEN", True, A)],
     {("AFU", ("SDN", "TCD"), "facilitated")}),
    ("Peru and Chile held talks in Bern on Friday through Norwegian mediators.",
     [(0, "Peru", "PER", False, A), (0, "Chile", "CHL", False, A), (0, "Bern", "CHE", True, P),
      (0, "Norwegian", "NOR", False, PE)],
     {("NOR", ("CHL", "PER"), "facilitated")}),
    # the venue's state takes part in the talks itself
    ("Serbia's president held talks with Indonesia's president in Jakarta.",
     [(0, "Serbia's president", "SRB", False, C), (0, "Indonesia's president", "IDN", False, C),
      (0, "Jakarta", "IDN", True, P)], set()),
    # the place of a war is no venue
    ("Brazil's president met Nigeria's president at a summit on the war in Sudan.",
     [(0, "Brazil's president", "BRA", False, C), (0, "Nigeria's president", "NGA", False, C),
      (0, "Sudan", "SDN", True, A)], set()),
    # a government and a rebel group of its own country: no pair of two countries
    ("Serbia's government and the SLA rebels signed a deal after talks mediated by Hungary.",
     [(0, "Serbia's government", "SRB", False, A), (0, "SLA", "SRB", False, A),
      (0, "Hungary", "HUN", False, A)], set()),
    ("Libya's militia forces sealed off the port.",
     [(0, "Libya's militia forces", "LBY", False, A)], set()),
    ("Egypt's foreign minister said Israel and the Lebanese group Hezbollah had agreed to a truce.",
     [(0, "Egypt's foreign minister", "EGY", False, C), (0, "Israel", "ISR", False, A),
      (0, "Lebanese", "LBN", False, PE), (0, "Hezbollah", "LBN", False, A)],
     {("EGY", ("ISR", "LBN"), "brokered")}),
    # an actor that only describes another ("the Bolivia-backed government") is no party
    ("Chile will halt raids on Peru after the Bolivia-backed government agreed to a ceasefire "
     "mediated by Uruguay.",
     [(0, "Chile", "CHL", False, A), (0, "Peru", "PER", False, A), (0, "Bolivia", "BOL", False, A),
      (0, "Uruguay", "URY", False, A)],
     {("URY", ("CHL", "PER"), "brokered")}),
    # the broker in an appositive clause after a preposition
    ("Peru and Chile signed the accord at a ceremony hosted by President Lula of Brazil, who "
     "helped broker it.",
     [(0, "Peru", "PER", False, A), (0, "Chile", "CHL", False, A), (0, "Brazil", "BRA", False, A)],
     {("BRA", ("CHL", "PER"), "brokered")}),
    # a meeting arranged by a third party is facilitated, a deal arranged by one brokered
    ("Peru's president met Chile's president on Friday in a meeting arranged by Brazil's foreign "
     "minister.",
     [(0, "Peru's president", "PER", False, C), (0, "Chile's president", "CHL", False, C),
      (0, "Brazil's foreign minister", "BRA", False, C)],
     {("BRA", ("CHL", "PER"), "facilitated")}),
    # a mediator named in a noun phrase after a preposition is still the mediator
    ("Peru and Chile began talks on a plan put forward by Brazilian and Uruguayan mediators.",
     [(0, "Peru", "PER", False, A), (0, "Chile", "CHL", False, A),
      (0, "Brazilian", "BRA", False, PE), (0, "Uruguayan", "URY", False, PE)],
     {("BRA", ("CHL", "PER"), "facilitated"), ("URY", ("CHL", "PER"), "facilitated")}),
    # the subject and the side it held talks with are the parties; a speaker is neither
    ("Chile said on Monday it was ready to accept a Bolivian proposal after talks with Peruvian "
     "envoys in Manaus.",
     [(0, "Chile", "CHL", False, A), (0, "Bolivian", "BOL", False, PE),
      (0, "Peruvian", "PER", False, PE), (0, "Manaus", "BRA", True, P)],
     {("BRA", ("CHL", "PER"), "hosted")}),
    ("Argentina said Chile held talks with Peru in Manaus.",
     [(0, "Argentina", "ARG", False, A), (0, "Chile", "CHL", False, A), (0, "Peru", "PER", False, A),
      (0, "Manaus", "BRA", True, P)], set()),
    ("Ghana said it was ready to help the two neighbours resolve their differences.",
     [(0, "Ghana", "GHA", False, A)], {("GHA", ("ALB", "SRB"), "offer")}),
    # the agreement itself is told: brokered
    ("Mali and Niger normalised ties under Algeria's sponsorship.",
     [(0, "Mali", "MLI", False, A), (0, "Niger", "NER", False, A), (0, "Algeria", "DZA", False, A)],
     {("DZA", ("MLI", "NER"), "brokered")}),
    ("A truce between Mali and Niger mediated by Algeria held on Monday.",
     [(0, "Mali", "MLI", False, A), (0, "Niger", "NER", False, A), (0, "Algeria", "DZA", False, A)],
     {("DZA", ("MLI", "NER"), "brokered")}),
    ("Mali and Niger resumed truce talks mediated by Algeria on Monday.",
     [(0, "Mali", "MLI", False, A), (0, "Niger", "NER", False, A), (0, "Algeria", "DZA", False, A)],
     {("DZA", ("MLI", "NER"), "facilitated")}),
    ("Chile's president announced the truce, saying it followed talks between Peru and Bolivia "
     "mediated by Chile.",
     [(0, "Chile's president", "CHL", False, C), (0, "Peru", "PER", False, A),
      (0, "Bolivia", "BOL", False, A), (0, "Chile", "CHL", False, A)],
     {("CHL", ("BOL", "PER"), "brokered")}),
])
def test_mediation_wording(sentence: str, mentions: list, expected: set) -> None:
    # the document's conflict (Serbia and Albania) completes sentences that name no parties
    assert _read([sentence], mentions, [("SRB", "ALB"), ("ALB", "SRB")]) == expected


@pytest.mark.parametrize("masked, pairs", [
    ("the \u27e6a0\u27e7-\u27e6a1\u27e7 talks", [("EGY", "CAN")]),
    ("the last \u27e6a0\u27e7-\u27e6a1\u27e7 hostage", []),  # one person, two nationalities
])
def test_a_compound_names_a_pair_unless_it_describes_one_person(masked: str, pairs: list) -> None:
    from detente.link.mediation import Masked, Slot, _sentence_pairs

    m = Masked("d", 0, masked, masked, [Slot("EGY", False, "Egyptian"), Slot("CAN", False, "Canadian")])
    assert _sentence_pairs(m) == pairs


def test_the_one_fighting_pair_of_a_crowded_sentence_are_the_parties() -> None:
    # the document is mostly about Argentina and Brazil; the sentence names Chile, Peru and
    # Brazil, of which only Chile and Peru fight
    mentions = [(0, "Chile", "CHL", False, A), (0, "Peru", "PER", False, A),
                (0, "Brazilian", "BRA", False, PE), (0, "Uruguay", "URY", False, A)]
    sentence = ("Chile will stop its raids on Peru, Brazilian officials said, under a truce "
                "mediated by Uruguay.")
    conflicts = [("CHL", "PER"), ("ARG", "BRA"), ("ARG", "BRA")]
    assert _read([sentence], mentions, conflicts) == {("URY", ("CHL", "PER"), "brokered")}
    assert _read([sentence], mentions, [("ARG", "BRA"), ("ARG", "BRA")]) == set()


def test_a_side_seeking_peace_is_no_mediator() -> None:
    # the US fights Iran in this story: its calls "to broker peace" make it no mediator
    got = _read(["Vance, Rubio and Witkoff held calls with Iranians to broker peace.",
                 "Iran fired missiles at a base in Qatar."],
                [(0, "Vance", "USA", False, C), (0, "Rubio", "USA", False, C),
                 (0, "Witkoff", "USA", False, C), (0, "Iranians", "IRN", False, PE),
                 (1, "Iran", "IRN", False, A), (1, "Qatar", "QAT", True, A)],
                [("USA", "IRN"), ("IRN", "QAT")])
    assert got == set()


def test_both_sides_are_the_parties_never_the_speaker_or_mediators() -> None:
    got = _read(["Afghanistan and Pakistan agreed to a ceasefire after talks in Doha mediated by "
                 "Qatar and Turkey.",
                 "The two nations had agreed to halt hostilities, Qatar's foreign ministry said.",
                 "Turkish Foreign Minister Fidan confirmed that both sides agreed to meet again."],
                [(0, "Afghanistan", "AFG", False, A), (0, "Pakistan", "PAK", False, A),
                 (0, "Doha", "QAT", True, P), (0, "Qatar", "QAT", False, A),
                 (0, "Turkey", "TUR", False, A), (1, "Qatar's foreign ministry", "QAT", False, A),
                 (2, "Fidan", "TUR", False, C)])
    assert {(m, p) for m, p, _ in got} == {("QAT", ("AFG", "PAK")), ("TUR", ("AFG", "PAK"))}
    assert {k for _, _, k in got} == {"brokered"}


@pytest.mark.parametrize("sentence, kind", [
    ("Chile and Peru agreed to a border deal through Brazilian mediators.", "brokered"),
    ("Chile and Peru agreed to meet again next week through Brazilian mediators.", "brokered"),
    ("Chile and Peru held talks next week through Brazilian mediators.", "facilitated"),
    ("Peru accepted a ceasefire proposal put forward by Brazilian mediators.", "facilitated"),
])
def test_one_side_accepting_a_proposal_is_no_agreement(sentence: str, kind: str) -> None:
    mentions = [(0, name, code, False, how) for name, code, how in
                (("Chile", "CHL", A), ("Peru", "PER", A), ("Brazilian", "BRA", PE)) if name in sentence]
    got = _read([sentence], mentions, [("CHL", "PER")])
    assert {(m, k) for m, _, k in got} == {("BRA", kind)}


@pytest.mark.parametrize("sentences, mentions, expected", [
    # talks named as known ("the meeting"): the story's pair, not an observer in the sentence
    (["Chile and Peru agreed to a truce on Friday after talks hosted by Brazil.",
      "Uruguay co-chaired the meeting and Argentina sent observers."],
     [(0, "Chile", "CHL", False, A), (0, "Peru", "PER", False, A), (0, "Brazil", "BRA", False, A),
      (1, "Uruguay", "URY", False, A), (1, "Argentina", "ARG", False, A),
      (1, "observers", "ARG", False, "generic")],
     {("BRA", ("CHL", "PER"), "hosted"), ("URY", ("CHL", "PER"), "facilitated")}),
    # "on one side ... on the other": the first of each side are the pair
    (["Prisoners were exchanged between Serbia and Hungary on one side and Croatia, Slovenia and "
      "Austria on the other, with Swiss diplomats facilitating the handover."],
     [(0, "Serbia", "SRB", False, A), (0, "Hungary", "HUN", False, A),
      (0, "Croatia", "HRV", False, A), (0, "Slovenia", "SVN", False, A),
      (0, "Austria", "AUT", False, A), (0, "Swiss", "CHE", False, PE)],
     {("CHE", ("HRV", "SRB"), "facilitated")}),
    # visiting both capitals is shuttling between the story's two sides
    (["Kenya and Somalia held talks on the border dispute.",
      "Ethiopian envoy Abebe Kassa also visited both capitals this week."],
     [(0, "Kenya", "KEN", False, A), (0, "Somalia", "SOM", False, A),
      (1, "Ethiopian envoy Abebe Kassa", "ETH", False, C)],
     {("ETH", ("KEN", "SOM"), "shuttle")}),
    # working to calm the situation, with a title between two mentions of one mediator
    (["A truce between Chad and Sudan held on Monday.",
      "Egypt and the African Union special envoy Amina Bello also worked to calm the situation."],
     [(0, "Chad", "TCD", False, A), (0, "Sudan", "SDN", False, A), (1, "Egypt", "EGY", False, A),
      (1, "African Union", "AFU", False, "igo"), (1, "Amina Bello", "AFU", False, C)],
     {("EGY", ("SDN", "TCD"), "engagement"), ("AFU", ("SDN", "TCD"), "engagement")}),
    # a third party announcing the truce's extension brokered it; a party announcing it did not
    (["Rwanda and Burundi agreed a truce along the border.",
      "The Elysee announced late on Friday that the truce would be extended by a month."],
     [(0, "Rwanda", "RWA", False, A), (0, "Burundi", "BDI", False, A),
      (1, "Elysee", "FRA", True, D)],
     {("FRA", ("BDI", "RWA"), "brokered")}),
    (["Rwanda and Burundi agreed a truce along the border.",
      "Rwanda announced on Friday that the truce would be extended by a month."],
     [(0, "Rwanda", "RWA", False, A), (0, "Burundi", "BDI", False, A), (1, "Rwanda", "RWA", False, A)],
     set()),
])
def test_mediation_told_across_sentences(sentences: list[str], mentions: list, expected: set
                                         ) -> None:
    assert _read(sentences, mentions) == expected


def test_a_party_in_its_own_capital_is_no_host() -> None:
    got = _read(["Iranian and Pakistani officials held talks in Tehran on the border."],
                [(0, "Iranian", "IRN", False, PE), (0, "Pakistani", "PAK", False, PE),
                 (0, "Tehran", "IRN", True, P)])
    assert got == set()


def test_mediation_rules_are_validated(tmp_path: Path) -> None:
    from detente.link.mediation import MEDIATION_FILE, load_mediation_rules

    bad = tmp_path / "mediation.yaml"
    bad.write_text(MEDIATION_FILE.read_text(encoding="utf-8").replace(
        "'\\bhosted\\s+by\\s+{M}'", "'\\bhosted\\s+by\\s+{M}{Q}'"), encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown placeholder"):
        load_mediation_rules(bad)
    bad.write_text(MEDIATION_FILE.read_text(encoding="utf-8").replace(
        "belligerent_days: 90", "belligerent_days: soon"), encoding="utf-8")
    with pytest.raises(DataFileError, match="whole number of days"):
        load_mediation_rules(bad)
    assert load_mediation_rules().cues  # the bundled file is valid


# -- linking across outlets -------------------------------------------------------------------------
def _m(doc: str, text: str, event: str, trigger: str, date: str, actors: tuple, recipients: tuple,
       place: str | None = None, country: str | None = None) -> EventMention:
    return EventMention(event_id=f"{doc}:{trigger}", doc_id=doc, sentence_index=0, trigger_start=0,
                        text=text, event=event, mode=None, trigger=trigger,
                        date=DateValue(date, "day"), place=place, goldstein=None, quad=None,
                        negated=False, hypothetical=False, actors=actors, recipients=recipients,
                        mediators=(), published=None, source=None, place_country=country)


def test_outlets_days_apart_link_but_other_days_stay_apart() -> None:
    t = load_plover_table()
    a = _m("a", "Iranian drones struck a village in Panjgur", "ASSAULT", "struck", "2024-01-16",
           ("IRN",), ("PAK",))
    b = _m("b", "Iran's strike on Panjgur killed two children", "ASSAULT", "strike", "2024-01-17",
           ("IRN",), ("PAK",))
    c = _m("c", "Iranian rockets hit a market in Mand", "ASSAULT", "hit", "2024-01-17",
           ("IRN",), ("PAK",))
    assert compatible(a, b, t, 1)  # a day apart, both about Panjgur
    assert not compatible(a, c, t, 1)  # a day apart, nothing in common
    call8 = _m("d", "Rubio spoke by phone with Sharif", "CONSULT", "spoke", "2025-05-08",
               ("USA",), ("PAK",))
    call10 = _m("e", "Rubio spoke by phone with Sharif", "CONSULT", "spoke", "2025-05-10",
                ("USA",), ("PAK",))
    assert not compatible(call8, call10, t, 1)
    arrive = _m("f", "A Russian delegation arrived in Istanbul", "CONSULT", "arrived", "2025-05-15",
                ("RUS",), ("UKR",), "Istanbul", "TUR")
    talks = _m("g", "The delegations held talks in Istanbul", "CONSULT", "talks", "2025-05-16",
               ("RUS",), ("UKR",), "Istanbul", "TUR")
    assert not compatible(arrive, talks, t, 1)


@pytest.mark.parametrize("other_actor, other_recipient, linked", [
    (("constables",), ("GHA",), True),  # an actor left unresolved fits the resolved one
    (("constables",), ("TGO",), False),  # ... but the targets must still agree
    (("TGO",), ("GHA",), False),  # a resolved, different actor
])
def test_an_unresolved_actor_does_not_keep_reports_apart(other_actor: tuple, other_recipient: tuple,
                                                          linked: bool) -> None:
    t = load_plover_table()
    a = _m("a", "Ghanaian police fired tear gas at marchers in Accra", "ASSAULT", "fired",
           "2024-03-04", ("GHA",), ("GHA",))
    b = _m("b", "Constables opened fire on the march", "ASSAULT", "opened", "2024-03-04",
           other_actor, other_recipient)
    assert compatible(a, b, t, 1) is linked


def test_one_attack_told_with_the_host_or_the_owner_as_target() -> None:
    t = load_plover_table()
    a = _m("a", "Iran fired missiles at the Al Udeid base in Qatar", "ASSAULT", "fired",
           "2025-06-23", ("IRN",), ("QAT",), "Al Udeid", "QAT")
    b = _m("b", "Iranian missiles targeted a US base near Doha", "COERCE", "targeted",
           "2025-06-23", ("IRN",), ("USA",), "Doha", "QAT")
    assert compatible(a, b, t, 1)  # one family, one country, the place stands for the target
    rows, _links = build_canonical([a, b], t)
    assert len(rows) == 1 and rows[0]["n_documents"] == 2


def test_triads_scored_per_document_with_a_close_kind() -> None:
    from detente.evaluate.linking import score_triads_by_document

    gold = {"a.txt": {("NOR", frozenset({"COL", "VEN"})): "facilitated",
                      ("CUB", frozenset({"COL", "VEN"})): "brokered"}}
    rows = [{"mediator": "NOR", "party_a": "COL", "party_b": "VEN", "kind": "hosted",
             "doc_ids": ["d1"]},
            {"mediator": "CUB", "party_a": "COL", "party_b": "VEN", "kind": "offer",
             "doc_ids": ["d1"]},
            {"mediator": "CUB", "party_a": "COL", "party_b": "VEN", "kind": "brokered",
             "doc_ids": ["d2"]}]  # another document's triad is not this one's
    got = score_triads_by_document(gold, rows, {"d1": "a.txt", "d2": "b.txt"})
    assert (got["matched"], got["found"], got["kind_right"], got["kind_close"]) == (2, 2, 0.0, 0.5)


def test_pairwise_scores() -> None:
    from detente.evaluate.linking import pairwise_scores

    got = pairwise_scores([["a", "b", "c"], ["d"]], {"a": ["1"], "b": ["1"], "c": ["2"], "d": ["2"]},
                          apart=[("c", "d")])
    # gold pairs ab ac bc; predicted ab cd: one right of two, one found of three
    assert (got["precision"], round(got["recall"], 3)) == (0.5, 0.333)
    assert got["apart_joined"] == [["c", "d"]]


# -- disagreements ----------------------------------------------------------------------------------
def test_a_distance_from_the_border_is_no_border_length() -> None:
    from detente.analysis import disagreements, extract_claims
    from fixtures_link import distance_store

    b = distance_store()
    claims = extract_claims(b.store)
    assert claims["value_text"].tolist() == ["909 km"]
    assert disagreements(b.store).empty


def test_a_side_of_the_worded_pairs_is_no_mediator_of_the_coders() -> None:
    # the coder names Turkey mediator of the Pakistan-Iran accord; the wording makes Turkey a side
    from builders import article, event, mention, processed, ref

    text = ("Pakistan signed accords to normalise relations with Iran and Turkey in a ceremony "
            "hosted by China.")
    a = article(text, "2024-03-02")
    pak, irn, tur = ref("PAK", "Pakistan"), ref("IRN", "Iran"), ref("TUR", "Turkey")
    ev = event(a, text, "AGREE", [pak], [irn], "signed", "2024-03-01", mediator=[tur], goldstein=4.0)
    ments = [mention(a, name, code, code, name) for code, name in
             (("PAK", "Pakistan"), ("IRN", "Iran"), ("TUR", "Turkey"), ("CHN", "China"))]
    s = Store(":memory:")
    s.write(processed(a, [ev], ments))
    got = {(t["mediator"], t["party_a"], t["party_b"]) for t in compute_triads(s)}
    assert got == {("CHN", "IRN", "PAK"), ("CHN", "PAK", "TUR")}
