"""`graph-api import --bulk` against the transactional importer, on the same file: the demo city with
bad lines, cross-line rejections (holdings over 100 % in file order, listings on unfitting records,
references to a missing entity) and lines that update or repeat earlier ones. Both graphs are compared
node for node and relationship for relationship with their properties; only the instants a run
stamps (recordedAt, validFrom, supersededAt, appliedAt) and the ciphertext's random nonce differ, so
those are compared by type and by decrypting. The bulk import runs on a Neo4j home of its own."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest

from graph_api.ingest.bulk import BulkValidator
from graph_api.ingest.bulk_csv import FILES
from graph_api.ingest.interchange import canonical_json
from graph_api.settings import Settings
from graph_api.store.db import sync_driver
from graph_api.store.pii import IdProtector
from tests.conftest import ROOT, Cli, Graph, _free_port

DEMO = ROOT / "seed" / "demo.jsonl"
STAMPED = {"recordedAt", "validFrom", "supersededAt", "appliedAt"}


def _lines() -> list[str]:
    demo = DEMO.read_text(encoding="utf-8").splitlines()
    parsed = [json.loads(x) for x in demo]
    dropped = next(p for p in parsed if p["kind"] == "branch")["parent"]  # its lines must be rejected
    entities = [p["uscc"] for p in parsed if p["kind"] == "entity" and p["uscc"] != dropped]
    first, other1, other2 = entities[0], entities[1], entities[2]
    first_entity = next(p for p in parsed if p["kind"] == "entity")
    first_record = next(p for p in parsed if p["kind"] == "record")
    first_listing = next(p for p in parsed if p["kind"] == "listing")
    holding = next(p for p in parsed if p["kind"] == "holding" and p["entity"] == first)
    kept = [x for x, p in zip(demo, parsed, strict=True) if not (p["kind"] == "entity" and p["uscc"] == dropped)]
    extra: list[dict[str, Any] | str] = [
        "{not json",
        {**first_entity, "uscc": first[:-1] + ("0" if first[-1] != "0" else "1")},  # a wrong check character
        {**first_entity, "name": first_entity["name"] + "（更名）"},  # updated: a Revision of the first
        {**first_entity, "name": first_entity["name"] + "（更名）"},  # unchanged
        demo[0],  # the first line again: unchanged
        # In file order: 150 % is refused, then the holding drops to 40 %, then 60 % more fits.
        {"kind": "holding", "holder": {"entity": other1}, "entity": first, "ratio": 0.5, "since": holding["since"]},
        {**holding, "ratio": 0.4},
        {"kind": "holding", "holder": {"entity": other2}, "entity": first, "ratio": 0.6, "since": holding["since"]},
        {**first_record, "summary": "更正后的摘要"},
        {**first_listing, "until": "2026-08-13"},
        {**first_listing, "id": first_listing["id"] + "-B", "basis": [first_record["id"]]},  # a positive record
        {**first_listing, "id": first_listing["id"] + "-C", "since": "2020-01-01"},  # before its record
        {**first_listing, "id": first_listing["id"] + "-D", "subject": {"entity": other1}},  # another subject
        {**first_listing, "id": first_listing["id"] + "-E", "basis": ["NO-SUCH-RECORD"]},
        {**first_listing, "id": first_listing["id"] + "-F", "measures": ["NO_SUCH_MEASURE"]},
        {"kind": "role", "person": "x", "entity": first, "role": "DIRECTOR", "since": "2023-01-01"},
        {**holding, "since": "2999-01-01"},  # in the future
    ]
    return kept + [x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in extra]


def _canonical(driver: neo4j.Driver, protector: IdProtector) -> tuple[Counter[str], Counter[str]]:
    def value(name: str, v: Any) -> Any:
        if name in STAMPED:
            return type(v).__name__
        if name == "idCipher":
            return protector.decrypt(v)
        return v

    def props(p: dict[str, Any]) -> str:
        return json.dumps({k: value(k, v) for k, v in sorted(p.items())}, ensure_ascii=False, default=str)

    nodes, _, _ = driver.execute_query("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS p")
    canon = {r["id"]: f"{sorted(r['labels'])} {props(r['p'])}" for r in nodes}
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS type, properties(r) AS p, elementId(b) AS b"
    )
    return Counter(canon.values()), Counter(
        f"{canon[r['a']]} -[{r['type']} {props(r['p'])}]-> {canon[r['b']]}" for r in rels
    )


@pytest.fixture(scope="module")
def bulk_env(tmp_path_factory) -> Iterator[dict[str, str]]:
    """A Neo4j home of its own, new each run: no database yet, so `--bulk` needs no running server."""
    home = ROOT / ".neo4j" / f"bulk-test{os.environ.get('PYTEST_XDIST_WORKER', '')}"  # one per xdist worker
    env = {"GRAPH_API_NEO4J_HOME": str(home), "GRAPH_API_NEO4J_BOLT_PORT": str(_free_port())}
    cli = Cli(tmp_path_factory.mktemp("bulk-home"))
    stopped = cli("neo4j", "stop", env=env)
    assert stopped.code == 0, stopped.stderr
    for sub in ("databases", "transactions"):
        shutil.rmtree(home / "data" / sub / "neo4j", ignore_errors=True)
    yield env
    stopped = cli("neo4j", "stop", env=env)
    assert stopped.code == 0, stopped.stderr


def test_bulk_import_gives_the_transactional_graph(graph: Graph, bulk_env: dict[str, str]) -> None:
    path = graph.write_lines(_lines(), name="city.jsonl")
    normal = graph.import_file(path, rejects=graph.tmp / "normal-rejects.jsonl")
    bulk_rejects = graph.tmp / "bulk-rejects.jsonl"
    result = graph.cli("import", "--bulk", str(path), "--rejects", str(bulk_rejects), "--json", env=bulk_env)
    assert result.code == 2, result.stderr  # some lines rejected, as with the normal import
    assert result.json()["counts"] == normal.counts
    bulk_lines = [json.loads(x) for x in bulk_rejects.read_text(encoding="utf-8").splitlines()]
    key = lambda r: (r["line"], r["code"])  # noqa: E731 - the importer's batches write rejects out of file order
    assert sorted(bulk_lines, key=key) == sorted(normal.rejects, key=key)
    codes = {r["code"] for r in bulk_lines}
    assert {"HOLDINGS_EXCEED_100", "UNKNOWN_ENTITY", "BASIS_NOT_FOUND"} <= codes, codes
    assert normal.counts["entity"]["updated"] == 1 and normal.counts["holding"]["updated"] == 1

    protector = IdProtector.from_settings(Settings())
    normal_nodes, normal_rels = _canonical(graph.driver, protector)
    bulk_settings = Settings(
        neo4j_home=Path(bulk_env["GRAPH_API_NEO4J_HOME"]), neo4j_bolt_port=int(bulk_env["GRAPH_API_NEO4J_BOLT_PORT"])
    )
    with sync_driver(bulk_settings) as bulk_driver:
        bulk_nodes, bulk_rels = _canonical(bulk_driver, protector)
    assert bulk_nodes - normal_nodes == Counter() and normal_nodes - bulk_nodes == Counter()
    assert bulk_rels - normal_rels == Counter() and normal_rels - bulk_rels == Counter()
    assert sum(1 for n in bulk_nodes if n.startswith("['Revision']")) == 4  # entity, holding, record, listing


def test_bulk_import_refuses_a_database_with_data(cli: Cli, bulk_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(DEMO.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    started = cli("neo4j", "start", env=bulk_env)  # a no-op after the test above
    assert started.code == 0, started.stderr
    filled = cli("import", str(path), "--rejects", str(tmp_path / "r0.jsonl"), env=bulk_env)
    assert filled.code == 0, filled.stderr
    result = cli("import", "--bulk", str(path), "--rejects", str(tmp_path / "r.jsonl"), env=bulk_env)
    assert result.code == 1
    assert "already holds data" in result.stderr and "without --bulk" in result.stderr


def _validate(path: Path, out: Path, workers: int, block: int) -> tuple[dict[str, Any], str, dict[str, list[str]]]:
    at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    with open(out / "rejects.jsonl", "w", encoding="utf-8") as rejects:
        validator = BulkValidator(IdProtector.from_settings(Settings()), rejects, dt.date(2026, 12, 1), workers, block)
        written = validator.run([path, path], out / "csv", at)  # twice: the second copy is all unchanged
    protector = IdProtector.from_settings(Settings())
    files = {}
    for name in FILES:
        rows = list(csv.reader((out / "csv" / f"{name}.csv").open(newline="", encoding="utf-8")))
        if name == "persons":  # the ciphertext's nonce is random: compare the clear number
            at_cipher = rows[0].index("idCipher")
            clear = [[*r[:at_cipher], protector.decrypt(r[at_cipher]), *r[at_cipher + 1 :]] for r in rows[1:]]
            rows = [rows[0], *clear]
        files[name] = [",".join(r) for r in rows]
    assert written.rows == {name: len(rows) - 1 for name, rows in files.items()}
    counts = {kind: vars(c) for kind, c in validator.report.counts.items()}
    return counts, (out / "rejects.jsonl").read_text(encoding="utf-8"), files


def test_parallel_validation_gives_what_one_process_gives(tmp_path: Path) -> None:
    path = tmp_path / "city.jsonl"
    path.write_text("\n".join(_lines()) + "\n", encoding="utf-8")
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = _validate(path, tmp_path / "one", workers=1, block=1 << 20)
    two = _validate(path, tmp_path / "two", workers=2, block=2000)  # many blocks, out of step
    assert one[0] == two[0]
    assert one[1] == two[1]  # the same rejects, byte for byte and in the same order
    assert one[2] == two[2]
    assert one[0]["entity"]["unchanged"] > 0 and one[0]["holding"]["rejected"] > 0
    assert '"code": "HOLDINGS_EXCEED_100"' in one[1] and len(one[2]["revisions"]) > 1


@pytest.mark.parametrize(
    "data",
    [
        {"b": 1, "a": {"z": [1, 2.5, "x"], "y": None}, "t": True},
        {"ratio": 1e-05},
        {"capital": 1e16},
        {"capital": float("inf")},
        {"r": [0.1 + 0.2, -0.0, 100.0, 0.0001]},
        {"big": 2**70},
        {"text": '\x00\x1f\x7f\u2028"\\\n\t中文'},
        {"day": dt.date(2020, 1, 2), "at": dt.datetime(2020, 1, 2, 3, 4)},
    ],
)
def test_canonical_json_keeps_the_bytes_json_wrote(data: dict[str, Any]) -> None:
    # Stored hashes come from this text: a faster encoder must not make a re-import see changes.
    expected = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    assert canonical_json(data) == expected
