"""Traces (issue 12, "Traces"): with GRAPH_API_OTEL_EXPORTER=otlp the service sends OTLP/HTTP to the
collector the settings name — here a small collector on loopback that keeps what it receives — a server
span per request and a span per Cypher statement in the same trace, and the request's JSON log line names
the trace. No personal data travels: not a statement's parameters, not a GET request's query string.
Off by default (settings otel_exporter "none")."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from tests.conftest import _free_port, serve
from tests.test_linkage import CTRL, A, build


class Collector(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", _free_port()), _Handler)
        self.bodies: list[bytes] = []

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1/traces"

    def spans(self) -> list:
        out = []
        for body in self.bodies:
            request = ExportTraceServiceRequest.FromString(body)
            for resource in request.resource_spans:
                for scope in resource.scope_spans:
                    out.extend(scope.spans)
        return out


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        self.server.bodies.append(body)  # type: ignore[attr-defined]
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def collector() -> Iterator[Collector]:
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def traced(module_graph, collector, tmp_path_factory):
    assert module_graph.import_lines(build()).code == 0
    env = {
        "GRAPH_API_OTEL_EXPORTER": "otlp",
        "GRAPH_API_OTEL_ENDPOINT": collector.endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "100",
    }
    with serve(tmp_path_factory, env) as client:
        yield client


def _wait_for(predicate, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.1)
    return predicate()


def test_a_request_and_its_statements_are_one_trace_named_in_the_log(traced, collector):
    response = traced.post("/graphql", json={"query": '{ entity(uscc: "%s") { name } }' % A})
    assert response.json()["data"]["entity"]["name"]

    def one_trace():
        spans = collector.spans()
        servers = [s for s in spans if s.kind == s.SPAN_KIND_SERVER]
        for server in servers:
            statements = [s for s in spans if s.trace_id == server.trace_id and s.name.startswith("cypher ")]
            if statements:
                return server, statements
        return None

    found = _wait_for(one_trace)
    assert found, [s.name for s in collector.spans()]
    server, statements = found
    attributes = {a.key: a.value for s in statements for a in s.attributes}
    assert attributes["db.system.name"].string_value == "neo4j"
    assert all(s.kind == s.SPAN_KIND_CLIENT for s in statements)
    assert {a.key for s in statements for a in s.attributes} == {
        "db.system.name",
        "db.operation.name",
        "code.file.path",
        "code.line.number",
    }

    trace_id = server.trace_id.hex()
    lines = [
        json.loads(line) for line in traced.log_path.read_text(encoding="utf-8").splitlines() if line.startswith("{")
    ]
    assert any(line.get("trace_id") == trace_id and line.get("path") == "/graphql" for line in lines), lines[-5:]


def test_no_query_string_or_parameter_reaches_the_collector(traced, collector):
    def servers() -> int:
        return sum(1 for s in collector.spans() if s.kind == s.SPAN_KIND_SERVER)

    before = servers()
    query = '{ person(idNumber: "%s") { key } }' % CTRL
    traced.get("/graphql", params={"query": query})
    variables = {"n": CTRL}
    traced.post(
        "/graphql", json={"query": "query($n: String!) { person(idNumber: $n) { key } }", "variables": variables}
    )
    assert _wait_for(lambda: servers() >= before + 2)
    raw = b"".join(collector.bodies)
    leaks = [
        (s.name, a.key, str(a.value)[:200]) for s in collector.spans() for a in s.attributes if CTRL in str(a.value)
    ]
    assert CTRL.encode() not in raw, leaks
    urls = [a.value.string_value for s in collector.spans() for a in s.attributes if a.key in ("http.url", "url.full")]
    assert urls and all("?" not in u for u in urls), urls
