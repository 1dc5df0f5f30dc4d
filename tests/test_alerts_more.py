"""The remaining alert causes, over GraphQL HTTP's `alerts` inbox and the CLI, on a graph built by hand:
imported records and listings, a firm established by a bound person, deadlines and grade changes from
`graph-api scan deadlines`.

The graph: departments D (370200-SCJG) and TAX (370200-SWJ); entities A (legal representative P since 2015),
C, G (no facts), all established 2015; person P.

Worked out by hand, in order:
1. watcher-a (of FGW) watches A (every kind) and G (GRADE only); watcher-b (of RSJ) watches P.
2. An import brings R0 (about P, published), R1 (about A, decided 2025-06-10 by D, never published), LA
   (A on KEY_ATTENTION on R1), LP (P on JOINT_PUNISHMENT on R0, since 2025-07-01), RC (about C, published),
   commitments K1 (C to TAX, due 2025-09-03) and K2 (due 2025-10-01) → watcher-a: RECORD R1, LISTING LA;
   watcher-b: RECORD R0, LISTING LP.
3. An import whose record names no known department and whose listing rests on no record is rejected:
   nothing.
4. An import brings entity B established 2025-08-01 with P its legal representative from that day (P founded
   it, after LP began: REAPPEARANCE "established") and P a director of C since 2025-08-05 (a plain
   REAPPEARANCE) → each to D (LP's department) and watcher-b.
5. D lists C on JOINT_PUNISHMENT on RC since 2025-08-25 with one measure (INCREASED_INSPECTION, executor
   370200-SCJG = D): one task, feedback due 10 working days later, 2025-09-08. A objects to R1 on 2025-08-28:
   answer due 7 working days later, 2025-09-08, from D.
6. Scan as of 2025-09-01, 3 working days ahead (through 2025-09-04): R1's publication (due 2025-06-19) lapsed →
   D and watcher-a; K1 due 2025-09-03 → DEADLINE_SOON to TAX. A and G are seen for the first time: no GRADE.
   The same scan again raises nothing.
7. An import brings RG (about G, SERIOUS, published 2025-09-02): G's grade goes from B to E.
8. Scan as of 2025-09-05 (through 2025-09-10): K1 lapsed → TAX; the objection's answer and the task's feedback
   (both due 2025-09-08) near → D (and watcher-a for the objection, A filed it); G's grade B → E → watcher-a.
   R1 stays lapsed: nothing again. Scanning the next day raises nothing new.
So D's officer reads 5 alerts, TAX's 2, watcher-a 5, watcher-b 4, a stranger none.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import entity_user, gql_as, officer
from tests.test_linkage import ric, uscc

A, B, C, G = uscc(91), uscc(92), uscc(93), uscc(94)
P = ric(91)
D, TAX = "370200-SCJG", "370200-SWJ"
WATCHER_A, WATCHER_B, D_OFFICER, O_OFFICER, STRANGER = (
    officer("370200-FGW", "watcher-a"),
    officer("370200-RSJ", "watcher-b"),
    officer(D, "d-officer"),
    officer(TAX, "o-officer"),
    officer("370200-CZJ", "stranger"),
)


def _entity(code: str, name: str, established: str = "2015-01-01") -> dict:
    return {
        "kind": "entity",
        "uscc": code,
        "name": name,
        "form": "COMPANY",
        "status": "ACTIVE",
        "region": "370200",
        "established": established,
    }


def _record(rid: str, subject: dict, decided: str, published: str | None, department: str = D) -> dict:
    line = {
        "kind": "record",
        "id": rid,
        "subject": subject,
        "category": "PENALTY",
        "severity": "SERIOUS",
        "department": department,
        "decidedOn": decided,
    }
    return {**line, "publishedOn": published} if published else line


BASE = [
    {"kind": "department", "code": D, "name": "青岛市市场监督管理局", "region": "370200"},
    {"kind": "department", "code": TAX, "name": "青岛市税务局", "region": "370200"},
    _entity(A, "青岛甲商贸有限公司"),
    _entity(C, "青岛丙物流有限公司"),
    _entity(G, "青岛庚科技有限公司"),
    {"kind": "person", "idNumber": P, "name": "失信甲"},
    {"kind": "role", "person": P, "entity": A, "role": "LEGAL_REPRESENTATIVE", "since": "2015-01-01"},
]
FACTS = [
    _record("R0", {"person": P}, "2025-06-01", "2025-06-02"),
    _record("R1", {"entity": A}, "2025-06-10", None),
    _record("RC", {"entity": C}, "2025-08-20", "2025-08-21"),
    {"kind": "listing", "id": "LA", "subject": {"entity": A}, "list": "KEY_ATTENTION", "department": D,
     "basis": ["R1"], "since": "2025-07-01"},
    {"kind": "listing", "id": "LP", "subject": {"person": P}, "list": "JOINT_PUNISHMENT", "department": D,
     "basis": ["R0"], "since": "2025-07-01"},
    {"kind": "commitment", "id": "K1", "entity": C, "type": "VOLUNTARY", "matter": "按期提交年报",
     "department": TAX, "madeOn": "2025-08-01", "dueOn": "2025-09-03"},
    {"kind": "commitment", "id": "K2", "entity": C, "type": "VOLUNTARY", "matter": "按期缴纳税款",
     "department": TAX, "madeOn": "2025-08-01", "dueOn": "2025-10-01"},
]  # fmt: skip
REJECTED = [
    _record("RX", {"entity": A}, "2025-08-01", None, department="370200-NONE"),
    {"kind": "listing", "id": "LX", "subject": {"entity": A}, "list": "KEY_ATTENTION", "department": D,
     "basis": ["R404"], "since": "2025-08-01"},
]  # fmt: skip
REAPPEARING = [
    _entity(B, "青岛乙新设贸易有限公司", established="2025-08-01"),
    {"kind": "role", "person": P, "entity": B, "role": "LEGAL_REPRESENTATIVE", "since": "2025-08-01"},
    {"kind": "role", "person": P, "entity": C, "role": "DIRECTOR", "since": "2025-08-05"},
]

WATCH = """mutation($input: WatchInput!) { watch(input: $input) { __typename ... on Refusal { code } } }"""
LIST = """mutation($input: ListingInput!) { listSubject(input: $input) {
  __typename ... on Listed { personsBound entitiesFlagged } ... on Refusal { code message } } }"""
OBJECT = """mutation($input: ObjectionInput!) { raiseObjection(input: $input) {
  __typename ... on Objection { id dueOn } ... on Refusal { code message } } }"""
ALERTS = """{ alerts(first: 50) { totalCount nodes { seq kind reason causeIds subject { kind key name }
  path { text nodes { kind key } steps { relation fromKey toKey until } } } } }"""


def _inbox(api, actor: dict) -> list[dict]:
    body = gql_as(api, actor, ALERTS)
    assert "errors" not in body, body
    return sorted(body["data"]["alerts"]["nodes"], key=lambda a: a["seq"])


def _kinds(alerts: list[dict]) -> list[tuple[str, str]]:
    return [(a["kind"], a["subject"]["key"] if a["subject"] else "") for a in alerts]


def _scan(graph, day: str) -> dict:
    result = graph.cli("scan", "deadlines", "--as-of", day, "--soon", "3")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def _ok(body: dict, field: str, typename: str) -> dict:
    assert "errors" not in body, body
    assert body["data"][field]["__typename"] == typename, body
    return body["data"][field]


@pytest.fixture(scope="module")
def story(api, module_graph):
    """Steps 1 to 8 of the module's docstring, once; the tests read what they left."""
    g = module_graph
    out = g.import_lines(BASE)
    assert out.code == 0 and out.rejects == [], out.rejects
    for actor, subject, events in (
        (WATCHER_A, {"uscc": A}, []),
        (WATCHER_A, {"uscc": G}, ["GRADE"]),
        (WATCHER_B, {"idNumber": P}, []),
    ):
        _ok(gql_as(api, actor, WATCH, input={"subject": subject, "events": events}), "watch", "Watch")
    out = g.import_lines(FACTS)
    assert out.code == 0 and out.rejects == [], out.rejects
    imported = {"a": _inbox(api, WATCHER_A), "b": _inbox(api, WATCHER_B)}
    rejected = g.import_lines(REJECTED)
    after_rejected = {"a": _inbox(api, WATCHER_A), "b": _inbox(api, WATCHER_B), "d": _inbox(api, D_OFFICER)}
    out = g.import_lines(REAPPEARING)
    assert out.code == 0 and out.rejects == [], out.rejects
    listing = {
        "id": "L-C",
        "subject": {"uscc": C},
        "list": "JOINT_PUNISHMENT",
        "basis": ["RC"],
        "since": "2025-08-25",
        "measures": ["INCREASED_INSPECTION"],
    }
    listed = _ok(gql_as(api, D_OFFICER, LIST, input=listing), "listSubject", "Listed")
    objection = _ok(
        gql_as(
            api,
            entity_user(A),
            OBJECT,
            input={"target": {"record": "R1"}, "reason": "处罚有误", "raisedOn": "2025-08-28"},
        ),
        "raiseObjection",
        "Objection",
    )
    scans = {"first": _scan(g, "2025-09-01"), "again": _scan(g, "2025-09-01")}
    out = g.import_lines([_record("RG", {"entity": G}, "2025-09-02", "2025-09-02")])
    assert out.code == 0 and out.rejects == [], out.rejects
    scans["second"] = _scan(g, "2025-09-05")
    scans["next day"] = _scan(g, "2025-09-06")
    return {
        "imported": imported,
        "rejected": rejected,
        "after_rejected": after_rejected,
        "listed": listed,
        "objection": objection,
        "scans": scans,
    }


