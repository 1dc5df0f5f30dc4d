"""Reads a service makes outside its write transaction (a draw grades a whole region before it writes).
A reader is passed in so that the API's reads keep its query timeout and round-trip count; outside the
API, `store_reader` reads through the store."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

from graph_api.services.unit_of_work import Store
from graph_api.store.run import read
from graph_api.store.statement import Statement

R = TypeVar("R")


class Read(Protocol):
    """`await read(queries.x, **parameters)`: x's rows, as `store.run.run` gives them."""

    def __call__(self, statement: Statement[R], /, **params: Any) -> Awaitable[list[R]]: ...


# Seconds a read outside the API retries a retryable failure for: the default of settings.neo4j_max_retry_time,
# which bounded the managed transaction these reads once ran in.
READ_RETRY_TIME = 2.0


def store_reader(store: Store, retry_for: float = READ_RETRY_TIME) -> Read:
    async def reader(statement: Statement[R], /, **params: Any) -> list[R]:
        store.round_trips += 1
        # auto-commit and no bookmarks, as the API reads: writes run in their own sessions
        return await read(store.driver, statement, database_=store.database, retry_for_=retry_for, **params)

    return reader
