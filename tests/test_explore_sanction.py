"""The workbench's sanctions check (issue 14, deliver 6) in Chromium, offline (the set-up of tests/test_explore.py).

On test_explore's graph (test_linkage's, plus the firm P), as of 2024-06-01 for 招标投标 (BIDDING), worked out by
hand: A is on the joint-punishment list L1, whose measure RESTRICT_BIDDING binds it, so it may not bid; the other
nine firms (O1, O2, O3, M, N, X1, X2, X3, P) are on no list and N's legal representative CTRL only takes office on
2024-08-01, so they may, without warnings; LATE became A's legal representative after the listing, so is not bound.
The uploaded list has these 11, seven well-formed codes of no entity and two malformed ones: 20 subjects. The same
list is checked three ways: uploaded as XLSX, pasted into the box, uploaded as CSV (a quoted cell among them)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, sync_playwright

from graph_api.store.pii import mask
from tests.conftest import token
from tests.test_explore import ARTIFACTS, CHROMIUM, PURPOSE, P, _loopback_only, _warm_up, linked
from tests.test_linkage import LATE, O1, O2, O3, X1, X2, X3, A, M, N, uscc

__all__ = ["linked"]  # the module's graph fixture, shared with test_explore

ALLOWED = [O1, O2, O3, M, N, X1, X2, X3, P]
UNKNOWN = [uscc(n) for n in range(40, 47)]
MALFORMED = [A[:-1] + ("0" if A[-1] != "0" else "1"), "91370200MA"]
CODES = [A, *ALLOWED, LATE, *UNKNOWN, *MALFORMED]
HEADER = ["序号", "代码", "名称", "结论", "决定性措施", "关联风险提示", "错误"]


def _upload(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code"])
    for code in CODES:
        sheet.append([code])
    book.save(path)


def _csv(path: Path) -> None:
    # A second column and quoted cells, as a spreadsheet saves them; the "code" header names the column.
    rows = (f'"{c}","第 {i} 行, 核查"' if i % 3 == 0 else f"{c},第 {i} 行" for i, c in enumerate(CODES))
    lines = ["code,备注", *rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def _run_batch(page: Page) -> list[list[str]]:
    page.evaluate("() => document.getElementById('batch-result').replaceChildren()")
    page.click("#batch-run")
    page.wait_for_function("() => document.querySelectorAll('#batch-table tbody tr').length === 20", timeout=30_000)
    return _table(page)


def _table(page: Page) -> list[list[str]]:
    rows: list[list[str]] = page.evaluate(
        "() => [...document.querySelectorAll('#batch-table tbody tr')].map(r => [...r.cells].map(c => c.textContent))"
    )
    return rows


def _check_rows(rows: list[list[str]]) -> None:
    assert len(rows) == 20
    assert [r[0] for r in rows] == [str(i) for i in range(1, 21)]
    # The table echoes each code as the API does: an identity number masked, like every number shown.
    assert [r[1] for r in rows] == [mask(c) if c == LATE else c for c in CODES]
    verdicts = [r[3] for r in rows]
    assert verdicts == ["不符合"] + ["符合"] * 10 + ["错误"] * 9, verdicts
    assert rows[0][2] == "青岛海岳商贸有限公司" and "RESTRICT_BIDDING" not in rows[0][4]
    assert "L1" in rows[0][4] and "失信联合惩戒对象名单" in rows[0][4]
    assert rows[10][2] == "晚赵"
    assert all(r[4] == "" and r[5] == "" for r in rows[1:11])
    # The errors in Chinese: the ErrorCode's label and the reason's, not the API's English message.
    assert all(r[6] == "未找到" for r in rows[11:18]), [r[6] for r in rows[11:18]]
    assert all(r[6] == "输入有误：统一社会信用代码格式或校验位有误" for r in rows[18:]), [r[6] for r in rows[18:]]


# write-excel-file leaves out the default style openpyxl looks for; the cells are what this test reads.
@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
def test_eligibility_and_batch_check_in_chromium(api, linked, tmp_path):
    _warm_up(api)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    console_errors: list[str] = []
    jwt = token("SANCTIONS", "sanctions-explore")["authorization"].removeprefix("Bearer ")
    upload = tmp_path / "名单.xlsx"
    _upload(upload)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(
                viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True
            )
            context.route("**/*", _loopback_only(outside))
            page = context.new_page()
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: console_errors.append(str(e)))
            page.goto(f"{str(api.base_url).rstrip('/')}/explore", wait_until="load")
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            page.fill("#secret", jwt)
            page.fill("#purpose", PURPOSE)
            page.press("#purpose", "Enter")
            page.wait_for_function("() => document.getElementById('who').textContent.includes('惩戒审核人员')")
            page.fill("#as-of-date", "2024-06-01")
            page.dispatch_event("#as-of-date", "change")

            # The scenarios carry their Chinese labels; eligibility of the open entity with its deciding measure.
            assert page.inner_text('#scenario option[value="BIDDING"]') == "招标投标"
            page.type("#search", "海岳商贸", delay=50)
            page.click(f'#results button.hit[data-key="{A}"]', timeout=30_000)
            page.wait_for_selector('#card h2:has-text("青岛海岳商贸有限公司")', timeout=30_000)
            page.select_option("#scenario", "BIDDING")
            page.click("#check")
            page.wait_for_selector("#eligibility .eligibility", timeout=30_000)
            assert page.get_attribute("#eligibility .eligibility", "data-allowed") == "false"
            text = page.inner_text("#eligibility")
            assert "不符合" in text and "RESTRICT_BIDDING" in text and "L1" in text and "路径" in text, text
            page.click("#eligibility button.show-path")
            assert page.evaluate(f"() => window.workbench.graph.cy.getElementById('{A}').selected()")
            page.locator("#sanction").screenshot(path=str(ARTIFACTS / "10-eligibility.png"))

            # The same check for a day after the listing ended: eligible.
            page.fill("#sanction-as-of", "2026-02-01")
            page.click("#check")
            page.wait_for_selector('#eligibility .eligibility[data-allowed="true"]', timeout=30_000)

            # The batch of 20 from an uploaded XLSX, for 2024-06-01.
            page.fill("#sanction-as-of", "2024-06-01")
            page.set_input_files("#batch-file", str(upload))
            _check_rows(_run_batch(page))
            # A tall window, so the table below the canvas is shown whole rather than scrolled under it.
            page.set_viewport_size({"width": 1400, "height": 2000})
            page.evaluate("() => window.workbench.graph.cy.resize()")
            page.screenshot(path=str(ARTIFACTS / "11-batch-check.png"))

            # Exported to XLSX: the same rows, read back.
            with page.expect_download() as download:
                page.click("#batch-export")
            exported = tmp_path / "exported.xlsx"
            download.value.save_as(exported)
            sheet = openpyxl.load_workbook(exported).active
            values = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
            assert values[0] == HEADER
            _check_rows(values[1:])
            assert values[1:] == _table(page)

            # The same list pasted, one code a line (no header: each code's shape says what it is), then as CSV.
            page.set_input_files("#batch-file", [])
            page.fill("#batch-list", "\n".join(CODES))
            _check_rows(_run_batch(page))
            csv = tmp_path / "名单.csv"
            _csv(csv)
            page.fill("#batch-list", "")
            page.set_input_files("#batch-file", str(csv))
            _check_rows(_run_batch(page))
        finally:
            browser.close()
    assert outside == []
    assert not console_errors, console_errors
