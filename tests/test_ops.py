"""Operations surface of the running service: /metrics (Prometheus text), JSON log lines with request
ids, and no personal data in the log.

Metrics are read as differences between two scrapes, since the service is shared by the session:
one query named OpsLookup for an entity that does not exist adds exactly 1 to
operations{entity, query, error} (labelled by its root field, not the client's name), 1 to
errors{NOT_FOUND}, and 1 to HTTP requests {/graphql, POST, 200} (no other requests are sent meanwhile
by this test).
"""

from __future__ import annotations

import json
import logging
import re
import time

from graph_api.ops import metrics
from graph_api.ops.logging_setup import JsonFormatter, request_id
from tests.conftest import gql, officer
from tests.test_linkage import ric, uscc

LOOKUP = "query OpsLookup($u: USCC!) { entity(uscc: $u) { name } }"
PERSON = "query OpsPerson($id: String!) { person(idNumber: $id) { name } }"
RESIDENT_ID = ric(81)  # shaped like a resident identity number
PASSPORT = "G98765432"  # not: only "not logging variables" keeps it out of the log


def sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(f"{name}{{") or line.startswith(f"{name} "):
            got = line[len(name) :].split(" ")[0].strip("{}")
            if ",".join(sorted(got.split(","))) == wanted:
                return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_operations_errors_and_requests(api, neo4j_server_running):
    before = api.get("/metrics")
    assert before.status_code == 200 and before.headers["content-type"].startswith("text/plain")
    body = gql(api, LOOKUP, u=uscc(81))
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
    after = api.get("/metrics").text

    def delta(name, **labels):
        return sample(after, name, **labels) - sample(before.text, name, **labels)

    assert delta("graph_api_graphql_operations_total", operation="entity", type="query", outcome="error") == 1
    assert delta("graph_api_graphql_errors_total", code="NOT_FOUND") == 1
    assert delta("graph_api_http_requests_total", route="/graphql", method="POST", status="200") == 1
    assert delta("graph_api_graphql_operation_duration_seconds_count", operation="entity", type="query") == 1
    assert delta("graph_api_graphql_db_round_trips_count", operation="entity", type="query") == 1
    # the driver's pool, per server: the lookup's connection went back to the pool
    server = f"127.0.0.1:{neo4j_server_running.neo4j_bolt_port}"
    assert sample(after, "graph_api_neo4j_pool_connections_idle", server=server) >= 1
    assert sample(after, "graph_api_neo4j_pool_connections_in_use", server=server) == 0
    assert sample(after, "graph_api_neo4j_pool_max_size") == 50


def test_operation_labels_are_bounded():
    assert metrics.operation_label(None) == metrics.operation_label("") == "anonymous"
    assert metrics.operation_label("Weird-Name ü") == "Weird_Name__"
    assert len(metrics.operation_label("X" * 300)) == 64
    names = {metrics.operation_label(f"Generated{i}") for i in range(2 * metrics.MAX_OPERATION_NAMES)}
    assert "other" in names and len(names) <= metrics.MAX_OPERATION_NAMES + 1


def read_log(api, rid: str, timeout: float = 10.0) -> tuple[str, list[dict]]:
    deadline = time.monotonic() + timeout
    while True:
        text = api.log_path.read_text(encoding="utf-8")
        lines = [json.loads(x) for x in text.splitlines() if x.startswith("{")]
        mine = [x for x in lines if x.get("request_id") == rid]
        if mine or time.monotonic() > deadline:
            return text, mine
        time.sleep(0.2)


def test_json_log_lines_carry_request_ids_and_no_personal_data(api):
    auth = officer("370200-SCJG")
    response = api.post(
        "/graphql",
        json={"query": PERSON, "variables": {"id": RESIDENT_ID}},
        headers={"x-request-id": "ops-test-1", **auth},
    )
    assert response.headers["x-request-id"] == "ops-test-1"
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    other = api.post("/graphql", json={"query": PERSON, "variables": {"id": PASSPORT}})
    generated = other.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    # an id that could smuggle text into the log is replaced by a generated one
    odd = api.get("/healthz", headers={"x-request-id": 'bad id "with" quotes'}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", odd)

    text, mine = read_log(api, "ops-test-1")
    assert len(mine) == 1, mine
    line = mine[0]
    assert {"time", "level", "logger", "message", "request_id", "operation", "duration_ms", "status"} <= line.keys()
    assert (line["operation"], line["operation_type"], line["status"], line["path"], line["error_codes"]) == (
        "OpsPerson",
        "query",
        200,
        "/graphql",
        ["NOT_FOUND"],
    )
    assert read_log(api, generated)[1][0]["operation"] == "OpsPerson"
    for secret in (RESIDENT_ID, PASSPORT, auth["authorization"].split()[1]):
        assert secret not in text


def test_formatter_scrubs_identity_numbers_and_keeps_the_request_id():
    record = logging.LogRecord("graph_api.x", logging.ERROR, __file__, 1, "lookup of %s failed", (RESIDENT_ID,), None)
    token = request_id.set("rid-1")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "lookup of [redacted] failed" and line["request_id"] == "rid-1"
    assert line["level"] == "ERROR" and line["logger"] == "graph_api.x"
