"""End to end in headless Chromium (Debian's /usr/bin/chromium, driven by playwright).

``detente serve`` runs as a subprocess on a free loopback port over a store built by hand; the
pages are clicked through as a person would (timeline -> event -> sentence -> document), and the
offline report is opened from disk with every non-file request aborted and counted. Screenshots
of each view go to a temporary folder, or to docs/screenshots/ when DETENTE_SCREENSHOTS=1 (so a
test run never dirties the checkout; `DETENTE_SCREENSHOTS=1 make test` refreshes the README's).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from detente.store import Store
from detente.web.report import build_report
from test_web_api import XSS, build_store

CHROMIUM = "/usr/bin/chromium"
DOCS_SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing: `make browsers` installs Debian's chromium"),
]

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_command(db: Path, port: int) -> list[str]:
    """``detente serve`` once the main group has it; the same click command directly before."""
    from detente.cli import main

    args = ["--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    script = Path(sys.executable).with_name("detente")
    if "serve" in main.commands and script.exists():
        return [str(script), "serve", *args]
    return [sys.executable, "-c", "import sys; from detente.web.cli import serve_cli; "
            "serve_cli(sys.argv[1:], prog_name='detente serve')", *args]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("browser") / "web.duckdb")


@pytest.fixture(scope="module")
def server(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(_serve_command(db, port), stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "NO_COLOR": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"detente serve exited with {proc.returncode}: {log.read_text()}")
            try:
                with urllib.request.urlopen(base + "/api/documents", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"detente serve did not answer within 30 s: {log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Watch:
    """A page's dialogs and its requests outside what it may load."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []


def _page(browser: Any, allowed: str) -> tuple[Any, Any, Watch]:
    watch = Watch()
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(r: Any) -> None:
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            watch.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    return context, page, watch


@pytest.fixture
def app_page(browser: Any, server: str) -> Iterator[tuple[Any, Watch]]:
    context, page, watch = _page(browser, server + "/")
    yield page, watch
    context.close()
    assert watch.dialogs == [], "a dialog fired: a script from the data ran"
    assert watch.blocked == [], f"requests left the app: {watch.blocked}"
    assert watch.errors == [], f"JavaScript errors: {watch.errors}"


def _shot(page: Any, name: str, **kw: Any) -> None:
    if os.environ.get("DETENTE_SCREENSHOTS") == "1":
        folder = DOCS_SHOTS
    else:
        folder = Path(tempfile.gettempdir()) / "detente-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), **kw)
    assert path.stat().st_size > 1000, f"screenshot {name} is empty"


def _wait_chart(page: Any, selector: str) -> None:
    page.wait_for_selector(f"{selector} .main-svg", timeout=15000)


def _click_point(page: Any, chart: str, trace_name: str) -> None:
    """Click the first point of a plotly trace where a person would."""
    index = page.evaluate(
        "([c, n]) => document.querySelector(c).data.findIndex(t => t.name === n)", [chart, trace_name])
    assert index >= 0, trace_name
    point = page.locator(f"{chart} .scatterlayer .trace").nth(index).locator(".points path").first
    box = point.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def test_timeline_event_sentence_document(app_page: tuple[Any, Watch], server: str) -> None:
    page, _ = app_page
    page.goto(server + "/")
    _wait_chart(page, "#timeline-chart")
    legend = page.locator("#timeline-chart .legendtext").all_text_contents()
    assert legend == ["Verbal cooperation", "Material cooperation", "Verbal conflict",
                      "Material conflict"]
    assert page.locator("#event-table tr.event-row").count() == 7
    _shot(page, "timeline.png")

    # timeline -> event: click the one material-cooperation point (China's aid)
    with page.expect_navigation():
        _click_point(page, "#timeline-chart", "Material cooperation")
    assert "/events/" in page.url
    detail = page.locator("#event-detail blockquote")
    assert detail.locator("mark.m-actor").all_text_contents() == ["China"]
    assert detail.locator("mark.m-recipient").all_text_contents() == ["Pakistan"]
    assert detail.locator("mark.m-trigger").all_text_contents() == ["pledged aid"]
    assert detail.inner_text() == "China pledged aid to Pakistan"
    _shot(page, "event.png")

    # event -> its sentence in the document
    page.locator("a.doc-link").click()
    page.wait_for_url("**/documents/**#s-*")
    target = page.locator(".evsent:target")
    assert target.inner_text() == "China pledged aid to Pakistan"
    assert page.locator("h1").inner_text() == "Aid and patrols"
    _shot(page, "document.png")


