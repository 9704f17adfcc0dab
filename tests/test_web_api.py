"""The web app's JSON API and pages (FastAPI TestClient) and the offline report, over a store
built by hand. ``build_store`` is also used by ``test_browser.py``."""

from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from builders import article, event, mention, processed, ref
from detente.errors import QueryError, StoreError
from detente.model import ActorRef, Article, Event
from detente.store import Store
from detente.web import plotly_js, views
from detente.web.app import MAX_LIMIT, create_app
from detente.web.report import build_report

XSS = "<script>alert(1)</script>"
LOCAL = "http://127.0.0.1:8000"


def _locate(art: Article, ev: Event) -> Event:
    """Give each participant its article offsets (the first match in its sentence)."""

    def fix(refs: list[ActorRef]) -> list[ActorRef]:
        out = []
        for r in refs:
            at = art.text.index(r.entity_text, ev.sent_start)
            out.append(dataclasses.replace(r, char_start=at, char_end=at + len(r.entity_text)))
        return out

    ev.actor, ev.recipient, ev.mediator = fix(ev.actor), fix(ev.recipient), fix(ev.mediator)
    return ev


def build_store(path: Path) -> Path:
    """Four documents; events of every quad class from January to April 2024; a mediated event
    (Turkey between Pakistan and Iran); a strike dated differently by two documents; and an
    article (and title) holding ``<script>alert(1)</script>``."""
    pak, irn, tur, chn = (ref("PAK", "Pakistan"), ref("IRN", "Iran"), ref("TUR", "Turkey"),
                          ref("CHN", "China"))
    a1 = article("Iran struck militant targets inside Pakistan. Pakistan accused Iran of violating "
                 "its airspace. Turkey hosted talks between Pakistan and Iran in Ankara",
                 published="2024-01-20", path="strikes.txt", title="Strikes and talks")
    e1 = [event(a1, "Iran struck militant targets inside Pakistan", "ASSAULT", [irn], [pak], "struck",
                "2024-01-16", goldstein=-10, quad=4),
          event(a1, "Pakistan accused Iran of violating its airspace", "ACCUSE", [pak], [irn],
                "accused", "2024-01-17", goldstein=-2, quad=3),
          event(a1, "Turkey hosted talks between Pakistan and Iran in Ankara", "CONSULT", [pak],
                [irn], "talks", "2024-02-05", mediator=[tur], goldstein=1, quad=1)]
    a2 = article("China pledged aid to Pakistan. Pakistan and Iran agreed to resume border patrols",
                 published="2024-03-10", path="aid.txt", title="Aid and patrols")
    e2 = [event(a2, "China pledged aid to Pakistan", "AID", [chn], [pak], "pledged aid",
                "2024-03-09", goldstein=7.4, quad=2),
          event(a2, "Pakistan and Iran agreed to resume border patrols", "AGREE", [pak], [irn],
                "agreed", "2024-03-10", goldstein=4, quad=1)]
    a3 = article(f"Iran praised Pakistan {XSS} for its restraint. Officials met again",
                 published="2024-04-02", path="xss.txt", title="Praise <b>bold</b> " + XSS)
    e3 = [event(a3, f"Iran praised Pakistan {XSS} for its restraint", "PRAISE", [irn], [pak],
                "praised", "2024-04-02", goldstein=3.4, quad=1)]
    a4 = article("Iran struck militant targets inside Pakistan on Wednesday. The border stayed "
                 "closed", published="2024-01-19", path="followup.txt", title="Follow-up")
    e4 = [event(a4, "Iran struck militant targets inside Pakistan on Wednesday", "ASSAULT", [irn],
                [pak], "struck", "2024-01-17", goldstein=-10, quad=4)]
    names = {"Iran": "IRN", "Pakistan": "PAK", "Turkey": "TUR", "China": "CHN"}
    with Store(path) as store:
        for art, evs in ((a1, e1), (a2, e2), (a3, e3), (a4, e4)):
            ments = [mention(art, n, c, c, n) for n, c in names.items() if n in art.text]
            store.write(processed(art, [_locate(art, e) for e in evs], ments))
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "web.duckdb")


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(str(db)), base_url=LOCAL)


