"""Delivering a department's alerts to its webhooks, from the outbox in the graph: at least once, attempted in seq
order, each POST signed and carrying the alert's id as its idempotency key. A pass claims the lease of the
webhooks free to be worked on, up to the worker's share of them (so across workers and replicas one at a time
attempts a webhook's deliveries, and the workers split the webhooks between them), works on them side by side,
resolves the receiver's host once and checks every address (the POSTs then go to the checked address, never
to the name again: a rebinding name server gets no second answer), attempts its due alerts (the first alone,
then up to `concurrency` in flight; none starts after one failed), and records the attempts, the cursor (past
the alerts delivered or given up with no gap before them) and the next attempt's time in one write
transaction of the lease's holder. A worker that dies mid-pass recorded nothing of it: its lease lapses and
the next holder attempts the same alerts again, with the same keys. The alert-raising write never waits for
any of this (it only creates the outbox node)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import socket
import ssl
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import neo4j

from graph_api.domain import webhooks
from graph_api.domain.actor import Actor
from graph_api.domain.clock import today
from graph_api.domain.permissions import record_params
from graph_api.services.unit_of_work import Store
from graph_api.services.webhooks import sealer
from graph_api.settings import Settings
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map, WebhookDueRow
from graph_api.store.run import run

log = logging.getLogger("graph_api.webhooks")

Render = Callable[[Map], bytes]  # an alert as its department's officer reads it in the inbox, as JSON


@dataclass(frozen=True)
class Config:
    timeout: float = 5.0
    backoff_base: float = 2.0
    backoff_cap: float = 600.0
    backoff_jitter: float = 0.2
    max_failures: int = 8
    lease_seconds: float = 30.0
    poll_interval: float = 0.5
    batch_size: int = 200
    concurrency: int = 8
    allowed: tuple[webhooks.Network, ...] = ()
    ca_file: str | None = None  # the CA certificates receivers' TLS certificates are verified against

    @classmethod
    def from_settings(cls, s: Settings) -> Config:
        return cls(
            timeout=s.webhook_timeout,
            backoff_base=s.webhook_backoff_base,
            backoff_cap=s.webhook_backoff_cap,
            backoff_jitter=s.webhook_backoff_jitter,
            max_failures=s.webhook_max_failures,
            lease_seconds=s.webhook_lease_seconds,
            poll_interval=s.webhook_poll_interval,
            batch_size=s.webhook_batch_size,
            concurrency=s.webhook_concurrency,
            allowed=webhooks.networks(s.webhook_allowed_networks),
            ca_file=str(s.webhook_ca_file) if s.webhook_ca_file else None,
        )


@dataclass(frozen=True)
class Attempt:
    status: int  # 0: no HTTP answer
    error: str  # "" on success; an error class or HTTP_<code>, never a body or personal data
    ms: int
    reason: str = ""  # in words, when the attempt was refused before connecting (which address, and why)


@dataclass(frozen=True)
class Target:
    url: str  # the URL connected to: the receiver's, its host name replaced by the checked address
    host: str  # the Host header: the receiver's host name (and port)
    server_name: str  # TLS SNI and the name the certificate is verified for
    problem: str | None  # why no connection is made at all


Resolve = Callable[[str, int], Awaitable[list[str]]]  # host name, port -> addresses, now


class Dispatcher:
    def __init__(
        self,
        store: Store,
        config: Config,
        render: Render,
        holder: str | None = None,
        resolve: Resolve | None = None,
    ):
        if config.timeout + config.lease_seconds / 5 >= config.lease_seconds:
            raise ValueError(
                "webhook_lease_seconds must exceed webhook_timeout by a quarter at least: an attempt "
                "must end within the lease"
            )
        self.store = store
        self.config = config
        self.render = render
        self.holder = holder or f"{socket.gethostname()}-{uuid.uuid4().hex[:12]}"
        self.resolve = resolve or system_resolver
        self._clients: dict[tuple[str, str], httpx.AsyncClient] = {}
        # the system's CA certificates, or the deployment's own (an intranet CA): one context for every client
        self._tls = ssl.create_default_context(cafile=config.ca_file)
        self._held: set[str] = set()  # the webhooks whose lease this worker holds since its last claim

    async def __aenter__(self) -> Dispatcher:
        return self

    async def __aexit__(self, *_: object) -> None:
        for webhook in list(self._held):
            # best effort: a lease not given up lapses by itself within webhook_lease_seconds
            with contextlib.suppress(neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError):
                await self._release(webhook)
        with contextlib.suppress(neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError):
            await self._write(queries.webhook_worker_leave, holder=self.holder)
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

    async def run(self, stop: asyncio.Event) -> None:
        """Passes until `stop` is set, waiting poll_interval after a pass that attempted nothing."""
        while not stop.is_set():
            try:
                attempted = await self.run_pass()
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as e:
                log.warning("webhook pass failed", extra={"error": type(e).__name__})
                attempted = 0
            if attempted == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.config.poll_interval)

    async def run_pass(self) -> int:
        """One pass over the webhooks this worker could lease, side by side (a slow receiver does not hold up
        another department's alerts); the number of attempts made."""
        # measured before the claim is sent: the lease runs out no later than this worker thinks
        lease_end = time.monotonic() + self.config.lease_seconds
        claimed = await self._write(queries.webhook_claim, holder=self.holder, leaseMs=self._lease_ms())
        self._held = {row["webhook"]["id"] for row in claimed}  # the claim may have given surplus ones up
        # connections of webhooks this worker no longer works on (removed, or another worker's now) are closed
        for key in [k for k in self._clients if k[0] not in self._held]:
            await self._clients.pop(key).aclose()

        async def one(w: Map) -> int:
            try:
                return await self._deliver(w, lease_end)
            except BaseException:
                await self._release(w["id"])
                raise

        # A webhook stays with its worker from pass to pass, with work or not (each claim renews the lease): given
        # up after a pass with nothing due, it went to whichever worker claimed next, so webhooks changed workers
        # many times a second and each change opened new connections (a TLS handshake each) to the receiver.
        # The shares still move when a worker joins or leaves; a worker that dies lets go within a lease.

        # each webhook's own failure is its own: the others finish and record before it is raised
        done = await asyncio.gather(*(one(row["webhook"]) for row in claimed), return_exceptions=True)
        for outcome in done:
            if isinstance(outcome, BaseException):
                raise outcome
        return sum(n for n in done if isinstance(n, int))

    async def _release(self, webhook: str) -> None:
        self._held.discard(webhook)
        await self._write(queries.webhook_release, webhook=webhook, holder=self.holder)

    def _lease_ms(self) -> int:
        return int(self.config.lease_seconds * 1000)

    async def _write(self, statement: Any, **params: Any) -> list[Any]:
        async def work(tx: neo4j.AsyncManagedTransaction) -> list[Any]:
            return await run(tx, statement, **params)

        async with self.store.driver.session(database=self.store.database) as session:
            return await session.execute_write(work)

    async def _deliver(self, w: Map, lease_end: float) -> int:
        reader = Actor(user=f"webhook:{w['id']}", role="OFFICER", department=w["department"])
        params: dict[str, Any] = {"webhook": w["id"], "limit": self.config.batch_size, **record_params(reader, today())}
        due: list[WebhookDueRow] = await run(
            self.store.driver,
            queries.webhook_due,
            database_=self.store.database,
            routing_=neo4j.RoutingControl.READ,
            **params,
        )
        plan: list[WebhookDueRow] = []
        for row in due:
            if row["waiting"]:
                if row["requeued"]:
                    continue
                break  # the head of the queue waits for its retry: later alerts wait behind it
            if not row["requeued"] and (row["delivery"] or {}).get("state") in ("DELIVERED", "DEAD"):
                continue  # attempted beside an earlier alert that failed; only the cursor passes it now
            plan.append(row)
        outcomes: dict[str, dict[str, Any]] = {}
        if plan:
            await self._attempt_all(w, plan, lease_end, outcomes)
        cursor = w["cursor"]
        for row in due:  # the cursor passes the alerts delivered or given up without a gap before them
            if row["requeued"]:
                continue
            state = outcomes[row["alert"]["id"]]["state"] if row["alert"]["id"] in outcomes else None
            if state is None and not row["waiting"]:
                state = (row["delivery"] or {}).get("state")
            if state not in ("DELIVERED", "DEAD"):
                break
            cursor = row["alert"]["seq"]
        if outcomes or cursor != w["cursor"]:
            rows = await self._write(
                queries.webhook_record,
                webhook=w["id"],
                holder=self.holder,
                cursor=cursor,
                outcomes=list(outcomes.values()),
                leaseMs=self._lease_ms(),
            )
            if outcomes and rows[0]["recorded"] == 0:
                log.warning("webhook lease lost before recording", extra={"webhook": w["id"]})
        return len(outcomes)

    async def _attempt_all(
        self, w: Map, plan: list[WebhookDueRow], lease_end: float, outcomes: dict[str, dict[str, Any]]
    ) -> None:
        """Attempts `plan` in its order: the first alone (a receiver that is down or refused gets one attempt
        per backoff, not a window of them), then up to `concurrency` at once. No attempt starts after an alert
        of the queue failed; those in flight finish and are recorded."""
        target = await self._target(w["url"])
        secret = sealer().decrypt(w["secret"])
        # an attempt starts only if it ends, timeout and all, with a fifth of the lease to spare for recording:
        # past the lease another worker may claim the webhook and attempt the same alert
        last_start = lease_end - self.config.timeout - self.config.lease_seconds / 5
        window = asyncio.Semaphore(self.config.concurrency)  # FIFO: attempts start in plan order
        halted = False

        async def one(row: WebhookDueRow) -> None:
            nonlocal halted
            async with window:
                if halted or time.monotonic() > last_start:
                    return
                outcome = await self._outcome(w, row, target, secret)
                outcomes[row["alert"]["id"]] = outcome
                if outcome["state"] == "PENDING" and not row["requeued"]:
                    halted = True

        await one(plan[0])
        await asyncio.gather(*(one(row) for row in plan[1:]))

    async def _outcome(self, w: Map, row: WebhookDueRow, target: Target, secret: str) -> dict[str, Any]:
        alert = row["alert"]
        attempt = await self._attempt(w["id"], target, self.render(alert), secret, alert["id"])
        failures = (row["delivery"] or {}).get("failures") or 0
        state, failures = webhooks.after_attempt(webhooks.succeeded(attempt.status), failures, self.config.max_failures)
        retry = (
            webhooks.backoff(failures, self.config.backoff_base, self.config.backoff_cap, self.config.backoff_jitter)
            if state == "PENDING"
            else 0.0
        )
        log.info(
            "webhook attempt",
            extra={
                "webhook": w["id"],
                "alert": alert["id"],
                "seq": alert["seq"],
                "state": state,
                "status": attempt.status,
                "error": attempt.error,
                "ms": attempt.ms,
            },
        )
        return {
            "id": (row["delivery"] or {}).get("id") or uuid.uuid4().hex,
            "alert": alert["id"],
            "seq": alert["seq"],
            "kind": alert["kind"],
            "state": state,
            "failures": failures,
            "status": attempt.status,
            "error": attempt.error,
            "reason": attempt.reason,
            "ms": attempt.ms,
            "at": dt.datetime.now(dt.UTC).isoformat(),
            "retryMs": int(retry * 1000),
        }

    async def _attempt(self, webhook: str, target: Target, body: bytes, secret: str, alert_id: str) -> Attempt:
        if target.problem is not None:
            return Attempt(0, "REFUSED_ADDRESS", 0, target.problem)
        started = time.monotonic()
        headers = {**webhooks.headers(secret, body, int(time.time()), alert_id), "Host": target.host}
        try:
            response = await self._client_for(webhook, target.server_name).post(
                target.url, content=body, headers=headers, extensions={"sni_hostname": target.server_name}
            )
        except httpx.HTTPError as e:
            return Attempt(0, type(e).__name__, _ms(started))
        status = response.status_code
        return Attempt(status, "" if webhooks.succeeded(status) else f"HTTP_{status}", _ms(started))

    def _client_for(self, webhook: str, server_name: str) -> httpx.AsyncClient:
        """One client (connection pool) per webhook and receiver host name: httpx pools connections by the address
        connected to, and a TLS connection made and verified for one name must not carry another's requests;
        and each webhook has its own `concurrency` connections, so that two webhooks are attempted side by side."""
        client = self._clients.get((webhook, server_name))
        if client is None:
            n = self.config.concurrency
            # redirects are not followed: a 3xx could lead the POST to an address the checks never saw
            client = httpx.AsyncClient(
                timeout=self.config.timeout,
                follow_redirects=False,
                trust_env=False,
                verify=self._tls,
                limits=httpx.Limits(max_connections=n, max_keepalive_connections=n),
            )
            self._clients[webhook, server_name] = client
        return client

    async def _target(self, url: str) -> Target:
        """Where this pass's POSTs go: the receiver's host resolved now, each address it resolves to checked
        (a name may have been pointed at an internal address since it was registered), and the connection
        made to the checked address, never to the name again."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if webhooks.is_ip(host):
            problem = webhooks.address_problem(host, self.config.allowed)
            return Target(url, parts.netloc, host, problem and f"the receiver's address is refused: {problem}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            addresses = await self.resolve(host, port)
        except OSError:
            addresses = []
        if not addresses:
            return Target(url, host, host, f"the receiver's host name {host} does not resolve")
        for address in addresses:
            problem = webhooks.address_problem(address, self.config.allowed)
            if problem is not None:
                log.warning("webhook receiver address refused", extra={"problem": problem})
                return Target(
                    url, host, host, f"the receiver's host name {host} resolved to {', '.join(addresses)}: {problem}"
                )
        pinned_url, host_header, server_name = webhooks.pinned(url, addresses[0])
        return Target(pinned_url, host_header, server_name, None)


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses a host name resolves to now, by the system's resolver."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
