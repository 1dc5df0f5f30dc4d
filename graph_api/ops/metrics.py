"""Prometheus metrics, served at /metrics (outside GraphQL): HTTP requests by route and status, GraphQL
operations by name and type with their latency and database round trips, GraphQL errors by code, and
the Neo4j driver's connection pool.

Label values come from closed sets, never from what a client chose: routes are the app's few paths
(anything else is "other"); an operation is labelled by the schema's root field it selects (several
root fields: "multiple"; none known, or a document that did not parse: "other"), not by the client's
operation name; error codes are the API's closed set (the caller maps anything else to "other").
The client's operation name, normalised and capped, is only written to the log line.

With several worker processes (`graph-api serve --workers N`) set PROMETHEUS_MULTIPROC_DIR to an empty
directory: every worker then writes its samples there and /metrics adds them up (prometheus_client's
multiprocess mode). The pool gauges are per process and are only exported in single-process mode.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Collection, Iterator

import neo4j
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

MAX_OPERATION_NAMES = 100
ROUTES = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_ROUND_TRIP_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 50)

HTTP_REQUESTS = Counter(
    "graph_api_http_requests_total", "HTTP requests by route, method and status.", ["route", "method", "status"]
)
HTTP_LATENCY = Histogram(
    "graph_api_http_request_duration_seconds", "HTTP request latency by route.", ["route"], buckets=_LATENCY_BUCKETS
)
IN_FLIGHT = Gauge("graph_api_http_requests_in_flight", "HTTP requests being served.", multiprocess_mode="livesum")
OPERATIONS = Counter(
    "graph_api_graphql_operations_total",
    "GraphQL operations by operation name, type and outcome (ok, error).",
    ["operation", "type", "outcome"],
)
OPERATION_LATENCY = Histogram(
    "graph_api_graphql_operation_duration_seconds",
    "GraphQL operation latency (parse, validation and execution) by name and type.",
    ["operation", "type"],
    buckets=_LATENCY_BUCKETS,
)
ROUND_TRIPS = Histogram(
    "graph_api_graphql_db_round_trips",
    "Neo4j round trips per GraphQL operation.",
    ["operation", "type"],
    buckets=_ROUND_TRIP_BUCKETS,
)
EXECUTIONS = Counter(
    "graph_api_graphql_executions_total",
    "GraphQL executions (queries and mutations) by executor: compiled (a planned read answered by its plan), "
    "fallback (planned, but graphql-core answered: an error or a null), general (graphql-core).",
    ["executor"],
)
ERRORS = Counter("graph_api_graphql_errors_total", "GraphQL errors by extensions.code.", ["code"])

_NAME = re.compile(r"[^A-Za-z0-9_]")
_names: set[str] = set()
_names_lock = threading.Lock()


def route_label(path: str) -> str:
    return path if path in ROUTES else "other"


def root_fields_label(fields: Collection[str], known: Collection[str]) -> str:
    """An operation's metric label: the one root field it selects, if the schema has that field."""
    distinct = set(fields)
    if not distinct or not distinct <= set(known):
        return "other"
    return distinct.pop() if len(distinct) == 1 else "multiple"


def operation_label(name: str | None) -> str:
    """The client's operation name, bounded, for the request's log line (not a metric label)."""
    if not name:
        return "anonymous"
    name = _NAME.sub("_", name)[:64]
    with _names_lock:
        if name in _names:
            return name
        if len(_names) >= MAX_OPERATION_NAMES:
            return "other"
        _names.add(name)
    return name


class DriverPoolCollector(Collector):
    """Connections of the driver's pool per server address, in use and idle.

    The Python driver (6.x) has no public pool statistics API, so this reads its pool's connection lists
    (`driver._pool.connections`, each connection's `in_use`) when scraped, on the event loop that owns
    them. Should a driver release change those internals, the gauges are simply absent; requests in
    flight and round trips per operation remain.
    """

    def __init__(self, driver: Callable[[], neo4j.AsyncDriver | None], max_size: int):
        self._driver, self._max_size = driver, max_size

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pool = getattr(self._driver(), "_pool", None)
        connections = getattr(pool, "connections", None)
        if not isinstance(connections, dict):
            return
        in_use = GaugeMetricFamily(
            "graph_api_neo4j_pool_connections_in_use",
            "Driver connections lent to a transaction, per server.",
            labels=["server"],
        )
        idle = GaugeMetricFamily(
            "graph_api_neo4j_pool_connections_idle",
            "Driver connections open and free in the pool, per server.",
            labels=["server"],
        )
        for address, conns in list(connections.items()):
            busy = sum(1 for c in list(conns) if getattr(c, "in_use", False))
            in_use.add_metric([str(address)], busy)
            idle.add_metric([str(address)], len(conns) - busy)
        yield in_use
        yield idle
        yield GaugeMetricFamily("graph_api_neo4j_pool_max_size", "The pool's limit per server.", value=self._max_size)


def multiprocess() -> bool:
    # prometheus_client still honours the legacy lower-case name, so the check must too.
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir"))  # noqa: SIM112


def register_pool(driver: Callable[[], neo4j.AsyncDriver | None], max_size: int) -> Callable[[], None]:
    """Export the pool gauges of this process's driver; returns how to stop (at shutdown)."""
    if multiprocess():
        return lambda: None
    collector = DriverPoolCollector(driver, max_size)
    REGISTRY.register(collector)
    return lambda: REGISTRY.unregister(collector)


def exposition() -> tuple[bytes, str]:
    """The text exposition of every metric: this process's, or all workers' in multiprocess mode."""
    if multiprocess():
        from prometheus_client import multiprocess as mp

        registry = CollectorRegistry()
        mp.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # prometheus_client leaves it unannotated
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
