"""Webhooks over GraphQL HTTP and their delivery to a real local HTTP receiver, on a graph built by hand.

The graph: entity L (青岛警示商贸) whose legal representative since 2015 is person P (警王); DEPT records R1
about L and lists L on JOINT_PUNISHMENT, binding P. Each role P then takes in a new entity is a reappearance:
one REAPPEARANCE alert to DEPT (the listing's department), none to OTHER. A DEPT webhook is delivered exactly
those alerts; each test raises its own by importing roles of P in fresh entities.

The receiver (an http.server on a free 127.0.0.1 port, in a thread) can fail its first requests (503), fail
all of them, or answer slowly; it records every request with its idempotency key and whether another
request with the same key was in flight. The dispatcher runs in-process (services/webhooks_delivery.py)
with small backoffs, as the CLI's `graph-api deliver webhooks` (the restart test), and in the API's
lifespan (the down-receiver test)."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import json
import os
import signal
import ssl
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import trustme

from graph_api.api.graphql.webhooks import alert_body
from graph_api.domain import webhooks as rules
from graph_api.services.unit_of_work import Store
from graph_api.services.webhooks_delivery import Config, Dispatcher, Resolve
from graph_api.store.db import async_driver
from tests.conftest import GRAPH_API, _free_port, gql_as, officer, serve
from tests.test_linkage import ric, uscc

L = uscc(91)
P = ric(91)
DEPT, OTHER = "370200-SCJG", "370200-SWJ"
CLERK, STRANGER = officer(DEPT, "hook-clerk"), officer(OTHER, "hook-stranger")
ALLOW = {"GRAPH_API_WEBHOOK_ALLOWED_NETWORKS": '["127.0.0.1/32"]'}
FAST = Config(
    timeout=1.0,
    backoff_base=0.05,
    backoff_cap=0.2,
    backoff_jitter=0.0,
    max_failures=3,
    lease_seconds=10.0,
    poll_interval=0.05,
    batch_size=20,
    allowed=rules.networks(["127.0.0.1/32"]),
)

REGISTER = """mutation($input: WebhookInput!) { registerWebhook(input: $input) {
  __typename ... on RegisteredWebhook { secret webhook { id url events cursor } }
  ... on Refusal { code message field } } }"""
REMOVE = """mutation($id: ID!) { removeWebhook(id: $id) { __typename ... on Refusal { code } } }"""
RETRY = """mutation($id: ID!) { retryWebhookDelivery(id: $id) {
  __typename ... on WebhookDelivery { id state } ... on Refusal { code } } }"""
HOOKS = """{ webhooks { totalCount nodes { id url } } }"""
LOG = """query($w: ID!, $state: WebhookDeliveryState) { webhookDeliveries(webhook: $w, state: $state, first: 100) {
  totalCount nodes { id alertId seq state nextAttemptAt deliveredAt
    attempts { number statusCode error reason milliseconds } } } }"""


def _entity(code: str, name: str) -> dict:
    return {
        "kind": "entity",
        "uscc": code,
        "name": name,
        "form": "COMPANY",
        "status": "ACTIVE",
        "region": "370200",
        "established": "2015-01-01",
    }


class Receiver:
    """A local HTTP receiver: 503 for its first `fail_first` requests (every one when `always_fail`), each
    answer after `delay` seconds."""

    def __init__(
        self,
        fail_first: int = 0,
        delay: float = 0.0,
        always_fail: bool = False,
        fail_once: frozenset[str] = frozenset(),
        address: tuple[str, int] = ("127.0.0.1", 0),
        tls: ssl.SSLContext | None = None,
    ):
        self.fail_first, self.delay, self.always_fail = fail_first, delay, always_fail
        self.fail_once = set(fail_once)  # idempotency keys answered 503 the first time
        self.requests: list[dict[str, Any]] = []
        self.in_flight: Counter[str] = Counter()
        self.overlaps = 0
        self.parallel = self.max_parallel = 0
        self.sni: set[str | None] = set()  # the server names TLS clients asked for
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                key = self.headers["Idempotency-Key"]
                with receiver.lock:
                    if receiver.in_flight[key]:
                        receiver.overlaps += 1
                    receiver.in_flight[key] += 1
                    receiver.parallel += 1
                    receiver.max_parallel = max(receiver.max_parallel, receiver.parallel)
                    fail = receiver.always_fail or len(receiver.requests) < receiver.fail_first
                    if key in receiver.fail_once:
                        receiver.fail_once.discard(key)
                        fail = True
                started = time.monotonic()
                time.sleep(receiver.delay)
                status = 503 if fail else 200
                with receiver.lock:
                    receiver.in_flight[key] -= 1
                    receiver.parallel -= 1
                    receiver.requests.append(
                        {
                            "key": key,
                            "body": body,
                            "status": status,
                            "headers": dict(self.headers.items()),
                            "span": (started, time.monotonic()),
                        }
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(address, Handler)
        if tls is not None:
            tls.sni_callback = lambda _sock, name, _ctx: self.sni.add(name)  # type: ignore[assignment,func-returns-value]
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = f"{'https' if tls else 'http'}://{address[0]}:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivered(self) -> Counter[str]:
        with self.lock:
            return Counter(r["key"] for r in self.requests if r["status"] == 200)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def hooks_api(neo4j_server_running, tmp_path_factory):
    """The service with the allow-list the tests' receivers need (127.0.0.1/32), dispatcher off."""
    with serve(tmp_path_factory, env=ALLOW) as client:
        yield client


