"""The typed TypeScript client (issue 12, "A typed client works out of the box"): clients/typescript.

The steps a frontend team takes, in its folder: `npm ci` from the committed lock (`--prefer-offline`, so a
warm npm cache is enough), `npm run generate` (the README's example operations into operations/, then
GraphQL Code Generator against the committed `schema.graphql`), `tsc --strict --noEmit`, and the example,
compiled, asking the real service two README operations with Node's fetch — so the generated types are
checked against real answers, not only against the SDL.

The generated files are not committed: README.md and schema.graphql are their only sources, and both change
(the integrator regenerates schema.graphql after every merge); generating them here cannot go stale."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from graphql import OperationDefinitionNode, parse

from tests.conftest import ROOT, serve

CLIENT = ROOT / "clients" / "typescript"
GENERATED = CLIENT / "src" / "generated" / "graphql.ts"


def _run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=CLIENT, capture_output=True, text=True, timeout=timeout)


def _ok(*args: str, timeout: float = 300) -> str:
    proc = _run(*args, timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f"`{' '.join(args)}` failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    return proc.stdout


@pytest.fixture(scope="module")
def generated() -> Path:
    """The client installed from its lock and its types generated, as `make client` does."""
    for program in ("node", "npm"):
        if shutil.which(program) is None:
            pytest.fail(
                f"`{program}` is not on PATH; Node 20 and npm are needed for the TypeScript client", pytrace=False
            )
    _ok("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", timeout=600)
    _ok("npm", "run", "--silent", "generate")
    _ok("npx", "--no-install", "tsc", "-p", ".")  # into dist/, for the tests that run the compiled client
    return GENERATED


def _readme_operations() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    texts = []
    for block in re.findall(r"^```graphql\n(.*?)^```$", readme, flags=re.S | re.M):
        for definition in parse(block).definitions:
            assert isinstance(definition, OperationDefinitionNode)
            assert definition.loc is not None
            texts.append(block[definition.loc.start : definition.loc.end])
    return texts


def test_the_operations_are_the_readmes_examples(generated):
    readme = _readme_operations()
    files = sorted((CLIENT / "operations").glob("*.graphql"))
    assert len(files) == len(readme) > 20
    ours = []
    for path in files:
        header, text = path.read_text(encoding="utf-8").split("\n", 1)
        assert header.startswith("# From README.md (line ")
        text = text.rstrip("\n")
        # The one change: an anonymous operation gets the name its types are called by (the file's name).
        anonymous = re.sub(rf"^(?:query |(mutation) ){path.stem} ", r"\1 ", text).lstrip()
        ours.append(text if text in readme else anonymous)
    assert sorted(ours) == sorted(readme)


def test_the_custom_scalars_are_typed(generated):
    code = generated.read_text(encoding="utf-8")
    assert "import type { IsoDate, USCC } from '../scalars.js';" in code
    # Inlined where the operations select them: the branded day, the branded code, DateTime a plain string.
    assert re.search(r"export type EntityQuery = [^;]*decidedOn: IsoDate", code)
    assert re.search(r"export type DrawInspectionMutation = [^;]*entity: \{ uscc: USCC \}", code)
    assert re.search(r"export type VerifyDrawQuery = [^;]*createdAt: string", code)
    assert ": any" not in code.replace("Record<string, any>", "")


def test_the_client_compiles_with_tsc_strict(generated):
    out = _ok("npx", "--no-install", "tsc", "-p", ".", "--strict", "--noEmit")
    assert "error" not in out


def test_tsc_rejects_unchecked_nulls_and_plain_strings_for_branded_scalars(generated):
    """The types are strict enough to matter: an answer read without a null check, a plain string as a
    USCC and variables an operation does not take are compile errors."""
    probe = CLIENT / "src" / "probe-must-not-compile.ts"
    probe.write_text(
        'import { createClient } from "./client.js";\n'
        'import { EntityDocument } from "./generated/graphql.js";\n'
        'import type { USCC } from "./scalars.js";\n'
        'const client = createClient({ endpoint: "http://127.0.0.1:1/graphql" });\n'
        "const answer = await client.request(EntityDocument);\n"
        "export const name: string = answer.data.entity.name;\n"
        'export const uscc: USCC = "91310107MA49M30279";\n'
        'await client.request(EntityDocument, { uscc: "91310107MA49M30279" });\n',
        encoding="utf-8",
    )
    try:
        proc = _run("npx", "--no-install", "tsc", "-p", ".", "--strict", "--noEmit")
    finally:
        probe.unlink()
    errors = re.findall(r"probe-must-not-compile\.ts\((\d+),\d+\): error (TS\d+)", proc.stdout)
    assert proc.returncode != 0
    assert {line for line, _ in errors} == {"6", "7", "8"}, proc.stdout
    assert ("6", "TS18047") in errors, proc.stdout  # 'answer.data' is possibly 'null'


def test_the_scalar_helpers_check_what_they_brand(generated):
    script = (
        'import { asUSCC, asIsoDate } from "./dist/scalars.js";\n'
        "const fails = (f) => { try { f(); return null; } catch (e) { return e.message; } };\n"
        "console.log(JSON.stringify([\n"
        '  asUSCC("91310107MA49M30279"), fails(() => asUSCC("91310107MA49M30278")),\n'
        '  fails(() => asUSCC("9131010IMA49M3027")), asIsoDate("2024-02-29"), fails(() => asIsoDate("2023-02-29")),\n'
        "]));\n"
    )
    out = _ok("node", "--input-type=module", "-e", script)
    assert json.loads(out) == [
        "91310107MA49M30279",
        "the check character of 91310107MA49M30278 should be 9",
        "a USCC has 18 characters, not 17",
        "2024-02-29",
        'not a day yyyy-mm-dd: "2023-02-29"',
    ]


@pytest.fixture(scope="module")
def patient_api(neo4j_server_running, tmp_path_factory) -> Iterator[httpx.Client]:
    """The service with generous timeouts: this test is about the types of the answers, not their speed.
    Right after an import, on a loaded machine, Neo4j planning the listing page statement alone has taken
    more than the default 15 s a statement (tests/test_hardening.py and test_resilience.py test the limits)."""
    with serve(
        tmp_path_factory, env={"GRAPH_API_NEO4J_QUERY_TIMEOUT": "120", "GRAPH_API_REQUEST_TIMEOUT": "150"}
    ) as client:
        yield client


def test_the_example_reads_the_demo_city_from_the_running_service(generated, graph, patient_api, tmp_path):
    """README, "Examples on the demo city": the public's view of 上海利正物业管理有限公司 (legal representative
    masked), through the generated client and Node's fetch."""
    imported = graph.cli("import", "--demo", "--rejects", str(tmp_path / "rejects.jsonl"), "--json")
    assert imported.code == 0, imported.stderr
    proc = subprocess.run(
        ["node", "dist/example.js"],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GRAPH_API_URL": f"{patient_api.base_url}/graphql"},
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert len(summary["hits"]) == 3
    assert all(hit.startswith("ENTITY ") and "云金" in hit for hit in summary["hits"])
    assert summary["name"] == "上海利正物业管理有限公司"
    assert summary["listing"] == {"id": "310000-SWJ-JP-2024-0097", "since": "2024-08-13", "measures": 13}
    assert summary["legalRepresentative"] == "韩**"
    assert summary["errors"] == []
    assert summary["totalCount"] == len(summary["records"]) and summary["more"] is False
