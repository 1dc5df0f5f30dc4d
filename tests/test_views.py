"""Entity and person views: every growing list is a cursor connection with filters and sort order.

Worked on the linkage graph of test_linkage (see its docstring). Roles of A, by start date:
    OLD  LEGAL_REPRESENTATIVE 2015-01-01..2023-09-01     CTRL ACTUAL_CONTROLLER 2015-01-01..
    DIR  DIRECTOR             2015-01-01..               MID  LEGAL_REPRESENTATIVE 2023-09-01..2023-12-01
    NEW  LEGAL_REPRESENTATIVE 2023-12-01..2024-03-01     LATE LEGAL_REPRESENTATIVE 2024-03-01..
Equal keys fall back to start date, then role name.
"""

from __future__ import annotations

import pytest

from tests.conftest import gql_reader as gql
from tests.test_linkage import CTRL, O1, O3, X1, A, Q, build

ROLES = """query($uscc: USCC!, $first: Int, $after: String, $where: RoleFilter, $order: RoleOrder) {
  entity(uscc: $uscc) { roles(first: $first, after: $after, where: $where, orderBy: $order) {
    totalCount edges { cursor node { role since until person { name } } }
    pageInfo { hasNextPage endCursor hasPreviousPage startCursor } } }
}"""


@pytest.fixture(scope="module")
def linked(module_graph):
    outcome = module_graph.import_lines(build())
    assert outcome.code == 0, outcome.rejects
    return module_graph


def _roles(api, **variables):
    body = gql(api, ROLES, uscc=A, **variables)
    assert "errors" not in body, body
    return body["data"]["entity"]["roles"]


def _names(connection):
    return [e["node"]["person"]["name"] for e in connection["edges"]]


def test_roles_are_paged_newest_first(api, linked):
    first = _roles(api, first=2)
    assert first["totalCount"] == 6 and _names(first) == ["晚赵", "新王"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    second = _roles(api, first=2, after=first["pageInfo"]["endCursor"])
    assert _names(second) == ["中李", "控刘"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert second["pageInfo"]["startCursor"] == second["edges"][0]["cursor"] != first["pageInfo"]["startCursor"]
    last = _roles(api, first=5, after=second["pageInfo"]["endCursor"])
    assert _names(last) == ["董陈", "老张"] and last["pageInfo"]["hasNextPage"] is False


def test_roles_sorted_and_filtered(api, linked):
    assert _names(_roles(api, order={"field": "SINCE", "direction": "ASC"})) == [
        "控刘",
        "董陈",
        "老张",
        "中李",
        "新王",
        "晚赵",
    ]
    # open-ended roles have no end: last when ascending
    assert _names(_roles(api, order={"field": "UNTIL", "direction": "ASC"})) == [
        "老张",
        "中李",
        "新王",
        "控刘",
        "董陈",
        "晚赵",
    ]
    on_new_year = _roles(api, where={"roles": ["LEGAL_REPRESENTATIVE"], "activeOn": "2024-01-01"})
    assert on_new_year["totalCount"] == 1 and _names(on_new_year) == ["新王"]
    by_role = _roles(api, order={"field": "ROLE", "direction": "ASC"}, first=3)
    assert [e["node"]["role"] for e in by_role["edges"]] == ["ACTUAL_CONTROLLER", "DIRECTOR", "LEGAL_REPRESENTATIVE"]


def test_holdings_holders_listings_and_person_roles(api, linked):
    body = gql(
        api,
        """query($a: USCC!, $x: USCC!, $ctrl: String!, $q: String!) {
      a: entity(uscc: $a) {
        holdings { totalCount nodes { ratio entity { uscc } } }
        smallFirst: holdings(orderBy: {field: RATIO, direction: ASC}) { nodes { entity { uscc } } }
        majority: holdings(where: {minRatio: 0.5}) { totalCount nodes { entity { uscc } } }
        listings { totalCount nodes { id: listingId status basis } }
        red: listings(where: {lists: [RED]}) { totalCount }
        ended: listings(where: {activeOn: "2026-02-01"}) { totalCount }
        inForce: listings(where: {activeOn: "2024-06-01", statuses: [ACTIVE]}) { totalCount }
      }
      x: entity(uscc: $x) { holders { nodes { ratio person { name } entity { uscc } } } }
      ctrl: person(idNumber: $ctrl) { roles { nodes { role entity { name } } } listings { totalCount } }
      q: person(idNumber: $q) { holdings { nodes { ratio entity { uscc } } } }
    }""",
        a=A,
        x=X1,
        ctrl=CTRL,
        q=Q,
    )
    assert "errors" not in body, body
    a = body["data"]["a"]
    assert a["holdings"] == {
        "totalCount": 2,
        "nodes": [{"ratio": 0.6, "entity": {"uscc": O1}}, {"ratio": 0.3, "entity": {"uscc": O3}}],
    }
    assert [n["entity"]["uscc"] for n in a["smallFirst"]["nodes"]] == [O3, O1]
    assert a["majority"] == {"totalCount": 1, "nodes": [{"entity": {"uscc": O1}}]}
    assert a["listings"] == {"totalCount": 1, "nodes": [{"id": "L1", "status": "ACTIVE", "basis": ["R1"]}]}
    assert (a["red"]["totalCount"], a["ended"]["totalCount"], a["inForce"]["totalCount"]) == (0, 0, 1)
    assert body["data"]["x"]["holders"]["nodes"] == [{"ratio": 0.7, "person": {"name": "钱总"}, "entity": None}]
    ctrl = body["data"]["ctrl"]
    assert [(n["role"], n["entity"]["name"]) for n in ctrl["roles"]["nodes"]] == [
        ("LEGAL_REPRESENTATIVE", "青岛新岳商贸有限公司"),
        ("DIRECTOR", "青岛明德贸易有限公司"),
        ("ACTUAL_CONTROLLER", "青岛海岳商贸有限公司"),
    ]
    assert ctrl["listings"]["totalCount"] == 0  # bound through A, not listed in own name: see exposure
    assert body["data"]["q"]["holdings"]["nodes"] == [{"ratio": 0.7, "entity": {"uscc": X1}}]


@pytest.mark.parametrize(
    "variables, reason",
    [
        ({"first": 0}, "first must be between 1 and 100"),
        ({"first": 101}, "first must be between 1 and 100"),
        ({"after": "not-a-cursor"}, "after is not a cursor"),
    ],
)
def test_page_arguments_are_checked(api, linked, variables, reason):
    body = gql(api, ROLES, uscc=A, **variables)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and reason in error["message"]