def get_json(client: TestClient, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


# -- views ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "spans", "expected"), [
    ("Iran praised Pakistan", [(0, 4, "actor"), (5, 12, "trigger"), (13, 21, "recipient")],
     [("Iran", "actor"), (" ", None), ("praised", "trigger"), (" ", None), ("Pakistan", "recipient")]),
    ("abc", [], [("abc", None)]),
    ("", [], [("", None)]),
    ("abcdef", [(1, 4, "actor"), (2, 3, "trigger")], [("a", None), ("bcd", "actor"), ("ef", None)]),
    ("abcdef", [(-1, 2, "actor"), (4, 99, "trigger"), (3, 3, "x")], [("abcdef", None)]),
])
def test_segments(text: str, spans: list[tuple[int, int, str]],
                  expected: list[tuple[str, str | None]]) -> None:
    got = views.segments(text, spans)
    assert [(s["text"], s["mark"]) for s in got] == expected
    assert "".join(s["text"] for s in got) == text


@given(st.text(max_size=40), st.lists(st.tuples(st.integers(-5, 45), st.integers(-5, 45),
                                                st.sampled_from(views.MARKS)), max_size=6))
def test_segments_always_rebuild_the_text(text: str, spans: list[tuple[int, int, str]]) -> None:
    got = views.segments(text, spans)
    assert "".join(s["text"] for s in got) == text
    marked = [s for s in got if s["mark"]]
    assert all(s["text"] for s in marked)
    assert len(marked) <= len(spans)


@given(st.recursive(st.text() | st.integers() | st.none(),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(), kids,
                                                                               max_size=3)))
def test_script_json_round_trips(value: Any) -> None:
    out = views.script_json(value)
    assert "</" not in out and "<!--" not in out
    assert json.loads(out) == value


@pytest.mark.parametrize(("query", "pattern"), [
    ("50%", "%50\\%%"), ("a_b", "%a\\_b%"), ("back\\slash", "%back\\\\slash%"), ("Iran", "%Iran%")])
def test_like_pattern_escapes(query: str, pattern: str) -> None:
    assert views.like_pattern(query) == pattern


def test_script_json_cannot_close_its_script() -> None:
    out = views.script_json({"t": "</script><script>alert(1)</script><!--"})
    assert "<" not in out and ">" not in out
    assert json.loads(out) == {"t": "</script><script>alert(1)</script><!--"}


def test_event_views_mark_actor_recipient_mediator_and_trigger(db: Path) -> None:
    with Store(db, read_only=True) as store:
        evs = views.event_views(store)
    assert len(evs) == 7
    consult = next(e for e in evs if e["event"] == "CONSULT")
    marks = [(s["text"], s["mark"]) for s in consult["segments"] if s["mark"]]
    assert marks == [("Turkey", "mediator"), ("talks", "trigger"), ("Pakistan", "actor"),
                     ("Iran", "recipient")]
    assert consult["mediator_codes"] == ["TUR"] and consult["quad_label"] == "Verbal cooperation"
    assert {e["quad"] for e in evs} == {1, 2, 3, 4}


def test_network_shows_the_mediator(db: Path) -> None:
    with Store(db, read_only=True) as store:
        net = views.network_view(store)
    nodes = {n["id"]: n for n in net["nodes"]}
    assert set(nodes) == {"IRN", "PAK", "TUR", "CHN"}
    assert nodes["TUR"]["mediator"] and not nodes["PAK"]["mediator"]
    names = [t["name"] for t in net["figure"]["data"]]
    assert names == ["relations", "actor", "mediator"]
    assert net["figure"]["data"][2]["text"] == ["TUR"]


def test_timeline_one_trace_per_quad_class(db: Path) -> None:
    with Store(db, read_only=True) as store:
        fig = views.timeline_figure(views.event_views(store))
    assert [t["name"] for t in fig["data"]] == [
        "Verbal cooperation", "Material cooperation", "Verbal conflict", "Material conflict"]
    assert [t["marker"]["color"] for t in fig["data"]] == [c for _, c in views.QUADS.values()]
    assert sum(len(t["x"]) for t in fig["data"]) == 7


