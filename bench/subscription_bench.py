#!/usr/bin/env python3
"""Alerts to subscribers (issue 15): N open subscriptions on one worker, alerts raised by mutations at a
steady rate, latency from the mutation's response to the alert's receipt at the client, and the worker's memory.

    .venv/bin/python bench/subscription_bench.py [--subscribers 1000] [--alerts 100] [--rate 5] [--port 8791]
    # on a loaded city instead (nothing wiped; its entities and first department are used, the alerts' records
    # stay in it, ids BENCH-…):
    GRAPH_API_NEO4J_HOME=/work/city1m GRAPH_API_NEO4J_BOLT_PORT=7693 GRAPH_API_NEO4J_PASSWORD=credit-graph-local \
      .venv/bin/python bench/subscription_bench.py --loaded

The database is the one GRAPH_API_NEO4J_HOME / GRAPH_API_NEO4J_BOLT_PORT describe (default: this checkout's
test server on GRAPH_API_TEST_BOLT_PORT): it is wiped and loaded with the demo city (seed/demo.jsonl). User i
(an officer of 370100-SCJG) watches entity i mod 300 and subscribes over its own WebSocket; then `--alerts`
records (recordDecision on an entity picked in turn) are made at `--rate` per second, one after the other,
each timed at its response; every subscriber notes when each alert arrives. Reported: alerts received,
latency p50/p99/max (response → receipt; negative when the alert came before the response), the worker's
RSS before and after the subscriptions opened, and the machine's load. Markdown on stdout."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

ROOT = Path(__file__).resolve().parents[1]
GRAPH_API = str(Path(sys.executable).parent / "graph-api")
DEPARTMENT = ["370100-SCJG"]  # the officers' department: the demo city's, or --loaded's first


def env_for() -> dict[str, str]:
    port = os.environ.get("GRAPH_API_NEO4J_BOLT_PORT") or os.environ.get("GRAPH_API_TEST_BOLT_PORT", "7688")
    return {
        **os.environ,
        "GRAPH_API_NEO4J_HOME": os.environ.get("GRAPH_API_NEO4J_HOME", str(ROOT / ".neo4j" / "test")),
        "GRAPH_API_NEO4J_BOLT_PORT": port,
        "GRAPH_API_NEO4J_PASSWORD": os.environ.get("GRAPH_API_NEO4J_PASSWORD", "credit-graph-test"),
        "GRAPH_API_RATE_LIMIT_ENABLED": "false",
        "GRAPH_API_REQUEST_TIMEOUT": "120",
        "GRAPH_API_NEO4J_QUERY_TIMEOUT": "120",
    }


def cli(env: dict[str, str], *args: str) -> None:
    proc = subprocess.run([GRAPH_API, *args], env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 2):
        raise SystemExit(f"graph-api {' '.join(args)} failed: {proc.stderr[-2000:]}")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def headers(user: str) -> dict[str, str]:
    from graph_api.api.auth import Claims, issue_token
    from graph_api.settings import Settings

    token = issue_token(Settings(), Claims(user=user, role="OFFICER", department=DEPARTMENT[0]), dt.timedelta(hours=2))
    return {"authorization": f"Bearer {token}"}


WATCH = "mutation($input: WatchInput!) { watch(input: $input) { __typename } }"
RECORD = "mutation($input: DecisionInput!) { recordDecision(input: $input) { __typename } }"
SUBSCRIBE = "subscription { alerts { seq causeIds } }"


async def subscriber(url: str, auth: dict[str, str], opened: asyncio.Event, arrivals: dict[str, list[float]]) -> None:
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"], max_queue=None) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": auth["authorization"]}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        opened.set()
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "next" and "data" in message["payload"] and message["payload"]["data"]:
                for cause in message["payload"]["data"]["alerts"]["causeIds"]:
                    arrivals.setdefault(cause, []).append(time.time())


def loaded_city(env: dict[str, str]) -> tuple[list[str], str]:
    """300 entities from the middle of a loaded city's key, and its first department."""
    import neo4j

    uri = f"bolt://127.0.0.1:{env['GRAPH_API_NEO4J_BOLT_PORT']}"
    with neo4j.GraphDatabase.driver(uri, auth=("neo4j", env["GRAPH_API_NEO4J_PASSWORD"])) as driver:
        keys = driver.execute_query(
            "MATCH (e:Entity) WITH e.uscc AS u ORDER BY u SKIP 500000 LIMIT 300 RETURN u"
        ).records
        department = driver.execute_query("MATCH (d:Department) RETURN d.code AS c ORDER BY c LIMIT 1").records
    return [r["u"] for r in keys], department[0]["c"]


