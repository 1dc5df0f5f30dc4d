"""Schema management: constraints and indexes from cypher/schema.cypher, applied in version order,
idempotently, with the version reached stored in the graph; then the catalogue as data."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import neo4j

from graph_api.domain.catalogue import catalogue
from graph_api.store.cypher_loader import queries
from graph_api.store.run import run_sync
from graph_api.store.statement import Statement

_MIGRATION = re.compile(r"^m(\d{3})_")


def migrations() -> list[tuple[int, list[Statement[Any]]]]:
    by_version: dict[int, list[Statement[Any]]] = defaultdict(list)
    for st in queries.all():
        m = _MIGRATION.match(st.name)
        if m:
            by_version[int(m.group(1))].append(st)
    return sorted(by_version.items())


def target_version() -> int:
    return migrations()[-1][0]


def current_version(driver: neo4j.Driver, database: str) -> int:
    return run_sync(driver, queries.schema_version_get, database_=database, routing_=neo4j.RoutingControl.READ)[0][
        "version"
    ]


def apply_schema(driver: neo4j.Driver, database: str) -> int:
    """Brings the graph to the newest schema version; safe to run at every start and concurrently,
    since every statement is IF NOT EXISTS and the catalogue is merged."""
    current = current_version(driver, database)
    for version, statements in migrations():
        if version <= current:
            continue
        for st in statements:
            # Schema statements cannot share a transaction with writes, so each runs on its own.
            run_sync(driver, st, database_=database)
        run_sync(driver, queries.schema_version_set, version=version, database_=database)
    data = catalogue()
    run_sync(driver, queries.catalogue_upsert_measures, measures=data["measures"], database_=database)
    run_sync(driver, queries.catalogue_upsert_lists, lists=data["lists"], database_=database)
    run_sync(driver, queries.catalogue_upsert_publicity, periods=data["publicityPeriods"], database_=database)
    with driver.session(database=database) as session:
        run_sync(session, queries.schema_await_indexes, seconds=300)
    return target_version()
