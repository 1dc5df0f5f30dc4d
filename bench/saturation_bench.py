#!/usr/bin/env python3
"""Saturation benchmark (issue 11): many concurrent connections against `graph-api serve` on a city, every
answer counted by class, while a health probe, a memory sampler and a few slow-header sockets watch.

    apt-get install wrk        # the load generator (Debian package)
    # the city's Neo4j must be running (bench/read_bench.py load ... builds and starts it)
    .venv/bin/python bench/saturation_bench.py --city 1m=$PWD/var/city1m:7693 --connections 200 --duration 60 \\
        [--warmup 10] [--workers 1] [--slowloris 50] [--serve-env GRAPH_API_X=Y ...] [--json-out F] [--md-out F]

The request deck (the mixed read workload: entity, search, listing impact, controllers, audited exposure,
paths) and its Lua driver are bench/load_bench.py's; only the response accounting differs. Each answer
falls in one class, keyed by HTTP status and the first `extensions.code` after the body's `errors`:

    ok            HTTP 200 without `errors`
    rate limited  HTTP 429 (RATE_LIMITED), with or without `Retry-After` (without it is counted apart)
    saturated     any answer whose code is SERVICE_SATURATED (the typed "too busy, retry" answer)
    other         everything else: 200 with DATABASE_UNAVAILABLE or TIMEOUT, 5xx, and wrk's socket errors and
                  timeouts (--timeout, longer than the server's own request timeout). The target is 0.

Alongside the measured run, each in its own thread:
- a probe GETs /healthz every 100 ms on a fresh connection (as a load balancer does) and records its latency
  (target p99 < 100 ms); a probe that fails or takes over 5 s counts as a failure;
- the serve process tree's resident memory (VmRSS) is sampled every second: its range and least-squares
  slope over the run (memory flat);
- --slowloris sockets send a request line and one header, then one more header line every 10 s, never
  finishing; at the end it counts how many the server closed, and when.

Exit status 1 when a target is missed (other answers, /healthz p99, slow-header sockets left open), after the
figures are printed: the markdown is ready to paste into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import select
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import graph_counts, log, machine  # noqa: E402
from load_bench import PERSONAL, MemorySampler, arguments, set_up, slope_per_minute  # noqa: E402
from read_bench import READER, Serve  # noqa: E402

SATURATED = "SERVICE_SATURATED"
HEALTH_TARGET_P99_MS = 100.0

LUA_CLASSES = r"""
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end
function init(args)
  counter = offset
  classes = {}
  shown = {}
