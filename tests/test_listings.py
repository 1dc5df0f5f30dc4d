"""Listing with its cascade, the closed loop of measures, and delisting — through GraphQL.

The graph is test_linkage's, without its listing L1: firm A fined on 2023-10-10 (R1). Listing A on
JOINT_PUNISHMENT from 2024-01-15 (window 2023-10-10..2024-01-15) binds MID (legal representative
2023-09-01..2023-12-01, replaced between violation and listing), NEW (2023-12-01..2024-03-01) and CTRL
(actual controller) — not OLD (left 2023-09-01), LATE (appointed 2024-03-01) or DIR (a director).
As of 2024-01-15 it flags O1 (A holds 60%) and O2 (O1 holds 51%) as OWNED, and M, where CTRL is a
director, as SHARED_RESPONSIBLE_PERSON; not O3 (30%), not N (CTRL's firm founded 2024-08-01, later).
Tasks are due 10 working days after 2024-01-15: 01-16..19, 01-22..26, 01-29 -> 2024-01-29.
"""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest

from graph_api.domain.catalogue import CATALOGUE_FILE
from tests.conftest import gql as gql_public
from tests.conftest import gql_as, officer
from tests.conftest import gql_reader as gql
from tests.test_linkage import CTRL, DEPT, MID, NEW, O1, O2, A, M, build

LIST = """mutation($input: ListingInput!) { listSubject(input: $input) {
  __typename
  ... on Listed { tasksPushed personsBound entitiesFlagged
                  impact { boundPersons { person { name } } relatedEntities { entity { uscc } flags { reason } } } }
  ... on Refusal { code message field } } }"""

DELIST = """mutation($l: String!, $on: Date, $reason: String!) { delist(listing: $l, on: $on, reason: $reason) {
  __typename ... on ListingEnded { status endedOn plannedUntil tasksEnded linksEnded }
  ... on Refusal { code message } } }"""

EXPOSURE = (
    """query($s: SubjectInput!, $asOf: Date) { exposure(subject: $s, asOf: $asOf) { bindings { listing { id } } } }"""
)

CZJ = "370200-CZJ"


def _measures() -> dict:
    return {m["code"]: m for m in json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["measures"]}


@pytest.fixture()
def unlisted(graph):
    outcome = graph.import_lines(
        [line for line in build() if line["kind"] != "listing"]
        + [{"kind": "department", "code": CZJ, "name": "青岛市财政局", "region": "370200"}]
    )
    assert outcome.code == 0, outcome.rejects
    return graph


def listing(**extra) -> dict:
    return {
        "subject": {"uscc": A},
        "list": "JOINT_PUNISHMENT",
        "basis": ["R1"],
        "since": "2024-01-15",
        "until": "2026-01-15",
        "rectifyBy": "2024-04-15",
        "id": "LX",
        **extra,
    }


def test_listing_binds_flags_and_pushes_tasks(api, unlisted):
    body = gql_as(api, officer(DEPT), LIST, input=listing())
    result = body["data"]["listSubject"]
    assert result["__typename"] == "Listed", body
    assert sorted(p["person"]["name"] for p in result["impact"]["boundPersons"]) == ["中李", "控刘", "新王"]
    assert result["personsBound"] == 3
    flags = {(e["entity"]["uscc"], f["reason"]) for e in result["impact"]["relatedEntities"] for f in e["flags"]}
    assert flags == {(O1, "OWNED"), (O2, "OWNED"), (M, "SHARED_RESPONSIBLE_PERSON")}
    assert result["entitiesFlagged"] == 3
    catalogue = _measures()
    defaults = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["lists"][0]
    assert defaults["code"] == "JOINT_PUNISHMENT"
    assert result["tasksPushed"] == sum(len(catalogue[c]["executors"]) for c in defaults["measures"])

    # what was written: bindings to exactly the three persons, the flags, the tasks with their subjects
    bound = unlisted.query("MATCH (:Listing {id: 'LX'})-[b:BINDS]->(p:Person) RETURN p.name AS name, b.roles AS roles")
    assert sorted((b["name"], tuple(b["roles"])) for b in bound) == [
        ("中李", ("LEGAL_REPRESENTATIVE",)),
        ("控刘", ("ACTUAL_CONTROLLER",)),
        ("新王", ("LEGAL_REPRESENTATIVE",)),
    ]
    appointment = unlisted.query("""MATCH (t:Task {measure: 'RESTRICT_APPOINTMENT'})-[:BINDS]->(s)
                                    RETURN collect(s.name) AS names, count(DISTINCT t) AS tasks""")[0]
    # binds PERSONS only: the three persons, not the firm; one task per executing department
    assert sorted(set(appointment["names"])) == ["中李", "控刘", "新王"]
    assert appointment["tasks"] == len(catalogue["RESTRICT_APPOINTMENT"]["executors"])

    # the bound person's exposure shows the new listing
    assert gql(api, EXPOSURE, s={"idNumber": MID}, asOf="2024-06-01")["data"]["exposure"]["bindings"] == [
        {"listing": {"id": "LX"}}
    ]


