"""The wheel is the product an operator installs (issue 12, "A real package"): built from this checkout,
installed into a fresh virtual environment, and run from a directory that is not the checkout, it installs
Neo4j, starts it, imports the demo city it carries and serves it. Nothing of the checkout is on the path:
the Cypher, the demo city and the Maven project come from inside the wheel.

Slow by nature (a venv's dependencies, a Neo4j start): about two minutes, most of it pip and the JVM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, _free_port


def _run(*args: str | Path, env: dict[str, str], cwd: Path, timeout: float = 300) -> str:
    res = subprocess.run([str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert res.returncode == 0, f"{args} exited {res.returncode}\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
    return res.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    _run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "-w", out, env=env, cwd=out)
    (built,) = out.glob("graph_api-*.whl")
    return built


def test_the_wheel_carries_what_it_reads_and_no_top_level_seed(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"graph_api", f"{wheel.name.split('-py3')[0]}.dist-info"}
    bundled = {n for n in names if n.startswith("graph_api/_bundled/")}
    cypher = {p.name for p in (ROOT / "cypher").glob("*.cypher")}
    assert {n.rsplit("/", 1)[1] for n in bundled if n.startswith("graph_api/_bundled/cypher/")} == cypher
    assert "graph_api/_bundled/seed/demo.jsonl" in bundled
    assert "graph_api/_bundled/neo4j/pom.xml" in bundled
    assert "graph_api/seed/generator.py" in names and "graph_api/data/catalogue.json" in names


def test_installed_wheel_installs_neo4j_imports_the_demo_city_and_serves_it(wheel, tmp_path):
    venv, work = tmp_path / "venv", tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAPH_API_", "PYTHON", "VIRTUAL_ENV"))}
    _run(sys.executable, "-m", "venv", venv, env=env, cwd=work)
    # The versions of uv.lock, as `make install` has them (the wheel itself only states ranges).
    uv = Path(sys.executable).parent / "uv"
    pins = _run(uv, "export", "--frozen", "--no-hashes", "--no-emit-project", "--quiet", env={**os.environ}, cwd=ROOT)
    (work / "constraints.txt").write_text(pins, encoding="utf-8")
    pip = (venv / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check")
    _run(*pip, "-c", work / "constraints.txt", wheel, env=env, cwd=work, timeout=480)
    site = next((venv / "lib").glob("python3*/site-packages"))
    assert not (site / "seed").exists()

    bolt, http = _free_port(), _free_port()
    env |= {
        "GRAPH_API_STATE_DIR": str(tmp_path / "state"),
        "GRAPH_API_NEO4J_BOLT_PORT": str(bolt),
        "GRAPH_API_NEO4J_HEAP": "512m",
        "GRAPH_API_NEO4J_PAGECACHE": "256m",
    }
    cli = venv / "bin" / "graph-api"
    _run(cli, "neo4j", "install", env=env, cwd=work)
    assert list((tmp_path / "state" / "neo4j" / "target" / "lib").glob("neo4j-5.*.jar"))
    _run(cli, "neo4j", "start", env=env, cwd=work)
    serve = None
    try:
        counts = json.loads(
            _run(cli, "import", "--demo", "--json", "--rejects", work / "rejects.jsonl", env=env, cwd=work)
        )
        demo = [json.loads(line) for line in (ROOT / "seed" / "demo.jsonl").read_text(encoding="utf-8").splitlines()]
        entities = [d for d in demo if d["kind"] == "entity"]
        assert counts["counts"]["entity"]["created"] == len(entities)
        assert sum(c["rejected"] for c in counts["counts"].values()) == 0

        serve = subprocess.Popen(
            [cli, "serve", "--port", str(http)], env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        url, deadline, answer = f"http://127.0.0.1:{http}/graphql", time.monotonic() + 60, None
        query = {
            "query": "query($u: USCC!) { entity(uscc: $u) { uscc name } }",
            "variables": {"u": entities[0]["uscc"]},
        }
        while answer is None and time.monotonic() < deadline and serve.poll() is None:
            try:
                answer = httpx.post(url, json=query, timeout=5).json()
            except httpx.TransportError:
                time.sleep(0.3)
        first = {"uscc": entities[0]["uscc"], "name": entities[0]["name"]}
        assert answer is not None and answer.get("data") == {"entity": first}, (answer, serve.poll())
    finally:
        if serve is not None:
            serve.terminate()
            serve.wait(timeout=20)
        subprocess.run([cli, "neo4j", "stop"], env=env, cwd=work, capture_output=True, timeout=120)
