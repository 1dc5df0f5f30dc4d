#!/usr/bin/env python3
"""Peer benchmark (issue 13): this service against @neo4j/graphql on Apollo Server (bench/peer/), over the same
Neo4j city, with the same load generator, and the driver floor (one Cypher statement per question on the
Python driver alone).

    # once: the peer's packages (bench/peer/README.md) and a city (BENCHMARKS.md section 5)
    (cd bench/peer && npm ci)
    .venv/bin/python bench/read_bench.py load --entities 100000 --home $PWD/var/city100k --port 7707 ...
    # the city's Neo4j must be running; both servers are started and stopped by this script
    .venv/bin/python bench/peer_bench.py run --city 100k=$PWD/var/city100k:7707 [--samples 50] [--rounds 3] \\
        [--duration 5] [--connections 1 8 32] [--questions holders tree search firms] [--md-out F] [--json-out F]
    # where our service's time goes on one question (py-spy must be installed in the venv)
    .venv/bin/python bench/peer_bench.py profile --city 100k=$PWD/var/city100k:7707 --question holders [--seconds 30]
    .venv/bin/python bench/peer_bench.py summarise var/peer-bench/profile-holders.txt   # its tables again

The questions, each asked for the same sample of keys (random.Random(--seed) over keys sorted in Cypher):

  holders  an entity with its legal representatives and its holders (persons or entities), with since/until/ratio
  tree     an entity's holdings two levels down (the entities it holds, and what each of those holds)
  search   a name filter: a 2-3 character fragment of an entity's name in the full-text index party_names
           (fragments whose hits are entities only and fit in one page of 20, so the two pages are the same set)
  firms    a listed entity's listings, its legal representatives and every firm each of them represents
           (the listing-impact-like two-hop question the peer can express)

Each is one GraphQL query on both servers (on this one since `Holding.entity` is an Entity and `Role.person` a
Person, BENCHMARKS §15; §12 and §14 measured `tree` and `firms` as two requests). The load script still times
chains of requests, from the first request to the last response, counted once.

Before any timing, every sample is asked of both servers and of the driver, the three answers are normalised to
one shape (sorted lists of tuples) and compared; the run stops if any differ.

Load: wrk (C, epoll) with one thread per connection and a Lua script that walks a deck of question chains
round-robin from a per-thread offset, timing each chain with clock_gettime (LuaJIT ffi): throughput in questions
per second, p50 and p99 of question latency (nearest rank over all questions of the run). The driver floor is
a Python asyncio closed loop with as many tasks as connections, on the neo4j async driver (execute_query, READ
routing, as Context.read does). CPU: utime+stime of the server's process tree (/proc, what psutil.cpu_times
reads) and of the Neo4j process before and after each run, per 1,000 questions; for the driver floor, this
process's own CPU time. Every (question, connections) cell runs ours, the peer and the driver one after the
other, the order rotating with the round; each cell's figure is the median of --rounds rounds.

Our service runs as `graph-api serve --workers 1`, development settings (production refuses the development
keys the generated city's identity numbers are hashed with; development adds only the dbRoundTrips
extension), rate limit off (GRAPH_API_RATE_LIMIT_ENABLED=false: the bench client is one credential at
thousands of requests a minute), as an investigator stating a purpose, so that names are in clear as on the
peer. `firms` reads identity numbers in clear (to ask for each person), so each of its first requests is
audited, as the product requires. The peer runs `node server.mjs` (one process, NODE_ENV=production).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import GRAPH_API, log, machine  # noqa: E402  (bench/ is not a package)
from load_bench import lua_string, process_tree, search_terms  # noqa: E402
from read_bench import READER, city_env, free_port, parse_city  # noqa: E402

SEED = 20240501
PEER_DIR = ROOT / "bench" / "peer"
QUESTIONS = ("holders", "tree", "search", "firms")
LABELS = {
    "holders": "(a) entity with legal representatives and holders",
    "tree": "(b) holdings two levels down",
    "search": "(c) name filter (full-text)",
    "firms": "(d) listed entity's legal representatives' other firms",
}
MAX_ALIASES = 30  # graph_api settings.max_aliases: a second request asks for at most this many children
CLK = os.sysconf("SC_CLK_TCK")

# ---------------------------------------------------------------- the questions, three ways

OURS_HOLDERS = """query A($uscc: USCC!) { entity(uscc: $uscc) { uscc name
  roles(first: 100, where: {roles: [LEGAL_REPRESENTATIVE]}) { nodes { since until person { name idNumberMasked } } }
  holders(first: 100) { nodes { ratio since until entity { uscc name } person { name idNumberMasked } } } } }"""
PEER_HOLDERS = """query A($uscc: String!) { entities(where: {uscc: {eq: $uscc}}) { uscc name
  legalRepresentativesConnection { edges { properties { since until } node { name idMasked } } }
  holdersConnection { edges { properties { ratio since until }
    node { __typename ... on Entity { uscc name } ... on Person { name idMasked } } } } } }"""
FLOOR_HOLDERS = """MATCH (e:Entity {uscc: $uscc})
RETURN e.uscc AS uscc, e.name AS name,
  COLLECT { MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE]->(e)
            RETURN {since: r.since, until: r.until, name: p.name, idMasked: p.idMasked} } AS reps,
  COLLECT { MATCH (h)-[r:HOLDS]->(e)
            RETURN {ratio: r.ratio, since: r.since, until: r.until, uscc: h.uscc, name: h.name,
                    idMasked: h.idMasked} } AS holders"""

# One request: Holding.entity is an Entity with holdings of its own. Cost 100 + 100 × 40 (the limit is 5,000);
# the answers are checked identical to the peer's, so a firm holding more than 40 would show.
OURS_TREE = """query B($uscc: USCC!) { entity(uscc: $uscc) { uscc name holdings(first: 100) { nodes {
  ratio since until entity { uscc name
    holdings(first: 40) { nodes { ratio since until entity { uscc name } } } } } } } }"""
PEER_TREE = """query B($uscc: String!) { entities(where: {uscc: {eq: $uscc}}) { uscc name
  holdingsConnection { edges { properties { ratio since until } node { uscc name
    holdingsConnection { edges { properties { ratio since until } node { uscc name } } } } } } } }"""
FLOOR_TREE = """MATCH (e:Entity {uscc: $uscc})
RETURN e.uscc AS uscc, e.name AS name,
  COLLECT { MATCH (e)-[r:HOLDS]->(c:Entity)
            RETURN {ratio: r.ratio, since: r.since, until: r.until, uscc: c.uscc, name: c.name,
                    holdings: COLLECT { MATCH (c)-[s:HOLDS]->(g:Entity)
                                        RETURN {ratio: s.ratio, since: s.since, until: s.until, uscc: g.uscc,
                                                name: g.name} }} } AS holdings"""

OURS_SEARCH = """query C($q: String!) { search(query: $q, first: 20) {
  edges { node { kind key name score } } pageInfo { hasNextPage } } }"""
PEER_SEARCH = """query C($q: String!) { entitiesByName(phrase: $q, first: 20, sort: [{score: DESC}]) {
  edges { score node { uscc name } } } }"""
FLOOR_SEARCH = """CALL db.index.fulltext.queryNodes('party_names', $q, {limit: 20}) YIELD node, score
RETURN node.uscc AS uscc, node.name AS name, score"""

# One request: Role.person is a Person, whose roles need the rights of person(idNumber:) (an investigator with a
# purpose here) and are an audited personal read, as the second request's person(idNumber:) lookups were.
OURS_FIRMS = """query D($uscc: USCC!) { entity(uscc: $uscc) { uscc name
  listings(first: 100) { nodes { id: listingId list since } }
  roles(first: 100, where: {roles: [LEGAL_REPRESENTATIVE]}) { nodes { since until
    person { name idNumberMasked roles(first: 40, where: {roles: [LEGAL_REPRESENTATIVE]}) {
      nodes { since until entity { uscc name } } } } } } } }"""
PEER_FIRMS = """query D($uscc: String!) { entities(where: {uscc: {eq: $uscc}}) { uscc name
  listings { id list since }
  legalRepresentativesConnection { edges { properties { since until } node { name idMasked
    legalRepresentativeOfConnection { edges { properties { since until } node { uscc name } } } } } } } }"""
FLOOR_FIRMS = """MATCH (e:Entity {uscc: $uscc})
RETURN e.uscc AS uscc, e.name AS name,
  COLLECT { MATCH (e)-[:LISTED_ON]->(l:Listing) RETURN {id: l.id, list: l.list, since: l.since} } AS listings,
  COLLECT { MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE]->(e)
            RETURN {since: r.since, until: r.until, name: p.name, idMasked: p.idMasked,
                    firms: COLLECT { MATCH (p)-[t:LEGAL_REPRESENTATIVE]->(o:Entity)
                                     RETURN {since: t.since, until: t.until, uscc: o.uscc, name: o.name} }} } AS reps"""

FLOOR = {"holders": FLOOR_HOLDERS, "tree": FLOOR_TREE, "search": FLOOR_SEARCH, "firms": FLOOR_FIRMS}


def _d(v: Any) -> str | None:
    """A date as ISO text, from JSON (already text) or from the driver (neo4j.time.Date)."""
    return None if v is None else v if isinstance(v, str) else v.iso_format()


def _r(v: float | None) -> float | None:
    return None if v is None else round(float(v), 6)


def ours_body(question: str, key: str) -> dict[str, Any]:
    query = {"holders": OURS_HOLDERS, "tree": OURS_TREE, "search": OURS_SEARCH, "firms": OURS_FIRMS}[question]
    return {"query": query, "variables": {"q": key} if question == "search" else {"uscc": key}}


def ours_second(question: str, first: dict[str, Any]) -> dict[str, Any] | None:
    """The second request of a two-step question (None: nothing more to ask). Since Holding.entity and
    Role.person are walkable (BENCHMARKS §15) every question is one request; the chain stays for others."""
    return None


def peer_body(question: str, key: str) -> dict[str, Any]:
    query = {"holders": PEER_HOLDERS, "tree": PEER_TREE, "search": PEER_SEARCH, "firms": PEER_FIRMS}[question]
    return {"query": query, "variables": {"q": key} if question == "search" else {"uscc": key}}


# Normalised answers: the same tuples whichever side answered, lists sorted (neither side's order is compared).


def _sorted(items: Any) -> list[Any]:
    """In a fixed order whatever the values (None sorts beside text: by repr)."""
    return sorted(items, key=repr)


def norm_ours(question: str, answers: list[dict[str, Any]]) -> Any:
    data = answers[0]["data"]
    if question == "search":
        return _sorted((n["node"]["key"], n["node"]["name"], _r(n["node"]["score"])) for n in data["search"]["edges"])
    e = data["entity"]
    if question == "holders":
        reps = _sorted(
            (r["person"]["name"], r["person"]["idNumberMasked"], r["since"], r["until"]) for r in e["roles"]["nodes"]
        )
        holders = _sorted(
            (
                (h["entity"] or {}).get("uscc"),
                (h["entity"] or h["person"])["name"],
                (h["person"] or {}).get("idNumberMasked"),
                _r(h["ratio"]),
                h["since"],
                h["until"],
            )
            for h in e["holders"]["nodes"]
        )
        return (e["uscc"], e["name"], reps, holders)
    if question == "tree":
        return (
            e["uscc"],
            e["name"],
            _sorted(
                (
                    _r(h["ratio"]),
                    h["since"],
                    h["until"],
                    h["entity"]["uscc"],
                    h["entity"]["name"],
                    _sorted(
                        (_r(g["ratio"]), g["since"], g["until"], g["entity"]["uscc"], g["entity"]["name"])
                        for g in h["entity"]["holdings"]["nodes"]
                    ),
                )
                for h in e["holdings"]["nodes"]
            ),
        )
    return (
        e["uscc"],
        e["name"],
        _sorted((ls["id"], ls["list"], ls["since"]) for ls in e["listings"]["nodes"]),
        _sorted(
            (
                r["person"]["name"],
                r["person"]["idNumberMasked"],
                r["since"],
                r["until"],
                _sorted(
                    (t["since"], t["until"], t["entity"]["uscc"], t["entity"]["name"])
                    for t in r["person"]["roles"]["nodes"]
                ),
            )
            for r in e["roles"]["nodes"]
        ),
    )


def norm_peer(question: str, answer: dict[str, Any]) -> Any:
    data = answer["data"]
    if question == "search":
        return _sorted((x["node"]["uscc"], x["node"]["name"], _r(x["score"])) for x in data["entitiesByName"]["edges"])
    (e,) = data["entities"]
    if question == "holders":
        reps = _sorted(
            (x["node"]["name"], x["node"]["idMasked"], x["properties"]["since"], x["properties"]["until"])
            for x in e["legalRepresentativesConnection"]["edges"]
        )
        holders = _sorted(
            (
                x["node"].get("uscc"),
                x["node"]["name"],
                x["node"].get("idMasked"),
                _r(x["properties"]["ratio"]),
                x["properties"]["since"],
                x["properties"]["until"],
            )
            for x in e["holdersConnection"]["edges"]
        )
        return (e["uscc"], e["name"], reps, holders)
    if question == "tree":

        def level(edges: list[dict[str, Any]], deeper: bool) -> list[Any]:
            return _sorted(
                (
                    _r(x["properties"]["ratio"]),
                    x["properties"]["since"],
                    x["properties"]["until"],
                    x["node"]["uscc"],
                    x["node"]["name"],
                    *([level(x["node"]["holdingsConnection"]["edges"], False)] if deeper else []),
                )
                for x in edges
            )

        return (e["uscc"], e["name"], level(e["holdingsConnection"]["edges"], True))
    return (
        e["uscc"],
        e["name"],
        _sorted((ls["id"], ls["list"], ls["since"]) for ls in e["listings"]),
        _sorted(
            (
                x["node"]["name"],
                x["node"]["idMasked"],
                x["properties"]["since"],
                x["properties"]["until"],
                _sorted(
                    (y["properties"]["since"], y["properties"]["until"], y["node"]["uscc"], y["node"]["name"])
                    for y in x["node"]["legalRepresentativeOfConnection"]["edges"]
                ),
            )
            for x in e["legalRepresentativesConnection"]["edges"]
        ),
    )


def norm_floor(question: str, rows: list[dict[str, Any]]) -> Any:
    if question == "search":
        return _sorted((r["uscc"], r["name"], _r(r["score"])) for r in rows)
    (r,) = rows
    if question == "holders":
        reps = _sorted((p["name"], p["idMasked"], _d(p["since"]), _d(p["until"])) for p in r["reps"])
        holders = _sorted(
            (h["uscc"], h["name"], h["idMasked"], _r(h["ratio"]), _d(h["since"]), _d(h["until"])) for h in r["holders"]
        )
        return (r["uscc"], r["name"], reps, holders)
    if question == "tree":

        def level(hs: list[dict[str, Any]], deeper: bool) -> list[Any]:
            return _sorted(
                (
                    _r(h["ratio"]),
                    _d(h["since"]),
                    _d(h["until"]),
                    h["uscc"],
                    h["name"],
                    *([level(h["holdings"], False)] if deeper else []),
                )
                for h in hs
            )

        return (r["uscc"], r["name"], level(r["holdings"], True))
    return (
        r["uscc"],
        r["name"],
        _sorted((ls["id"], ls["list"], _d(ls["since"])) for ls in r["listings"]),
        _sorted(
            (
                p["name"],
                p["idMasked"],
                _d(p["since"]),
                _d(p["until"]),
                _sorted((_d(f["since"]), _d(f["until"]), f["uscc"], f["name"]) for f in p["firms"]),
            )
            for p in r["reps"]
        ),
    )


# ---------------------------------------------------------------- samples


async def pick_samples(driver: Any, n: int, seed: int) -> dict[str, list[str]]:
    async def keys(statement: str) -> list[Any]:
        res = await driver.execute_query(statement, database_="neo4j", routing_="r")
        return [r["k"] for r in res.records]

    rng = random.Random(seed)
    # `IS NOT NULL` lets the planner read keys in order from the unique index instead of scanning and sorting
    held = await keys("""MATCH (e:Entity) WHERE e.uscc IS NOT NULL
      AND EXISTS { (:Person)-[:LEGAL_REPRESENTATIVE]->(e) }
      AND COUNT { ()-[:HOLDS]->(e) } >= 1 AND COUNT { ()-[:HOLDS]->(e) } <= 100
      RETURN e.uscc AS k ORDER BY k""")
    # two levels: at least one child holds shares itself, at most MAX_ALIASES children
    trees = await keys(f"""MATCH (e:Entity) WHERE e.uscc IS NOT NULL
      AND COUNT {{ (e)-[:HOLDS]->(:Entity) }} <= {MAX_ALIASES}
      AND EXISTS {{ (e)-[:HOLDS]->(:Entity)-[:HOLDS]->(:Entity) }}
      RETURN e.uscc AS k ORDER BY k""")
    listed = await keys("""MATCH (e:Entity) WHERE e.uscc IS NOT NULL AND EXISTS { (e)-[:LISTED_ON]->(:Listing) }
      AND COUNT { (:Person)-[:LEGAL_REPRESENTATIVE]->(e) } >= 1
      AND COUNT { (:Person)-[:LEGAL_REPRESENTATIVE]->(e) } <= 30
      RETURN e.uscc AS k ORDER BY k""")
    names = await keys("MATCH (e:Entity) WHERE e.uscc IS NOT NULL RETURN e.name AS k ORDER BY e.uscc")
    return {
        "holders": rng.sample(held, min(n, len(held))),
        "tree": rng.sample(trees, min(n, len(trees))),
        "firms": rng.sample(listed, min(n, len(listed))),
        # more fragments than needed: the ones with persons among their hits, or more than a page, are dropped
        "search": search_terms(rng.sample(names, 20 * n), rng),
    }


# ---------------------------------------------------------------- the two servers


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / CLK


def memory_mib(pids: list[int]) -> dict[str, float]:
    """VmRSS and VmHWM (the peak) of the processes, summed, in MiB (proc(5) status)."""
    total = {"rss": 0.0, "peak": 0.0}
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                total["rss" if key == "VmRSS" else "peak"] += int(value.split()[0]) / 1024
    return {k: round(v, 1) for k, v in total.items()}


def neo4j_pid(home: str) -> int | None:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"java") and any(str(Path(home).resolve()).encode() in a for a in args):
            return int(cmdline.parent.name)
    return None


class Server:
    """One server process on 127.0.0.1, started with `cmd`, ready when `probe` answers."""

    def __init__(
        self,
        name: str,
        cmd: list[str],
        env: dict[str, str],
        port: int,
        path: str,
        headers: dict[str, str],
        logfile: Path,
        cwd: Path | None = None,
    ):
        self.name, self.cmd, self.env, self.port, self.path, self.headers = name, cmd, env, port, path, headers
        self.logfile, self.cwd = logfile, cwd
        self.profiled = False
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def __enter__(self) -> Server:
        import httpx

        self.log = open(self.logfile, "wb")
        self.proc = subprocess.Popen(
            self.cmd, env=self.env, cwd=self.cwd, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited {self.proc.returncode}; see {self.logfile}")
            try:
                r = httpx.post(self.url, json={"query": "{ __typename }"}, headers=self.headers, timeout=5)
                if r.status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"{self.name} not ready after 120 s; see {self.logfile}")

    def pids(self) -> list[int]:
        assert self.proc is not None
        return process_tree(self.proc.pid)

    def __exit__(self, *exc: Any) -> None:
        if self.proc and self.proc.poll() is None and self.profiled:
            # stop the profiled server, not py-spy: py-spy writes its file when its child exits
            for pid in self.pids()[1:]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(60)
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def ours(
    env: dict[str, str],
    workdir: Path,
    prefix: list[str] | None = None,
    checkout: Path | None = None,
    name: str = "ours",
) -> Server:
    """This service; with `checkout`, the same service from another worktree's venv; named "base", the side it is
    compared with (another checkout, or this one with the settings of --base-env)."""
    port = free_port()
    env = {
        **env,
        "GRAPH_API_ENVIRONMENT": "development",
        "GRAPH_API_HOST": "127.0.0.1",
        "GRAPH_API_PORT": str(port),
        "GRAPH_API_RATE_LIMIT_ENABLED": "false",
    }
    program = GRAPH_API if checkout is None else str(checkout / ".venv" / "bin" / "graph-api")
    cmd = [*(prefix or []), program, "serve", "--port", str(port), "--workers", "1"]
    headers = {"Content-Type": "application/json", "Accept": "application/json", **READER}
    server = Server(name, cmd, env, port, "/graphql", headers, workdir / f"{name}.log", cwd=checkout)
    server.profiled = bool(prefix)
    return server


def peer(bolt_port: str, workdir: Path) -> Server:
    port = free_port()
    env = {**os.environ, "NEO4J_URI": f"bolt://127.0.0.1:{bolt_port}", "PORT": str(port), "NODE_ENV": "production"}
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    return Server("peer", ["node", "server.mjs"], env, port, "/", headers, workdir / "peer.log", cwd=PEER_DIR)


# ---------------------------------------------------------------- load: wrk with a Lua deck of chains

LUA = r"""
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec; int clock_gettime(int, bench_timespec *); ]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  counter = id * 7919
  step = 0
  chain = nil
  started = 0
  lat = {}
  done_n = 0
  bad = 0
  shown = 0
  pending = false
