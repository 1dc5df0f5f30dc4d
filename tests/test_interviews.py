"""Interviews (约谈, "谁认定、谁约谈"): past a listing's rectification deadline, with the listing in force
and no interview held, the listing department owes an interview; the interview becomes an INTERVIEW
record on the listed subject.

Worked by hand. KEY_ATTENTION listings made through listSubject, all since 2026-03-10:
- L1: firm F1 by SCJG, rectify by 2026-06-30. Interviewed on Monday 2026-07-06 (6 days after the
  deadline): record due for publication 2026-07-15 (07-07..07-10, 07-13..07-15, no holiday).
- L2: firm F2 by SWJ, rectify by 2026-05-31 -> due for SWJ only, 31 days overdue as of 2026-07-01.
- L3: firm F3 by SCJG, rectify by 2026-05-31, delisted 2026-06-15 -> due as of 2026-06-10 (10 days),
  no longer as of 2026-06-30; no interview can be recorded on 2026-06-20.
- L4: firm F4 by SCJG, rectify by 2026-06-30, like L1 but not interviewed -> due with L1, after it by id.
  In the second test it is interviewed early, on Monday 2026-06-15 (-15 days; publication due
  2026-06-25: 06-16..06-18, Dragon Boat 06-19..06-21 off, 06-22..06-25), and is then never due.
- L5: firm F5 by SCJG, no deadline -> never due.
So for SCJG: as of 06-10 [L3 (10)]; 06-30 []; 07-01 [L1 (1), L4 (1)]; after L1's interview, as of 07-05
still [L1 (5), L4 (5)] (it was held later), as of 07-10 [L4 (10)]. For SWJ as of 07-01: [L2 (31)].
"""

from __future__ import annotations

import pytest

from tests.conftest import entity_user, gql_as, officer
from tests.conftest import gql_reader as gql
from tests.test_linkage import uscc

DEPT, OTHER = "370200-SCJG", "370200-SWJ"
FIRMS = {n: uscc(70 + n) for n in range(1, 6)}

LIST = (
    """mutation($input: ListingInput!) { listSubject(input: $input) { __typename ... on Refusal { code message } } }"""
)
DELIST = """mutation($l: String!, $on: Date, $reason: String!) { delist(listing: $l, on: $on, reason: $reason) {
  __typename ... on Refusal { code message } } }"""

DUE = """query($d: String!, $asOf: Date) { interviewsDue(department: $d, asOf: $asOf) {
  totalCount nodes { listing list since rectifyBy daysOverdue entity { uscc } person { name } } } }"""

INTERVIEW = """mutation($input: InterviewInput!) { recordInterview(input: $input) { __typename
  ... on InterviewRecorded { listing publishDueOn daysAfterDeadline
        record { id: recordId category polarity severity decidedOn summary status department { code } } }
  ... on Refusal { code message field } } }"""


@pytest.fixture()
def listed(graph, api):
    lines = [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"},
    ]
    for n, firm in FIRMS.items():
        lines += [
            {
                "kind": "entity",
                "uscc": firm,
                "name": f"青岛约谈测试{n}有限公司",
                "form": "COMPANY",
                "status": "ACTIVE",
                "region": "370200",
                "established": "2015-01-01",
            },
            {
                "kind": "record",
                "id": f"P{n}",
                "subject": {"entity": firm},
                "category": "PENALTY",
                "severity": "GENERAL",
                "department": OTHER if n == 2 else DEPT,
                "decidedOn": "2026-03-02",
            },
        ]
    outcome = graph.import_lines(lines)
    assert outcome.code == 0, outcome.rejects
    for n, rectify_by in ((1, "2026-06-30"), (2, "2026-05-31"), (3, "2026-05-31"), (4, "2026-06-30"), (5, None)):
        body = gql_as(
            api,
            officer(OTHER if n == 2 else DEPT),
            LIST,
            input={
                "id": f"L{n}",
                "subject": {"uscc": FIRMS[n]},
                "list": "KEY_ATTENTION",
                "basis": [f"P{n}"],
                "since": "2026-03-10",
                "rectifyBy": rectify_by,
            },
        )
        assert body["data"]["listSubject"]["__typename"] == "Listed", body
    body = gql_as(api, officer(DEPT), DELIST, l="L3", on="2026-06-15", reason="整改到位")
    assert body["data"]["delist"]["__typename"] == "ListingEnded", body
    return graph


def due(api, department: str, as_of: str) -> list[tuple[str, int]]:
    return [
        (n["listing"], n["daysOverdue"])
        for n in gql(api, DUE, d=department, asOf=as_of)["data"]["interviewsDue"]["nodes"]
    ]


