"""Keyset cursors over HTTP on a hand-built graph: a cursor resumes strictly after its item's sort key,
so an item imported between two pages that sorts before the cursor neither repeats nor pushes an item
off the next page, in every order and direction; cursors of another order or list, old offset cursors
and forged ones are BAD_USER_INPUT; totalCount counts what the reader may see.

The firm E has four roles, four holders (persons, 2%..10%), four records (R3 RESTRICTED, R4 not
published: the public sees R1 and R2 only) and four listings on R1. Every case imports one new item
that sorts first in its order (dates before or after everything already there, drawn from a counter so
that each case's item also sorts before the previous cases' items)."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
from typing import Any

import pytest

from tests.conftest import gql, gql_reader
from tests.test_linkage import ric, uscc

E = uscc(301)
DEPT = "370200-SCJG"
BASE_PERSONS = [ric(301 + i) for i in range(8)]
_counter = itertools.count(1)


def _early(n: int) -> str:
    return (dt.date(1990, 1, 1) - dt.timedelta(days=n)).isoformat()


def _late(n: int) -> str:
    return (dt.date(2026, 1, 1) + dt.timedelta(days=n)).isoformat()


def _base() -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        {
            "kind": "entity",
            "uscc": E,
            "name": "青岛键集商贸有限公司",
            "form": "COMPANY",
            "status": "ACTIVE",
            "region": "370200",
            "established": "2010-01-01",
        },
    ]
    for i, number in enumerate(BASE_PERSONS):
        lines.append({"kind": "person", "idNumber": number, "name": f"基{i}"})
    roles = ["LEGAL_REPRESENTATIVE", "DIRECTOR", "MANAGER", "PRINCIPAL"]
    for i, number in enumerate(BASE_PERSONS[:4]):
        until = "2024-01-01" if i % 2 else None
        lines.append(
            {"kind": "role", "person": number, "entity": E, "role": roles[i], "since": f"201{i}-01-01", "until": until}
        )
    for i, number in enumerate(BASE_PERSONS[4:]):
        until = "2024-06-01" if i % 2 else None
        lines.append(
            {
                "kind": "holding",
                "holder": {"person": number},
                "entity": E,
                "ratio": [0.1, 0.08, 0.05, 0.02][i],
                "since": f"201{i}-06-01",
                "until": until,
            }
        )
    for i in range(1, 5):
        decided = ["2024-03-01", "2024-06-01", "2025-03-01", "2025-06-01"][i - 1]
        record = {
            "kind": "record",
            "id": f"R{i}",
            "subject": {"entity": E},
            "category": "PENALTY",
            "severity": "SERIOUS",
            "department": DEPT,
            "decidedOn": decided,
            "disclosure": "RESTRICTED" if i == 3 else "PUBLIC",
        }
        if i != 4:
            record["publishedOn"] = decided
        lines.append(record)
    for i in range(1, 5):
        lines.append(
            {
                "kind": "listing",
                "id": f"L{i}",
                "subject": {"entity": E},
                "list": "JOINT_PUNISHMENT",
                "department": DEPT,
                "basis": ["R1"],
                "since": f"2024-0{i + 3}-01",
                "until": f"2026-0{i + 3}-01",
            }
        )
    return lines


@pytest.fixture(scope="module")
def keyed(module_graph):
    outcome = module_graph.import_lines(_base())
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


def _role(n: int, field: str, desc: bool) -> list[dict[str, Any]]:
    number = ric(400 + n)
    role, since, until = "DIRECTOR", _early(n), None
    if field == "SINCE" and desc:
        since = _late(n)
    if field == "UNTIL" and not desc:
        since, until = "1970-01-01", _early(n)
    if field == "ROLE":
        role = "SUPERVISOR" if desc else "ACTUAL_CONTROLLER"
    return [
        {"kind": "person", "idNumber": number, "name": f"插{n}"},
        {"kind": "role", "person": number, "entity": E, "role": role, "since": since, "until": until},
    ]


def _holder(n: int, field: str, desc: bool) -> list[dict[str, Any]]:
    number = ric(400 + n)
    ratio, since, until = 0.001, _early(n), None
    if field == "RATIO":
        ratio = 0.2 if desc else 0.0001
    if field == "SINCE" and desc:
        since = _late(n)
    if field == "UNTIL" and not desc:
        since, until = "1970-01-01", _early(n)
    return [
        {"kind": "person", "idNumber": number, "name": f"插{n}"},
        {"kind": "holding", "holder": {"person": number}, "entity": E, "ratio": ratio, "since": since, "until": until},
    ]


def _record(n: int, field: str, desc: bool) -> list[dict[str, Any]]:
    record = {
        "kind": "record",
        "id": f"K{n:03d}",
        "subject": {"entity": E},
        "category": "PENALTY",
        "severity": "SERIOUS",
        "department": DEPT,
    }
    day = _late(n) if desc else _early(n)
    if field == "PUBLISHED_ON" and desc:  # descending, the unpublished (R4) come first: one more, K before R
        record["decidedOn"] = "2024-01-01"
    else:
        record["decidedOn"] = record["publishedOn"] = day
    return [record]


def _listing(n: int, field: str, desc: bool) -> list[dict[str, Any]]:
    since, until = ("2025-06-01", "2027-06-01") if desc else ("2024-03-25", "2024-04-20")
    day = (dt.date.fromisoformat(since) + dt.timedelta(days=(n if desc else -n))).isoformat()
    if field == "SINCE":
        since = day
    else:
        until = (dt.date.fromisoformat(until) + dt.timedelta(days=(n if desc else -n))).isoformat()
    return [
        {
            "kind": "listing",
            "id": f"A{999 - n:03d}",
            "subject": {"entity": E},
            "list": "JOINT_PUNISHMENT",
            "department": DEPT,
            "basis": ["R1"],
            "since": since,
            "until": until,
        }
    ]


CONNECTIONS = {
    "roles": ("RoleOrder", "role since until person { name }", _role),
    "holders": ("HoldingOrder", "ratio since until person { name }", _holder),
    "records": ("RecordOrder", "id decidedOn publishedOn", _record),
    "listings": ("ListingOrder", "id since until", _listing),
}
CASES = [
    (name, field, direction)
    for name, fields in [
        ("roles", ["SINCE", "UNTIL", "ROLE"]),
        ("holders", ["RATIO", "SINCE", "UNTIL"]),
        ("records", ["DECIDED_ON", "PUBLISHED_ON"]),
        ("listings", ["SINCE", "UNTIL"]),
    ]
    for field in fields
    for direction in ["ASC", "DESC"]
]


def _query(name: str) -> str:
    order_type, selection, _ = CONNECTIONS[name]
    return f"""query($u: USCC!, $first: Int, $after: String, $order: {order_type}) {{
      entity(uscc: $u) {{ {name}(first: $first, after: $after, orderBy: $order) {{
        totalCount edges {{ cursor node {{ {selection} }} }}
        pageInfo {{ hasNextPage endCursor hasPreviousPage startCursor }} }} }} }}"""


def _page(api, name: str, order: dict[str, str], first: int, after: str | None = None, read=gql_reader):
    body = read(api, _query(name), u=E, first=first, after=after, order=order)
    assert "errors" not in body, body
    return body["data"]["entity"][name]


def _nodes(page: dict[str, Any]) -> list[str]:
    return [json.dumps(e["node"], sort_keys=True, ensure_ascii=False) for e in page["edges"]]


@pytest.mark.parametrize(("name", "field", "direction"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_an_item_inserted_before_the_cursor_neither_repeats_nor_skips(api, keyed, name, field, direction):
    order = {"field": field, "direction": direction}
    everything = _page(api, name, order, first=100)
    first = _page(api, name, order, first=2)
    assert first["pageInfo"]["hasPreviousPage"] is False and first["pageInfo"]["hasNextPage"] is True
    n = next(_counter)
    outcome = keyed.import_in_process(CONNECTIONS[name][2](n, field, direction == "DESC"))
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    inserted = _page(api, name, order, first=1)
    assert _nodes(inserted)[0] not in _nodes(everything), "the new item sorts first in this order"
    rest, after = [], first["pageInfo"]["endCursor"]
    while after is not None:
        page = _page(api, name, order, first=2, after=after)
        assert page["pageInfo"]["hasPreviousPage"] is True
        assert page["totalCount"] == everything["totalCount"] + 1
        rest += _nodes(page)
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert _nodes(first) + rest == _nodes(everything)


ROLES = """query($after: String, $order: RoleOrder) {
  entity(uscc: "@E") { roles(first: 1, after: $after, orderBy: $order) { edges { cursor } } } }""".replace("@E", E)
HOLDERS = """query($after: String) {
  entity(uscc: "@E") { holders(first: 1, after: $after) { edges { cursor } } } }""".replace("@E", E)


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _refusal(api, query: str, **variables: Any) -> str:
    body = gql_reader(api, query, **variables)
    # the refused page nulls its root: `entity` is nullable, `search` is not (so data is null)
    assert body["data"] in ({"entity": None}, None), body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], body
    return body["errors"][0]["message"]


def test_a_cursor_is_valid_under_its_own_order_and_list_only(api, keyed):
    body = gql_reader(api, ROLES, order={"field": "SINCE", "direction": "ASC"})
    cursor = body["data"]["entity"]["roles"]["edges"][0]["cursor"]
    assert "another order" in _refusal(api, ROLES, after=cursor, order={"field": "SINCE", "direction": "DESC"})
    assert "another order" in _refusal(api, ROLES, after=cursor, order={"field": "ROLE", "direction": "ASC"})
    assert "another list" in _refusal(api, HOLDERS, after=cursor)
    ok = gql_reader(api, ROLES, after=cursor, order={"field": "SINCE", "direction": "ASC"})
    assert "errors" not in ok and ok["data"]["entity"]["roles"]["edges"], ok


def test_an_offset_cursor_of_the_older_version_is_refused_clearly(api, keyed):
    message = _refusal(api, ROLES, after=_cursor("offset:2"))
    assert "older version" in message and "restart from the first page" in message


def _k1(key: Any, kind: str = "entity_roles_page", order: str = "SINCE:DESC") -> str:
    return _cursor("k1:" + json.dumps({"s": kind, "o": order, "k": key}))


@pytest.mark.parametrize(
    "after",
    [
        "not base64!",
        _cursor("k1:{not json"),
        _cursor("k1:[1, 2]"),
        _cursor("k2:{}"),
        _k1([]),
        _k1(list(range(9))),
        _k1([{"date": "2024-13-45"}, "x"]),
        _k1([{"date": 5}, "x"]),
        _k1([[1, 2], "x"]),
        _k1([2**63, "x"]),
        _k1(["x" * 2000]),
        _cursor("k1:" + json.dumps({"s": "entity_roles_page", "o": "SINCE:DESC", "k": "2024-01-01"})),
        _cursor('k1:{"s": "entity_roles_page", "o": "SINCE:DESC", "k": [NaN]}'),
        base64.b64encode(b"\xff\xfe").decode(),
        _cursor("k1:" + "[" * 2_900),  # nested beyond the JSON parser's depth, within the length cap
        "QUFB" * 2_000,
    ],
)
def test_a_forged_or_garbage_cursor_is_bad_user_input(api, keyed, after):
    assert "after" in _refusal(api, ROLES, after=after)


def test_a_well_formed_key_of_the_wrong_types_is_an_empty_page_not_an_error(api, keyed):
    body = gql_reader(api, ROLES, after=_k1(["not a date", 3.5, None, True]))
    assert "errors" not in body and body["data"]["entity"]["roles"]["edges"] == [], body


RECORDS = """query($after: String) {
  entity(uscc: "@E") { records(first: 1, after: $after) {
    totalCount edges { cursor node { id: recordId } } pageInfo { hasNextPage endCursor } } } }""".replace("@E", E)


def test_total_count_counts_only_what_the_public_may_see(api, keyed):
    seen, after = [], None
    while True:
        body = gql(api, RECORDS, after=after)
        assert "errors" not in body, body
        page = body["data"]["entity"]["records"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert page["totalCount"] == len(seen) and {"R1", "R2"} <= set(seen)  # published within 36 months
    assert not {"R3", "R4"} & set(seen)
    officer_view = gql_reader(api, RECORDS)["data"]["entity"]["records"]
    assert officer_view["totalCount"] >= page["totalCount"] + 2


SEARCH = """query($q: String!, $first: Int, $after: String) {
  search(query: $q, first: $first, after: $after) {
    totalCount edges { cursor node { key name } } pageInfo { hasNextPage endCursor hasPreviousPage } } }"""


def _search(api, read=gql_reader, **variables):
    body = read(api, SEARCH, **variables)
    assert "errors" not in body, body
    return body["data"]["search"]


def test_search_counts_and_pages_by_key(api, keyed):
    # 键 is in E's name only; 插 starts the names of the persons the cases above imported.
    assert _search(api, q="键集")["totalCount"] == 1
    persons = _search(api, q="插", first=100)
    assert persons["totalCount"] == len(persons["edges"]) >= 1
    public = _search(api, read=gql, q="插", first=100)
    assert public["totalCount"] == len(public["edges"]) == persons["totalCount"]  # the masked 插* shows 插
    assert _search(api, read=gql, q="插0")["totalCount"] == 0  # beyond the visible first character
    everything = _search(api, q="基", first=100)
    first = _search(api, q="基", first=3)
    assert first["totalCount"] == everything["totalCount"] == 8 and first["pageInfo"]["hasNextPage"]
    # A shorter name sorts first in a one-character search: it lands before the cursor.
    outcome = keyed.import_lines([{"kind": "person", "idNumber": ric(499), "name": "基"}])
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    assert _search(api, q="基", first=1)["edges"][0]["node"]["name"] == "基"
    rest = _search(api, q="基", first=100, after=first["pageInfo"]["endCursor"])
    assert rest["pageInfo"]["hasPreviousPage"] is True and rest["totalCount"] == 9
    assert [e["node"]["key"] for e in first["edges"] + rest["edges"]] == [e["node"]["key"] for e in everything["edges"]]
    assert "another list" in _refusal(api, SEARCH, q="键集", after=first["pageInfo"]["endCursor"])
