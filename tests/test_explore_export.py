"""The workbench's exports and keyboard (issue 14, deliver 7 and 8) in a real headless Chromium, every request
outside 127.0.0.1 blocked, and `viewer`, the field the page shows the reader's role from.

The graph is test_explore's (test_linkage's, plus the firm P): A (海岳商贸) is on the joint-punishment list L1
from 2024-01-15, its actual controller 控刘 is bound, and A holds 60 % of O1, which the listing's impact flags.
Screenshots go to var/test-artifacts/explore/ (git-ignored); docs/img/ holds three of them for the README."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.conftest import gql, gql_as, investigator, officer, token
from tests.test_explore import ARTIFACTS, CHROMIUM, P, _loopback_only, _warm_up
from tests.test_linkage import O1, A, build

PURPOSE = "惩戒前核查 浏览器测试"
VIEWER = "{ viewer { userId role departmentCode uscc purpose } }"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def linked(module_graph):
    lines = [
        *build(),
        {"kind": "entity", "uscc": P, "name": "青岛海岳包装有限公司", "form": "COMPANY", "status": "ACTIVE"}
        | {"region": "370200", "established": "2016-01-01"},
        {"kind": "holding", "holder": {"entity": O1}, "entity": P, "ratio": 0.4, "since": "2016-06-01"},
    ]
    outcome = module_graph.import_lines(lines)
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


# ---- viewer: what the credential says, nothing more ----


def test_viewer_of_the_public_is_role_public_without_a_user(api):
    answer = gql(api, VIEWER)
    assert answer["data"] == {
        "viewer": {"userId": None, "role": "PUBLIC", "departmentCode": None, "uscc": None, "purpose": None}
    }
    assert answer["extensions"]["dbRoundTrips"] == 0, "the credential alone answers it"


def test_viewer_names_the_user_role_and_purpose_of_the_credential(api):
    answer = gql_as(api, investigator("inv-7", purpose="案件核查 viewer"), VIEWER)
    assert answer["data"]["viewer"] == {
        "userId": "inv-7",
        "role": "INVESTIGATOR",
        "departmentCode": None,
        "uscc": None,
        "purpose": "案件核查 viewer",
    }
    dept = gql_as(api, officer("370200-SCJG", "off-3"), VIEWER)["data"]["viewer"]
    assert (dept["userId"], dept["role"], dept["departmentCode"]) == ("off-3", "OFFICER", "370200-SCJG")
    firm = gql_as(api, token("ENTITY", "firm-1", uscc=A), VIEWER)["data"]["viewer"]
    assert (firm["role"], firm["uscc"], firm["departmentCode"]) == ("ENTITY", A, None)


def test_viewer_with_a_forged_token_is_unauthenticated_not_the_public(api):
    answer = gql_as(api, {"authorization": "Bearer a.b.c"}, VIEWER)
    assert answer.get("data") is None
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# ---- the browser ----


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", data[:16]
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _canvas(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """() => { const cy = window.workbench.graph.cy; return {
             nodes: cy.nodes().map(n => n.id()).sort(), names: cy.nodes().map(n => n.data('name')),
             edges: cy.edges().length }; }"""
    )


def _download(page: Page, button: str) -> bytes:
    with page.expect_download(timeout=30_000) as info:
        page.click(button)
    path = info.value.path()
    assert path is not None
    return Path(path).read_bytes()


# The elements a keyboard user must reach from the top of the page, in this order.
MAIN_CONTROLS = ["secret", "purpose", "search", "as-of", "as-of-date", "export-png", "export-svg", "export-json"]

# The accessible name as a screen reader computes it for these elements: aria-label, aria-labelledby, a label
# element, or (buttons) the text; an element none of these name is announced as "button" or "edit" only.
ACCESSIBLE_NAMES = """() => [...document.querySelectorAll('input, button, select, textarea')]
  .filter(el => el.offsetParent !== null)
  .map(el => ({ id: el.id || el.outerHTML.slice(0, 60),
     name: (el.getAttribute('aria-label') || (el.getAttribute('aria-labelledby') || '').split(' ')
       .map(id => document.getElementById(id)?.textContent ?? '').join(' ') || [...(el.labels ?? [])]
       .map(l => l.textContent).join(' ') || (el.tagName === 'BUTTON' ? el.textContent : '')).trim() }))"""


def _tab_order(page: Page, presses: int = 40) -> list[str]:
    page.evaluate("() => document.activeElement?.blur()")
    seen: list[str] = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("() => document.activeElement?.id ?? ''"))
    return seen


def test_exports_case_file_and_keyboard_in_chromium_offline(api, linked):
    _warm_up(api)
    base = str(api.base_url).rstrip("/")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    console_errors: list[str] = []
    jwt = token("SANCTIONS", "sanctions-explore")["authorization"].removeprefix("Bearer ")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(
                viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True
            )
            context.route("**/*", _loopback_only(outside))
            page = context.new_page()
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: console_errors.append(str(e)))
            page.goto(f"{base}/explore", wait_until="load")
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            assert "社会公众" in page.inner_text("#who")

            # Keyboard: Tab from the top reaches the main controls in reading order; every control has a name.
            order = _tab_order(page)
            reached = [c for c in MAIN_CONTROLS if c in order]
            assert reached == MAIN_CONTROLS, order
            assert [order.index(c) for c in MAIN_CONTROLS] == sorted(order.index(c) for c in MAIN_CONTROLS), order
            unnamed = [c["id"] for c in page.evaluate(ACCESSIBLE_NAMES) if not c["name"]]
            assert unnamed == [], unnamed
            # the focused control is drawn with an outline (focus visible), not left to look like the rest
            page.focus("#search")
            assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"

            # Sign in as a sanctions officer: the role shown is the server's answer (viewer), not the token's guess.
            page.fill("#secret", jwt)
            page.fill("#purpose", PURPOSE)
            page.press("#purpose", "Enter")
            page.wait_for_function("() => document.getElementById('who').textContent.includes('惩戒审核人员')")
            who = page.inner_text("#who")
            assert "sanctions-explore" in who and PURPOSE in who, who

            # Search and open A from the keyboard only: arrow down into the results, Enter.
            page.fill("#as-of-date", "2024-06-01")
            page.dispatch_event("#as-of-date", "change")
            page.focus("#search")
            page.keyboard.type("海岳", delay=50)
            page.wait_for_selector(f'#results button.hit[data-key="{A}"]', timeout=30_000)
            hits = page.eval_on_selector_all("#results button.hit", "bs => bs.map(b => b.dataset.key)")
            page.keyboard.press("ArrowDown")
            for _ in range(hits.index(A)):
                page.keyboard.press("ArrowDown")
            assert page.evaluate("() => document.activeElement.dataset.key") == A
            page.keyboard.press("ArrowUp") if hits.index(A) else None
            page.keyboard.press("ArrowDown") if hits.index(A) else None
            page.keyboard.press("Enter")
            page.wait_for_selector('#card h2:has-text("青岛海岳商贸有限公司")', timeout=30_000)
            page.wait_for_function("() => window.workbench.timings.length >= 1", timeout=30_000)
            page.focus(f'#nodes button[data-key="{O1}"]')
            page.keyboard.press("Enter")
            page.wait_for_function("() => window.workbench.timings.length >= 2", timeout=30_000)
            drawn = _canvas(page)
            assert {A, O1, P} <= set(drawn["nodes"]), drawn
            page.screenshot(path=str(ARTIFACTS / "11-sanctions-entity-expanded.png"))

            # PNG: a real image of the drawing, at twice the screen's resolution.
            png = _download(page, "#export-png")
            width, height = _png_size(png)
            assert len(png) > 5_000 and width > 200 and height > 100, (len(png), width, height)
            (ARTIFACTS / "export.png").write_bytes(png)

            # SVG: parses, one group per node on the canvas, named.
            svg = ET.fromstring(_download(page, "#export-svg"))
            assert svg.tag == f"{SVG_NS}svg"
            groups = [g for g in svg.iter(f"{SVG_NS}g") if g.get("class") == "node"]
            assert sorted(g.get("data-key") for g in groups) == drawn["nodes"]
            texts = {"".join(t.itertext()) for t in svg.iter(f"{SVG_NS}text")}
            assert "青岛海岳商贸有限公司" in texts and "控刘" in texts, texts
            assert sum(1 for g in svg.iter(f"{SVG_NS}g") if g.get("class") == "edge") == drawn["edges"]

            # JSON: the node ids, the day, what was left out.
            exported = json.loads(_download(page, "#export-json"))
            assert sorted(n["key"] for n in exported["nodes"]) == drawn["nodes"]
            assert exported["asOf"] == "2024-06-01" and set(exported["opened"]) == {A, O1}
            assert exported["filtered"]["hiddenRelations"] == [] and len(exported["edges"]) == drawn["edges"]
            assert all(n["id"] for n in exported["nodes"]), "every node carries its global id"

            # The case file is of the entity whose card is shown: A again (O1's card replaced it on expanding).
            page.click(f'#nodes button[data-key="{A}"]')
            page.wait_for_selector('#card h2:has-text("青岛海岳商贸有限公司")', timeout=30_000)
            page.wait_for_function("() => window.workbench.timings.length >= 3", timeout=30_000)
            # A tab of its own with the card, the picture, the listing and whom it reaches, by path.
            with context.expect_page(timeout=30_000) as opened:
                page.click("#case-file")
            case = opened.value
            case.wait_for_selector("h1", timeout=30_000)
            text = case.inner_text("body")
            assert "案卷：青岛海岳商贸有限公司" in text and "失信联合惩戒对象名单" in text, text
            assert "控刘" in text and "实际控制人" in text and "路径：" in text, text
            assert "青岛海岳物流有限公司" in text, "the related entity O1 the impact flags"
            assert "惩戒审核人员" in text
            picture = case.get_attribute("figure img", "src") or ""
            assert picture.startswith("data:image/png;base64,") and len(picture) > 5_000
            assert case.evaluate("() => document.querySelector('figure img').naturalWidth") > 100
            case.screenshot(path=str(ARTIFACTS / "12-case-file.png"), full_page=True)
            case.emulate_media(media="print")
            assert case.is_hidden(".toolbar"), "the print view drops the on-screen hint"
            case.pdf(path=str(ARTIFACTS / "12-case-file.pdf")) if hasattr(case, "pdf") else None
            case.close()

            # Signed out, the case file is the public's: person names masked, the same queries, nothing more.
            page.click("#sign-out")
            page.wait_for_function("() => document.getElementById('who').textContent.includes('社会公众')")
            with context.expect_page(timeout=30_000) as opened:
                page.click("#case-file")
            public_case = opened.value
            public_case.wait_for_selector("h1", timeout=30_000)
            public_text = public_case.inner_text("body")
            assert "案卷：青岛海岳商贸有限公司" in public_text and "社会公众" in public_text
            assert "控刘" not in public_text and "控*" in public_text, public_text
            public_case.close()
        finally:
            browser.close()

    assert outside == []
    assert not console_errors, console_errors
