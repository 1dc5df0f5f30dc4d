"""Alerts to subscribers, across processes: no bus between them, the outbox in the graph is the source of
truth. Each process runs one poller (`AlertFeed`, started with the app) that reads the alerts committed past
the last one it saw and hands each to that process's subscribers it is for (the user, or the user's
department), as the inbox shows it to them; a process with no subscriber reads nothing.

Why nothing is skipped. `alerts_raise` numbers alerts under the lock of the one sequence node, held until
its transaction commits, so seq N commits before N+1 is even taken, and the sequence's `last` commits with
them. A read-committed scan could still see N+1 and not N (N committing while the scan is past its place);
so every read is bounded by the sequence's `last` read before the scan (`head`): all alerts up to it are
committed, and the next poll goes on from there. A seq below the head that is missing was deleted, never
late. A subscriber gets alerts in seq order, each once: its backlog (the reader's alerts after `afterSeq`)
is read after it is registered, and live alerts at or below what it was sent are dropped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import neo4j

from graph_api.domain.actor import Actor
from graph_api.domain.clock import today
from graph_api.domain.permissions import record_params
from graph_api.errors import RateLimited, ServiceSaturated
from graph_api.settings import Settings
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map
from graph_api.store.run import read

log = logging.getLogger("graph_api.alert_feed")

PAGE = 500  # alerts per read, of the poll and of a backlog


class TooSlow(Exception):
    """More alerts waited for a subscriber than its queue holds."""


@dataclass(eq=False)
class Subscriber:
    """One open subscription: whose alerts, and those waiting for it (at most `capacity`)."""

    actor: Actor
    unacknowledged_only: bool
    capacity: int
    offered: int = 0  # the last seq handed to it
    pending: deque[Map] = field(default_factory=deque)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    too_slow: bool = False

    def is_for(self, user: str | None, department: str | None) -> bool:
        return user == self.actor.user or (department is not None and department == self.actor.department)

    def offer(self, alert: Map) -> None:
        if self.too_slow:
            return
        if len(self.pending) >= self.capacity:
            self.too_slow = True
            self.pending.clear()
        else:
            self.pending.append(alert)
        self.ready.set()

    async def next_alerts(self) -> list[Map]:
        """The alerts that waited, oldest first (waits for one); TooSlow once its queue overflowed."""
        await self.ready.wait()
        self.ready.clear()
        if self.too_slow:
            raise TooSlow
        taken = list(self.pending)
        self.pending.clear()
        return taken


def visibility(actor: Actor) -> tuple[Any, ...]:
    """What decides which records a reader sees (@record_visible's parameters): readers alike share a read."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in record_params(actor, today()).items()))


class AlertFeed:
    """The process's poller and its subscribers."""

    def __init__(self, driver: neo4j.AsyncDriver, settings: Settings):
        self.driver, self.settings = driver, settings
        self.subscribers: set[Subscriber] = set()
        self.per_user: Counter[str] = Counter()
        self.last: int | None = None  # the last seq polled; None while nobody listens
        self._generation = 0  # bumped when polling restarts from a new point: a poll begun before is void
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="alert-feed")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _read(self, statement: Any, **params: Any) -> list[Any]:
        return await read(
            self.driver,
            statement,
            database_=self.settings.neo4j_database,
            timeout_=self.settings.neo4j_query_timeout,
            retry_for_=self.settings.neo4j_max_retry_time,
            **params,
        )

    async def head(self) -> int:
        """The last alert committed (0 before the first)."""
        return int((await self._read(queries.alerts_head))[0]["seq"])

    async def subscribe(self, actor: Actor, unacknowledged_only: bool) -> tuple[Subscriber, int]:
        """Register a subscriber (live alerts reach it from now), with the seq of the last alert committed
        before; ServiceSaturated or RateLimited past a cap."""
        head = await self.head()
        # no await from the checks to the registration: concurrent subscriptions cannot pass a cap together
        if len(self.subscribers) >= self.settings.max_alert_subscriptions:
            raise ServiceSaturated("this process holds as many alert subscriptions as it may; retry later")
        if self.per_user[actor.user] >= self.settings.max_alert_subscriptions_per_user:
            raise RateLimited(
                f"at most {self.settings.max_alert_subscriptions_per_user} alert subscriptions per user at once"
            )
        if not self.subscribers:
            # nobody listened: polling starts at a head read before the subscriber's backlog reads its own
            self.last, self._generation = head, self._generation + 1
        sub = Subscriber(actor, unacknowledged_only, self.settings.alert_subscriber_queue)
        self.subscribers.add(sub)
        self.per_user[actor.user] += 1
        self._wake.set()
        return sub, head

    def unsubscribe(self, sub: Subscriber) -> None:
        if sub in self.subscribers:
            self.subscribers.discard(sub)
            self.per_user[sub.actor.user] -= 1
            if self.per_user[sub.actor.user] <= 0:
                del self.per_user[sub.actor.user]

    async def backlog(self, sub: Subscriber, after: int) -> list[Map]:
        """The subscriber's alerts after `after`, oldest first, at most PAGE, as its reader is shown them."""
        rows = await self._read(
            queries.alerts_backlog,
            after=after,
            limit=PAGE,
            user=sub.actor.user,
            department=sub.actor.department,
            unacknowledgedOnly=sub.unacknowledged_only,
            **record_params(sub.actor, today()),
        )
        return [r["alert"] for r in rows]

    async def _warm(self) -> None:
        """Plan the feed's statements once at start (an officer's parameters): planned cold, under load, they
        took seconds, which a first subscriber would otherwise wait."""
        officer = Actor(user="", role="OFFICER", department="", uscc=None)
        try:
            await self.head()
            await self._read(queries.alerts_feed, after=0, limit=0)
            await self.backlog(Subscriber(officer, False, 1), 0)
            await self._read(queries.alerts_by_seq, seqs=[], **record_params(officer, today()))
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as e:
            log.info("alert statements not planned at start: %s", type(e).__name__)

    async def _run(self) -> None:
        interval = self.settings.alert_poll_interval_ms / 1000
        await self._warm()
        while True:
            if not self.subscribers:
                self._wake.clear()
                await self._wake.wait()
            try:
                while await self.poll() == PAGE:
                    pass  # a full page: more are waiting
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as e:
                log.warning("alert poll failed: %s", type(e).__name__)
            await asyncio.sleep(interval)

    async def poll(self) -> int:
        """One read of the alerts past the last polled, handed to the subscribers they are for; their count."""
        if not self.subscribers or self.last is None:
            return 0
        generation, after = self._generation, self.last
        row = (await self._read(queries.alerts_feed, after=after, limit=PAGE))[0]
        if generation != self._generation:
            return 0
        if row["head"] < after:  # the database was wiped or restored below what was seen: start again there
            self.last = row["head"]
            return 0
        found = row["alerts"]
        if found:
            await self._fan_out(found)
            self.last = max(self.last or 0, found[-1]["seq"])
        return len(found)

    async def _fan_out(self, found: Iterable[Map]) -> None:
        groups: dict[tuple[Any, ...], list[tuple[Subscriber, list[int]]]] = {}
        for sub in list(self.subscribers):
            seqs = [a["seq"] for a in found if a["seq"] > sub.offered and sub.is_for(a["user"], a["department"])]
            if seqs:
                groups.setdefault(visibility(sub.actor), []).append((sub, seqs))
        await asyncio.gather(*(self._deliver(members) for members in groups.values()))

    async def _deliver(self, members: list[tuple[Subscriber, list[int]]]) -> None:
        """One read for readers who see records alike, then each its own alerts, in seq order."""
        wanted = sorted({s for _, seqs in members for s in seqs})
        rows = await self._read(queries.alerts_by_seq, seqs=wanted, **record_params(members[0][0].actor, today()))
        shown = {r["alert"]["seq"]: r["alert"] for r in rows}
        for sub, seqs in members:
            for seq in seqs:
                alert = shown.get(seq)
                if alert is None or seq <= sub.offered:
                    continue
                if not sub.unacknowledged_only or alert["state"] == "NEW":
                    sub.offer(alert)
                sub.offered = seq
