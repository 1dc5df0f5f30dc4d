"""Bad lines are rejected with their reason while the good lines of the same file land; changed lines
update the fact and keep the earlier version; holdings above 100% are refused."""

from __future__ import annotations

import json

from graph_api.domain.identifiers import ric_check_char, uscc_check_char
from tests.conftest import SAMPLE

SHUICHAN, LENGLIAN, LANWAN = "91370202613366849K", "91370211499653587T", "913702031995045470"
CHENHAI, LIUYUN, WUMIN = "370202198503120172", "370203198406300223", "370212199202050489"
UNKNOWN_PERSON = "11010519491231002X"  # the example number of GB 11643 itself: valid, but not in the file
UNKNOWN_ENTITY = "91370200MA3C5XXX1" + uscc_check_char("91370200MA3C5XXX1")


def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


BAD_LINES: list[tuple[str, object]] = [
    ("INVALID_JSON", '{"kind": "entity", "uscc": '),
    ("NOT_AN_OBJECT", "[1, 2]"),
    ("MISSING_KIND", {"uscc": SHUICHAN}),
    ("UNKNOWN_KIND", {"kind": "shareholder", "entity": SHUICHAN}),
    ("MISSING_FIELD", {"kind": "entity", "uscc": LANWAN, "form": "COMPANY", "status": "ACTIVE"}),
    ("UNEXPECTED_FIELD", {"kind": "department", "code": "X-1", "name": "某局", "region": "370200", "phone": "1"}),
    (
        "INVALID_USCC",
        {"kind": "entity", "uscc": "91370202613366849J", "name": "错码公司", "form": "COMPANY", "status": "ACTIVE"},
    ),
    ("INVALID_ID_NUMBER", {"kind": "person", "idNumber": "370202198503120173", "name": "校验错"}),
    (
        "INVALID_ID_NUMBER",
        {
            "kind": "person",
            "idNumber": "37020219851312" + "017" + ric_check_char("37020219851312017"),
            "name": "生日错",
        },
    ),
    (
        "INVALID_DATE",
        {"kind": "role", "person": CHENHAI, "entity": LENGLIAN, "role": "DIRECTOR", "since": "2024-02-30"},
    ),
    (
        "INVALID_DATE",
        {"kind": "role", "person": CHENHAI, "entity": LENGLIAN, "role": "DIRECTOR", "since": "2024/02/03"},
    ),
    ("INVALID_VALUE", {"kind": "role", "person": CHENHAI, "entity": LENGLIAN, "role": "CEO", "since": "2024-02-03"}),
    (
        "INVALID_RATIO",
        {"kind": "holding", "holder": {"person": WUMIN}, "entity": LENGLIAN, "ratio": 1.2, "since": "2024-01-01"},
    ),
    (
        "INVALID_PARTY",
        {
            "kind": "holding",
            "holder": {"person": WUMIN, "entity": SHUICHAN},
            "entity": LENGLIAN,
            "ratio": 0.1,
            "since": "2024-01-01",
        },
    ),
    (
        "INVALID_PERIOD",
        {
            "kind": "role",
            "person": WUMIN,
            "entity": LENGLIAN,
            "role": "MANAGER",
            "since": "2024-02-03",
            "until": "2023-01-01",
        },
    ),
    (
        "FUTURE_DATE",
        {
            "kind": "record",
            "id": "R-FUTURE",
            "subject": {"entity": LANWAN},
            "category": "PENALTY",
            "severity": "MINOR",
            "department": "370200-SCJG",
            "decidedOn": "2999-01-01",
        },
    ),
    (
        "SEVERITY_NOT_ALLOWED",
        {
            "kind": "record",
            "id": "R-HONOR-SEV",
            "subject": {"entity": LANWAN},
            "category": "HONOR",
            "severity": "SERIOUS",
            "department": "370200-SCJG",
            "decidedOn": "2023-01-01",
        },
    ),
    ("SELF_REFERENCE", {"kind": "branch", "entity": LANWAN, "parent": LANWAN}),
    (
        "EMPTY_BASIS",
        {
            "kind": "listing",
            "id": "L-EMPTY",
            "subject": {"entity": LANWAN},
            "list": "KEY_ATTENTION",
            "department": "370200-SCJG",
            "basis": [],
            "since": "2024-01-01",
        },
    ),
    (
        "UNKNOWN_PERSON",
        {"kind": "role", "person": UNKNOWN_PERSON, "entity": LENGLIAN, "role": "DIRECTOR", "since": "2020-01-01"},
    ),
    (
        "UNKNOWN_ENTITY",
        {"kind": "holding", "holder": {"person": WUMIN}, "entity": UNKNOWN_ENTITY, "ratio": 0.2, "since": "2024-01-01"},
    ),
    (
        "UNKNOWN_DEPARTMENT",
        {
            "kind": "record",
            "id": "R-NODEPT",
            "subject": {"entity": LANWAN},
            "category": "LICENSE",
            "department": "999999-NONE",
            "decidedOn": "2023-01-01",
        },
    ),
    (
        "BASIS_NOT_FOUND",
        {
            "kind": "listing",
            "id": "L-NOREC",
            "subject": {"entity": LANWAN},
            "list": "KEY_ATTENTION",
            "department": "370200-SCJG",
            "basis": ["NO-SUCH-RECORD"],
            "since": "2024-01-01",
        },
    ),
    (
        "UNKNOWN_MEASURE",
        {
            "kind": "listing",
            "id": "L-NOMEASURE",
            "subject": {"entity": SHUICHAN},
            "list": "JOINT_PUNISHMENT",
            "department": "370200-SCJG",
            "basis": ["QD-SCJG-2024-0031"],
            "since": "2024-06-01",
            "measures": ["FREEZE_ASSETS"],
        },
    ),
    (
        "BASIS_OTHER_SUBJECT",
        {
            "kind": "listing",
            "id": "L-OTHER",
            "subject": {"entity": LANWAN},
            "list": "JOINT_PUNISHMENT",
            "department": "370200-SCJG",
            "basis": ["QD-SCJG-2024-0031"],
            "since": "2024-06-01",
        },
    ),
    (
        "BASIS_POLARITY",
        {
            "kind": "listing",
            "id": "L-POLARITY",
            "subject": {"entity": LANWAN},
            "list": "JOINT_PUNISHMENT",
            "department": "370200-SCJG",
            "basis": ["QD-SCJG-2020-L88"],
            "since": "2024-06-01",
        },
    ),
    (
        "BASIS_AFTER_LISTING",
        {
            "kind": "listing",
            "id": "L-EARLY",
            "subject": {"entity": SHUICHAN},
            "list": "JOINT_PUNISHMENT",
            "department": "370200-SCJG",
            "basis": ["QD-FY-2024-0410"],
            "since": "2024-03-01",
        },
    ),
    # 刘韵 holds 90% of 海韵水产 since 2018: another 20% from 2019 would make 110%.
    (
        "HOLDINGS_EXCEED_100",
        {"kind": "holding", "holder": {"person": WUMIN}, "entity": SHUICHAN, "ratio": 0.2, "since": "2019-01-01"},
    ),
]
GOOD_EXTRA = [
    {"kind": "branch", "entity": LENGLIAN, "parent": SHUICHAN},
    # 10% beside the 90% is exactly 100%: allowed.
    {"kind": "holding", "holder": {"person": WUMIN}, "entity": SHUICHAN, "ratio": 0.1, "since": "2019-06-01"},
]


