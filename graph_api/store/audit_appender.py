"""The audit entries of reads, written by one appender per process in batches (group commit).

An audited read's answer is released only once its entry is committed, and every entry is chained after
the one before it under the one head lock. Appending each read in a transaction of its own made N
concurrent readers take that lock N times, one after the other (issue 11: reads failed under six
investigators). Here a read hands its entry to the process's appender and awaits it; the appender takes
every entry waiting, writes them in one transaction (lock the head once, chain them in arrival order,
commit), then releases each reader — or, if the transaction fails, withholds every answer of the batch.
There is no timer: a batch is whatever queued while the previous batch was being written, so a lone
reader waits for one transaction as before, and k readers arriving together cost one head lock, not k.

A batch is one round trip when the head is still where this process's last batch left it (the usual case
with one process): the entries are chained after that head and sent as one auto-commit statement that
writes them only if the head has not moved (`audit_append_after`). Otherwise — the first batch, or a change
or another process has appended since — it is the managed transaction above: BEGIN, lock and read the head,
append, COMMIT. Each batch's entries still follow the head they were written after, under its lock.

Changes do not come here: a change's entry must commit with the change, in its transaction
(services/unit_of_work.py). It takes the same head lock, which orders it with the batches of this process
and of the other worker processes; a deadlock between them is transient and retried by execute_write,
which computes the batch's entries again from the head it then reads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any, NamedTuple

import neo4j

from graph_api.store import audit

log = logging.getLogger("graph_api.audit")

MAX_BATCH = 500  # entries per transaction: a burst larger than this is written in several


class AuditNotWritten(Exception):
    """The entry of a read was not committed (the database refused or could not be reached, or the
    appender stopped): the read must not be answered."""


class Appended(NamedTuple):
    entry: dict[str, Any]
    statements: int  # those of its batch: 1 after this process's own last entry, 2 for its first, 3 after another's


Pending = tuple[dict[str, Any], asyncio.Future[Appended]]


class AuditAppender:
    def __init__(self, driver: neo4j.AsyncDriver, database: str, max_batch: int = MAX_BATCH):
        self.driver, self.database, self.max_batch = driver, database, max_batch
        self._queue: asyncio.Queue[Pending] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.batches = 0  # transactions committed: fewer than the entries when readers came together
        self._head: audit.Head | None = None  # the head after this process's last batch

    def start(self) -> None:
        """Start appending, in the running event loop (the service's lifespan)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="audit-appender")
            self._task.add_done_callback(_report_end)
            log.info("audit appender started (process %d)", os.getpid())

    async def stop(self) -> None:
        """Stop; entries not yet committed fail, so their reads are not answered."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        while not self._queue.empty():
            _, future = self._queue.get_nowait()
            _fail(future, AuditNotWritten("the audit appender stopped"))

    async def append(self, **fields: Any) -> Appended:
        """Append one read's entry (the keyword fields of `audit.new_entry`) and return it once committed;
        AuditNotWritten when it was not."""
        if self._task is None or self._task.done():
            raise AuditNotWritten("the audit appender is not running")
        future: asyncio.Future[Appended] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((fields, future))
        return await future

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            # A reader gone (its request cancelled) before its entry is taken is never answered: no entry.
            # One gone after it was taken keeps its entry: the trail may name a read that was not
            # answered, never the reverse.
            batch = [(fields, future) for fields, future in batch if not future.cancelled()]
            if batch:
                await self._write(batch)

    async def _write(self, batch: list[Pending]) -> None:
        fields = [f for f, _ in batch]
        try:
            tried = await self._append_after_head(fields)
            if tried is not None and tried[1]:
                written, statements = tried[0], 1
            else:
                sent = tried[0] if tried is not None else None

                async def unit(tx: neo4j.AsyncManagedTransaction) -> list[dict[str, Any]]:
                    return await audit.append_all(tx, fields, sent)

                async with self.driver.session(database=self.database) as session:
                    written = await session.execute_write(unit)
                statements = 2 if tried is None else 3
        except asyncio.CancelledError:
            self._head = None
            for _, future in batch:
                _fail(future, AuditNotWritten("the audit appender stopped"))
            raise
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as e:
            self._head = None
            log.error("audit batch of %d entries not written (%s): answers withheld", len(batch), type(e).__name__)
            for _, future in batch:
                _fail(future, AuditNotWritten(type(e).__name__))
        except Exception as e:  # a fault of this code: withhold the batch's answers, keep appending the next
            self._head = None
            log.exception("audit batch of %d entries failed", len(batch))
            for _, future in batch:
                _fail(future, e)
        else:
            self.batches += 1
            self._head = (written[-1]["seq"], written[-1]["hash"])
            for (_, future), entry in zip(batch, written, strict=True):
                if not future.done():
                    future.set_result(Appended(entry, statements))

    async def _append_after_head(self, fields: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool] | None:
        """The batch chained after the head this process last wrote, and whether one auto-commit statement
        appended it there (one round trip: no BEGIN, no lock read, no COMMIT of their own). None when this
        process has not written yet. Not appended when another writer (a change, another process) has
        moved the head, or when the statement failed: the caller then writes the batch in a managed
        transaction, which retries, and which recognises the entries if they were committed after all."""
        if self._head is None:
            return None
        entries = audit.chain(self._head, fields)
        try:
            async with self.driver.session(database=self.database, bookmark_manager=None) as session:
                return entries, await audit.append_after(session, self._head, entries)
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as e:
            log.warning("audit batch of %d entries: one-statement append failed (%s)", len(fields), type(e).__name__)
            return entries, False


def _report_end(task: asyncio.Task[None]) -> None:
    # From here on every audited read is withheld (append refuses): say why, once.
    if not task.cancelled() and task.exception() is not None:
        log.critical("the audit appender ended: %s", type(task.exception()).__name__)


def _fail(future: asyncio.Future[Appended], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
