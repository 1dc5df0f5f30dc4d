"""Industry evaluations (行业信用评价): a department's grade scheme as data, versioned, evaluated as of a day,
published, read by other departments beside the public grade, and used by a draw instead of the public grade.

Hand-built graph, worked by hand, as of 2026-06-30; district 370202 under 370200-SCJG; the scheme is
data/industry_scheme_example.json (industries C13, C14, F52; start 100; A >= 105, B >= 90, C >= 70,
D >= 40, else E):
- E1 (C14), no fact: 100 -> B (public B).
- E2 (C14), an active general penalty by the department: 100 - 20 = 80 -> C (public D).
- E3 (C14), an active serious penalty: 100 - 50 = 50 -> D, and atMost D keeps it D (public E).
- E4 (F51, not covered by industry) with a minor negative record of the department: covered by the record,
  100 - 5 = 95 -> B (public C).
- E5 (F51), no record of the department: not evaluated.
- E6 (C14), a commitment kept (fulfilled, due 2026-03-01): 100 + 5 = 105 -> A (public B).
So 5 entities: A 1, B 2, C 1, D 1. A draw by the scheme samples A: ceil(1%) = 1 (E6), B: 1 of E1/E4,
C: 1 (E2), D: 1 (E3): E2 drawn as C and E3 as D, where the public grades would make them D and E.
"""

from __future__ import annotations

import json

import pytest

from graph_api.domain.industry import example
from tests.conftest import gql_as, investigator, officer
from tests.test_linkage import uscc

DEPT, OTHER = "370200-SCJG", "370200-SWJ"
E1, E2, E3, E4, E5, E6 = (uscc(950 + i) for i in range(1, 7))
SCHEME = "FOOD-370200"

DEFINE = """mutation($id: String!, $rules: String!) { defineIndustryScheme(id: $id, rules: $rules) {
  __typename ... on IndustrySchemeDefined { scheme { id version department name digest } }
  ... on Refusal { code field } } }"""
EVALUATE = """mutation($s: String!, $d: Date!) { evaluateIndustry(scheme: $s, asOf: $d) {
  __typename ... on IndustryEvaluated { evaluation { id version status count byGrade { grade count } } }
  ... on Refusal { code field } } }"""
PUBLISH = """mutation($id: String!) { publishIndustryEvaluation(id: $id) {
  __typename ... on IndustryEvaluationPublished { evaluation { id status } } ... on Refusal { code field } } }"""
GRADES = """query($u: USCC!) { entity(uscc: $u) { grade(asOf: "2026-06-30") { grade }
  industryGrades { department { code } scheme version asOf grade score reasons { code count points } } } }"""
DRAW = """mutation($input: DrawInput!) { drawInspection(input: $input) {
  __typename ... on DrawMade { draw { id gradeScheme gradeEvaluation selections { entity { uscc } grade } } }
  ... on Refusal { code field } } }"""


@pytest.fixture(scope="module")
def city(module_graph):
    def entity(code, industry):
        return {"kind": "entity", "uscc": code, "name": f"行业{code[-4:]}有限公司", "form": "COMPANY",
                "status": "ACTIVE", "region": "370202", "industry": industry, "established": "2012-01-01"}  # fmt: skip

    def record(rid, code, severity):
        return {"kind": "record", "id": rid, "subject": {"entity": code}, "category": "PENALTY",
                "severity": severity, "department": DEPT, "decidedOn": "2026-01-10"}  # fmt: skip

    lines = [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        {"kind": "department", "code": OTHER, "name": "青岛市商务局", "region": "370200"},
        entity(E1, "C14"), entity(E2, "C14"), entity(E3, "C14"), entity(E4, "F51"), entity(E5, "F51"),
        entity(E6, "C14"),
        record("IR2", E2, "GENERAL"), record("IR3", E3, "SERIOUS"), record("IR4", E4, "MINOR"),
        {"kind": "commitment", "id": "IC6", "entity": E6, "type": "VOLUNTARY", "matter": "食品安全承诺",
         "department": DEPT, "madeOn": "2025-01-01", "dueOn": "2026-03-01", "status": "FULFILLED"},
    ]  # fmt: skip
    outcome = module_graph.import_lines(lines)
    assert outcome.code == 0, outcome.rejects
    return module_graph


def test_an_invalid_scheme_is_refused_with_the_field_path(api, city):
    rules = json.loads(example())
    rules["levels"][2]["min"] = "seventy"
    body = gql_as(api, officer(DEPT), DEFINE, id=SCHEME, rules=json.dumps(rules))
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == "rules.levels[2].min"
    rules = json.loads(example())
    rules["conditions"][0]["fact"] = "GUESS"
    body = gql_as(api, officer(DEPT), DEFINE, id=SCHEME, rules=json.dumps(rules))
    assert body["errors"][0]["extensions"]["field"] == "rules.conditions[0].fact", body
    rules = json.loads(example())
    rules["levels"].reverse()
    body = gql_as(api, officer(DEPT), DEFINE, id=SCHEME, rules=json.dumps(rules))
    assert body["errors"][0]["extensions"]["field"] == "rules", body
    assert "levels must name grades in order A to E" in body["errors"][0]["message"]


