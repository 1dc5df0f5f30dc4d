"""The credit report page GET /report/{uscc}?asOf=, over HTTP.

Hand-built graph, as of 2026-06-30: entity F (青岛报告测试有限公司) whose legal representative since 2019 is person
P 赵报告 (shown as the public sees it, 赵**; id number 370202198001010619, shown only masked:
3702**********0619). F has: a public PENALTY GENERAL RF1 of 2026-01-10 (published 2026-01-12) whose
summary holds markup (<script>…), shown escaped; a RESTRICTED PENALTY RF2 of 2026-02-01 (not shown); a
public PENALTY MINOR RF3 of 2025-01-05 (published the next day) past its 3 months of publicity (not
shown); the KEY_ATTENTION listing LF since 2026-02-01 based on RF1, with the list's default measures
INCREASED_INSPECTION, KEY_SUPERVISION, RESTRICT_CONVENIENCE. P is also the legal representative since
2018 of OTHER, on the joint-punishment list LO since 2025-03-01 (basis RO of 2025-01-10): related risk of F
through P. Grade of F: D (KEY_ATTENTION_LISTED LF, GENERAL_RECORD RF1; RF2 is not public but counts for
the grade: GENERAL too -> a third D reason, UNDISCLOSED_RECORD, which names no record).
As of 2025-12-31: no record of F yet decided except RF3 (expired) and no listing of F -> grade B.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.test_linkage import ric, uscc

DEPT = "370200-SCJG"
F, OTHER = uscc(901), uscc(902)
P = ric(61)


@pytest.fixture()
def reported(graph):
    lines = [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        {
            "kind": "entity",
            "uscc": F,
            "name": "青岛报告测试有限公司",
            "form": "COMPANY",
            "status": "ACTIVE",
            "region": "370202",
            "established": "2019-05-01",
            "address": "青岛市市南区香港中路1号",
        },
        {
            "kind": "entity",
            "uscc": OTHER,
            "name": "青岛失信关联有限公司",
            "form": "COMPANY",
            "status": "ACTIVE",
            "region": "370202",
            "established": "2018-01-01",
        },
        {"kind": "person", "idNumber": P, "name": "赵报告"},
        {"kind": "role", "person": P, "entity": F, "role": "LEGAL_REPRESENTATIVE", "since": "2019-05-01"},
        {"kind": "role", "person": P, "entity": OTHER, "role": "LEGAL_REPRESENTATIVE", "since": "2018-01-01"},
        {
            "kind": "record",
            "id": "RF1",
            "subject": {"entity": F},
            "category": "PENALTY",
            "severity": "GENERAL",
            "department": DEPT,
            "decidedOn": "2026-01-10",
            "decisionNo": "青市监罚〔2026〕9号",
            "publishedOn": "2026-01-12",
            "summary": "<script>alert('x')</script>销售过期食品",
        },
        {
            "kind": "record",
            "id": "RF2",
            "subject": {"entity": F},
            "category": "PENALTY",
            "severity": "GENERAL",
            "department": DEPT,
            "decidedOn": "2026-02-01",
            "disclosure": "RESTRICTED",
            "summary": "内部信息不公开",
        },
        {
            "kind": "record",
            "id": "RF3",
            "subject": {"entity": F},
            "category": "PENALTY",
            "severity": "MINOR",
            "department": DEPT,
            "decidedOn": "2025-01-05",
            "publishedOn": "2025-01-06",
            "summary": "早已过期的轻微处罚",
        },
        {
            "kind": "listing",
            "id": "LF",
            "subject": {"entity": F},
            "list": "KEY_ATTENTION",
            "department": DEPT,
            "basis": ["RF1"],
            "since": "2026-02-01",
        },
        {
            "kind": "record",
            "id": "RO",
            "subject": {"entity": OTHER},
            "category": "PENALTY",
            "severity": "SERIOUS",
            "department": DEPT,
            "decidedOn": "2025-01-10",
        },
        {
            "kind": "listing",
            "id": "LO",
            "subject": {"entity": OTHER},
            "list": "JOINT_PUNISHMENT",
            "department": DEPT,
            "basis": ["RO"],
            "since": "2025-03-01",
        },
    ]
    outcome = graph.import_lines(lines)
    assert outcome.code == 0, outcome.rejects
    return graph


def test_report_page_as_of_a_day(api, reported):
    r = api.get(f"/report/{F}", params={"asOf": "2026-06-30"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "青岛报告测试有限公司" in page and F in page and "@media print" in page and "size:A4" in page
    assert '<span class="grade">D</span>' in page
    assert "列入重点关注对象名单" in page and "有效的一般失信记录" in page
    assert "RF1" in page and "&lt;script&gt;" in page and "<script>" not in page
    assert "RF2" not in page and "内部信息不公开" not in page and "依据未向您公开的记录" in page
    assert "早已过期的轻微处罚" not in page
    assert "公司" in page and "存续" in page and "法定代表人" in page and "行政处罚" in page and "一般" in page
    for measure in ("INCREASED_INSPECTION", "KEY_SUPERVISION", "RESTRICT_CONVENIENCE"):
        assert label_of_measure(measure) in page
    related = page.split("<h2>七")[1]
    assert "青岛失信关联有限公司" in related and "LO" in related and "赵**" in related
    assert "赵报告" not in page  # the public's page masks names as GraphQL does for the public
    assert P not in page and P[:6] + P[6:14] not in page  # the clear number, nor its birth-date middle
    assert P[:4] + "*" * 10 + P[-4:] in page
    assert "http://" not in page and "https://" not in page  # no external assets

    before = api.get(f"/report/{F}", params={"asOf": "2025-12-31"}).text
    assert '<span class="grade">B</span>' in before and "RF1" not in before and "未列入名单" in before


def label_of_measure(code: str) -> str:
    from graph_api.domain.catalogue import catalogue

    return next(m["nameZh"] for m in catalogue()["measures"] if m["code"] == code)


def _cells(page: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<t[dh]>(.*?)</t[dh]>", page, flags=re.S)]


def test_report_speaks_chinese_codes_stay_in_the_api(api, reported):
    """Every cell of the page a person reads is Chinese, a date, a number or an identifier: no code
    (COMPANY, ACTIVE, PENALTY, KEY_ATTENTION_LISTED, …) and no English sentence."""
    page = api.get(f"/report/{F}", params={"asOf": "2026-06-30"}).text
    cells = _cells(page)
    assert len(cells) > 40
    codes = [c for c in cells if re.fullmatch(r"[A-Z][A-Z_]{3,}", c.strip())]
    english = [c for c in cells if re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", c)]
    assert codes == [] and english == [], (codes, english)


def test_report_errors(api, reported):
    missing = api.get(f"/report/{uscc(903)}")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert uscc(903) in missing.text
    invalid = api.get("/report/91370200MA0000901X")
    assert invalid.status_code == 400 and "<h1>400" in invalid.text
    bad_day = api.get(f"/report/{F}", params={"asOf": "2026-13-01"})
    assert bad_day.status_code == 400


def test_the_report_page_says_retry_later_while_the_database_is_unreachable(tmp_path_factory):
    """With nothing listening where Neo4j should be, the page is a 503 in Chinese with Retry-After, not a
    server error; GraphQL answers DATABASE_UNAVAILABLE at the same time."""
    from tests.conftest import _free_port, serve

    env = {"GRAPH_API_NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}", "GRAPH_API_NEO4J_CONNECTION_TIMEOUT": "1"}
    code = uscc(991)
    with serve(tmp_path_factory, env) as down:
        page = down.get(f"/report/{code}")
        assert page.status_code == 503, page.text
        assert page.headers["retry-after"] == "5" and "请稍后重试" in page.text
        query = {"query": "query($u: USCC!) { entity(uscc: $u) { name } }", "variables": {"u": code}}
        answer = down.post("/graphql", json=query).json()
        assert answer["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