def test_imported_records_and_listings_alert_as_mutations_do(story):
    a, b = story["imported"]["a"], story["imported"]["b"]
    assert _kinds(a) == [("RECORD", A), ("LISTING", A)]
    assert (
        a[0]["causeIds"] == ["R1"]
        and a[0]["path"]["text"] == "青岛甲商贸有限公司 -[HAS_RECORD 2025-06-10..]-> PENALTY R1"
    )
    assert [n["key"] for n in a[1]["path"]["nodes"]] == [A, "LA", "R1"]
    assert [k for k, _ in _kinds(b)] == ["RECORD", "LISTING"]
    assert b[1]["causeIds"] == ["LP"] and b[1]["subject"]["kind"] == "PERSON"


def test_a_rejected_import_raises_nothing(story):
    rejected = story["rejected"]
    assert rejected.code == 2 and len(rejected.rejects) == 2
    after = story["after_rejected"]
    assert after["a"] == story["imported"]["a"] and after["b"] == story["imported"]["b"] and after["d"] == []


def test_a_firm_established_by_a_bound_person(api, story):
    reappearances = [a for a in _inbox(api, WATCHER_B) if a["kind"] == "REAPPEARANCE"]
    assert len(reappearances) == 2
    founded, director = reappearances
    assert founded["reason"].startswith(
        "a person bound by a listing in force established a firm: 失信甲 -[LEGAL_REPRESENTATIVE"
    )
    assert [n["key"] for n in founded["path"]["nodes"]][1:] == [B, "LP", "R0"]
    assert director["reason"].startswith("a person bound by a listing in force took a role or a majority holding: ")
    assert [n["key"] for n in director["path"]["nodes"]][1] == C
    to_d = [a for a in _inbox(api, D_OFFICER) if a["kind"] == "REAPPEARANCE"]
    assert [a["reason"] for a in to_d] == [founded["reason"], director["reason"]]


