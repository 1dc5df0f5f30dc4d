"""The `graph-api` command as a user runs it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

from tests.conftest import ROOT, SAMPLE


def test_help_lists_the_subcommands(cli):
    result = cli("--help")
    assert result.code == 0
    for name in ("neo4j", "import", "seed", "serve", "db"):
        assert name in result.stdout


def test_neo4j_status_reports_the_running_test_server(cli, neo4j_server_running):
    result = cli("neo4j", "status")
    assert result.code == 0, result.stderr
    text = result.stdout + result.stderr
    assert os.environ["GRAPH_API_NEO4J_BOLT_PORT"] in text and "5.26" in text


def test_neo4j_start_is_idempotent_when_running(cli, neo4j_server_running):
    result = cli("neo4j", "start")
    assert result.code == 0, result.stderr


def test_start_fails_with_the_log_tail_on_bad_configuration(cli, tmp_path, neo4j_server_running):
    env = {
        "GRAPH_API_NEO4J_HOME": str(tmp_path / "broken"),
        "GRAPH_API_NEO4J_BOLT_PORT": "7797",
        "GRAPH_API_NEO4J_PAGECACHE": "lots",
        "GRAPH_API_NEO4J_START_TIMEOUT": "90",
    }
    result = cli("neo4j", "start", env=env)
    assert result.code != 0
    assert "pagecache" in (result.stdout + result.stderr).lower()


def test_import_exit_codes_and_json_counts(cli, graph, tmp_path):
    ok = cli("import", str(SAMPLE), "--rejects", str(tmp_path / "r.jsonl"), "--json")
    assert ok.code == 0, ok.stderr
    assert ok.json()["counts"]["entity"] == {"read": 5, "created": 5, "updated": 0, "unchanged": 0, "rejected": 0}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "department", "code": "X", "name": "局", "region": "1"}\n', encoding="utf-8")
    rejected = cli("import", str(bad), "--rejects", str(tmp_path / "r2.jsonl"))
    assert rejected.code == 2
    assert "INVALID_REGION" in (tmp_path / "r2.jsonl").read_text(encoding="utf-8")
    assert "rejected" in rejected.stderr
    missing = cli("import", str(tmp_path / "nope.jsonl"))
    assert missing.code != 0 and "does not exist" in (missing.stdout + missing.stderr)


def test_import_reports_an_unreachable_database(cli, tmp_path):
    result = cli("import", str(SAMPLE), env={"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "x"})
    assert result.code == 3
    assert "not reachable" in result.stderr


def test_seed_is_deterministic(cli, tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert cli("seed", "--entities", "50", "--seed", "7", "--out", str(a)).code == 0
    assert cli("seed", "--entities", "50", "--seed", "7", "--out", str(b)).code == 0
    assert a.read_bytes() == b.read_bytes()
    kinds = {json.loads(line)["kind"] for line in a.read_text(encoding="utf-8").splitlines()}
    assert {"department", "entity", "person", "role", "holding", "record"} <= kinds


def test_demo_data_imports_cleanly(cli, graph):
    outcome = graph.import_file(ROOT / "seed" / "demo.jsonl")
    assert outcome.code == 0 and outcome.rejects == []
    assert outcome.counts["entity"]["created"] >= 300
    assert outcome.counts["listing"]["created"] >= 5


def _compose() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


# The Compose Specification's own JSON schema (compose-spec/compose-spec, schema/compose-spec.json at
# 170098b, 2026-06-23), vendored: the file is checked on every machine, with or without a compose client.
COMPOSE_SCHEMA = ROOT / "tests" / "data" / "compose-spec.json"


def test_docker_compose_file_is_valid():
    import jsonschema
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(compose)
    ]
    assert errors == []
    assert compose["services"]["neo4j"]["image"].startswith("neo4j:5.26")
    assert "apoc" in compose["services"]["neo4j"]["environment"]["NEO4J_PLUGINS"]
    client = _compose()
    if client is not None:  # where a client exists, it must agree
        result = subprocess.run(
            [*client, "-f", str(ROOT / "docker-compose.yml"), "config"], capture_output=True, text=True, cwd=ROOT
        )
        assert result.returncode == 0, result.stderr


def _interpolated(value: str, env: dict[str, str]) -> str:
    """Compose's `${NAME:-default}` and `${NAME}` as a shell without those variables would expand them."""
    return re.sub(r"\$\{(\w+)(?::?-([^}]*))?\}", lambda m: env.get(m[1]) or (m[2] or ""), value)


