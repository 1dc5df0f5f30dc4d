"""Decisions and their publication within 7 working days by China's official calendar.

Worked by hand from the State Council's 2026 arrangement: National Day and Mid-Autumn 10-01..10-07 off,
Sunday 09-20 and Saturday 10-10 worked. A decision on Friday 2026-09-25: working days 09-28, 09-29, 09-30,
10-08, 10-09, 10-10 (the swapped Saturday), 10-12 -> due Monday 2026-10-12. Beyond the years the
installed calendar covers, days count Monday to Friday and the deadline is marked estimated: from
Wednesday 2098-12-31, 3 working days are Thursday 2099-01-01 (New Year's Day is not known as a holiday
there), Friday 01-02 and Monday 01-05 -> due 2099-01-05, estimated. (A year is taken that no release of
the calendar will cover soon, so that a new release with next year's holidays cannot break the test.)
"""

from __future__ import annotations

import pytest

from tests.conftest import gql as gql_public
from tests.conftest import gql_as, officer
from tests.conftest import gql_reader as gql
from tests.test_linkage import uscc

FIRM = uscc(51)
DEPT, OTHER = "370200-SCJG", "370200-SWJ"

RECORD = """mutation($input: DecisionInput!) { recordDecision(input: $input) {
  __typename
  ... on DecisionRecorded { publishDueOn publishDueEstimated
    record { id: recordId category severity status decidedOn department { code } } }
  ... on Refusal { code message field } } }"""

PUBLISH = """mutation($id: String!, $on: Date) { publishRecord(id: $id, publishedOn: $on) {
  __typename ... on RecordPublished { late record { id: recordId publishedOn } }
  ... on Refusal { code message field } } }"""

OVERDUE = """query($d: String!, $asOf: Date) { overduePublications(department: $d, asOf: $asOf) {
  totalCount nodes { id: recordId publishDueOn } } }"""


