"""What a client sends cannot grow the service: the body limit holds on the bytes actually read (chunked
bodies have no Content-Length to check), and neither `extensions.code` nor a metric label value is ever a
string the client chose — so distinct junk requests add nothing to /metrics."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from graph_api.ops import metrics
from tests.conftest import gql
from tests.test_linkage import A  # any valid USCC: a costly query is refused before anything is looked up

DEPARTMENT = "query %s($c: String!) { department(code: $c) { name } }"


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    yield b'{"query": "{ __typename }", "variables": {"pad": "'
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size
    yield b'"}}'


def test_a_chunked_body_over_the_limit_is_refused(api):
    # A generator body goes out chunked: no Content-Length header for the server to check first.
    response = api.post(
        "/graphql",
        content=_chunks(1_100_000),
        headers={"content-type": "application/json", "accept": "application/graphql-response+json"},
    )
    assert response.status_code == 413, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_a_chunked_body_under_the_limit_is_answered(api):
    response = api.post("/graphql", content=_chunks(100_000), headers={"content-type": "application/json"})
    assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}, response.text


def test_a_client_chosen_string_is_never_an_error_code(api):
    junk = f"JUNK_{uuid.uuid4().hex[:8].upper()}"
    body = gql(api, DEPARTMENT % "Q", c=junk)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"], body
    assert junk not in api.get("/metrics").text


def test_operation_names_do_not_become_metric_labels(api):
    names = [f"Junk{uuid.uuid4().hex}" for _ in range(3)]
    for name in names:
        gql(api, DEPARTMENT % name, c="370200-SCJG")
    text = api.get("/metrics").text
    assert not any(name in text for name in names)
    assert 'operation="department"' in text


def test_operation_labels_come_from_the_schema():
    known = {"entity", "search"}
    assert metrics.root_fields_label(["entity"], known) == "entity"
    assert metrics.root_fields_label(["entity", "entity"], known) == "entity"
    assert metrics.root_fields_label(["entity", "search"], known) == "multiple"
    assert metrics.root_fields_label(["entity", "madeUp"], known) == "other"
    assert metrics.root_fields_label([], known) == "other"


# The cost limit counts the page sizes execution will use (graph_api.api.graphql.limits): literal or
# variable, the variable's default or the field's, through aliases, fragments and @skip/@include.
SEARCH_PAGE = 'query($n: Int!) { search(query: "海岳", first: $n) { edges { cursor } } }'
ENTITY_PAGES = """query($u: USCC!, $n: Int!) { %s }
fragment Pages on Entity { roles(first: $n) { totalCount } records(first: $n) { totalCount } }"""


def _cost_error(body: dict) -> dict:
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY", body
    assert str(error["extensions"]["limit"]) in error["message"], error  # the message names the budget
    return error["extensions"]


def test_a_page_size_from_a_variable_is_counted(api):
    assert _cost_error(gql(api, SEARCH_PAGE, n=10**6)) == {"code": "QUERY_TOO_COSTLY", "cost": 10**6, "limit": 5000}


def test_a_page_size_from_a_variable_default_is_counted(api):
    query = 'query($n: Int! = 1000000) { search(query: "海岳", first: $n) { edges { cursor } } }'
    assert _cost_error(gql(api, query))["cost"] == 10**6


def test_a_page_size_in_a_fragment_counts_once_per_alias(api):
    # 26 aliases × (roles + records) × 100 = 5200 items: over; the same at 90 per page (4680) is not.
    aliases = " ".join(f"e{i}: entity(uscc: $u) {{ ...Pages }}" for i in range(26))
    assert _cost_error(gql(api, ENTITY_PAGES % aliases, u=A, n=100))["cost"] == 5200
    body = gql(api, ENTITY_PAGES % aliases, u=A, n=90)
    assert all(e["extensions"]["code"] != "QUERY_TOO_COSTLY" for e in body.get("errors") or []), body


def test_an_inline_fragment_and_a_field_default_are_counted(api):
    # roles' default page is 20: 30 aliases × (20 + 200) = 6600
    selection = "... on Entity { roles { totalCount } } records(first: $n) { totalCount }"
    aliases = " ".join(f"e{i}: entity(uscc: $u) {{ {selection} }}" for i in range(30))
    assert _cost_error(gql(api, f"query($u: USCC!, $n: Int!) {{ {aliases} }}", u=A, n=200))["cost"] == 6600


def test_a_skipped_field_costs_nothing(api):
    query = """query($n: Int!, $skip: Boolean!) {
      search(query: "海岳", first: $n) @skip(if: $skip) { edges { cursor } } }"""
    skipped = gql(api, query, n=10**6, skip=True)
    assert skipped["data"] == {} and "errors" not in skipped, skipped
    assert _cost_error(gql(api, query, n=10**6, skip=False))["cost"] == 10**6


def test_variables_that_do_not_coerce_get_their_own_error_not_a_cost(api):
    body = gql(api, SEARCH_PAGE, n="many")
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], body


def test_nested_page_sizes_multiply():
    """No connection of this schema holds another yet; the rule is checked on a small schema of its own."""
    from graphql import build_schema, parse

    from graph_api.api.graphql.limits import query_cost

    schema = build_schema(
        """type Query { shops(first: Int = 10): ShopPage }
        type ShopPage { nodes: [Shop] }
        type Shop { staff(first: Int = 5): StaffPage }
        type StaffPage { nodes: [Staff] }
        type Staff { name: String }"""
    )
    nested = "query($n: Int) { shops(first: $n) { nodes { staff { nodes { name } } } } }"
    assert query_cost(schema, parse(nested), None, {"n": 100}) == 100 + 100 * 5
    assert query_cost(schema, parse(nested), None, {}) == 10 + 10 * 5
    bomb = (
        "query { shops { nodes { ...A } } } fragment A on Shop { a: staff { ...B } b: staff { ...B } } "
        "fragment B on StaffPage { nodes { name } }"
    )
    assert query_cost(schema, parse(bomb), None, {}) == 10 + 10 * (5 + 5)
