#!/usr/bin/env python3
"""Load benchmark: a mixed read workload driven by wrk over loopback against `graph-api serve` on a city,
for minutes, with the API process's memory sampled throughout.

    apt-get install wrk        # the load generator (Debian package)
    # the city's Neo4j must be running (bench/read_bench.py load ... builds and starts it)
    .venv/bin/python bench/load_bench.py --city 1m=.neo4j/city1m:7693 --duration 300 --connections 8 \\
        [--warmup 30] [--workers 1] [--threads 2] [--samples 300] [--json-out F] [--md-out F]

What it does:
1. Picks sample subjects deterministically with read_bench's `pick_samples` (entities, listed or bound
   persons, listings, entities with holders, pairs of parties 1-4 hops apart) plus search terms (a 2-3
   character fragment of sampled entity names).
2. Builds a request deck of --deck requests drawn by weight from the mix below, shuffled with the seed,
   and writes it into a wrk Lua script. Each wrk connection walks the deck from its own offset, so the
   subjects rotate and the page cache sees the whole sample.

       question      share  who asks                          operation
       entity         35%   public (portal)                   entity(uscc) with six first pages
       search         15%   public                            search(query)
       listing        10%   public                            listingImpact(listing, maxHops: 2)
       controllers    10%   public                            controllers(uscc)
       exposure       15%   investigator with purpose         exposure(subject: {idNumber}) (audited: a write)
       paths          15%   investigator with purpose         paths(from, to, maxHops: 4)

3. Starts `graph-api serve` (development settings, --workers) on a free port, runs wrk for --warmup
   seconds (not counted), then for --duration seconds. The Lua script counts every response that is not
   HTTP 200 or whose body has an `errors` member; wrk counts socket errors and timeouts (--timeout 10 s).
4. Samples the resident memory (VmRSS, summed over the serve process and its workers) every 5 s from
   before the warm-up to the end, and reports it at each minute of the measured run, its range, and the
   least-squares slope over the measured run (MiB per minute).
5. Reads the service's own Prometheus counters (/metrics, single worker only) before and after the
   measured run: requests and mean latency per operation.

Closed loop: wrk keeps --connections requests in flight, so throughput is what the machine sustains at that
concurrency and latency includes queueing behind the other connections.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import graph_counts, log, machine, settings_for  # noqa: E402
from read_bench import GQL, READER, Serve, city_env, http_variables, parse_city, pick_samples  # noqa: E402

MIX = {"entity": 35, "search": 15, "listing": 10, "controllers": 10, "exposure": 15, "paths": 15}
PERSONAL = {"exposure", "paths"}  # asked by an investigator stating a purpose; the others by the public
SEARCH_GQL = """query Search($q: String!) { search(query: $q, first: 10) {
  edges { cursor node { kind key name idNumberMasked score } } pageInfo { hasNextPage endCursor } } }"""


def lua_string(text: str) -> str:
    """A Lua string literal for any text: every byte outside printable ASCII, and quote and backslash, as \\ddd."""
    out = []
    for b in text.encode("utf-8"):
        out.append(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:03d}")
    return '"' + "".join(out) + '"'


LUA_LOGIC = r"""
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end
function init(args)
  counter = offset
  graphql_errors = 0
  not_ok = 0
  shown = 0