FIRM_LINES = [
    {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
    {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"},
    {
        "kind": "entity",
        "uscc": FIRM,
        "name": "青岛决定测试有限公司",
        "form": "COMPANY",
        "status": "ACTIVE",
        "region": "370200",
        "established": "2015-01-01",
    },
]


@pytest.fixture()
def firm(graph):
    outcome = graph.import_lines(FIRM_LINES)
    assert outcome.code == 0, outcome.rejects
    return graph


def decision(record_id: str, decided_on: str, **extra) -> dict:
    return {
        "subject": {"uscc": FIRM},
        "category": "PENALTY",
        "severity": "GENERAL",
        "decidedOn": decided_on,
        "decisionNo": "青市监罚〔2026〕1号",
        "id": record_id,
        **extra,
    }


def test_publication_deadline_across_the_october_holiday(api, firm):
    body = gql_as(api, officer(DEPT), RECORD, input=decision("D1", "2026-09-25"))
    result = body["data"]["recordDecision"]
    assert result["__typename"] == "DecisionRecorded", body
    assert (result["publishDueOn"], result["publishDueEstimated"]) == ("2026-10-12", False)
    assert result["record"] == {
        "id": "D1",
        "category": "PENALTY",
        "severity": "GENERAL",
        "status": "ACTIVE",
        "decidedOn": "2026-09-25",
        "department": {"code": DEPT},
    }
    beyond = gql_as(api, officer(DEPT), RECORD, input=decision("D2", "2026-11-20"))["data"]["recordDecision"]
    assert beyond["publishDueOn"] == "2026-12-01" and beyond["publishDueEstimated"] is False

    # overdue as of the due day: not yet; the day after: yes
    assert gql(api, OVERDUE, d=DEPT, asOf="2026-10-12")["data"]["overduePublications"]["totalCount"] == 0
    late = gql(api, OVERDUE, d=DEPT, asOf="2026-10-13")["data"]["overduePublications"]
    assert late == {"totalCount": 1, "nodes": [{"id": "D1", "publishDueOn": "2026-10-12"}]}

    published = gql_as(api, officer(DEPT), PUBLISH, id="D1", on="2026-10-14")["data"]["publishRecord"]
    assert published == {
        "__typename": "RecordPublished",
        "late": True,
        "record": {"id": "D1", "publishedOn": "2026-10-14"},
    }
    # as of a day before the publication it was overdue; after it, no longer
    assert gql(api, OVERDUE, d=DEPT, asOf="2026-10-13")["data"]["overduePublications"]["totalCount"] == 1
    assert gql(api, OVERDUE, d=DEPT, asOf="2026-10-14")["data"]["overduePublications"]["totalCount"] == 0


def test_deadline_beyond_the_published_calendar_is_estimated(api, firm):
    import datetime as dt

    from graph_api.domain.workdays import add_working_days, covered_until

    assert covered_until() >= dt.date(2026, 12, 31)  # the official arrangement of 2026 is known
    assert add_working_days(dt.date(2026, 9, 25), 7).estimated is False
    due = add_working_days(dt.date(2098, 12, 31), 3)
    assert (due.due, due.estimated) == (dt.date(2099, 1, 5), True)


def test_refusals_and_input_errors(api, firm):
    assert (
        gql_as(api, officer(DEPT), RECORD, input=decision("D1", "2026-09-25"))["data"]["recordDecision"]["__typename"]
        == "DecisionRecorded"
    )
    again = gql_as(api, officer(DEPT), RECORD, input=decision("D1", "2026-09-25"))["data"]["recordDecision"]
    assert (again["__typename"], again["code"], again["field"]) == ("Refusal", "DUPLICATE_ID", "id")
    other = gql_as(api, officer(OTHER), PUBLISH, id="D1")["data"]["publishRecord"]
    assert other["code"] == "NOT_YOUR_DEPARTMENT"
    assert (
        gql_as(api, officer(DEPT), PUBLISH, id="D1", on="2026-09-30")["data"]["publishRecord"]["__typename"]
        == "RecordPublished"
    )
    twice = gql_as(api, officer(DEPT), PUBLISH, id="D1", on="2026-10-01")["data"]["publishRecord"]
    assert twice["code"] == "ALREADY_PUBLISHED"

    no_actor = gql_public(api, RECORD, input=decision("D3", "2026-09-25"))
    assert no_actor["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED" and no_actor["data"] is None
    no_severity = gql_as(api, officer(DEPT), RECORD, input={**decision("D3", "2026-09-25"), "severity": None})
    assert no_severity["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "severity"}
    future = gql_as(api, officer(DEPT), RECORD, input=decision("D3", "2099-01-01"))
    assert future["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "decidedOn"}
    unknown = gql_as(api, officer(DEPT), RECORD, input={**decision("D3", "2026-09-25"), "subject": {"uscc": uscc(52)}})
    assert unknown["data"]["recordDecision"]["code"] == "NOT_FOUND"
    # nothing of the refused or failed attempts was written
    assert [r["id"] for r in firm.query("MATCH (r:Record) RETURN r.id AS id ORDER BY id")] == ["D1"]


def test_change_log_says_who_did_what(api, firm):
    gql_as(api, officer(DEPT, "wang.li"), RECORD, input=decision("D1", "2026-09-25"))
    gql_as(api, officer(DEPT, "zhao.min"), PUBLISH, id="D1", on="2026-09-30")
    log = gql(
        api,
        """query($s: SubjectInput!) { changeLog(subject: $s) { totalCount
        nodes { operation user department kind key summary before after } } }""",
        s={"uscc": FIRM},
    )["data"]["changeLog"]
    assert log["totalCount"] == 2
    newest, oldest = log["nodes"]
    assert (newest["operation"], newest["user"], newest["department"], newest["kind"], newest["key"]) == (
        "publishRecord",
        "zhao.min",
        DEPT,
        "RECORD",
        "D1",
    )
    assert newest["before"] == {"publishedOn": None} and newest["after"] == {"publishedOn": "2026-09-30"}
    assert (oldest["operation"], oldest["user"], oldest["before"]) == ("recordDecision", "wang.li", None)
    assert oldest["after"]["severity"] == "GENERAL" and oldest["after"]["publishDueOn"] == "2026-10-12"