def test_listing_refusals_leave_nothing_written(api, unlisted):
    assert (
        gql_as(api, officer(DEPT), LIST, input=listing(basis=["nope"]))["data"]["listSubject"]["code"]
        == "BASIS_NOT_FOUND"
    )
    early = gql_as(api, officer(DEPT), LIST, input=listing(since="2023-10-01", until=None, rectifyBy=None))["data"][
        "listSubject"
    ]
    assert (early["code"], early["field"]) == ("BASIS_AFTER_LISTING", "basis")
    red = gql_as(api, officer(DEPT), LIST, input=listing(list="RED"))["data"]["listSubject"]
    assert red["code"] == "BASIS_POLARITY"
    bad = gql_as(api, officer(DEPT), LIST, input=listing(until="2024-01-01"))
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "until"}
    assert gql_public(api, LIST, input=listing())["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gql(api, LIST, input=listing())["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # an investigator
    assert unlisted.query("MATCH (n) WHERE n:Listing OR n:Task OR n:Change RETURN count(n) AS n")[0]["n"] == 0
    assert gql_as(api, officer(DEPT), LIST, input=listing())["data"]["listSubject"]["__typename"] == "Listed"
    twice = gql_as(api, officer(DEPT), LIST, input=listing(id="LY"))["data"]["listSubject"]
    assert twice["code"] == "ALREADY_LISTED"


TASKS = """query($d: String!, $statuses: [TaskStatus!]) { tasksToExecute(department: $d, statuses: $statuses) {
  totalCount nodes { id: taskId measureCode status dueOn
    details { measure { code } listing { id } subjects { kind name } } } } }"""
OPEN = """query($d: String!, $asOf: Date, $overdue: Boolean) {
  openTasks(department: $d, asOf: $asOf, overdueOnly: $overdue) { totalCount } }"""
REPORT = """mutation($t: String!, $o: TaskOutcome!, $r: String, $on: Date) {
  reportExecution(task: $t, outcome: $o, reason: $r, on: $on) {
  __typename ... on Task { status reportedOn reason } ... on Refusal { code } } }"""


def test_closed_loop_push_execute_feedback(api, unlisted):
    gql_as(api, officer(DEPT), LIST, input=listing())
    catalogue = _measures()
    czj_measures = sorted(c for c, m in catalogue.items() if "CZJ" in m["executors"] and c in _defaults())
    todo = gql(api, TASKS, d=CZJ)["data"]["tasksToExecute"]
    assert todo["totalCount"] == len(czj_measures) and sorted(n["measureCode"] for n in todo["nodes"]) == czj_measures
    assert {n["dueOn"] for n in todo["nodes"]} == {"2024-01-29"}
    bidding = next(n for n in todo["nodes"] if n["measureCode"] == "RESTRICT_BIDDING")
    assert bidding["details"]["listing"]["id"] == "LX"
    assert Counter(s["kind"] for s in bidding["details"]["subjects"]) == {"ENTITY": 1, "PERSON": 3}  # binds BOTH

    assert gql(api, OPEN, d=DEPT, asOf="2024-01-29", overdue=True)["data"]["openTasks"]["totalCount"] == 0
    total = gql(api, OPEN, d=DEPT, asOf="2024-01-30", overdue=False)["data"]["openTasks"]["totalCount"]
    assert gql(api, OPEN, d=DEPT, asOf="2024-01-30", overdue=True)["data"]["openTasks"]["totalCount"] == total > 0

    assert (
        gql_as(api, officer(DEPT), REPORT, t=bidding["id"], o="EXECUTED")["data"]["reportExecution"]["code"]
        == "NOT_YOUR_DEPARTMENT"
    )
    declined = gql_as(api, officer(CZJ), REPORT, t=bidding["id"], o="DECLINED")
    assert declined["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason"}
    done = gql_as(api, officer(CZJ), REPORT, t=bidding["id"], o="EXECUTED", on="2024-01-20")["data"]["reportExecution"]
    assert done == {"__typename": "Task", "status": "EXECUTED", "reportedOn": "2024-01-20", "reason": None}
    again = gql_as(api, officer(CZJ), REPORT, t=bidding["id"], o="EXECUTED")["data"]["reportExecution"]
    assert again["code"] == "ALREADY_REPORTED"
    assert gql(api, OPEN, d=DEPT, asOf="2024-01-30", overdue=True)["data"]["openTasks"]["totalCount"] == total - 1
    assert gql(api, TASKS, d=CZJ, statuses=["EXECUTED"])["data"]["tasksToExecute"]["totalCount"] == 1


def _defaults() -> list[str]:
    return json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["lists"][0]["measures"]


def test_delisting_ends_the_cascade_and_keeps_history(api, unlisted):
    listed = gql_as(api, officer(DEPT), LIST, input=listing())["data"]["listSubject"]
    ended = gql_as(api, officer(DEPT), DELIST, l="LX", on="2024-06-01", reason="整改完成")["data"]["delist"]
    assert ended == {
        "__typename": "ListingEnded",
        "status": "DELISTED",
        "endedOn": "2024-06-01",
        "plannedUntil": "2026-01-15",
        "tasksEnded": listed["tasksPushed"],
        "linksEnded": 6,
    }
    # as of before the delisting the person was bound; after it, not
    assert gql(api, EXPOSURE, s={"idNumber": NEW}, asOf="2024-05-31")["data"]["exposure"]["bindings"] == [
        {"listing": {"id": "LX"}}
    ]
    assert gql(api, EXPOSURE, s={"idNumber": NEW}, asOf="2024-06-01")["data"]["exposure"]["bindings"] == []
    assert gql(api, EXPOSURE, s={"idNumber": CTRL}, asOf="2024-06-02")["data"]["exposure"]["bindings"] == []
    links = unlisted.query(
        "MATCH (:Listing {id: 'LX'})-[b:BINDS|FLAGS]->() RETURN collect(DISTINCT b.status) AS s, "
        "collect(DISTINCT b.until) AS until"
    )[0]
    assert links["s"] == ["ENDED"] and [str(u) for u in links["until"]] == ["2024-06-01"]
    log = gql(
        api, "query($s: SubjectInput!) { changeLog(subject: $s) { nodes { operation before after } } }", s={"uscc": A}
    )["data"]["changeLog"]["nodes"]
    assert [c["operation"] for c in log] == ["delist", "listSubject"]
    assert (log[0]["before"]["status"], log[0]["after"]["status"], log[0]["after"]["until"]) == (
        "ACTIVE",
        "DELISTED",
        "2024-06-01",
    )


def test_two_officers_delisting_at_once_one_wins(api, unlisted):
    gql_as(api, officer(DEPT), LIST, input=listing())
    results: list[dict] = []

    def delist(user: str) -> None:
        results.append(gql_as(api, officer(DEPT, user), DELIST, l="LX", on="2024-06-01", reason=f"by {user}"))

    threads = [threading.Thread(target=delist, args=(u,)) for u in ("officer-a", "officer-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kinds = sorted(r["data"]["delist"]["__typename"] for r in results)
    assert kinds == ["ListingEnded", "Refusal"], results
    refusal = next(r["data"]["delist"] for r in results if r["data"]["delist"]["__typename"] == "Refusal")
    assert refusal["code"] == "ALREADY_ENDED"
    changes = unlisted.query("MATCH (c:Change {operation: 'delist'}) RETURN count(c) AS n")[0]["n"]
    assert changes == 1
    assert (
        unlisted.query("MATCH (l:Listing {id: 'LX'}) RETURN l.status AS s, l.plannedUntil AS p")[0]["s"] == "DELISTED"
    )
    assert str(unlisted.query("MATCH (l:Listing {id: 'LX'}) RETURN l.plannedUntil AS p")[0]["p"]) == "2026-01-15"
