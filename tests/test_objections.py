"""Objections through GraphQL, on test_linkage's graph without its listing, plus a second penalty R2
(GENERAL, decided 2023-11-20, published 2023-11-22) and a record RP about the person CTRL.

LX lists firm A on JOINT_PUNISHMENT from 2024-01-15 until 2026-01-15 on the basis of R1 and R2.
- Objection to R1 raised Friday 2024-03-01: due 7 working days later, 03-04..03-08, 03-11, 03-12 ->
  2024-03-12. Upheld on 2024-03-05 with revocation: R1 REVOKED, LX loses R1 as a basis (kept, marked
  withdrawn) but still rests on R2: LX stays in force.
- Objection to R2 raised Monday 2024-04-01: 04-02, 04-03, (Qingming 04-04..04-06 off), Sunday 04-07
  worked, 04-08..04-11 -> due 2024-04-11. Upheld on 2024-04-08 correcting R2 to MINOR: no valid basis
  is left, LX is WITHDRAWN from 2024-04-08 with its bindings and tasks; NEW is exposed as of 2024-04-07,
  not as of 2024-04-08.
- Objection raised Friday 2026-09-25 is due Monday 2026-10-12 (National Day 10-01..10-07 off, Saturday
  10-10 worked): not overdue as of 10-12, overdue as of 10-13; answered on 10-14, late; as of 10-13 it
  still reads overdue, as of 10-14 not.
"""

from __future__ import annotations

import pytest

from tests.conftest import entity_user, gql_as, gql_reader, officer
from tests.conftest import gql_reader as gql
from tests.test_linkage import CTRL, DEPT, NEW, A, build
from tests.test_listings import listing
from tests.test_repair import list_subject

OTHER = "370200-SWJ"

RAISE = """mutation($input: ObjectionInput!) { raiseObjection(input: $input) {
  __typename
  ... on Objection { id status target { kind id } raisedOn dueOn filedBy answeredOn }
  ... on Refusal { code message field } } }"""

ANSWER = """mutation($id: String!, $upheld: Boolean!, $answer: String!, $correction: CorrectionInput, $on: Date) {
  answerObjection(id: $id, upheld: $upheld, answer: $answer, correction: $correction, on: $on) {
  __typename
  ... on ObjectionAnswered { objection { status answeredOn late } correctedRecord withdrawnBases withdrawnListings }
  ... on Refusal { code message field } } }"""

EXPOSURE = (
    """query($s: SubjectInput!, $asOf: Date) { exposure(subject: $s, asOf: $asOf) { bindings { listing { id } } } }"""
)
OVERDUE = """query($d: String!, $asOf: Date) {
  overdueObjections(department: $d, asOf: $asOf) { totalCount nodes { dueOn target { id } } } }"""


