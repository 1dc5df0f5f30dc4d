"""Neo4j stopped and started again under a running `graph-api serve`; Neo4j paused (SIGSTOP) under one.

The graph: one department (370200-SCJG) and one entity, 青岛韧性测试有限公司 (FIRM).

While a writer thread records decisions W1, W2, … one after the other, the test Neo4j is stopped
(SIGTERM, clean shutdown). Then, with the server down:
- the entity query and a recordDecision mutation (id DOWN) each answer within BOUND seconds, with
  one error whose extensions.code is DATABASE_UNAVAILABLE (not a hang, not INTERNAL_SERVER_ERROR);
- /readyz answers 503 and /healthz 200 (the process is alive, just not ready).
The server is started again; without touching the service, within RECOVERY seconds the entity query
answers the name again and /readyz is 200. Then, worked out from the rules of `write` (one transaction
holds the record and its history entry):
- DOWN was never written;
- every W the writer was told was recorded exists with exactly one history entry, every W it was told
  failed (DATABASE_UNAVAILABLE) does not exist at all, so no write is left half done; a W whose commit
  broke off (WRITE_OUTCOME_UNKNOWN: sent to be committed, then the connection failed before the database
  answered, even if the driver then tried again and could not connect) may exist, but then with its one
  history entry; and the retry the answer asks for is honest: sent again with the same id, it is recorded
  if the first was not stored, and refused DUPLICATE_ID if it was — one record with one entry either way;
- a new decision AFTER is recorded normally.

Paused instead (the process accepts connections but answers nothing), under a service with a pool of
one connection, a 2 s acquisition timeout and a 6 s request deadline: query A takes the one connection
and waits on it; query B, sent while A waits, finds no free connection and answers SERVICE_SATURATED
after about 2 s (the process cannot tell a hung database from a busy one by its pool: a full pool is
saturation; a new connection to the paused server would be DATABASE_UNAVAILABLE at its connect timeout);
A is cut off at its deadline, about 6 s, with 504 and TIMEOUT. Resumed (SIGCONT), the
service answers again by itself.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from graph_api.domain.refusals import Refused
from graph_api.domain.subjects import Subject
from graph_api.errors import WriteOutcomeUnknown
from graph_api.ops import neo4j_server
from graph_api.services.decisions import DecisionRequest, record_decision
from tests.conftest import GRAPH_API, _free_port, gql, gql_as, officer
from tests.service_calls import call
from tests.service_calls import officer as service_officer
from tests.test_linkage import uscc

FIRM = uscc(61)
DEPT = "370200-SCJG"
BOUND = 10.0  # connect refused at once; driver retries stop after neo4j_max_retry_time (2 s) plus its last back-off
RECOVERY = 30.0

ENTITY = "query Firm($u: USCC!) { entity(uscc: $u) { name } }"
RECORD = """mutation Record($input: DecisionInput!) { recordDecision(input: $input) {
  __typename ... on DecisionRecorded { record { id: recordId } } ... on Refusal { code } } }"""


def decision(record_id: str) -> dict:
    return {
        "subject": {"uscc": FIRM},
        "category": "PENALTY",
        "severity": "GENERAL",
        "decidedOn": "2026-03-02",
        "id": record_id,
    }


def timed(call):
    started = time.monotonic()
    body = call()
    return body, time.monotonic() - started


def codes(body: dict) -> list:
    return [(e.get("extensions") or {}).get("code") for e in body.get("errors") or ()]


class Writer(threading.Thread):
    """Records W1, W2, … until told to stop; keeps what each answer said."""

    def __init__(self, base_url: str):
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=base_url, timeout=60)
        self.outcomes: dict[str, str] = {}
        self.halt = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.halt.is_set():
            n += 1
            rid = f"W{n}"
            body = gql_as(self.client, officer(DEPT), RECORD, input=decision(rid))
            result = (body.get("data") or {}).get("recordDecision")
            if result and result["__typename"] == "DecisionRecorded":
                self.outcomes[rid] = "recorded"
            elif codes(body) == ["DATABASE_UNAVAILABLE"]:
                self.outcomes[rid] = "failed"
            elif codes(body) == ["WRITE_OUTCOME_UNKNOWN"]:
                self.outcomes[rid] = "unknown"
            else:
                self.outcomes[rid] = f"unexpected: {body}"
            time.sleep(0.05)


def stored(graph, rid: str) -> tuple[int, int]:
    rows = graph.query(
        "OPTIONAL MATCH (r:Record {id: $id}) OPTIONAL MATCH (c:Change)-[:ABOUT]->(r) "
        "RETURN count(DISTINCT r) AS records, count(c) AS changes",
        id=rid,
    )
    return rows[0]["records"], rows[0]["changes"]


# The one firm both tests write decisions on.
FIRM_LINES = [
    {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
    {
        "kind": "entity",
        "uscc": FIRM,
        "name": "青岛韧性测试有限公司",
        "form": "COMPANY",
        "status": "ACTIVE",
        "region": "370200",
        "established": "2016-05-01",
    },
]


def test_neo4j_restart_under_the_running_service(api, graph, neo4j_server_running):
    settings = neo4j_server_running
    outcome = graph.import_lines(FIRM_LINES)
    assert outcome.code == 0, outcome.rejects
    assert gql(api, ENTITY, u=FIRM)["data"]["entity"]["name"] == "青岛韧性测试有限公司"

    writer = Writer(str(api.base_url))
    writer.start()
    try:
        deadline = time.monotonic() + 60
        while "recorded" not in writer.outcomes.values():  # some writes land before the stop
            assert time.monotonic() < deadline and writer.is_alive(), writer.outcomes
            time.sleep(0.1)
        neo4j_server.stop(settings)
        time.sleep(1.0)
        writer.halt.set()
        writer.join(timeout=60)
        assert not writer.is_alive(), "a write hung while Neo4j was down"

        query, query_s = timed(lambda: gql(api, ENTITY, u=FIRM))
        assert codes(query) == ["DATABASE_UNAVAILABLE"], query
        assert query["data"] is None or query["data"]["entity"] is None
        mutation, mutation_s = timed(lambda: gql_as(api, officer(DEPT), RECORD, input=decision("DOWN")))
        assert codes(mutation) == ["DATABASE_UNAVAILABLE"], mutation
        ready, ready_s = timed(lambda: api.get("/readyz"))
        assert ready.status_code == 503 and ready.json()["neo4j"] is False
        assert api.get("/healthz").status_code == 200
        print(f"\noutage: query {query_s:.2f} s, mutation {mutation_s:.2f} s, /readyz {ready_s:.2f} s")
        assert query_s < BOUND and mutation_s < BOUND and ready_s < BOUND
    finally:
        writer.halt.set()
        restarted = time.monotonic()
        neo4j_server.ensure_running(settings)  # later test modules need it, whatever happened here
    started_s = time.monotonic() - restarted

    back = time.monotonic()
    while True:
        body = gql(api, ENTITY, u=FIRM)
        if "errors" not in body:
            break
        assert codes(body) == ["DATABASE_UNAVAILABLE"], body
        assert time.monotonic() - back < RECOVERY, f"the service did not recover within {RECOVERY} s: {body}"
        time.sleep(0.25)
    recovered_s = time.monotonic() - back
    assert body["data"]["entity"]["name"] == "青岛韧性测试有限公司"
    assert api.get("/readyz").status_code == 200
    print(f"Neo4j start {started_s:.1f} s; service answering {recovered_s:.2f} s after Neo4j answered")

    assert stored(graph, "DOWN") == (0, 0)
    outcomes = writer.outcomes
    print("writer:", {k: sum(v == k for v in outcomes.values()) for k in ("recorded", "failed", "unknown")})
    assert not [v for v in outcomes.values() if v.startswith("unexpected")], outcomes
    assert "recorded" in outcomes.values() and "failed" in outcomes.values(), outcomes
    for rid, said in outcomes.items():
        records, changes = stored(graph, rid)
        if said == "recorded":
            assert (records, changes) == (1, 1), rid
        elif said == "failed":
            assert (records, changes) == (0, 0), rid
        else:
            assert (records, changes) in ((0, 0), (1, 1)), rid
            retried = gql_as(api, officer(DEPT), RECORD, input=decision(rid))["data"]["recordDecision"]
            expected = "DecisionRecorded" if records == 0 else "Refusal"
            assert retried["__typename"] == expected and retried.get("code", "DUPLICATE_ID") == "DUPLICATE_ID", rid
            assert stored(graph, rid) == (1, 1), rid

    after = gql_as(api, officer(DEPT), RECORD, input=decision("AFTER"))
    assert after["data"]["recordDecision"] == {"__typename": "DecisionRecorded", "record": {"id": "AFTER"}}, after
    assert stored(graph, "AFTER") == (1, 1)


def serve(tmp_path, **env: str):
    port = _free_port()
    # The server writes to its own copy of the descriptor: ours can close as soon as it has started.
    with open(tmp_path / "serve.log", "wb") as log:
        proc = subprocess.Popen(
            [GRAPH_API, "serve", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env}
        )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    deadline = time.monotonic() + 120
    while True:
        try:
            if client.get("/readyz").status_code == 200:
                return proc, client
        except httpx.TransportError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
        time.sleep(0.3)


def _wait_for_unread_bytes_at(port: int, timeout: float = 15.0) -> None:
    """Until a TCP connection whose local port is `port` (the server's side) has bytes queued that the
    server has not read (the rx_queue of /proc/net/tcp, tcp6 too: Neo4j listens on both)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with open(table) as lines:
                for line in list(lines)[1:]:
                    fields = line.split()
                    local_port = int(fields[1].rsplit(":", 1)[1], 16)
                    rx_queue = int(fields[4].split(":")[1], 16)
                    if local_port == port and rx_queue > 0:
                        return
        time.sleep(0.05)
    raise AssertionError(f"no statement reached the paused server on port {port} within {timeout} s")


def test_a_paused_neo4j_is_cut_off_by_the_acquisition_timeout_and_the_request_deadline(
    graph, tmp_path, neo4j_server_running
):
    outcome = graph.import_lines(
        [
            {
                "kind": "entity",
                "uscc": FIRM,
                "name": "青岛韧性测试有限公司",
                "form": "COMPANY",
                "status": "ACTIVE",
                "region": "370200",
                "established": "2016-05-01",
            },
        ]
    )
    assert outcome.code == 0, outcome.rejects
    proc, client = serve(
        tmp_path,
        GRAPH_API_NEO4J_MAX_POOL_SIZE="1",
        GRAPH_API_NEO4J_ACQUISITION_TIMEOUT="2",
        GRAPH_API_REQUEST_TIMEOUT="6",
    )
    pid = neo4j_server._server_pid(neo4j_server_running)
    assert pid is not None
    try:
        # a pool of one spares no connection for compiling plans at start (they held it for over 30 s on a busy
        # machine); the service's own start (audit appender, schema check) may hold it for a moment, so a first
        # answer may be SERVICE_SATURATED; the entity must come within the recovery bound
        assert client.get("/readyz").json()["plans"] == "cold"
        started = time.monotonic()
        while "errors" in (first := gql(client, ENTITY, u=FIRM)):
            assert codes(first) == ["SERVICE_SATURATED"] and time.monotonic() - started < RECOVERY, first
        assert first["data"]["entity"]["name"] == "青岛韧性测试有限公司"
        os.kill(pid, signal.SIGSTOP)
        try:
            with ThreadPoolExecutor(2) as pool:
                a = pool.submit(
                    timed, lambda: client.post("/graphql", json={"query": ENTITY, "variables": {"u": FIRM}})
                )
                # B goes only once A holds the one connection: its statement waits unread at the paused server
                # (a fixed sleep let B overtake a slow A on a loaded machine and take the connection itself).
                _wait_for_unread_bytes_at(neo4j_server_running.neo4j_bolt_port)
                b = pool.submit(timed, lambda: gql(client, ENTITY, u=FIRM))
                (a_response, a_s), (b_body, b_s) = a.result(), b.result()
        finally:
            os.kill(pid, signal.SIGCONT)
        print(f"\npaused: B (no free connection) {b_s:.2f} s, A (deadline) {a_s:.2f} s")
        assert codes(b_body) == ["SERVICE_SATURATED"] and 1.5 < b_s < 5, (b_body, b_s)
        assert a_response.status_code == 504 and 5.5 < a_s < 9, (a_response.text, a_s)
        assert a_response.json()["errors"][0]["extensions"] == {"code": "TIMEOUT"}

        back = time.monotonic()
        while "errors" in (body := gql(client, ENTITY, u=FIRM)):
            assert codes(body) in (["DATABASE_UNAVAILABLE"], ["SERVICE_SATURATED"]), body
            assert time.monotonic() - back < RECOVERY, body
            time.sleep(0.25)
        print(f"resumed: answering after {time.monotonic() - back:.2f} s")
        assert body["data"]["entity"]["name"] == "青岛韧性测试有限公司"
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=30)


