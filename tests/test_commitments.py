"""Credit commitments (信用承诺): made by the entity, fulfilled or breached by the department it was made
to; a breach becomes a COMMITMENT_BREACH record; a closed commitment cannot change again.

Worked by hand. Firm F commits to 370200-SCJG:
- C1, approval substitution, made 2026-06-01, due 2026-08-31 -> as of 08-31 PENDING, as of 09-01 OVERDUE.
  Breached on Friday 2026-09-25 (GENERAL): a COMMITMENT_BREACH record of SCJG on F, due for publication
  on Monday 2026-10-12 (working days 09-28, 09-29, 09-30, 10-08, 10-09, the swapped Saturday 10-10,
  10-12; National Day 10-01..10-07 off). As of 09-24 it is still OVERDUE (time rule); from 09-25 BREACHED.
- C2, voluntary, made 2026-07-01, no due day, fulfilled 2026-07-15: no record.
- C3, credit repair, made 2026-05-01, due 2026-10-31, left open.
- C4 (to 370200-SWJ), not in SCJG's list.
As of 2026-11-01: C1 BREACHED, C2 FULFILLED, C3 OVERDUE; soonest due first: C1 (08-31), C3 (10-31),
C2 (no due day, last). OVERDUE -> [C3]; PENDING -> []; as of 2026-10-01 PENDING -> [C3];
due before 2026-10-01 -> [C1].
"""

from __future__ import annotations

import threading

import httpx
import pytest

from tests.conftest import entity_user, gql_as, officer
from tests.conftest import gql_reader as gql
from tests.test_linkage import uscc

FIRM, STRANGER = uscc(61), uscc(62)
DEPT, OTHER = "370200-SCJG", "370200-SWJ"

MAKE = """mutation($input: CommitmentInput!) { makeCommitment(input: $input) { __typename
  ... on CommitmentMade { commitment { id type matter madeOn dueOn status state closedOn entity { uscc }
                                       department { code } breachRecord } }
  ... on Refusal { code message field } } }"""

FULFIL = """mutation($id: String!, $on: Date) { fulfilCommitment(id: $id, on: $on) { __typename
  ... on CommitmentFulfilled { commitment { id status state closedOn breachRecord } }
  ... on Refusal { code message field } } }"""

BREACH = """mutation($id: String!, $on: Date, $summary: String!, $severity: Severity!) {
  breachCommitment(id: $id, on: $on, summary: $summary, severity: $severity) { __typename
  ... on CommitmentBreached { publishDueOn commitment { id status state closedOn breachRecord }
                              record { id: recordId category polarity severity decidedOn status summary
                                       department { code } } }
  ... on Refusal { code message field } } }"""

LIST = """query($d: String!, $status: CommitmentState, $dueBefore: Date, $asOf: Date, $first: Int = 20,
  $after: String) {
  commitments(department: $d, status: $status, dueBefore: $dueBefore, asOf: $asOf, first: $first, after: $after) {
    totalCount nodes { id state } pageInfo { hasNextPage endCursor } } }"""


