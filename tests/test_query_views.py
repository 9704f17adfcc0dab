"""Views precomputed at link time, read-only queries, and pagination (issue 15, item 4).

The precomputed tables must give exactly what the computation over the whole store gives; they
are used only while the store is unchanged; queries never write; pages and API lists paginate
with links. No timing here: ``benchmarks/queries.py`` measures speed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from builders import article, mention, processed
from detente import analysis, relink
from detente.cli import main
from detente.link import TRIAD_COLUMNS, compute_triads, link_events
from detente.store import Store
from detente.store.links import LinkStore
from detente.web import views
from detente.web.app import create_app
from detente.web.report import render_report
from fixtures_link import Built, claims_store, dyad_store, triad_store
from test_web_api import LOCAL, build_store

BUILDERS: dict[str, Callable[[], Built]] = {
    "claims": claims_store, "dyad": dyad_store, "shuttle": lambda: triad_store("shuttle"),
    "engagement": lambda: triad_store("engagement"), "brokered": lambda: triad_store("brokered")}


def _linked(build: Callable[[], Built]) -> Built:
    b = build()
    relink(b.store)  # as `detente ingest` ends: links, then precomputes the views
    return b


def _graph_lists(store: Store, *, stored: bool) -> tuple[list, list]:
    g = analysis.actor_network(store) if stored else analysis.compute_network(store)
    return list(g.nodes(data=True)), list(g.edges(data=True))


# -- precomputed views equal the computation ------------------------------------------------------
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_precomputed_views_equal_the_computation(name: str) -> None:
    b = _linked(BUILDERS[name])
    s = b.store
    assert analysis.views_fresh(s, shuttle_window_days=14)
    computed_rules = analysis.load_claim_rules()  # passing rules forces the computation
    assert analysis.disagreements(s).equals(analysis.disagreements(s, rules=computed_rules))
    assert analysis.disagreement_pairs(s) == analysis.disagreement_pairs(s, rules=computed_rules)
    assert _graph_lists(s, stored=True) == _graph_lists(s, stored=False)
    stored = views.records(analysis.mediation_triads(s))
    fresh = [{k: views.clean(r.get(k)) for k in TRIAD_COLUMNS} for r in compute_triads(s)]
    assert stored == fresh
    assert len(stored) == (0 if name in ("claims", "dyad") else 1)


def test_the_views_hold_what_the_store_says() -> None:
    s = _linked(claims_store).store
    kinds = s.sql("SELECT kind, count(*) AS n FROM disagreement_rows GROUP BY kind ORDER BY kind")
    assert kinds.values.tolist() == [["date", 1], ["number", 3]]
    assert int(s.sql("SELECT count(*) AS n FROM network_nodes")["n"].iloc[0]) == 2
    s2 = _linked(lambda: triad_store("shuttle")).store
    assert s2.sql("SELECT mediator, kind FROM triads").values.tolist() == [["TUR", "shuttle"]]
    assert s2.sql("SELECT broker FROM network_nodes WHERE node = 'TUR'")["broker"].tolist() == [True]


@pytest.mark.parametrize("change", ["new document", "merge actors", "edit an event"])
def test_a_changed_store_is_computed_again(change: str) -> None:
    b = _linked(claims_store)
    s = b.store
    before = analysis.disagreements(s)
    if change == "new document":
        extra = article("Iran and Pakistan share a border of 1,200 kilometres, a map showed",
                        "2024-02-09", path="de.txt")
        s.write(processed(extra, [], [mention(extra, "Iran", "IRN", "IRN", "Iran"),
                                      mention(extra, "Pakistan", "PAK", "PAK", "Pakistan")]))
    elif change == "merge actors":
        s.merge_actors("IRN", "PAK")
    else:
        s.con.execute("UPDATE events SET date = '2024-01-19' WHERE date = '2024-01-17'")
    assert not analysis.views_fresh(s)
    after = analysis.disagreements(s)
    assert after.equals(analysis.disagreements(s, rules=analysis.load_claim_rules()))
    assert not after.equals(before)


def test_another_window_is_not_read_from_the_views() -> None:
    s = _linked(lambda: triad_store("shuttle")).store
    assert analysis.views_fresh(s, shuttle_window_days=14)
    assert not analysis.views_fresh(s, shuttle_window_days=1)
    assert len(analysis.mediation_triads(s, shuttle_window_days=14)) == 1
    assert len(analysis.mediation_triads(s, shuttle_window_days=1)) == 0  # too far apart for 1 day


@pytest.mark.parametrize("by", ["week", "month"])
@pytest.mark.parametrize("direction", ["both", "a->b", "b->a"])
def test_a_dyad_read_alone_equals_the_dyad_of_the_whole_store(by: str, direction: str) -> None:
    s = _linked(dyad_store).store
    s.con.execute("UPDATE events SET negated = true WHERE trigger = 'recalled'")  # left out by both
    alone = analysis.dyad_series(s, "IRN", "PAK", by=by, direction=direction)
    whole = analysis.dyad_series(s, "IRN", "PAK", by=by, direction=direction,
                                 data=analysis.load_dyad_data(s))
    assert isinstance(alone, pd.DataFrame) and isinstance(whole, pd.DataFrame)
    assert alone.equals(whole) and int(alone["n_events"].sum()) > 0
    assert "SANCTION" not in {m.event for m in analysis.load_dyad_data(s, pair=("IRN", "PAK")).mentions}
    shuttle = _linked(lambda: triad_store("shuttle")).store
    alone_ids = {m.event_id for m in analysis.load_dyad_data(shuttle, pair=("TUR", "IRN")).mentions}
    every = analysis.load_dyad_data(shuttle).mentions
    assert alone_ids == {m.event_id for m in every if {"TUR", "IRN"} <= {*m.actors, *m.recipients}}
    assert len(alone_ids) < len(every)


# -- queries never write ---------------------------------------------------------------------------
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def file_stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The web test store, unlinked and linked (with its views)."""
    root = tmp_path_factory.mktemp("views")
    plain = build_store(root / "plain.duckdb")
    linked = root / "linked.duckdb"
    shutil.copyfile(plain, linked)
    with Store(str(linked)) as store:
        relink(store)
    return {"plain": plain, "linked": linked}


