"""A client's mistake is the client's: malformed input of every kind found while attacking the API answers
BAD_USER_INPUT (a 4xx with `application/graphql-response+json`) with a message saying what is wrong — never
INTERNAL_SERVER_ERROR, never a plain-text 500."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.conftest import gql, officer, serve
from tests.test_hardening import PRODUCTION
from tests.test_linkage import DEPT, A, build

SEARCH = "query($q: String!, $after: String) { search(query: $q, after: $after) { edges { node { name } } } }"
GRADE = "query($u: USCC!, $asOf: Date) { grade(uscc: $u, asOf: $asOf) { grade } }"
CONTROLLERS = "query($u: USCC!, $asOf: Date) { controllers(uscc: $u, asOf: $asOf) { asOf } }"
ELIGIBILITY = """query($s: SubjectInput!, $scenario: Scenario!, $asOf: Date) {
  eligibility(subject: $s, scenario: $scenario, asOf: $asOf) { allowed } }"""
ROLES = """query($u: USCC!, $after: String) { entity(uscc: $u) { roles(after: $after) { totalCount } } }"""
REPORT = """mutation($t: String!, $on: Date) { reportExecution(task: $t, outcome: EXECUTED, on: $on) {
  __typename ... on Refusal { code } } }"""
DELIST = """mutation($l: String!, $on: Date) { delist(listing: $l, reason: "client mistakes test", on: $on) {
  __typename ... on Refusal { code } } }"""
REPAIR = """mutation($id: String!, $on: Date) { decideRepair(id: $id, approve: true, on: $on) {
  __typename ... on Refusal { code } } }"""


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


# (case id, query, variables, acting officer's department or None for the public, what the message says)
CASES: list[tuple[str, str, dict[str, Any], str | None, str]] = [
    *(
        (f"search-lucene-{i}", SEARCH, {"q": q}, None, "")
        for i, q in enumerate(
            ["华岳 AND", "AND", "OR 华岳", "NOT", "华岳 NOT 控股", "* *", '"', '"华岳', "华岳~", "~2", "a AND OR NOT b"]
        )
    ),
    ("unknown-enum", ELIGIBILITY, {"s": {"uscc": A}, "scenario": "NO_SUCH_SCENARIO"}, None, "NO_SUCH_SCENARIO"),
    ("unknown-input-field", ELIGIBILITY, {"s": {"uscc": A, "colour": "red"}, "scenario": "BIDDING"}, None, "colour"),
    ("year-1-grade", GRADE, {"u": A, "asOf": "0001-01-01"}, None, "asOf"),
    ("year-9999-grade", GRADE, {"u": A, "asOf": "9999-12-31"}, None, "asOf"),
    ("year-1-controllers", CONTROLLERS, {"u": A, "asOf": "0001-01-01"}, None, "asOf"),
    ("year-1-eligibility", ELIGIBILITY, {"s": {"uscc": A}, "scenario": "BIDDING", "asOf": "0001-01-01"}, None, "asOf"),
    ("not-a-date", GRADE, {"u": A, "asOf": "2024-02-30"}, None, "asOf"),
    ("date-not-a-string", GRADE, {"u": A, "asOf": 20240101}, None, "asOf"),
    ("year-9999-execution", REPORT, {"t": "T-client-mistakes", "on": "9999-12-31"}, DEPT, "outside"),
    ("future-execution", REPORT, {"t": "T-client-mistakes", "on": "2190-01-01"}, DEPT, "future"),
    ("future-delist", DELIST, {"l": "L-client-mistakes", "on": "2190-01-01"}, DEPT, "future"),
    ("future-repair-decision", REPAIR, {"id": "R-client-mistakes", "on": "2190-01-01"}, DEPT, "future"),
    ("huge-cursor-search", SEARCH, {"q": "华岳", "after": _cursor("offset:" + "9" * 30)}, None, "after"),
    ("huge-cursor-roles", ROLES, {"u": A, "after": _cursor("offset:" + "9" * 30)}, None, "after"),
]


@pytest.fixture(scope="module")
def linked(module_graph):
    assert module_graph.import_lines(build()).code == 0
    return module_graph


@pytest.mark.parametrize(
    ("query", "variables", "department", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_client_mistake_is_bad_user_input(api, linked, query, variables, department, says):
    headers = {"accept": "application/graphql-response+json", **(officer(department) if department else {})}
    response = api.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/graphql-response+json"), response.text
    body = response.json()
    if "errors" not in body:  # Lucene's words in a search are plain words: found or not, no error
        assert query == SEARCH and isinstance(body["data"]["search"]["edges"], list), body
        return
    codes = [e["extensions"]["code"] for e in body["errors"]]
    assert codes and set(codes) <= {"BAD_USER_INPUT"}, body
    assert says in body["errors"][0]["message"], body


@pytest.mark.parametrize("depth", [40, 100_000])
def test_a_deeply_nested_body_is_refused_with_a_reason(api, depth):
    variables = json.dumps(_nested(40)) if depth == 40 else "[" * depth + "]" * depth
    body = '{"query": "{ __typename }", "variables": {"v": ' + variables + "}}"
    response = api.post(
        "/graphql",
        content=body.encode(),
        headers={"content-type": "application/json", "accept": "application/graphql-response+json"},
    )
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST" and "nested more than" in error["message"]


@pytest.fixture(scope="module")
def production(neo4j_server_running, tmp_path_factory):
    with serve(tmp_path_factory, PRODUCTION) as client:
        yield client


def test_in_production_a_bad_variable_suggests_no_schema_names(production, linked):
    body = gql(production, ELIGIBILITY, s={"uscc": A}, scenario="BIDDIN")
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "BIDDIN" in error["message"], body
    assert "Did you mean" not in error["message"] and "BIDDING" not in error["message"], body


def test_a_date_literal_out_of_range_is_refused_before_execution(api, linked):
    body = gql(api, '{ grade(uscc: "' + A + '", asOf: "0001-01-01") { grade } }')
    error = body["errors"][0]
    assert error["extensions"]["code"] in ("GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"), body
    assert "1900-01-01" in error["message"], body


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'{"query": "\xe8T"}', "UTF-8"),
        (b"\x8c\x91", "UTF-8"),
        (b"null", "JSON object"),
        (b"0", "JSON object"),
        (b"true", "JSON object"),
        (b'"{ __typename }"', "JSON object"),
        (b"[1, 2]", "JSON object"),
    ],
    ids=["latin-1-in-json", "not-utf-8", "null", "number", "boolean", "string", "batch-of-numbers"],
)
def test_a_body_that_is_not_a_json_object_is_a_bad_request(api, body, says):
    # Found by tests/test_adversarial.py: each was a plain-text 500 that also dropped the connection.
    response = api.post(
        "/graphql",
        content=body,
        headers={"content-type": "application/json", "accept": "application/graphql-response+json"},
    )
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST" and says in error["message"], error


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_another_http_method_is_a_graphql_405_naming_the_allowed_ones(api, method):
    response = api.request(method, "/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