@pytest.fixture()
def firm(graph):
    outcome = graph.import_lines(
        [
            {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
            {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"},
            {
                "kind": "entity",
                "uscc": FIRM,
                "name": "青岛承诺测试有限公司",
                "form": "COMPANY",
                "status": "ACTIVE",
                "region": "370200",
                "established": "2015-01-01",
            },
        ]
    )
    assert outcome.code == 0, outcome.rejects
    return graph


def commitment(id: str, made_on: str, due_on: str | None, type: str = "APPROVAL_SUBSTITUTION", department: str = DEPT):
    return {
        "id": id,
        "type": type,
        "matter": "三个月内补交消防验收合格证明",
        "madeOn": made_on,
        "dueOn": due_on,
        "department": department,
    }


def make(api, *items) -> None:
    for item in items:
        body = gql_as(api, entity_user(FIRM), MAKE, input=item)
        assert body["data"]["makeCommitment"]["__typename"] == "CommitmentMade", body


def written(graph) -> dict[str, int]:
    rows = graph.query(
        "MATCH (n) WHERE n:Commitment OR n:Record OR n:Change "
        "RETURN labels(n)[0] AS label, count(*) AS n, max(n.status) AS status"
    )
    return {r["label"]: (r["n"], r["status"]) for r in rows}


def test_made_then_breached_becomes_a_negative_record(api, firm):
    made = gql_as(api, entity_user(FIRM), MAKE, input=commitment("C1", "2026-06-01", "2026-08-31"))["data"][
        "makeCommitment"
    ]
    assert made == {
        "__typename": "CommitmentMade",
        "commitment": {
            "id": "C1",
            "type": "APPROVAL_SUBSTITUTION",
            "matter": "三个月内补交消防验收合格证明",
            "madeOn": "2026-06-01",
            "dueOn": "2026-08-31",
            "status": "PENDING",
            "state": "OVERDUE",
            "closedOn": None,
            "entity": {"uscc": FIRM},
            "department": {"code": DEPT},
            "breachRecord": None,
        },
    }  # state as of today, long after 08-31
    assert gql(api, LIST, d=DEPT, asOf="2026-08-31")["data"]["commitments"]["nodes"] == [
        {"id": "C1", "state": "PENDING"}
    ]
    assert gql(api, LIST, d=DEPT, asOf="2026-09-01")["data"]["commitments"]["nodes"] == [
        {"id": "C1", "state": "OVERDUE"}
    ]

    body = gql_as(
        api, officer(DEPT), BREACH, id="C1", on="2026-09-25", summary="未按期补交消防验收合格证明", severity="GENERAL"
    )
    breached = body["data"]["breachCommitment"]
    assert breached["__typename"] == "CommitmentBreached", body
    record = breached["record"]
    assert breached["publishDueOn"] == "2026-10-12"
    assert breached["commitment"] == {
        "id": "C1",
        "status": "BREACHED",
        "state": "BREACHED",
        "closedOn": "2026-09-25",
        "breachRecord": record["id"],
    }
    assert {k: v for k, v in record.items() if k != "id"} == {
        "category": "COMMITMENT_BREACH",
        "polarity": "NEGATIVE",
        "severity": "GENERAL",
        "decidedOn": "2026-09-25",
        "status": "ACTIVE",
        "summary": "未按期补交消防验收合格证明",
        "department": {"code": DEPT},
    }
    # in the graph: the record is the firm's, decided by SCJG, linked from the commitment, due for publication
    linked = firm.query("""MATCH (c:Commitment {id: 'C1'})-[:BREACH_RECORD]->(r:Record)-[:DECIDED_BY]->(d:Department)
                           MATCH (e:Entity)-[:HAS_RECORD]->(r) RETURN r.id AS id, d.code AS d, e.uscc AS e,
                           toString(r.publishDueOn) AS due""")
    assert linked == [{"id": record["id"], "d": DEPT, "e": FIRM, "due": "2026-10-12"}]
    # as of the day before the breach it was overdue; from the breach on, breached
    assert gql(api, LIST, d=DEPT, asOf="2026-09-24")["data"]["commitments"]["nodes"] == [
        {"id": "C1", "state": "OVERDUE"}
    ]
    assert gql(api, LIST, d=DEPT, asOf="2026-09-25")["data"]["commitments"]["nodes"] == [
        {"id": "C1", "state": "BREACHED"}
    ]
    # the entity's view shows it, and its records the breach
    view = gql(
        api,
        """query($u: USCC!) { entity(uscc: $u) { commitments { id status breachRecord }
                        records { nodes { id: recordId category } } } }""",
        u=FIRM,
    )["data"]["entity"]
    assert view["commitments"] == [{"id": "C1", "status": "BREACHED", "breachRecord": record["id"]}]
    assert view["records"]["nodes"] == [{"id": record["id"], "category": "COMMITMENT_BREACH"}]
    # the history: made (by the entity user), then breached: the commitment's change and the new record
    log = gql(
        api,
        """query($s: SubjectInput!) { changeLog(subject: $s) { nodes { operation user entity department
              kind key before after } } }""",
        s={"uscc": FIRM},
    )["data"]["changeLog"]["nodes"]
    assert sorted((e["operation"], e["kind"], e["key"]) for e in log) == [
        ("breachCommitment", "COMMITMENT", "C1"),
        ("breachCommitment", "RECORD", record["id"]),
        ("makeCommitment", "COMMITMENT", "C1"),
    ]
    made_entry = next(e for e in log if e["operation"] == "makeCommitment")
    assert (made_entry["user"], made_entry["entity"], made_entry["department"], made_entry["before"]) == (
        "entity-user-1",
        FIRM,
        None,
        None,
    )
    closed_entry = next(e for e in log if e["kind"] == "COMMITMENT" and e["operation"] == "breachCommitment")
    assert closed_entry["before"] == {"status": "PENDING", "closedOn": None}
    assert closed_entry["after"] == {"status": "BREACHED", "closedOn": "2026-09-25"}


def test_fulfilled_and_the_department_list(api, firm):
    make(
        api,
        commitment("C1", "2026-06-01", "2026-08-31"),
        commitment("C2", "2026-07-01", None, "VOLUNTARY"),
        commitment("C3", "2026-05-01", "2026-10-31", "CREDIT_REPAIR"),
        commitment("C4", "2026-05-01", "2026-06-01", department=OTHER),
    )
    fulfilled = gql_as(api, officer(DEPT), FULFIL, id="C2", on="2026-07-15")["data"]["fulfilCommitment"]
    assert fulfilled == {
        "__typename": "CommitmentFulfilled",
        "commitment": {
            "id": "C2",
            "status": "FULFILLED",
            "state": "FULFILLED",
            "closedOn": "2026-07-15",
            "breachRecord": None,
        },
    }
    assert (
        gql_as(api, officer(DEPT), BREACH, id="C1", on="2026-09-25", summary="未履行", severity="GENERAL")["data"][
            "breachCommitment"
        ]["__typename"]
        == "CommitmentBreached"
    )
    assert firm.query("MATCH (r:Record) RETURN count(r) AS n") == [{"n": 1}]  # fulfilment records nothing

    page = gql(api, LIST, d=DEPT, asOf="2026-11-01")["data"]["commitments"]
    assert page["totalCount"] == 3
    assert page["nodes"] == [
        {"id": "C1", "state": "BREACHED"},
        {"id": "C3", "state": "OVERDUE"},
        {"id": "C2", "state": "FULFILLED"},
    ]
    ids = lambda **kw: [n["id"] for n in gql(api, LIST, d=DEPT, **kw)["data"]["commitments"]["nodes"]]  # noqa: E731
    assert ids(asOf="2026-11-01", status="OVERDUE") == ["C3"]
    assert ids(asOf="2026-11-01", status="PENDING") == []
    assert ids(asOf="2026-10-01", status="PENDING") == ["C3"]
    assert ids(asOf="2026-11-01", dueBefore="2026-10-01") == ["C1"]
    assert ids(asOf="2026-11-01", status="FULFILLED") == ["C2"]
    assert ids(asOf="2026-07-14", status="FULFILLED") == []  # not yet fulfilled on that day
    first = gql(api, LIST, d=DEPT, asOf="2026-11-01", first=2)["data"]["commitments"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = gql(api, LIST, d=DEPT, asOf="2026-11-01", first=2, after=first["pageInfo"]["endCursor"])["data"][
        "commitments"
    ]
    assert [n["id"] for n in rest["nodes"]] == ["C2"] and rest["pageInfo"]["hasNextPage"] is False
    assert [n["id"] for n in gql(api, LIST, d=OTHER, asOf="2026-11-01")["data"]["commitments"]["nodes"]] == ["C4"]


def test_refusals_leave_nothing_written(api, firm):
    make(api, commitment("C1", "2026-06-01", "2026-08-31"), commitment("C2", "2026-07-01", None, "VOLUNTARY"))
    assert (
        gql_as(api, officer(DEPT), FULFIL, id="C2", on="2026-07-15")["data"]["fulfilCommitment"]["__typename"]
        == "CommitmentFulfilled"
    )
    before = written(firm)
    assert before == {"Commitment": (2, "PENDING"), "Change": (3, None)}

    def refusal(query, actor=None, **variables):
        body = gql_as(api, officer(DEPT) if actor is None else actor, query, **variables)
        result = next(iter(body["data"].values()))
        assert result["__typename"] == "Refusal", body
        return result["code"], result["field"]

    assert refusal(FULFIL, id="C2", on="2026-07-16") == ("ALREADY_CLOSED", None)
    assert refusal(BREACH, id="C2", on="2026-07-16", summary="x", severity="MINOR") == ("ALREADY_CLOSED", None)
    assert refusal(BREACH, officer(OTHER), id="C1", on="2026-09-25", summary="x", severity="MINOR") == (
        "NOT_YOUR_DEPARTMENT",
        None,
    )
    assert refusal(BREACH, id="C1", on="2026-05-31", summary="x", severity="MINOR") == ("BEFORE_COMMITMENT", "on")
    assert refusal(MAKE, entity_user(FIRM), input=commitment("C1", "2026-06-01", None)) == ("DUPLICATE_ID", "id")
    assert refusal(MAKE, entity_user(FIRM), input=commitment("C9", "2026-06-01", None, department="370200-XXX")) == (
        "UNKNOWN_DEPARTMENT",
        "department",
    )
    assert refusal(MAKE, entity_user(STRANGER), input=commitment("C9", "2026-06-01", None)) == ("NOT_FOUND", None)

    def error(query, actor, **variables):
        body = gql_as(api, actor, query, **variables)
        assert body["data"] is None, body
        return body["errors"][0]["extensions"]

    # an officer does not make commitments for an entity; an entity does not close its own
    assert error(MAKE, officer(DEPT), input=commitment("C9", "2026-06-01", None))["code"] == "FORBIDDEN"
    assert error(FULFIL, entity_user(FIRM), id="C1", on="2026-07-01")["code"] == "FORBIDDEN"
    assert error(MAKE, entity_user(FIRM), input=commitment("C9", "2026-06-01", "2026-05-31")) == {
        "code": "BAD_USER_INPUT",
        "field": "dueOn",
    }
    assert error(MAKE, entity_user(FIRM), input={**commitment("C9", "2026-06-01", None), "matter": " "}) == {
        "code": "BAD_USER_INPUT",
        "field": "matter",
    }
    assert error(MAKE, entity_user(FIRM), input=commitment("C9", "2099-06-01", None)) == {
        "code": "BAD_USER_INPUT",
        "field": "madeOn",
    }
    assert error(FULFIL, officer(DEPT), id="C1", on="2099-01-01") == {"code": "BAD_USER_INPUT", "field": "on"}
    assert error(FULFIL, officer(DEPT), id="C404", on="2026-07-01")["code"] == "NOT_FOUND"
    assert written(firm) == before
    assert firm.query("MATCH (c:Commitment {id: 'C1'}) RETURN c.status AS s, c.closedOn AS on") == [
        {"s": "PENDING", "on": None}
    ]


ROUNDS = 4


def test_two_officers_closing_at_once_one_wins(api, firm):
    """Each round, one officer fulfils and another breaches the same commitment at the same moment:
    exactly one succeeds, the other is refused ALREADY_CLOSED; one history entry for the commitment,
    and a breach record only when the breach won."""
    make(api, *(commitment(f"K{i}", "2026-06-01", "2026-08-31") for i in range(ROUNDS)))
    wins: list[str] = []

    def close(barrier, results, name, query, actor, **variables):
        with httpx.Client(base_url=api.base_url, timeout=60) as client:
            barrier.wait()
            results[name] = next(iter(gql_as(client, actor, query, **variables)["data"].values()))

    for i in range(ROUNDS):
        barrier, results = threading.Barrier(2), {}
        threads = [
            threading.Thread(
                target=close,
                args=(barrier, results, "fulfil", FULFIL, officer(DEPT, "wang.li")),
                kwargs={"id": f"K{i}", "on": "2026-09-01"},
            ),
            threading.Thread(
                target=close,
                args=(barrier, results, "breach", BREACH, officer(DEPT, "zhao.min")),
                kwargs={"id": f"K{i}", "on": "2026-09-01", "summary": "未履行", "severity": "MINOR"},
            ),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        kinds = sorted(r["__typename"] for r in results.values())
        assert kinds in (["CommitmentFulfilled", "Refusal"], ["CommitmentBreached", "Refusal"]), results
        assert next(r for r in results.values() if r["__typename"] == "Refusal")["code"] == "ALREADY_CLOSED"
        winner = "breach" if "CommitmentBreached" in kinds else "fulfil"
        wins.append(winner)
        state = firm.query(
            """MATCH (c:Commitment {id: $id})
            RETURN c.status AS status, COUNT { (c)-[:BREACH_RECORD]->() } AS records,
                   COUNT { (:Change)-[:ABOUT]->(c) WHERE true } AS changes""",
            id=f"K{i}",
        )
        assert state == [
            {
                "status": "BREACHED" if winner == "breach" else "FULFILLED",
                "records": 1 if winner == "breach" else 0,
                "changes": 2,
            }
        ]  # made + closed
    assert firm.query("MATCH (r:Record) RETURN count(r) AS n") == [{"n": wins.count("breach")}]
