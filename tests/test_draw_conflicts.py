"""Conflict-free draws (回避): inspectors tied to persons of the graph stand aside from drawn entities they are
connected to within maxHops (roles, holdings, branches, declared relatives), each exclusion with its path,
and verifyDraw recomputes the exclusions.

Hand-built graph, worked by hand, as of 2026-06-30, district 370202 under 370200-SCJG:
- PLAIN: 5 entities with no fact (B; 3% of 5 rounded up: 1 drawn); GENERAL: an active general penalty (D,
  always drawn); EVIL: on the joint-punishment list (E, always drawn). Y and Z: two entities of 370302,
  outside the region drawn (so never drawn themselves), on the paths only.
- Inspectors I1..I4; I1 is the person P1, whose declared relative P2 holds 60% of EVIL: P1 -RELATIVE_OF- P2
  -HOLDS 60%-> EVIL, 2 steps. I2 is P3, legal representative of GENERAL: 1 step. I3 is P4, director of Y,
  which holds 30% of Z, which holds 40% of EVIL: 3 steps (excluded with the default bound 3, not with 2).
  I4 is tied to nobody.
- So EVIL excludes I1 and I3: of the 6 teams only (I2, I4) fits, whatever the seed. GENERAL excludes I2: its
  team is one of (I1, I3), (I1, I4), (I3, I4). The plain entity takes the round's first team.
- Later, I4 is tied to P6, declared relative of P2: EVIL then excludes I1, I3, I4 and no team fits; it stays
  drawn, unassigned.
"""

from __future__ import annotations

import pytest

from tests.conftest import gql_as, investigator, officer
from tests.test_linkage import ric, uscc

DEPT = "370200-SCJG"
PLAIN = [uscc(900 + i) for i in range(5)]
EVIL, GENERAL, Y, Z = uscc(910), uscc(911), uscc(912), uscc(913)
P1, P2, P3, P4, P6 = (ric(i) for i in (901, 902, 903, 904, 906))

REGISTER = """mutation($id: String!) { registerInspector(id: $id, name: $id) { __typename } }"""
LINK = """mutation($id: String!, $n: String!) { linkInspector(id: $id, person: {idNumber: $n}) {
  __typename ... on InspectorLinked { inspector { id } } ... on Refusal { code field } } }"""
RELATIVE = """mutation($a: String!, $b: String!) { declareRelative(person: {idNumber: $a}, relative: {idNumber: $b}) {
  __typename ... on Refusal { code field } } }"""
DRAW = """mutation($input: DrawInput!) { drawInspection(input: $input) {
  __typename
  ... on DrawMade { draw { id maxHops gradeScheme digest
      selections { entity { uscc } grade inspectors { id } }
      unassigned { uscc }
      exclusions { inspector { id } entity { uscc } path { text nodes { kind key } steps { relation ratio } } } } }
  ... on Refusal { code message field } } }"""
VERIFY = """query($id: String!) { verifyDraw(id: $id) { matches differences } }"""
AS_OFFICER = officer(DEPT)