@pytest.mark.parametrize("which", ["plain", "linked"])
@pytest.mark.parametrize("command", [["mediation"], ["network"], ["conflicts"], ["dyad", "IRN", "PAK"],
                                     ["events"], ["summary"]])
def test_query_commands_leave_the_store_as_it_was(file_stores: dict[str, Path], which: str,
                                                  command: list[str]) -> None:
    db = file_stores[which]
    before = _digest(db)
    result = CliRunner().invoke(main, [*command, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    assert _digest(db) == before


def test_read_only_answers_equal_the_linked_views(file_stores: dict[str, Path]) -> None:
    with Store(str(file_stores["plain"]), read_only=True) as plain, \
            Store(str(file_stores["linked"]), read_only=True) as linked:
        assert not analysis.views_fresh(plain) and analysis.views_fresh(linked)
        assert views.records(analysis.mediation_triads(plain)) == \
            views.records(analysis.mediation_triads(linked))
        assert analysis.disagreements(plain).equals(analysis.disagreements(linked))


# -- pagination ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(file_stores: dict[str, Path]) -> TestClient:
    return TestClient(create_app(str(file_stores["linked"])), base_url=LOCAL)


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.mark.parametrize("route", ["/api/events", "/api/documents", "/api/dyads", "/api/actors",
                                   "/api/mediation", "/api/disagreements"])
def test_api_pages_join_up_to_the_whole_list(client: TestClient, route: str) -> None:
    whole = client.get(route, params={"limit": 1000}).json()
    assert whole["total"] == len(whole["items"]) >= 1
    got, url, pages = [], f"{route}?limit=1", 0
    while url:
        page = client.get(url).json()
        assert len(page["items"]) == 1 and page["total"] == whole["total"]
        got += page["items"]
        url = page["links"]["next"]
        pages += 1
    assert got == whole["items"] and pages == whole["total"]
    last = client.get(route, params={"limit": 1, "offset": whole["total"] - 1}).json()
    assert last["links"]["next"] is None
    assert (last["links"]["prev"] is not None) is (whole["total"] > 1)


def test_api_links_keep_the_filters(client: TestClient) -> None:
    page = client.get("/api/events", params={"actor": "PAK", "limit": 2}).json()
    assert page["total"] > 2
    nxt = _query(page["links"]["next"])
    assert nxt == {"actor": ["PAK"], "limit": ["2"], "offset": ["2"]}
    assert page["links"]["prev"] is None and page["links"]["first"] is None
    last = _query(page["links"]["last"])
    assert int(last["offset"][0]) == (page["total"] - 1) // 2 * 2


@pytest.mark.parametrize(("route", "row"), [("/", 'class="event-row"'),
                                            ("/documents", "<tr><td>")])
def test_pages_show_one_page_with_links(client: TestClient, route: str, row: str) -> None:
    first = client.get(route, params={"limit": 1}).text
    assert first.count(row) == 1
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get(route, params={"limit": 1, "offset": 1}).text
    assert 'rel="prev"' in second
    assert second.count(row) == 1 and second != first
    assert client.get(route, params={"limit": 0}).status_code == 422


@pytest.mark.parametrize(("route", "count"), [("/mediation", "triads 1–1 of 1"),
                                              ("/disagreements", "disagreements 1–1 of 1"),
                                              ("/documents", "documents 1–4 of 4")])
def test_a_single_page_says_so_and_links_nowhere(client: TestClient, route: str, count: str) -> None:
    html = client.get(route).text
    assert html.count(count) == 2  # above and below the table
    assert "rel=" not in html.split('<nav class="pager"', 1)[1]


def test_page_links() -> None:
    p = views.page_of("/x", {"q": "iran", "offset": "5", "limit": "5"}, 12, 5, 5)
    assert (p.start, p.end) == (6, 10)
    assert p.links() == {"first": "/x?q=iran&limit=5&offset=0", "prev": "/x?q=iran&limit=5&offset=0",
                         "next": "/x?q=iran&limit=5&offset=10", "last": "/x?q=iran&limit=5&offset=10"}
    end = views.page_of("/x", {}, 12, 5, 10)
    assert end.next is None and end.last is None and (end.start, end.end) == (11, 12)
    empty = views.page_of("/x", {}, 0, 5, 0)
    assert empty.links() == dict.fromkeys(("first", "prev", "next", "last"))


def test_dyad_pairs_counted_in_the_store_equal_those_of_the_events(file_stores: dict[str, Path]
                                                                  ) -> None:
    with Store(str(file_stores["plain"]), read_only=True) as store:
        pairs = views.store_dyad_pairs(store)
        assert pairs == views.dyad_pairs(views.event_views(store))
        assert pairs[0]["key"] == "IRN|PAK"


def test_the_report_embeds_at_most_its_limit(file_stores: dict[str, Path]) -> None:
    with Store(str(file_stores["linked"]), read_only=True) as store:
        total = store.count_events()
        html = render_report(store, limit=2)
        assert html.count('class="detail"') == 2
        assert f"2 of {total} (the first by date" in html
        assert render_report(store, limit=None).count('class="detail"') == total


def test_event_pages_in_sql_equal_slices(file_stores: dict[str, Path]) -> None:
    with Store(str(file_stores["plain"]), read_only=True) as store:
        every = store.event_records(actor="IRN")
        assert store.count_events(actor="IRN") == len(every) >= 3
        assert store.event_records(actor="IRN", limit=2, offset=1) == every[1:3]
        docs = store.docs()
        assert store.count_docs() == len(docs)
        assert store.docs(limit=2, offset=2).equals(docs.iloc[2:4].reset_index(drop=True))



def test_link_events_stores_triads_and_relink_adds_the_views() -> None:
    s = triad_store("shuttle").store
    ls = LinkStore(s)
    assert not ls.triads_fresh(shuttle_window_days=14)
    link_events(s)
    assert ls.triads_fresh(shuttle_window_days=14)
    assert not ls.triads_fresh(shuttle_window_days=1)
    assert not analysis.views_fresh(s)  # the views are the link step's second half
    relink(s)
    assert ls.triads_fresh(shuttle_window_days=14) and analysis.views_fresh(s, shuttle_window_days=14)
    s.con.execute("UPDATE events SET goldstein = coalesce(goldstein, 0) + 1")
    assert not ls.triads_fresh(shuttle_window_days=14) and not analysis.views_fresh(s)


def test_link_command_relinks_an_existing_store_and_refuses_a_missing_one(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = tmp_path / "none.duckdb"
    result = runner.invoke(main, ["link", "--db", str(missing)])
    assert result.exit_code == 1
    assert f"no detente store at {missing}" in result.output and not missing.exists()
    db = tmp_path / "store.duckdb"
    with Store(str(db)) as store:
        built = triad_store("shuttle", store=store)
        assert built.store is store
    result = runner.invoke(main, ["link", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert re.match(r"\d+ event mentions -> \d+ canonical events", result.output), result.output
    with Store(str(db), read_only=True) as store:
        assert analysis.views_fresh(store, shuttle_window_days=14)