end
function request()
  counter = counter + 1
  local r = deck[(counter % #deck) + 1]
  return wrk.format("POST", "/graphql", headers[r[1]], r[2])
end
function response(status, hdrs, body)
  local bad = false
  if status ~= 200 then
    not_ok = not_ok + 1
    bad = true
  elseif string.find(body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
    bad = true
  end
  if bad and shown < 3 then
    shown = shown + 1
    io.stderr:write("bad response " .. status .. ": " .. string.sub(body, 1, 400) .. "\n")
  end
end
function done(summary, latency, requests)
  local g, n = 0, 0
  for _, t in ipairs(threads) do
    g = g + t:get("graphql_errors")
    n = n + t:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"graphql_errors":%d,"not_ok":%d,' ..
    '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f,"stdev":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes, g, n, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, latency.stdev))
end
"""


def write_lua(deck: list[tuple[str, dict[str, Any]]], path: Path, logic: str = LUA_LOGIC) -> None:
    """The deck and the request headers as Lua tables, then the script's callbacks (`logic`)."""
    header_sets = {
        "public": {"Content-Type": "application/json", "Accept": "application/json"},
        "reader": {"Content-Type": "application/json", "Accept": "application/json", **READER},
    }
    lines = ["headers = {"]
    for name, hs in header_sets.items():
        lines.append(
            f"  [{lua_string(name)}] = {{"
            + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in hs.items())
            + "},"
        )
    lines.append("}")
    lines.append("deck = {")
    for question, body in deck:
        who = "reader" if question in PERSONAL else "public"
        lines.append(f"  {{{lua_string(who)}, {lua_string(json.dumps(body, ensure_ascii=False))}}},")
    lines.append("}")
    path.write_text("\n".join(lines) + logic)


def search_terms(names: list[str], rng: random.Random) -> list[str]:
    """A 2-3 character fragment of each name, as a clerk types part of a firm's name."""
    terms = []
    for name in names:
        core = re.sub(r"(有限责任公司|股份有限公司|有限公司|公司|分公司)$", "", name) or name
        size = min(len(core), rng.choice((2, 3)))
        start = rng.randrange(0, len(core) - size + 1)
        terms.append(core[start : start + size])
    return terms


async def build_deck(env: dict[str, str], args: argparse.Namespace) -> tuple[list[tuple[str, dict[str, Any]]], dict]:
    from graph_api.settings import Settings
    from graph_api.store.db import async_driver
    from graph_api.store.pii import IdProtector

    s = settings_for(env)
    driver = async_driver(s)
    try:
        rng = random.Random(args.seed)
        # Sampling a 1M city takes minutes; the samples (of a generated city) are kept under var/ for the next run.
        cache = (
            ROOT
            / "var"
            / f"load-bench-samples-{Path(env['GRAPH_API_NEO4J_HOME']).name}-{args.samples}-{args.seed}.json"
        )
        if cache.exists():
            samples = json.loads(cache.read_text())
        else:
            t0 = time.perf_counter()
            protector = IdProtector.from_settings(Settings())
            samples = await pick_samples(driver, s.neo4j_database, args.samples, args.seed, protector)
            samples.pop("_paths_walk_lengths")
            res = await driver.execute_query(
                "UNWIND $keys AS k MATCH (e:Entity {uscc: k}) RETURN e.name AS name",
                {"keys": samples["entity"]},
                database_=s.neo4j_database,
                routing_="r",
            )
            samples["search"] = search_terms([r["name"] for r in res.records], rng)
            log(f"samples { ({q: len(v) for q, v in samples.items()}) } in {time.perf_counter() - t0:.1f} s")
            cache.parent.mkdir(exist_ok=True)
            cache.write_text(json.dumps(samples, ensure_ascii=False))
    finally:
        await driver.close()
    questions = [q for q in MIX if samples.get(q)]
    weights = [MIX[q] for q in questions]
    deck: list[tuple[str, dict[str, Any]]] = []
    cursor = {q: 0 for q in questions}
    for q in rng.choices(questions, weights, k=args.deck):
        subject = samples[q][cursor[q] % len(samples[q])]
        cursor[q] += 1
        if q == "search":
            body = {"query": SEARCH_GQL, "variables": {"q": subject}, "operationName": "Search"}
        else:
            body = {"query": GQL[q], "variables": http_variables(q, subject)}
        deck.append((q, body))
    composition = {q: sum(1 for d, _ in deck if d == q) for q in questions}
    return deck, {"samples": {q: len(v) for q, v in samples.items()}, "deck": composition}


# ---------------------------------------------------------------- memory


def process_tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def rss_mib(pid: int) -> float:
    total = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class MemorySampler(threading.Thread):
    def __init__(self, pid: int, every: float = 5.0):
        super().__init__(daemon=True)
        self.pid, self.every, self.samples = pid, every, []
        self.t0 = time.monotonic()
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.samples.append((time.monotonic() - self.t0, rss_mib(self.pid)))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    xs = [t / 60 for t, _ in points]
    ys = [m for _, m in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


# ---------------------------------------------------------------- server metrics


def operation_counters(url: str) -> dict[str, dict[str, float]]:
    """Per-operation request count and latency sum from the service's Prometheus histogram."""
    import httpx

    text = httpx.get(f"{url}/metrics", timeout=10).text
    out: dict[str, dict[str, float]] = {}
    for line in text.splitlines():
        m = re.match(r"graph_api_graphql_operation_duration_seconds_(count|sum)\{([^}]*)\} ([0-9.e+-]+)$", line)
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
        op = labels.get("operation", "?")
        out.setdefault(op, {"count": 0.0, "sum": 0.0})[m.group(1)] += float(m.group(3))
    return out


# ---------------------------------------------------------------- running


def preflight(url: str, deck: list[tuple[str, dict[str, Any]]], per_question: int = 5) -> None:
    """A few requests of each kind through httpx first: a deck that the API refuses fails here, loudly."""
    import httpx

    seen: dict[str, int] = {}
    with httpx.Client(base_url=url, timeout=60) as client:
        for question, body in deck:
            if seen.get(question, 0) >= per_question:
                continue
            seen[question] = seen.get(question, 0) + 1
            headers = READER if question in PERSONAL else {}
            resp = client.post("/graphql", json=body, headers=headers)
            if resp.status_code != 200 or "errors" in resp.json():
                raise SystemExit(f"preflight {question}: HTTP {resp.status_code} {resp.text[:800]}")


def run_wrk(url: str, lua: Path, seconds: int, args: argparse.Namespace, label: str) -> dict[str, Any]:
    cmd = [
        "wrk",
        "-t",
        str(args.threads),
        "-c",
        str(args.connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(lua),
        f"{url}/graphql",
    ]
    log(f"{label}: {' '.join(cmd[:-3])} ... ({seconds} s)")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"wrk failed ({proc.returncode}): {proc.stderr[-2000:]}")
    if proc.stderr.strip():
        log(f"wrk stderr: {proc.stderr.strip()[:1500]}")
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"no RESULT line from wrk:\n{proc.stdout[-2000:]}")
    result = json.loads(line[len("RESULT ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors_total"] = (
        result["graphql_errors"]
        + result["not_ok"]
        + sum(v for k, v in result["socket_errors"].items() if k != "status")
    )
    return result


def arguments(description: str | None, **defaults: Any) -> argparse.ArgumentParser:
    """The options of every wrk bench over the deck (this one and saturation_bench.py): the city, the run,
    the deck, the outputs; `defaults` are the bench's own (e.g. its connections)."""
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--city", required=True, help="NAME=HOME:PORT of a running bench city")
    ap.add_argument("--duration", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--deck", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--json-out")
    ap.add_argument("--md-out")
    ap.set_defaults(**defaults)
    return ap


@dataclass
class Setup:
    """What a wrk bench over the deck runs with: the city, a work directory, the deck and its Lua driver."""

    name: str
    env: dict[str, str]
    workdir: Path
    deck: list[tuple[str, dict[str, Any]]]
    composition: dict[str, Any]
    lua: Path

    def serve_env(self, workers: int, overrides: dict[str, str] | None = None) -> dict[str, str]:
        """The city's settings for `graph-api serve`, with a metrics directory shared by its workers."""
        env = {**self.env, **(overrides or {})}
        if workers > 1:
            env["PROMETHEUS_MULTIPROC_DIR"] = str(self.workdir / "prom")
            (self.workdir / "prom").mkdir(exist_ok=True)
        return env


def set_up(args: argparse.Namespace, prefix: str, logic: str = LUA_LOGIC) -> Setup:
    """wrk present, the city's settings, a work directory, the deck and its Lua script (`logic`: the answers'
    accounting)."""
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    name, home, port = parse_city(args.city)
    env = city_env(home, port)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    deck, composition = asyncio.run(build_deck(env, args))
    lua = workdir / "deck.lua"
    write_lua(deck, lua, logic)
    return Setup(name, env, workdir, deck, composition, lua)


def main() -> None:
    args = arguments(__doc__).parse_args()
    setup = set_up(args, "load-bench-")
    deck, env, workdir, lua = setup.deck, setup.env, setup.workdir, setup.lua
    out: dict[str, Any] = {
        "city": setup.name,
        "counts": graph_counts(env),
        "machine": machine(),
        "args": vars(args),
        **setup.composition,
    }
    # The rate limit is lifted, as in peer_bench: wrk is one client address sending thousands of requests a
    # minute, where a portal's load comes from many; the cost, depth and alias limits stay on.
    with Serve(
        setup.serve_env(args.workers, {"GRAPH_API_RATE_LIMIT_ENABLED": "false"}),
        workdir / "serve.log",
        workers=args.workers,
    ) as api:
        preflight(api.url, deck)
        sampler = MemorySampler(api.proc.pid)
        sampler.start()
        out["warmup"] = run_wrk(api.url, lua, args.warmup, args, "warm-up") if args.warmup else None
        before = operation_counters(api.url)
        measured_from = time.monotonic() - sampler.t0
        out["run"] = run_wrk(api.url, lua, args.duration, args, "measured")
        measured_to = time.monotonic() - sampler.t0
        after = operation_counters(api.url)
        time.sleep(1)
        sampler.stop()
        out["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    ops = {}
    for op, a in after.items():
        b = before.get(op, {"count": 0.0, "sum": 0.0})
        n = a["count"] - b["count"]
        if n:
            ops[op] = {"requests": int(n), "mean_ms": 1000 * (a["sum"] - b["sum"]) / n}
    out["operations"] = ops
    mem = sampler.samples
    measured = [(t, m) for t, m in mem if measured_from <= t <= measured_to]
    out["memory"] = {
        "samples": mem,
        "measured_from_s": measured_from,
        "measured_to_s": measured_to,
        "start_mib": measured[0][1],
        "end_mib": measured[-1][1],
        "min_mib": min(m for _, m in measured),
        "max_mib": max(m for _, m in measured),
        "slope_mib_per_min": slope_per_minute(measured),
        "before_warmup_mib": mem[0][1],
    }
    md = markdown(out)
    print(md)
    if args.md_out:
        Path(args.md_out).write_text(md)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, indent=2, default=str))
    log(f"work files in {workdir}")
    if out["run"]["errors_total"]:
        raise SystemExit(f"{out['run']['errors_total']} errors under load (see above)")


def markdown(out: dict[str, Any]) -> str:
    r, m, mc = out["run"], out["memory"], out["machine"]
    lat = r["latency_us"]
    lines = [
        f"City `{out['city']}`: {out['counts']}. Commit {mc['commit']}, {mc['date']}, {mc['nproc']} cores "
        f"({mc['cpu']}), load average before {' '.join(mc['loadavg'])}, after {' '.join(out['loadavg_after'])}.",
        f"wrk: {out['args']['threads']} threads, {out['args']['connections']} connections (closed loop), "
        f"{out['args']['duration']} s measured after {out['args']['warmup']} s of warm-up; "
        f"`graph-api serve --workers {out['args']['workers']}`; deck of {out['args']['deck']} requests {out['deck']}.",
        "",
        "| measured run | value |",
        "|---|---|",
        f"| requests | {r['requests']:,} |",
        f"| throughput | {r['rps']:.1f} requests/s |",
        f"| errors (non-200, GraphQL `errors`, socket, timeouts) | {r['errors_total']} "
        f"(non-200 {r['not_ok']}, GraphQL {r['graphql_errors']}, socket {r['socket_errors']}) |",
        f"| latency p50 / p90 / p99 / p99.9 / max | {lat['p50'] / 1000:.1f} / {lat['p90'] / 1000:.1f} / "
        f"{lat['p99'] / 1000:.1f} / {lat['p999'] / 1000:.1f} / {lat['max'] / 1000:.1f} ms |",
        f"| API memory (RSS) at start / end of the run | {m['start_mib']:.1f} / {m['end_mib']:.1f} MiB |",
        f"| API memory min / max during the run | {m['min_mib']:.1f} / {m['max_mib']:.1f} MiB |",
        f"| API memory slope over the run (least squares) | {m['slope_mib_per_min']:+.2f} MiB/min |",
        f"| API memory before the warm-up | {m['before_warmup_mib']:.1f} MiB |",
        "",
        "Memory each minute of the measured run (MiB): "
        + ", ".join(f"{(t - m['measured_from_s']) / 60:.0f} min {v:.1f}" for t, v in _each_minute(m)),
    ]
    if out["operations"]:
        lines += ["", "| operation (server-side /metrics) | requests | mean ms |", "|---|---:|---:|"]
        lines += [f"| {op} | {v['requests']:,} | {v['mean_ms']:.1f} |" for op, v in sorted(out["operations"].items())]
    return "\n".join(lines) + "\n"


def _each_minute(m: dict[str, Any]) -> list[tuple[float, float]]:
    picked, nxt = [], m["measured_from_s"]
    for t, v in m["samples"]:
        if nxt <= t <= m["measured_to_s"] + 1:
            picked.append((t, v))
            nxt += 60
    return picked


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
