"""Reads a service makes outside its write transaction (a draw grades a whole region before it writes).
A reader is passed in so that the API's reads keep its query timeout and round-trip count; outside the
API, `store_reader` reads through the store."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

import neo4j

from graph_api.services.unit_of_work import Store
from graph_api.store.run import run
from graph_api.store.statement import Statement

R = TypeVar("R")


class Read(Protocol):
    """`await read(queries.x, **parameters)`: x's rows, as `store.run.run` gives them."""

    def __call__(self, statement: Statement[R], /, **params: Any) -> Awaitable[list[R]]: ...


def store_reader(store: Store) -> Read:
    async def read(statement: Statement[R], /, **params: Any) -> list[R]:
        store.round_trips += 1
        # no bookmarks, as the API reads: writes run in their own sessions
        return await run(
            store.driver,
            statement,
            database_=store.database,
            routing_=neo4j.RoutingControl.READ,
            bookmarks_=False,
            **params,
        )

    return read
