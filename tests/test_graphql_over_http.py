"""The endpoint follows the GraphQL-over-HTTP specification.

The whole server audit of the npm package `graphql-http` (pinned in `tools/graphql-http-audit`) runs against
the served endpoint and must report no error; then the points a frontend client depends on are checked
directly over HTTP: GET queries, no mutations over GET, media-type negotiation, and the status codes of
request errors under `application/graphql-response+json` and under legacy `application/json`.
Node and npm are part of the machine: if they are missing the audit fails, it never skips.
"""

from __future__ import annotations

import json
import subprocess
import warnings

import httpx
import pytest

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


def endpoint(api: httpx.Client) -> str:
    return str(api.base_url.join("/graphql"))


def post(api: httpx.Client, body: object, accept: str | None) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if accept is not None:
        headers["accept"] = accept
    return api.post("/graphql", content=body if isinstance(body, (str, bytes)) else json.dumps(body), headers=headers)


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def test_graphql_http_server_audit_reports_no_errors(api, audit_tool):
    proc = subprocess.run(
        ["node", str(audit_tool), endpoint(api)], capture_output=True, text=True, timeout=300, cwd=audit_tool.parent
    )
    assert proc.returncode in (0, 1), f"the audit could not run ({proc.returncode}):\n{proc.stderr}\n{proc.stdout}"
    summary = json.loads(proc.stdout)
    counts, failed = summary["counts"], summary["results"]
    report = "\n".join(
        f"  {r['status']:6} {r['id']} {r['name']}: {r['reason']}\n         response: {r['response']}" for r in failed
    )
    assert counts["error"] == 0 and proc.returncode == 0, (
        f"graphql-http {summary['graphqlHttpVersion']} audit of {summary['url']}: {counts}\n{report}"
    )
    assert counts["ok"] + counts["notice"] + counts["warn"] == summary["total"] > 0
    if counts["warn"]:
        warnings.warn(f"GraphQL-over-HTTP audit: {counts['warn']} recommendation(s) not met:\n{report}", stacklevel=1)


def test_a_query_over_get_with_url_parameters(api):
    response = api.get(
        "/graphql",
        headers={"accept": JSON},
        params={
            "query": "query TypeName($name: String!) { __type(name: $name) { name } }",
            "operationName": "TypeName",
            "variables": json.dumps({"name": "Query"}),
        },
    )
    assert response.status_code == 200, response.text
    assert media_type(response) == JSON
    assert response.json()["data"] == {"__type": {"name": "Query"}}


def test_a_mutation_over_get_is_refused_with_405(api):
    # The operation type is checked before validation, so this holds whether or not the schema has a
    # Mutation type yet: a GET never executes a mutation.
    for accept in (GRAPHQL_RESPONSE_JSON, JSON):
        response = api.get("/graphql", headers={"accept": accept}, params={"query": "mutation { __typename }"})
        assert response.status_code == 405, response.text
        assert response.headers["allow"] == "POST"
        assert media_type(response) == accept
        assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
        assert "data" not in response.json()


def test_graphql_response_json_is_negotiated(api):
    for accept in (GRAPHQL_RESPONSE_JSON, f"{GRAPHQL_RESPONSE_JSON}, {JSON};q=0.9"):  # the second: Apollo Client
        response = post(api, {"query": "{ __typename }"}, accept)
        assert response.status_code == 200, response.text
        assert media_type(response) == GRAPHQL_RESPONSE_JSON
        assert response.json()["data"] == {"__typename": "Query"}
    for accept in (JSON, "*/*", None, f"{JSON}, {GRAPHQL_RESPONSE_JSON};q=0.5"):
        response = post(api, {"query": "{ __typename }"}, accept)
        assert response.status_code == 200, (accept, response.text)
        assert media_type(response) == JSON, accept
    assert "charset=utf-8" in response.headers["content-type"].replace(" ", "").lower()


# A document that does not parse, and one that does not validate against the schema.
REQUEST_ERRORS = pytest.mark.parametrize(
    "query, code",
    [
        ("{ entity(uscc: ", "GRAPHQL_PARSE_FAILED"),
        ('{ entity(uscc: "91370202613366849K") { nonsense } }', "GRAPHQL_VALIDATION_FAILED"),
    ],
    ids=["parse", "validation"],
)


@REQUEST_ERRORS
def test_a_request_error_is_400_without_data_under_graphql_response_json(api, query, code):
    response = post(api, {"query": query}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400, response.text
    assert media_type(response) == GRAPHQL_RESPONSE_JSON
    body = response.json()
    assert "data" not in body, body
    assert body["errors"][0]["extensions"]["code"] == code


@REQUEST_ERRORS
def test_a_request_error_is_200_with_errors_under_legacy_json(api, query, code):
    response = post(api, {"query": query}, JSON)
    assert response.status_code == 200, response.text
    assert media_type(response) == JSON
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == code


def test_a_variable_the_scalar_rejects_is_a_request_error(api):
    body = {
        "query": "query E($uscc: USCC!) { entity(uscc: $uscc) { name } }",
        "variables": {"uscc": "91370202613366849A"},
    }
    strict = post(api, body, GRAPHQL_RESPONSE_JSON)
    assert strict.status_code == 400, strict.text
    assert "data" not in strict.json()
    assert strict.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "reason": "INVALID_USCC"}
    legacy = post(api, body, JSON)
    assert legacy.status_code == 200
    assert legacy.json()["errors"][0]["extensions"]["reason"] == "INVALID_USCC"


def test_a_field_error_is_still_a_200_result_under_graphql_response_json(api, graph):
    # Execution started, so `data` is present (the nullable root field is null, with its error): 2xx per the spec.
    response = post(api, {"query": '{ entity(uscc: "91110000710925462X") { name } }'}, GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] == {"entity": None}
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert body["errors"][0]["path"] == ["entity"]


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, JSON])
def test_a_missing_query_is_400(api, accept):
    for response in (post(api, {"variables": {}}, accept), api.get("/graphql", headers={"accept": accept})):
        assert response.status_code == 400, response.text
        assert media_type(response) == accept
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, JSON])
def test_a_body_that_is_not_json_is_400(api, accept):
    response = post(api, "query { __typename }", accept)
    assert response.status_code == 400, response.text
    assert media_type(response) == accept
    body = response.json()
    assert "data" not in body and body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_graphiql_is_still_served_to_a_browser(api):
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    page = api.get("/graphql", headers={"accept": browser_accept})
    assert page.status_code == 200
    assert media_type(page) == "text/html" and "graphiql" in page.text.lower()


def test_answers_are_utf_8_without_escapes(api):
    # Chinese text travels as its UTF-8 bytes, three per character, not as six-byte \uXXXX escapes.
    response = post(api, {"query": '{ __type(name: "BindingKind") { enumValues { description } } }'}, JSON)
    assert response.status_code == 200, response.text
    assert "直接列入".encode() in response.content and b"\\u" not in response.content
    assert response.headers["content-type"] == "application/json; charset=utf-8"
