"""Schema management: constraints and indexes from cypher/schema.cypher, applied in version order,
idempotently, with the version reached stored in the graph; then the catalogue as data."""

from __future__ import annotations

import re
from collections import defaultdict

import neo4j

from graph_api.domain.catalogue import catalogue
from graph_api.store.cypher_loader import Statement, queries

_MIGRATION = re.compile(r"^m(\d{3})_")


def migrations() -> list[tuple[int, list[Statement]]]:
    by_version: dict[int, list[Statement]] = defaultdict(list)
    for st in queries.all():
        m = _MIGRATION.match(st.name)
        if m:
            by_version[int(m.group(1))].append(st)
    return sorted(by_version.items())


def target_version() -> int:
    return migrations()[-1][0]


def current_version(driver: neo4j.Driver, database: str) -> int:
    records, _, _ = driver.execute_query(queries.schema_version_get, database_=database, routing_="r")
    return int(records[0]["version"])


def apply_schema(driver: neo4j.Driver, database: str) -> int:
    """Brings the graph to the newest schema version; safe to run at every start and concurrently,
    since every statement is IF NOT EXISTS and the catalogue is merged."""
    current = current_version(driver, database)
    for version, statements in migrations():
        if version <= current:
            continue
        for st in statements:
            # Schema statements cannot share a transaction with writes, so each runs on its own.
            driver.execute_query(st.text, database_=database)
        driver.execute_query(queries.schema_version_set, version=version, database_=database)
    data = catalogue()
    driver.execute_query(queries.catalogue_upsert_measures, measures=data["measures"], database_=database)
    driver.execute_query(queries.catalogue_upsert_lists, lists=data["lists"], database_=database)
    driver.execute_query(queries.catalogue_upsert_publicity, periods=data["publicityPeriods"], database_=database)
    with driver.session(database=database) as session:
        session.run(queries.schema_await_indexes, seconds=300).consume()
    return target_version()
