"""The alert subscription over a real WebSocket (graphql-transport-ws), on two server processes over one Neo4j.

The graph: entities E (青岛订阅商贸) and F (青岛旁观物流); department DEPT decides, OTHER is another one.
Server A is the suite's `api`; server B is a second `graph-api serve` with small subscription limits, through
which the changes are made.

Worked out by hand:
1. watcher (officer of DEPT) watches E; second (officer of OTHER) watches E; stranger (OTHER) watches F only.
2. second subscribes on B; DEPT records R1 (RESTRICTED) about E through B: second gets RECORD about E with
   R1 as the undisclosed node and not among causeIds (OTHER may not see DEPT's RESTRICTED record). watcher
   and stranger subscribe on A from seq 0: watcher gets R1's alert with R1 on its path.
3. DEPT records R2 (PUBLIC) about E through B: watcher gets it on A (the other process, live), and the next
   alert each of them gets is R2's — R1 came once.
4. DEPT records R3 about F: the stranger's first alert is R3's — it got none of E's.
5. watcher disconnects; R4 about E is recorded; watcher subscribes again with afterSeq = R2's seq: R4 arrives
   once, then R5 (recorded next) is the next one.
Credentials: a bad bearer token, or none, is refused at connection_init with 4403; the upgrade request's
header serves as well; an entity's user may not read the inbox (FORBIDDEN, as the permission table says,
before the stream opens); past B's cap per user (3) the
subscription is refused with RATE_LIMITED.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.conftest import entity_user, gql_as, officer, serve
from tests.test_linkage import uscc

E, F = uscc(91), uscc(92)
DEPT, OTHER = "370200-SCJG", "370200-SWJ"
WATCHER, SECOND, STRANGER = officer(DEPT, "sub-watcher"), officer(OTHER, "sub-second"), officer(OTHER, "sub-stranger")
CAPPED = officer(DEPT, "sub-capped")
PER_USER = 3


def _entity(code: str, name: str) -> dict:
    return {"kind": "entity", "uscc": code, "name": name, "form": "COMPANY", "status": "ACTIVE",
            "region": "370200", "established": "2015-01-01"}  # fmt: skip


LINES = [
    {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
    {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"},
    _entity(E, "青岛订阅商贸有限公司"),
    _entity(F, "青岛旁观物流有限公司"),
]
WATCH = """mutation($input: WatchInput!) { watch(input: $input) { __typename } }"""
RECORD = """mutation($input: DecisionInput!) { recordDecision(input: $input) { __typename } }"""
SUBSCRIBE = """subscription($after: Int) { alerts(afterSeq: $after) {
  id seq kind reason causeIds state subject { kind key }
  path { text nodes { kind key name } } } }"""
WAIT = 15.0  # seconds at most for one message (a loaded machine); an alert normally comes within a poll


class Socket:
    """A graphql-transport-ws client on a real connection."""

    def __init__(self, client: Any, payload: dict[str, str] | None, headers: dict[str, str] | None = None):
        url = str(client.base_url).replace("http://", "ws://") + "/graphql"
        self._stack = ExitStack()  # websockets wants its connection used as a context manager
        self.ws: ClientConnection = self._stack.enter_context(
            connect(url, subprotocols=["graphql-transport-ws"], additional_headers=headers)
        )
        self.send({"type": "connection_init", "payload": payload or {}})

    def send(self, message: dict[str, Any]) -> None:
        self.ws.send(json.dumps(message))

    def receive(self) -> dict[str, Any]:
        while True:
            message = json.loads(self.ws.recv(timeout=WAIT))
            if message["type"] not in ("ping", "pong"):
                return message

    def acknowledged(self) -> Socket:
        assert self.receive()["type"] == "connection_ack"
        return self

    def subscribe(self, op: str, query: str = SUBSCRIBE, **variables: Any) -> None:
        self.send({"id": op, "type": "subscribe", "payload": {"query": query, "variables": variables}})

    def alert(self) -> dict[str, Any]:
        message = self.receive()
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        return message["payload"]["data"]["alerts"]

    def close(self) -> None:
        self._stack.close()


def _open(client: Any, actor: dict[str, str], op: str = "1", **variables: Any) -> Socket:
    socket = Socket(client, {"Authorization": actor["authorization"]}).acknowledged()
    socket.subscribe(op, **variables)
    return socket


def _record(api: Any, record_id: str, subject: str, disclosure: str = "PUBLIC") -> None:
    decision = {"id": record_id, "subject": {"uscc": subject}, "category": "PENALTY", "severity": "SERIOUS",
                "decidedOn": "2025-06-10", "disclosure": disclosure}  # fmt: skip
    body = gql_as(api, WATCHER, RECORD, input=decision)
    assert (body.get("data") or {}).get("recordDecision", {}).get("__typename") == "DecisionRecorded", body


@pytest.fixture(scope="module")
def servers(api, module_graph, tmp_path_factory) -> Iterator[tuple[Any, Any]]:
    outcome = module_graph.import_lines(LINES)
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    for actor, subject in ((WATCHER, E), (SECOND, E), (STRANGER, F)):
        assert gql_as(api, actor, WATCH, input={"subject": {"uscc": subject}})["data"]["watch"]["__typename"] == "Watch"
    # B makes the changes: its first ones plan the alert statements cold, which takes long on a loaded machine
    env = {
        "GRAPH_API_MAX_ALERT_SUBSCRIPTIONS_PER_USER": str(PER_USER),
        "GRAPH_API_ALERT_POLL_INTERVAL_MS": "100",
        "GRAPH_API_REQUEST_TIMEOUT": "120",
    }
    with serve(tmp_path_factory, env=env) as other:
        yield api, other


@pytest.fixture(scope="module")
def story(servers) -> dict[str, Any]:
    """Steps 2 to 5 of the module's docstring; each subscription starts from seq 0 (afterSeq), so that
    none depends on when the server registered it."""
    a, b = servers
    # B first, with its long timeouts: the first reads and writes plan the statements cold (slow on a loaded
    # machine); A's subscribers then find the plans made
    second = _open(b, SECOND, after=0)
    _record(b, "SUB-R1", E, "RESTRICTED")
    got: dict[str, Any] = {"second R1": second.alert()}
    watcher, stranger = _open(a, WATCHER, after=0), _open(a, STRANGER, after=0)
    got["watcher R1"] = watcher.alert()  # from its backlog
    _record(b, "SUB-R2", E)  # live, from A's poller
    got["watcher R2"], got["second R2"] = watcher.alert(), second.alert()
    _record(b, "SUB-R3", F)
    got["stranger first"] = stranger.alert()
    watcher.close()
    _record(b, "SUB-R4", E)
    resumed = _open(a, WATCHER, after=got["watcher R2"]["seq"])
    got["resumed first"] = resumed.alert()
    _record(b, "SUB-R5", E)
    got["resumed second"] = resumed.alert()
    for socket in (second, stranger, resumed):
        socket.close()
    return got


def test_an_alert_reaches_the_watcher_on_another_process_with_its_path(story):
    alert = story["watcher R1"]
    assert alert["kind"] == "RECORD" and alert["subject"] == {"kind": "ENTITY", "key": E}
    assert alert["causeIds"] == ["SUB-R1"] and alert["state"] == "NEW"
    assert [n["kind"] for n in alert["path"]["nodes"]] == ["ENTITY", "RECORD"]
    assert alert["path"]["nodes"][1]["key"] == "SUB-R1"


def test_a_record_the_reader_may_not_see_is_masked(story):
    alert = story["second R1"]
    assert alert["kind"] == "RECORD" and alert["subject"] == {"kind": "ENTITY", "key": E}
    assert [n["key"] for n in alert["path"]["nodes"]] == [E, "UNDISCLOSED"]
    assert "SUB-R1" not in json.dumps(alert) and alert["causeIds"] == []


def test_each_alert_comes_once_and_in_order(story):
    for reader in ("watcher", "second"):
        assert story[f"{reader} R2"]["causeIds"] == ["SUB-R2"]
        assert story[f"{reader} R2"]["seq"] > story[f"{reader} R1"]["seq"]


def test_an_alert_for_others_does_not_reach_a_reader(story):
    assert story["stranger first"]["causeIds"] == ["SUB-R3"]
    assert story["stranger first"]["subject"]["key"] == F


def test_resuming_with_after_seq_gets_the_missed_alert_once(story):
    assert story["resumed first"]["causeIds"] == ["SUB-R4"]
    assert story["resumed second"]["causeIds"] == ["SUB-R5"]


def _close_code(socket: Socket) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        socket.receive()
    return closed.value.rcvd.code if closed.value.rcvd else None


@pytest.mark.parametrize(
    "payload", [{"Authorization": "Bearer not-a-token"}, {}, {"x-api-key": "no-such-key"}], ids=["bad", "none", "key"]
)
def test_a_bad_or_missing_credential_is_refused(servers, payload):
    assert _close_code(Socket(servers[1], payload)) == 4403


def test_the_upgrade_request_may_carry_the_credential(servers):
    socket = Socket(servers[1], None, headers=WATCHER).acknowledged()
    socket.subscribe("1", after=0)
    assert socket.alert()["kind"] == "RECORD"
    socket.close()


def test_a_reader_without_an_inbox_may_not_subscribe(servers):
    socket = Socket(servers[1], {"Authorization": entity_user(E)["authorization"]}).acknowledged()
    socket.subscribe("1")
    message = socket.receive()
    # refused by the permission table before the stream opens: graphql-transport-ws's `error` message
    assert message["type"] == "error" and message["payload"][0]["extensions"]["code"] == "FORBIDDEN", message
    socket.close()


def test_subscriptions_per_user_are_capped(servers):
    socket = Socket(servers[1], {"Authorization": CAPPED["authorization"]}).acknowledged()
    for op in range(PER_USER + 1):
        socket.subscribe(str(op))
    # the one past the cap (whichever registers last) is the only one to answer, the others wait for alerts
    message = socket.receive()
    assert message["type"] == "next" and message["payload"]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert socket.receive() == {"id": message["id"], "type": "complete"}
    socket.close()
