"""Random inspection (双随机一公开): a draw per grade with the ratios of data/inspection.json, two
inspectors per drawn entity from the department's roster, reproducible from its seed.

Hand-built graph, worked by hand, as of 2026-06-30: 40 entities with no fact (B), one on the
joint-punishment list (E), one with an active general penalty (D); all in district 370202, under the
department 370200-SCJG. Ratios B 3%, D 10%, E 20%, rounded up: B ceil(1.2) = 2, D ceil(0.1) = 1,
E ceil(0.2) = 1 -> 4 entities drawn, the E and the D ones always. Roster I1..I4: 6 teams of two; the
4 drawn entities take 4 different teams (no team is dealt twice before all were dealt).
"""

from __future__ import annotations

import pytest

from tests.conftest import gql as gql_public
from tests.conftest import gql_as, officer
from tests.conftest import gql_reader as gql
from tests.test_linkage import uscc

DEPT = "370200-SCJG"
PLAIN = [uscc(800 + i) for i in range(40)]
EVIL, GENERAL = uscc(850), uscc(851)

REGISTER = """mutation($id: String!, $name: String!) { registerInspector(id: $id, name: $name) {
  __typename ... on InspectorRegistered { inspector { id name } } ... on Refusal { code message } } }"""

DRAW = """mutation($input: DrawInput!) { drawInspection(input: $input) {
  __typename
  ... on DrawMade { draw { id period region seed asOf digest ratios { grade ratio }
                           selections { entity { uscc } grade inspectors { id name } } } }
  ... on Refusal { code message field } } }"""

VERIFY = """query($id: String!) { verifyDraw(id: $id) { matches differences } }"""


@pytest.fixture()
def city(graph):
    lines = [{"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"}]
    for i, u in enumerate([*PLAIN, EVIL, GENERAL]):
        lines.append(
            {
                "kind": "entity",
                "uscc": u,
                "name": f"抽查测试{i}有限公司",
                "form": "COMPANY",
                "status": "ACTIVE",
                "region": "370202",
                "established": "2012-01-01",
            }
        )
    lines += [
        {
            "kind": "record",
            "id": "RE",
            "subject": {"entity": EVIL},
            "category": "PENALTY",
            "severity": "SERIOUS",
            "department": DEPT,
            "decidedOn": "2025-01-10",
        },
        {
            "kind": "listing",
            "id": "LE",
            "subject": {"entity": EVIL},
            "list": "JOINT_PUNISHMENT",
            "department": DEPT,
            "basis": ["RE"],
            "since": "2025-03-01",
        },
        {
            "kind": "record",
            "id": "RD",
            "subject": {"entity": GENERAL},
            "category": "PENALTY",
            "severity": "GENERAL",
            "department": DEPT,
            "decidedOn": "2026-01-10",
        },
    ]
    outcome = graph.import_lines(lines)
    assert outcome.code == 0, outcome.rejects
    return graph


def register(api, *ids):
    for i in ids:
        body = gql_as(api, officer(DEPT), REGISTER, id=i, name=f"检查员{i}")
        assert body["data"]["registerInspector"]["__typename"] == "InspectorRegistered", body


def draw(api, period, seed=None, as_of="2026-06-30"):
    body = gql_as(api, officer(DEPT), DRAW, input={"period": period, "seed": seed, "asOf": as_of})
    assert "errors" not in body, body
    return body["data"]["drawInspection"]


def picks(d):
    return [(s["entity"]["uscc"], s["grade"], tuple(i["id"] for i in s["inspectors"])) for s in d["selections"]]