end
function request()
  counter = counter + 1
  local r = deck[(counter % #deck) + 1]
  return wrk.format("POST", "/graphql", headers[r[1]], r[2])
end
local function has_retry_after(hdrs)
  for k, _ in pairs(hdrs) do
    if string.lower(k) == "retry-after" then return true end
  end
  return false
end
function response(status, hdrs, body)
  local key
  local at = string.find(body, '"errors"', 1, true)
  if status == 200 and not at then
    key = "200 ok"
  else
    local code = at and string.match(body, '"code"%s*:%s*"([%w_]+)"', at) or (at and "no-code" or "no-json")
    key = status .. " " .. code
    if status == 429 and not has_retry_after(hdrs) then key = key .. " no-Retry-After" end
    if not shown[key] then
      shown[key] = true
      io.stderr:write("first " .. key .. ": " .. string.sub(body, 1, 300) .. "\n")
    end
  end
  classes[key] = (classes[key] or 0) + 1
end
function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    for k, n in pairs(t:get("classes")) do merged[k] = (merged[k] or 0) + n end
  end
  local parts = {}
  for k, n in pairs(merged) do table.insert(parts, string.format('"%s":%d', k, n)) end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"classes":{%s},' ..
    '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


# ---------------------------------------------------------------- watchers


class HealthProbe(threading.Thread):
    """GET /healthz every `every` seconds, each on a new connection (as a load balancer's check); latency in
    ms, None for a failure (no answer within `timeout`, or not 200)."""

    def __init__(self, port: int, every: float = 0.1, timeout: float = 5.0):
        super().__init__(daemon=True)
        self.port, self.every, self.timeout = port, every, timeout
        self.samples: list[tuple[float, float | None, str]] = []
        self._halt = threading.Event()
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []

    def probe(self) -> tuple[float | None, str]:
        t0 = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            resp.read()
            ms = (time.perf_counter() - t0) * 1000
            return (ms, "200") if resp.status == 200 else (None, str(resp.status))
        except (OSError, http.client.HTTPException) as e:
            return None, type(e).__name__
        finally:
            conn.close()

    def run(self) -> None:
        # Open loop: each probe starts on its own 100 ms tick in its own thread, so a slow answer does not
        # postpone the next probe and hide the slowness it would have met (coordinated omission).
        t0 = time.monotonic()
        ticks = 0
        while not self._halt.wait(max(0.0, t0 + ticks * self.every - time.monotonic())):
            started = time.monotonic() - t0
            worker = threading.Thread(target=self._record, args=(started,), daemon=True)
            worker.start()
            self._workers.append(worker)
            ticks += 1

    def _record(self, started: float) -> None:
        ms, outcome = self.probe()
        with self._lock:
            self.samples.append((started, ms, outcome))

    def stop(self) -> None:
        self._halt.set()
        self.join()
        for worker in self._workers:
            worker.join()

    def summary(self) -> dict[str, Any]:
        ok = sorted(ms for _, ms, _ in self.samples if ms is not None)
        failures: dict[str, int] = {}
        for _, ms, outcome in self.samples:
            if ms is None:
                failures[outcome] = failures.get(outcome, 0) + 1
        # A failed probe counts as slower than any answer: the percentiles are over all probes.
        ranked = ok + [float("inf")] * sum(failures.values())
        return {
            "probes": len(self.samples),
            "failures": failures,
            "p50_ms": _percentile(ranked, 50),
            "p90_ms": _percentile(ranked, 90),
            "p99_ms": _percentile(ranked, 99),
            "max_ms": max(ranked) if ranked else None,
        }


def _percentile(ranked: list[float], p: float) -> float | None:
    if not ranked:
        return None
    return ranked[min(len(ranked) - 1, int(len(ranked) * p / 100))]


class SlowHeaders(threading.Thread):
    """`count` sockets that start a request and never finish its headers (slowloris)."""

    def __init__(self, port: int, count: int, every: float = 10.0):
        super().__init__(daemon=True)
        self.port, self.count, self.every = port, count, every
        self.opened = 0
        self.refused: dict[str, int] = {}
        self.closed_after: list[float] = []  # seconds from its first byte to the server closing it
        self.answers: dict[str, int] = {}  # what the server sent before closing (e.g. a 408), by status line
        self._halt = threading.Event()

    def run(self) -> None:
        socks: dict[socket.socket, float] = {}
        for _ in range(self.count):
            try:
                s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                s.setblocking(False)
                socks[s] = time.monotonic()
                self.opened += 1
            except OSError as e:
                self.refused[type(e).__name__] = self.refused.get(type(e).__name__, 0) + 1
        last_trickle = time.monotonic()
        while socks and not self._halt.is_set():
            readable, _, _ = select.select(list(socks), [], [], 0.5)
            for s in readable:
                self._closed(s, socks.pop(s))
            if time.monotonic() - last_trickle >= self.every:
                last_trickle = time.monotonic()
                for s in list(socks):
                    try:
                        s.send(b"X-Slow: 1\r\n")
                    except OSError:
                        self._closed(s, socks.pop(s))
        self.still_open = len(socks)
        for s in socks:
            s.close()

    def _closed(self, s: socket.socket, since: float) -> None:
        try:
            data = s.recv(200)
        except OSError:
            data = b""
        self.closed_after.append(time.monotonic() - since)
        status = data.split(b"\r\n", 1)[0].decode("latin-1") if data else "(closed without an answer)"
        self.answers[status] = self.answers.get(status, 0) + 1
        s.close()

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def summary(self) -> dict[str, Any]:
        closed = sorted(self.closed_after)
        return {
            "sockets": self.count,
            "opened": self.opened,
            "refused": self.refused,
            "closed_by_server": len(closed),
            "still_open": getattr(self, "still_open", self.opened - len(closed)),
            "closed_after_s": {"first": closed[0], "median": statistics.median(closed), "last": closed[-1]}
            if closed
            else None,
            "answers": self.answers,
        }


# ---------------------------------------------------------------- running


def preflight(url: str, deck: list[tuple[str, dict[str, Any]]]) -> None:
    """One request of each kind, alone: a deck the API refuses fails here, before any load. A 429 (the
    rate limiter of a previous run or of the warm-up) is waited out once."""
    import httpx

    seen: set[str] = set()
    with httpx.Client(base_url=url, timeout=60) as client:
        for question, body in deck:
            if question in seen:
                continue
            seen.add(question)
            headers = READER if question in PERSONAL else {}
            resp = client.post("/graphql", json=body, headers=headers)
            if resp.status_code == 429:
                time.sleep(float(resp.headers.get("retry-after", "1")))
                resp = client.post("/graphql", json=body, headers=headers)
            if resp.status_code != 200 or "errors" in resp.json():
                raise SystemExit(f"preflight {question}: HTTP {resp.status_code} {resp.text[:800]}")


def run_wrk(url: str, lua: Path, seconds: int, connections: int, args: argparse.Namespace) -> dict[str, Any]:
    cmd = ["wrk", "-t", str(args.threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", args.timeout]
    log(f"{' '.join(cmd)} ... ({seconds} s)")
    proc = subprocess.run([*cmd, "--latency", "-s", str(lua), f"{url}/graphql"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"wrk failed ({proc.returncode}): {proc.stderr[-2000:]}")
    if proc.stderr.strip():
        log(f"wrk stderr:\n{proc.stderr.strip()[:3000]}")
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"no RESULT line from wrk:\n{proc.stdout[-2000:]}")
    result: dict[str, Any] = json.loads(line[len("RESULT ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["command"] = " ".join(cmd)
    return result


def code_commit(checkout: str) -> str:
    git = ["git", "-C", checkout]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "graph_api", "cypher"], capture_output=True, text=True)
    return f"{head} of {checkout}" + (" + uncommitted changes in graph_api/ or cypher/" if dirty.stdout.strip() else "")


def classify(run: dict[str, Any]) -> dict[str, Any]:
    ok = rate_limited = saturated = 0
    other: dict[str, int] = {}
    for key, n in run["classes"].items():
        status, _, code = key.partition(" ")
        if key == "200 ok":
            ok += n
        elif status == "429" and code == "RATE_LIMITED":
            rate_limited += n
        elif code == SATURATED:
            saturated += n
        else:
            other[key] = n
    for kind, n in run["socket_errors"].items():
        if n:
            other[f"socket {kind}"] = n
    return {"ok": ok, "rate_limited": rate_limited, "saturated": saturated, "other": other}


def main() -> None:
    ap = arguments(__doc__, connections=200, duration=60, warmup=10)
    ap.add_argument("--warmup-connections", type=int, default=8, help="--warmup's seconds run at this many")
    ap.add_argument("--timeout", default="30s", help="wrk's; longer than the server's request timeout (20 s)")
    ap.add_argument("--code", help="serve another checkout's graph_api (another worktree) with this venv")
    ap.add_argument("--slowloris", type=int, default=50, help="slow-header sockets during the run (0: none)")
    ap.add_argument("--serve-env", action="append", default=[], metavar="KEY=VALUE", help="settings for serve")
    ap.add_argument(
        "--health-port", type=int, help="serve the health listener there too (GRAPH_API_HEALTH_PORT) and probe it"
    )
    args = ap.parse_args()
    setup = set_up(args, "saturation-bench-", LUA_CLASSES)
    env, workdir, lua, deck = setup.env, setup.workdir, setup.lua, setup.deck
    overrides = dict(kv.split("=", 1) for kv in args.serve_env)
    out: dict[str, Any] = {
        "city": setup.name,
        "counts": {k: v for k, v in graph_counts(env).items() if k in ("Entity", "Person", "Record", "Listing")},
        "machine": machine() | ({"commit": code_commit(args.code)} if args.code else {}),
        "args": vars(args),
        "serve_env": overrides,
        **setup.composition,
    }
    if args.health_port:
        overrides["GRAPH_API_HEALTH_PORT"] = str(args.health_port)
    serve_env = setup.serve_env(args.workers, overrides)
    with Serve(serve_env, workdir / "serve.log", workers=args.workers, pythonpath=args.code) as api:
        preflight(api.url, deck)
        idle = HealthProbe(api.port)
        idle.start()
        time.sleep(3)
        idle.stop()
        out["healthz_idle"] = idle.summary()
        if args.warmup:
            out["warmup"] = run_wrk(api.url, lua, args.warmup, args.warmup_connections, args)
        sampler = MemorySampler(api.proc.pid, every=1.0)
        probe = HealthProbe(api.port)
        # the health listener's port, probed side by side with the API's own /healthz
        side = HealthProbe(args.health_port) if args.health_port else None
        slow = SlowHeaders(api.port, args.slowloris)
        sampler.start()
        time.sleep(2)  # two memory samples before the load
        measured_from = time.monotonic() - sampler.t0
        probe.start()
        if side is not None:
            side.start()
        if args.slowloris:
            slow.start()
        out["loadavg_before"] = Path("/proc/loadavg").read_text().split()[:3]
        out["run"] = run_wrk(api.url, lua, args.duration, args.connections, args)
        measured_to = time.monotonic() - sampler.t0
        probe.stop()
        if side is not None:
            side.stop()
        if args.slowloris:
            slow.stop()
        time.sleep(5)  # and five seconds after it: does memory come back?
        sampler.stop()
        out["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    out["classes"] = classify(out["run"])
    out["healthz"] = probe.summary()
    out["healthz_listener"] = side.summary() if side is not None else None
    out["slowloris"] = slow.summary() if args.slowloris else None
    mem = sampler.samples
    measured = [(t, m) for t, m in mem if measured_from <= t <= measured_to]
    out["memory"] = {
        "samples": mem,
        "before_mib": mem[0][1],
        "min_mib": min(m for _, m in measured),
        "max_mib": max(m for _, m in measured),
        "start_mib": measured[0][1],
        "end_mib": measured[-1][1],
        "after_mib": mem[-1][1],
        "slope_mib_per_min": slope_per_minute(measured),
        # the first half holds the climb from idle to 200 requests in flight; a leak shows in the second too
        "second_half_slope_mib_per_min": slope_per_minute(measured[len(measured) // 2 :]),
        "points": len(measured),
    }
    out["misses"] = misses(out)
    md = markdown(out)
    print(md)
    if args.md_out:
        Path(args.md_out).write_text(md)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, indent=2, default=str))
    log(f"work files (deck, serve.log) in {workdir}")
    if out["misses"]:
        raise SystemExit("targets missed: " + "; ".join(out["misses"]))


def misses(out: dict[str, Any]) -> list[str]:
    found = []
    other = sum(out["classes"]["other"].values())
    if other:
        found.append(f"{other} answers outside 200/429/{SATURATED}")
    # A load balancer probes the health listener when there is one, the API's own /healthz otherwise.
    probed = out.get("healthz_listener") or out["healthz"]
    p99 = probed["p99_ms"]
    if p99 is None or p99 >= HEALTH_TARGET_P99_MS:
        found.append(f"/healthz p99 {_ms(p99)} ms")
    if out["slowloris"] and out["slowloris"]["still_open"]:
        found.append(f"{out['slowloris']['still_open']} slow-header sockets still open")
    return found


def _ms(v: float | None) -> str:
    return "—" if v is None else ("failed" if v == float("inf") else f"{v:.1f}")


def markdown(out: dict[str, Any]) -> str:
    a, mc, r, c, h, hi, m = (out[k] for k in ("args", "machine", "run", "classes", "healthz", "healthz_idle", "memory"))
    total = c["ok"] + c["rate_limited"] + c["saturated"] + sum(c["other"].values())
    lat = r["latency_us"]

    def share(n: int) -> str:
        return f"{100 * n / total:.1f} %" if total else "—"

    env = " ".join(f"{k}={v}" for k, v in out["serve_env"].items())
    command = (
        f".venv/bin/python bench/saturation_bench.py --city {a['city']} "
        f"--connections {a['connections']} --duration {a['duration']} --warmup {a['warmup']} "
        f"--workers {a['workers']} --slowloris {a['slowloris']}"
        + "".join(f" --serve-env {kv}" for kv in a["serve_env"])
        + (f" --health-port {a['health_port']}" if a["health_port"] else "")
        + (f" --code {a['code']}" if a["code"] else "")
    )
    lines = [
        f"- **When and where.** {mc['date']}, product commit `{mc['commit']}`; {mc['nproc']} cores ({mc['cpu']}); "
        f"load average {' '.join(mc['loadavg'])} at the start, {' '.join(out['loadavg_before'])} when the "
        f"measured run began, {' '.join(out['loadavg_after'])} after it.",
        f"- **The city.** `{out['city']}`: {out['counts']}.",
        f"- **The run.** `{r['command']}` for {a['duration']} s after {a['warmup']} s of warm-up at "
        f"{a['warmup_connections']} connections; `graph-api serve --workers {a['workers']}` in development "
        f"settings{', with ' + env if env else ''}; deck of {a['deck']} requests {out['deck']}.",
        f"- **Command.** `{command}`",
        "",
        f"| answers in the measured run ({total:,}, {r['rps']:.1f} per second) | count | share |",
        "|---|---:|---:|",
        f"| HTTP 200 without `errors` | {c['ok']:,} | {share(c['ok'])} |",
        f"| HTTP 429 `RATE_LIMITED` with `Retry-After` | {c['rate_limited']:,} | {share(c['rate_limited'])} |",
        f"| typed saturation `{SATURATED}` | {c['saturated']:,} | {share(c['saturated'])} |",
    ]
    lines += [f"| other: {k} | {n:,} | {share(n)} |" for k, n in sorted(c["other"].items())]
    other = sum(c["other"].values())
    lines += [
        f"| **outside 200 / 429 / saturation** (target 0) | **{other:,}** | {share(other)} |",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| latency of all answers p50 / p90 / p99 / max | {lat['p50'] / 1000:.0f} / {lat['p90'] / 1000:.0f} / "
        f"{lat['p99'] / 1000:.0f} / {lat['max'] / 1000:.0f} ms | |",
        f"| `/healthz` under load, every 100 ms on a new connection: probes, failures | {h['probes']}, "
        f"{sum(h['failures'].values())}{' ' + str(h['failures']) if h['failures'] else ''} | 0 failures |",
        f"| **`/healthz` under load p50 / p90 / p99 / max** | {_ms(h['p50_ms'])} / {_ms(h['p90_ms'])} / "
        f"**{_ms(h['p99_ms'])}** / {_ms(h['max_ms'])} ms | p99 < {HEALTH_TARGET_P99_MS:.0f} ms |",
        f"| `/healthz` idle (3 s before the load) p50 / p99 | {_ms(hi['p50_ms'])} / {_ms(hi['p99_ms'])} ms | |",
        *(
            [
                f"| **health listener `:{a['health_port']}/healthz` under load p50 / p90 / p99 / max** (failures "
                f"{sum(hl['failures'].values())}) | {_ms(hl['p50_ms'])} / {_ms(hl['p90_ms'])} / "
                f"**{_ms(hl['p99_ms'])}** / {_ms(hl['max_ms'])} ms | p99 < {HEALTH_TARGET_P99_MS:.0f} ms |"
            ]
            if (hl := out.get("healthz_listener"))
            else []
        ),
        f"| **API memory (RSS) during the run**: min – max | {m['min_mib']:.1f} – {m['max_mib']:.1f} MiB | flat |",
        f"| API memory slope over the run ({m['points']} samples, one a second) | "
        f"{m['slope_mib_per_min']:+.2f} MiB/min; second half {m['second_half_slope_mib_per_min']:+.2f} MiB/min | ≈ 0 |",
        f"| API memory before / at start / at end / 5 s after | {m['before_mib']:.1f} / {m['start_mib']:.1f} / "
        f"{m['end_mib']:.1f} / {m['after_mib']:.1f} MiB | |",
    ]
    s = out["slowloris"]
    if s:
        after = s["closed_after_s"]
        when = (
            f", after {after['first']:.1f} s (first) / {after['median']:.1f} s (median) / {after['last']:.1f} s (last)"
            if after
            else ""
        )
        lines.append(
            f"| slow-header sockets (one header line every 10 s): opened / closed by the server / still open at "
            f"the end | {s['opened']} / {s['closed_by_server']}{when} / **{s['still_open']}**"
            f"{' (refused ' + str(s['refused']) + ')' if s['refused'] else ''}"
            f"{' answers ' + str(s['answers']) if s['answers'] else ''} | 0 open |"
        )
    lines += ["", "**Verdict:** " + ("all targets met." if not out["misses"] else "; ".join(out["misses"]) + ".")]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
