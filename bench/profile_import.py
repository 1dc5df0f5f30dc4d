#!/usr/bin/env python3
"""Where does `graph-api import` spend its time? A diagnostic companion of import_bench.py.

    .venv/bin/python bench/profile_import.py FILE [--wipe] [--cprofile OUT.prof] [--parse-only]

Runs the importer in-process on the bench server (same environment defaults as import_bench.py;
the ports of the demo and test servers are refused) with the writer thread's work timed per kind
and per step: the reference check, the holdings check and the write statement, each a round trip
to Neo4j. The reader (main) thread is timed for parsing and for the time it waits on the writer
(the queue holds two batches). --cprofile writes a cProfile of the main thread. --parse-only
skips the database: read, validate and build every fact, as fast as the Python side can go.
Nothing in graph_api/ is changed: methods are wrapped at run time.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import BENCH_DEFAULTS, GRAPH_API, PROTECTED_PORTS  # noqa: E402

for k, v in BENCH_DEFAULTS.items():
    os.environ.setdefault(k, v)
os.environ.pop("NEO4J_URI", None)
if int(os.environ["GRAPH_API_NEO4J_BOLT_PORT"]) in PROTECTED_PORTS:
    raise SystemExit("refusing: not a bench server port")

from graph_api.domain.catalogue import list_defaults  # noqa: E402
from graph_api.ingest import checks as import_checks  # noqa: E402
from graph_api.ingest import pipeline as importer  # noqa: E402
from graph_api.ingest.facts import FactBuilder  # noqa: E402
from graph_api.ingest.interchange import check_line_rules, parse_line  # noqa: E402
from graph_api.settings import Settings  # noqa: E402
from graph_api.store.pii import IdProtector  # noqa: E402

timings: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)
lock = threading.Lock()


def timed(name_of, fn):
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            with lock:
                name = name_of(*args, **kwargs)
                timings[name] += time.perf_counter() - t0
                calls[name] += 1

    return wrapper


def parse_only(path: Path) -> None:
    builder = FactBuilder(IdProtector.from_settings(Settings()), list_defaults())
    today = dt.date.today()
    steps = defaultdict(float)
    n = 0
    t_all = time.perf_counter()
    with open(path, "rb") as f:
        for data in f:
            t0 = time.perf_counter()
            raw = data.decode("utf-8").rstrip("\r\n")
            line = parse_line(raw)
            t1 = time.perf_counter()
            check_line_rules(line, today)
            t2 = time.perf_counter()
            builder.build(line)
            t3 = time.perf_counter()
            steps["parse+validate (pydantic)"] += t1 - t0
            steps["line rules"] += t2 - t1
            steps["build fact (HMAC, AES, canonical JSON, sha256)"] += t3 - t2
            n += 1
    total = time.perf_counter() - t_all
    print(f"parse-only: {n:,} lines in {total:.1f} s = {n / total:,.0f} lines/s (one core, no database)")
    for k, v in steps.items():
        print(f"  {k:50s} {v:7.1f} s  {v / n * 1e6:6.1f} µs/line")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", type=Path)
    ap.add_argument("--wipe", action="store_true", help="wipe the bench database first")
    ap.add_argument("--cprofile", type=Path)
    ap.add_argument("--parse-only", action="store_true")
    args = ap.parse_args()
    if args.parse_only:
        parse_only(args.file)
        return
    if args.wipe:
        subprocess.run([GRAPH_API, "db", "wipe", "--yes"], check=True)

    # writer thread: each round trip of a batch, by kind
    importer.reference_problems = timed(
        lambda tx, kind, items: f"writer: {kind}: reference check query", import_checks.reference_problems
    )
    importer.holding_problems = timed(
        lambda tx, items: "writer: holding: holdings-of query", import_checks.holding_problems
    )
    orig_write = importer.Importer._write_batch
    importer.Importer._write_batch = timed(
        lambda self, tx, kind, items: f"writer: {kind}: whole transaction function", orig_write
    )
    orig_commit = importer.Importer._commit
    importer.Importer._commit = timed(lambda self, kind, items: f"writer: {kind}: commit incl. session", orig_commit)
    # reader thread: waiting for the writer
    orig_submit = importer._Writer.submit
    importer._Writer.submit = timed(
        lambda self, kind, items: "reader: waiting to hand a batch to the writer", orig_submit
    )
    orig_drain = importer._Writer.drain
    importer._Writer.drain = timed(lambda self: "reader: waiting for a level to commit (drain)", orig_drain)

    from graph_api.cli.main import app

    prof = cProfile.Profile() if args.cprofile else None
    t0 = time.perf_counter()
    if prof:
        prof.enable()
    try:
        app(["import", str(args.file), "--rejects", os.devnull, "--json"], standalone_mode=False)
    finally:
        if prof:
            prof.disable()
    wall = time.perf_counter() - t0
    with open(args.file, "rb") as f:
        lines = sum(1 for _ in f)
    print(f"\nwall {wall:.1f} s, {lines:,} lines, {lines / wall:,.0f} lines/s")
    for name in sorted(timings):
        print(
            f"  {name:62s} {timings[name]:7.1f} s  {calls[name]:6d} calls"
            f"  {timings[name] / calls[name] * 1000:7.1f} ms/call"
        )
    if prof:
        prof.dump_stats(args.cprofile)
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(25)
        print(s.getvalue())


if __name__ == "__main__":
    main()
