#!/usr/bin/env python3
"""Read benchmark: the linkage questions over HTTP and the same Cypher on the driver, on generated cities.

    # build a city (seed -> CSV -> neo4j-admin -> start -> db migrate), once per city
    .venv/bin/python bench/read_bench.py load --entities 10000 --home .neo4j/city10k --port 7692 \\
        --heap 1g --pagecache 1g
    .venv/bin/python bench/read_bench.py load --entities 1000000 --home .neo4j/city1m --port 7693 \\
        --heap 4g --pagecache 6g

    # measure both cities in one invocation (the cities' servers must be running)
    .venv/bin/python bench/read_bench.py run --city 10k=.neo4j/city10k:7692 --city 1m=.neo4j/city1m:7693 \\
        [--samples 200] [--requests 600] [--warmup 50] [--variant NAME=CHECKOUT] [--json-out F] [--md-out F]

    # PROFILE the statements for some of the same subjects
    .venv/bin/python bench/read_bench.py profile --city 1m=.neo4j/city1m:7693 [--questions listing paths]

    # compare two homes question by question (the bulk path against the importer)
    .venv/bin/python bench/read_bench.py compare --a .neo4j/ref10k:7695 --b .neo4j/city10k:7692 [--samples 40]

`load` writes the interchange file with `graph-api seed --entities N --seed 20240501` (deterministic), turns
it into neo4j-admin CSV files with `jsonl_to_csv` of bench/import_bench.py (the importer's own parsing and
fact building, so the graph has the importer's properties), loads them with `admin_import` into a stopped
home (created by `ensure_bulk_home`), starts the server and runs `graph-api db migrate` (constraints, indexes,
the measure catalogue; it waits for the indexes to come online). Loading 1,000,000 entities through
`graph-api import` would take about an hour on the 2-core bench machine; this takes a fraction of it.

`run`, per city: starts `graph-api serve` on a free port (development settings: production refuses the
development keys the generated city's identity numbers are hashed with), as an investigator stating a
purpose (person lookups need both), pointed at the city, picks sample subjects deterministically
(`random.Random(--seed)` over key lists sorted in Cypher), then for each question:

- entity      `entity(uscc)` with first pages of roles, holders, holdings,   -> entity_view + 6 pages
              records, listings, branches
- exposure    `exposure(subject: {idNumber})` of persons listed or bound by  -> person_by_hash + exposure_person
              a listing
- listing     `listingImpact(listing, maxHops: 2)`                           -> listing_impact
- controllers `controllers(uscc)` of entities with holders                   -> ownership_upstream
- paths       `paths(from, to, maxHops: 4)` between parties 1-4 hops apart   -> shortest_paths

warms up (--warmup requests over HTTP and as many on the driver), then measures --requests requests,
each one timed over HTTP (httpx, one client, keep-alive, sequential) and, right after it, the same
statement(s) with the same parameters the resolver passes timed on the neo4j driver (the async driver,
`execute_query` with READ routing, as the service's Context.read does; a root field that runs two
statements runs both). Both sides consume the full result. With --variant NAME=CHECKOUT a second
`graph-api serve` runs the graph_api package and cypher/ of another checkout (PYTHONPATH, same venv)
and is timed in the same rotation, so a change can be measured side by side under the same load.
Reports p50/p99 per question and city, the API/driver ratio of p50 and p99, and the p50 ratio of the
last city to the first. Markdown on stdout (and --md-out), raw timings as JSON (--json-out).

`compare` asks the same GraphQL questions of two running homes (through two `graph-api serve`
processes) and reports every answer that differs; it also compares all node and relationship
properties (except the per-write `recordedAt` and the randomly salted `idCipher`) in bulk.

The servers are left running; stop them with `graph-api neo4j stop` and the same GRAPH_API_NEO4J_HOME /
GRAPH_API_NEO4J_BOLT_PORT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import (  # noqa: E402  (bench/ is not a package)
    GRAPH_API,
    PROTECTED_PORTS,
    admin_import,
    check,
    ensure_bulk_home,
    graph_counts,
    jsonl_to_csv,
    log,
    machine,
    settings_for,
)

PROTECTED = PROTECTED_PORTS | {7689}  # 7689 is the import bench's server
SEED = 20240501
AS_OF = "2026-06-30"  # the seed's default as-of day: every question is asked as of this date


def city_env(home: str, port: str, heap: str = "1g", pagecache: str = "1g") -> dict[str, str]:
    if int(port) in PROTECTED:
        raise SystemExit(f"refusing to use Bolt port {port}: not a bench server")
    env = dict(os.environ)
    for k in ("NEO4J_URI", "GRAPH_API_NEO4J_URI"):
        env.pop(k, None)
    env.update(
        GRAPH_API_NEO4J_HOME=str(Path(home).resolve()),
        GRAPH_API_NEO4J_BOLT_PORT=str(port),
        GRAPH_API_NEO4J_HEAP=heap,
        GRAPH_API_NEO4J_PAGECACHE=pagecache,
    )
    return env


def parse_city(spec: str) -> tuple[str, str, str]:
    name, _, rest = spec.partition("=")
    home, _, port = rest.rpartition(":")
    if not (name and home and port.isdigit()):
        raise SystemExit(f"--city {spec!r}: expected NAME=HOME:PORT")
    return name, home, port


# ---------------------------------------------------------------- load


def cmd_load(args: argparse.Namespace) -> None:
    env = city_env(args.home, args.port, args.heap, args.pagecache)
    workdir = Path(args.workdir or ROOT / "var" / f"load-{Path(args.home).name}")
    workdir.mkdir(parents=True, exist_ok=True)
    jsonl = Path(args.jsonl) if args.jsonl else workdir / f"city-{args.entities}.jsonl"
    timings: dict[str, float] = {}
    if not jsonl.exists():
        t0 = time.perf_counter()
        check([GRAPH_API, "seed", "--entities", str(args.entities), "--seed", str(args.seed), "--out", str(jsonl)], env)
        timings["seed_s"] = time.perf_counter() - t0
        log(f"seeded {jsonl} in {timings['seed_s']:.1f} s")
    saved = workdir / "csv" / "conversion.json"
    if args.reuse_csv and saved.exists():  # a conversion finished before (e.g. the admin import failed after it)
        conv = json.loads(saved.read_text())
        timings["csv_s"] = conv["csv_s"]
    else:
        t0 = time.perf_counter()
        conv = jsonl_to_csv(jsonl, workdir / "csv")
        timings["csv_s"] = conv["csv_s"] = time.perf_counter() - t0
        saved.write_text(json.dumps(conv))
    log(
        f"CSV in {timings['csv_s']:.1f} s: {conv['lines']:,} lines, rows {conv['rows']}, duplicates "
        f"{conv['duplicates_dropped']} ({conv['conflicting_duplicates']} conflicting), left out {conv['rejected']}"
    )
    if conv["conflicting_duplicates"] or conv["rejected"]:
        raise SystemExit("the file has lines the importer would reject or update: the bulk graph would differ")
    ensure_bulk_home(env)
    res = admin_import(env, conv["args"], workdir, "city", args.admin_heap, args.admin_off_heap)
    timings["admin_import_s"] = res["wall_s"]
    log(f"neo4j-admin import: {res['wall_s']:.1f} s")
    t0 = time.perf_counter()
    check([GRAPH_API, "neo4j", "start"], env)
    timings["start_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    check([GRAPH_API, "db", "migrate"], env)  # constraints, indexes, catalogue; waits for indexes ONLINE
    timings["migrate_s"] = time.perf_counter() - t0
    counts = graph_counts(env)
    log(f"started in {timings['start_s']:.1f} s, migrated in {timings['migrate_s']:.1f} s; counts {counts}")
    out = {
        "home": env["GRAPH_API_NEO4J_HOME"],
        "port": args.port,
        "jsonl": str(jsonl),
        "lines": conv["lines"],
        "csv_rows": conv["rows"],
        "timings": timings,
        "counts": counts,
        "machine": machine(),
    }
    (workdir / "load.json").write_text(json.dumps(out, indent=2, default=str))
    print(json.dumps(out, indent=2, default=str))


# ---------------------------------------------------------------- the questions

PATH = "path { nodes { kind key name } steps { relation fromKey toKey since until ratio } text }"
PERSON = "name idNumberMasked idType"
DEPT = "department { code name region }"
LISTING_SUMMARY = f"listing {{ id list since until {DEPT} }}"
MEASURE = "code name nameZh kind binds scenarios"

GQL = {
    "entity": f"""query Entity($uscc: USCC!) {{ entity(uscc: $uscc) {{
      uscc name form status region industry established registeredCapital address
      roles {{ totalCount nodes {{ role since until person {{ {PERSON} }} }} }}
      holders {{ totalCount nodes {{ ratio since until entity {{ uscc name }} person {{ {PERSON} }} }} }}
      holdings {{ totalCount nodes {{ ratio since until entity {{ uscc name }} }} }}
      records {{ totalCount nodes {{
        id: recordId category polarity severity decisionNo decidedOn publishedOn summary disclosure status {DEPT} }} }}
      listings {{ totalCount nodes {{ id: listingId list since until status {DEPT} basis measures {{ {MEASURE} }} }} }}
      parent {{ uscc name }} branches {{ totalCount nodes {{ uscc name }} }} }} }}""",
    "exposure": f"""query Exposure($id: String!, $asOf: Date) {{ exposure(subject: {{idNumber: $id}}, asOf: $asOf) {{
      subject {{ kind key name }} asOf
      bindings {{ kind {LISTING_SUMMARY} role via {{ uscc name }} windowStart measures {{ {MEASURE} }} {PATH} }}
      measuresInForce {{ code }} }} }}""",
    "listing": f"""query Impact($listing: String!, $asOf: Date) {{
      listingImpact(listing: $listing, maxHops: 2, asOf: $asOf) {{
      {LISTING_SUMMARY} subject {{ kind key name }} asOf inForce windowStart
      boundPersons {{ person {{ {PERSON} }} personKey role since until bound current {PATH} }}
      currentRepresentatives {{ person {{ {PERSON} }} personKey role since until bound current {PATH} }}
      relatedEntities {{ entity {{ uscc name }} flags {{ reason {PATH} }} }} }} }}""",
    "controllers": f"""query Controllers($uscc: USCC!, $asOf: Date) {{ controllers(uscc: $uscc, asOf: $asOf) {{
      entity {{ uscc name }} asOf threshold declared {{ {PERSON} }}
      inferred {{ party {{ kind key name }} share
        paths {{ nodes {{ kind key name }} steps {{ relation fromKey toKey since until ratio }} text }} }}
      beneficialOwners {{ party {{ kind key name }} share
        paths {{ nodes {{ kind key name }} steps {{ relation fromKey toKey since until ratio }} text }} }} }} }}""",
    "paths": """query Paths($from: SubjectInput!, $to: SubjectInput!, $asOf: Date) {
      paths(from: $from, to: $to, maxHops: 4, asOf: $asOf) {
        nodes { kind key name } steps { relation fromKey toKey since until ratio } text } }""",
}


def _reader() -> dict[str, str]:
    """An investigator stating a purpose: reading persons by identity number needs both (README, Access)."""
    import datetime as _dt

    from graph_api.api.auth import Claims, issue_token
    from graph_api.settings import Settings

    token = issue_token(Settings(), Claims(user="read-bench", role="INVESTIGATOR"), _dt.timedelta(hours=12))
    return {"authorization": f"Bearer {token}", "x-purpose": "benchmark"}


READER = _reader()
QUESTIONS = ("entity", "exposure", "listing", "controllers", "paths")
LABELS = {
    "entity": "entity lookup `entity(uscc)`",
    "exposure": "person exposure `exposure(subject: {idNumber})`",
    "listing": "listing impact `listingImpact(maxHops: 2)`",
    "controllers": "controllers `controllers(uscc)`",
    "paths": "paths `paths(from, to, maxHops: 4)`",
}


def subject_input(party: dict[str, str]) -> dict[str, str]:
    return {"uscc": party["uscc"]} if "uscc" in party else {"idNumber": party["idNumber"]}


def http_variables(question: str, subject: Any) -> dict[str, Any]:
    if question == "entity":
        return {"uscc": subject}
    if question == "exposure":
        return {"id": subject["idNumber"], "asOf": AS_OF}
    if question == "listing":
        return {"listing": subject, "asOf": AS_OF}
    if question == "controllers":
        return {"uscc": subject, "asOf": AS_OF}
    return {"from": subject_input(subject[0]), "to": subject_input(subject[1]), "asOf": AS_OF}


def driver_calls(question: str, subject: Any) -> list[tuple[str, dict[str, Any]]]:
    """The statements and parameters the resolver sends for this request (graph_api/gql/*.py)."""
    from graph_api.store.cypher_loader import queries

    as_of = dt.date.fromisoformat(AS_OF)
    if question == "entity":  # schema.CoreQueries.entity, then views.Entity's six pages (first 20, default order)
        page = {"keys": [subject], "after": None, "limit": 20}
        visible = {"disclosures": ["PUBLIC", "SHARED", "RESTRICTED"], "ownKey": None, "ownDepartment": None}
        return [
            (queries.entity_view, {"keys": [subject]}),
            (
                queries.entity_roles_page,
                {**page, "roles": None, "activeOn": None, "orderField": "SINCE", "descending": True},
            ),
            (
                queries.entity_holders_page,
                {**page, "activeOn": None, "minRatio": None, "orderField": "RATIO", "descending": True},
            ),
            (
                queries.subject_holdings_page,
                {**page, "activeOn": None, "minRatio": None, "orderField": "RATIO", "descending": True},
            ),
            (
                queries.subject_records_page,
                {
                    **page,
                    "categories": None,
                    "severities": None,
                    "statuses": None,
                    "decidedFrom": None,
                    "decidedTo": None,
                    "orderField": "DECIDED_ON",
                    "descending": True,
                    **visible,
                },
            ),
            (
                queries.subject_listings_page,
                {**page, "lists": None, "statuses": None, "activeOn": None, "orderField": "SINCE", "descending": True},
            ),
            (queries.entity_branches_page, page),
        ]
    if question == "exposure":  # linkage.load_exposure, person branch: two reads (the API also appends its audit entry)
        return [
            (queries.person_by_hash, {"keys": [subject["idHash"]]}),
            (queries.exposure_person, {"idHash": subject["idHash"], "asOf": as_of}),
        ]
    if question == "listing":  # schema.CoreQueries.listing_impact
        return [(queries.listing_impact, {"listingId": subject, "maxHops": 2, "asOf": as_of})]
    if question == "controllers":  # schema.CoreQueries.controllers
        return [(queries.ownership_upstream, {"uscc": subject, "asOf": as_of})]
    a, b = subject  # discovery.DiscoveryQueries.paths with inputs.subject_params
    return [
        (
            queries.shortest_paths,
            {
                "maxHops": 4,
                "asOf": as_of,
                "limit": 10,
                "fromEntity": a.get("uscc"),
                "fromPerson": a.get("idHash"),
                "toEntity": b.get("uscc"),
                "toPerson": b.get("idHash"),
            },
        )
    ]


# ---------------------------------------------------------------- samples

VALID = "(r.since IS NULL OR r.since <= $asOf) AND (r.until IS NULL OR r.until > $asOf)"
PATH_TYPES = "LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|DIRECTOR|SUPERVISOR|MANAGER|HOLDS|BRANCH_OF"


async def pick_samples(driver: Any, database: str, n: int, seed: int, protector: Any) -> dict[str, list[Any]]:
    """Deterministic samples: keys are listed in a fixed order by Cypher, then random.Random(seed) picks."""

    async def keys(statement: str, **params: Any) -> list[Any]:
        res = await driver.execute_query(statement, params, database_=database, routing_="r")
        return [r.data() for r in res.records]

    rng = random.Random(seed)

    def person(row: dict[str, Any]) -> dict[str, str]:
        return {"idHash": row["idHash"], "idNumber": protector.decrypt(row["idCipher"])}

    async def persons(hashes: list[str]) -> list[dict[str, Any]]:
        rows = await keys(
            "UNWIND $hs AS h MATCH (p:Person {idHash: h}) RETURN p.idHash AS idHash, p.idCipher AS idCipher", hs=hashes
        )
        by_hash = {r["idHash"]: r for r in rows}
        return [by_hash[h] for h in hashes]

    # `IS NOT NULL` lets the planner read keys in order from the unique index instead of scanning and sorting
    entities = [r["k"] for r in await keys("MATCH (e:Entity) WHERE e.uscc IS NOT NULL RETURN e.uscc AS k ORDER BY k")]
    # only the keys travel for the whole set; the ciphertexts of the chosen few are fetched afterwards
    exposed = [
        r["k"]
        for r in await keys("""
        CALL () {
          MATCH (p:Person)-[:LISTED_ON]->(:Listing) RETURN p
          UNION
          MATCH (p:Person)-[:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(:Entity)-[:LISTED_ON]->(:Listing)
          RETURN p
        }
        RETURN p.idHash AS k ORDER BY k""")
    ]
    listings = [r["k"] for r in await keys("MATCH (l:Listing) WHERE l.id IS NOT NULL RETURN l.id AS k ORDER BY k")]
    held = [
        r["k"]
        for r in await keys(
            "MATCH (e:Entity) WHERE e.uscc IS NOT NULL AND EXISTS { ()-[:HOLDS]->(e) } RETURN e.uscc AS k ORDER BY k"
        )
    ]
    samples: dict[str, list[Any]] = {
        "entity": rng.sample(entities, min(n, len(entities))),
        "exposure": [person(r) for r in await persons(rng.sample(exposed, min(n, len(exposed))))],
        "listing": rng.sample(listings, min(n, len(listings))),
        "controllers": rng.sample(held, min(n, len(held))),
    }
    # Pairs at distance <= 4: a random walk of 1-4 steps over the relationships the paths question follows,
    # valid on the as-of day, from a random entity or a random person with a role or shares at a random
    # entity (so that no list of all persons is needed); the shortest path
    # between the ends is then at most the walk's length.
    people_at = f"""MATCH (p:Person)-[:{PATH_TYPES}]->(:Entity {{uscc: $uscc}})
                    RETURN DISTINCT p.idHash AS idHash, p.idCipher AS idCipher ORDER BY idHash"""
    pairs: list[Any] = []
    step_q = f"""CALL () {{ MATCH (x:Entity {{uscc: $key}}) RETURN x UNION MATCH (x:Person {{idHash: $key}}) RETURN x }}
                 MATCH (x)-[r:{PATH_TYPES}]-(y) WHERE {VALID}
                 RETURN DISTINCT coalesce(y.uscc, y.idHash) AS k, y.uscc AS uscc, y.idHash AS idHash,
                                 y.idCipher AS idCipher
                 ORDER BY k"""
    attempts = 0
    while len(pairs) < n and attempts < 20 * n:
        attempts += 1
        start = {"uscc": rng.choice(entities)}
        key = start["uscc"]
        if rng.random() < 0.5:  # a person with a role or shares at a random entity
            people = await keys(people_at, uscc=key)
            if not people:
                continue
            start = person(rng.choice(people))
            key = start["idHash"]
        length, at, seen = rng.randint(1, 4), key, {key}
        end = None
        for _ in range(length):
            nxt = [r for r in await keys(step_q, key=at, asOf=dt.date.fromisoformat(AS_OF)) if r["k"] not in seen]
            if not nxt:
                break
            end = rng.choice(nxt)
            at = end["k"]
            seen.add(at)
        if end is None:
            continue
        other = {"uscc": end["uscc"]} if end["uscc"] else person(end)
        pairs.append((start, other, length))
    samples["paths"] = [(a, b) for a, b, _ in pairs]
    samples["_paths_walk_lengths"] = [w for _, _, w in pairs]
    return samples


# ---------------------------------------------------------------- serving


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """`graph-api serve` on a free port, pointed at one city."""

    def __init__(
        self,
        env: dict[str, str],
        logfile: Path,
        environment: str = "development",
        pythonpath: str | None = None,
        workers: int = 1,
    ):
        self.port = free_port()
        self.workers = workers
        self.env = {
            **env,
            "GRAPH_API_ENVIRONMENT": environment,
            "GRAPH_API_HOST": "127.0.0.1",
            "GRAPH_API_PORT": str(self.port),
        }
        if pythonpath:  # serve another checkout's graph_api (and its cypher/) with this venv
            self.env["PYTHONPATH"] = str(Path(pythonpath).resolve())
        self.logfile = logfile
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Serve:
        import httpx

        self.log = open(self.logfile, "wb")
        self.proc = subprocess.Popen(
            [GRAPH_API, "serve", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"graph-api serve exited {self.proc.returncode}; see {self.logfile}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"graph-api serve not ready after 120 s; see {self.logfile}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: Any) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


# ---------------------------------------------------------------- measuring


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))
    return s[int(k)]


async def measure_city(name: str, env: dict[str, str], args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    import httpx
    import neo4j

    from graph_api.settings import Settings
    from graph_api.store.db import async_driver
    from graph_api.store.pii import IdProtector

    s = settings_for(env)
    protector = IdProtector.from_settings(Settings())
    out: dict[str, Any] = {
        "name": name,
        "home": env["GRAPH_API_NEO4J_HOME"],
        "port": env["GRAPH_API_NEO4J_BOLT_PORT"],
        "questions": {},
    }
    driver = async_driver(s)
    try:
        out["counts"] = graph_counts(env)
        t0 = time.perf_counter()
        samples = await pick_samples(driver, s.neo4j_database, args.samples, args.seed, protector)
        out["sampling_s"] = time.perf_counter() - t0
        out["walk_lengths"] = samples.pop("_paths_walk_lengths")
        log(f"{name}: samples { ({q: len(v) for q, v in samples.items()}) } in {out['sampling_s']:.1f} s")
        with contextlib.ExitStack() as stack:
            # the API under test, and optionally a variant (another checkout's graph_api) measured interleaved
            apis = {"api": stack.enter_context(Serve(env, workdir / f"serve-{name}.log"))}
            if args.variant:
                vname, _, vpath = args.variant.partition("=")
                apis[vname] = stack.enter_context(Serve(env, workdir / f"serve-{name}-{vname}.log", pythonpath=vpath))
                out["variant"] = {
                    "name": vname,
                    "pythonpath": vpath,
                    "commit": subprocess.run(
                        ["git", "-C", vpath, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
                    ).stdout.strip(),
                }
            clients = {
                k: stack.enter_context(
                    httpx.Client(
                        base_url=a.url, timeout=60, headers={"accept": "application/graphql-response+json", **READER}
                    )
                )
                for k, a in apis.items()
            }
            out["serve_ports"] = {k: a.port for k, a in apis.items()}

            def http_once(side: str, question: str, subject: Any) -> tuple[float, dict[str, Any], int]:
                body = {"query": GQL[question], "variables": http_variables(question, subject)}
                t = time.perf_counter()
                resp = clients[side].post("/graphql", json=body)
                payload = resp.json()  # the client reads the whole body
                elapsed = time.perf_counter() - t
                if resp.status_code != 200 or payload.get("errors") or not payload.get("data"):
                    raise SystemExit(
                        f"{name} {side} {question} {subject!r}: HTTP {resp.status_code} {str(payload)[:800]}"
                    )
                return elapsed, payload["data"], len(resp.content)

            async def driver_once(question: str, subject: Any) -> tuple[float, int]:
                rows = 0
                t = time.perf_counter()
                for statement, params in driver_calls(question, subject):
                    res = await driver.execute_query(
                        statement, params, database_=s.neo4j_database, routing_=neo4j.RoutingControl.READ
                    )
                    rows += len(res.records)
                return time.perf_counter() - t, rows

            sides = [*apis, "driver"]
            for question in QUESTIONS:
                subjects = samples[question]
                if not subjects:
                    log(f"{name} {question}: no subjects; skipped")
                    continue
                # warm-up: every subject once each way (plans cached, the subjects' pages in the page cache)
                for i in range(max(args.warmup, len(subjects))):
                    subject = subjects[i % len(subjects)]
                    for side in apis:
                        http_once(side, question, subject)
                    await driver_once(question, subject)
                order_rng = random.Random(f"{args.seed}-{question}")
                plan: list[int] = []
                while len(plan) < args.requests:
                    block = list(range(len(subjects)))
                    order_rng.shuffle(block)
                    plan.extend(block)
                plan = plan[: args.requests]
                times: dict[str, list[float]] = {side: [] for side in sides}
                sizes, rows, empty = [], [], 0
                for i, k in enumerate(plan):
                    subject = subjects[k]
                    # rotate which side goes first, so that none always finds the others' work in the caches
                    for side in sides[i % len(sides) :] + sides[: i % len(sides)]:
                        if side == "driver":
                            d, n_rows = await driver_once(question, subject)
                            times[side].append(d * 1000)
                            rows.append(n_rows)
                        else:
                            a, data, size = http_once(side, question, subject)
                            times[side].append(a * 1000)
                            if side == "api":
                                sizes.append(size)
                                empty += question == "paths" and not data["paths"]
                out["questions"][question] = {
                    "subjects": len(subjects),
                    "requests": len(plan),
                    "api_ms": times["api"],
                    "driver_ms": times["driver"],
                    **({"variant_ms": times[vname]} if args.variant else {}),
                    "response_bytes_median": statistics.median(sizes),
                    "response_bytes_max": max(sizes),
                    "driver_rows_median": statistics.median(rows),
                    "empty_answers": empty,
                }
                log(
                    f"{name} {question}: "
                    + "; ".join(f"{side} p50 {pct(t, 50):.1f} p99 {pct(t, 99):.1f} ms" for side, t in times.items())
                    + f"; median {statistics.median(sizes):.0f} B"
                )
    finally:
        await driver.close()
    return out


def fmt(v: float) -> str:
    return f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def markdown(results: dict[str, Any]) -> str:
    cities = results["cities"]
    lines = []
    m = results["machine"]
    lines.append(
        f"Machine: `nproc` {m['nproc']} ({m['cpu']}); load average {' '.join(m['loadavg'])} at start, "
        f"{' '.join(m.get('loadavg_end', []))} at end; {m['date']}; commit {m['commit']}.\n"
    )
    lines.append(
        "| question | city | API p50 ms | API p99 ms | driver p50 ms | driver p99 ms | API/driver p50 | "
        "API/driver p99 | response bytes (median) |"
    )
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for q in QUESTIONS:
        for c in cities:
            r = c["questions"].get(q)
            if not r:
                continue
            a50, a99, d50, d99 = (
                pct(r["api_ms"], 50),
                pct(r["api_ms"], 99),
                pct(r["driver_ms"], 50),
                pct(r["driver_ms"], 99),
            )
            lines.append(
                f"| {LABELS[q]} | {c['name']} | {fmt(a50)} | {fmt(a99)} | {fmt(d50)} | {fmt(d99)} | "
                f"{a50 / d50:.2f}× | {a99 / d99:.2f}× | {r['response_bytes_median']:,.0f} |"
            )
    if len(cities) >= 2:
        first, last = cities[0], cities[-1]
        lines.append("")
        lines.append(
            f"| question | API p50 {last['name']} / {first['name']} | driver p50 {last['name']} / {first['name']} |"
        )
        lines.append("|---|---:|---:|")
        for q in QUESTIONS:
            a, b = first["questions"].get(q), last["questions"].get(q)
            if a and b:
                lines.append(
                    f"| {LABELS[q]} | {pct(b['api_ms'], 50) / pct(a['api_ms'], 50):.2f}× | "
                    f"{pct(b['driver_ms'], 50) / pct(a['driver_ms'], 50):.2f}× |"
                )
    variants = [c for c in cities if c.get("variant")]
    if variants:
        v = variants[0]["variant"]
        lines.append("")
        lines.append(
            f"Variant `{v['name']}` ({v['pythonpath']} at {v['commit']}), measured interleaved with the API above:\n"
        )
        lines.append(
            "| question | city | API p50 ms | variant p50 ms | variant p99 ms | driver p50 ms | variant/driver p50 | "
            "variant/driver p99 | API p50 / variant p50 |"
        )
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for q in QUESTIONS:
            for c in variants:
                r = c["questions"].get(q)
                if not r or "variant_ms" not in r:
                    continue
                a50, v50, v99 = pct(r["api_ms"], 50), pct(r["variant_ms"], 50), pct(r["variant_ms"], 99)
                d50, d99 = pct(r["driver_ms"], 50), pct(r["driver_ms"], 99)
                lines.append(
                    f"| {LABELS[q]} | {c['name']} | {fmt(a50)} | {fmt(v50)} | {fmt(v99)} | {fmt(d50)} | "
                    f"{v50 / d50:.2f}× | {v99 / d99:.2f}× | {a50 / v50:.2f}× |"
                )
    lines.append("")
    for c in cities:
        counts = c["counts"]
        per_q = ", ".join(f"{q} {r['requests']} over {r['subjects']} subjects" for q, r in c["questions"].items())
        lines.append(
            f"- {c['name']}: {counts.get('Entity', 0):,} entities, {counts.get('Person', 0):,} persons, "
            f"{counts.get('Listing', 0):,} listings, {counts.get('HOLDS', 0):,} holdings; requests per question "
            f"{per_q}; "
            f"paths answered empty: {c['questions'].get('paths', {}).get('empty_answers', '—')}"
        )
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> None:
    workdir = Path(args.workdir or ROOT / "var" / "read-bench")
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "machine": machine(),
        "args": {k: str(v) for k, v in vars(args).items()},
        "as_of": AS_OF,
        "cities": [],
    }
    results["machine"]["free_m"] = subprocess.run(["free", "-m"], capture_output=True, text=True).stdout
    log(f"load average at start {' '.join(results['machine']['loadavg'])}")
    for spec in args.city:
        name, home, port = parse_city(spec)
        env = city_env(home, port)
        results["cities"].append(asyncio.run(measure_city(name, env, args, workdir)))
        results["machine"].setdefault("loadavg_after", {})[name] = Path("/proc/loadavg").read_text().split()[:3]
    results["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    results["machine"]["free_m_end"] = subprocess.run(["free", "-m"], capture_output=True, text=True).stdout
    json_out = Path(args.json_out or workdir / "results.json")
    json_out.write_text(json.dumps(results, indent=1, default=str))
    md = markdown(results)
    if args.md_out:
        Path(args.md_out).write_text(md + "\n")
    print(md)
    print(f"\nraw figures: {json_out}")


# ---------------------------------------------------------------- compare two homes


def _canon(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _canon(x) for k, x in sorted(v.items())}
    if isinstance(v, list):
        return [_canon(x) for x in v]
    if hasattr(v, "iso_format"):
        return v.iso_format()
    return v


def dump_graph(env: dict[str, str]) -> tuple[list[str], list[str]]:
    """Every node and relationship with its properties as canonical JSON, except the per-write
    `recordedAt`/`appliedAt` and the randomly salted `idCipher`."""
    import neo4j

    s = settings_for(env)
    skip = {"recordedAt", "appliedAt", "idCipher", "supersededAt"}
    key = "coalesce(n.uscc, n.idHash, n.code, n.id, n.name, n.category + '/' + coalesce(n.severity, ''))"
    with neo4j.GraphDatabase.driver(s.bolt_uri, auth=(s.neo4j_user, s.neo4j_password.get_secret_value())) as d:
        nodes, _, _ = d.execute_query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p", database_=s.neo4j_database)
        rels, _, _ = d.execute_query(
            f"MATCH (n)-[r]->(m) WITH r, {key} AS a, m AS n RETURN type(r) AS t, a, {key} AS b, properties(r) AS p",
            database_=s.neo4j_database,
        )
    out_n = sorted(
        json.dumps(
            [sorted(r["l"]), _canon({k: v for k, v in r["p"].items() if k not in skip})],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        for r in nodes
    )
    out_r = sorted(
        json.dumps(
            [r["t"], r["a"], r["b"], _canon({k: v for k, v in r["p"].items() if k not in skip})],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        for r in rels
    )
    return out_n, out_r


def _unordered(v: Any) -> Any:
    """The answer with every list sorted: equal when two answers differ only in the order of list items."""
    if isinstance(v, dict):
        return {k: _unordered(x) for k, x in v.items()}
    if isinstance(v, list):
        return sorted((_unordered(x) for x in v), key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    return v


def cmd_compare(args: argparse.Namespace) -> None:
    import collections

    workdir = Path(args.workdir or ROOT / "var" / "read-compare")
    workdir.mkdir(parents=True, exist_ok=True)
    envs = []
    for spec in (args.a, args.b):
        home, _, port = spec.rpartition(":")
        envs.append(city_env(home, port))
    report: dict[str, Any] = {}
    dumps = [dump_graph(e) for e in envs]
    for i, what in enumerate(("nodes", "relationships")):
        a, b = collections.Counter(dumps[0][i]), collections.Counter(dumps[1][i])
        only_a, only_b = list((a - b).elements()), list((b - a).elements())
        report[what] = {
            "a": sum(a.values()),
            "b": sum(b.values()),
            "only_a": len(only_a),
            "only_b": len(only_b),
            "examples_a": only_a[:5],
            "examples_b": only_b[:5],
        }
        log(f"{what}: a {sum(a.values()):,}, b {sum(b.values()):,}; only in a {len(only_a)}, only in b {len(only_b)}")
        for x in only_a[:3]:
            log(f"  only a: {x[:400]}")
        for x in only_b[:3]:
            log(f"  only b: {x[:400]}")

    async def answers(env: dict[str, str], tag: str, samples: dict[str, list[Any]] | None) -> tuple[dict, dict]:
        import httpx

        from graph_api.settings import Settings
        from graph_api.store.db import async_driver
        from graph_api.store.pii import IdProtector

        s = settings_for(env)
        driver = async_driver(s)
        try:
            if samples is None:
                samples = await pick_samples(
                    driver, s.neo4j_database, args.samples, args.seed, IdProtector.from_settings(Settings())
                )
                samples.pop("_paths_walk_lengths")
        finally:
            await driver.close()
        got: dict[str, list[Any]] = {}
        with Serve(env, workdir / f"serve-{tag}.log") as api:
            async with httpx.AsyncClient(base_url=api.url, timeout=120, headers=READER) as client:
                for q in QUESTIONS:
                    got[q] = []
                    for subject in samples[q]:
                        r = await client.post(
                            "/graphql", json={"query": GQL[q], "variables": http_variables(q, subject)}
                        )
                        got[q].append(r.json())
        return samples, got

    samples, got_a = asyncio.run(answers(envs[0], "a", None))
    _, got_b = asyncio.run(answers(envs[1], "b", samples))
    report["answers"] = {}
    for q in QUESTIONS:
        diff = [i for i, (x, y) in enumerate(zip(got_a[q], got_b[q], strict=True)) if x != y]
        unordered = [i for i in diff if _unordered(got_a[q][i]) != _unordered(got_b[q][i])]
        errors = sum(1 for x in got_a[q] + got_b[q] if x.get("errors"))
        nonempty = sum(1 for x in got_a[q] if json.dumps(x.get("data")).count("{") > 3)
        report["answers"][q] = {
            "asked": len(got_a[q]),
            "different": len(diff),
            "different_ignoring_list_order": len(unordered),
            "with_errors": errors,
        }
        log(
            f"{q}: {len(got_a[q])} answers, {len(diff)} different, {len(unordered)} different ignoring the order of "
            f"lists, {errors} with errors, {nonempty} non-trivial"
        )
        for i in (unordered or diff)[:2]:
            log(
                f"  differs for {samples[q][i]!r}:\n    a {json.dumps(got_a[q][i], ensure_ascii=False)[:600]}\n"
                f"    b {json.dumps(got_b[q][i], ensure_ascii=False)[:600]}"
            )
    (workdir / "compare.json").write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    print(
        json.dumps(
            {
                k: {kk: vv for kk, vv in v.items() if not kk.startswith("examples")} if k != "answers" else v
                for k, v in report.items()
            },
            indent=1,
        )
    )


# ---------------------------------------------------------------- PROFILE


def _walk(plan: dict[str, Any], depth: int = 0) -> list[tuple[int, str, int, int, str]]:
    out = [
        (
            depth,
            plan.get("operatorType", "?"),
            plan.get("dbHits", 0),
            plan.get("rows", 0),
            str(plan.get("args", {}).get("Details", ""))[:160],
        )
    ]
    for child in plan.get("children", []):
        out.extend(_walk(child, depth + 1))
    return out


def cmd_profile(args: argparse.Namespace) -> None:
    """PROFILE each question's statements for a few of the benchmark's own subjects: db hits and rows per
    operator, the plan of the most expensive subject printed."""
    from graph_api.settings import Settings
    from graph_api.store.db import async_driver
    from graph_api.store.pii import IdProtector

    name, home, port = parse_city(args.city)
    env = city_env(home, port)
    s = settings_for(env)

    async def go() -> None:
        driver = async_driver(s)
        try:
            samples = await pick_samples(
                driver, s.neo4j_database, args.samples, args.seed, IdProtector.from_settings(Settings())
            )
            samples.pop("_paths_walk_lengths")
            for q in args.questions or QUESTIONS:
                totals = []
                for subject in samples[q][: args.subjects]:
                    hits, plans = 0, []
                    for statement, params in driver_calls(q, subject):
                        res = await driver.execute_query(
                            "PROFILE " + statement, params, database_=s.neo4j_database, routing_="r"
                        )
                        ops = _walk(res.summary.profile)
                        hits += sum(o[2] for o in ops)
                        plans.append(ops)
                    totals.append((hits, subject, plans))
                totals.sort(key=lambda t: t[0])
                med = totals[len(totals) // 2][0]
                print(f"\n## {name} {q}: db hits median {med:,}, max {totals[-1][0]:,} over {len(totals)} subjects")
                for ops in totals[-1][2]:
                    print(f"plan of the most expensive subject {totals[-1][1]!r}:")
                    for depth, op, h, rows, details in ops:
                        print(f"  {'  ' * depth}{op} hits={h:,} rows={rows:,} {details}")
        finally:
            await driver.close()

    asyncio.run(go())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    ld = sub.add_parser("load", help="seed a city and bulk-load it into a home")
    ld.add_argument("--entities", type=int, required=True)
    ld.add_argument("--seed", type=int, default=SEED)
    ld.add_argument("--jsonl", help="an existing interchange file (default: seed one into the workdir)")
    ld.add_argument("--home", required=True)
    ld.add_argument("--port", required=True)
    ld.add_argument("--heap", default="1g")
    ld.add_argument("--pagecache", default="1g")
    ld.add_argument("--admin-heap", default="2g")
    ld.add_argument("--admin-off-heap", default="4g")
    ld.add_argument("--workdir")
    ld.add_argument("--reuse-csv", action="store_true", help="reuse the CSV files of an earlier conversion")
    rn = sub.add_parser("run", help="measure the questions on running cities")
    rn.add_argument("--city", action="append", required=True, help="NAME=HOME:PORT (repeat; the first is the baseline)")
    rn.add_argument("--samples", type=int, default=200, help="subjects per question")
    rn.add_argument("--requests", type=int, default=600, help="measured requests per question and city")
    rn.add_argument("--warmup", type=int, default=50, help="warm-up requests (at least one per subject)")
    rn.add_argument("--seed", type=int, default=SEED)
    rn.add_argument(
        "--variant",
        help="NAME=CHECKOUT: also serve the graph_api (and cypher/) of another checkout "
        "with this venv, measured interleaved with the API under test",
    )
    rn.add_argument("--workdir")
    rn.add_argument("--json-out")
    rn.add_argument("--md-out")
    cp = sub.add_parser("compare", help="same answers and same properties in two homes?")
    cp.add_argument("--a", required=True, help="HOME:PORT")
    cp.add_argument("--b", required=True, help="HOME:PORT")
    cp.add_argument("--samples", type=int, default=40)
    cp.add_argument("--seed", type=int, default=SEED)
    cp.add_argument("--workdir")
    pf = sub.add_parser("profile", help="PROFILE the questions' statements on a running city")
    pf.add_argument("--city", required=True, help="NAME=HOME:PORT")
    pf.add_argument("--questions", nargs="*", choices=QUESTIONS)
    pf.add_argument("--samples", type=int, default=200)
    pf.add_argument("--subjects", type=int, default=20, help="subjects profiled per question")
    pf.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    {"load": cmd_load, "run": cmd_run, "compare": cmd_compare, "profile": cmd_profile}[args.cmd](args)


if __name__ == "__main__":
    main()