def test_each_kind_of_bad_line_is_rejected_with_its_reason_and_good_lines_land(graph):
    lines: list[object] = []
    expected: dict[int, str] = {}
    good = sample_lines() + GOOD_EXTRA
    bad = list(BAD_LINES)
    # Interleave, so that a bad line never shields or breaks its neighbours.
    while good or bad:
        if good:
            lines.append(good.pop(0))
        if bad:
            code, line = bad.pop(0)
            lines.append(line)
            expected[len(lines)] = code
    path = graph.write_lines(lines)
    outcome = graph.import_file(path)

    assert outcome.code == 2
    got = {r["line"]: r["code"] for r in outcome.rejects}
    assert got == expected
    raw_lines = path.read_text(encoding="utf-8").splitlines()
    for reject in outcome.rejects:
        assert reject["raw"] == raw_lines[reject["line"] - 1]
        assert reject["file"] == str(path)
        assert len(reject["message"]) > 20
    messages = {r["code"]: r["message"] for r in outcome.rejects}
    assert "expected 'K'" in messages["INVALID_USCC"]
    assert "2024-02-30" in next(
        r["message"] for r in outcome.rejects if r["line"] == _line_of(expected, "INVALID_DATE")
    )
    assert "110.00%" in messages["HOLDINGS_EXCEED_100"]
    assert "1101**********002X" in messages["UNKNOWN_PERSON"] and UNKNOWN_PERSON not in messages["UNKNOWN_PERSON"]

    assert outcome.total("rejected") == len(BAD_LINES)
    assert outcome.total("created") == 27 + len(GOOD_EXTRA)
    counts = graph.counts()
    assert (counts["Entity"], counts["Person"], counts["Record"], counts["Listing"]) == (5, 4, 4, 2)
    assert counts["HOLDS"] == 4 and counts["BRANCH_OF"] == 1
    assert graph.query("MATCH (l:Listing) WHERE l.id STARTS WITH 'L-' RETURN count(l) AS n") == [{"n": 0}]


