#!/usr/bin/env python3
"""Does an EXPLAIN with the warm-up's parameters (graph_api/store/warmup.py) fill Neo4j's plan cache for
the requests that follow? On a running city, for each statement named: the plan cache is cleared, the
statement is run once with a request's values (cold), the cache is cleared again, the warm-up's EXPLAIN
runs and then the same request (after EXPLAIN), then the request again (warm). Then the whole warm-up
(`warm_plans`) after a clear, as `serve` runs it at start. BENCHMARKS.md §15, "Warm-up at start".

    GRAPH_API_NEO4J_BOLT_PORT=7707 .venv/bin/python bench/warmup_bench.py --trials 2

The request's values differ from the warm-up's (another entity, day, and a query of another length), the
types do not. Each figure is the client's wall time of one statement, all its rows read.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import time
from typing import Any

import neo4j

from graph_api.settings import Settings
from graph_api.store.cypher_loader import queries
from graph_api.store.db import async_driver
from graph_api.store.warmup import sample_parameters, warm_plans

STATEMENTS = ("subject_listings_page", "entity_with_relations", "entity_holders_page", "search_entities")


async def timed(driver: neo4j.AsyncDriver, database: str, text: str, params: dict[str, Any]) -> float:
    started = time.perf_counter()
    async with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        await (await session.run(text, params)).consume()
    return time.perf_counter() - started


def request_of(statement: Any, uscc: str) -> dict[str, Any]:
    """The warm-up's parameters with a request's values: the same types, other values."""
    sample = sample_parameters(statement)
    values = {"uscc": uscc, "keys": [uscc], "asOf": dt.date(2026, 11, 30), "query": "北京市科技"}
    return sample | {k: v for k, v in values.items() if k in sample}


async def clear(driver: neo4j.AsyncDriver, database: str) -> None:
    async with driver.session(database=database) as session:
        await (await session.run("CALL db.clearQueryCaches()")).consume()


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=2)
    ap.add_argument("--statements", nargs="*", default=list(STATEMENTS))
    args = ap.parse_args()
    settings = Settings()
    db = settings.neo4j_database
    results: dict[str, Any] = {"load": os.getloadavg(), "statements": {}}
    async with async_driver(settings) as driver:
        async with driver.session(database=db) as s:
            uscc = (await (await s.run("MATCH (e:Entity)-[:LISTED_ON]->() RETURN e.uscc AS u LIMIT 1")).single())["u"]
        for name in args.statements:
            statement = getattr(queries, name)
            request = request_of(statement, uscc)
            rows = []
            for _ in range(args.trials):
                await clear(driver, db)
                cold = await timed(driver, db, statement.text, request)
                await clear(driver, db)
                explain = await timed(driver, db, "EXPLAIN " + statement.text, sample_parameters(statement))
                after = await timed(driver, db, statement.text, request)
                warm = await timed(driver, db, statement.text, request)
                rows.append({"cold": cold, "explain": explain, "afterExplain": after, "warm": warm})
            results["statements"][name] = rows
            print(name, json.dumps(rows), flush=True)
        await clear(driver, db)
        warmed = await warm_plans(driver, db)
        results["warmPlans"] = {"statements": warmed.statements, "failed": warmed.failed, "seconds": warmed.seconds}
        after_all = {}
        for name in args.statements:
            statement = getattr(queries, name)
            after_all[name] = await timed(driver, db, statement.text, request_of(statement, uscc))
        results["afterWarmPlans"] = after_all
    results["loadAfter"] = os.getloadavg()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