@pytest.fixture(scope="module")
def story(hooks_api, module_graph):
    lines = [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"},
        _entity(L, "青岛警示商贸有限公司"),
        {"kind": "person", "idNumber": P, "name": "警王"},
        {"kind": "role", "person": P, "entity": L, "role": "LEGAL_REPRESENTATIVE", "since": "2015-01-01"},
    ]
    outcome = module_graph.import_lines(lines)
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    record = {
        "id": "HR1",
        "subject": {"uscc": L},
        "category": "PENALTY",
        "severity": "SERIOUS",
        "decidedOn": "2025-06-10",
        "disclosure": "PUBLIC",
    }
    body = gql_as(
        hooks_api,
        CLERK,
        "mutation($i: DecisionInput!) { recordDecision(input: $i) { __typename } }",
        i=record,
    )
    assert body["data"]["recordDecision"]["__typename"] == "DecisionRecorded", body
    listing = {"id": "HL1", "subject": {"uscc": L}, "list": "JOINT_PUNISHMENT", "basis": ["HR1"], "since": "2025-07-01"}
    body = gql_as(hooks_api, CLERK, "mutation($i: ListingInput!) { listSubject(input: $i) { __typename } }", i=listing)
    assert body["data"]["listSubject"]["__typename"] == "Listed", body
    return {"next": 100}


def _reappear(graph, story, n: int) -> list[str]:
    """P takes the legal representative's role in n new entities: n REAPPEARANCE alerts to DEPT; their ids."""
    first = story["next"]
    story["next"] += n
    codes = [uscc(i) for i in range(first, first + n)]
    lines: list[dict] = [_entity(c, f"青岛新开{i}贸易有限公司") for i, c in enumerate(codes)]
    lines += [
        {"kind": "role", "person": P, "entity": c, "role": "LEGAL_REPRESENTATIVE", "since": "2025-08-01"} for c in codes
    ]
    outcome = graph.import_lines(lines)
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    rows = graph.query(
        "MATCH (a:Alert {kind: 'REAPPEARANCE', department: $d}) "
        "WITH a ORDER BY a.seq DESC LIMIT $n RETURN a.id AS id ORDER BY a.seq",
        d=DEPT,
        n=n,
    )
    assert len(rows) == n
    return [r["id"] for r in rows]