def test_mediated_event_and_script_article_as_text(app_page: tuple[Any, Watch],
                                                   server: str) -> None:
    page, watch = app_page
    page.goto(server + "/?type=CONSULT")
    page.locator("a.event-link", has_text="CONSULT").click()
    page.wait_for_url("**/events/*")
    marks = page.locator("#event-detail blockquote mark")
    assert [(m.get_attribute("class"), m.inner_text()) for m in marks.all()] == [
        ("m-mediator", "Turkey"), ("m-trigger", "talks"), ("m-actor", "Pakistan"),
        ("m-recipient", "Iran")]
    assert page.locator("#ev-mediator").inner_text() == "Turkey"

    page.goto(server + "/?type=PRAISE")
    page.locator("a.event-link", has_text="PRAISE").click()
    page.wait_for_url("**/events/*")
    quote = page.locator("#event-detail blockquote")
    assert quote.inner_text() == f"Iran praised Pakistan {XSS} for its restraint"
    assert page.locator("#event-detail script").count() == 0
    page.locator("a.doc-link").click()
    page.wait_for_url("**/documents/**")
    assert XSS in page.locator(".doctext").inner_text()
    assert page.locator("main script, main b").count() == 0
    assert page.title() == f"Praise <b>bold</b> {XSS} · detente"
    page.goto(server + "/search?q=%3Cscript")
    assert XSS in page.locator(".snippet").inner_text()
    assert watch.dialogs == []


def test_dyad_network_mediation_pages(app_page: tuple[Any, Watch], server: str) -> None:
    page, _ = app_page
    page.goto(server + "/dyad")
    _wait_chart(page, "#dyad-chart")
    x = page.evaluate("document.getElementById('dyad-chart').data[0].x")
    assert x == ["2024-01", "2024-02", "2024-03", "2024-04"]
    _shot(page, "dyad.png")
    with page.expect_navigation():
        page.select_option("#dyad-select", "CHN|PAK")
    _wait_chart(page, "#dyad-chart")
    assert page.evaluate("document.getElementById('dyad-chart').data[0].y") == [7.4]

    page.goto(server + "/network")
    _wait_chart(page, "#network-chart")
    labels = page.locator("#network-chart .scatterlayer .textpoint").all_text_contents()
    assert sorted(labels) == ["CHN", "IRN", "PAK", "TUR"]
    traces = page.evaluate("document.getElementById('network-chart').data.map(t => t.name)")
    assert traces == ["relations", "actor", "mediator"]
    _shot(page, "network.png")

    page.goto(server + "/mediation")
    row = page.locator("#triad-table tbody tr").first
    assert row.locator("td.mediator").inner_text() == "TUR"
    _shot(page, "mediation.png")
    page.goto(server + "/api")
    assert page.locator("#api-table code", has_text="/api/events").count() >= 1
    assert page.goto(server + "/docs").status == 404


def test_report_offline_from_disk(browser: Any, db: Path, tmp_path: Path) -> None:
    with Store(db, read_only=True) as store:
        path = build_report(store, tmp_path / "report.html")
    context, page, watch = _page(browser, "file://")
    try:
        page.goto(path.as_uri())
        _wait_chart(page, "#timeline-chart")
        _wait_chart(page, "#network-chart")
        _wait_chart(page, "#dyad-chart")
        assert page.locator("#timeline-chart .legendtext").count() == 4
        _shot(page, "report.png")

        # the event table opens each event's sentence, marked, with a link into the document
        rows = page.locator("#event-table tr.event-row")
        assert rows.count() == 7
        page.locator("button.open-event", has_text="PRAISE").click()
        detail = page.locator("tr.detail:not([hidden])")
        assert detail.count() == 1
        assert detail.locator("mark.m-actor").inner_text() == "Iran"
        assert detail.locator("mark.m-recipient").inner_text() == "Pakistan"
        assert detail.locator("mark.m-trigger").inner_text() == "praised"
        assert XSS in detail.locator(".sentence").inner_text()
        _shot(page, "report-event.png")
        detail.locator("a.doc-link").click()
        assert page.evaluate("location.hash").startswith("#s-")
        assert XSS in page.locator(".evsent:target").inner_text()

        # the timeline opens events too
        page.evaluate("window.scrollTo(0, 0)")
        _click_point(page, "#timeline-chart", "Material cooperation")
        opened = page.locator("tr.detail:not([hidden]) .sentence")
        assert "China pledged aid to Pakistan" in opened.all_inner_texts()

        # client-side filters
        page.select_option("#f-actor", "CHN")
        assert page.locator("#event-table tr.event-row:not([hidden])").count() == 1
        assert page.locator("#f-count").inner_text() == "1 of 7 events shown"
        shown = page.evaluate(
            "document.getElementById('timeline-chart').data.reduce((n, t) => n + t.x.length, 0)")
        assert shown == 1
        page.select_option("#f-actor", "")
        page.fill("#f-since", "2024-03-01")
        assert page.locator("#event-table tr.event-row:not([hidden])").count() == 3
        page.select_option("#f-type", "ASSAULT")
        assert page.locator("#event-table tr.event-row:not([hidden])").count() == 0
        page.click("#f-reset")
        assert page.locator("#event-table tr.event-row:not([hidden])").count() == 7

        # a dyad for any pair present
        page.select_option("#dyad-select", "CHN|PAK")
        assert page.evaluate("document.getElementById('dyad-chart').data[0].x") == ["2024-03"]
        page.locator("#network").scroll_into_view_if_needed()
        labels = page.locator("#network-chart .scatterlayer .textpoint").all_text_contents()
        assert "TUR" in labels
        assert page.locator("#triad-table td.mediator").all_text_contents() == ["TUR"]
    finally:
        context.close()
    assert watch.blocked == [], f"the report tried the network: {watch.blocked}"
    assert watch.dialogs == []
    assert watch.errors == []
