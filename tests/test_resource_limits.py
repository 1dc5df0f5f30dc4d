"""What a client sends cannot grow the service: the body limit holds on the bytes actually read (chunked
bodies have no Content-Length to check), and neither `extensions.code` nor a metric label value is ever a
string the client chose — so distinct junk requests add nothing to /metrics."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from graph_api.ops import metrics
from tests.conftest import gql

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
