"""Risk scans (riskScan, `graph-api scan risks`) and changedSince over GraphQL HTTP and the CLI, on a
hand-built graph whose answers were worked out on paper. As of 2024-12-01:

    A1, A2 (Qingdao, 370200) are on the joint-punishment list since 2024-01-15 (basis R1, R2 of 2023-10-10).
    P is legal representative of A1, A2 and A3 since 2020, and actual controller of J1 (Jinan, 370102)
      since 2024-06-01: responsible for 4 entities of which 2 listed; bound by L1 and L2 (in the window)
      and tied to 1 entity in another city (J1; A3 is in the same city).
    Q is legal representative of A1 only: 1 listed entity, below every bound.
    A1 holds 60% of S1 (majority) and 30% of S2 (minority: no tie).
      Clusters within 2 relationships: A1 -> S1 (1), A2, A3, J1 (through P): 4 members, 1 listed (A2);
      A2 -> A1, A3, J1 (through P): 3 members, 1 listed (S1 is 3 relationships from A2).
    C1 holds 30% of C2, C2 40% of C3, C3 20% of C1: one cycle of 3, reported once, from C1.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from graph_api.domain.identifiers import ric_check_char, uscc_check_char
from tests.conftest import entity_user, gql, gql_as, investigator, officer, token
from tests.conftest import gql_reader as gql_inv


def uscc(area: str, n: int) -> str:
    body = f"91{area}MA{n:07d}"
    return body + uscc_check_char(body)


def ric(n: int) -> str:
    body = f"37020219800101{n:03d}"
    return body + ric_check_char(body)


A1, A2, A3, S1, S2, C1, C2, C3 = (uscc("370200", i) for i in range(101, 109))
J1 = uscc("370100", 201)
P, Q = ric(41), ric(42)
DEPT = "370200-SCJG"
AS_OF = "2024-12-01"


def build() -> list[dict]:
    def entity(code, name, region="370202"):
        return {
            "kind": "entity",
            "uscc": code,
            "name": name,
            "form": "COMPANY",
            "status": "ACTIVE",
            "region": region,
            "established": "2015-01-01",
        }

    def role(number, code, kind, since="2020-01-01"):
        return {"kind": "role", "person": number, "entity": code, "role": kind, "since": since, "until": None}

    def holding(holder, code, ratio):
        return {"kind": "holding", "holder": {"entity": holder}, "entity": code, "ratio": ratio, "since": "2016-01-01"}

    def listed(subject, n):
        return [
            {
                "kind": "record",
                "id": f"RR{n}",
                "subject": {"entity": subject},
                "category": "PENALTY",
                "severity": "SERIOUS",
                "department": DEPT,
                "decidedOn": "2023-10-10",
                "publishedOn": "2023-10-16",
            },
            {
                "kind": "listing",
                "id": f"RL{n}",
                "subject": {"entity": subject},
                "list": "JOINT_PUNISHMENT",
                "department": DEPT,
                "basis": [f"RR{n}"],
                "since": "2024-01-15",
            },
        ]

    return [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        entity(A1, "青岛一号商贸有限公司"),
        entity(A2, "青岛二号商贸有限公司"),
        entity(A3, "青岛三号商贸有限公司"),
        entity(S1, "青岛控股子有限公司"),
        entity(S2, "青岛参股子有限公司"),
        entity(C1, "环一有限公司"),
        entity(C2, "环二有限公司"),
        entity(C3, "环三有限公司"),
        entity(J1, "济南异地有限公司", region="370102"),
        {"kind": "person", "idNumber": P, "name": "多企张"},
        {"kind": "person", "idNumber": Q, "name": "单企李"},
        role(P, A1, "LEGAL_REPRESENTATIVE"),
        role(P, A2, "LEGAL_REPRESENTATIVE"),
        role(P, A3, "LEGAL_REPRESENTATIVE"),
        role(P, J1, "ACTUAL_CONTROLLER", "2024-06-01"),
        role(Q, A1, "PRINCIPAL"),
        holding(A1, S1, 0.6),
        holding(A1, S2, 0.3),
        holding(C1, C2, 0.3),
        holding(C2, C3, 0.4),
        holding(C3, C1, 0.2),
        *listed(A1, 1),
        *listed(A2, 2),
    ]


@pytest.fixture(scope="module")
def risky(module_graph):
    outcome = module_graph.import_lines(build())
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


SCAN = """
query($kind: RiskKind!, $asOf: Date, $first: Int, $after: String, $maxHops: Int, $maxLength: Int,
      $level: RegionLevel, $region: String) {
  riskScan(kind: $kind, asOf: $asOf, first: $first, after: $after, maxHops: $maxHops, maxLength: $maxLength,
           level: $level, region: $region) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { kind score count subject { kind key name }
            paths { nodes { kind key } steps { relation fromKey toKey ratio } text } }
  }
}"""


def scan(api, kind, **args):
    body = gql_inv(api, SCAN, kind=kind, asOf=AS_OF, **args)
    assert "errors" not in body, body["errors"]
    return body["data"]["riskScan"]


def test_a_person_responsible_for_four_firms_two_listed(api, risky):
    found = scan(api, "RESPONSIBLE_OF_LISTED")
    assert found["totalCount"] == 1
    [p] = found["nodes"]
    assert (p["subject"]["kind"], p["subject"]["name"], p["score"], p["count"]) == ("PERSON", "多企张", 2, 4)
    assert p["subject"]["key"].startswith("P") and P not in json.dumps(p)
    ends = sorted(path["nodes"][-1]["key"] for path in p["paths"])
    assert ends == sorted(["RL1", "RL2", A3, J1])
    listed = next(path for path in p["paths"] if path["nodes"][-1]["key"] == "RL1")
    assert [s["relation"] for s in listed["steps"]] == ["LEGAL_REPRESENTATIVE", "LISTED_ON"]


def test_clusters_rank_by_members_and_page_by_cursor(api, risky):
    first = scan(api, "LISTED_CLUSTER", first=1)
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    [a1] = first["nodes"]
    assert (a1["subject"]["key"], a1["score"], a1["count"]) == (A1, 4, 1)
    by_end = {path["nodes"][-1]["key"]: path for path in a1["paths"]}
    assert set(by_end) == {S1, A2, A3, J1}
    assert [(s["relation"], s["ratio"]) for s in by_end[S1]["steps"]] == [("HOLDS", 0.6)]
    assert [n["kind"] for n in by_end[J1]["nodes"]] == ["ENTITY", "PERSON", "ENTITY"]
    second = scan(api, "LISTED_CLUSTER", first=1, after=first["pageInfo"]["endCursor"])
    [a2] = second["nodes"]
    assert (a2["subject"]["key"], a2["score"], a2["count"]) == (A2, 3, 1)
    assert second["pageInfo"]["hasNextPage"] is False
    assert scan(api, "LISTED_CLUSTER", maxHops=1)["nodes"][0]["score"] == 1  # A1 -> S1 alone


def test_a_bound_persons_firm_in_another_region(api, risky):
    [p] = scan(api, "BOUND_ELSEWHERE")["nodes"]
    assert (p["subject"]["name"], p["score"], p["count"]) == ("多企张", 1, 2)
    elsewhere = [path for path in p["paths"] if path["nodes"][-1]["key"] == J1]
    assert [s["relation"] for s in elsewhere[0]["steps"]] == ["ACTUAL_CONTROLLER"]
    assert A3 not in {path["nodes"][-1]["key"] for path in p["paths"]}  # same city
    assert scan(api, "BOUND_ELSEWHERE", level="PROVINCE")["totalCount"] == 0  # 3701 and 3702: both 37
    assert scan(api, "BOUND_ELSEWHERE", region="370100")["totalCount"] == 0  # no listed entity in Jinan


def test_a_cycle_of_holdings_is_found_once(api, risky):
    found = scan(api, "CIRCULAR_HOLDING")
    assert found["totalCount"] == 1
    [c] = found["nodes"]
    assert (c["subject"]["key"], c["score"]) == (C1, 3)
    [path] = c["paths"]
    assert [n["key"] for n in path["nodes"]] == [C1, C2, C3]
    assert [(s["fromKey"], s["toKey"], s["ratio"]) for s in path["steps"]] == [
        (C1, C2, 0.3),
        (C2, C3, 0.4),
        (C3, C1, 0.2),
    ]
    assert scan(api, "CIRCULAR_HOLDING", maxLength=2)["totalCount"] == 0


def test_risk_scans_are_for_investigators_only(api, risky):
    query = "{ riskScan(kind: CIRCULAR_HOLDING) { totalCount } }"
    assert gql(api, query)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gql_as(api, officer(DEPT), query)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert gql_as(api, entity_user(A1), query)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert gql_as(api, token("SANCTIONS", "s-1"), query)["data"]["riskScan"]["totalCount"] == 1


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"maxHops": 9}, "maxHops"),
        ({"region": "Qingdao"}, "region"),
        ({"maxLength": 1}, "maxLength"),
        ({"first": 0}, "first"),
        ({"after": "not-a-cursor"}, "after"),
    ],
)
def test_bad_scan_arguments_are_the_callers_error(api, risky, args, field):
    body = gql_inv(api, SCAN, kind="LISTED_CLUSTER", **args)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == field, error


def test_a_cursor_of_another_scan_is_refused(api, risky):
    cursor = scan(api, "LISTED_CLUSTER", first=1)["pageInfo"]["endCursor"]
    body = gql_inv(api, SCAN, kind="LISTED_CLUSTER", first=1, after=cursor, maxHops=3)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_cli_writes_the_same_findings(risky, cli, tmp_path):
    out = tmp_path / "cycles.jsonl"
    result = cli("scan", "risks", "--kind", "CIRCULAR_HOLDING", "--as-of", AS_OF, "--out", str(out))
    assert result.code == 0, result.stderr
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert (line["kind"], line["subject"]["key"], line["score"]) == ("CIRCULAR_HOLDING", C1, 3)
    [text] = line["paths"]
    assert all(name in text for name in ("环一有限公司", "环二有限公司", "环三有限公司")), text
    people = cli("scan", "risks", "--kind", "RESPONSIBLE_OF_LISTED", "--as-of", AS_OF)
    assert people.code == 0, people.stderr
    [person] = [json.loads(x) for x in people.stdout.splitlines()]
    assert (person["subject"]["name"], person["score"], person["count"]) == ("多企张", 2, 4)
    assert P not in people.stdout
    bad = cli("scan", "risks", "--kind", "LISTED_CLUSTER", "--max-hops", "9")
    assert bad.code == 2 and "maxHops" in bad.stderr


CHANGED = """
query($since: DateTime!, $subjects: [ScreenSubjectInput!]!) {
  changedSince(since: $since, subjects: $subjects) {
    index changed kinds listingsEntered listingsLeft gradeThen gradeNow listings records
    node { kind key } error { code }
  }
}"""


def changed(api, since, subjects, actor=None):
    body = gql_as(api, actor or investigator(), CHANGED, since=since, subjects=subjects)
    assert "errors" not in body, body["errors"]
    return body["data"]["changedSince"]


def test_changed_since_says_what_changed_per_subject(api, risky):
    a1, c1, unknown, p = changed(
        api, "2020-01-01T00:00:00Z", [{"uscc": A1}, {"uscc": C1}, {"uscc": uscc("370200", 999)}, {"idNumber": P}]
    )
    assert a1["changed"] and set(a1["kinds"]) >= {"EXPOSURE", "LISTING", "RECORD"}
    assert (a1["listingsEntered"], a1["listingsLeft"], a1["listings"], a1["records"]) == (["RL1"], [], ["RL1"], ["RR1"])
    assert a1["gradeThen"] != a1["gradeNow"] and "GRADE" in a1["kinds"]
    assert (c1["changed"], c1["kinds"], c1["listings"], c1["records"]) == (False, [], [], [])
    assert c1["gradeThen"] == c1["gradeNow"] is not None
    assert unknown["error"]["code"] == "NOT_FOUND" and unknown["node"] is None
    assert (p["kinds"], p["listingsEntered"]) == (["EXPOSURE"], ["RL1", "RL2"])


def test_nothing_changed_since_now(api, risky):
    now = dt.datetime.now(dt.UTC).isoformat()
    [a1] = changed(api, now, [{"uscc": A1}])
    assert (a1["changed"], a1["kinds"]) == (False, [])


def test_changed_since_for_the_public_and_bad_input(api, risky):
    body = gql(api, CHANGED, since="2020-01-01T00:00:00Z", subjects=[{"uscc": A1}, {"idNumber": P}])
    a1, p = body["data"]["changedSince"]
    assert a1["listingsEntered"] == ["RL1"]
    assert p["error"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN") and p["node"] is None
    naive = gql(api, CHANGED, since="2020-01-01T00:00:00", subjects=[{"uscc": A1}])
    assert naive["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    many = gql(api, CHANGED, since="2020-01-01T00:00:00Z", subjects=[{"uscc": A1}] * 501)
    assert many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