# -- JSON API -------------------------------------------------------------------------------------
def test_events_pagination(client: TestClient) -> None:
    page1 = get_json(client, "/api/events?limit=3")
    assert (page1["total"], page1["limit"], page1["offset"], len(page1["items"])) == (7, 3, 0, 3)
    page3 = get_json(client, "/api/events?limit=3&offset=6")
    assert len(page3["items"]) == 1
    every = get_json(client, "/api/events?limit=100")["items"]
    assert [e["id"] for e in page1["items"]] == [e["id"] for e in every[:3]]
    assert [e["date"] for e in every] == sorted(e["date"] for e in every)
    assert get_json(client, "/api/events?offset=50")["items"] == []


@pytest.mark.parametrize(("query", "expected"), [
    ("type=ASSAULT", ["ASSAULT", "ASSAULT"]),
    ("type=aid,praise", ["AID", "PRAISE"]),
    ("actor=CHN", ["AID"]),
    ("actor=TUR", ["CONSULT"]),
    ("since=2024-03&until=2024-03-31", ["AID", "AGREE"]),
    ("since=2024-04", ["PRAISE"]),
    ("min_confidence=0.9", []),
    ("actor=PAK&type=ACCUSE", ["ACCUSE"]),
])
def test_events_filters(client: TestClient, query: str, expected: list[str]) -> None:
    items = get_json(client, f"/api/events?{query}")["items"]
    assert [e["event"] for e in items] == expected


def test_events_doc_filter_and_contract(client: TestClient) -> None:
    docs = get_json(client, "/api/documents")["items"]
    aid = next(d for d in docs if d["path"] == "aid.txt")
    items = get_json(client, f"/api/events?doc={aid['doc_id'][:6]}")["items"]
    assert [e["event"] for e in items] == ["AID", "AGREE"]
    assert items[0]["actor"][0] == {"code": "CHN", "sector": "GOV", "entity_text": "China",
                                    "name": "China", "identifier": "CHN"}
    assert items[0]["text_info"]["path"] == "aid.txt"


def test_actors(client: TestClient) -> None:
    body = get_json(client, "/api/actors")
    assert {a["code"] for a in body["items"]} == {"IRN", "PAK", "TUR", "CHN"}
    assert all(isinstance(a["roles"], list) for a in body["items"])


def test_dyad(client: TestClient) -> None:
    body = get_json(client, "/api/dyad?a=PAK&b=IRN&by=month")
    assert [r["bucket"] for r in body["items"]] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert body["items"][0]["n_events"] >= 2 and body["items"][0]["goldstein_mean"] < 0
    pairs = get_json(client, "/api/dyads")["items"]
    assert pairs[0]["a"] == "IRN" and pairs[0]["b"] == "PAK"


def test_mediation(client: TestClient) -> None:
    items = get_json(client, "/api/mediation")["items"]
    turkey = [t for t in items if t["mediator"] == "TUR"]
    assert len(turkey) == 1
    assert {turkey[0]["party_a"], turkey[0]["party_b"]} == {"PAK", "IRN"}
    assert turkey[0]["evidence"] == ["Turkey hosted talks between Pakistan and Iran in Ankara"]


def test_disagreements(client: TestClient) -> None:
    items = get_json(client, "/api/disagreements")["items"]
    dates = [d for d in items if d["kinds"] == ["date"]]
    assert len(dates) == 1
    got = {c["value"] for side in ("a", "b") for c in dates[0][side]["claims"]}
    assert got == {"2024-01-16", "2024-01-17"}
    assert dates[0]["about"].startswith("ASSAULT IRN → PAK")


def test_documents_and_document(client: TestClient) -> None:
    docs = get_json(client, "/api/documents")
    assert docs["total"] == 4
    xss = next(d for d in docs["items"] if d["path"] == "xss.txt")
    doc = get_json(client, f"/api/documents/{xss['doc_id']}")
    assert XSS in doc["text"]
    assert [e["event"] for e in doc["events"]] == ["PRAISE"]
    assert get_json(client, "/api/documents/0000000000000000", 404) == {
        "error": "no document '0000000000000000' in the store"}


