#!/usr/bin/env python3
"""Audit bench: concurrent audited reads (investigators looking persons up by identity number, each read
registered in the audit trail before it is answered), before and after the batched appender, side by side.

    .venv/bin/python bench/audit_bench.py [--home .neo4j/audit-bench] [--port 7713] [--entities 2000]
        [--levels 1 8 32] [--reads 40] [--rounds 2] [--before REV] [--workers 1] [--md-out F] [--json-out F]

The city: a test-size graph, `graph-api seed --entities N` imported with `graph-api import` into its own
Neo4j home (started if it is not running; loaded once, kept for later runs). The two sides: "after" serves
this checkout; "before" serves `git archive REV graph_api cypher` (default: the merge base with main, whose
every read appends its entry in a transaction of its own) with the same venv (PYTHONPATH), against the
same database. For every round, level (concurrent readers) and side (alternating which side goes first),
`level` readers (each its own investigator and purpose, one keep-alive connection each) ask `--reads`
person lookups each, one after the other; every request is timed at the client. Reported per level and
side: reads, failures (any answer other than 200 with data and no errors), median and p99 latency, and
entries appended per second (the head's seq before and after, over the phase's wall time). Last,
`graph-api audit verify` checks the whole chain both sides wrote. Markdown on stdout (and --md-out).

Leaves the city's server running; stop it with `graph-api neo4j stop` and the same GRAPH_API_NEO4J_HOME /
GRAPH_API_NEO4J_BOLT_PORT."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import GRAPH_API, check, log, machine, settings_for  # noqa: E402  (bench/ is not a package)
from read_bench import Serve, city_env, pct  # noqa: E402

LOOKUP = "query($n: String!) { person(idNumber: $n) { name idNumberMasked } }"


def git(*args: str) -> str:
    return check(["git", "-C", str(ROOT), *args], dict(os.environ)).stdout.strip()


def load_city(env: dict[str, str], workdir: Path, entities: int) -> list[str]:
    """Start the city's server, import the seeded city once; return its persons' identity numbers."""
    check([GRAPH_API, "neo4j", "start"], env)
    check([GRAPH_API, "db", "migrate"], env)
    jsonl = workdir / f"city-{entities}.jsonl"
    loaded = workdir / f"city-{entities}.loaded"
    if not loaded.exists():
        check([GRAPH_API, "db", "wipe", "--yes"], env)
        check([GRAPH_API, "db", "migrate"], env)
        check([GRAPH_API, "seed", "--entities", str(entities), "--out", str(jsonl)], env)
        t0 = time.perf_counter()
        check([GRAPH_API, "import", str(jsonl), "--rejects", str(workdir / "rejects.jsonl")], env)
        log(f"imported {jsonl.name} in {time.perf_counter() - t0:.0f} s")
        loaded.touch()
    lines = (json.loads(x) for x in jsonl.read_text(encoding="utf-8").splitlines())
    return [x["idNumber"] for x in lines if x.get("kind") == "person"]


def before_checkout(rev: str, workdir: Path) -> tuple[str, Path]:
    """graph_api/ and cypher/ as of `rev`, extracted once into the work directory."""
    commit = git("rev-parse", "--short", rev)
    target = workdir / f"before-{commit}"
    if not (target / "graph_api").is_dir():
        archive = workdir / f"before-{commit}.tar"
        git("archive", "-o", str(archive), commit, "graph_api", "cypher")
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
        archive.unlink()
    return commit, target


def reader_headers(i: int) -> dict[str, str]:
    import datetime as dt

    from graph_api.api.auth import Claims, issue_token
    from graph_api.settings import Settings

    jwt = issue_token(Settings(), Claims(user=f"audit-bench-{i}", role="INVESTIGATOR"), dt.timedelta(hours=12))
    return {"authorization": f"Bearer {jwt}", "x-purpose": quote(f"audit bench reader {i}")}


def head_seq(env: dict[str, str]) -> int:
    from graph_api.store.cypher_loader import queries
    from graph_api.store.db import sync_driver
    from graph_api.store.run import run_sync

    s = settings_for(env)
    with sync_driver(s) as driver:
        return run_sync(driver, queries.audit_head, database_=s.neo4j_database)[0]["seq"] or 0


async def phase(url: str, level: int, reads: int, numbers: list[str], offset: int) -> dict[str, Any]:
    """`level` readers at once, each asking `reads` lookups in turn; latencies in ms and failures."""
    import httpx

    latencies: list[float] = []
    failures: list[str] = []

    async def reader(i: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60, headers=reader_headers(i)) as client:
            for k in range(reads):
                number = numbers[(offset + i * reads + k) % len(numbers)]
                t0 = time.perf_counter()
                try:
                    r = await client.post("/graphql", json={"query": LOOKUP, "variables": {"n": number}})
                    body = r.json()
                    ok = r.status_code == 200 and not body.get("errors") and body["data"]["person"] is not None
                    problem = "" if ok else f"{r.status_code} {json.dumps(body.get('errors'), ensure_ascii=False)}"
                except httpx.HTTPError as e:
                    problem = f"{type(e).__name__}"
                latencies.append((time.perf_counter() - t0) * 1000)
                if problem:
                    failures.append(problem[:200])

    t0 = time.perf_counter()
    await asyncio.gather(*(reader(i) for i in range(level)))
    return {"wall_s": time.perf_counter() - t0, "latencies_ms": latencies, "failures": failures}


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        f"Machine: nproc {m['nproc']}, load average {' '.join(m['loadavg'])} at start, "
        f"{' '.join(result['loadavg_end'])} at end; {m['date']}; commit {m['commit']}; "
        f"before = {result['before']} (per-read append).",
        f"City: `graph-api seed --entities {result['entities']}` ({result['persons']} persons), "
        f"{result['rounds']} rounds × {result['reads']} reads per reader, sides alternating; "
        f"`audit verify` after the run: {result['verify']}.",
        "",
        "| readers | side | reads | failures | median ms | p99 ms | entries/s |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for level in result["levels"]:
        for side in ("before", "after"):
            r = result["phases"][f"{level}/{side}"]
            lat = r["latencies_ms"]
            lines.append(
                f"| {level} | {side} | {len(lat)} | {len(r['failures'])} | {statistics.median(lat):.1f} | "
                f"{pct(lat, 99):.1f} | {r['entries'] / r['wall_s']:.0f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--home", default=str(ROOT / ".neo4j" / "audit-bench"))
    p.add_argument("--port", default="7713")
    p.add_argument("--entities", type=int, default=2000)
    p.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    p.add_argument("--reads", type=int, default=40, help="lookups per reader per phase")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--before", default=None, help="the revision measured as 'before' (default: merge base with main)")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--md-out")
    p.add_argument("--json-out")
    args = p.parse_args()

    env = city_env(args.home, args.port)
    workdir = ROOT / "var" / "audit-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    numbers = load_city(env, workdir, args.entities)
    rev = args.before or git("merge-base", "HEAD", "main")
    commit, before_path = before_checkout(rev, workdir)
    result: dict[str, Any] = {
        "machine": machine(),
        "before": commit,
        "entities": args.entities,
        "persons": len(numbers),
        "levels": args.levels,
        "reads": args.reads,
        "rounds": args.rounds,
        "workers": args.workers,
        "phases": {},
    }
    with (
        Serve(env, workdir / "serve-after.log", workers=args.workers) as after,
        Serve(env, workdir / "serve-before.log", pythonpath=str(before_path), workers=args.workers) as before,
    ):
        sides = {"before": before.url, "after": after.url}
        asyncio.run(phase(after.url, 4, 5, numbers, 0))  # warm both servers and the page cache
        asyncio.run(phase(before.url, 4, 5, numbers, 0))
        offset = 0
        for round_ in range(args.rounds):
            for level in args.levels:
                order = ("before", "after") if round_ % 2 == 0 else ("after", "before")
                for side in order:
                    seq0 = head_seq(env)
                    r = asyncio.run(phase(sides[side], level, args.reads, numbers, offset))
                    r["entries"] = head_seq(env) - seq0
                    offset += level * args.reads
                    acc = result["phases"].setdefault(
                        f"{level}/{side}", {"wall_s": 0.0, "latencies_ms": [], "failures": [], "entries": 0}
                    )
                    for k in ("wall_s", "entries"):
                        acc[k] += r[k]
                    acc["latencies_ms"] += r["latencies_ms"]
                    acc["failures"] += r["failures"]
                    log(
                        f"round {round_ + 1} {level:>2} readers {side:<6} median "
                        f"{statistics.median(r['latencies_ms']):.1f} ms, {len(r['failures'])} failures, "
                        f"{r['entries'] / r['wall_s']:.0f} entries/s"
                    )
    verified = subprocess.run([GRAPH_API, "audit", "verify"], env=env, capture_output=True, text=True)
    result["verify"] = (verified.stdout + verified.stderr).strip().splitlines()[-1]
    result["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    md = markdown(result)
    print(md)
    if args.md_out:
        Path(args.md_out).write_text(md, encoding="utf-8")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
