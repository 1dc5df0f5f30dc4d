"""Explanations on the picture (issue 14, deliver 5) in a real headless Chromium, offline: a listing's impact
drawn as an overlay with a path highlighted, the control view of an entity, and shortest paths between two
parties picked on the canvas.

The graph is test_linkage's, worked out on paper there, plus one line: 董陈 (DIR), a director of A, is also a
director of M since 2019. So, as of 2024-09-01:
- the impact of L1 (A on the joint-punishment list) binds 中李 and 新王 (legal representatives in the window
  2023-10-10 .. 2024-01-15) and 控刘 (actual controller), and flags O1 and O2 (controlled by A: 60%, then 51%),
  M (控刘 is its director) and N (控刘 its legal representative since 2024-08-01: shared person, reappearance);
  中李's binding path is 中李 -legal representative 2023-09-01..2023-12-01-> A -listed on-> L1 -based on-> R1, and
  O2's flag path A -holds 60%-> O1 -holds 51%-> O2. 中李 and R1 are not in A's neighbourhood that day: the
  overlay draws them. A director binds no one, so the added line changes none of this.
- the control view of X3 (丙制造): Q (钱总) -70%-> X1 -80%-> X2 -60%-> X3; 钱总 controls it by the chain and owns
  0.7 × 0.8 × 0.6 = 33.6%, its only beneficial owner; 申报人 is the declared actual controller. X3 holds nothing;
  X1's view has 钱总 above it and X2 (80%), then X3 (60%) below it: the two levels it holds.
- 控刘's card lists L1 (bound as actual controller); as of 2026-02-01, after L1 ended, its impact binds no one.
- shortest paths: 控刘 to O1 is one path of 2 steps (actual controller of A, which holds O1); 控刘 to O2 one of 3;
  控刘 to 董陈 two of 2 (through A and through M); 中李 to O1 none (中李 left A on 2023-12-01).
Screenshots go to var/test-artifacts/explore/ (git-ignored); timings are printed, not asserted."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.conftest import gql_as, investigator, token
from tests.test_explore import ARTIFACTS, CHROMIUM, PURPOSE, _loopback_only, _set_day
from tests.test_linkage import DIR, O1, O2, X1, X2, X3, A, M, N, build

DAY = "2024-09-01"
WAIT = 60_000  # ms: a card or an answer on a loaded machine (7 helpers on 2 cores) can take tens of seconds
A_O1 = f"HOLDS|{A}|{O1}|2016-01-01"
O1_O2 = f"HOLDS|{O1}|{O2}|2016-01-01"


@pytest.fixture(scope="module")
def linked(module_graph):
    director = {"kind": "role", "person": DIR, "entity": M, "role": "DIRECTOR", "since": "2019-01-01", "until": None}
    outcome = module_graph.import_lines([*build(), director])
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


# Each statement the page runs, asked once before the browser does, so that a first plan on a loaded machine
# (which can pass the statement time limit) is not what the walkthrough waits for.
WARM_UP = """query($a: USCC!, $x: USCC!, $o: USCC!, $asOf: Date) {
  entity(uscc: $a) { grade(asOf: $asOf) { grade } listings(where: { activeOn: $asOf }) { totalCount }
                     records(first: 100) { totalCount } roles(first: 100) { totalCount } commitments { id } }
  neighborhood(node: { uscc: $a }, hops: 1, asOf: $asOf) { center }
  listingImpact(listing: "L1", asOf: $asOf) { boundPersons { path { text } } relatedEntities { flags { reason } } }
  controllers(uscc: $x, asOf: $asOf) { inferred { share } }
  tree: controllers(uscc: $x, asOf: $asOf, threshold: 0.000000001) { beneficialOwners { share } }
  paths(from: { uscc: $a }, to: { uscc: $o }, asOf: $asOf) { text }
  search(query: "海岳", first: 12) { edges { node { key } } }
}"""


def _warm_up(api) -> None:
    for _ in range(3):
        if "errors" not in gql_as(api, investigator(), WARM_UP, a=A, x=X3, o=O1, asOf=DAY):
            return


def _highlighted(page: Page, cy: str = "window.workbench.graph.cy") -> set[str]:
    ids: list[str] = page.evaluate(f"() => {cy}.elements('.path').map(e => e.id())")
    return set(ids)


def _key_of(page: Page, name: str) -> str:
    key: str = page.evaluate("n => window.workbench.graph.cy.nodes().filter(x => x.data('name') === n)[0].id()", name)
    return key


def _marked(page: Page, cls: str) -> dict[str, str]:
    marked: dict[str, str] = page.evaluate(
        "c => Object.fromEntries(window.workbench.graph.cy.nodes('.' + c).map(n => [n.id(), n.data('name')]))", cls
    )
    return marked


def _shift_click(page: Page, key: str) -> None:
    x, y = page.evaluate(
        """key => { const cy = window.workbench.graph.cy; const n = cy.getElementById(key);
             cy.center(n); const p = n.renderedPosition();
             const r = cy.container().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
        key,
    )
    page.keyboard.down("Shift")
    page.mouse.click(x, y)
    page.keyboard.up("Shift")


