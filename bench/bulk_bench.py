#!/usr/bin/env python3
"""`graph-api import --bulk` end to end against `neo4j-admin database import full` alone, on the same CSV.

    .venv/bin/python bench/bulk_bench.py [--file F] [--home H] [--port P] [--repeat K] [--workdir W]

Each round, on a Neo4j home of its own (default .neo4j/bulk-bench, Bolt 7791; the demo, test and other
servers' ports are refused):

1. the database is removed (server stopped, data/databases/neo4j and data/transactions/neo4j deleted),
   so the home is new and `--bulk` needs no running server;
2. `graph-api import --bulk F --rejects R --bulk-csv W/csv --json` runs as a child: its wall time, peak
   RSS and CPU (wait4), and the phases it prints (validate, neo4j-admin, stop/import/start, migrate);
3. the server is stopped and neo4j-admin alone runs on the CSV that step 2 wrote (the same arguments,
   from W/csv/neo4j-admin.args), timed the same way: the yardstick of the 1.3x target.

Prints a Markdown table with medians, and writes the raw figures as JSON (W/bulk-results.json).
The server is left stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import GRAPH_API, PROTECTED_PORTS, ROOT, check, log, machine, run_measured

# The 1,009,187-line file of §1 and §13: `graph-api seed --entities 135000 --seed 20240501 --out …`
DEFAULT_FILE = ROOT / "var" / "bulk-bench" / "city-135k.jsonl"


def env_for(args: argparse.Namespace) -> dict[str, str]:
    if args.port in PROTECTED_PORTS:
        raise SystemExit(f"port {args.port} belongs to another server; choose another --port")
    return {
        **os.environ,
        "GRAPH_API_NEO4J_HOME": str(args.home),
        "GRAPH_API_NEO4J_BOLT_PORT": str(args.port),
        "GRAPH_API_NEO4J_HEAP": args.heap,
        "GRAPH_API_NEO4J_PAGECACHE": args.pagecache,
    }


def reset(env: dict[str, str], home: Path) -> None:
    check([GRAPH_API, "neo4j", "stop"], env)
    for sub in ("databases/neo4j", "transactions/neo4j"):
        path = home / "data" / sub
        if path.exists():
            check(["rm", "-rf", str(path)], env)


def phases(stderr: Path) -> dict[str, float]:
    line = next((ln for ln in Path(stderr).read_text(errors="replace").splitlines() if "bulk import:" in ln), "")
    return {k: float(v) for k, v in re.findall(r"(\S+) ([\d.]+) s", line.removeprefix("bulk import:"))}


def admin_alone(env: dict[str, str], csv_dir: Path, workdir: Path, tag: str) -> dict[str, Any]:
    from graph_api.ops import neo4j_server
    from graph_api.settings import Settings

    s = Settings(
        neo4j_home=Path(env["GRAPH_API_NEO4J_HOME"]),
        neo4j_bolt_port=int(env["GRAPH_API_NEO4J_BOLT_PORT"]),
        neo4j_heap=env["GRAPH_API_NEO4J_HEAP"],
        neo4j_pagecache=env["GRAPH_API_NEO4J_PAGECACHE"],
    )
    neo4j_server.stop(s)
    home = neo4j_server._home(s)
    classpath = neo4j_server._prepare_home(s, neo4j_server.install(s))
    csv_args = (csv_dir / "neo4j-admin.args").read_text(encoding="utf-8").split()
    cmd = [
        str(neo4j_server.find_java(s)),
        f"-Xmx{s.neo4j_heap}",
        *neo4j_server.JVM_FLAGS,
        "-cp",
        classpath,
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        s.neo4j_database,
        "--overwrite-destination=true",
        f"--max-off-heap-memory={s.neo4j_pagecache}",
        f"--report-file={workdir / f'admin-{tag}.report'}",
        *csv_args,
    ]  # the same command as graph_api/ops/neo4j_admin_import.py
    admin_env = {**env, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    res = run_measured(cmd, admin_env, workdir / f"admin-{tag}.out", workdir / f"admin-{tag}.err", cwd=home)
    if res["exit"] != 0:
        raise SystemExit(f"neo4j-admin failed; see {res['stdout']}")
    text = Path(res["stdout"]).read_text(errors="replace")
    if m := re.search(r"IMPORT DONE in ([^.]+)\.", text):
        units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
        res["tool_s"] = sum(float(v) * units[u] for v, u in re.findall(r"(\d+)(ms|h|m|s)\b", m[1]))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--home", type=Path, default=ROOT / ".neo4j" / "bulk-bench")
    ap.add_argument("--port", type=int, default=7791)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="4g")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=ROOT / "var" / "bulk-bench")
    args = ap.parse_args()
    args.home = args.home.resolve()
    args.workdir = args.workdir.resolve()  # neo4j-admin runs in the home: a relative report path would land there
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = env_for(args)
    results: dict[str, Any] = {"machine": machine(), "file": str(args.file), "rounds": []}
    with open(args.file, "rb") as f:
        results["lines"] = sum(1 for _ in f)
    log(f"{args.file}: {results['lines']:,} lines; load average {results['machine']['loadavg']}")
    for i in range(args.repeat):
        reset(env, args.home)
        csv_dir = args.workdir / "csv"
        tag = f"round{i + 1}"
        rejects = args.workdir / f"rejects-{tag}.jsonl"
        cmd = [GRAPH_API, "import", "--bulk", str(args.file), "--rejects", str(rejects)]
        cmd += ["--bulk-csv", str(csv_dir), "--json"]
        bulk = run_measured(cmd, env, args.workdir / f"bulk-{tag}.out", args.workdir / f"bulk-{tag}.err")
        bulk["phases"] = phases(Path(bulk["stderr"]))
        bulk["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
        log(f"  bulk {tag}: exit {bulk['exit']}, {bulk['wall_s']:.1f} s, phases {bulk['phases']}")
        admin = admin_alone(env, csv_dir, args.workdir, tag)
        admin["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
        log(f"  neo4j-admin alone {tag}: {admin['wall_s']:.1f} s (tool {admin.get('tool_s')})")
        results["rounds"].append({"bulk": bulk, "admin": admin, "ratio": bulk["wall_s"] / admin["wall_s"]})
    results["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    (args.workdir / "bulk-results.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    med = statistics.median
    rounds = results["rounds"]
    print(
        "| lines | bulk end to end s | validate s | neo4j-admin (in bulk) s | stop+import+start s | migrate s |"
        " bulk peak RSS MiB | neo4j-admin alone s | ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ph = [r["bulk"]["phases"] for r in rounds]
    print(
        f"| {results['lines']:,} | {med(r['bulk']['wall_s'] for r in rounds):.1f} |"
        f" {med(p.get('validate', 0) for p in ph):.1f} | {med(p.get('neo4j-admin', 0) for p in ph):.1f} |"
        f" {med(p.get('stop-import-start', 0) for p in ph):.1f} | {med(p.get('migrate', 0) for p in ph):.1f} |"
        f" {med(r['bulk']['peak_rss_mib'] for r in rounds):.0f} | {med(r['admin']['wall_s'] for r in rounds):.1f} |"
        f" {med(r['ratio'] for r in rounds):.2f}x |"
    )
    print(f"load average: start {results['machine']['loadavg']}, end {results['machine']['loadavg_end']}")


if __name__ == "__main__":
    main()
