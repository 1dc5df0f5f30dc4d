"""Who sees which records (the disclosure levels of the permission matrix in the README), by role.

Firm F has four records: P1 PUBLIC and S1 SHARED and R1 RESTRICTED, all decided by DEPT, and R2
RESTRICTED decided by OTHER. Worked by hand from the matrix:
    public                          P1
    entity user of F                P1 S1 R1 R2      (its own record)
    entity user of another firm     P1
    officer of DEPT                 P1 S1 R1         (RESTRICTED only of its own department)
    officer of OTHER                P1 S1 R2
    investigator, administrator     P1 S1 R1 R2

A department's working lists are for its own officers and for the staff who look across departments
(investigators, sanctions officers, administrators); another department's officer gets NOT_YOUR_DEPARTMENT.
"""

from __future__ import annotations

import pytest

from tests.conftest import gql, gql_as, investigator, officer, token
from tests.test_decisions import DEPT, FIRM, FIRM_LINES, OTHER
from tests.test_linkage import ric, uscc

PERSON = ric(71)

RECORDS = "query($u: USCC!) { entity(uscc: $u) { records { totalCount nodes { id: recordId } } } }"


def record(record_id: str, disclosure: str, department: str = DEPT) -> dict:
    return {
        "kind": "record",
        "id": record_id,
        "subject": {"entity": FIRM},
        "category": "PENALTY",
        # serious: published for three years, so P1 is still published today (a minor one's three months ended)
        "severity": "SERIOUS",
        "department": department,
        "decidedOn": "2025-03-01",
        "publishedOn": "2025-03-05",
        "disclosure": disclosure,
    }


@pytest.fixture(scope="module")
def firm_records(module_graph):
    outcome = module_graph.import_lines(
        [
            *FIRM_LINES,
            {"kind": "person", "idNumber": PERSON, "name": "欧阳海"},
            {"kind": "role", "person": PERSON, "entity": FIRM, "role": "LEGAL_REPRESENTATIVE", "since": "2015-01-01"},
            record("P1", "PUBLIC"),
            record("S1", "SHARED"),
            record("R1", "RESTRICTED"),
            record("R2", "RESTRICTED", OTHER),
        ]
    )
    assert outcome.code == 0, outcome.rejects
    return module_graph


@pytest.mark.parametrize(
    "who, headers, expected",
    [
        ("public", {}, ["P1"]),
        ("own entity", token("ENTITY", "e1", uscc=FIRM), ["P1", "R1", "R2", "S1"]),
        ("other entity", token("ENTITY", "e2", uscc=uscc(52)), ["P1"]),
        ("officer of DEPT", officer(DEPT), ["P1", "R1", "S1"]),
        ("officer of OTHER", officer(OTHER), ["P1", "R2", "S1"]),
        ("investigator", investigator(), ["P1", "R1", "R2", "S1"]),
        ("administrator", token("ADMIN", "admin"), ["P1", "R1", "R2", "S1"]),
    ],
)
def test_records_by_disclosure_and_role(api, firm_records, who, headers, expected):
    body = gql_as(api, headers, RECORDS, u=FIRM) if headers else gql(api, RECORDS, u=FIRM)
    records = body["data"]["entity"]["records"]
    assert sorted(n["id"] for n in records["nodes"]) == expected, who
    assert records["totalCount"] == len(expected)


CZJ = "370200-CZJ"
WORKING_LISTS = [  # (query, the department whose list it is)
    ('{ overduePublications(department: "%s") { totalCount } }' % DEPT, DEPT),
    ('{ tasksToExecute(department: "%s") { totalCount } }' % CZJ, CZJ),
    ('{ openTasks(department: "%s") { totalCount } }' % DEPT, DEPT),
    ('{ commitments(department: "%s") { totalCount } }' % DEPT, DEPT),
    ('{ interviewsDue(department: "%s") { totalCount } }' % DEPT, DEPT),
    ('{ overdueObjections(department: "%s") { totalCount } }' % DEPT, DEPT),
    ('{ draws(department: "%s") { totalCount } }' % DEPT, DEPT),
]


@pytest.mark.parametrize("query, department", WORKING_LISTS)
def test_department_working_lists_are_for_its_officers_and_cross_department_staff(api, firm_records, query, department):
    assert gql(api, query)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gql_as(api, token("ENTITY", "e1", uscc=FIRM), query)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    stranger = gql_as(api, officer(OTHER), query)["errors"][0]
    assert stranger["extensions"] == {"code": "FORBIDDEN", "reason": "NOT_YOUR_DEPARTMENT"}, stranger
    assert department in stranger["message"]
    for reader in (officer(department), investigator(), token("SANCTIONS", "s1"), token("ADMIN", "admin")):
        answer = gql_as(api, reader, query)
        assert "errors" not in answer, answer


def test_change_logs_are_for_staff(api, firm_records):
    query = '{ changeLog(subject: {uscc: "%s"}) { totalCount } }' % FIRM
    assert gql(api, query)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gql_as(api, token("ENTITY", "e1", uscc=FIRM), query)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "errors" not in gql_as(api, officer(OTHER), query)


NAMES = """query($u: USCC!) { entity(uscc: $u) { roles { nodes { person { name idNumberMasked } } } } }"""


def test_person_names_are_masked_for_the_public(api, firm_records):
    public = gql(api, NAMES, u=FIRM)["data"]["entity"]["roles"]["nodes"]
    assert public == [{"person": {"name": "欧**", "idNumberMasked": PERSON[:4] + "*" * 10 + PERSON[-4:]}}]
    # the public's search matches a person on the visible character only (test_public_visibility.py)
    hits = gql(api, '{ search(query: "欧") { edges { node { kind name } } } }')["data"]["search"]["edges"]
    assert {"kind": "PERSON", "name": "欧**"} in [e["node"] for e in hits]
    assert "欧阳海" not in str(hits)
    hidden = gql(api, '{ search(query: "欧阳海") { edges { node { kind name } } } }')["data"]["search"]["edges"]
    assert [e for e in hidden if e["node"]["kind"] == "PERSON"] == []
    staff = gql_as(api, officer(DEPT), NAMES, u=FIRM)["data"]["entity"]["roles"]["nodes"]
    assert staff[0]["person"]["name"] == "欧阳海"