@pytest.mark.parametrize(("q", "paths"), [
    ("script", ["xss.txt"]),
    ("PAKISTAN", ["followup.txt", "strikes.txt", "aid.txt", "xss.txt"]),
    ("%", []),
    ("_", []),
    ("pledged aid", ["aid.txt"]),
    ("' OR 1=1 --", []),
])
def test_search(client: TestClient, q: str, paths: list[str]) -> None:
    body = get_json(client, "/api/search?" + f"q={q.replace('%', '%25').replace(' ', '+')}")
    assert [d["path"] for d in body["items"]] == paths
    assert body["total"] == len(paths)
    for item in body["items"]:
        assert q.lower() in item["snippet"].lower()


@pytest.mark.parametrize(("url", "status", "message"), [
    ("/api/events?since=garbage", 400, "bad date 'garbage': use YYYY, YYYY-MM or YYYY-MM-DD"),
    ("/api/events?until=2024-13", 400, "bad date '2024-13'"),
    ("/api/events?limit=-1", 422, "limit"),
    ("/api/events?limit=0", 422, "limit"),
    (f"/api/events?limit={MAX_LIMIT + 1}", 422, "limit"),
    ("/api/events?offset=-5", 422, "offset"),
    ("/api/events?min_confidence=2", 422, "min_confidence"),
    ("/api/events?min_confidence=abc", 422, "min_confidence"),
    ("/api/dyad?a=PAK", 422, "b"),
    ("/api/dyad?a=PAK&b=IRN&by=decade", 422, "by"),
    ("/api/dyad?a=PAK&b=ZZZ", 400, "no actor 'ZZZ'"),
    ("/api/dyad?a=PAK&b=PAK", 400, "two different actors"),
    ("/api/search", 422, "q"),
    ("/api/search?q=", 422, "q"),
    ("/api/search?q=+++", 400, "empty search"),
    ("/api/documents?since=yesterday", 400, "bad date"),
    ("/api/events/nope", 404, "no event 'nope'"),
    ("/api/nothing-here", 404, "Not Found"),
])
def test_bad_parameters_are_clear_4xx(client: TestClient, url: str, status: int, message: str) -> None:
    body = get_json(client, url, status)
    assert set(body) == {"error"}
    assert message in body["error"]


MALFORMED = ["", "-1", "0", "1e309", "nan", "inf", "99999999999999999999", "2024-02-30", "%00", "%",
             "_", "'", ";--", "<script>", "../../etc/passwd", "\u202e", "😀", "a" * 300,
             "2024-1-1-1", "0000", "2024-00", "-2024", " ", "[]"]


@pytest.mark.parametrize(("endpoint", "params"), [
    ("/api/events", ["actor", "type", "since", "until", "doc", "min_confidence", "limit", "offset"]),
    ("/api/actors", ["actor", "limit", "offset"]),
    ("/api/documents", ["since", "until", "limit", "offset"]),
    ("/api/dyad?a=PAK&b=IRN", ["by", "a", "b"]),
    ("/api/search?q=x", ["q", "limit", "offset"]),
])
def test_malformed_params_never_500(client: TestClient, endpoint: str, params: list[str]) -> None:
    sep = "&" if "?" in endpoint else "?"
    for name in params:
        for value in MALFORMED:
            r = client.get(f"{endpoint}{sep}{name}={value}")
            assert r.status_code < 500, (endpoint, name, value, r.text)
            if r.status_code >= 400:
                assert isinstance(r.json()["error"], str) and r.json()["error"]


