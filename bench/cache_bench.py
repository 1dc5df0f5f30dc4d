#!/usr/bin/env python3
"""Parse and validation caching with the limits on: two `graph-api serve` processes on the same Neo4j,
one with the caches (the default) and one without (GRAPH_API_GRAPHQL_CACHES=false), both with every
limit (depth, aliases, tokens, cost). The same large query is sent to them alternately, so the machine's
noise falls on both alike; the report gives medians and the ratio.

    .venv/bin/python bench/cache_bench.py [--requests 400] [--uscc 91310107MA49M30279]

Run it against the demo city (`make run` keeps its Neo4j on 7687; set GRAPH_API_NEO4J_* for another).
Two queries are measured: a wide entity view (many fields and fragments, a few database round trips:
parse and validation are a visible share) and a tiny one ({ __typename }, no database work at all).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
GRAPH_API = str(ROOT / ".venv" / "bin" / "graph-api")

WIDE = """
fragment Rec on CreditRecord { id: recordId category polarity severity decisionNo decidedOn publishedOn summary
  disclosure status
  department { code name region } publishDueOn }
fragment Lst on Listing { id: listingId list since until status basis department { code name }
  measures { code name nameZh kind binds scenarios } }
query Wide($u: USCC!) {
  entity(uscc: $u) {
    uscc name form status region industry established registeredCapital address parent { uscc name }
    roles(first: 50) { totalCount edges { cursor node { role since until person { name idNumberMasked idType } } }
      pageInfo { hasNextPage endCursor } }
    holders(first: 50) { totalCount nodes { ratio since until entity { uscc name } person { name idNumberMasked } } }
    holdings(first: 50) { totalCount nodes { ratio since until entity { uscc name } } }
    records(first: 50) { totalCount nodes { ...Rec } pageInfo { hasNextPage endCursor } }
    serious: records(first: 20, where: {severities: [SERIOUS]}) { totalCount nodes { ...Rec } }
    listings(first: 20) { totalCount nodes { ...Lst } }
    branches(first: 20) { totalCount nodes { uscc name } }
  }
  a: controllers(uscc: $u) { entity { name } declared { name } inferred { party { name key kind } share paths { text } }
     beneficialOwners { party { name } share paths { text nodes { name kind key }
       steps { relation fromKey toKey since until ratio } } } }
}"""
TINY = "{ __typename }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(env_extra: dict[str, str]) -> tuple[subprocess.Popen, httpx.Client]:
    port = free_port()
    proc = subprocess.Popen(
        [GRAPH_API, "serve", "--port", str(port)],
        env={**os.environ, **env_extra},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    for _ in range(240):
        try:
            if client.get("/readyz").status_code == 200:
                return proc, client
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("graph-api serve did not become ready")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=400, help="per server and query, after 30 warm-up requests")
    ap.add_argument("--uscc", default="91310107MA49M30279")
    args = ap.parse_args()
    servers = {"caches on": start({}), "caches off": start({"GRAPH_API_GRAPHQL_CACHES": "false"})}
    results: dict[str, dict[str, list[float]]] = {}
    load_start = os.getloadavg()
    try:
        for label, (query, variables) in {
            "wide entity view": (WIDE, {"u": args.uscc}),
            "{ __typename }": (TINY, {}),
        }.items():
            times: dict[str, list[float]] = {name: [] for name in servers}
            for i in range(args.requests + 30):
                for name, (_, client) in servers.items() if i % 2 == 0 else reversed(servers.items()):
                    t0 = time.perf_counter()
                    body = client.post("/graphql", json={"query": query, "variables": variables}).json()
                    elapsed = (time.perf_counter() - t0) * 1000
                    if "errors" in body:
                        raise SystemExit(f"{name}: {body['errors']}")
                    if i >= 30:
                        times[name].append(elapsed)
            results[label] = times
    finally:
        for proc, client in servers.values():
            client.close()
            proc.terminate()
    load_end = os.getloadavg()
    print("| query | caches on: median ms | caches off: median ms | off / on |")
    print("|---|---|---|---|")
    out = {}
    for label, times in results.items():
        on, off = statistics.median(times["caches on"]), statistics.median(times["caches off"])
        out[label] = {"on_median_ms": on, "off_median_ms": off, "ratio": off / on, "n": len(times["caches on"])}
        print(f"| {label} | {on:.2f} | {off:.2f} | {off / on:.2f}× |")
    print(
        json.dumps(
            {
                "results": out,
                "load_avg_start": load_start,
                "load_avg_end": load_end,
                "nproc": os.cpu_count(),
                "python": sys.version.split()[0],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