def test_the_scan_raises_each_deadline_once_for_the_responsible_department(api, story):
    assert story["listed"] == {"__typename": "Listed", "personsBound": 0, "entitiesFlagged": 0}
    assert story["objection"]["dueOn"] == "2025-09-08"
    scans = story["scans"]
    assert scans["first"] == {"deadlines": 2, "gradesChanged": 0, "raised": 3}
    assert scans["again"]["raised"] == 0
    # R1 still lapsed, K1 lapsed, the objection and the task near
    assert scans["second"] == {"deadlines": 4, "gradesChanged": 1, "raised": 5}
    assert scans["next day"]["raised"] == 0 and scans["next day"]["gradesChanged"] == 0
    d = [a for a in _inbox(api, D_OFFICER) if a["kind"].startswith("DEADLINE")]
    assert [
        (a["kind"], a["causeIds"][0] if a["kind"] != "DEADLINE_SOON" else a["path"]["nodes"][1]["kind"]) for a in d
    ] == [
        ("DEADLINE_LAPSED", "R1"),
        ("DEADLINE_SOON", "OBJECTION"),
        ("DEADLINE_SOON", "TASK"),
    ]
    lapsed = d[0]
    assert lapsed["reason"] == (
        "the publication of a record was due on 2025-06-19 and is late: "
        "青岛甲商贸有限公司 -[HAS_RECORD ..2025-06-19]-> PENALTY R1"
    )
    task = d[2]
    assert task["subject"]["key"] == C and task["path"]["steps"][0]["until"] == "2025-09-08"
    o = _inbox(api, O_OFFICER)
    assert [(a["kind"], a["causeIds"]) for a in o] == [("DEADLINE_SOON", ["K1"]), ("DEADLINE_LAPSED", ["K1"])]
    assert o[0]["reason"].startswith(
        "a commitment is due on 2025-09-03: 青岛丙物流有限公司 -[COMMITTED ..2025-09-03]-> VOLUNTARY K1"
    )
    assert _inbox(api, STRANGER) == []


def test_watchers_of_the_subject_read_deadlines_and_grade_changes(api, story):
    a = _inbox(api, WATCHER_A)
    assert _kinds(a) == [("RECORD", A), ("LISTING", A), ("DEADLINE_LAPSED", A), ("DEADLINE_SOON", A), ("GRADE", G)]
    assert a[3]["reason"].startswith("the answer to an objection is due on 2025-09-08: 青岛甲商贸有限公司 -[FILED")
    grade = a[4]
    assert (
        grade["reason"]
        == "a watched entity's grade changed from B to E: 青岛庚科技有限公司 -[HAS_RECORD]-> SERIOUS_RECORD RG"
    )
    assert grade["causeIds"] == ["RG"]
    assert len(_inbox(api, WATCHER_B)) == 4
    assert len(_inbox(api, D_OFFICER)) == 5