def test_no_swagger_but_api_page_and_openapi(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    spec = get_json(client, "/openapi.json")
    assert {"/api/events", "/api/actors", "/api/dyad", "/api/mediation", "/api/documents",
            "/api/documents/{doc_id}", "/api/search"} <= set(spec["paths"])
    page = client.get("/api")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in page.text
    assert "http://" not in page.text and "https://" not in page.text


def test_static_files_by_fixed_name_only(client: TestClient) -> None:
    assert "Plotly" in client.get("/static/plotly.min.js").text[:5000]
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    for bad in ["/static/../app.py", "/static/..%2Fapp.py", "/static/templates/base.html",
                "/static/%2e%2e/%2e%2e/store.py", "/static/views.py"]:
        assert client.get(bad).status_code == 404, bad


# -- pages ----------------------------------------------------------------------------------------
def test_pages_escape_the_article(client: TestClient, db: Path) -> None:
    docs = get_json(client, "/api/documents")["items"]
    xss = next(d for d in docs if d["path"] == "xss.txt")
    urls = ["/", "/documents", f"/documents/{xss['doc_id']}", "/search?q=script", "/mediation",
            "/network", "/dyad", "/disagreements"]
    praise = get_json(client, "/api/events?type=PRAISE")["items"][0]
    urls.append(f"/events/{praise['id']}")
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        assert "<script>alert" not in r.text, url
        assert "<b>bold" not in r.text, url
    page = client.get(f"/events/{praise['id']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<mark class="m-actor" title="actor">Iran</mark>' in page
    assert '<mark class="m-trigger" title="trigger">praised</mark>' in page
    assert f'href="/documents/{xss["doc_id"]}#s-{xss["doc_id"]}-0"' in page


def test_page_errors_are_html(client: TestClient) -> None:
    r = client.get("/?since=garbage")
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]
    assert "bad date &#39;garbage&#39;" in r.text
    assert client.get("/events/nope").status_code == 404


def test_app_is_read_only(db: Path) -> None:
    app = create_app(str(db))
    assert TestClient(app, base_url=LOCAL).get("/api/mediation").status_code == 200
    with Store(db, read_only=True) as store:
        tables = set(store.sql("SELECT table_name FROM information_schema.tables")["table_name"])
    assert "triads" not in tables  # find_triads saved nothing


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no detente store"):
        create_app(str(tmp_path / "nope.duckdb"))


# -- the report -----------------------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "action", "data", "poster") and value:
                self.urls.append(value)
        if tag == "script":
            self.scripts.append(dict(attrs))


@pytest.fixture(scope="module")
def report_html(db: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    with Store(db, read_only=True) as store:
        path = build_report(store, tmp_path_factory.mktemp("rep") / "report.html")
    return path.read_text(encoding="utf-8")


def test_report_is_self_contained(report_html: str) -> None:
    links = _Links()
    links.feed(report_html)
    assert links.urls, "the report has its in-page links"
    assert all(u.startswith("#") for u in links.urls), [u for u in links.urls if not u.startswith("#")]
    assert not any(re.match(r"\s*(https?:)?//", u) for u in links.urls)
    assert all("src" not in s for s in links.scripts)
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", report_html, flags=re.S | re.I)
    assert re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", markup) is None
    # plotly.js (inlined once) names map-tile servers in strings it uses only for map traces;
    # everything else in the file names no URL at all
    assert report_html.count(plotly_js()) == 1
    rest = report_html.replace(plotly_js(), "")
    assert "http://" not in rest and "https://" not in rest
    assert "detente-data" in rest


def test_report_content_and_escaping(report_html: str) -> None:
    assert "<script>alert(1)" not in report_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report_html
    data = re.search(r'<script type="application/json" id="detente-data">(.*?)</script>',
                     report_html, re.S)
    assert data is not None
    embedded = json.loads(data.group(1))
    assert len(embedded["events"]) == 7
    assert set(embedded["dyads"]) == {"IRN|PAK", "CHN|PAK"}
    for section in ("timeline-chart", "dyad-chart", "network-chart", "triad-table",
                    "disagreement-table", "event-table"):
        assert f'id="{section}"' in report_html
    assert report_html.count('class="detail"') == 7
    assert '<td class="mediator">TUR</td>' in report_html


def test_report_filters(db: Path, tmp_path: Path) -> None:
    with Store(db, read_only=True) as store:
        html = build_report(store, tmp_path / "r.html", actor="CHN").read_text(encoding="utf-8")
        assert html.count('class="event-row"') == 1
        with pytest.raises(QueryError, match="bad date"):
            build_report(store, tmp_path / "x.html", since="soon")
        with pytest.raises(QueryError, match="cannot write"):
            build_report(store, tmp_path / "missing" / "dir" / "r.html")


# -- the commands ---------------------------------------------------------------------------------
def test_report_command(db: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from detente.web.cli import report_cli, serve_cli

    out = tmp_path / "r.html"
    result = CliRunner().invoke(report_cli, ["--db", str(db), "-o", str(out), "--type", "ASSAULT"])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8").count('class="event-row"') == 2
    bad = CliRunner().invoke(report_cli, ["--db", str(db), "-o", str(out), "--until", "later"])
    assert bad.exit_code == 1 and bad.output.startswith("Error: bad date 'later'")
    missing = CliRunner().invoke(serve_cli, ["--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "no detente store" in missing.output


# -- the store is not held between requests (issue 16, point 3) --------------------------------
_WRITER = """
import sys
sys.path.insert(0, sys.argv[2])
from builders import article, processed
from detente.store import open_store
art = article("Oman hosted talks between Iran and the United States in Muscat",
              published="2024-05-01", path="muscat.txt", title="Talks in Muscat")
with open_store(sys.argv[1], wait_s=0) as store:
    store.write(processed(art, []))
"""

_HOLD_WRITE = """
import sys
from detente.store import open_store
with open_store(sys.argv[1]) as store:
    print("ready", flush=True)
    sys.stdin.read()
"""


def _python_env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}


def test_an_ingest_writes_while_the_app_serves(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = build_store(tmp_path / "live.duckdb")
    with TestClient(create_app(str(db)), base_url=LOCAL) as client:
        before = get_json(client, "/api/documents")["total"]
        done = subprocess.run([sys.executable, "-c", _WRITER, str(db), str(Path(__file__).parent)],
                              env=_python_env(), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        titles = [d["title"] for d in get_json(client, "/api/documents")["items"]]
        assert len(titles) == before + 1 and "Talks in Muscat" in titles


def test_a_request_during_a_write_is_a_503_naming_the_writer(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = build_store(tmp_path / "busy.duckdb")
    client = TestClient(create_app(str(db)), base_url=LOCAL)
    proc = subprocess.Popen([sys.executable, "-c", _HOLD_WRITE, str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=_python_env())
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        r = client.get("/api/events")
        assert r.status_code == 503 and r.headers["retry-after"] == "5"
        assert f"process {proc.pid}" in r.json()["error"] and "is writing to it" in r.json()["error"]
        page = client.get("/")
        assert page.status_code == 503 and "is writing to it" in page.text
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=60)
    assert client.get("/api/events").status_code == 200


# -- Host, headers, HEAD, unknown filter values (issue 16, point 6) ----------------------------
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost",
                                  "LOCALHOST:8000"])
def test_loopback_hosts_are_answered(client: TestClient, host: str) -> None:
    assert client.get("/api/documents", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "[::1", "localhost:x", ""])
def test_other_hosts_are_refused(client: TestClient, host: str) -> None:
    r = client.get("/api/documents", headers={"Host": host})
    assert r.status_code == 400 and "bad Host header" in r.json()["error"]
    assert "--allow-host" in r.json()["error"]
    page = client.get("/", headers={"Host": host})
    assert page.status_code == 400 and XSS not in page.text and "Strikes" not in page.text


def test_allow_host_adds_a_name(db: Path) -> None:
    app = TestClient(create_app(str(db), allowed_hosts=["detente.lan"], port=8000), base_url=LOCAL)
    assert app.get("/api/documents", headers={"Host": "detente.lan:8000"}).status_code == 200
    assert app.get("/api/documents", headers={"Host": "other.lan:8000"}).status_code == 400
    assert app.get("/api/documents", headers={"Host": "localhost:9999"}).status_code == 400


@pytest.mark.parametrize("url", ["/", "/api/events", "/static/app.js", "/events/nope",
                                 "/api/events?type=FOO", "/network"])
def test_security_headers(client: TestClient, url: str) -> None:
    r = client.get(url)
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-eval" not in csp and "default-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("url", ["/", "/api/events", "/static/style.css", "/documents", "/api"])
def test_head_is_answered_on_get_routes(client: TestClient, url: str) -> None:
    got, head = client.get(url), client.head(url)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))


def test_unknown_type_is_a_400_listing_the_types(client: TestClient) -> None:
    r = client.get("/api/events?type=FOO")
    assert r.status_code == 400
    message = r.json()["error"]
    assert "'FOO'" in message and "ASSAULT" in message and "CONSULT" in message
    assert "PRAISE" in message  # a type stored by an extra lexicon is valid too
    page = client.get("/?type=ASSAULT,FOO")
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]
    assert get_json(client, "/api/events?type=assault")["total"] == 2


# -- readable disagreements and network (issue 16, point 8) ------------------------------------
@pytest.fixture(scope="module")
def claims_client(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, dict[str, str]]:
    """The four documents of ``fixtures_link.claims_store`` (a border's length, a strike's dead
    and its date, a population share reported differently), copied into a file."""
    from fixtures_link import claims_store

    built = claims_store()
    path = tmp_path_factory.mktemp("claims") / "claims.duckdb"
    built.store.con.execute(f"ATTACH '{path}' AS target")
    built.store.con.execute("COPY FROM DATABASE memory TO target")
    built.store.con.execute("DETACH target")
    return (TestClient(create_app(str(path)), base_url=LOCAL),
            {k: v.doc_id for k, v in built.docs.items()})


def test_disagreements_one_item_per_pair_of_documents(
        claims_client: tuple[TestClient, dict[str, str]]) -> None:
    client, docs = claims_client
    items = get_json(client, "/api/disagreements")["items"]
    pairs = [(d["a"]["doc_id"], d["b"]["doc_id"], d["subject"]) for d in items]
    assert len(pairs) == len(set(pairs)) == 3  # the strike's dead and date are one item
    strike = next(d for d in items if d["kinds"] == ["number", "date"])
    assert (strike["a"]["doc_id"], strike["b"]["doc_id"]) == (docs["a"], docs["b"])
    assert [(c["topic"], c["value"]) for c in strike["a"]["claims"]] == [
        ("killed", "9"), ("date", "2024-01-16")]
    assert [(c["topic"], c["value"]) for c in strike["b"]["claims"]] == [
        ("killed", "seven"), ("date", "2024-01-17")]
    border = next(d for d in items if d["subject"] == "IRN-PAK")
    assert border["about"] == "border length: IRN-PAK"


def test_disagreements_page_is_labelled_and_links_its_documents(
        claims_client: tuple[TestClient, dict[str, str]]) -> None:
    client, docs = claims_client
    page = client.get("/disagreements").text
    for raw in ("value_a", "doc_a", "sentence_b", "number_a"):
        assert raw not in page
    assert "<th>About</th>" in page and page.count('class="doc-link"') == 6
    rows = re.findall(r"<tr><td>(.*?)</td>", page.split("<tbody>")[1])
    assert len(rows) == 3 and "ASSAULT IRN → PAK, 2024-01-16" in rows
    links = re.findall(r'href="/documents/([0-9a-f]+)#(s-[^"]+)"', page)
    assert {doc for doc, _ in links} == {docs["a"], docs["b"], docs["c"], docs["d"]}
    for doc, target in links:  # every claim links to its sentence in the document's page
        assert f'id="{target}"' in client.get(f"/documents/{doc}").text


def test_network_table_names_countries(tmp_path: Path) -> None:
    """TUR acts only through its foreign minister, AFG through the Taliban: the table still
    names the countries."""
    fidan = ref("TUR", "Hakan Fidan", identifier="hakan-fidan")
    taliban = ref("AFG", "Taliban", sector="REB", identifier="afghan-taliban")
    pak = ref("PAK", "Pakistan")
    art = article("Hakan Fidan met Pakistan in Ankara. Hakan Fidan called Pakistan. The Taliban "
                  "accused Pakistan of shelling", path="net.txt")
    evs = [event(art, "Hakan Fidan met Pakistan in Ankara", "CONSULT", [fidan], [pak], "met",
                 "2024-02-01"),
           event(art, "Hakan Fidan called Pakistan", "CONSULT", [fidan], [pak], "called",
                 "2024-02-02"),
           event(art, "The Taliban accused Pakistan of shelling", "ACCUSE", [taliban], [pak],
                 "accused", "2024-02-03", quad=3, goldstein=-2)]
    path = tmp_path / "net.duckdb"
    with Store(path) as store:
        store.write(processed(art, [_locate(art, e) for e in evs]))
    client = TestClient(create_app(str(path)), base_url=LOCAL)
    names = {n["id"]: n["name"] for n in get_json(client, "/api/network")["nodes"]}
    assert names == {"TUR": "Turkey", "AFG": "Afghanistan", "PAK": "Pakistan"}
    page = client.get("/network").text
    table = page.split('id="node-table"')[1]
    assert "Hakan Fidan" not in table and "Taliban" not in table
    assert '<a href="/?actor=TUR">TUR</a></td><td>Turkey</td>' in table
    assert "<th>Betweenness</th>" in table