def _line_of(expected: dict[int, str], code: str) -> int:
    return min(n for n, c in expected.items() if c == code)


def test_changed_line_updates_the_fact_and_keeps_the_earlier_version(graph):
    graph.import_file(SAMPLE)
    changed = []
    for raw in sample_lines():
        line = json.loads(raw)
        if line.get("uscc") == LANWAN:
            line["name"] = "青岛蓝湾餐饮集团有限公司"
        if line["kind"] == "role" and line["entity"] == LANWAN:
            line["until"] = "2025-03-01"
        changed.append(line)
    outcome = graph.import_file(graph.write_lines(changed))
    assert outcome.code == 0
    assert outcome.counts["entity"]["updated"] == 1 and outcome.counts["role"]["updated"] == 1
    assert outcome.total("updated") == 2 and outcome.total("created") == 0

    now = graph.query(
        "MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE]->(e:Entity {uscc: $u}) RETURN e.name AS name, r.until AS until",
        u=LANWAN,
    )
    assert [(r["name"], str(r["until"])) for r in now] == [("青岛蓝湾餐饮集团有限公司", "2025-03-01")]
    revisions = graph.query("MATCH (v:Revision) RETURN v.kind AS kind, v.key AS key, v.data AS data ORDER BY kind")
    assert [r["kind"] for r in revisions] == ["entity", "role"]
    assert json.loads(revisions[0]["data"])["name"] == "青岛蓝湾餐饮管理有限公司"
    assert revisions[0]["key"] == LANWAN
    assert json.loads(revisions[1]["data"])["until"] is None
    assert CHENHAI not in revisions[1]["data"] and CHENHAI not in revisions[1]["key"]

    again = graph.import_file(graph.write_lines(changed))
    assert again.total("updated") == 0 and graph.counts()["Revision"] == 2
    back = graph.import_file(SAMPLE)
    assert back.total("updated") == 2
    assert graph.query("MATCH (e:Entity {uscc: $u}) RETURN e.name AS n", u=LANWAN) == [
        {"n": "青岛蓝湾餐饮管理有限公司"}
    ]
    assert graph.counts()["Revision"] == 4


def test_holdings_over_100_percent_are_judged_per_date(graph):
    graph.import_file(SAMPLE)
    # 刘韵's 90% of 海韵水产 ends in 2022 in this file; 吴敏 takes 60% from 2022 (fine), then 50% more
    # from 2023 would be 110% on 2023-01-01.
    lines = [json.loads(x) for x in sample_lines()]
    for line in lines:
        if line["kind"] == "holding" and line["entity"] == SHUICHAN:
            line["until"] = "2022-01-01"
    lines += [
        {"kind": "holding", "holder": {"person": WUMIN}, "entity": SHUICHAN, "ratio": 0.6, "since": "2022-01-01"},
        {"kind": "holding", "holder": {"person": CHENHAI}, "entity": SHUICHAN, "ratio": 0.5, "since": "2023-01-01"},
    ]
    outcome = graph.import_file(graph.write_lines(lines))
    assert [(r["code"], r["line"]) for r in outcome.rejects] == [("HOLDINGS_EXCEED_100", len(lines))]
    assert "on 2023-01-01" in outcome.rejects[0]["message"]
    assert graph.query("MATCH (:Person)-[r:HOLDS]->(:Entity {uscc: $u}) RETURN sum(r.ratio) AS s", u=SHUICHAN) == [
        {"s": 1.5}
    ]
