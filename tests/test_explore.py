"""The workbench at /explore (issue 14), in a real headless Chromium (Debian's `chromium`, driven by
Playwright; `make browser` installs it) with every request outside 127.0.0.1 blocked and counted.

The graph is test_linkage's, worked out on paper there, plus one firm P that O2 holds, so that a second
expansion adds a node. The listed firm A (海岳商贸) is on the joint-punishment list 2024-01-15 .. 2026-01-15;
its legal representative OLD served until 2023-09-01 and LATE from 2024-03-01. So as of 2024-06-01 A is
listed and LATE's edge is drawn; moving the date slider to 2023-06-01 takes LATE's edge away and brings OLD's.

Screenshots of each step go to var/test-artifacts/explore/ (git-ignored). First paint and expansion times
are printed (`pytest -s`), not asserted: timing belongs to bench/."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ROOT, gql_as, investigator, token
from tests.test_linkage import O1, O2, A, build, uscc

STATIC = ROOT / "graph_api" / "api" / "static" / "explore"
ARTIFACTS = ROOT / "var" / "test-artifacts" / "explore"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
P = uscc(20)
PURPOSE = "案件核查 浏览器测试"


@pytest.fixture(scope="module")
def linked(module_graph):
    lines = [
        *build(),
        {"kind": "entity", "uscc": P, "name": "青岛海岳包装有限公司", "form": "COMPANY", "status": "ACTIVE"}
        | {"region": "370200", "established": "2016-01-01"},
        {"kind": "holding", "holder": {"entity": O2}, "entity": P, "ratio": 0.4, "since": "2016-06-01"},
    ]
    outcome = module_graph.import_lines(lines)
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


# The statements an entity's card and its neighbourhood run. After the module's wipe and migration Neo4j plans
# each one afresh, and on a loaded machine a first plan can pass the 15 s statement limit: ask once before the
# browser does, so the walkthrough measures the page rather than the planner.
WARM_UP = """query($uscc: USCC!, $asOf: Date) {
  entity(uscc: $uscc) { grade(asOf: $asOf) { grade } listings(where: { activeOn: $asOf }) { totalCount }
                        records(first: 100) { totalCount } roles(first: 100) { totalCount } commitments { id } }
  neighborhood(node: { uscc: $uscc }, hops: 1, asOf: $asOf) { center }
  search(query: "海岳", first: 12) { edges { node { key } } }
}"""


def _loopback_only(outside: list[str]) -> Callable[[Route], None]:
    """A route handler that lets requests to 127.0.0.1 through and blocks and records every other."""

    def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    return route


def _warm_up(api) -> None:
    for _ in range(3):
        if "errors" not in gql_as(api, investigator(), WARM_UP, uscc=A, asOf="2024-06-01"):
            return


def test_built_assets_are_the_pinned_ones():
    sums = [line.split() for line in (STATIC / "SHA256SUMS").read_text().splitlines() if line.strip()]
    assert {name for _, name in sums} == {"index.html", "explore.css", "explore.js"}
    for digest, name in sums:
        assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == digest, f"{name} differs from build.sh's"
    assert "cytoscape 3." in (STATIC / "VERSIONS").read_text()


def test_the_page_loads_nothing_from_outside_and_labels_come_from_the_service(api):
    page = api.get("/explore")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp and "script-src 'self'" in csp
    assert "http://" not in page.text and "https://" not in page.text
    script = api.get("/static/explore/explore.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    labels = api.get("/explore/labels.json").json()
    assert labels["RoleType"]["LEGAL_REPRESENTATIVE"] == "法定代表人"
    assert labels["Relation"]["HOLDS"] == "持股" and labels["Relation"]["ACTUAL_CONTROLLER"] == "实际控制人"


def _graph(page: Page) -> dict[str, Any]:
    """What the canvas holds: node keys with their names and classes, and the visible edges."""
    return page.evaluate(
        """() => { const cy = window.workbench.graph.cy; return {
             nodes: Object.fromEntries(cy.nodes().map(n => [n.id(), {name: n.data('name'), listed: n.data('listed'),
               bound: n.data('bound'), opened: n.hasClass('opened')}])),
             edges: cy.edges().filter(e => !e.hasClass('hidden')).map(e => ({relation: e.data('relation'),
               from: e.source().data('name'), to: e.target().data('name'), since: e.data('since')})) }; }"""
    )


def _key_of(page: Page, name: str) -> str:
    key: str = page.evaluate("n => window.workbench.graph.cy.nodes().filter(x => x.data('name') === n)[0].id()", name)
    return key


def _set_day(page: Page, day: str) -> None:
    """Move the slider to a day, as a drag ends: input events while moving, change when let go."""
    page.evaluate(
        """day => { const s = document.getElementById('as-of');
             s.value = String(Math.round((Date.parse(day + 'T00:00:00Z') - Date.UTC(2000, 0, 1)) / 86400000));
             for (const kind of ['input', 'change']) s.dispatchEvent(new Event(kind, {bubbles: true})); }""",
        day,
    )


def test_workbench_walkthrough_in_chromium_offline(api, linked):
    _warm_up(api)
    base = str(api.base_url).rstrip("/")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    console_errors: list[str] = []
    jwt = token("INVESTIGATOR", "investigator-explore")["authorization"].removeprefix("Bearer ")

    def shot(page: Page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def settled(page: Page, count: int) -> None:
        try:
            page.wait_for_function("n => window.workbench.timings.length >= n", arg=count, timeout=30_000)
        except PlaywrightTimeout:
            timings = page.evaluate("() => window.workbench.timings")
            raise AssertionError(f"step {count} not done: {timings}, status: {page.inner_text('#status')}") from None

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
            context.route("**/*", _loopback_only(outside))
            page = context.new_page()
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: console_errors.append(str(e)))

            page.goto(f"{base}/explore", wait_until="load")
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            first_paint = page.evaluate(
                "() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"
            )
            assert "社会公众" in page.inner_text("#who")
            shot(page, "01-public")

            # Keyboard: the main controls take focus and are labelled.
            for selector in ("#secret", "#purpose", "#search", "#as-of", "#as-of-date"):
                page.focus(selector)
                assert page.evaluate("() => document.activeElement.getAttribute('aria-label')"), selector

            # Sign in with a bearer token; the role the token names is shown, the token is kept for the tab only.
            page.fill("#secret", jwt)
            page.fill("#purpose", PURPOSE)
            page.press("#purpose", "Enter")
            page.wait_for_function("() => document.getElementById('who').textContent.includes('调查人员')")
            assert page.evaluate("() => sessionStorage.length") == 1 and page.evaluate("() => localStorage.length") == 0
            shot(page, "02-signed-in")

            # The graph as of 2024-06-01, when A is listed and LATE its legal representative.
            page.fill("#as-of-date", "2024-06-01")
            page.dispatch_event("#as-of-date", "change")

            # Search as you type, results by kind; open the entity.
            page.type("#search", "海岳", delay=50)
            page.wait_for_selector(f'#results button.hit[data-key="{A}"]', timeout=30_000)
            assert "市场主体" in page.inner_text("#results")
            shot(page, "03-search")
            page.click(f'#results button.hit[data-key="{A}"]')
            page.wait_for_selector('#card h2:has-text("青岛海岳商贸有限公司")', timeout=30_000)
            settled(page, 1)
            card = page.inner_text("#card")
            assert "失信联合惩戒对象名单" in card and "法定代表人" in card and "晚赵" in card, card
            assert page.get_attribute("#report-link", "href") == f"/report/{A}"
            drawn = _graph(page)
            assert drawn["nodes"][A]["listed"] and drawn["nodes"][A]["opened"]
            assert O1 in drawn["nodes"] and O2 not in drawn["nodes"]
            assert drawn["nodes"][_key_of(page, "控刘")]["bound"]
            assert {
                "relation": "LEGAL_REPRESENTATIVE",
                "from": "晚赵",
                "to": "青岛海岳商贸有限公司",
                "since": "2024-03-01",
            } in drawn["edges"]
            shot(page, "04-entity")

            # Expand O1 by clicking it on the canvas; then O2 from the keyboard (the node list). Every node of the
            # drawing is inside the canvas as it is now (the fit was once made before the page around it grew).
            x, y, inside = page.evaluate(
                """key => { const cy = window.workbench.graph.cy; const r = cy.container().getBoundingClientRect();
                     const within = n => { const b = n.renderedBoundingBox(); return b.x1 >= 0 && b.y1 >= 0 &&
                       b.x2 <= r.width && b.y2 <= r.height; };
                     const p = cy.getElementById(key).renderedPosition();
                     return [r.left + p.x, r.top + p.y, cy.nodes().every(within)]; }""",
                O1,
            )
            assert inside
            page.mouse.click(x, y)
            settled(page, 2)
            assert O2 in _graph(page)["nodes"]
            page.focus(f'#nodes button[data-key="{O2}"]')
            page.keyboard.press("Enter")
            settled(page, 3)
            drawn = _graph(page)
            assert P in drawn["nodes"] and drawn["nodes"][O2]["opened"]
            assert {
                "relation": "HOLDS",
                "from": "青岛海岳冷藏有限公司",
                "to": "青岛海岳包装有限公司",
                "since": "2016-06-01",
            } in drawn["edges"]
            shot(page, "05-expanded-twice")

            # Back to 2023-06-01: LATE's edge disappears, OLD's appears, the expanded firms stay, A is not listed yet.
            _set_day(page, "2023-06-01")
            page.wait_for_function(
                "() => window.workbench.graph.cy.nodes().some(n => n.data('name') === '老张')", timeout=30_000
            )
            drawn = _graph(page)
            legal = {(e["from"], e["since"]) for e in drawn["edges"] if e["relation"] == "LEGAL_REPRESENTATIVE"}
            assert legal == {("老张", "2015-01-01")}, legal
            assert P in drawn["nodes"] and not drawn["nodes"][A]["listed"]
            page.wait_for_function(
                "() => !document.getElementById('card').textContent.includes('失信联合惩戒对象名单')"
            )
            shot(page, "06-as-of-2023-06-01")

            # Hide the holdings, then open a person's card from the node list.
            page.uncheck('#relations input[data-relation="HOLDS"]')
            assert not [e for e in _graph(page)["edges"] if e["relation"] == "HOLDS"]
            person = _key_of(page, "控刘")
            page.click(f'#nodes button[data-key="{person}"]')
            page.wait_for_selector('#card h2:has-text("控刘")')
            # a person expands like an entity, through its global id (no clear identity number in the page)
            # (the class is set when its neighbourhood is drawn; graph.opened holds it from the moment it is asked for)
            page.wait_for_function(
                "(key) => window.workbench.graph.cy.getElementById(key).hasClass('opened')", arg=person, timeout=30_000
            )
            assert "实际控制人" in page.inner_text("#card")
            shot(page, "07-person-holdings-hidden")

            # Signing out forgets the token and redraws as the public reads: person names masked.
            page.click("#sign-out")
            page.wait_for_function(
                "() => window.workbench.graph.cy.nodes().some(n => n.data('name') === '控*')", timeout=30_000
            )
            assert "控刘" not in {n["name"] for n in _graph(page)["nodes"].values()}
            assert page.evaluate("() => sessionStorage.length") == 0 and "社会公众" in page.inner_text("#who")
            shot(page, "08-signed-out-public")

            timings = page.evaluate("() => window.workbench.timings")
        finally:
            browser.close()

    assert outside == []
    assert not console_errors, console_errors
    expands = [round(t["ms"]) for t in timings if t["what"] == "展开"]
    print(f"\n/explore first contentful paint {first_paint} ms; open {round(timings[0]['ms'])} ms; expand {expands} ms")


def test_a_cut_neighbourhood_is_marked(api, linked):
    """A has five relationships as of 2024-06-01; with the page's limit at 2 its neighbourhood comes back cut."""
    _warm_up(api)
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.route("**/*", _loopback_only(outside))
            page = context.new_page()
            page.goto(f"{str(api.base_url).rstrip('/')}/explore?limit=2", wait_until="load")
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            page.fill("#as-of-date", "2024-06-01")
            page.type("#search", "海岳商贸", delay=50)
            page.click(f'#results button.hit[data-key="{A}"]', timeout=30_000)
            page.wait_for_selector("#truncated:not([hidden])", timeout=30_000)
            assert "已截断" in page.inner_text("#status") and "已截断" in page.inner_text("#nodes")
            assert len(_graph(page)["edges"]) == 2
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "09-truncated.png"))
        finally:
            browser.close()
    assert outside == []