end
function request()
  if pending then
    -- asked again with no response in between (wrk builds one request at thread start that it does not
    -- send): the same request again, and a question is timed from the request that is sent
    if step == 1 then started = now_us() end
    return wrk.format("POST", path, headers, chain[step])
  end
  pending = true
  if step == 0 then
    counter = counter + 1
    chain = deck[(counter % #deck) + 1]
    started = now_us()
  end
  step = step + 1
  return wrk.format("POST", path, headers, chain[step])
end
function response(status, hdrs, body)
  pending = false
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    bad = bad + 1
    if shown < 3 then
      shown = shown + 1
      io.stderr:write("bad response " .. status .. ": " .. string.sub(body, 1, 300) .. "\n")
    end
  end
  if step >= #chain then
    done_n = done_n + 1
    lat[done_n] = now_us() - started
    step = 0
  end
end
function done(summary, latency, requests)
  local all, b = {}, 0
  for _, t in ipairs(threads) do
    for _, v in ipairs(t:get("lat")) do all[#all + 1] = v end
    b = b + t:get("bad")
  end
  table.sort(all)
  local function rank(p)
    if #all == 0 then return -1 end
    return all[math.max(1, math.ceil(p / 100 * #all))]
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"questions":%d,"requests":%d,"duration_us":%d,"bytes":%d,"bad":%d,"socket_errors":%d,' ..
    '"p50_us":%.1f,"p99_us":%.1f}\n',
    #all, summary.requests, summary.duration, summary.bytes, b, e.connect + e.read + e.write + e.timeout,
    rank(50), rank(99)))
end
"""


def write_lua(server: Server, chains: list[list[dict[str, Any]]], path: Path) -> None:
    lines = [f"path = {lua_string(server.path)}", "headers = {"]
    lines += [f"  [{lua_string(k)}] = {lua_string(v)}," for k, v in server.headers.items()]
    lines += ["}", "deck = {"]
    for chain in chains:
        lines.append("  {" + ", ".join(lua_string(json.dumps(b, ensure_ascii=False)) for b in chain) + "},")
    lines.append("}")
    path.write_text("\n".join(lines) + LUA)


def run_wrk(server: Server, lua: Path, connections: int, seconds: float) -> dict[str, Any]:
    cmd = [
        "wrk",
        "-t",
        str(connections),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(lua),
        f"http://127.0.0.1:{server.port}{server.path}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"wrk failed ({proc.returncode}): {proc.stderr[-2000:]}")
    if proc.stderr.strip():
        log(f"wrk stderr ({server.name}): {proc.stderr.strip()[:1000]}")
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"no RESULT line from wrk:\n{proc.stdout[-2000:]}")
    return json.loads(line[len("RESULT ") :])


async def run_floor(
    driver: Any, question: str, params: list[dict[str, Any]], connections: int, seconds: float, auto: bool = False
) -> dict[str, Any]:
    """The closed loop on the driver alone: `connections` tasks, each asking the next sample until time is up;
    through `execute_query` (a managed transaction), or with `auto` as one auto-commit statement in a READ
    session without bookmarks, as store/run.py `read` does."""
    import neo4j

    statement = FLOOR[question]
    latencies: list[float] = []
    counter = iter(range(10**9))
    stop = time.monotonic() + seconds

    async def worker(offset: int) -> None:
        while time.monotonic() < stop:
            p = params[(offset + next(counter)) % len(params)]
            t0 = time.perf_counter()
            if auto:
                async with driver.session(
                    database="neo4j", default_access_mode=neo4j.READ_ACCESS, bookmark_manager=None
                ) as session:
                    _ = [r.data() async for r in await session.run(statement, p)]
            else:
                res = await driver.execute_query(statement, p, database_="neo4j", routing_="r")
                _ = [r.data() for r in res.records]
            latencies.append(time.perf_counter() - t0)

    cpu0, t0 = time.process_time(), time.monotonic()
    await asyncio.gather(*(worker(i * 7919) for i in range(connections)))
    wall, cpu = time.monotonic() - t0, time.process_time() - cpu0
    latencies.sort()
    n = len(latencies)
    return {
        "questions": n,
        "duration_us": wall * 1e6,
        "p50_us": latencies[max(0, -(-50 * n // 100) - 1)] * 1e6,
        "p99_us": latencies[max(0, -(-99 * n // 100) - 1)] * 1e6,
        "client_cpu_s": cpu,
        "bad": 0,
    }


# ---------------------------------------------------------------- preparing: decks and the answer check


async def prepare(
    driver: Any,
    o: Server,
    p: Server | None,
    samples: dict[str, list[str]],
    questions: list[str],
    n: int,
    b: Server | None = None,
) -> tuple[dict[str, dict[str, list[list[dict[str, Any]]]]], dict[str, list[dict[str, Any]]], dict]:
    """Ask every sample of every side (the peer and the base when there are); keep the decks; stop on any
    difference."""
    import httpx

    decks: dict[str, dict[str, list[list[dict[str, Any]]]]] = {}
    floor_params: dict[str, list[dict[str, Any]]] = {}
    report: dict[str, Any] = {}
    async with httpx.AsyncClient(timeout=30) as client:

        async def ask(server: Server, body: dict[str, Any]) -> dict[str, Any]:
            r = await client.post(server.url, json=body, headers=server.headers)
            answer = r.json()
            if r.status_code != 200 or answer.get("errors"):
                raise SystemExit(
                    f"{server.name} answered {r.status_code}: {json.dumps(answer, ensure_ascii=False)[:800]}"
                )
            return answer

        for q in questions:
            ours_chains, peer_chains, params, differ = [], [], [], []
            dropped = 0
            for key in samples[q]:
                if len(ours_chains) >= n:
                    break
                first_body = ours_body(q, key)
                first = await ask(o, first_body)
                if q == "search":  # only fragments whose hits are entities and fit one page: the same set then
                    hits = first["data"]["search"]
                    if (
                        not hits["edges"]
                        or hits["pageInfo"]["hasNextPage"]
                        or any(e["node"]["kind"] != "ENTITY" for e in hits["edges"])
                    ):
                        dropped += 1
                        continue
                chain = [first_body]
                answers = [first]
                second_body = ours_second(q, first)
                if second_body is not None:
                    chain.append(second_body)
                    answers.append(await ask(o, second_body))
                pbody = peer_body(q, key)
                fparams = {"q": key} if q == "search" else {"uscc": key}
                res = await driver.execute_query(FLOOR[q], fparams, database_="neo4j", routing_="r")
                a = norm_ours(q, answers)
                c = norm_floor(q, [r.data() for r in res.records])
                pa = norm_peer(q, await ask(p, pbody)) if p is not None else c
                ba = norm_ours(q, [await ask(b, body) for body in chain]) if b is not None else c
                if not (a == pa == ba == c):
                    differ.append({"key": key, "ours": a, "peer": pa, "base": ba, "driver": c})
                ours_chains.append(chain)
                peer_chains.append([pbody])
                params.append(fparams)
            if differ:
                Path("peer-differences.json").write_text(json.dumps(differ, ensure_ascii=False, indent=1, default=str))
                raise SystemExit(f"{q}: {len(differ)} of {len(ours_chains)} answers differ (peer-differences.json)")
            decks[q] = {"ours": ours_chains, "base": ours_chains, "peer": peer_chains}
            floor_params[q] = params
            report[q] = {
                "samples": len(ours_chains),
                "ours_requests_per_question": statistics.mean(len(c) for c in ours_chains),
                "dropped_search_terms": dropped,
            }
            log(
                f"{q}: {len(ours_chains)} samples, identical answers on every side"
                + (f" ({dropped} search fragments dropped)" if dropped else "")
            )
    return decks, floor_params, report


# ---------------------------------------------------------------- run


def measure(
    server: Server, lua: Path, connections: int, args: argparse.Namespace, db_pid: int | None
) -> dict[str, Any]:
    run_wrk(server, lua, connections, args.warmup)
    pids = server.pids()
    load0 = os.getloadavg()
    cpu0, db0 = cpu_seconds(pids), cpu_seconds([db_pid] if db_pid else [])
    res = run_wrk(server, lua, connections, args.duration)
    res["server_cpu_s"] = cpu_seconds(pids) - cpu0
    res["db_cpu_s"] = cpu_seconds([db_pid] if db_pid else []) - db0
    res["loadavg"] = [load0, os.getloadavg()]
    return res


def figures(res: dict[str, Any]) -> dict[str, float]:
    n = max(res["questions"], 1)
    out = {
        "qps": res["questions"] / (res["duration_us"] / 1e6),
        "p50_ms": res["p50_us"] / 1000,
        "p99_ms": res["p99_us"] / 1000,
        "db_cpu_ms_per_1k": 1e6 * res.get("db_cpu_s", 0) / n,
    }
    out["cpu_ms_per_1k"] = 1e6 * res.get("server_cpu_s", res.get("client_cpu_s", 0)) / n
    return out


async def cmd_run(args: argparse.Namespace) -> None:
    import neo4j

    _, home, bolt = parse_city(args.city)
    env = city_env(home, bolt)
    workdir = Path(args.workdir or ROOT / "var" / "peer-bench").resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    db_pid = neo4j_pid(home)
    out: dict[str, Any] = {"machine_start": machine(), "args": vars(args), "db_pid": db_pid, "runs": []}
    driver = neo4j.AsyncGraphDatabase.driver(f"bolt://127.0.0.1:{bolt}", auth=("neo4j", "credit-graph-local"))
    try:
        samples = await pick_samples(driver, args.samples, args.seed)
        sides = list(args.sides)
        if "base" in sides and not (args.base or args.base_env):
            raise SystemExit("--sides base needs --base DIR (a worktree with its own .venv) or --base-env K=V")
        base_env = {**env, **dict(kv.split("=", 1) for kv in args.base_env or ())}
        base_checkout = Path(args.base).resolve() if args.base else None
        with contextlib.ExitStack() as stack:
            o = stack.enter_context(ours(env, workdir))
            p = stack.enter_context(peer(bolt, workdir)) if "peer" in sides else None
            b = (
                stack.enter_context(ours(base_env, workdir, checkout=base_checkout, name="base"))
                if "base" in sides
                else None
            )
            decks, floor_params, out["prepared"] = await prepare(driver, o, p, samples, args.questions, args.samples, b)
            servers = {s.name: s for s in (o, p, b) if s is not None}
            luas = {}
            for q in args.questions:
                for side, server in servers.items():
                    luas[(q, side)] = workdir / f"{q}-{side}.lua"
                    write_lua(server, decks[q][side], luas[(q, side)])
            for rnd in range(args.rounds):
                for qi, q in enumerate(args.questions):
                    for c in args.connections:
                        shift = (rnd + qi) % len(sides)
                        order = sides[shift:] + sides[:shift]
                        for side in order:
                            if side in ("driver", "auto"):
                                auto = side == "auto"
                                await run_floor(driver, q, floor_params[q], c, args.warmup, auto)
                                db0 = cpu_seconds([db_pid] if db_pid else [])
                                load0 = os.getloadavg()
                                res = await run_floor(driver, q, floor_params[q], c, args.duration, auto)
                                res["db_cpu_s"] = cpu_seconds([db_pid] if db_pid else []) - db0
                                res["loadavg"] = [load0, os.getloadavg()]
                            else:
                                res = measure(servers[side], luas[(q, side)], c, args, db_pid)
                            res.update(round=rnd, question=q, connections=c, side=side, **figures(res))
                            out["runs"].append(res)
                            log(
                                f"round {rnd + 1} {q} c={c} {side}: {res['qps']:.0f} q/s p50 {res['p50_ms']:.1f} "
                                f"p99 {res['p99_ms']:.1f} ms, cpu {res['cpu_ms_per_1k'] / 1000:.2f} ms/q, "
                                f"bad {res.get('bad', 0)}, load {res['loadavg'][0][0]:.2f}"
                            )
            # each server's memory after every round (resident now, and its peak), summed over its processes
            out["memory_mib"] = {name: memory_mib(server.pids()) for name, server in servers.items()}
            log(f"memory (MiB, now / peak): {out['memory_mib']}")
    finally:
        await driver.close()
    out["machine_end"] = machine()
    md = markdown(out, "peer" if "peer" in args.sides else "base")
    print(md)
    if args.md_out:
        Path(args.md_out).write_text(md)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, indent=1, default=str, ensure_ascii=False))


def markdown(out: dict[str, Any], other: str = "peer") -> str:
    """This service (`ours`) against `other` — the peer, or `base` (another worktree) — and the driver floor."""
    mine, theirs = ("ours", "peer") if other == "peer" else ("new", "base")
    runs = out["runs"]
    cells: dict[tuple[str, int, str], dict[str, float]] = {}
    for key in {(r["question"], r["connections"], r["side"]) for r in runs}:
        rs = [r for r in runs if (r["question"], r["connections"], r["side"]) == key]
        cells[key] = {
            f: statistics.median(r[f] for r in rs)
            for f in ("qps", "p50_ms", "p99_ms", "cpu_ms_per_1k", "db_cpu_ms_per_1k")
        }
        cells[key]["bad"] = sum(r.get("bad", 0) + r.get("socket_errors", 0) for r in rs)
    lines = [
        f"| question | conns | {mine} q/s | {theirs} q/s | {mine} ÷ {theirs} | driver q/s | "
        f"p50 ms {mine} / {theirs} / driver | p99 ms {mine} / {theirs} / driver | "
        f"CPU ms per 1,000: {mine} / {theirs} / driver client | "
        f"Neo4j CPU ms per 1,000: {mine} / {theirs} / driver | API ÷ driver p50 ({mine} / {theirs}) |",
        "|---|---:|---:|---:|---:|---:|---|---|---|---|---|",
    ]
    conns = sorted({r["connections"] for r in runs})
    for q in [q for q in QUESTIONS if any(r["question"] == q for r in runs)]:
        for c in conns:
            o, p, d = (cells.get((q, c, s)) for s in ("ours", other, "driver"))
            if not (o and p and d):
                continue
            lines.append(
                f"| {LABELS[q]} | {c} | {o['qps']:.0f} | {p['qps']:.0f} | {o['qps'] / p['qps']:.2f} | {d['qps']:.0f} | "
                f"{o['p50_ms']:.1f} / {p['p50_ms']:.1f} / {d['p50_ms']:.1f} | "
                f"{o['p99_ms']:.1f} / {p['p99_ms']:.1f} / {d['p99_ms']:.1f} | "
                f"{o['cpu_ms_per_1k']:.0f} / {p['cpu_ms_per_1k']:.0f} / {d['cpu_ms_per_1k']:.0f} | "
                f"{o['db_cpu_ms_per_1k']:.0f} / {p['db_cpu_ms_per_1k']:.0f} / {d['db_cpu_ms_per_1k']:.0f} | "
                f"{o['p50_ms'] / d['p50_ms']:.2f} / {p['p50_ms'] / d['p50_ms']:.2f} |"
            )
    bad = sum(v["bad"] for v in cells.values())
    loads = [r["loadavg"][0][0] for r in runs]
    samples = ""
    if other == "peer":
        samples = " Samples: " + ", ".join(
            f"{q} {v['samples']} (ours {v['ours_requests_per_question']:.2f} requests per question)"
            for q, v in out["prepared"].items()
        )
        samples += "."
    lines += [
        "",
        f"Medians of {out['args']['rounds']} rounds, {out['args']['duration']} s each after {out['args']['warmup']} s "
        f"of warm-up; bad answers or socket errors over all runs: {bad}.{samples} 1-minute load average at the "
        f"start of the runs: min {min(loads):.2f}, median {statistics.median(loads):.2f}, max {max(loads):.2f}.",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- profile


async def cmd_profile(args: argparse.Namespace) -> None:
    """Our service under py-spy (started as its child, so no ptrace rights are needed), wrk on one question."""
    import neo4j

    _, home, bolt = parse_city(args.city)
    env = city_env(home, bolt)
    workdir = Path(args.workdir or ROOT / "var" / "peer-bench").resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    pyspy = str(Path(sys.executable).parent / "py-spy")
    raw = workdir / f"profile-{args.question}.txt"
    svg = workdir / f"profile-{args.question}.svg"
    driver = neo4j.AsyncGraphDatabase.driver(f"bolt://127.0.0.1:{bolt}", auth=("neo4j", "credit-graph-local"))
    samples = await pick_samples(driver, args.samples, args.seed)
    await driver.close()
    chains: list[list[dict[str, Any]]] = []
    runs: list[tuple[str, Path | None]] = [("no profiler", None), ("raw", raw), ("flamegraph", svg)]
    for mode, path in runs:
        prefix = [pyspy, "record", "--format", mode, "-o", str(path), "--rate", "200", "--"] if path else None
        with ours(env, workdir, prefix) as o:
            if not chains:
                import httpx

                for key in samples[args.question][: args.samples]:
                    body = ours_body(args.question, key)
                    first = httpx.post(o.url, json=body, headers=o.headers, timeout=30).json()
                    second = ours_second(args.question, first)
                    chains.append([body] + ([second] if second else []))
            lua = workdir / f"profile-{args.question}.lua"
            write_lua(o, chains, lua)
            res = run_wrk(o, lua, args.connections, args.seconds)
            log(f"{mode}: {res['questions'] / (res['duration_us'] / 1e6):.0f} q/s, load {os.getloadavg()[0]:.2f}")
        time.sleep(2)  # py-spy writes its file when the child exits
    print(summarise_profile(raw.read_text(), args.top))

    log(f"flame graph: {svg}")


def cmd_summarise(args: argparse.Namespace) -> None:
    print(summarise_profile(Path(args.collapsed).read_text(), args.top))


# The areas of §12 and §14's "where" tables: a stack counts under the first whose marks one of its frames holds.
WHERE = (
    ("the neo4j driver", ("neo4j/",)),
    ("credential check (JWT)", ("jwt/", "api/auth.py")),
    ("logging (the access-log line)", ("logging/", "ops/logging")),
    ("strawberry + graphql-core", ("strawberry/", "graphql/")),
    ("uvicorn + starlette", ("uvicorn/", "starlette/")),
    ("thread pool worker", ("concurrent/futures/thread.py",)),
)


def summarise_profile(collapsed: str, top: int) -> str:
    """Shares of samples: by the innermost frame's package (self time), and inclusive by frame."""
    total = 0
    by_package: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    idle = imports = 0
    own: dict[str, int] = {}
    where: dict[str, int] = {}
    for line in collapsed.splitlines():
        stack, _, count_s = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_s)
        frames = stack.split(";")
        if any("_find_and_load" in f for f in frames):  # the start (importing the app), not serving
            imports += count
            continue
        total += count
        area = next((a for a, marks in WHERE if any(m in f for f in frames for m in marks)), "other")
        where[area] = where.get(area, 0) + count
        own[frames[-1]] = own.get(frames[-1], 0) + count
        leaf = frames[-1]
        if re.search(r"\b(select|epoll|_run_once|poll)\b", leaf) and "base_events" in leaf:
            idle += count
        by_package[package_of(leaf)] = by_package.get(package_of(leaf), 0) + count
        for f in set(frames):
            inclusive[f] = inclusive.get(f, 0) + count
    lines = [
        f"{total} samples while serving ({imports} more while importing at start, left out); "
        f"in the event loop's select (idle): {100 * idle / max(total, 1):.1f}%",
        "",
        "| where (the stack contains …, first match in this order) | share |",
        "|---|---:|",
        *(f"| {a} | {100 * where.get(a, 0) / max(total, 1):.1f}% |" for a in [*(a for a, _ in WHERE), "other"]),
        "",
        "| package (innermost frame) | share |",
        "|---|---:|",
    ]
    for pkg, n in sorted(by_package.items(), key=lambda x: -x[1])[:top]:
        lines.append(f"| {pkg} | {100 * n / total:.1f}% |")
    lines += ["", "| frame (self) | share |", "|---|---:|"]
    for f, n in sorted(own.items(), key=lambda x: -x[1])[:top]:
        lines.append(f"| `{f[:110]}` | {100 * n / total:.1f}% |")
    lines += ["", "| frame (inclusive) | share |", "|---|---:|"]
    for f, n in sorted(inclusive.items(), key=lambda x: -x[1])[: top * 2]:
        lines.append(f"| `{f[:110]}` | {100 * n / total:.1f}% |")
    return "\n".join(lines)


def package_of(frame: str) -> str:
    m = re.search(r"\(([^)]*)\)", frame)
    path = m.group(1) if m else frame
    for pkg in (
        "neo4j",
        "strawberry",
        "graphql",
        "uvicorn",
        "starlette",
        "httptools",
        "h11",
        "graph_api",
        "asyncio",
        "pydantic",
        "json",
        "logging",
        "cryptography",
        "opentelemetry",
    ):
        if f"/{pkg}/" in path or path.startswith(f"{pkg}/"):
            return pkg
    return path.split(":")[0].rsplit("/", 1)[-1] or frame


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    rn = sub.add_parser("run", help="both servers and the driver floor, side by side")
    rn.add_argument("--city", required=True, help="NAME=HOME:PORT of a running bench city")
    rn.add_argument("--samples", type=int, default=50)
    rn.add_argument("--seed", type=int, default=SEED)
    rn.add_argument("--rounds", type=int, default=3)
    rn.add_argument("--duration", type=int, default=5, help="seconds measured per run")
    rn.add_argument("--warmup", type=int, default=1, help="seconds of warm-up before each run")
    rn.add_argument("--connections", type=int, nargs="+", default=[1, 8, 32])
    rn.add_argument("--questions", nargs="+", choices=QUESTIONS, default=list(QUESTIONS))
    rn.add_argument(
        "--sides",
        nargs="+",
        choices=("ours", "peer", "base", "driver", "auto"),
        default=["ours", "peer", "driver"],
        help="what runs, in this order rotated by round (ours always answers the check; auto: the driver floor "
        "as auto-commit statements)",
    )
    rn.add_argument("--base", help="a worktree (with its .venv) whose graph-api is side 'base'")
    rn.add_argument(
        "--base-env",
        nargs="+",
        metavar="K=V",
        help="settings of side 'base' (this checkout unless --base): e.g. GRAPH_API_GRAPHQL_COMPILED_EXECUTION=false",
    )
    rn.add_argument("--workdir")
    rn.add_argument("--md-out")
    rn.add_argument("--json-out")
    pf = sub.add_parser("profile", help="py-spy on our service under wrk on one question")
    pf.add_argument("--city", required=True)
    pf.add_argument("--question", choices=QUESTIONS, default="holders")
    pf.add_argument("--samples", type=int, default=50)
    pf.add_argument("--seed", type=int, default=SEED)
    pf.add_argument("--connections", type=int, default=8)
    pf.add_argument("--seconds", type=int, default=30)
    pf.add_argument("--top", type=int, default=12)
    pf.add_argument("--workdir")
    sm = sub.add_parser("summarise", help="the tables of a py-spy raw (collapsed) profile")
    sm.add_argument("collapsed")
    sm.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    if args.cmd == "summarise":
        cmd_summarise(args)
        return
    run: Callable[[argparse.Namespace], Any] = {"run": cmd_run, "profile": cmd_profile}[args.cmd]
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
