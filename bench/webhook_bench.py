#!/usr/bin/env python3
"""Webhook delivery bench (issue 15, deliver 7: webhook delivery keeps up with 100 alerts/s).

    GRAPH_API_NEO4J_HOME=.neo4j/test GRAPH_API_NEO4J_BOLT_PORT=7802 GRAPH_API_NEO4J_PASSWORD=credit-graph-test \\
        .venv/bin/python bench/webhook_bench.py [--rate 100] [--seconds 30] [--batch 10]

Against the configured Neo4j (started if it is not running; nothing is wiped: the bench writes its own
department BENCH-HOOKS, one listed entity and the alerts). A local receiver (http.server, in a thread,
answering 200) is registered as the department's webhook through services/webhooks.py; `graph-api deliver
webhooks` runs as its own process (the deployment's shape); this process raises REAPPEARANCE alerts to the
department through the one statement that raises alerts (alerts_raise), `--batch` per write transaction, at
`--rate` alerts a second for `--seconds`: a transaction is started every batch/rate seconds, up to `--writers`
of them in flight (one at a time, the raising side measured its own commit latency, not the dispatcher's
speed: 10 alerts a transaction at ~300 ms a commit under load is 30/s at most). The dispatcher runs with
`--concurrency` POSTs in flight per webhook (GRAPH_API_WEBHOOK_CONCURRENCY; a dispatcher without the setting
ignores it). Reported: alerts raised, delivered (each alert once: duplicates
counted), the rate raised and delivered over the run, and the lag from each alert's commit (its createdAt)
to its arrival at the receiver, p50 and p99. Markdown on stdout."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("GRAPH_API_WEBHOOK_ALLOWED_NETWORKS", '["127.0.0.1/32"]')

from graph_api.domain import alerts  # noqa: E402  (the allow-list is set before the settings are read)
from graph_api.domain.actor import Actor  # noqa: E402
from graph_api.domain.paths import ENTITY, Node  # noqa: E402
from graph_api.ops import neo4j_server  # noqa: E402
from graph_api.services import webhooks  # noqa: E402
from graph_api.services.unit_of_work import Store, Tx, write  # noqa: E402
from graph_api.services.watch_alerts import raise_alerts  # noqa: E402
from graph_api.settings import get_settings  # noqa: E402
from graph_api.store.db import async_driver, sync_driver  # noqa: E402
from graph_api.store.migrations import apply_schema  # noqa: E402

DEPT, USCC, LISTING = "BENCH-HOOKS", "91370200MA00BENCH9", "BENCH-HOOKS-L1"
GRAPH_API = str(Path(sys.executable).parent / "graph-api")
SETUP = """
MERGE (d:Department {code: $dept}) ON CREATE SET d.name = '基准测试局', d.region = '370200'
MERGE (e:Entity {uscc: $uscc}) ON CREATE SET e.name = '青岛基准商贸有限公司', e.status = 'ACTIVE'
MERGE (l:Listing {id: $listing}) ON CREATE SET l.list = 'JOINT_PUNISHMENT', l.status = 'ACTIVE'
MERGE (e)-[:LISTED_ON]->(l)
MERGE (l)-[:DECIDED_BY]->(d)
"""


class Receiver:
    """Arrivals are keyed by (webhook path, alert id): each webhook receives every alert once."""

    def __init__(self, delay: float = 0.0) -> None:
        self.arrivals: dict[tuple[str, str], list[float]] = {}
        self.created: dict[str, str] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver; http.server's default 1.0 closes each

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                now = time.time()
                alert = json.loads(body)["alert"]
                with receiver.lock:
                    receiver.arrivals.setdefault((self.path, alert["id"]), []).append(now)
                    receiver.created[alert["id"]] = alert["createdAt"]
                time.sleep(delay)  # a receiver across a network, doing its own work before it answers
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            # a listen backlog like a real server's: http.server's 5 dropped SYNs when two dispatchers opened
            # 16 connections at once, each dropped one retried by the kernel a second later
            request_queue_size = 128

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"  # + the webhook's number
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


async def main(args: argparse.Namespace) -> None:
    settings = get_settings()
    if settings.managed_neo4j:
        neo4j_server.ensure_running(settings)
    with sync_driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        driver.execute_query(SETUP, dept=DEPT, uscc=USCC, listing=LISTING, database_=settings.neo4j_database)
    load_before = os.getloadavg()
    receiver = Receiver(args.receiver_delay)
    officer = Actor(user="bench-officer", role="OFFICER", department=DEPT)
    adriver = async_driver(settings)
    store = Store(adriver, settings.neo4j_database)
    made = [
        await webhooks.register(store, officer, webhooks.WebhookRequest(url=f"{receiver.url}{n}"))
        for n in range(args.webhooks)
    ]
    env = {
        **os.environ,
        "GRAPH_API_WEBHOOK_POLL_INTERVAL": str(args.poll),
        "GRAPH_API_WEBHOOK_CONCURRENCY": str(args.concurrency),
        "GRAPH_API_LOG_LEVEL": "WARNING",
    }
    # each dispatcher its own process, as a deployment's replicas: the leases share the webhooks between them
    dispatchers = [subprocess.Popen([GRAPH_API, "deliver", "webhooks"], env=env) for _ in range(args.dispatchers)]
    cpu: dict[int, float] = {}
    node = Node(kind=ENTITY, key=USCC, name="青岛基准商贸有限公司")
    raised = 0
    in_flight: set[asyncio.Task[None]] = set()
    writers = asyncio.Semaphore(args.writers)

    async def raise_batch(first: int) -> None:
        causes = [
            alerts.cause(
                "REAPPEARANCE",
                USCC,
                alerts.record_path(node, {"id": f"R{first + i}", "category": "PENALTY"}),
                [f"R{first + i}"],
                listing=LISTING,
            )
            for i in range(args.batch if first >= 0 else 1)
        ]

        async def work(tx: Tx) -> None:
            await raise_alerts(tx, causes)

        try:
            await write(store, officer, "benchAlerts", work)
        finally:
            writers.release()

    try:
        # the clock starts once the dispatcher delivered a first alert: its start (imports, plans; seconds on
        # a loaded machine) is not delivery
        await writers.acquire()
        await raise_batch(-1)
        deadline = time.monotonic() + 120
        while len(receiver.arrivals) < args.webhooks and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        with receiver.lock:
            receiver.arrivals.clear()
            receiver.created.clear()
        cpu_before = {d.pid: _cpu_seconds(d.pid) for d in dispatchers}
        started = time.monotonic()
        interval = args.batch / args.rate
        tick = started
        while time.monotonic() - started < args.seconds:
            await writers.acquire()  # at most --writers transactions in flight: a slower commit delays the next
            task = asyncio.create_task(raise_batch(raised))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
            raised += args.batch
            tick += interval
            await asyncio.sleep(max(0.0, tick - time.monotonic()))
        await asyncio.gather(*in_flight)
        raise_seconds = time.monotonic() - started
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with receiver.lock:
                if len(receiver.arrivals) >= raised * args.webhooks:
                    break
            await asyncio.sleep(0.1)
        wall = time.monotonic() - started
        cpu = {d.pid: _cpu_seconds(d.pid) - cpu_before[d.pid] for d in dispatchers}
    finally:
        for d in dispatchers:
            d.terminate()
        for d in dispatchers:
            d.wait(timeout=30)
        for m in made:
            await webhooks.remove(store, officer, m.webhook["id"])
        await adriver.close()
    with receiver.lock:
        firsts = {k: v[0] for k, v in receiver.arrivals.items()}
        duplicates = sum(len(v) - 1 for v in receiver.arrivals.values())
        lags = [firsts[k] - dt.datetime.fromisoformat(receiver.created[k[1]]).timestamp() for k in firsts]
        # the lag by when the alert was raised, in 10 s windows: a stall once (a worker joining) or throughout
        windows: dict[int, list[float]] = {}
        first_created = min(dt.datetime.fromisoformat(c).timestamp() for c in receiver.created.values())
        for k, lag in zip(firsts, lags, strict=True):
            at = dt.datetime.fromisoformat(receiver.created[k[1]]).timestamp() - first_created
            windows.setdefault(int(at // 10), []).append(lag)
    busy = sum(cpu.values())
    print(
        "| rate asked | webhooks | dispatchers | alerts raised | raised/s | delivered | delivered/s (run) | "
        "duplicates | lag p50 | lag p99 | dispatcher CPU ms per delivery | CPU s per dispatcher |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    print(
        f"| {args.rate}/s | {args.webhooks} | {args.dispatchers} | {raised} | {raised / raise_seconds:.0f} | "
        f"{len(firsts)} | {len(firsts) / wall:.0f} | {duplicates} | {statistics.median(lags) * 1000:.0f} ms | "
        f"{_pct(lags, 0.99) * 1000:.0f} ms | {busy * 1000 / max(1, len(firsts)):.2f} | "
        f"{', '.join(f'{c:.1f}' for c in cpu.values())} |"
    )
    print(
        "\nlag p99 by 10 s of raising: "
        + ", ".join(f"{w * 10}–{w * 10 + 10} s {_pct(v, 0.99) * 1000:.0f} ms" for w, v in sorted(windows.items()))
    )
    print(
        f"\nload average (1/5/15 min) before {load_before}, after {os.getloadavg()}; writers {args.writers}, "
        f"batch {args.batch}, dispatcher concurrency {args.concurrency}, receiver delay {args.receiver_delay} s"
    )


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process so far (/proc/<pid>/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=100.0, help="alerts raised per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long alerts are raised")
    parser.add_argument("--batch", type=int, default=10, help="alerts per raising transaction")
    parser.add_argument("--receiver-delay", type=float, default=0.0, help="seconds the receiver takes to answer")
    parser.add_argument("--writers", type=int, default=4, help="raising transactions in flight at most")
    parser.add_argument("--concurrency", type=int, default=8, help="the dispatcher's POSTs in flight per webhook")
    parser.add_argument("--webhooks", type=int, default=1, help="webhooks of the department (each gets every alert)")
    parser.add_argument("--dispatchers", type=int, default=1, help="`graph-api deliver webhooks` processes")
    parser.add_argument("--poll", type=float, default=0.1, help="the dispatcher's idle poll interval (seconds)")
    asyncio.run(main(parser.parse_args()))
