"""Fixture strategy.

Every test runs against a real Neo4j 5.26 server, never a fake. The suite manages its own server —
own home (`.neo4j/test`), own Bolt port (7688), small heap; under xdist one per worker — so `make test`
never touches the data that `make run` serves on 7687. The first test that needs the database starts
it (through the same code as `graph-api neo4j start`); the session stops it at the end only if it
started it, so a developer may keep one running between runs.

Tests reach the product through its public surface:
- the CLI, as a subprocess of the installed `graph-api` command (`cli` fixture), with the test
  server's settings in its environment;
- GraphQL and the health endpoints over real HTTP, on a `graph-api serve` subprocess (`api`).

Each test that needs data builds a small graph by hand, as interchange lines whose right answers were
worked out on paper, on a freshly wiped database (`graph` fixture). If the server cannot be started the
tests fail with its log; they never skip.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "docs" / "interchange" / "sample.jsonl"
AUDIT_TOOL = ROOT / "tools" / "graphql-http-audit"

# Under pytest-xdist (`make test` runs two workers) each worker has a Neo4j of its own — its own home and
# Bolt port — since every test wipes the database it builds its graph in. Worker gw0 (or a run without
# xdist) keeps `.neo4j/test` and the base port; gwN takes `.neo4j/test-gwN` and the base port + 100 N.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_WORKER_INDEX = int(_WORKER[2:]) if _WORKER.startswith("gw") and _WORKER[2:].isdigit() else 0
_BASE_BOLT_PORT = int(os.environ.get("GRAPH_API_TEST_BOLT_PORT", "7688"))

TEST_ENV = {
    "GRAPH_API_NEO4J_HOME": str(ROOT / ".neo4j" / ("test" if _WORKER_INDEX == 0 else f"test-{_WORKER}")),
    "GRAPH_API_NEO4J_BOLT_PORT": str(_BASE_BOLT_PORT + 100 * _WORKER_INDEX),
    "GRAPH_API_NEO4J_PASSWORD": "credit-graph-test",
    "GRAPH_API_NEO4J_HEAP": "1g",
    "GRAPH_API_NEO4J_PAGECACHE": "512m",
    # Every test's requests come from one address and a few users: rate limits for a whole suite, not a
    # client (tests/test_rate_limits.py serves its own app with small ones).
    "GRAPH_API_RATE_LIMIT_PUBLIC_REQUESTS": "1000000",
    "GRAPH_API_RATE_LIMIT_PUBLIC_BURST": "1000000",
    "GRAPH_API_RATE_LIMIT_CREDENTIAL_REQUESTS": "1000000",
    "GRAPH_API_RATE_LIMIT_CREDENTIAL_BURST": "1000000",
}
# The suite wipes its database: never let an inherited NEO4J_URI point it at someone's data.
for _name in ("NEO4J_URI", "GRAPH_API_NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USER", "NEO4J_USERNAME"):
    os.environ.pop(_name, None)
os.environ.update(TEST_ENV)

# The product is imported only now, after the environment is set.
from graph_api.ingest.pipeline import Importer
from graph_api.ops import neo4j_server
from graph_api.settings import Settings
from graph_api.store.cypher_loader import queries
from graph_api.store.db import async_driver, sync_driver
from graph_api.store.migrations import apply_schema
from graph_api.store.pii import IdProtector
from graph_api.store.warmup import warm_plans

GRAPH_API = shutil.which("graph-api", path=str(Path(sys.executable).parent)) or "graph-api"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def neo4j_server_running(settings: Settings) -> Iterator[Settings]:
    try:
        launched = neo4j_server.ensure_running(settings)
    except neo4j_server.Neo4jServerError as e:
        pytest.fail(f"the test Neo4j did not start: {e}\n{e.log_tail}", pytrace=False)
    _warm_plans(settings)
    yield settings
    if launched:
        neo4j_server.stop(settings)


def _warm_plans(settings: Settings) -> None:
    """The schema, then every read statement's plan compiled once for the session (as `serve` does at start),
    so that tests do not each pay cold plans of seconds, nor pass the statement limit with one under load.
    The schema first: creating an index drops the cached plans."""
    with sync_driver(settings) as d:
        apply_schema(d, settings.neo4j_database)

    async def warm() -> None:
        async with async_driver(settings) as d:
            await warm_plans(d, settings.neo4j_database)

    asyncio.run(warm())


@pytest.fixture(scope="session")
def driver(neo4j_server_running: Settings):
    with sync_driver(neo4j_server_running) as d:
        yield d


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Cli:
    def __init__(self, tmp: Path):
        self.tmp = tmp

    def __call__(self, *args: str, env: dict[str, str] | None = None, timeout: float = 600) -> CliResult:
        proc = subprocess.run(
            [GRAPH_API, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            cwd=self.tmp,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


class Graph:
    """A freshly wiped test database, and ways to fill and inspect it."""

    def __init__(self, driver, cli: Cli, tmp: Path):
        self.driver, self.cli, self.tmp = driver, cli, tmp
        self._n = 0

    def write_lines(self, lines: list[dict | str], name: str | None = None) -> Path:
        self._n += 1
        path = self.tmp / (name or f"input{self._n}.jsonl")
        path.write_text(
            "".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines),
            encoding="utf-8",
        )
        return path

    def import_file(self, *paths: Path, rejects: Path | None = None, extra: tuple[str, ...] = ()) -> ImportOutcome:
        rejects = rejects or self.tmp / f"rejects{self._n}.jsonl"
        result = self.cli("import", *map(str, paths), "--rejects", str(rejects), "--json", *extra)
        assert result.code in (0, 2), f"import failed ({result.code}): {result.stderr}"
        lines = [json.loads(x) for x in rejects.read_text(encoding="utf-8").splitlines()]
        return ImportOutcome(result.code, result.json()["counts"], lines)

    def import_lines(self, lines: list[dict | str]) -> ImportOutcome:
        return self.import_file(self.write_lines(lines))

    def import_in_process(self, lines: list[dict | str]) -> ImportOutcome:
        """As import_lines, by the Importer the `import` command runs, called in this process: for a test
        that imports many small batches to see what the graph then answers, where the command's start (two
        seconds or more on a loaded machine) would be most of its time. The command itself: test_cli.py."""
        path = self.write_lines(lines)
        rejects = self.tmp / f"rejects{self._n}.jsonl"
        settings = Settings()
        with open(rejects, "w", encoding="utf-8") as out:
            protector = IdProtector.from_settings(settings)
            report = Importer(self.driver, settings.neo4j_database, protector, out).run([path])
        found = [json.loads(x) for x in rejects.read_text(encoding="utf-8").splitlines()]
        counts = {kind: vars(c) for kind, c in sorted(report.counts.items())}
        return ImportOutcome(2 if report.total_rejected else 0, counts, found)

    def query(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        # no bookmarks: test_backup restores an older store than the ids this driver has seen
        records, _, _ = self.driver.execute_query(cypher, params, bookmark_manager_=None)
        return [r.data() for r in records]

    def counts(self) -> dict[str, int]:
        return {r["name"]: r["n"] for r in self.query(queries.admin_counts)}


@dataclass
class ImportOutcome:
    code: int
    counts: dict[str, dict[str, int]]
    rejects: list[dict[str, Any]]

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())


@pytest.fixture
def graph(driver, cli: Cli, tmp_path: Path) -> Graph:
    result = cli("db", "wipe", "--yes")
    assert result.code == 0, result.stderr
    result = cli("db", "migrate")
    assert result.code == 0, result.stderr
    return Graph(driver, cli, tmp_path)


@pytest.fixture(scope="module")
def module_graph(driver, tmp_path_factory) -> Graph:
    """One wiped database for a whole module whose tests only read what it imports once."""
    tmp = tmp_path_factory.mktemp("module-graph")
    cli = Cli(tmp)
    for args in (("db", "wipe", "--yes"), ("db", "migrate")):
        result = cli(*args)
        assert result.code == 0, result.stderr
    return Graph(driver, cli, tmp)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(tmp_path_factory, env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> Iterator[httpx.Client]:
    """`graph-api serve` on a free loopback port, with extra settings in its environment and extra options."""
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [GRAPH_API, "serve", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    client.log_path = log  # type: ignore[attr-defined]  # the service's JSON log lines, for tests that read them
    client.process = proc  # type: ignore[attr-defined]  # for tests that signal the server
    deadline = time.monotonic() + 60
    while True:
        try:
            if client.get("/healthz").status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"graph-api serve did not come up:\n{log.read_text()}", pytrace=False)
        time.sleep(0.2)
    # The plan warm-up runs in the background after start (its plans are cached by the session's warm-up, so it
    # is short): wait for it, so that no test counts its connections or meets its sessions in a small pool.
    while time.monotonic() < deadline:
        try:
            if client.get("/readyz").json().get("plans") != "warming":
                break
        except (httpx.TransportError, ValueError):
            pass
        time.sleep(0.2)
    try:
        yield client
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="session")
def api(neo4j_server_running: Settings, tmp_path_factory) -> Iterator[httpx.Client]:
    """The service as a user runs it: `graph-api serve` on a free loopback port."""
    with serve(tmp_path_factory) as client:
        yield client


def gql(client: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.headers["content-type"].startswith("application/"), response.text
    return response.json()


def token(role: str, user: str, *, department: str | None = None, uscc: str | None = None) -> dict[str, str]:
    """Request headers with a bearer token signed like `graph-api token` signs it for the test settings."""
    from graph_api.api.auth import Claims, issue_token

    jwt = issue_token(Settings(), Claims(user=user, role=role, department=department, uscc=uscc), dt.timedelta(hours=1))
    return {"authorization": f"Bearer {jwt}"}


def officer(department: str, user: str = "officer-1") -> dict[str, str]:
    """Request headers of a department officer acting for `department`."""
    return token("OFFICER", user, department=department)


def entity_user(uscc: str, user: str = "entity-user-1") -> dict[str, str]:
    return token("ENTITY", user, uscc=uscc)


def investigator(user: str = "investigator-1", purpose: str = "案件核查 automated test") -> dict[str, str]:
    """An investigator stating the purpose of reading personal data, as the role must."""
    return {**token("INVESTIGATOR", user), "x-purpose": quote(purpose)}


def gql_reader(client: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    """GraphQL as an investigator: for tests about what the graph answers rather than who may ask."""
    return gql_as(client, investigator(), query, **variables)


def gql_as(client: httpx.Client, actor: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=actor)
    assert response.headers["content-type"].startswith("application/"), response.text
    return response.json()


def gql_after_own_audit(client: httpx.Client, actor: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
    """The answer to `query` sent twice, the first time so that the audit trail's head is the server's own
    last entry: an audited read's entry is then one statement (store/audit_appender.py), where after an
    entry of another writer (a change, the other server of a test) it is three. Tests that count round
    trips count them here, so that their figures do not depend on the order the tests run in."""
    gql_as(client, actor, query, **variables)
    return gql_as(client, actor, query, **variables)


@pytest.fixture(scope="session")
def audit_tool() -> Path:
    """The audit script, its pinned dependencies installed with `npm ci` when they are not yet."""
    for program in ("node", "npm"):
        if shutil.which(program) is None:
            pytest.fail(
                f"`{program}` is not on PATH; Node 20 and npm are needed for the GraphQL-over-HTTP audit", pytrace=False
            )
    # two xdist workers may both need it first: one installs, the other waits on the lock
    with open(AUDIT_TOOL / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (AUDIT_TOOL / "node_modules" / "graphql-http").is_dir():
            proc = subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund"], cwd=AUDIT_TOOL, capture_output=True, text=True, timeout=600
            )
            if proc.returncode != 0:
                pytest.fail(f"npm ci failed in {AUDIT_TOOL}:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return AUDIT_TOOL / "audit.mjs"
