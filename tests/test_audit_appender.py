"""The appender of read entries (store/audit_appender.py), in-process on the test Neo4j: concurrent appends
share transactions and are chained in arrival order; changes appending in their own transactions
interleave with the batches into one chain; two appenders (as two worker processes) starting on an empty
trail make one head; a stopped appender writes nothing and says so."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from graph_api.domain.actor import Actor
from graph_api.services import unit_of_work
from graph_api.services.unit_of_work import Store
from graph_api.settings import Settings
from graph_api.store.audit import verify
from graph_api.store.audit_appender import AuditAppender, AuditNotWritten
from graph_api.store.db import async_driver

T = TypeVar("T")


def read_entry(i: int) -> dict[str, Any]:
    return {
        "user": f"investigator-{i}",
        "role": "INVESTIGATOR",
        "department": None,
        "entity": None,
        "operation": "person",
        "kind": "READ_PERSONAL",
        "subjects": [f"person-{i}"],
        "purpose": f"case {i}",
    }


def with_appenders(settings: Settings, n: int, work: Callable[..., Awaitable[T]]) -> T:
    """`work(*appenders)` with `n` running appenders, each on a driver of its own (as each process has)."""

    async def main() -> T:
        drivers = [async_driver(settings) for _ in range(n)]
        appenders = [AuditAppender(d, settings.neo4j_database) for d in drivers]
        for a in appenders:
            a.start()
        try:
            return await work(*appenders)
        finally:
            for a in appenders:
                await a.stop()
            for d in drivers:
                await d.close()

    return asyncio.run(main())


def test_concurrent_appends_share_transactions_and_are_chained_in_arrival_order(settings, driver, graph):
    async def work(appender: AuditAppender) -> tuple[list[dict[str, Any]], int]:
        entries = await asyncio.gather(*(appender.append(**read_entry(i)) for i in range(64)))
        return entries, appender.batches

    entries, batches = with_appenders(settings, 1, work)
    assert [(e["seq"], e["user"]) for e in entries] == [(i + 1, f"investigator-{i}") for i in range(64)]
    assert batches < 64  # 64 readers did not take the head lock 64 times
    result = verify(driver, settings.neo4j_database)
    assert (result.ok, result.entries) == (True, 64), result


def test_changes_in_their_own_transactions_interleave_with_batches(settings, driver, graph):
    actor = Actor(user="officer-1", role="OFFICER", department="370200-SCJG")

    async def nothing(_: unit_of_work.Tx) -> None:
        return None

    async def work(appender: AuditAppender) -> list[Any]:
        store = Store(appender.driver, settings.neo4j_database)
        reads = [appender.append(**read_entry(i)) for i in range(32)]
        changes = [unit_of_work.write(store, actor, f"change{i}", nothing) for i in range(16)]
        return await asyncio.gather(*reads, *changes)

    with_appenders(settings, 1, work)
    kinds = graph.query("MATCH (e:AuditEntry) RETURN e.kind AS kind, count(*) AS n ORDER BY kind")
    assert kinds == [{"kind": "CHANGE", "n": 16}, {"kind": "READ_PERSONAL", "n": 32}]
    result = verify(driver, settings.neo4j_database)
    assert (result.ok, result.entries) == (True, 48), result


def test_two_appenders_starting_on_an_empty_trail_make_one_head(settings, driver, graph):
    async def work(a: AuditAppender, b: AuditAppender) -> list[dict[str, Any]]:
        return await asyncio.gather(*(x.append(**read_entry(i)) for i in range(10) for x in (a, b)))

    entries = with_appenders(settings, 2, work)
    assert sorted(e["seq"] for e in entries) == list(range(1, 21))
    assert graph.query("MATCH (h:AuditHead) RETURN count(h) AS n, max(h.seq) AS seq") == [{"n": 1, "seq": 20}]
    assert verify(driver, settings.neo4j_database).ok


def test_a_stopped_appender_writes_nothing_and_says_so(settings, graph):
    async def main() -> None:
        d = async_driver(settings)
        appender = AuditAppender(d, settings.neo4j_database)
        try:
            with pytest.raises(AuditNotWritten):  # never started
                await appender.append(**read_entry(0))
            appender.start()
            await appender.append(**read_entry(1))
            await appender.stop()
            with pytest.raises(AuditNotWritten):
                await appender.append(**read_entry(2))
        finally:
            await d.close()

    asyncio.run(main())
    assert graph.query("MATCH (e:AuditEntry) RETURN e.user AS user") == [{"user": "investigator-1"}]