@pytest.fixture(scope="module")
def city(module_graph):
    def entity(code, name, region="370202"):
        return {"kind": "entity", "uscc": code, "name": name, "form": "COMPANY", "status": "ACTIVE",
                "region": region, "established": "2012-01-01"}  # fmt: skip

    lines = [{"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"}]
    lines += [entity(u, f"回避普通{i}有限公司") for i, u in enumerate(PLAIN)]
    lines += [entity(EVIL, "回避失信有限公司"), entity(GENERAL, "回避一般有限公司")]
    lines += [entity(Y, "回避上游有限公司", "370302"), entity(Z, "回避中游有限公司", "370302")]
    lines += [{"kind": "person", "idNumber": n, "name": f"检{i}"} for i, n in enumerate((P1, P2, P3, P4, P6), 1)]
    lines += [
        {"kind": "holding", "holder": {"person": P2}, "entity": EVIL, "ratio": 0.6, "since": "2016-01-01"},
        {"kind": "role", "person": P3, "entity": GENERAL, "role": "LEGAL_REPRESENTATIVE", "since": "2016-01-01"},
        {"kind": "role", "person": P4, "entity": Y, "role": "DIRECTOR", "since": "2016-01-01"},
        {"kind": "holding", "holder": {"entity": Y}, "entity": Z, "ratio": 0.3, "since": "2016-01-01"},
        {"kind": "holding", "holder": {"entity": Z}, "entity": EVIL, "ratio": 0.4, "since": "2016-01-01"},
        {"kind": "record", "id": "CR-E", "subject": {"entity": EVIL}, "category": "PENALTY", "severity": "SERIOUS",
         "department": DEPT, "decidedOn": "2025-01-10"},
        {"kind": "listing", "id": "CL-E", "subject": {"entity": EVIL}, "list": "JOINT_PUNISHMENT", "department": DEPT,
         "basis": ["CR-E"], "since": "2025-03-01"},
        {"kind": "record", "id": "CR-D", "subject": {"entity": GENERAL}, "category": "PENALTY", "severity": "GENERAL",
         "department": DEPT, "decidedOn": "2026-01-10"},
    ]  # fmt: skip
    outcome = module_graph.import_lines(lines)
    assert outcome.code == 0, outcome.rejects
    return module_graph


@pytest.fixture(scope="module")
def roster(api, city):
    for i in ("I1", "I2", "I3", "I4"):
        assert (
            gql_as(api, AS_OFFICER, REGISTER, id=i)["data"]["registerInspector"]["__typename"] == "InspectorRegistered"
        )
    for i, n in (("I1", P1), ("I2", P3), ("I3", P4)):
        body = gql_as(api, AS_OFFICER, LINK, id=i, n=n)
        assert body["data"]["linkInspector"] == {"__typename": "InspectorLinked", "inspector": {"id": i}}, body
    assert gql_as(api, AS_OFFICER, RELATIVE, a=P2, b=P1)["data"]["declareRelative"]["__typename"] == "RelativeDeclared"
    return city


def draw(api, period, seed, **extra):
    body = gql_as(api, AS_OFFICER, DRAW, input={"period": period, "seed": seed, "asOf": "2026-06-30", **extra})
    assert "errors" not in body, body
    assert body["data"]["drawInspection"]["__typename"] == "DrawMade", body
    return body["data"]["drawInspection"]["draw"]


def teams(d):
    return {s["entity"]["uscc"]: (s["grade"], tuple(i["id"] for i in s["inspectors"])) for s in d["selections"]}


def excluded(d):
    return {(x["inspector"]["id"], x["entity"]["uscc"]): x["path"] for x in d["exclusions"]}


def test_relatives_holding_excludes_with_its_path_and_the_draw_is_reproducible(api, roster):
    d = draw(api, "2026-Q1", "conflict-seed")
    assert d["maxHops"] == 3 and d["gradeScheme"] is None
    t = teams(d)
    assert t[EVIL] == ("E", ("I2", "I4"))  # the one team without I1 or I3
    assert t[GENERAL][0] == "D" and "I2" not in t[GENERAL][1]
    assert d["unassigned"] == []

    x = excluded(d)
    assert set(x) == {("I1", EVIL), ("I3", EVIL), ("I2", GENERAL)}
    relative = x[("I1", EVIL)]
    assert [n["kind"] for n in relative["nodes"]] == ["PERSON", "PERSON", "ENTITY"]
    assert relative["nodes"][2]["key"] == EVIL
    assert relative["steps"] == [{"relation": "RELATIVE_OF", "ratio": None}, {"relation": "HOLDS", "ratio": 0.6}]
    assert relative["text"] == "检1 -[RELATIVE_OF]-> 检2 -[HOLDS 60.00%]-> 回避失信有限公司", relative["text"]
    assert [s["relation"] for s in x[("I3", EVIL)]["steps"]] == ["DIRECTOR", "HOLDS", "HOLDS"]
    assert [s["relation"] for s in x[("I2", GENERAL)]["steps"]] == ["LEGAL_REPRESENTATIVE"]

    # the same seed gives the same draw and the same exclusions (another period: another draw id)
    again = draw(api, "2026-Q2", "conflict-seed")
    assert teams(again) == t and excluded(again) == x

    # a bound of 2 lets I3 (3 steps away) inspect EVIL
    near = draw(api, "2026-03", "conflict-seed", maxHops=2)
    assert set(excluded(near)) == {("I1", EVIL), ("I2", GENERAL)}
    assert gql_as(api, investigator(), VERIFY, id=near["id"])["data"]["verifyDraw"] == {
        "matches": True,
        "differences": [],
    }


