#!/usr/bin/env python3
"""Incremental import into a loaded database, today's importer against the new options, side by side.

    .venv/bin/python bench/incr_bench.py --file var/city-135k.jsonl --rounds 2 \
        --base ../main/.venv/bin/graph-api --new-args "--workers 2 --writers 3 --batch-size 5000"

Runs `graph-api import FILE --json` alternately with the base command (another worktree's code, as is)
and with this checkout's command plus --new-args, --rounds times each, against the server the
environment names (GRAPH_API_NEO4J_HOME / GRAPH_API_NEO4J_BOLT_PORT; the test and demo ports are
refused). Takes each run's wall time, lines/s, the counts, the child's CPU (wait4) and Neo4j's CPU
(/proc), and the importer's RSS sampled every second from /proc/<pid>/status (VmRSS of the child and
its validating processes: start, peak, end). Prints one Markdown table and writes the raw JSON.

The runs share one database: the first run of a file creates what the database lacks, later runs
find those facts unchanged; the table says which each run was by its counts."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shlex
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROTECTED_PORTS = {"7687", "7688", "7712"}


def _rss_kib(pid: int) -> int:
    """VmRSS of `pid` and its children (the validating processes), in KiB."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _neo4j_pid(home: str) -> int:
    return int((Path(home) / "run" / "neo4j.pid").read_text().split()[0])


def run(cmd: list[str], neo4j_pid: int, tag: str, lines: int) -> dict[str, Any]:
    neo_before, load_before = _cpu_s(neo4j_pid), os.getloadavg()[0]
    own = resource.getrusage(resource.RUSAGE_CHILDREN)  # the child and its validating processes, once reaped
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, int]] = []
    # CPU seconds of the importer's own process as last seen (a second before its exit at worst): the single
    # parent is the limit the workers' unchanged check is meant to lift (BENCHMARKS.md §16)
    parent_cpu = [0.0]

    def sample() -> None:
        while child.poll() is None:
            samples.append((time.perf_counter() - start, _rss_kib(child.pid)))
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                parent_cpu[0] = _cpu_s(child.pid)
            time.sleep(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, errs = child.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.join()
    rss = [kib for _, kib in samples if kib] or [0]
    counts = json.loads(out)["counts"] if out.strip() else {}
    totals = {k: sum(c[k] for c in counts.values()) for k in ("created", "updated", "unchanged", "rejected")}
    return {
        "tag": tag,
        "cmd": cmd,
        "code": child.returncode,
        "stderr": errs[-2000:],
        "wall_s": wall,
        "lines_per_s": lines / wall,
        "neo4j_cpu_s": _cpu_s(neo4j_pid) - neo_before,
        "parent_cpu_s": parent_cpu[0],
        "importer_cpu_s": after.ru_utime + after.ru_stime - own.ru_utime - own.ru_stime,
        "load": [load_before, os.getloadavg()[0]],
        "rss_mib": {"start": rss[0] / 1024, "peak": max(rss) / 1024, "end": rss[-1] / 1024},
        "rss_samples": samples,
        "totals": totals,
        "counts": counts,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, required=True)
    ap.add_argument(
        "--new-file", type=Path, help="another file for the new importer (new data for both: two seeds of one size)"
    )
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--base", default=str(ROOT.parent / "main" / ".venv" / "bin" / "graph-api"))
    ap.add_argument("--new-args", default="--workers 2 --writers 3 --batch-size 5000")
    ap.add_argument("--base-args", default="", help="options for the base too (the same ones: like for like)")
    ap.add_argument("--order", default="base,new", help="the order within a round")
    ap.add_argument("--json-out", type=Path, default=ROOT / "var" / "incr-bench.json")
    args = ap.parse_args()
    if os.environ.get("GRAPH_API_NEO4J_BOLT_PORT", "7687") in PROTECTED_PORTS:
        raise SystemExit("set GRAPH_API_NEO4J_HOME and GRAPH_API_NEO4J_BOLT_PORT to the loaded bench server")
    files = {"base": args.file, "new": args.new_file or args.file}
    lines = {}
    for tag, path in files.items():
        with open(path, "rb") as f:
            lines[tag] = sum(1 for _ in f)
    neo4j_pid = _neo4j_pid(os.environ["GRAPH_API_NEO4J_HOME"])
    new = str(ROOT / ".venv" / "bin" / "graph-api")
    rejects = {tag: str(ROOT / "var" / f"incr-{tag}-rejects.jsonl") for tag in ("base", "new")}
    cmds = {
        "base": [
            *(args.base, "import", str(files["base"]), "--rejects", rejects["base"], "--json"),
            *shlex.split(args.base_args),
        ],
        "new": [new, "import", str(files["new"]), "--rejects", rejects["new"], "--json", *shlex.split(args.new_args)],
    }
    results = []
    for n in range(args.rounds):
        for tag in args.order.split(","):
            r = run(cmds[tag], neo4j_pid, tag, lines[tag])
            r["round"] = n + 1
            results.append(r)
            print(
                f"round {n + 1} {tag}: {r['wall_s']:.1f} s, {r['lines_per_s']:,.0f} lines/s, code {r['code']}, "
                f"{r['totals']}, rss {r['rss_mib']['start']:.0f}/{r['rss_mib']['peak']:.0f}/{r['rss_mib']['end']:.0f} "
                f"MiB, CPU {r['importer_cpu_s']:.1f} s (parent {r['parent_cpu_s']:.1f} s), "
                f"Neo4j CPU {r['neo4j_cpu_s']:.1f} s, "
                f"load {r['load'][0]:.1f}->{r['load'][1]:.1f}",
                flush=True,
            )
    raw = {"lines": lines, "files": {k: str(v) for k, v in files.items()}, "runs": results}
    args.json_out.write_text(json.dumps(raw, default=str))
    print(
        "\n| round | importer | wall s | lines/s | created | updated | unchanged | RSS MiB start/peak/end "
        "| importer CPU s | Neo4j CPU s | CPU µs per line (importer + Neo4j) |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    for r in results:
        t, m = r["totals"], r["rss_mib"]
        print(
            f"| {r['round']} | {r['tag']} | {r['wall_s']:.1f} | {r['lines_per_s']:,.0f} | {t['created']:,} | "
            f"{t['updated']:,} | {t['unchanged']:,} | {m['start']:.0f}/{m['peak']:.0f}/{m['end']:.0f} "
            f"| {r['importer_cpu_s']:.1f} | {r['neo4j_cpu_s']:.1f} "
            f"| {1e6 * r['importer_cpu_s'] / lines[r['tag']]:.0f} + {1e6 * r['neo4j_cpu_s'] / lines[r['tag']]:.0f} |"
        )


if __name__ == "__main__":
    main()
