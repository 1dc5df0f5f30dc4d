#!/usr/bin/env python3
"""Grading benchmark: `graph-api grades` (all entities as of a day in one batch) on a loaded city.

    # a running city (e.g. loaded by bench/read_bench.py load ... --home H --port P), read only:
    .venv/bin/python bench/grade_bench.py --home .neo4j/city1m --port 7693 [--as-of 2026-06-30] \\
        [--runs 5] [--page-size 20000] [--out-dir /tmp/grades] [--json-out F]

Each run is the CLI as a user runs it (a subprocess, `--json`, writing the JSON Lines of every grade
to --out-dir when given, else only counting), pointed at the city by GRAPH_API_NEO4J_HOME and
GRAPH_API_NEO4J_BOLT_PORT (and the password of the environment, as `graph-api` reads it). The CLI
times itself from the first page request to the last grade (connection excluded); this script
reports every run, the median entities/s, the grade counts (identical across runs, checked), the
machine and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

GRAPH_API = shutil.which("graph-api", path=str(Path(sys.executable).parent)) or "graph-api"


def machine() -> dict[str, object]:
    mem = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "?"
    )
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "memKiB": mem,
        "cpu": next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "?",
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True)
    ap.add_argument("--port", required=True)
    ap.add_argument("--as-of", default="2026-06-30")
    ap.add_argument("--region")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--page-size", type=int, default=20_000)
    ap.add_argument("--lanes", type=int, default=4, help="pages read side by side (graph-api grades --lanes)")
    ap.add_argument("--out-dir", help="write each run's grades as JSON Lines here")
    ap.add_argument("--json-out")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "GRAPH_API_NEO4J_URI")}
    env.update(GRAPH_API_NEO4J_HOME=str(Path(args.home).resolve()), GRAPH_API_NEO4J_BOLT_PORT=str(args.port))
    load_before = os.getloadavg()
    runs = []
    for i in range(args.runs):
        cmd = [
            GRAPH_API,
            "grades",
            "--as-of",
            args.as_of,
            "--page-size",
            str(args.page_size),
            "--lanes",
            str(args.lanes),
            "--json",
        ]
        if args.region:
            cmd += ["--region", args.region]
        if args.out_dir:
            Path(args.out_dir).mkdir(parents=True, exist_ok=True)
            cmd += ["--out", str(Path(args.out_dir) / f"grades-{i}.jsonl")]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"run {i} failed ({proc.returncode}): {proc.stderr}")
        summary = json.loads(proc.stdout)
        summary["processWallSeconds"] = round(wall, 3)
        runs.append(summary)
        print(
            f"run {i}: {summary['total']:,} entities in {summary['seconds']:.2f} s = "
            f"{summary['entitiesPerSecond']:,} entities/s (process {wall:.2f} s) {summary['counts']}",
            file=sys.stderr,
        )
    if len({json.dumps(r["counts"], sort_keys=True) for r in runs}) != 1:
        raise SystemExit("grade counts differ between runs")
    result = {
        "machine": machine(),
        "loadBefore": load_before,
        "loadAfter": os.getloadavg(),
        "asOf": args.as_of,
        "pageSize": args.page_size,
        "wroteJsonl": bool(args.out_dir),
        "runs": runs,
        "medianEntitiesPerSecond": statistics.median(r["entitiesPerSecond"] for r in runs),
        "medianSeconds": statistics.median(r["seconds"] for r in runs),
    }
    text = json.dumps(result, indent=2)
    if args.json_out:
        Path(args.json_out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