def test_due_after_the_deadline_for_the_listing_department_until_held(api, listed):
    page = gql(api, DUE, d=DEPT, asOf="2026-07-01")["data"]["interviewsDue"]
    assert page["totalCount"] == 2
    assert page["nodes"][0] == {
        "listing": "L1",
        "list": "KEY_ATTENTION",
        "since": "2026-03-10",
        "rectifyBy": "2026-06-30",
        "daysOverdue": 1,
        "entity": {"uscc": FIRMS[1]},
        "person": None,
    }
    assert due(api, DEPT, "2026-07-01") == [("L1", 1), ("L4", 1)]
    assert due(api, DEPT, "2026-06-10") == [("L3", 10)]
    assert due(api, DEPT, "2026-06-30") == []  # the deadline day itself is not past it; L3 delisted
    assert due(api, OTHER, "2026-07-01") == [("L2", 31)]

    body = gql_as(
        api,
        officer(DEPT, "wang.li"),
        INTERVIEW,
        input={"listing": "L1", "heldOn": "2026-07-06", "summary": "约谈法定代表人，要求十日内整改"},
    )
    held = body["data"]["recordInterview"]
    assert held["__typename"] == "InterviewRecorded", body
    record = held["record"]
    assert (held["listing"], held["publishDueOn"], held["daysAfterDeadline"]) == ("L1", "2026-07-15", 6)
    assert {k: v for k, v in record.items() if k != "id"} == {
        "category": "INTERVIEW",
        "polarity": "NEGATIVE",
        "severity": "MINOR",
        "decidedOn": "2026-07-06",
        "summary": "约谈法定代表人，要求十日内整改",
        "status": "ACTIVE",
        "department": {"code": DEPT},
    }
    linked = listed.query("""MATCH (:Listing {id: 'L1'})-[:INTERVIEW]->(r:Record)-[:DECIDED_BY]->(d:Department)
                             MATCH (e:Entity)-[:HAS_RECORD]->(r) RETURN r.id AS id, e.uscc AS e, d.code AS d""")
    assert linked == [{"id": record["id"], "e": FIRMS[1], "d": DEPT}]
    assert due(api, DEPT, "2026-07-05") == [("L1", 5), ("L4", 5)]  # as of a day before it was held
    assert due(api, DEPT, "2026-07-10") == [("L4", 10)]
    log = gql(
        api,
        """query($s: SubjectInput!) { changeLog(subject: $s) { nodes { operation user kind key after } } }""",
        s={"uscc": FIRMS[1]},
    )["data"]["changeLog"]["nodes"]
    entry = next(e for e in log if e["operation"] == "recordInterview")
    assert (entry["user"], entry["kind"], entry["key"]) == ("wang.li", "RECORD", record["id"])
    assert entry["after"]["category"] == "INTERVIEW" and entry["after"]["decidedOn"] == "2026-07-06"


def test_an_interview_may_be_held_before_the_deadline(api, listed):
    body = gql_as(
        api,
        officer(DEPT),
        INTERVIEW,
        input={"listing": "L4", "heldOn": "2026-06-15", "summary": "提前约谈", "severity": "GENERAL"},
    )
    held = body["data"]["recordInterview"]
    assert (held["publishDueOn"], held["daysAfterDeadline"], held["record"]["severity"]) == (
        "2026-06-25",
        -15,
        "GENERAL",
    )
    assert due(api, DEPT, "2026-07-01") == [("L1", 1)]  # L4 no longer


def test_refusals_leave_nothing_written(api, listed):
    def interviews_written():
        return listed.query("""MATCH (r:Record {category: 'INTERVIEW'}) RETURN count(r) AS n
                               UNION ALL MATCH (c:Change {operation: 'recordInterview'}) RETURN count(c) AS n""")

    def attempt(actor, **input):
        return gql_as(api, actor, INTERVIEW, input={"summary": "约谈", **input})

    other = attempt(officer(OTHER), listing="L1", heldOn="2026-07-06")["data"]["recordInterview"]
    assert (other["__typename"], other["code"], other["field"]) == ("Refusal", "NOT_YOUR_DEPARTMENT", "listing")
    ended = attempt(officer(DEPT), listing="L3", heldOn="2026-06-20")["data"]["recordInterview"]
    assert (ended["code"], ended["field"]) == ("LISTING_NOT_IN_FORCE", "heldOn")
    before = attempt(officer(DEPT), listing="L1", heldOn="2026-03-09")["data"]["recordInterview"]
    assert before["code"] == "LISTING_NOT_IN_FORCE"
    assert attempt(officer(DEPT), listing="L404", heldOn="2026-07-06")["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (
        attempt(entity_user(FIRMS[1]), listing="L1", heldOn="2026-07-06")["errors"][0]["extensions"]["code"]
        == "FORBIDDEN"
    )
    assert attempt(officer(DEPT), listing="L1", heldOn="2099-01-01")["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "heldOn",
    }
    assert attempt(officer(DEPT), listing="L1", heldOn="2026-07-06", summary=" ")["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "summary",
    }
    assert interviews_written() == [{"n": 0}, {"n": 0}]
    assert due(api, DEPT, "2026-07-01") == [("L1", 1), ("L4", 1)]