def test_define_evaluate_publish_and_read_beside_the_public_grade(api, city):
    first = gql_as(api, officer(DEPT), DEFINE, id=SCHEME, rules=example())["data"]["defineIndustryScheme"]
    assert first["scheme"]["version"] == 1 and first["scheme"]["department"] == DEPT, first
    same = gql_as(api, officer(DEPT), DEFINE, id=SCHEME, rules=example())["data"]["defineIndustryScheme"]
    assert same == first  # the same rules again: no new version
    rules = json.loads(example())
    rules["name"] = "食品生产经营企业信用评价（2026年版）"
    second = gql_as(api, officer(DEPT), DEFINE, id=SCHEME, rules=json.dumps(rules))["data"]["defineIndustryScheme"]
    assert second["scheme"]["version"] == 2 and second["scheme"]["digest"] != first["scheme"]["digest"]
    theirs = gql_as(api, officer(OTHER), DEFINE, id=SCHEME, rules=example())["data"]["defineIndustryScheme"]
    assert theirs == {"__typename": "Refusal", "code": "NOT_YOUR_DEPARTMENT", "field": "id"}

    ev = gql_as(api, officer(DEPT), EVALUATE, s=SCHEME, d="2026-06-30")["data"]["evaluateIndustry"]
    assert ev["evaluation"] == {
        "id": f"{SCHEME}@2/2026-06-30",
        "version": 2,
        "status": "EVALUATED",
        "count": 5,
        "byGrade": [{"grade": g, "count": n} for g, n in (("A", 1), ("B", 2), ("C", 1), ("D", 1))],
    }, ev
    twice = gql_as(api, officer(DEPT), EVALUATE, s=SCHEME, d="2026-06-30")["data"]["evaluateIndustry"]
    assert twice == {"__typename": "Refusal", "code": "DUPLICATE_ID", "field": "asOf"}

    # not published yet: nobody reads it
    assert gql_as(api, investigator(), GRADES, u=E2)["data"]["entity"]["industryGrades"] == []
    ev_id = ev["evaluation"]["id"]
    theirs = gql_as(api, officer(OTHER), PUBLISH, id=ev_id)["data"]["publishIndustryEvaluation"]
    assert theirs["code"] == "NOT_YOUR_DEPARTMENT"
    published = gql_as(api, officer(DEPT), PUBLISH, id=ev_id)["data"]["publishIndustryEvaluation"]
    assert published["evaluation"] == {"id": ev_id, "status": "PUBLISHED"}

    seen = gql_as(api, officer(OTHER), GRADES, u=E2)["data"]["entity"]
    assert seen["grade"]["grade"] == "D"  # the public grade, beside
    assert seen["industryGrades"] == [
        {
            "department": {"code": DEPT},
            "scheme": SCHEME,
            "version": 2,
            "asOf": "2026-06-30",
            "grade": "C",
            "score": 80,
            "reasons": [{"code": "GENERAL_PENALTY", "count": 1, "points": -20}],
        }
    ]
    e3 = gql_as(api, officer(OTHER), GRADES, u=E3)["data"]["entity"]["industryGrades"][0]
    assert (e3["grade"], e3["score"]) == ("D", 50)
    e6 = gql_as(api, officer(OTHER), GRADES, u=E6)["data"]["entity"]["industryGrades"][0]
    assert (e6["grade"], e6["score"], e6["reasons"][0]["code"]) == ("A", 105, "COMMITMENT_KEPT")
    assert gql_as(api, officer(OTHER), GRADES, u=E5)["data"]["entity"]["industryGrades"] == []


def test_a_draw_by_industry_grade_uses_those_grades(api, city):
    for i in ("J1", "J2"):
        body = gql_as(
            api, officer(DEPT), "mutation($i: String!) { registerInspector(id: $i, name: $i) { __typename } }", i=i
        )
        assert body["data"]["registerInspector"]["__typename"] == "InspectorRegistered"
    d = gql_as(
        api,
        officer(DEPT),
        DRAW,
        input={"period": "2026-Q3", "seed": "industry", "asOf": "2026-06-30", "gradeScheme": SCHEME},
    )["data"]["drawInspection"]
    assert d["__typename"] == "DrawMade", d
    assert (d["draw"]["gradeScheme"], d["draw"]["gradeEvaluation"]) == (SCHEME, f"{SCHEME}@2/2026-06-30")
    grades = {s["entity"]["uscc"]: s["grade"] for s in d["draw"]["selections"]}
    assert {u: g for u, g in grades.items() if g != "B"} == {E6: "A", E2: "C", E3: "D"}
    assert [u for u, g in grades.items() if g == "B"] in ([E1], [E4])
    verify = gql_as(
        api, investigator(), "query($id: String!) { verifyDraw(id: $id) { matches differences } }", id=d["draw"]["id"]
    )
    assert verify["data"]["verifyDraw"] == {"matches": True, "differences": []}
    missing = gql_as(
        api, officer(DEPT), DRAW, input={"period": "2026-Q4", "seed": "x", "asOf": "2026-06-30", "gradeScheme": "NONE"}
    )["data"]["drawInspection"]
    assert missing == {"__typename": "Refusal", "code": "NOT_FOUND", "field": "gradeScheme"}
