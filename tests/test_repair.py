"""Credit repair through GraphQL, on test_linkage's graph without its listing.

Firm A was fined (R1, PENALTY SERIOUS) on 2023-10-10, published 2023-10-16, and is listed on
JOINT_PUNISHMENT as LX from 2024-01-15 until 2026-01-15 on the basis of R1 (binding MID, NEW and CTRL).
The minimum publicity period of a serious penalty is 12 months (catalogue.json), counted from
publication: repair can be applied for from 2023-10-16 + 12 months = 2024-10-16 — on 2024-10-15 it is
refused (REPAIR_TOO_EARLY, naming 2024-10-16). Approved on 2024-11-01: R1 is REPAIRED with publication
ended 2024-11-01; LX ends REPAIRED with until 2024-11-01 (planned end 2026-01-15 kept), its bindings
ENDED. NEW's exposure as of 2024-10-31 still shows LX; as of 2024-11-01 it does not. The public sees R1
as of 2024-10-31 and not as of 2024-11-01.
"""

from __future__ import annotations

import pytest

from tests.conftest import entity_user, gql, gql_as, gql_reader, officer
from tests.test_linkage import DEPT, NEW, O1, A, build
from tests.test_listings import LIST, listing

OTHER = "370200-SWJ"

APPLY = """mutation($input: RepairInput!) { applyForRepair(input: $input) {
  __typename
  ... on RepairApplication {
    id status target { kind id } methods evidence appliedOn earliestOn filedBy decidedOn reason }
  ... on Refusal { code message field } } }"""

DECIDE = """mutation($id: String!, $approve: Boolean!, $reason: String, $on: Date) {
  decideRepair(id: $id, approve: $approve, reason: $reason, on: $on) {
  __typename
  ... on RepairDecided { application { status decidedOn reason } repairedRecords endedListings }
  ... on Refusal { code message field } } }"""

EXPOSURE = (
    """query($s: SubjectInput!, $asOf: Date) { exposure(subject: $s, asOf: $asOf) { bindings { listing { id } } } }"""
)
PUBLIC = """query($u: USCC!, $asOf: Date) { publicRecords(uscc: $u, asOf: $asOf) {
  totalCount nodes { id: recordId } } }"""


@pytest.fixture()
def listed(api, graph):
    outcome = graph.import_lines(
        [line for line in build() if line["kind"] != "listing"]
        + [{"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"}]
    )
    assert outcome.code == 0, outcome.rejects
    body = list_subject(api, listing())
    assert body["data"]["listSubject"]["__typename"] == "Listed", body
    return graph


def application(target: dict, applied_on: str, methods=("RECTIFICATION", "COMMITMENT")) -> dict:
    return {"target": target, "methods": list(methods), "evidence": ["整改报告 2024-09"], "appliedOn": applied_on}


def test_repair_refused_before_the_minimum_period_then_approved(api, listed):
    early = gql_as(api, entity_user(A), APPLY, input=application({"listing": "LX"}, "2024-10-15"))["data"][
        "applyForRepair"
    ]
    assert (early["__typename"], early["code"], early["field"]) == ("Refusal", "REPAIR_TOO_EARLY", "appliedOn")
    assert "2024-10-16" in early["message"]
    assert (
        listed.query(
            "MATCH (n) WHERE n:RepairApplication OR (n:Change AND n.operation = 'applyForRepair') RETURN count(n) AS n"
        )[0]["n"]
        == 0
    )

    applied = gql_as(api, entity_user(A), APPLY, input=application({"listing": "LX"}, "2024-10-16"))["data"][
        "applyForRepair"
    ]
    assert applied["__typename"] == "RepairApplication", applied
    assert {k: applied[k] for k in ("status", "target", "appliedOn", "earliestOn", "filedBy", "decidedOn")} == {
        "status": "PENDING",
        "target": {"kind": "LISTING", "id": "LX"},
        "appliedOn": "2024-10-16",
        "earliestOn": "2024-10-16",
        "filedBy": "SUBJECT",
        "decidedOn": None,
    }
    pending = gql_as(api, entity_user(A), APPLY, input=application({"listing": "LX"}, "2024-10-17"))["data"][
        "applyForRepair"
    ]
    assert pending["code"] == "REPAIR_PENDING"

    assert (
        gql_as(api, officer(OTHER), DECIDE, id=applied["id"], approve=True)["data"]["decideRepair"]["code"]
        == "NOT_YOUR_DEPARTMENT"
    )
    decided = gql_as(api, officer(DEPT), DECIDE, id=applied["id"], approve=True, reason="已整改", on="2024-11-01")
    assert decided["data"]["decideRepair"] == {
        "__typename": "RepairDecided",
        "application": {"status": "APPROVED", "decidedOn": "2024-11-01", "reason": "已整改"},
        "repairedRecords": ["R1"],
        "endedListings": ["LX"],
    }

    state = listed.query("""MATCH (l:Listing {id: 'LX'})-[:BASED_ON]->(r:Record)
        RETURN l.status AS status, toString(l.until) AS until, toString(l.plannedUntil) AS planned, r.status AS record,
               toString(r.publicationEndedOn) AS ended,
               COLLECT { MATCH (l)-[b:BINDS]->() RETURN DISTINCT b.status } AS bindings""")
    assert state == [
        {
            "status": "REPAIRED",
            "until": "2024-11-01",
            "planned": "2026-01-15",
            "record": "REPAIRED",
            "ended": "2024-11-01",
            "bindings": ["ENDED"],
        }
    ]
    # history stays readable: as of the day before the approval the bound person is still exposed
    assert gql_reader(api, EXPOSURE, s={"idNumber": NEW}, asOf="2024-10-31")["data"]["exposure"]["bindings"] == [
        {"listing": {"id": "LX"}}
    ]
    assert gql_reader(api, EXPOSURE, s={"idNumber": NEW}, asOf="2024-11-01")["data"]["exposure"]["bindings"] == []
    assert gql(api, PUBLIC, u=A, asOf="2024-10-31")["data"]["publicRecords"] == {
        "totalCount": 1,
        "nodes": [{"id": "R1"}],
    }
    assert gql(api, PUBLIC, u=A, asOf="2024-11-01")["data"]["publicRecords"] == {"totalCount": 0, "nodes": []}

    twice = gql_as(api, officer(DEPT), DECIDE, id=applied["id"], approve=False, reason="x")["data"]["decideRepair"]
    assert twice["code"] == "ALREADY_DECIDED"
    operations = [
        c["operation"]
        for c in gql_reader(
            api, "query($s: SubjectInput!) { changeLog(subject: $s) { nodes { operation kind } } }", s={"uscc": A}
        )["data"]["changeLog"]["nodes"]
    ]
    assert operations.count("decideRepair") == 3  # the application, record R1, listing LX
    assert operations.count("applyForRepair") == 1


