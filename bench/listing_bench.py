#!/usr/bin/env python3
"""Listing with its cascade, over HTTP, on a loaded city: p50/p99 of `listSubject` (the listing, its
measures, the closed-loop tasks, the bound persons, the related-entity flags, history and audit — one
transaction) and of `delist` (ending all of it).

    .venv/bin/python bench/listing_bench.py --home /path/to/city-home --port 7693 [--samples 300] [--warmup 30]

It starts `graph-api serve` against the city (the city's own Neo4j must be running), picks entities that
have an active negative record and no joint-punishment listing (deterministically: by USCC from a seeded
offset), lists each one on JOINT_PUNISHMENT on the basis of that record as an officer of the deciding
department, then delists them all, and prints Markdown and JSON. The city is changed (listings are
added and ended, with their history): run it on a bench copy, not on data you keep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph_api.api.auth import Claims, issue_token  # noqa: E402
from graph_api.settings import Settings  # noqa: E402
from graph_api.store.db import sync_driver  # noqa: E402

LIST = """mutation($input: ListingInput!) { listSubject(input: $input) {
  __typename ... on Listed { tasksPushed personsBound entitiesFlagged } ... on Refusal { code message } } }"""
DELIST = """mutation($l: String!, $on: Date) { delist(listing: $l, reason: "bench", on: $on) {
  __typename ... on ListingEnded { tasksEnded linksEnded } ... on Refusal { code message } } }"""
CANDIDATES = """
MATCH (e:Entity)
WHERE e.uscc >= $from
  AND NOT EXISTS { MATCH (e)-[:LISTED_ON]->(:Listing {list: 'JOINT_PUNISHMENT'}) }
MATCH (e)-[:HAS_RECORD]->(r:Record {polarity: 'NEGATIVE', status: 'ACTIVE'})-[:DECIDED_BY]->(d:Department)
WHERE r.decidedOn <= $latest
WITH e, r, d ORDER BY e.uscc, r.decidedOn DESC
WITH e, collect({record: r.id, decidedOn: r.decidedOn, department: d.code})[0] AS basis
RETURN e.uscc AS uscc, basis
ORDER BY uscc
LIMIT $n
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", required=True, help="GRAPH_API_NEO4J_HOME of the city")
    ap.add_argument("--port", required=True, help="its Bolt port")
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--json-out", type=Path, default=None)
    args = ap.parse_args()
    if args.port in ("7687", "7688"):
        raise SystemExit("refusing to change the demo (7687) or test (7688) database")

    env = {**os.environ, "GRAPH_API_NEO4J_HOME": args.home, "GRAPH_API_NEO4J_BOLT_PORT": args.port}
    os.environ.update(env)
    settings = Settings()
    with sync_driver(settings) as driver:
        start = "".join(random.Random(args.seed).choice("0123456789") for _ in range(2))
        records, _, _ = driver.execute_query(
            CANDIDATES,
            {"from": "91" + start, "latest": dt.date.today() - dt.timedelta(days=40), "n": args.samples + args.warmup},
        )
        entities = driver.execute_query("MATCH (e:Entity) RETURN count(e) AS n").records[0]["n"]
    picks = [(r["uscc"], r["basis"]) for r in records]
    run = dt.datetime.now().strftime(
        "%Y%m%d%H%M%S"
    )  # listing ids unique per run: the city keeps earlier runs' listings
    if len(picks) < args.samples + args.warmup:
        raise SystemExit(f"only {len(picks)} candidates found")

    port = free_port()
    # The server writes to its own copy of the descriptor: ours can close as soon as it has started.
    with open(Path(os.environ.get("TMPDIR", "/tmp")) / f"listing-bench-serve-{port}.log", "wb") as log:
        serve = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "graph-api"), "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    try:
        for _ in range(300):
            try:
                if client.get("/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        list_ms, delist_ms, shapes, listed = [], [], [], []
        load_start = os.getloadavg()
        for i, (uscc, basis) in enumerate(picks):
            since = basis["decidedOn"].to_native() + dt.timedelta(days=30)
            token = issue_token(
                settings, Claims(user="bench", role="OFFICER", department=basis["department"]), dt.timedelta(hours=4)
            )
            headers = {"authorization": f"Bearer {token}"}
            body = {
                "query": LIST,
                "variables": {
                    "input": {
                        "subject": {"uscc": uscc},
                        "list": "JOINT_PUNISHMENT",
                        "basis": [basis["record"]],
                        "since": since.isoformat(),
                        "id": f"BENCH-{run}-{i}",
                    }
                },
            }
            t0 = time.perf_counter()
            answer = client.post("/graphql", json=body, headers=headers).json()
            elapsed = (time.perf_counter() - t0) * 1000
            result = (answer.get("data") or {}).get("listSubject") or {}
            if result.get("__typename") != "Listed":
                raise SystemExit(f"listing {uscc} failed: {answer}")
            listed.append((f"BENCH-{run}-{i}", since, headers))
            if i >= args.warmup:
                list_ms.append(elapsed)
                shapes.append(result)
        for i, (listing_id, since, headers) in enumerate(listed):
            t0 = time.perf_counter()
            answer = client.post(
                "/graphql",
                json={
                    "query": DELIST,
                    "variables": {"l": listing_id, "on": (since + dt.timedelta(days=1)).isoformat()},
                },
                headers=headers,
            ).json()
            elapsed = (time.perf_counter() - t0) * 1000
            if (answer.get("data") or {}).get("delist", {}).get("__typename") != "ListingEnded":
                raise SystemExit(f"delisting {listing_id} failed: {answer}")
            if i >= args.warmup:
                delist_ms.append(elapsed)
        load_end = os.getloadavg()
    finally:
        client.close()
        serve.terminate()
        serve.wait(timeout=30)

    figures = {
        "entities": entities,
        "samples": len(list_ms),
        "warmup": args.warmup,
        "list": {"p50_ms": statistics.median(list_ms), "p99_ms": pct(list_ms, 0.99), "max_ms": max(list_ms)},
        "delist": {"p50_ms": statistics.median(delist_ms), "p99_ms": pct(delist_ms, 0.99), "max_ms": max(delist_ms)},
        "cascade": {
            k: statistics.median(s[k] for s in shapes) for k in ("tasksPushed", "personsBound", "entitiesFlagged")
        },
        "cascade_max": {k: max(s[k] for s in shapes) for k in ("tasksPushed", "personsBound", "entitiesFlagged")},
        "load_avg_start": load_start,
        "load_avg_end": load_end,
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    print("| city | samples | listSubject p50 | p99 | delist p50 | p99 | median cascade (tasks / persons / flags) |")
    print("|---|---|---|---|---|---|---|")
    c = figures["cascade"]
    print(
        f"| {entities:,} entities | {len(list_ms)} "
        f"| {figures['list']['p50_ms']:.1f} ms | {figures['list']['p99_ms']:.1f} ms "
        f"| {figures['delist']['p50_ms']:.1f} ms | {figures['delist']['p99_ms']:.1f} ms "
        f"| {c['tasksPushed']:.0f} / {c['personsBound']:.0f} / {c['entitiesFlagged']:.0f} |"
    )
    print(json.dumps(figures, indent=2))
    if args.json_out:
        args.json_out.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
