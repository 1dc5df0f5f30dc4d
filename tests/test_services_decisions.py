"""The decision services run in-process, without HTTP or GraphQL, on the real test Neo4j.

Firm F (test_commitments') is fined by 370200-SCJG on Friday 2026-09-25: publication is due on Monday
2026-10-12 (seven working days: 09-28, 09-29, 09-30, 10-08, 10-09, the swapped Saturday 10-10, 10-12;
National Day 10-01..10-07 off). Published on 10-13 it is late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from graph_api.domain.refusals import Refused
from graph_api.domain.subjects import Subject
from graph_api.errors import BadUserInput, NotFound
from graph_api.services import decisions
from tests.service_calls import WRITTEN, call, import_lines, officer
from tests.test_commitments import DEPT, FIRM, OTHER, STRANGER

FINE = decisions.DecisionRequest(
    subject=Subject(entity=FIRM),
    category="PENALTY",
    decided_on=dt.date(2026, 9, 25),
    severity="GENERAL",
    decision_no="青市监罚〔2026〕1号",
    id="D1",
)


FIRM_LINES = [
    {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
    {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"},
    {
        "kind": "entity",
        "uscc": FIRM,
        "name": "青岛服务测试有限公司",
        "form": "COMPANY",
        "status": "ACTIVE",
        "region": "370200",
        "established": "2015-01-01",
    },
]


@pytest.fixture()
def firm(graph):
    return import_lines(graph, FIRM_LINES)


def test_record_and_publish_in_process(settings, firm):
    made = call(settings, decisions.record_decision, officer(DEPT), FINE)
    assert (made.id, made.deadline.due, made.deadline.estimated) == ("D1", dt.date(2026, 10, 12), False)
    record = made.record
    assert (record["category"], record["polarity"], record["publishedOn"]) == ("PENALTY", "NEGATIVE", None)
    assert record["department"]["code"] == DEPT
    records = firm.query("MATCH (:Entity {uscc: $u})-[:HAS_RECORD]->(r:Record) RETURN r.id AS id", u=FIRM)
    assert records == [{"id": "D1"}]

    published = call(
        settings, decisions.publish_record, officer(DEPT), decisions.PublishRequest("D1", dt.date(2026, 10, 13))
    )
    assert (published.late, published.record["publishedOn"]) == (True, dt.date(2026, 10, 13))
    assert firm.query("MATCH (c:Change {key: 'D1'}) RETURN c.operation AS op ORDER BY c.at") == [
        {"op": "recordDecision"},
        {"op": "publishRecord"},
    ]


def test_decision_refusals_write_nothing(settings, firm):
    call(settings, decisions.record_decision, officer(DEPT), FINE)
    before = firm.query(WRITTEN)
    stranger = replace(FINE, id="D2", subject=Subject(entity=STRANGER))  # not in the graph
    for request, code in ((FINE, "DUPLICATE_ID"), (stranger, "NOT_FOUND")):
        with pytest.raises(Refused) as refused:
            call(settings, decisions.record_decision, officer(DEPT), request)
        assert refused.value.code == code
    for wrong, field in ((replace(FINE, severity=None), "severity"), (replace(FINE, category="FINE"), "category")):
        with pytest.raises(BadUserInput) as bad:
            call(settings, decisions.record_decision, officer(DEPT), wrong)
        assert bad.value.extensions == {"field": field}

    for department, request, code in (
        (OTHER, decisions.PublishRequest("D1"), "NOT_YOUR_DEPARTMENT"),
        (DEPT, decisions.PublishRequest("D1", dt.date(2026, 9, 24)), "BEFORE_DECISION"),
    ):
        with pytest.raises(Refused) as refused:
            call(settings, decisions.publish_record, officer(department), request)
        assert refused.value.code == code
    with pytest.raises(NotFound):
        call(settings, decisions.publish_record, officer(DEPT), decisions.PublishRequest("nope"))
    assert firm.query(WRITTEN) == before
    assert firm.query("MATCH (r:Record {id: 'D1'}) RETURN r.publishedOn AS p") == [{"p": None}]
