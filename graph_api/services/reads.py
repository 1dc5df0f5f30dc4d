"""Reads a service makes outside its write transaction (a draw grades a whole region before it writes).
A reader is passed in so that the API's reads keep its query timeout and round-trip count; outside the
API, `store_reader` reads through the store."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import neo4j

from graph_api.services.unit_of_work import Store

Read = Callable[..., Awaitable[list[neo4j.Record]]]  # (statement text, **parameters) -> records


def store_reader(store: Store) -> Read:
    async def read(statement: str, **params: Any) -> list[neo4j.Record]:
        store.round_trips += 1
        # no bookmarks, as the API reads: writes run in their own sessions
        result = await store.driver.execute_query(
            statement, params, database_=store.database, routing_=neo4j.RoutingControl.READ, bookmark_manager_=None
        )
        return list(result.records)

    return read
