#!/usr/bin/env python3
"""`screen` of 500 subjects per call on a generated city (issue 15, deliver 7: by code in <= 2 s, by name in
<= 5 s), over HTTP against `graph-api serve --workers 1` of this checkout.

    # the city's Neo4j must be running; the services are started and stopped by this script
    .venv/bin/python bench/screen_bench.py --city 1m=/work/city1m:7693 [--rounds 5] [--base ../wt-screen-base]
        [--kinds code,name] [--json-out FILE]

Subjects are picked deterministically (`random.Random(--seed)` over keys sorted in Cypher), a new batch for every
call (no subject twice: the service caches each name's pinyin, a repeat would be answered faster): by code,
500 USCCs of which a tenth are listed (their answers carry bindings and paths); by name, 500 entity names of the
city, a third sent as they are, a third with the suffix varied (有限公司 → 有限责任公司, brackets
full-/half-width swapped) and a third with one character dropped (fuzzy matches), each tenth with its region.
Every call is timed end to end
(request sent → full JSON body read, httpx, one keep-alive connection); --rounds calls per kind after one warm-up
call, reported as median and p99 (of so few calls, p99 is the slowest) with the machine and its load. With --base, the
other checkout's service answers the same batches beside this one's, the two alternating which goes first, and
the median of the per-batch ratios new / base is reported.
The service runs with development settings as the other benches (rate limit off) as an investigator stating a
purpose, so persons are matched too; its request and statement time limits are raised (120 s, 60 s) so that a
call over the product's 20 s is measured, not cut off.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
import neo4j  # noqa: E402
from import_bench import log, machine  # noqa: E402  (bench/ is not a package)
from peer_bench import ours  # noqa: E402
from read_bench import AS_OF, city_env, parse_city  # noqa: E402

N = 500
SCREEN = """query($subjects: [ScreenSubjectInput!]!, $asOf: Date) {
  screen(subjects: $subjects, scenario: BIDDING, asOf: $asOf) {
    index error { code } note
    eligibility { allowed decidingMeasures { measure { code } binding { kind path { text } } } }
    candidates { score matched eligibility { allowed } }
  }
}"""


def pick(bolt: str, seed: int, calls: int) -> tuple[list[list[dict[str, Any]]], list[list[dict[str, Any]]]]:
    """`calls` batches by code and as many by name, no subject in two (a cache would answer a repeat)."""
    rng = random.Random(seed)
    with neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{bolt}", auth=("neo4j", "credit-graph-local")) as d:
        listed = [
            r["u"]
            for r in d.execute_query("MATCH (e:Entity)-[:LISTED_ON]->() RETURN DISTINCT e.uscc AS u ORDER BY u").records
        ]
        # a window of 40,000 entities from anywhere in the first half million (the same window on any city of
        # that size; a smaller city's window starts early enough to be full)
        count = d.execute_query("MATCH (e:Entity) RETURN count(e) AS n").records[0]["n"]
        some = d.execute_query(
            "MATCH (e:Entity) WITH e ORDER BY e.uscc SKIP $skip LIMIT 40000 "
            "RETURN e.uscc AS u, e.name AS n, e.region AS r",
            skip=rng.randrange(0, max(1, min(500_000, count - 40_000))),
        ).records
    plain = [(r["u"], r["n"], r["r"]) for r in some]
    rng.shuffle(listed)
    rng.shuffle(plain)
    by_code, by_name = [], []
    for c in range(calls):
        codes = listed[c * (N // 10) : (c + 1) * (N // 10)]
        codes += [u for u, _, _ in plain[c * N : (c + 1) * N - len(codes)]]
        by_code.append([{"uscc": u} for u in codes])
        by_name.append(_names(rng, plain[(calls + c) * N : (calls + c + 1) * N]))
    return by_code, by_name


def _names(rng: random.Random, picked: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    by_name = []
    for i, (_, name, region) in enumerate(picked):
        if i % 3 == 1:
            name = name.replace("有限公司", "有限责任公司").replace("(", "（").replace(")", "）")
        elif i % 3 == 2 and len(name) > 4:
            cut = rng.randrange(1, len(name) - 3)
            name = name[:cut] + name[cut + 1 :]
        subject: dict[str, Any] = {"name": name}
        if i % 10 == 0 and region:
            subject["region"] = region
        by_name.append(subject)
    return by_name


def timed(client: httpx.Client, url: str, headers: dict[str, str], subjects: list[dict[str, Any]]) -> tuple[float, Any]:
    t = time.perf_counter()
    r = client.post(url, json={"query": SCREEN, "variables": {"subjects": subjects, "asOf": AS_OF}}, headers=headers)
    body = r.json()
    elapsed = time.perf_counter() - t
    if r.status_code != 200 or "errors" in body:
        raise SystemExit(f"screen failed ({r.status_code}): {json.dumps(body)[:500]}")
    return elapsed, body["data"]["screen"]


def warm_up(
    client: httpx.Client, url: str, headers: dict[str, str], subjects: list[dict[str, Any]]
) -> tuple[float, Any]:
    """The first call, retried while the city's cold store makes a statement pass Neo4j's time limit (TIMEOUT)."""
    for attempt in range(1, 6):
        try:
            return timed(client, url, headers, subjects)
        except SystemExit as e:
            if "TIMEOUT" not in str(e) or attempt == 5:
                raise
            log(f"warm-up {attempt}: TIMEOUT (cold store), again")
    raise AssertionError("unreachable")


def summary(warm: float, times: list[float], items: Any) -> dict[str, Any]:
    return {
        "warmup_s": round(warm, 3),
        "times_s": [round(t, 3) for t in times],
        "median_s": round(statistics.median(times), 3),
        "p99_s": round(max(times), 3),
        "answered": sum(1 for i in items if i["eligibility"] is not None or i["candidates"]),
        "errors": sum(1 for i in items if i["error"] is not None),
        "refused": sum(1 for i in items if i["eligibility"] is not None and not i["eligibility"]["allowed"]),
        "candidates": sum(len(i["candidates"] or []) for i in items),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", required=True, help="NAME=HOME:BOLT_PORT of a running generated city")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--base", type=Path, help="another worktree (with its .venv) to time side by side, alternating")
    ap.add_argument("--kinds", default="code,name", help="which batches: code, name or both")
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args()
    name, home, bolt = parse_city(args.city)
    by_code, by_name = pick(bolt, args.seed, args.rounds + 1)
    workdir = ROOT / "var" / "screen-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"city": name, "machine_start": machine(), "args": {k: str(v) for k, v in vars(args).items()}}
    env = {**city_env(home, bolt), "GRAPH_API_REQUEST_TIMEOUT": "120", "GRAPH_API_NEO4J_QUERY_TIMEOUT": "60"}
    with contextlib.ExitStack() as stack:
        sides = {"new": stack.enter_context(ours(env, workdir))}
        if args.base:
            sides["base"] = stack.enter_context(ours(env, workdir, checkout=args.base.resolve()))
        client = stack.enter_context(httpx.Client(timeout=120))
        for kind, batches in (("code", by_code), ("name", by_name)):
            if kind not in args.kinds.split(","):
                continue
            warm = {side: warm_up(client, s.url, s.headers, batches[0]) for side, s in sides.items()}
            times: dict[str, list[float]] = {side: [] for side in sides}
            for r, batch in enumerate(batches[1:]):
                # the same batch on each side, the order alternating: the second meets the pages the first read
                order = list(sides) if r % 2 == 0 else list(reversed(sides))
                for side in order:
                    times[side].append(timed(client, sides[side].url, sides[side].headers, batch)[0])
            out[kind] = {side: summary(warm[side][0], times[side], warm[side][1]) for side in sides}
            if args.base:
                ratios = [n / b for n, b in zip(times["new"], times["base"], strict=True)]
                out[kind]["ratio_new_over_base_median"] = round(statistics.median(ratios), 3)
            for side in sides:
                f = out[kind][side]
                log(f"{kind} {side}: median {f['median_s']} s, p99 {f['p99_s']} s ({f['answered']} answered)")
    out["machine_end"] = machine()
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if args.json_out:
        args.json_out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