def _open(page: Page, query: str, key: str, name: str) -> None:
    page.fill("#search", "")
    page.type("#search", query, delay=50)
    page.click(f'#results button.hit[data-key="{key}"]', timeout=WAIT)
    page.wait_for_selector(f'#card h2:has-text("{name}")', timeout=WAIT)
    page.wait_for_function("k => window.workbench.graph.opened.has(k)", arg=key, timeout=WAIT)


def test_impact_control_and_shortest_paths_in_chromium_offline(api, linked):
    _warm_up(api)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    console_errors: list[str] = []
    jwt = token("INVESTIGATOR", "investigator-explain")["authorization"].removeprefix("Bearer ")

    def shot(page: Page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            context.route("**/*", _loopback_only(outside))
            page = context.new_page()
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: console_errors.append(str(e)))
            page.goto(f"{str(api.base_url).rstrip('/')}/explore", wait_until="load")
            page.wait_for_selector("body[data-ready=true]", timeout=WAIT)
            page.fill("#secret", jwt)
            page.fill("#purpose", PURPOSE)
            page.press("#purpose", "Enter")
            page.fill("#as-of-date", DAY)
            page.dispatch_event("#as-of-date", "change")
            _open(page, "海岳商贸", A, "青岛海岳商贸有限公司")

            # ---- the listing's impact, from the card's listing ----
            page.focus('#card button.impact[data-listing="L1"]')
            assert "影响范围" in page.evaluate("() => document.activeElement.getAttribute('aria-label')")
            page.keyboard.press("Enter")
            page.wait_for_selector("#impact:not([hidden]) .impact-bound-list", timeout=WAIT)
            assert set(_marked(page, "impact-bound").values()) == {"中李", "新王", "控刘"}
            assert set(_marked(page, "impact-related")) == {O1, O2, M, N}
            assert set(_marked(page, "impact-subject")) == {A}
            kinds = page.evaluate("() => window.workbench.graph.cy.nodes().map(n => n.data('kind'))")
            assert "LISTING" in kinds and "RECORD" in kinds
            impact_text = page.inner_text("#impact")
            assert "责任期自 2023-10-10" in impact_text and "受列入主体控制" in impact_text, impact_text
            assert "晚赵" in impact_text and "不受约束" in impact_text  # the current legal representative
            shot(page, "10-impact")

            # A flag: O2's path is A's 60% holding of O1 and O1's 51% of O2; every other element is dimmed.
            page.click('#impact button[aria-label="高亮 青岛海岳冷藏有限公司 的关联路径：受列入主体控制"]')
            assert _highlighted(page) == {A, O1, O2, A_O1, O1_O2}
            undimmed = page.evaluate("() => window.workbench.graph.cy.elements().not('.dimmed').map(e => e.id())")
            assert set(undimmed) == {A, O1, O2, A_O1, O1_O2}
            reason = page.inner_text("#impact .impact-reason")
            assert "受列入主体控制" in reason and "持股 60%" in reason and "持股 51%" in reason, reason

            # A binding: 中李 (drawn by the overlay: no longer A's legal representative that day) through L1 to R1.
            mid = _key_of(page, "中李")
            page.click('#impact button[aria-label="高亮 中李 的约束路径"]')
            assert _highlighted(page) == {
                mid,
                A,
                "L1",
                "R1",
                f"LEGAL_REPRESENTATIVE|{mid}|{A}|2023-09-01",
                f"LISTED_ON|{A}|L1|2024-01-15",
                "BASED_ON|L1|R1|2023-10-10",
            }
            reason = page.inner_text("#impact .impact-reason")
            assert "法定代表人" in reason and "2023-09-01 至 2023-12-01" in reason, reason
            shot(page, "11-impact-binding-path")

            # ---- shortest paths: shift-click 控刘, then O1 ----
            ctrl = _key_of(page, "控刘")
            _shift_click(page, ctrl)
            _shift_click(page, O1)
            page.wait_for_selector("#path-list li", timeout=WAIT)
            assert page.locator("#path-list li").count() == 1
            assert _highlighted(page) == {ctrl, A, O1, f"ACTUAL_CONTROLLER|{ctrl}|{A}|2015-01-01", A_O1}
            assert "第 1 / 1 条" in page.inner_text("#path-text")
            shot(page, "12-shortest-path")

            # From the keyboard: 控刘 to 董陈, two paths of two steps (through A, through M), stepped through.
            director = _key_of(page, "董陈")
            page.select_option("#path-to", director)
            page.focus("#path-find")
            page.keyboard.press("Enter")
            page.wait_for_function("() => document.querySelectorAll('#path-list li').length === 2", timeout=WAIT)
            first = _highlighted(page)
            page.focus("#path-next")
            page.keyboard.press("Enter")
            second = _highlighted(page)
            assert {frozenset(k for k in s if "|" not in k) for s in (first, second)} == {
                frozenset({ctrl, A, director}),
                frozenset({ctrl, M, director}),
            }
            assert "第 2 / 2 条" in page.inner_text("#path-text")
            # 控刘 to O2 is three steps; 中李 to O1 none that day.
            page.select_option("#path-to", O2)
            page.click("#path-find")
            page.wait_for_function(
                "() => document.getElementById('path-text').textContent.includes('3 步')", timeout=WAIT
            )
            assert _highlighted(page) == {ctrl, A, O1, O2, f"ACTUAL_CONTROLLER|{ctrl}|{A}|2015-01-01", A_O1, O1_O2}
            page.select_option("#path-from", mid)
            page.select_option("#path-to", O1)
            page.click("#path-find")
            page.wait_for_function(
                "() => document.getElementById('path-text').textContent.includes('没有关联')", timeout=WAIT
            )
            assert _highlighted(page) == set()

            # From a person's card: 控刘 is bound by L1; its impact from there. Then a day after L1 ended: the
            # overlay is asked again, binds no one and marks nothing.
            page.click(f'#nodes button[data-key="{ctrl}"]')
            page.click('#card button.impact[data-listing="L1"]', timeout=WAIT)
            page.wait_for_selector("#impact:not([hidden]) .impact-bound-list", timeout=WAIT)
            assert set(_marked(page, "impact-bound").values()) == {"中李", "新王", "控刘"}
            _set_day(page, "2026-02-01")
            page.wait_for_function(
                "() => document.getElementById('impact').textContent.includes('不在有效期内')", timeout=WAIT
            )
            assert _marked(page, "impact-bound") == {} and _marked(page, "impact-related") == {}
            # The card is asked again beside the overlay, by its own request: wait for it rather than race it.
            page.wait_for_function(
                "() => document.getElementById('card').textContent.includes('截至 2026-02-01 无')", timeout=WAIT
            )

            # ---- the control view of X3 ----
            _open(page, "丙制造", X3, "丙制造有限公司")
            assert page.is_hidden("#impact")
            page.click("#control-open")
            page.wait_for_selector("#control-view:not([hidden]) .control-owners", timeout=WAIT)
            tree: dict[str, Any] = page.evaluate(
                """() => { const cy = window.workbench.control.cy; return {
                     controller: cy.nodes('.controller').map(n => [n.data('name'), n.data('label')]),
                     owners: cy.nodes('.owner').map(n => n.data('name')),
                     edges: cy.edges().map(e => [e.source().data('name'), e.target().data('name'), e.data('label')]),
                     rows: Object.fromEntries(cy.nodes().map(n => [n.id(), n.position('y')])) }; }"""
            )
            [(name, label)] = tree["controller"]
            assert name == "钱总" and "33.6%" in label and "疑似实际控制人" in label
            assert tree["owners"] == ["钱总"]
            assert sorted(tree["edges"]) == sorted(
                [
                    ["钱总", "甲控股有限公司", "70%"],
                    ["甲控股有限公司", "乙实业有限公司", "80%"],
                    ["乙实业有限公司", "丙制造有限公司", "60%"],
                ]
            )
            rows = tree["rows"]
            assert rows[X1] < rows[X2] < rows[X3]  # layered: owners above what they own
            side = page.inner_text("#control-view .control-side")
            assert "申报人" in side and "钱总" in side and "33.6%" in side, side
            page.click("#control-view .control-owners button.explain")
            q = page.evaluate("() => window.workbench.control.cy.nodes('.controller').id()")
            assert _highlighted(page, "window.workbench.control.cy") == {
                q,
                X1,
                X2,
                X3,
                f"HOLDS|{q}|{X1}|2016-01-01",
                f"HOLDS|{X1}|{X2}|2016-01-01",
                f"HOLDS|{X2}|{X3}|2016-01-01",
            }
            shot(page, "13-control-view")
            assert "对外投资（0）" in side

            # ---- the control view of X1: its owner above, and below it the firm it holds and what that holds ----
            _open(page, "甲控股", X1, "甲控股有限公司")
            page.click("#control-open")
            page.wait_for_selector("#control-view:not([hidden]) .control-held", timeout=WAIT)
            down: dict[str, Any] = page.evaluate(
                """() => { const cy = window.workbench.control.cy; return {
                     held: cy.nodes('.held').map(n => n.id()).sort(),
                     edges: cy.edges().map(e => [e.source().data('name'), e.target().data('name'), e.data('label')]),
                     rows: Object.fromEntries(cy.nodes().map(n => [n.id(), n.position('y')])) }; }"""
            )
            assert down["held"] == sorted([X2, X3])
            assert sorted(down["edges"]) == sorted(
                [
                    ["钱总", "甲控股有限公司", "70%"],
                    ["甲控股有限公司", "乙实业有限公司", "80%"],
                    ["乙实业有限公司", "丙制造有限公司", "60%"],
                ]
            )
            rows = down["rows"]
            assert rows[X1] < rows[X2] < rows[X3]
            side = page.inner_text("#control-view .control-side")
            assert "对外投资（1）" in side and "乙实业有限公司 80%" in side and "丙制造有限公司 60%" in side, side
            shot(page, "14-control-view-held")

            # Keyboard: every new control takes focus and is labelled.
            for selector in (
                "#path-from",
                "#path-to",
                "#path-hops",
                "#path-find",
                "#path-prev",
                "#path-next",
                "#path-clear",
                "#control-open",
                "#control-view .control-close",
                "#control-view button.explain",
            ):
                page.focus(selector)
                assert page.evaluate("() => document.activeElement.getAttribute('aria-label')"), selector
            page.click("#control-view .control-close")
            assert page.is_hidden("#control-view")
            timings = page.evaluate("() => window.workbench.timings")
        except Exception:
            print("\nconsole errors:", console_errors, "\nstatus:", page.inner_text("#status"))
            shot(page, "explain-failed")
            raise
        finally:
            browser.close()

    assert outside == []
    assert not console_errors, console_errors
    shown = {t["what"]: round(t["ms"]) for t in timings if t["what"] in ("影响范围", "股权穿透")}
    print(f"\nexplanations drawn in (ms): {shown}")
