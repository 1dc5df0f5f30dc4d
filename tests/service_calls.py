"""Calling a service in-process, without HTTP or GraphQL: a `Store` on an async driver to the test
Neo4j, the service awaited on its own event loop (no pytest async plugin is installed)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from graph_api.domain.actor import Actor
from graph_api.services.unit_of_work import Store
from graph_api.settings import Settings
from graph_api.store.db import async_driver

T = TypeVar("T")

# What a refused or failed call must leave as it was: the changed things, their history, the audit trail.
WRITTEN = """MATCH (n) WHERE n:Listing OR n:Task OR n:Record OR n:Commitment OR n:Change OR n:AuditEntry
             RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label"""


def call(settings: Settings, service: Callable[..., Awaitable[T]], actor: Actor, request: Any) -> T:
    """`service(store, actor, request)` on a fresh driver, as the CLI or a job would call it."""

    async def main() -> T:
        driver = async_driver(settings)
        try:
            return await service(Store(driver, settings.neo4j_database), actor, request)
        finally:
            await driver.close()

    return asyncio.run(main())


def officer(department: str) -> Actor:
    return Actor(user="service-test-officer", role="OFFICER", department=department)


def import_lines(graph: Any, lines: list[dict[str, Any]]) -> Any:
    """The `graph` fixture's database with `lines` imported, all accepted."""
    outcome = graph.import_lines(lines)
    assert outcome.code == 0, outcome.rejects
    return graph
