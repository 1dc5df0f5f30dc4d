"""Drivers for the configured Neo4j: one async driver per service process, a sync one for the CLI."""

from __future__ import annotations

import asyncio
from typing import Any

import neo4j

from graph_api.settings import Settings
from graph_api.store.run import run
from graph_api.store.statement import Statement


def _options(settings: Settings) -> dict[str, Any]:
    return {
        "auth": (settings.neo4j_user, settings.neo4j_password.get_secret_value()),
        "max_connection_pool_size": settings.neo4j_max_pool_size,
        "connection_timeout": settings.neo4j_connection_timeout,
        "connection_acquisition_timeout": settings.neo4j_acquisition_timeout,
        # Identity numbers and names travel as query parameters; keep the driver's own logging quiet.
        "notifications_min_severity": "OFF",
        # The driver would otherwise add a TELEMETRY message (which API ran the query) to every transaction.
        "telemetry_disabled": True,
    }


def async_driver(settings: Settings) -> neo4j.AsyncDriver:
    """The service's driver: managed transactions (execute_query, execute_read/write) retry transient
    failures for at most `neo4j_max_retry_time` seconds, so a request during an outage fails in a few
    seconds rather than the driver's default 30; the request path's auto-commit reads (store/run.py
    `read`) retry for as long."""
    return neo4j.AsyncGraphDatabase.driver(
        settings.bolt_uri, **_options(settings), max_transaction_retry_time=settings.neo4j_max_retry_time
    )


def sync_driver(settings: Settings, max_retry_time: float | None = None) -> neo4j.Driver:
    """The CLI's driver: by default the driver's own 30 s of retries, which an import may well use."""
    retry: dict[str, Any] = {} if max_retry_time is None else {"max_transaction_retry_time": max_retry_time}
    return neo4j.GraphDatabase.driver(settings.bolt_uri, **_options(settings), **retry)


async def warm_pool(driver: neo4j.AsyncDriver, database: str, size: int, ping: Statement[Any]) -> int:
    """Open `size` pooled connections at once, so that the first burst of requests does not open them: under
    load a Bolt handshake can outlast `neo4j_connection_timeout` while the database is up, and the request
    then answered DATABASE_UNAVAILABLE (BENCHMARKS.md §11). Each connection runs `ping` and is held until all
    are open, or the pool would lend the same one again. Returns how many opened; a database that is down
    opens none, and the requests find out as before."""
    opened = arrived = 0
    all_arrived = asyncio.Event()

    async def hold() -> None:
        nonlocal opened, arrived
        async with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            try:
                await run(session, ping)
                opened += 1
            finally:
                arrived += 1
                if arrived == size:
                    all_arrived.set()
            await all_arrived.wait()

    tasks = [asyncio.create_task(hold()) for _ in range(size)]
    _, late = await asyncio.wait(tasks, timeout=30)
    all_arrived.set()  # release the ones held, should some never arrive
    for task in late:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return opened