def test_compose_api_starts_with_no_variables_set(monkeypatch):
    """`docker compose up` with nothing exported and no api.env: the api container's environment, as compose
    would give it, makes valid settings (it once passed empty keys, and the service exited at start)."""
    import yaml

    from graph_api.settings import Settings

    api = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["api"]
    assert [f["required"] for f in api["env_file"]] == [False]
    environment = {k: _interpolated(str(v), {}) for k, v in api["environment"].items()}
    assert environment["GRAPH_API_ENVIRONMENT"] == "development"
    assert all(value != "" for value in environment.values()), environment
    for name in [n for n in os.environ if n.startswith(("GRAPH_API_", "NEO4J_"))]:
        monkeypatch.delenv(name)  # the suite's own settings must not stand in for what compose leaves out
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)  # raises, as the service would at start, on a key it cannot use
    assert settings.neo4j_uri == "bolt://neo4j:7687"
    assert "graph-api import --demo" in " ".join(api["command"])


def test_the_image_installs_the_locked_versions():
    """No Docker engine here to build it: the Dockerfile's install steps are read instead. The dependencies come
    from uv.lock with their hashes, through the Makefile's uv, and the wheel without dependencies of its own."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    uv_version = re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert uv_version is not None
    assert f"pip install 'uv=={uv_version[1]}'" in dockerfile
    assert "uv export --frozen --no-dev --no-emit-project" in dockerfile
    assert "pip install --require-hashes -r /tmp/dist/requirements.txt" in dockerfile
    assert "pip install --no-deps /tmp/dist/graph_api-*.whl" in dockerfile
    bases = re.findall(r"^FROM (\S+)", dockerfile, re.M)
    assert bases and all(re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", b) for b in bases)
    assert re.search(r"^USER \d+:\d+$", dockerfile, re.M)


def test_compose_schema_check_catches_a_broken_file():
    import jsonschema

    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    broken = {"services": {"api": {"image": "x", "ports": "8000"}}, "volumes": {"v": {"driver": 1}}}
    assert len(list(jsonschema.Draft7Validator(schema).iter_errors(broken))) >= 2


def test_committed_sdl_matches_the_schema():
    from graph_api.api.graphql.schema import schema

    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed.strip() == schema.as_str().strip(), "schema.graphql is stale: run `make schema`"


def test_schema_diff_reports_what_breaks_clients(cli, tmp_path):
    """graph-api schema-diff against an older SDL: a field removed and an argument made required are
    breaking, an enum value added is dangerous; the committed schema against itself changes nothing."""
    sdl = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    same = cli("schema-diff", "--old", str(ROOT / "schema.graphql"), "--new", str(ROOT / "schema.graphql"))
    assert same.code == 0 and ": 0 breaking, 0 dangerous" in same.stdout
    old = tmp_path / "old.graphql"
    old.write_text(
        sdl.replace("type Query {", "type Query {\n  retired: String", 1).replace(
            "enum Severity {", "enum Severity {\n  TRIVIAL", 1
        ),
        encoding="utf-8",
    )
    report = cli("schema-diff", "--old", str(old), "--new", str(ROOT / "schema.graphql"), "--fail-on-breaking")
    assert report.code == 1
    assert "BREAKING   FIELD_REMOVED" in report.stdout and "Query.retired was removed" in report.stdout
    assert "BREAKING   VALUE_REMOVED_FROM_ENUM" in report.stdout and "TRIVIAL" in report.stdout
