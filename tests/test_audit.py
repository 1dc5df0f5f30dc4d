"""The audit trail: reads of personal data and every change are registered, hash-chained, readable by
administrators only, and `graph-api audit verify` finds an altered, removed or truncated entry."""

from __future__ import annotations

import pytest

from tests.conftest import gql, gql_as, investigator, officer, token
from tests.test_decisions import DEPT, FIRM, FIRM_LINES, RECORD, decision
from tests.test_linkage import ric

PERSON = ric(61)


@pytest.fixture()
def firm(graph):
    outcome = graph.import_lines(FIRM_LINES)
    assert outcome.code == 0, outcome.rejects
    return graph


LOOKUP = "query Lookup($n: String!) { person(idNumber: $n) { name idNumberMasked } }"
LOG = """query($subject: String) { auditLog(subject: $subject) { totalCount
  nodes { seq user role department operation kind subjects purpose hash prevHash } } }"""


def _person(graph):
    outcome = graph.import_lines([{"kind": "person", "idNumber": PERSON, "name": "审计对象"}])
    assert outcome.code == 0, outcome.rejects


def admin() -> dict[str, str]:
    return token("ADMIN", "admin-1")


def test_personal_reads_and_changes_are_registered(api, cli, firm):
    _person(firm)
    read = gql_as(api, investigator(purpose="案件 2026-17 核查"), LOOKUP, n=PERSON)
    assert read["data"]["person"]["name"] == "审计对象"
    gql_as(api, officer(DEPT, "wang.li"), RECORD, input=decision("D1", "2026-09-25"))
    log = gql_as(api, admin(), LOG)["data"]["auditLog"]
    assert log["totalCount"] == 2
    change, lookup = log["nodes"]
    assert (lookup["seq"], lookup["user"], lookup["role"], lookup["operation"], lookup["kind"], lookup["purpose"]) == (
        1,
        "investigator-1",
        "INVESTIGATOR",
        "person",  # the field read, not the client's operation name (Lookup)
        "READ_PERSONAL",
        "案件 2026-17 核查",
    )
    assert len(lookup["subjects"]) == 1 and PERSON not in str(log)  # the person by key hash, never the number
    assert (change["seq"], change["user"], change["department"], change["operation"], change["subjects"]) == (
        2,
        "wang.li",
        DEPT,
        "recordDecision",
        [FIRM],
    )
    assert change["prevHash"] == lookup["hash"] and lookup["prevHash"] == "0" * 64
    assert cli("audit", "verify").code == 0


def test_who_may_read_personal_data_and_the_log(api, firm):
    _person(firm)
    assert gql(api, LOOKUP, n=PERSON)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    no_purpose = gql_as(api, token("INVESTIGATOR", "inv"), LOOKUP, n=PERSON)["errors"][0]["extensions"]
    assert no_purpose == {"code": "FORBIDDEN", "reason": "PURPOSE_REQUIRED"}
    entity = gql_as(api, token("ENTITY", "e", uscc=FIRM), LOOKUP, n=PERSON)["errors"][0]["extensions"]
    assert entity["code"] == "FORBIDDEN"
    assert gql_as(api, officer(DEPT), LOOKUP, n=PERSON)["data"]["person"]["name"] == "审计对象"  # no purpose needed
    assert gql_as(api, officer(DEPT), LOG)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # refused reads were not answered and are not in the trail; the officer's is
    assert gql_as(api, admin(), LOG)["data"]["auditLog"]["totalCount"] == 1
    expired = api.post("/graphql", json={"query": LOG}, headers={"authorization": "Bearer not-a-token"}).json()
    assert expired["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_verify_detects_tampering(api, cli, firm):
    _person(firm)
    for i in range(3):
        gql_as(api, investigator(purpose=f"核查 {i}"), LOOKUP, n=PERSON)
    assert cli("audit", "verify").code == 0
    firm.query("MATCH (e:AuditEntry {seq: 2}) SET e.purpose = '改过的'")
    broken = cli("audit", "verify")
    assert broken.code == 1 and "entry 2" in broken.stderr and "altered" in broken.stderr
    firm.query("MATCH (e:AuditEntry {seq: 2}) SET e.purpose = '核查 1'")
    assert cli("audit", "verify").code == 0
    firm.query("MATCH (e:AuditEntry {seq: 3}) DETACH DELETE e")
    truncated = cli("audit", "verify")
    assert truncated.code == 1 and "removed" in truncated.stderr
