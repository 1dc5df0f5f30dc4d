"""The Starlette service: GraphQL at /graphql (GraphiQL in a browser), credit reports at /report/{uscc}, the
workbench at /explore, /healthz, /readyz and /metrics."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import neo4j
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute

from graph_api.api.admission import Admission
from graph_api.api.explore import ASSETS_PATH as EXPLORE_ASSETS_PATH
from graph_api.api.explore import explore_assets, explore_labels, explore_page
from graph_api.api.graphiql import ASSETS_PATH, graphiql_assets
from graph_api.api.graphql.http import GraphQLApp
from graph_api.api.graphql.webhooks import alert_body
from graph_api.api.middleware import RequestObserver
from graph_api.api.report import report_page
from graph_api.ops import metrics
from graph_api.ops.gc_tuning import tuned_gc
from graph_api.ops.health_listener import HealthListener
from graph_api.ops.logging_setup import configure_logging, is_configured
from graph_api.ops.tracing import configure_tracing, shutdown_tracing, tracing_middleware
from graph_api.services.alert_feed import AlertFeed
from graph_api.services.unit_of_work import Store
from graph_api.services.webhooks_delivery import Config, Dispatcher
from graph_api.settings import Settings, get_settings
from graph_api.store.audit_appender import AuditAppender
from graph_api.store.cypher_loader import queries
from graph_api.store.db import async_driver, sync_driver, warm_pool
from graph_api.store.migrations import apply_schema, target_version
from graph_api.store.pii import IdProtector
from graph_api.store.run import run
from graph_api.store.warmup import warm_concurrency, warm_plans

log = logging.getLogger("graph_api.app")


class Service:
    """What one process holds: its settings, its one async driver, and whether the schema is applied."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.driver: neo4j.AsyncDriver | None = None
        self.audit: AuditAppender | None = None  # the process's one writer of read entries
        self.alerts: AlertFeed | None = None  # the process's one poller of alerts for its subscribers
        self.schema_version: int | None = None
        self.warm_concurrency = warm_concurrency(settings.neo4j_max_pool_size)
        # /readyz tells; readiness does not wait. "cold": a pool too small to spare a connection for the warm-up.
        self.plans = "off" if not settings.neo4j_warm_plans else "warming" if self.warm_concurrency else "cold"
        self.ids = IdProtector.from_settings(settings)
        self._schema_lock = asyncio.Lock()

    async def ensure_schema(self) -> int | None:
        async with self._schema_lock:
            if self.schema_version is None:
                try:
                    self.schema_version = await asyncio.to_thread(self._apply_schema)
                except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as e:
                    log.warning("schema not applied yet: %s", type(e).__name__)
        return self.schema_version

    def _apply_schema(self) -> int:
        # bounded like requests: a service started before its database does not wait 30 s to come up
        with sync_driver(self.settings, self.settings.neo4j_max_retry_time) as driver:
            return apply_schema(driver, self.settings.neo4j_database)


async def _warm(service: Service) -> None:
    """The pool's first connections, opened in the background: readiness does not wait for them."""
    settings = service.settings
    size = min(settings.neo4j_warm_connections, settings.neo4j_max_pool_size)
    if service.driver is None or size == 0:
        return
    opened = await warm_pool(service.driver, settings.neo4j_database, size, queries.admin_ping)
    log.info("database connections opened at start", extra={"opened": opened, "asked": size})


async def _warm_plans(service: Service) -> None:
    """Neo4j's plans compiled in the background after the schema (a schema change drops cached plans)."""
    if service.driver is None or not service.settings.neo4j_warm_plans:
        return
    if service.schema_version is None:  # the database was not up at start: plans compile on first use
        service.plans = "cold"
        return
    if service.warm_concurrency == 0:
        log.info("plans not compiled at start: the pool has no connection to spare for it")
        return
    warmed = await warm_plans(service.driver, service.settings.neo4j_database, service.warm_concurrency)
    service.plans = "warm"
    log.info(
        "plans compiled at start",
        extra={"statements": warmed.statements, "failed": warmed.failed, "seconds": round(warmed.seconds, 1)},
    )