def _register(client, url: str, actor: dict = CLERK) -> dict:
    body = gql_as(client, actor, REGISTER, input={"url": url})
    assert "errors" not in body, body
    return body["data"]["registerWebhook"]


def _log(client, webhook: str, state: str | None = None, actor: dict = CLERK) -> list[dict]:
    body = gql_as(client, actor, LOG, w=webhook, state=state)
    assert "errors" not in body, body
    return body["data"]["webhookDeliveries"]["nodes"]


async def _passes(
    settings, config: Config, until, dispatchers: int = 1, limit: float = 30.0, resolve: Resolve | None = None
) -> None:
    """Dispatcher passes (by `dispatchers` workers at once) until `until()` holds or `limit` seconds pass."""
    driver = async_driver(settings)
    try:
        store = Store(driver, settings.neo4j_database)

        async def worker(i: int) -> None:
            async with Dispatcher(store, config, alert_body, holder=f"test-{i}", resolve=resolve) as d:
                deadline = time.monotonic() + limit
                while not until() and time.monotonic() < deadline:
                    if await d.run_pass() == 0:
                        await asyncio.sleep(config.poll_interval)

        await asyncio.gather(*(worker(i) for i in range(dispatchers)))
    finally:
        await driver.close()


def _remove(client, webhook: str) -> None:
    body = gql_as(client, CLERK, REMOVE, id=webhook)
    assert body["data"]["removeWebhook"]["__typename"] == "Webhook", body


