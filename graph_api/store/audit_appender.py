"""The audit entries of reads, written by one appender per process in batches (group commit).

An audited read's answer is released only once its entry is committed, and every entry is chained after
the one before it under the one head lock. Appending each read in a transaction of its own made N
concurrent readers take that lock N times, one after the other (issue 11: reads failed under six
investigators). Here a read hands its entry to the process's appender and awaits it; the appender takes
every entry waiting, writes them in one transaction (lock the head once, chain them in arrival order,
commit), then releases each reader — or, if the transaction fails, withholds every answer of the batch.
There is no timer: a batch is whatever queued while the previous batch was being written, so a lone
reader waits for one transaction as before, and k readers arriving together cost one head lock, not k.

Changes do not come here: a change's entry must commit with the change, in its transaction
(services/unit_of_work.py). It takes the same head lock, which orders it with the batches of this process
and of the other worker processes; a deadlock between them is transient and retried by execute_write,
which computes the batch's entries again from the head it then reads."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any

import neo4j

from graph_api.store import audit

log = logging.getLogger("graph_api.audit")

MAX_BATCH = 500  # entries per transaction: a burst larger than this is written in several


class AuditNotWritten(Exception):
    """The entry of a read was not committed (the database refused or could not be reached, or the
    appender stopped): the read must not be answered."""


Pending = tuple[dict[str, Any], asyncio.Future[dict[str, Any]]]


class AuditAppender:
    def __init__(self, driver: neo4j.AsyncDriver, database: str, max_batch: int = MAX_BATCH):
        self.driver, self.database, self.max_batch = driver, database, max_batch
        self._queue: asyncio.Queue[Pending] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.batches = 0  # transactions committed: fewer than the entries when readers came together

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

    async def append(self, **fields: Any) -> dict[str, Any]:
        """Append one read's entry (the keyword fields of `audit.new_entry`) and return it once committed;
        AuditNotWritten when it was not."""
        if self._task is None or self._task.done():
            raise AuditNotWritten("the audit appender is not running")
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
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
        async def unit(tx: neo4j.AsyncManagedTransaction) -> list[dict[str, Any]]:
            return await audit.append_all(tx, [fields for fields, _ in batch])

        try:
            async with self.driver.session(database=self.database) as session:
                entries = await session.execute_write(unit)
        except asyncio.CancelledError:
            for _, future in batch:
                _fail(future, AuditNotWritten("the audit appender stopped"))
            raise
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as e:
            log.error("audit batch of %d entries not written (%s): answers withheld", len(batch), type(e).__name__)
            for _, future in batch:
                _fail(future, AuditNotWritten(type(e).__name__))
        except Exception as e:  # a fault of this code: withhold the batch's answers, keep appending the next
            log.exception("audit batch of %d entries failed", len(batch))
            for _, future in batch:
                _fail(future, e)
        else:
            self.batches += 1
            for (_, future), entry in zip(batch, entries, strict=True):
                if not future.done():
                    future.set_result(entry)


def _report_end(task: asyncio.Task[None]) -> None:
    # From here on every audited read is withheld (append refuses): say why, once.
    if not task.cancelled() and task.exception() is not None:
        log.critical("the audit appender ended: %s", type(task.exception()).__name__)


def _fail(future: asyncio.Future[dict[str, Any]], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
