"""The appender of read entries (store/audit_appender.py), in-process on the test Neo4j: concurrent appends
share transactions and are chained in arrival order; changes appending in their own transactions
interleave with the batches into one chain; two appenders (as two worker processes) starting on an empty
trail make one head; a batch after this process's last is one statement, and one after another writer's is
chained after that writer's entry; a batch sent in one statement whose answer was lost is not written
twice; a stopped appender writes nothing and says so."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from graph_api.domain.actor import Actor
from graph_api.services import unit_of_work
from graph_api.services.unit_of_work import Store
from graph_api.settings import Settings
from graph_api.store import audit
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


OFFICER = Actor(user="officer-1", role="OFFICER", department="370200-SCJG")


async def no_change(_: unit_of_work.Tx) -> None:
    """A change that changes nothing: its transaction still appends its entry to the trail."""
    return None


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
        appended = await asyncio.gather(*(appender.append(**read_entry(i)) for i in range(64)))
        return [a.entry for a in appended], appender.batches

    entries, batches = with_appenders(settings, 1, work)
    assert [(e["seq"], e["user"]) for e in entries] == [(i + 1, f"investigator-{i}") for i in range(64)]
    assert batches < 64  # 64 readers did not take the head lock 64 times
    result = verify(driver, settings.neo4j_database)
    assert (result.ok, result.entries) == (True, 64), result


def test_changes_in_their_own_transactions_interleave_with_batches(settings, driver, graph):
    async def work(appender: AuditAppender) -> list[Any]:
        store = Store(appender.driver, settings.neo4j_database)
        reads = [appender.append(**read_entry(i)) for i in range(32)]
        changes = [unit_of_work.write(store, OFFICER, f"change{i}", no_change) for i in range(16)]
        return await asyncio.gather(*reads, *changes)

    with_appenders(settings, 1, work)
    kinds = graph.query("MATCH (e:AuditEntry) RETURN e.kind AS kind, count(*) AS n ORDER BY kind")
    assert kinds == [{"kind": "CHANGE", "n": 16}, {"kind": "READ_PERSONAL", "n": 32}]
    result = verify(driver, settings.neo4j_database)
    assert (result.ok, result.entries) == (True, 48), result


def test_two_appenders_starting_on_an_empty_trail_make_one_head(settings, driver, graph):
    async def work(a: AuditAppender, b: AuditAppender) -> list[dict[str, Any]]:
        appended = await asyncio.gather(*(x.append(**read_entry(i)) for i in range(10) for x in (a, b)))
        return [x.entry for x in appended]

    entries = with_appenders(settings, 2, work)
    assert sorted(e["seq"] for e in entries) == list(range(1, 21))
    assert graph.query("MATCH (h:AuditHead) RETURN count(h) AS n, max(h.seq) AS seq") == [{"n": 1, "seq": 20}]
    assert verify(driver, settings.neo4j_database).ok


def test_a_batch_after_this_processs_last_is_one_statement(settings, driver, graph):
    async def work(appender: AuditAppender) -> list[tuple[int, int]]:
        out = []
        for i in range(4):  # one after the other: each is a batch of its own
            a = await appender.append(**read_entry(i))
            out.append((a.entry["seq"], a.statements))
        return out

    # the first batch reads the head (lock, append); the next ones are chained after it in one statement
    assert with_appenders(settings, 1, work) == [(1, 2), (2, 1), (3, 1), (4, 1)]
    result = verify(driver, settings.neo4j_database)
    assert (result.ok, result.entries) == (True, 4), result


def test_a_batch_after_another_writers_entry_is_chained_after_it(settings, driver, graph):
    async def work(a: AuditAppender, b: AuditAppender) -> list[tuple[str, int, int]]:
        store = Store(a.driver, settings.neo4j_database)
        out = []
        for step in ("a", "a", "change", "a", "b", "a", "b", "b"):
            if step == "change":
                await unit_of_work.write(store, OFFICER, "change", no_change)
                continue
            x = await (a if step == "a" else b).append(**read_entry(len(out)))
            out.append((step, x.entry["seq"], x.statements))
        return out

    # the one-statement append finds the head moved (by the change, by the other appender): nothing is
    # written by it, and the batch is written after the head as it is (3 statements)
    assert with_appenders(settings, 2, work) == [
        ("a", 1, 2),
        ("a", 2, 1),
        ("a", 4, 3),
        ("b", 5, 2),
        ("a", 6, 3),
        ("b", 7, 3),
        ("b", 8, 1),
    ]
    result = verify(driver, settings.neo4j_database)
    assert (result.ok, result.entries) == (True, 8), result


def test_a_batch_whose_one_statement_answer_was_lost_is_not_written_twice(settings, driver, graph):
    fields = [read_entry(1), read_entry(2)]

    async def main() -> tuple[bool, list[dict[str, Any]], list[dict[str, Any]]]:
        d = async_driver(settings)
        try:
            async with d.session(database=settings.neo4j_database) as session:
                first = await session.execute_write(lambda tx: audit.append_all(tx, [read_entry(0)]))
                head = (first[-1]["seq"], first[-1]["hash"])
                sent = audit.chain(head, fields)
                appended = await audit.append_after(session, head, sent)  # committed; say its answer is lost
                again = await session.execute_write(lambda tx: audit.append_all(tx, fields, sent))
                return appended, sent, again
        finally:
            await d.close()

    appended, sent, again = asyncio.run(main())
    assert appended and again == sent
    assert graph.query("MATCH (e:AuditEntry) RETURN e.seq AS seq ORDER BY seq") == [{"seq": 1}, {"seq": 2}, {"seq": 3}]
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
