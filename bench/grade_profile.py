#!/usr/bin/env python3
"""PROFILE of one page of `grade_facts_page` (BENCHMARKS.md §6): db hits in all and per entity, and the
rows of the page, for this checkout's statement and, with --other DIR, another checkout's (its cypher/),
on the same running city.

    GRAPH_API_NEO4J_BOLT_PORT=7707 .venv/bin/python bench/grade_profile.py --other ../main [--page-size 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import neo4j

from graph_api.domain.grading import fact_params
from graph_api.settings import Settings
from graph_api.store.cypher_loader import CYPHER_DIR, load
from graph_api.store.db import sync_driver


def hits(plan: Any) -> int:
    return int(plan.get("dbHits", 0)) + sum(hits(c) for c in plan.get("children", []))


def operators(plan: Any, depth: int = 0) -> list[str]:
    line = f"{'  ' * depth}{plan['operatorType']} rows={plan.get('rows')} dbHits={plan.get('dbHits')}"
    return [line] + [op for c in plan.get("children", []) for op in operators(c, depth + 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--other", help="another checkout, whose cypher/grades.cypher is profiled too")
    ap.add_argument("--page-size", type=int, default=20_000)
    ap.add_argument("--as-of", default="2026-06-30")
    ap.add_argument("--plan", action="store_true", help="print the operators")
    ap.add_argument("--time", type=int, default=0, help="then run each side this many times, alternating")
    args = ap.parse_args()
    params = fact_params(dt.date.fromisoformat(args.as_of)) | {
        "regionPrefix": None,
        "after": "",
        "limit": args.page_size,
    }
    sides = {"this": CYPHER_DIR} | ({"other": Path(args.other) / "cypher"} if args.other else {})
    with sync_driver(Settings()) as driver:
        for side, directory in sides.items():
            statement = load(directory).grade_facts_page
            with driver.session() as session:
                result = session.run("PROFILE " + statement.text, params)
                row = result.single()
                summary = result.consume()
            assert row is not None and summary.profile is not None
            total = hits(summary.profile)
            entities = len(row["usccs"])
            facts = json.dumps(row["withFacts"], sort_keys=True, default=str)
            print(
                json.dumps(
                    {
                        "side": side,
                        "entities": entities,
                        "withFacts": len(row["withFacts"]),
                        "dbHits": total,
                        "dbHitsPerEntity": round(total / max(entities, 1), 2),
                        "factsChars": len(facts),
                        "factsHash": hash(facts),
                    }
                ),
                flush=True,
            )
            if args.plan:
                print("\n".join(operators(summary.profile)))
        seconds: dict[str, list[float]] = {side: [] for side in sides}
        for _ in range(args.time):
            for side, directory in sides.items():
                text = load(directory).grade_facts_page.text
                started = time.perf_counter()
                driver.execute_query(text, params, routing_=neo4j.RoutingControl.READ)
                seconds[side].append(round(time.perf_counter() - started, 3))
        if args.time:
            print(json.dumps({s: {"runs": v, "median": statistics.median(v)} for s, v in seconds.items()}))
            print(json.dumps({"load": os.getloadavg()}))


if __name__ == "__main__":
    main()