def test_verify_draw_detects_a_tampered_exclusion(api, roster):
    d = draw(api, "2026-H1", "tamper-seed")
    assert gql_as(api, investigator(), VERIFY, id=d["id"])["data"]["verifyDraw"]["matches"] is True
    roster.query("MATCH (:Draw {id: $id})-[x:EXCLUDED {inspector: 'I3'}]->() DELETE x", id=d["id"])
    v = gql_as(api, investigator(), VERIFY, id=d["id"])["data"]["verifyDraw"]
    assert v["matches"] is False
    assert any(s.startswith(f"exclusion I3|{EVIL}|") and "recomputed but not stored" in s for s in v["differences"]), v
    assert any("does not match its digest" in s for s in v["differences"]), v


def test_refusals_of_links_and_relatives(api, roster):
    again = gql_as(api, AS_OFFICER, LINK, id="I1", n=P6)["data"]["linkInspector"]
    assert again == {"__typename": "Refusal", "code": "ALREADY_LINKED", "field": "id"}
    unknown = gql_as(api, AS_OFFICER, LINK, id="I4", n=ric(999))["data"]["linkInspector"]
    assert unknown == {"__typename": "Refusal", "code": "NOT_FOUND", "field": "person"}
    twice = gql_as(api, AS_OFFICER, RELATIVE, a=P1, b=P2)["data"]["declareRelative"]
    assert twice == {"__typename": "Refusal", "code": "ALREADY_DECLARED", "field": "relative"}
    self_ = gql_as(api, AS_OFFICER, RELATIVE, a=P1, b=P1)
    assert self_["errors"][0]["extensions"]["field"] == "relative", self_
    entity = gql_as(
        api, AS_OFFICER, """mutation($u: USCC!) { linkInspector(id: "I4", person: {uscc: $u}) { __typename } }""", u=Y
    )
    assert entity["errors"][0]["extensions"]["field"] == "person", entity
    hops = gql_as(api, AS_OFFICER, DRAW, input={"period": "2026-04", "seed": "s", "maxHops": 7})
    assert hops["errors"][0]["extensions"]["field"] == "maxHops", hops


def test_an_entity_no_team_can_take_is_reported_unassigned(api, roster):
    assert gql_as(api, AS_OFFICER, LINK, id="I4", n=P6)["data"]["linkInspector"]["__typename"] == "InspectorLinked"
    assert gql_as(api, AS_OFFICER, RELATIVE, a=P6, b=P2)["data"]["declareRelative"]["__typename"] == "RelativeDeclared"
    d = draw(api, "2026-Q3", "conflict-seed")
    assert d["unassigned"] == [{"uscc": EVIL}]
    assert teams(d)[EVIL] == ("E", ())
    assert {i for i, u in excluded(d) if u == EVIL} == {"I1", "I3", "I4"}
    assert gql_as(api, investigator(), VERIFY, id=d["id"])["data"]["verifyDraw"]["matches"] is True