def test_draw_per_grade_with_teams_reproducible_from_its_seed(api, city):
    register(api, "I1", "I2", "I3", "I4")
    first = draw(api, "2026-Q3", seed="audit-seed-1")
    assert first["__typename"] == "DrawMade", first
    d = first["draw"]
    assert (d["id"], d["region"], d["seed"], d["asOf"]) == (
        f"DRAW-{DEPT}-2026-Q3-370200",
        "370200",
        "audit-seed-1",
        "2026-06-30",
    )
    assert {r["grade"]: r["ratio"] for r in d["ratios"]} == {"A": 0.01, "B": 0.03, "C": 0.05, "D": 0.1, "E": 0.2}
    chosen = picks(d)
    assert [g for _, g, _ in chosen] == ["B", "B", "D", "E"]
    assert (chosen[2][0], chosen[3][0]) == (GENERAL, EVIL)
    assert all(u in PLAIN for u, g, _ in chosen if g == "B")
    teams = [frozenset(t) for _, _, t in chosen]
    assert all(len(t) == 2 and t <= {"I1", "I2", "I3", "I4"} for t in teams) and len(set(teams)) == 4

    # the same seed on the same day and roster draws the same; another seed draws other B entities
    again = draw(api, "2026-Q4", seed="audit-seed-1")["draw"]
    assert picks(again) == chosen and again["digest"] != d["digest"]  # the digest covers the period too
    other = draw(api, "2026-10", seed="audit-seed-2")["draw"]
    assert [u for u, g, _ in picks(other) if g == "B"] != [u for u, g, _ in chosen if g == "B"]

    # a new inspector and a new record after the draw change nothing of its verification
    register(api, "I5")
    city.query(
        "MATCH (e:Entity {uscc: $u}) CREATE (e)-[:HAS_RECORD]->(:Record {id: 'LATE', category: 'PENALTY', "
        "polarity: 'NEGATIVE', severity: 'SERIOUS', decidedOn: date('2026-09-01'), status: 'ACTIVE'})",
        u=PLAIN[0],
    )
    assert gql(api, VERIFY, id=d["id"])["data"]["verifyDraw"] == {"matches": True, "differences": []}

    # a tampered team is detected, and so is an entity swapped for another
    victim = chosen[0][0]
    city.query(
        "MATCH (:Draw {id: $id})-[s:SELECTED]->(:Entity {uscc: $u}) SET s.inspectors = ['I1', 'I5']",
        id=d["id"],
        u=victim,
    )
    tampered = gql(api, VERIFY, id=d["id"])["data"]["verifyDraw"]
    assert tampered["matches"] is False
    assert any(x.startswith(f"{victim}: stored inspectors I1, I5") for x in tampered["differences"]), tampered
    outsider = next(u for u in PLAIN if u not in {c[0] for c in chosen})
    city.query(
        "MATCH (dr:Draw {id: $id})-[s:SELECTED]->(:Entity {uscc: $u}) MATCH (o:Entity {uscc: $o}) "
        "CREATE (dr)-[:SELECTED {grade: s.grade, inspectors: s.inspectors}]->(o) DELETE s",
        id=again["id"],
        u=chosen[1][0],
        o=outsider,
    )
    swapped = gql(api, VERIFY, id=again["id"])["data"]["verifyDraw"]
    assert swapped["matches"] is False and len(swapped["differences"]) == 3  # two entities, and the digest

    listed = gql(api, """{ draws(department: "370200-SCJG", first: 2) { totalCount nodes { period } } }""")
    assert listed["data"]["draws"]["totalCount"] == 3
    assert [n["period"] for n in listed["data"]["draws"]["nodes"]] == ["2026-10", "2026-Q4"]


def test_refusals_leave_nothing_and_a_generated_seed_is_stored(api, city):
    register(api, "I1")
    small = draw(api, "2026-Q3", seed="x")
    assert (small["__typename"], small["code"]) == ("Refusal", "ROSTER_TOO_SMALL")
    assert city.query("MATCH (d:Draw) RETURN count(d) AS n")[0]["n"] == 0
    assert city.query("MATCH (c:Change {operation: 'drawInspection'}) RETURN count(c) AS n")[0]["n"] == 0

    register(api, "I2")
    made = draw(api, "2026-Q3")["draw"]
    assert len(made["seed"]) == 32
    assert gql(api, VERIFY, id=made["id"])["data"]["verifyDraw"]["matches"] is True
    assert draw(api, "2026-Q3", seed="y")["code"] == "ALREADY_DRAWN"
    assert city.query("MATCH (c:Change {operation: 'drawInspection'}) RETURN count(c) AS n")[0]["n"] == 1

    bad = gql_as(api, officer(DEPT), DRAW, input={"period": "Q3-2026"})
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    nobody = gql_public(api, DRAW, input={"period": "2026-Q4"})
    assert nobody["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    taken = gql_as(api, officer(DEPT), REGISTER, id="I1", name="重复")["data"]["registerInspector"]
    assert taken == {"__typename": "Refusal", "code": "DUPLICATE_ID", "message": "an inspector I1 exists already"}