async def bench(args: argparse.Namespace, base: str, pid: int, entities: list[str]) -> dict[str, Any]:
    users = [f"bench-sub-{i}" for i in range(args.subscribers)]
    auths = {u: headers(u) for u in users}
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        gate = asyncio.Semaphore(8)

        async def watch(i: int, user: str) -> None:
            async with gate:
                variables = {"input": {"subject": {"uscc": entities[i % len(entities)]}}}
                r = await client.post("/graphql", json={"query": WATCH, "variables": variables}, headers=auths[user])
                assert r.json()["data"]["watch"]["__typename"] == "Watch", r.text

        await asyncio.gather(*(watch(i, u) for i, u in enumerate(users)))
        rss_before = rss_mib(pid)
        arrivals: dict[str, list[float]] = {}
        url = base.replace("http://", "ws://") + "/graphql"
        events = [asyncio.Event() for _ in users]
        tasks = []
        for i, user in enumerate(users):
            tasks.append(asyncio.create_task(subscriber(url, auths[user], events[i], arrivals)))
            if i % 50 == 49:
                await asyncio.sleep(0.05)
        await asyncio.gather(*(e.wait() for e in events))
        await asyncio.sleep(2)  # every subscription registered (its first read done)
        rss_after = rss_mib(pid)
        responded: dict[str, float] = {}
        officer = headers("bench-officer")
        start = time.time()
        for n in range(args.alerts):
            await asyncio.sleep(max(0.0, start + n / args.rate - time.time()))
            rid = f"BENCH-{int(start)}-{n}"
            decision = {"id": rid, "subject": {"uscc": entities[n % len(entities)]}, "category": "PENALTY",
                        "severity": "SERIOUS", "decidedOn": "2025-06-10", "disclosure": "PUBLIC"}  # fmt: skip
            r = await client.post("/graphql", json={"query": RECORD, "variables": {"input": decision}}, headers=officer)
            responded[rid] = time.time()
            assert r.json()["data"]["recordDecision"]["__typename"] == "DecisionRecorded", r.text
        await asyncio.sleep(5)
        for t in tasks:
            t.cancel()
    expected = sum(sum(1 for i in range(args.subscribers) if i % len(entities) == n % len(entities))
                   for n in range(args.alerts))  # fmt: skip
    latencies = sorted(t - responded[rid] for rid, ts in arrivals.items() if rid in responded for t in ts)
    return {
        "subscribers": args.subscribers,
        "alerts": args.alerts,
        "rate": args.rate,
        "expected": expected,
        "received": len(latencies),
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else None,
        "max_ms": 1000 * latencies[-1] if latencies else None,
        "rss_before_mib": rss_before,
        "rss_after_mib": rss_after,
        "load": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--alerts", type=int, default=100)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--loaded", action="store_true", help="a loaded city: nothing wiped or imported")
    args = parser.parse_args()
    env = env_for()
    cli(env, "neo4j", "start")
    if args.loaded:
        entities, DEPARTMENT[0] = loaded_city(env)
    else:
        cli(env, "db", "wipe", "--yes")
        cli(env, "db", "migrate")
        cli(env, "import", str(ROOT / "seed" / "demo.jsonl"))
        entities = [
            json.loads(line)["uscc"]
            for line in (ROOT / "seed" / "demo.jsonl").read_text(encoding="utf-8").splitlines()
            if '"kind": "entity"' in line
        ]
    os.environ.update({k: v for k, v in env.items() if k.startswith("GRAPH_API_")})
    server = subprocess.Popen(
        [GRAPH_API, "serve", "--port", str(args.port)],
        env={**env, "GRAPH_API_MAX_ALERT_SUBSCRIPTIONS_PER_USER": "5"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        result = asyncio.run(bench(args, base, server.pid, entities))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps(result))
    print(
        f"| {result['subscribers']} | {result['alerts']} at {result['rate']:g}/s | {result['received']} of "
        f"{result['expected']} | {result['p50_ms']:.0f} | {result['p99_ms']:.0f} | {result['max_ms']:.0f} | "
        f"{result['rss_before_mib']:.0f} → {result['rss_after_mib']:.0f} | "
        f"{' '.join(f'{x:.1f}' for x in result['load'])} |"
    )


if __name__ == "__main__":
    main()