# A COMMIT in Bolt: chunk of 2 bytes, a struct of no fields with signature 0x12, end of message.
BOLT_COMMIT = b"\x00\x02\xb0\x12\x00\x00"


class CommitCutter(threading.Thread):
    """A TCP relay in front of the test Neo4j (the real server, not a fake) that passes everything until a
    client sends COMMIT: it passes the COMMIT on, lets the server commit, and then closes the client's
    connection without passing the answer — a connection lost exactly while the outcome is on its way."""

    def __init__(self, bolt_port: int):
        super().__init__(daemon=True)
        self.target = ("127.0.0.1", bolt_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.commits_cut = 0

    def run(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            cut = threading.Event()
            threading.Thread(target=self._up, args=(client, server, cut), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client, cut), daemon=True).start()

    def _up(self, client: socket.socket, server: socket.socket, cut: threading.Event) -> None:
        seen = b""
        try:
            while data := client.recv(65536):
                seen = (seen + data)[-len(BOLT_COMMIT) - len(data) :]
                if BOLT_COMMIT in seen:
                    cut.set()  # before the server can answer
                    server.sendall(data)
                    time.sleep(1.0)  # the server commits and answers; the answer goes nowhere
                    self.commits_cut += 1
                    break
                server.sendall(data)
        except OSError:
            pass
        for s in (client, server):
            s.close()

    def _down(self, server: socket.socket, client: socket.socket, cut: threading.Event) -> None:
        try:
            while (data := server.recv(65536)) and not cut.is_set():
                client.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()


def test_a_commit_whose_answer_is_lost_is_reported_unknown_and_a_retry_is_safe(graph, neo4j_server_running):
    """The decision CUT is committed by the server, but its answer never reaches the service: the service
    cannot know, and says so (WRITE_OUTCOME_UNKNOWN, telling to read it back by its id), not "failed".
    Reading it back finds it, with its one history entry; the retry with the same id is refused
    DUPLICATE_ID and writes nothing."""
    outcome = graph.import_lines(FIRM_LINES)
    assert outcome.code == 0, outcome.rejects
    settings = neo4j_server_running
    cutter = CommitCutter(settings.neo4j_bolt_port)
    cutter.start()
    request = DecisionRequest(Subject(entity=FIRM), "PENALTY", dt.date(2026, 3, 2), severity="GENERAL", id="CUT")
    try:
        cut = settings.model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{cutter.port}"})
        with pytest.raises(WriteOutcomeUnknown) as unknown:
            call(cut, record_decision, service_officer(DEPT), request)
    finally:
        cutter.close()
    assert cutter.commits_cut == 1
    assert unknown.value.code == "WRITE_OUTCOME_UNKNOWN" and unknown.value.extensions == {"outcomeUnknown": True}
    assert "may or may" in unknown.value.message and "DUPLICATE_ID" in unknown.value.message
    assert stored(graph, "CUT") == (1, 1)
    with pytest.raises(Refused) as again:
        call(settings, record_decision, service_officer(DEPT), request)
    assert (again.value.code, again.value.field) == ("DUPLICATE_ID", "id")
    assert stored(graph, "CUT") == (1, 1)
