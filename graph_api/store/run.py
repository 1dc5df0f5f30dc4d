"""The one way to run a named statement: `await run(tx, queries.x, **params)` (or `run_sync` with
the synchronous driver) is the list of x's rows, each a dict typed by x's row TypedDict (rows.py).

`tx` may be a transaction, a session or a driver. With a driver, `database_` and `routing_` choose
where it runs, as in `driver.execute_query`, and `bookmarks_=False` runs it without the driver's
bookmarks (a read that must not wait for writes it has not seen, as after a restore); `timeout_`
applies to a driver or a session (a transaction has its own). A Neo4j error keeps its type and gains
a note naming the statement and its file:line. Values travel as parameters, never in the text.

`await read(driver, queries.x, database_=..., retry_for_=...)` is the request path's read: one statement
as an auto-commit transaction (see its docstring for why and how it retries)."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import neo4j
from opentelemetry import trace

from graph_api.store.statement import Statement

R = TypeVar("R")

AsyncRunner = neo4j.AsyncManagedTransaction | neo4j.AsyncTransaction | neo4j.AsyncSession | neo4j.AsyncDriver
SyncRunner = neo4j.ManagedTransaction | neo4j.Transaction | neo4j.Session | neo4j.Driver


def _row(record: neo4j.Record) -> dict[str, Any]:
    # Shallow: a column holding a node or a relationship keeps the driver's object.
    return dict(zip(record.keys(), record.values(), strict=True))


def _rows(records: list[neo4j.Record]) -> list[Any]:
    return [_row(r) for r in records]


def _driver_options(database: str | None, routing: neo4j.RoutingControl, bookmarks: bool) -> dict[str, Any]:
    options: dict[str, Any] = {"database_": database, "routing_": routing}
    if not bookmarks:
        options["bookmark_manager_"] = None
    return options


def _refuse_driver_options(
    runner: object, database: str | None, bookmarks: bool, timeout: float | None, session: type
) -> None:
    if database is not None or not bookmarks or (timeout is not None and not isinstance(runner, session)):
        raise TypeError("database_ and bookmarks_ are for a driver, timeout_ for a driver or a session")


def _note(err: neo4j.exceptions.Neo4jError, statement: Statement[Any]) -> None:
    err.add_note(f"in Cypher statement {statement.name} at {statement.locate(str(err))}")


# A no-op until ops/tracing.py installs a provider (settings otel_exporter); then a span per statement.
_tracer = trace.get_tracer("graph_api.store")


@contextmanager
def _span(statement: Statement[Any]) -> Iterator[None]:
    """A span named after the statement. Its parameters are not recorded: they can be personal data."""
    attributes: dict[str, str | int] = {
        "db.system.name": "neo4j",
        "db.operation.name": statement.name,
        "code.file.path": f"cypher/{statement.source}",
        "code.line.number": statement.line,
    }
    with _tracer.start_as_current_span(f"cypher {statement.name}", kind=trace.SpanKind.CLIENT, attributes=attributes):
        yield


# The managed transactions' back-off (the driver's defaults): 1 s, then twice as long each time, ±20 %.
_FIRST_DELAY, _MULTIPLIER, _JITTER = 1.0, 2.0, 0.2


async def read(
    driver: neo4j.AsyncDriver,
    statement: Statement[R],
    /,
    *,
    database_: str | None,
    timeout_: float | None = None,
    retry_for_: float = 0.0,
    **params: Any,
) -> list[R]:
    """x's rows from one read statement, run as an auto-commit transaction in a READ session without
    bookmarks: RUN and PULL leave in one flush, with no BEGIN before and no COMMIT after, which a managed
    transaction (`driver.execute_query`) sends, each with its own wait. A read changes nothing, so it is
    safe to send again: an error the driver calls retryable (a transient error, a lost or switched
    server) is retried as a managed transaction would be, with the same back-off, until `retry_for_`
    seconds have passed since the first failure. The rows are all read before the session closes, so a
    failure part way through is retried whole, never half returned."""
    query = neo4j.Query(statement.text, timeout=timeout_)
    with _span(statement):
        first_failure: float | None = None
        delay = _FIRST_DELAY
        while True:
            try:
                async with driver.session(
                    database=database_, default_access_mode=neo4j.READ_ACCESS, bookmark_manager=None
                ) as session:
                    cursor = await session.run(query, params)
                    return cast(list[R], [_row(r) async for r in cursor])
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as err:
                now = time.monotonic()
                first_failure = now if first_failure is None else first_failure
                if not err.is_retryable() or now - first_failure >= retry_for_:
                    if isinstance(err, neo4j.exceptions.Neo4jError):
                        _note(err, statement)
                    raise
            await asyncio.sleep(delay * random.uniform(1 - _JITTER, 1 + _JITTER))  # jitter, not a secret
            delay *= _MULTIPLIER


async def run(
    runner: AsyncRunner,
    statement: Statement[R],
    /,
    *,
    database_: str | None = None,
    routing_: neo4j.RoutingControl = neo4j.RoutingControl.WRITE,
    timeout_: float | None = None,
    bookmarks_: bool = True,
    **params: Any,
) -> list[R]:
    query = neo4j.Query(statement.text, timeout=timeout_)
    with _span(statement):
        try:
            if isinstance(runner, neo4j.AsyncDriver):
                result = await runner.execute_query(query, params, **_driver_options(database_, routing_, bookmarks_))
                return cast(list[R], _rows(result.records))
            _refuse_driver_options(runner, database_, bookmarks_, timeout_, neo4j.AsyncSession)
            # A session takes the Query with its timeout; a transaction has its own and takes the text.
            cursor = await (
                runner.run(query, params)
                if isinstance(runner, neo4j.AsyncSession)
                else runner.run(statement.text, params)
            )
            return cast(list[R], [_row(r) async for r in cursor])
        except neo4j.exceptions.Neo4jError as err:
            _note(err, statement)
            raise


def run_sync(
    runner: SyncRunner,
    statement: Statement[R],
    /,
    *,
    database_: str | None = None,
    routing_: neo4j.RoutingControl = neo4j.RoutingControl.WRITE,
    timeout_: float | None = None,
    bookmarks_: bool = True,
    **params: Any,
) -> list[R]:
    query = neo4j.Query(statement.text, timeout=timeout_)
    with _span(statement):
        try:
            if isinstance(runner, neo4j.Driver):
                records, _, _ = runner.execute_query(query, params, **_driver_options(database_, routing_, bookmarks_))
                return cast(list[R], _rows(records))
            _refuse_driver_options(runner, database_, bookmarks_, timeout_, neo4j.Session)
            cursor = (
                runner.run(query, params) if isinstance(runner, neo4j.Session) else runner.run(statement.text, params)
            )
            return cast(list[R], [_row(r) for r in cursor])
        except neo4j.exceptions.Neo4jError as err:
            _note(err, statement)
            raise