def test_refused_repair_and_a_record_repair_ending_its_listing(api, listed):
    other = gql_as(api, entity_user(O1), APPLY, input=application({"listing": "LX"}, "2024-10-20"))["data"][
        "applyForRepair"
    ]
    assert (other["code"], other["field"]) == ("NOT_YOUR_SUBJECT", "target")
    anonymous = gql(api, APPLY, input=application({"listing": "LX"}, "2024-10-20"))
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    as_officer = gql_as(api, officer(DEPT), APPLY, input=application({"listing": "LX"}, "2024-10-20"))
    assert as_officer["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # A files for itself
    no_method = gql_as(api, entity_user(A), APPLY, input=application({"record": "R1"}, "2024-10-20", methods=()))
    assert no_method["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "methods"}
    unknown = gql_as(api, entity_user(A), APPLY, input=application({"record": "nope"}, "2024-10-20"))
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert listed.query("MATCH (n:RepairApplication) RETURN count(n) AS n")[0]["n"] == 0

    first = gql_as(api, entity_user(A), APPLY, input=application({"record": "R1"}, "2024-10-20"))["data"][
        "applyForRepair"
    ]
    assert (first["status"], first["target"], first["earliestOn"]) == (
        "PENDING",
        {"kind": "RECORD", "id": "R1"},
        "2024-10-16",
    )
    no_reason = gql_as(api, officer(DEPT), DECIDE, id=first["id"], approve=False, on="2024-10-25")
    assert no_reason["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason"}
    refused = gql_as(api, officer(DEPT), DECIDE, id=first["id"], approve=False, reason="整改材料不全", on="2024-10-25")
    assert refused["data"]["decideRepair"] == {
        "__typename": "RepairDecided",
        "application": {"status": "REFUSED", "decidedOn": "2024-10-25", "reason": "整改材料不全"},
        "repairedRecords": [],
        "endedListings": [],
    }
    assert listed.query("MATCH (l:Listing {id: 'LX'})-[:BASED_ON]->(r) RETURN l.status AS l, r.status AS r") == [
        {"l": "ACTIVE", "r": "ACTIVE"}
    ]

    # repairing the record LX rests on alone ends LX too
    second = gql_as(api, entity_user(A), APPLY, input=application({"record": "R1"}, "2024-11-05"))["data"][
        "applyForRepair"
    ]
    approved = gql_as(api, officer(DEPT), DECIDE, id=second["id"], approve=True, on="2024-11-10")["data"][
        "decideRepair"
    ]
    assert (approved["repairedRecords"], approved["endedListings"]) == (["R1"], ["LX"])
    assert listed.query("MATCH (l:Listing {id: 'LX'}) RETURN l.status AS s, toString(l.until) AS u") == [
        {"s": "REPAIRED", "u": "2024-11-10"}
    ]
    apps = gql_reader(
        api,
        """query($s: SubjectInput!) { repairApplications(subject: $s) { totalCount nodes { status appliedOn } } }""",
        s={"uscc": A},
    )["data"]["repairApplications"]
    assert apps == {
        "totalCount": 2,
        "nodes": [{"status": "APPROVED", "appliedOn": "2024-11-05"}, {"status": "REFUSED", "appliedOn": "2024-10-20"}],
    }


def list_subject(api, input: dict) -> dict:
    """listSubject as the lead's tests call it, with room for its first planning of the cascade statements on a
    loaded machine (the shared client gives up after 30 s)."""
    response = api.post(
        "/graphql", json={"query": LIST, "variables": {"input": input}}, headers=officer(DEPT), timeout=180
    )
    return response.json()
