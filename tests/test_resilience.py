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
  failed (DATABASE_UNAVAILABLE without outcomeUnknown) does not exist at all, so no write is left half
  done; a W whose commit broke off (outcomeUnknown) may exist, but then with its one history entry;
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

import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from graph_api.ops import neo4j_server
from tests.conftest import GRAPH_API, _free_port, gql, gql_as, officer
from tests.test_linkage import uscc

FIRM = uscc(61)
DEPT = "370200-SCJG"
BOUND = 10.0  # connect refused at once; driver retries stop after neo4j_max_retry_time (2 s) plus its last back-off
RECOVERY = 30.0

ENTITY = "query Firm($u: USCC!) { entity(uscc: $u) { name } }"
RECORD = """mutation Record($input: DecisionInput!) { recordDecision(input: $input) {
  __typename ... on DecisionRecorded { record { id } } ... on Refusal { code } } }"""


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
                unknown = (body["errors"][0].get("extensions") or {}).get("outcomeUnknown")
                self.outcomes[rid] = "unknown" if unknown else "failed"
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


def test_neo4j_restart_under_the_running_service(api, graph, neo4j_server_running):
    settings = neo4j_server_running
    outcome = graph.import_lines(
        [
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
    )
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
        assert gql(client, ENTITY, u=FIRM)["data"]["entity"]["name"] == "青岛韧性测试有限公司"  # the one connection
        os.kill(pid, signal.SIGSTOP)
        try:
            with ThreadPoolExecutor(2) as pool:
                a = pool.submit(
                    timed, lambda: client.post("/graphql", json={"query": ENTITY, "variables": {"u": FIRM}})
                )
                time.sleep(0.5)
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