def _dispatch_webhooks(service: Service) -> Callable[[], Awaitable[None]]:
    """The webhook dispatcher as a task of the service (services/webhooks_delivery.py); the stop it returns
    ends it after its current pass."""
    assert service.driver is not None
    stop = asyncio.Event()
    store = Store(service.driver, service.settings.neo4j_database)

    async def dispatch() -> None:
        async with Dispatcher(store, Config.from_settings(service.settings), alert_body) as d:
            await d.run(stop)

    task = asyncio.create_task(dispatch())

    async def stopped() -> None:
        stop.set()
        await task

    return stopped


def cors_middleware(settings: Settings) -> list[Middleware]:
    """Starlette's CORS handling for the configured origins (none: no CORS headers, same-origin only)."""
    if not settings.cors_allowed_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type", "accept", "x-api-key", "x-purpose", "x-request-id"],
            expose_headers=["retry-after", "x-request-id"],
            max_age=settings.cors_max_age,
        )
    ]


def create_app(settings: Settings | None = None) -> Starlette:
    service = Service(settings or get_settings())
    tracing = configure_tracing(service.settings)
    if not is_configured():  # `graph-api serve` configures it before uvicorn starts; other ASGI servers may not
        configure_logging(service.settings.log_level)
    # GraphiQL is a developer's tool: production serves the endpoint only.
    graphql = GraphQLApp(service, graphql_ide=None if service.settings.environment == "production" else "graphiql")

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "alive"})

    async def readyz(_: Request) -> JSONResponse:
        assert service.driver is not None
        try:
            await asyncio.wait_for(
                run(
                    service.driver,
                    queries.admin_ping,
                    database_=service.settings.neo4j_database,
                    routing_=neo4j.RoutingControl.READ,
                    bookmarks_=False,
                ),
                3.0,
            )
        except (TimeoutError, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as e:
            return JSONResponse({"status": "unavailable", "neo4j": False, "reason": type(e).__name__}, status_code=503)
        version = await service.ensure_schema()
        if version != target_version():
            return JSONResponse({"status": "unavailable", "neo4j": True, "schemaVersion": version}, status_code=503)
        return JSONResponse({"status": "ready", "neo4j": True, "schemaVersion": version, "plans": service.plans})

    async def report(request: Request) -> Response:
        assert service.driver is not None
        return await report_page(request, service.driver, service.settings.neo4j_database)

    async def metrics_endpoint(_: Request) -> Response:
        body, media_type = metrics.exposition()
        return Response(body, media_type=media_type)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        service.driver = async_driver(service.settings)
        service.audit = AuditAppender(service.driver, service.settings.neo4j_database)
        service.audit.start()
        service.alerts = AlertFeed(service.driver, service.settings)
        service.alerts.start()
        unregister = metrics.register_pool(lambda: service.driver, service.settings.neo4j_max_pool_size)
        await service.ensure_schema()
        warming = asyncio.create_task(_warm(service))
        compiling = asyncio.create_task(_warm_plans(service))
        health = None
        settings = service.settings
        dispatching = _dispatch_webhooks(service) if settings.webhooks_enabled else None
        if settings.health_port is not None:
            health = HealthListener(settings.host, settings.health_port, settings.health_stale_after).start()
        try:
            with tuned_gc(settings.gc_thresholds):
                yield
        finally:
            warming.cancel()
            compiling.cancel()
            if dispatching is not None:
                await dispatching()
            if health is not None:
                health.stop()
            unregister()
            await service.alerts.stop()
            await service.audit.stop()
            await service.driver.close()
            if tracing:
                shutdown_tracing()

    routes = [
        # The other methods reach the view too, whose 405 is a GraphQL error (Starlette's is plain text).
        Route("/graphql", graphql, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        WebSocketRoute("/graphql", graphql),  # subscriptions (graphql-transport-ws)
        Route("/report/{uscc}", report),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint),
        Mount(ASSETS_PATH, graphiql_assets()),
        Route("/explore", explore_page),
        Route("/explore/labels.json", explore_labels),
        Mount(EXPLORE_ASSETS_PATH, explore_assets()),
    ]
    # The trace span outermost, then CORS, then the observer: the request's log line carries its trace id, and refused
    # requests are logged and counted like any other.
    middleware = [
        *tracing_middleware(service.settings),
        # CORS outside the admission check, so a browser can read a 429 or 503 too.
        *cors_middleware(service.settings),
        Middleware(RequestObserver),
        Middleware(Admission, settings=service.settings),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