def test_refused_urls_give_a_clear_error(hooks_api, story):
    for url, words in (
        ("ftp://receiver.example.gov.cn/hook", "https:// or http://"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://10.0.0.1/hook", "webhook_allowed_networks"),
        ("http://127.0.0.2/hook", "loopback"),
    ):
        body = gql_as(hooks_api, CLERK, REGISTER, input={"url": url})
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and words in error["message"], body
        assert body["data"] is None or body["data"]["registerWebhook"] is None
    assert gql_as(hooks_api, CLERK, HOOKS)["data"]["webhooks"]["totalCount"] == 0


def test_each_alert_arrives_once_signed_after_the_receiver_recovers(hooks_api, module_graph, story, settings):
    receiver = Receiver(fail_first=2)
    try:
        made = _register(hooks_api, receiver.url)
        secret, hook = made["secret"], made["webhook"]["id"]
        assert made["webhook"]["url"] == receiver.url
        # the secret is sealed at rest and never answered again
        stored = module_graph.query("MATCH (w:Webhook {id: $id}) RETURN w.secret AS s", id=hook)[0]["s"]
        assert stored != secret and secret not in json.dumps(gql_as(hooks_api, CLERK, HOOKS))
        # another department neither sees the webhook nor its log
        assert gql_as(hooks_api, STRANGER, HOOKS)["data"]["webhooks"]["totalCount"] == 0
        ids = _reappear(module_graph, story, 4)
        one_at_a_time = dataclasses.replace(FAST, concurrency=1)
        asyncio.run(_passes(settings, one_at_a_time, lambda: len(receiver.delivered()) >= 4))
        assert receiver.delivered() == Counter({i: 1 for i in ids})
        ok = [r for r in receiver.requests if r["status"] == 200]
        assert [r["key"] for r in ok] == ids  # in seq order, with one POST in flight
        for r in receiver.requests:
            mac = hmac.new(secret.encode(), r["body"], hashlib.sha256).hexdigest()
            assert r["headers"]["X-Graph-Api-Signature"] == f"sha256={mac}"
            assert r["headers"]["X-Graph-Api-Timestamp"].isdigit()
            alert = json.loads(r["body"])["alert"]
            assert alert["id"] == r["key"] and alert["kind"] == "REAPPEARANCE"
            assert alert["subject"]["name"] == "警王" and P not in r["body"].decode()
            relations = [s["relation"] for s in alert["path"]["steps"]]
            assert relations == ["LEGAL_REPRESENTATIVE", "LEGAL_REPRESENTATIVE", "LISTED_ON", "BASED_ON"]
        log = _log(hooks_api, hook)
        assert {d["alertId"]: d["state"] for d in log} == {i: "DELIVERED" for i in ids}
        first = next(d for d in log if d["alertId"] == ids[0])
        assert [(a["statusCode"], a["error"]) for a in first["attempts"]] == [
            (503, "HTTP_503"),
            (503, "HTTP_503"),
            (200, None),
        ]
        assert _log(hooks_api, hook, actor=STRANGER) == []
        assert _log(hooks_api, hook, state="DEAD") == []
    finally:
        receiver.close()
    _remove(hooks_api, hook)


def test_dead_letter_after_n_failures_then_retried(hooks_api, module_graph, story, settings):
    receiver = Receiver(always_fail=True)
    try:
        hook = _register(hooks_api, receiver.url)["webhook"]["id"]
        ids = _reappear(module_graph, story, 2)
        asyncio.run(_passes(settings, FAST, lambda: len(_log(hooks_api, hook, "DEAD")) == 2))
        dead = _log(hooks_api, hook, "DEAD")
        assert sorted(d["alertId"] for d in dead) == sorted(ids)
        assert all(len(d["attempts"]) == FAST.max_failures for d in dead)
        assert len(receiver.requests) == 2 * FAST.max_failures
        receiver.always_fail = False
        again = gql_as(hooks_api, CLERK, RETRY, id=dead[0]["id"])["data"]["retryWebhookDelivery"]
        assert again == {"__typename": "WebhookDelivery", "id": dead[0]["id"], "state": "PENDING"}
        other = gql_as(hooks_api, STRANGER, RETRY, id=dead[1]["id"])["data"]["retryWebhookDelivery"]
        assert other["code"] == "NOT_FOUND"
        asyncio.run(_passes(settings, FAST, lambda: len(receiver.delivered()) == 1))
        assert receiver.delivered() == Counter({dead[0]["alertId"]: 1})
        states = {d["alertId"]: d["state"] for d in _log(hooks_api, hook)}
        assert states == {dead[0]["alertId"]: "DELIVERED", dead[1]["alertId"]: "DEAD"}
        delivered = gql_as(hooks_api, CLERK, RETRY, id=dead[0]["id"])["data"]["retryWebhookDelivery"]
        assert delivered["code"] == "NOT_FOUND"  # only a DEAD delivery is retried
    finally:
        receiver.close()
    _remove(hooks_api, hook)


def test_a_resolved_address_outside_the_allow_list_is_refused_at_delivery(hooks_api, module_graph, story, settings):
    receiver = Receiver()
    try:
        hook = _register(hooks_api, receiver.url)["webhook"]["id"]
        ids = _reappear(module_graph, story, 1)
        strict = dataclasses.replace(FAST, allowed=())  # a deployment whose allow-list no longer has it
        asyncio.run(_passes(settings, strict, lambda: bool(_log(hooks_api, hook))))
        (entry,) = _log(hooks_api, hook)
        assert entry["alertId"] == ids[0] and entry["attempts"][0]["error"] == "REFUSED_ADDRESS"
        assert "127.0.0.1 is a loopback address" in entry["attempts"][0]["reason"]
        assert receiver.requests == []
    finally:
        receiver.close()
    _remove(hooks_api, hook)


def test_two_dispatchers_never_deliver_one_alert_twice(hooks_api, module_graph, story, settings):
    receiver = Receiver(delay=0.02)
    try:
        hook = _register(hooks_api, receiver.url)["webhook"]["id"]
        ids = _reappear(module_graph, story, 20)
        asyncio.run(_passes(settings, FAST, lambda: len(receiver.delivered()) >= 20, dispatchers=2))
        assert receiver.overlaps == 0
        assert receiver.delivered() == Counter({i: 1 for i in ids})
        assert len(receiver.requests) == 20
    finally:
        receiver.close()
    _remove(hooks_api, hook)


def test_a_killed_dispatcher_loses_nothing(hooks_api, module_graph, story, settings, tmp_path):
    receiver = Receiver(delay=0.05)
    env = {
        **os.environ,
        **ALLOW,
        "GRAPH_API_WEBHOOK_LEASE_SECONDS": "2",
        "GRAPH_API_WEBHOOK_TIMEOUT": "0.5",
        "GRAPH_API_WEBHOOK_BATCH_SIZE": "3",
        "GRAPH_API_WEBHOOK_POLL_INTERVAL": "0.05",
    }
    try:
        hook = _register(hooks_api, receiver.url)["webhook"]["id"]
        ids = _reappear(module_graph, story, 15)
        with open(tmp_path / "deliver.log", "wb") as out:
            proc = subprocess.Popen([GRAPH_API, "deliver", "webhooks"], env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while len(receiver.delivered()) < 5 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)  # mid-way: no chance to record or release
        proc.wait(timeout=10)
        got = len(receiver.delivered())
        assert 5 <= got < 15, (tmp_path / "deliver.log").read_text()
        # the lease lapses within two seconds; the next worker delivers the rest (and may repeat the pass the killed
        # one did not record, with the same keys)
        asyncio.run(_passes(settings, FAST, lambda: set(receiver.delivered()) >= set(ids)))
        delivered = receiver.delivered()
        assert set(delivered) == set(ids)
        assert max(delivered.values()) <= 2 and receiver.overlaps == 0
        assert {d["alertId"]: d["state"] for d in _log(hooks_api, hook)} == {i: "DELIVERED" for i in ids}
    finally:
        receiver.close()
    _remove(hooks_api, hook)


def test_a_down_receiver_never_blocks_the_write_that_raised_the_alert(module_graph, story, tmp_path_factory):
    down = f"http://127.0.0.1:{_free_port()}/hook"  # nothing listens there
    env = {**ALLOW, "GRAPH_API_WEBHOOKS_ENABLED": "true", "GRAPH_API_WEBHOOK_POLL_INTERVAL": "0.1"}
    with serve(tmp_path_factory, env=env) as client:
        hook = _register(client, down)["webhook"]["id"]
        ids = _reappear(module_graph, story, 2)  # the import commits its alerts whatever the receiver does
        deadline = time.monotonic() + 30
        while not _log(client, hook) and time.monotonic() < deadline:
            time.sleep(0.1)
        entries = _log(client, hook)
        assert [e["alertId"] for e in entries] == [ids[0]]  # the second waits behind the first, in order
        assert entries[0]["state"] == "PENDING" and entries[0]["attempts"][0]["error"] == "ConnectError"
        assert entries[0]["attempts"][0]["statusCode"] is None and entries[0]["nextAttemptAt"]
        _remove(client, hook)


def test_several_posts_in_flight_and_a_failure_among_them_repeats_only_itself(hooks_api, module_graph, story, settings):
    """Up to `concurrency` POSTs at once; an alert that fails while later ones in flight succeed is retried
    alone (those are not sent again) and the cursor passes all of them once it is delivered."""
    receiver = Receiver(delay=0.15)
    try:
        hook = _register(hooks_api, receiver.url)["webhook"]["id"]
        ids = _reappear(module_graph, story, 12)
        receiver.fail_once = {ids[5]}
        window = dataclasses.replace(FAST, concurrency=4)
        asyncio.run(_passes(settings, window, lambda: len(receiver.delivered()) >= 12))
        assert receiver.delivered() == Counter({i: 1 for i in ids})
        assert 2 <= receiver.max_parallel <= 4 and receiver.overlaps == 0
        assert len(receiver.requests) == 13  # the one failure, then each alert once
        log = {d["alertId"]: d for d in _log(hooks_api, hook)}
        assert {k: d["state"] for k, d in log.items()} == {i: "DELIVERED" for i in ids}
        assert [a["error"] for a in log[ids[5]]["attempts"]] == ["HTTP_503", None]
        cursor = module_graph.query("MATCH (w:Webhook {id: $id}) RETURN w.cursor AS c", id=hook)[0]["c"]
        assert cursor == log[ids[-1]]["seq"]
    finally:
        receiver.close()
    _remove(hooks_api, hook)


def test_a_host_name_is_resolved_once_and_a_rebinding_to_an_internal_address_is_refused(
    hooks_api, module_graph, story, settings
):
    """The receiver is registered by name. The name server (the dispatcher's resolver, answered by the test)
    first points the name at the allowed receiver, then at an internal service (127.0.0.2, loopback: not in
    the allow-list) listening on the same port. The POST goes to the address that was checked, with the name
    as its Host; once the name points inside, the attempt is refused before any connection, and the log says
    which address and why."""
    receiver = Receiver()
    internal = Receiver(address=("127.0.0.2", receiver.port))
    name = "hooks.rebind.test"
    answers = [["127.0.0.1"]]
    lookups: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        lookups.append(host)
        return answers[-1] if host == name else []

    try:
        hook = _register(hooks_api, f"http://{name}:{receiver.port}/hook")["webhook"]["id"]
        first = _reappear(module_graph, story, 3)
        asyncio.run(_passes(settings, FAST, lambda: len(receiver.delivered()) >= 3, resolve=resolve))
        assert set(receiver.delivered()) == set(first) and internal.requests == []
        assert {r["headers"]["Host"] for r in receiver.requests} == {f"{name}:{receiver.port}"}
        assert len(lookups) == 1  # one look-up for the pass: every POST went to the address it answered

        answers.append(["127.0.0.1", "127.0.0.2"])  # rebound: one of its answers is internal
        (later,) = _reappear(module_graph, story, 1)
        asyncio.run(
            _passes(settings, FAST, lambda: any(d["alertId"] == later for d in _log(hooks_api, hook)), resolve=resolve)
        )
        entry = next(d for d in _log(hooks_api, hook) if d["alertId"] == later)
        (attempt,) = entry["attempts"]
        assert entry["state"] == "PENDING" and attempt["error"] == "REFUSED_ADDRESS"
        assert attempt["statusCode"] is None and attempt["milliseconds"] == 0
        assert f"{name} resolved to 127.0.0.1, 127.0.0.2: 127.0.0.2 is a loopback address" in attempt["reason"]
        assert internal.requests == [] and later not in receiver.delivered()
    finally:
        receiver.close()
        internal.close()
    _remove(hooks_api, hook)


def test_a_tls_receiver_is_verified_for_its_registered_name_at_the_checked_address(
    hooks_api, module_graph, story, settings, tmp_path
):
    """A receiver over HTTPS, registered by name, its certificate issued by a CA of the test's own, which the
    dispatcher is given as webhook_ca_file. The POSTs go to the address the name server answered, with the name
    as TLS server name and Host, and the certificate is verified for that name. A certificate for another name
    at the same address, or the right one without the CA, fails the attempt before any request is sent."""
    ca = trustme.CA()
    ca_file = tmp_path / "intranet-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    name = "hooks.tls.test"

    def certified(for_name: str) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(for_name).configure_cert(context)
        return context

    async def resolve(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == name else []

    trusting = dataclasses.replace(FAST, ca_file=str(ca_file))
    right, wrong = Receiver(tls=certified(name)), Receiver(tls=certified("other.tls.test"))
    try:
        hook = _register(hooks_api, f"https://{name}:{right.port}/hook")["webhook"]["id"]
        ids = _reappear(module_graph, story, 2)
        asyncio.run(_passes(settings, trusting, lambda: len(right.delivered()) >= 2, resolve=resolve))
        assert right.delivered() == Counter({i: 1 for i in ids})
        assert right.sni == {name}
        assert {r["headers"]["Host"] for r in right.requests} == {f"{name}:{right.port}"}
        _remove(hooks_api, hook)

        for receiver, config in ((wrong, trusting), (right, FAST)):  # FAST: the system's CAs only
            before = len(right.requests)
            hook = _register(hooks_api, f"https://{name}:{receiver.port}/hook")["webhook"]["id"]
            (later,) = _reappear(module_graph, story, 1)
            asyncio.run(_passes(settings, config, lambda hook=hook: bool(_log(hooks_api, hook)), resolve=resolve))
            (entry,) = _log(hooks_api, hook)
            assert entry["alertId"] == later and entry["state"] == "PENDING"
            assert [(a["statusCode"], a["error"]) for a in entry["attempts"]] == [(None, "ConnectError")]
            assert wrong.requests == [] and len(right.requests) == before
            _remove(hooks_api, hook)
    finally:
        right.close()
        wrong.close()


def test_two_dispatchers_split_two_webhooks_and_one_works_on_both_side_by_side(
    hooks_api, module_graph, story, settings
):
    """Two webhooks of the department. One worker alone leases both and attempts them side by side (the two
    receivers' requests overlap in time); once a second worker claims, the first gives one up at its next claim
    and the second takes it: each holds its share, one. Every alert reaches each receiver once."""
    slow = [Receiver(delay=0.5), Receiver(delay=0.5)]
    hooks = [_register(hooks_api, r.url)["webhook"]["id"] for r in slow]
    try:
        ids = _reappear(module_graph, story, 4)
        # one alert per webhook a pass, so that each keeps work (and its lease) from pass to pass
        step = dataclasses.replace(FAST, concurrency=1, batch_size=1)
        leases: list[dict[str, str | None]] = []

        async def two_workers() -> None:
            driver = async_driver(settings)
            try:
                store = Store(driver, settings.neo4j_database)
                async with (
                    Dispatcher(store, step, alert_body, holder="split-a") as a,
                    Dispatcher(store, step, alert_body, holder="split-b") as b,
                ):
                    assert await a.run_pass() == 2  # alone so far: its share is both, attempted at once
                    assert await b.run_pass() == 0  # counted now, but a holds both
                    assert await a.run_pass() == 1  # share one: a keeps the first and gives the second up
                    assert await b.run_pass() == 1  # and b takes it
                    rows = module_graph.query(
                        "MATCH (w:Webhook) WHERE w.id IN $ids RETURN w.id AS id, w.leaseHolder AS h", ids=hooks
                    )
                    leases.append({r["id"]: r["h"] for r in rows})
                    for _ in range(10):
                        if all(len(r.delivered()) == 4 for r in slow):
                            break
                        await asyncio.gather(a.run_pass(), b.run_pass())
                    # nothing due: each keeps its webhook (and its connections), none changes hands
                    assert await b.run_pass() == 0 and await a.run_pass() == 0 and await b.run_pass() == 0
                    rows = module_graph.query(
                        "MATCH (w:Webhook) WHERE w.id IN $ids RETURN w.id AS id, w.leaseHolder AS h", ids=hooks
                    )
                    leases.append({r["id"]: r["h"] for r in rows})
            finally:
                await driver.close()

        asyncio.run(two_workers())
        assert leases == [{min(hooks): "split-a", max(hooks): "split-b"}] * 2
        spans = [sorted(r["span"] for r in receiver.requests) for receiver in slow]
        first_a, first_b = spans[0][0], spans[1][0]
        assert first_a[0] < first_b[1] and first_b[0] < first_a[1]  # the first pass's two POSTs overlapped
        assert [r.delivered() for r in slow] == [Counter({i: 1 for i in ids})] * 2
        assert all(r.overlaps == 0 for r in slow)
    finally:
        for r in slow:
            r.close()
        for hook in hooks:
            _remove(hooks_api, hook)