@pytest.fixture()
def listed(api, graph):
    outcome = graph.import_lines(
        [line for line in build() if line["kind"] != "listing"]
        + [
            {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"},
            {
                "kind": "record",
                "id": "R2",
                "subject": {"entity": A},
                "category": "PENALTY",
                "severity": "GENERAL",
                "department": DEPT,
                "decidedOn": "2023-11-20",
                "publishedOn": "2023-11-22",
            },
            {
                "kind": "record",
                "id": "RP",
                "subject": {"person": CTRL},
                "category": "PENALTY",
                "severity": "MINOR",
                "department": DEPT,
                "decidedOn": "2024-02-01",
                "publishedOn": "2024-02-02",
            },
        ]
    )
    assert outcome.code == 0, outcome.rejects
    body = list_subject(api, listing(basis=["R1", "R2"]))
    assert body["data"]["listSubject"]["__typename"] == "Listed", body
    return graph


def objection(target: dict, raised_on: str) -> dict:
    return {"target": target, "reason": "处罚认定的事实有误", "raisedOn": raised_on}


def test_listing_is_withdrawn_only_when_no_basis_remains(api, listed):
    first = gql_as(api, entity_user(A), RAISE, input=objection({"record": "R1"}, "2024-03-01"))["data"][
        "raiseObjection"
    ]
    assert {k: first[k] for k in ("status", "target", "raisedOn", "dueOn", "filedBy")} == {
        "status": "OPEN",
        "target": {"kind": "RECORD", "id": "R1"},
        "raisedOn": "2024-03-01",
        "dueOn": "2024-03-12",
        "filedBy": "SUBJECT",
    }
    revoked = gql_as(
        api,
        officer(DEPT),
        ANSWER,
        id=first["id"],
        upheld=True,
        answer="事实认定错误，撤销",
        correction={"revoke": True},
        on="2024-03-05",
    )["data"]["answerObjection"]
    assert revoked == {
        "__typename": "ObjectionAnswered",
        "objection": {"status": "UPHELD", "answeredOn": "2024-03-05", "late": False},
        "correctedRecord": "R1",
        "withdrawnBases": ["LX"],
        "withdrawnListings": [],
    }
    assert listed.query("MATCH (l:Listing {id: 'LX'}) RETURN l.status AS s") == [{"s": "ACTIVE"}]
    assert gql_reader(api, EXPOSURE, s={"idNumber": NEW}, asOf="2024-04-07")["data"]["exposure"]["bindings"] == [
        {"listing": {"id": "LX"}}
    ]
    # a revoked decision is not shown to the public, not even as of a day before the revocation
    public = gql(
        api, 'query($u: USCC!) { publicRecords(uscc: $u, asOf: "2024-02-01") { nodes { id: recordId } } }', u=A
    )
    assert public["data"]["publicRecords"]["nodes"] == [{"id": "R2"}]

    second = gql_as(api, entity_user(A), RAISE, input=objection({"record": "R2"}, "2024-04-01"))["data"][
        "raiseObjection"
    ]
    assert second["dueOn"] == "2024-04-11"
    corrected = gql_as(
        api,
        officer(DEPT),
        ANSWER,
        id=second["id"],
        upheld=True,
        answer="情节轻微，更正为轻微",
        correction={"severity": "MINOR", "summary": "更正后的事实"},
        on="2024-04-08",
    )["data"]["answerObjection"]
    assert (corrected["correctedRecord"], corrected["withdrawnBases"], corrected["withdrawnListings"]) == (
        "R2",
        ["LX"],
        ["LX"],
    )

    rows = listed.query("""MATCH (l:Listing {id: 'LX'}) RETURN l.status AS status, toString(l.until) AS until,
        COLLECT { MATCH (l)-[b:BINDS]->() RETURN DISTINCT b.status } AS bindings,
        COLLECT { MATCH (t:Task)-[:FOR]->(l) RETURN DISTINCT t.status } AS tasks,
        COLLECT { MATCH (l)-[b:BASED_ON]->(r) RETURN [r.id, r.status, b.withdrawn, toString(b.withdrawnOn)] }
          AS bases""")
    state = rows[0]
    assert (state["status"], state["until"], state["bindings"], state["tasks"]) == (
        "WITHDRAWN",
        "2024-04-08",
        ["WITHDRAWN"],
        ["WITHDRAWN"],
    )
    assert sorted(state["bases"]) == [["R1", "REVOKED", True, "2024-03-05"], ["R2", "CORRECTED", True, "2024-04-08"]]
    assert gql_reader(api, EXPOSURE, s={"idNumber": NEW}, asOf="2024-04-07")["data"]["exposure"]["bindings"] == [
        {"listing": {"id": "LX"}}
    ]
    assert gql_reader(api, EXPOSURE, s={"idNumber": NEW}, asOf="2024-04-08")["data"]["exposure"]["bindings"] == []

    # the correction keeps the previous values in the history entry
    log = gql(
        api,
        "query($s: SubjectInput!) { changeLog(subject: $s) { nodes { operation kind key before after } } }",
        s={"uscc": A},
    )["data"]["changeLog"]["nodes"]
    change = next(c for c in log if c["kind"] == "RECORD" and c["key"] == "R2")
    assert (change["operation"], change["before"]["severity"], change["after"]["severity"]) == (
        "answerObjection",
        "GENERAL",
        "MINOR",
    )
    assert (change["before"]["status"], change["after"]["status"]) == ("ACTIVE", "CORRECTED")


def test_rejected_objections_refusals_and_a_listing_objection(api, listed):
    other = gql_as(api, officer(OTHER), RAISE, input=objection({"listing": "LX"}, "2024-03-01"))
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    opened = gql_as(api, entity_user(A), RAISE, input=objection({"listing": "LX"}, "2024-03-01"))["data"][
        "raiseObjection"
    ]
    assert opened["target"] == {"kind": "LISTING", "id": "LX"}
    dup = gql_as(api, entity_user(A), RAISE, input=objection({"listing": "LX"}, "2024-03-02"))["data"]["raiseObjection"]
    assert dup["code"] == "OBJECTION_OPEN"
    assert (
        gql_as(api, officer(OTHER), ANSWER, id=opened["id"], upheld=False, answer="x")["data"]["answerObjection"][
            "code"
        ]
        == "NOT_YOUR_DEPARTMENT"
    )
    wrong = gql_as(api, officer(DEPT), ANSWER, id=opened["id"], upheld=False, answer="x", correction={"revoke": True})
    assert wrong["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "correction"}
    rejected = gql_as(api, officer(DEPT), ANSWER, id=opened["id"], upheld=False, answer="列入依据充分", on="2024-03-20")
    assert rejected["data"]["answerObjection"] == {
        "__typename": "ObjectionAnswered",
        "objection": {"status": "REJECTED", "answeredOn": "2024-03-20", "late": True},
        "correctedRecord": None,
        "withdrawnBases": [],
        "withdrawnListings": [],
    }
    assert listed.query("MATCH (l:Listing {id: 'LX'}) RETURN l.status AS s") == [{"s": "ACTIVE"}]
    again = gql_as(api, officer(DEPT), ANSWER, id=opened["id"], upheld=True, answer="x")["data"]["answerObjection"]
    assert again["code"] == "ALREADY_ANSWERED"

    # upheld on the listing itself: withdrawn, whatever its bases
    reopened = gql_as(api, entity_user(A), RAISE, input=objection({"listing": "LX"}, "2024-05-06"))["data"][
        "raiseObjection"
    ]
    upheld = gql_as(api, officer(DEPT), ANSWER, id=reopened["id"], upheld=True, answer="程序违法", on="2024-05-08")
    assert upheld["data"]["answerObjection"]["withdrawnListings"] == ["LX"]
    assert listed.query(
        "MATCH (l:Listing {id: 'LX'})-[:BASED_ON]->(r) RETURN DISTINCT l.status AS l, r.status AS r"
    ) == [{"l": "WITHDRAWN", "r": "ACTIVE"}]

    # a person subject: an officer of the deciding department files on the person's behalf
    assert (
        gql_as(api, entity_user(A), RAISE, input=objection({"record": "RP"}, "2024-03-01"))["data"]["raiseObjection"][
            "code"
        ]
        == "NOT_YOUR_SUBJECT"
    )
    behalf = gql_as(api, officer(DEPT), RAISE, input=objection({"record": "RP"}, "2024-03-01"))["data"][
        "raiseObjection"
    ]
    assert behalf["filedBy"] == "OFFICER_ON_BEHALF"
    mine = gql_reader(
        api,
        "query($s: SubjectInput!) { objections(subject: $s) { totalCount nodes { target { id } status } } }",
        s={"idNumber": CTRL},
    )["data"]["objections"]
    assert mine == {"totalCount": 1, "nodes": [{"target": {"id": "RP"}, "status": "OPEN"}]}


def test_overdue_objections_across_the_october_holiday(api, listed):
    raised = gql_as(api, entity_user(A), RAISE, input=objection({"record": "R2"}, "2026-09-25"))["data"][
        "raiseObjection"
    ]
    assert raised["dueOn"] == "2026-10-12"
    assert gql(api, OVERDUE, d=DEPT, asOf="2026-10-12")["data"]["overdueObjections"]["totalCount"] == 0
    assert gql(api, OVERDUE, d=DEPT, asOf="2026-10-13")["data"]["overdueObjections"] == {
        "totalCount": 1,
        "nodes": [{"dueOn": "2026-10-12", "target": {"id": "R2"}}],
    }
    assert gql(api, OVERDUE, d=OTHER, asOf="2026-10-13")["data"]["overdueObjections"]["totalCount"] == 0
    answered = gql_as(api, officer(DEPT), ANSWER, id=raised["id"], upheld=False, answer="维持原决定", on="2026-10-14")
    assert answered["data"]["answerObjection"]["objection"] == {
        "status": "REJECTED",
        "answeredOn": "2026-10-14",
        "late": True,
    }
    assert gql(api, OVERDUE, d=DEPT, asOf="2026-10-13")["data"]["overdueObjections"]["totalCount"] == 1
    assert gql(api, OVERDUE, d=DEPT, asOf="2026-10-14")["data"]["overdueObjections"]["totalCount"] == 0
    listed_objections = gql(
        api, "query($s: SubjectInput!) { objections(subject: $s) { totalCount nodes { status } } }", s={"uscc": A}
    )["data"]["objections"]
    assert listed_objections == {"totalCount": 1, "nodes": [{"status": "REJECTED"}]}
