"""Calling a service in-process, as the CLI or a job would: no HTTP, no GraphQL, the real test Neo4j.
The suite has no asyncio plugin, so each call runs its own event loop (and its own driver, which an
event loop owns)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from graph_api.domain.actor import Actor
from graph_api.services.unit_of_work import Store
from graph_api.settings import Settings
from graph_api.store.db import async_driver

T = TypeVar("T")


def call(settings: Settings, service: Callable[..., Awaitable[T]], actor: Actor, *args: Any, **kwargs: Any) -> T:
    """`service(store, actor, *args, **kwargs)` on a store of the test database."""

    async def go() -> T:
        driver = async_driver(settings)
        try:
            return await service(Store(driver, settings.neo4j_database), actor, *args, **kwargs)
        finally:
            await driver.close()

    return asyncio.run(go())


def officer(department: str, user: str = "officer-1") -> Actor:
    return Actor(user=user, role="OFFICER", department=department)


def entity_user(uscc: str, user: str = "entity-user-1") -> Actor:
    return Actor(user=user, role="ENTITY", uscc=uscc)


def count(graph: Any, cypher: str, **params: Any) -> int:
    return int(graph.query(cypher, **params)[0]["n"])
