"""The one way to run a named statement: `await run(tx, queries.x, **params)` (or `run_sync` with
the synchronous driver) is the list of x's rows, each a dict typed by x's row TypedDict (rows.py).
`tx` may be a transaction, a session or a driver; with a driver, `database_` and `routing_` choose
where it runs, as in `driver.execute_query`. Parameters travel as parameters, never in the text."""

from __future__ import annotations

from typing import Any, TypeVar, cast

import neo4j

from graph_api.store.statement import Statement

R = TypeVar("R")

AsyncRunner = neo4j.AsyncManagedTransaction | neo4j.AsyncTransaction | neo4j.AsyncSession | neo4j.AsyncDriver
SyncRunner = neo4j.ManagedTransaction | neo4j.Transaction | neo4j.Session | neo4j.Driver


def _row(record: neo4j.Record) -> dict[str, Any]:
    # Shallow: a column holding a node or a relationship keeps the driver's object.
    return dict(zip(record.keys(), record.values()))


def _query(statement: Statement[Any], timeout: float | None) -> neo4j.Query:
    return neo4j.Query(statement.text, timeout=timeout)


def _noted(err: neo4j.exceptions.Neo4jError, statement: Statement[Any]) -> neo4j.exceptions.Neo4jError:
    err.add_note(f"in Cypher statement {statement.name} at {statement.locate(str(err))}")
    return err


async def run(runner: AsyncRunner, statement: Statement[R], /, *, database_: str | None = None,
              routing_: neo4j.RoutingControl = neo4j.RoutingControl.WRITE, timeout_: float | None = None,
              **params: Any) -> list[R]:
    if isinstance(runner, neo4j.AsyncDriver):
        try:
            result = await runner.execute_query(_query(statement, timeout_), params, database_=database_,
                                                routing_=routing_)
        except neo4j.exceptions.Neo4jError as err:
            raise _noted(err, statement)
        return [cast(R, _row(r)) for r in result.records]
    if database_ is not None or (timeout_ is not None and not isinstance(runner, neo4j.AsyncSession)):
        raise TypeError("database_ and timeout_ belong to the session or transaction, not to run() inside it")
    try:
        cursor = await runner.run(_query(statement, timeout_) if isinstance(runner, neo4j.AsyncSession)
                                  else statement.text, params)
        return [cast(R, _row(r)) async for r in cursor]
    except neo4j.exceptions.Neo4jError as err:
        raise _noted(err, statement)


def run_sync(runner: SyncRunner, statement: Statement[R], /, *, database_: str | None = None,
             routing_: neo4j.RoutingControl = neo4j.RoutingControl.WRITE, timeout_: float | None = None,
             **params: Any) -> list[R]:
    if isinstance(runner, neo4j.Driver):
        try:
            records, _, _ = runner.execute_query(_query(statement, timeout_), params, database_=database_,
                                                 routing_=routing_)
        except neo4j.exceptions.Neo4jError as err:
            raise _noted(err, statement)
        return [cast(R, _row(r)) for r in records]
    if database_ is not None or (timeout_ is not None and not isinstance(runner, neo4j.Session)):
        raise TypeError("database_ and timeout_ belong to the session or transaction, not to run_sync() inside it")
    try:
        cursor = runner.run(_query(statement, timeout_) if isinstance(runner, neo4j.Session) else statement.text,
                            params)
        return [cast(R, _row(r)) for r in cursor]
    except neo4j.exceptions.Neo4jError as err:
        raise _noted(err, statement)
