"""certifyChecks, verifyCertificate and certificates (issue 16, the 应查必查 certificate), over GraphQL on
test_linkage's graph (A listed L1 on JOINT_PUNISHMENT 2024-01-15..2026-01-15, binding MID, NEW and CTRL),
plus a principal of X3 the graph knows by name only. Worked out by hand, as of 2024-06-01, for BIDDING
(RESTRICT_BIDDING binds BOTH the listed entity and its bound persons):

- A: the subject, listed by L1 -> refused (RESTRICT_BIDDING by L1); its legal representative that day is
  LATE (晚赵, appointed 2024-03-01, after the listing: not bound) -> allowed; its declared actual controller
  CTRL (控刘, bound by L1 as A's actual controller) -> refused. Nobody holds A: no majority holder, no
  inferred controller. No gap. Three parts, in that order.
- X3: the subject, allowed; declared controller Z (申报人) allowed; inferred controller Q (钱总: 70% of X1,
  X1 80% of X2, X2 60% of X3, a majority at each step) allowed; majority holder X2 (60%) allowed. Its
  principal 无证人 has no identity number: a gap naming them (so X3 has a principal: no "none known" gap).
- CTRL as a person: the person alone -> refused.
Changing a stored part makes verifyCertificate invalid; changing a certificate's hash breaks the next one's
link. A sanctions officer may certify; an investigator may not.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import gql_as, officer, token
from tests.conftest import gql_reader as gql
from tests.test_linkage import CTRL, DEPT, X2, X3, A, build

CERTIFY = """mutation($input: CertifyInput!) { certifyChecks(input: $input) { ... on ChecksCertificate {
  id seq decision scenario asOf purpose subjectName allAllowed complete prevHash hash printable
  parts { order kind key name grounds allowed reasons { measure kind listing list via role } }
  gaps { grounds name reason } } } }"""

VERIFY = "query($id: String!) { verifyCertificate(id: $id) { id valid reason } }"

OF_DECISION = """query($d: String!, $first: Int, $after: String) {
  certificates(decision: $d, first: $first, after: $after) { items { id subjectName } endCursor hasNextPage } }"""


def sanctions() -> dict[str, str]:
    return {**token("SANCTIONS", "sanctions-1"), "x-purpose": quote("应查必查 automated test")}


@pytest.fixture(scope="module")
def linked(module_graph):
    outcome = module_graph.import_lines(build())
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    module_graph.query(
        "MATCH (x:Entity {uscc: $x}) CREATE (:Person {name: '无证人'})-[:PRINCIPAL {since: date('2020-01-01')}]->(x)",
        x=X3,
    )
    return module_graph


def certify(api, subject: dict, decision: str = "D-1", actor: dict | None = None) -> dict:
    given = {"scenario": "BIDDING", "subject": subject, "asOf": "2024-06-01", "purpose": "招标资格审查"}
    body = gql_as(api, actor or officer(DEPT), CERTIFY, input={**given, "decision": decision})
    assert "errors" not in body, body
    return body["data"]["certifyChecks"]


def _parts(c: dict) -> list[tuple]:
    return [(p["name"], tuple(p["grounds"]), p["allowed"], [r["measure"] for r in p["reasons"]]) for p in c["parts"]]


def test_entity_certificate_checks_every_required_party(api, linked):
    c = certify(api, {"uscc": A})
    assert _parts(c) == [
        ("青岛海岳商贸有限公司", ("SUBJECT",), False, ["RESTRICT_BIDDING"]),
        ("晚赵", ("LEGAL_REPRESENTATIVE_OR_PRINCIPAL",), True, []),
        ("控刘", ("DECLARED_CONTROLLER",), False, ["RESTRICT_BIDDING"]),
    ]
    assert c["parts"][2]["reasons"][0] == {
        "measure": "RESTRICT_BIDDING",
        "kind": "ADMINISTRATIVE",
        "listing": "L1",
        "list": "JOINT_PUNISHMENT",
        "via": A,
        "role": "ACTUAL_CONTROLLER",
    }
    assert (c["allAllowed"], c["complete"], c["gaps"]) == (False, True, [])
    assert c["parts"][0]["key"] == A and not c["parts"][1]["key"].startswith("37")  # a key, never the number
    assert "REFUSED" in c["printable"] and c["hash"] in c["printable"]
    assert gql_as(api, officer(DEPT), VERIFY, id=c["id"])["data"]["verifyCertificate"] == {
        "id": c["id"],
        "valid": True,
        "reason": None,
    }


def test_a_party_without_identity_is_a_gap(api, linked):
    c = certify(api, {"uscc": X3}, actor=sanctions())
    assert _parts(c) == [
        ("丙制造有限公司", ("SUBJECT",), True, []),
        ("申报人", ("DECLARED_CONTROLLER",), True, []),
        ("钱总", ("INFERRED_CONTROLLER",), True, []),
        ("乙实业有限公司", ("MAJORITY_HOLDER",), True, []),
    ]
    assert c["parts"][3]["key"] == X2
    assert c["gaps"] == [
        {
            "grounds": ["LEGAL_REPRESENTATIVE_OR_PRINCIPAL"],
            "name": "无证人",
            "reason": "无证人: no identity number in the graph, so it cannot be checked",
        }
    ]
    assert (c["allAllowed"], c["complete"]) == (True, False)
    person = certify(api, {"idNumber": CTRL}, decision="D-2")
    assert _parts(person) == [("控刘", ("SUBJECT",), False, ["RESTRICT_BIDDING"])]


def test_tampering_and_chain(api, linked):
    first = certify(api, {"uscc": A}, decision="D-3")
    second = certify(api, {"uscc": A}, decision="D-3")
    assert second["prevHash"] == first["hash"] and second["seq"] == first["seq"] + 1
    linked.query(
        "MATCH (:Certificate {id: $id})-[:CHECKED]->(k:CheckedParty {order: 2}) SET k.allowed = true", id=first["id"]
    )
    verdict = gql_as(api, officer(DEPT), VERIFY, id=first["id"])["data"]["verifyCertificate"]
    assert verdict == {
        "id": first["id"],
        "valid": False,
        "reason": "its content does not match its hash (a stored part was altered)",
    }
    linked.query("MATCH (c:Certificate {id: $id}) SET c.hash = $h", id=first["id"], h="f" * 64)
    link = gql_as(api, officer(DEPT), VERIFY, id=second["id"])["data"]["verifyCertificate"]
    assert (link["valid"], link["reason"]) == (
        False,
        "its previous hash is not the hash of the certificate before it (the chain was altered)",
    )
    page = gql_as(api, officer(DEPT), OF_DECISION, d="D-3", first=1)["data"]["certificates"]
    assert ([i["id"] for i in page["items"]], page["hasNextPage"]) == ([first["id"]], True)
    rest = gql_as(api, officer(DEPT), OF_DECISION, d="D-3", first=1, after=page["endCursor"])["data"]["certificates"]
    assert ([i["id"] for i in rest["items"]], rest["hasNextPage"]) == ([second["id"]], False)


def test_who_may_certify_and_bad_input(api, linked):
    given = {"scenario": "BIDDING", "subject": {"uscc": A}, "purpose": "x"}
    assert gql(api, CERTIFY, input=given)["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # an investigator
    blank = gql_as(api, officer(DEPT), CERTIFY, input={**given, "purpose": "  "})
    assert blank["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "purpose"}
    missing = gql_as(api, officer(DEPT), VERIFY, id="nope")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
