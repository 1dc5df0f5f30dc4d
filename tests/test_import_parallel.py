"""The importer with validating processes and writers side by side (`--workers`, `--writers`) against the
serial importer on the same file: the same counts, the same rejects with the same codes, and the same graph
node for node and relationship for relationship (compared as `test_bulk_import` compares the bulk path).
Small batches make many of them, so lanes really interleave; a re-run of the file changes nothing."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from subprocess import PIPE

from graph_api.settings import Settings
from graph_api.store.pii import IdProtector
from tests.conftest import GRAPH_API, Graph
from tests.test_bulk_import import DEMO, _canonical, _lines

PARALLEL = ("--workers", "2", "--writers", "3", "--batch-size", "7")


def test_parallel_import_gives_the_serial_graph(graph: Graph) -> None:
    protector = IdProtector.from_settings(Settings())
    path = graph.write_lines(_lines(), name="city.jsonl")
    serial = graph.import_file(path, rejects=graph.tmp / "serial-rejects.jsonl", extra=("--batch-size", "7"))
    serial_nodes, serial_rels = _canonical(graph.driver, protector)
    wiped = graph.cli("db", "wipe", "--yes")
    assert wiped.code == 0, wiped.stderr
    assert graph.cli("db", "migrate").code == 0

    parallel = graph.import_file(path, rejects=graph.tmp / "parallel-rejects.jsonl", extra=PARALLEL)
    assert parallel.code == serial.code == 2
    assert parallel.counts == serial.counts
    key = lambda r: (r["line"], r["code"])  # noqa: E731 - batches of several writers commit out of file order
    assert sorted(parallel.rejects, key=key) == sorted(serial.rejects, key=key)
    assert {"HOLDINGS_EXCEED_100", "UNKNOWN_ENTITY", "BASIS_NOT_FOUND"} <= {r["code"] for r in parallel.rejects}
    nodes, rels = _canonical(graph.driver, protector)
    assert nodes - serial_nodes == Counter() and serial_nodes - nodes == Counter()
    assert rels - serial_rels == Counter() and serial_rels - rels == Counter()
    assert parallel.counts["entity"]["updated"] == 1 and parallel.counts["holding"]["updated"] == 1


def test_parallel_reimport_writes_nothing(graph: Graph) -> None:
    protector = IdProtector.from_settings(Settings())
    first = graph.import_file(DEMO, extra=PARALLEL)
    assert first.total("created") > 0
    before = _canonical(graph.driver, protector)
    again = graph.import_file(DEMO, extra=PARALLEL)
    assert again.total("created") == 0 and again.total("updated") == 0
    assert again.total("unchanged") == sum(first.total(o) for o in ("created", "updated", "unchanged"))
    assert _canonical(graph.driver, protector) == before


def test_a_fact_changed_and_changed_back_in_one_import_is_written_twice(graph: Graph) -> None:
    """A worker finds the last line of the entity (and of the holding) unchanged, since the graph holds that
    content when it reads; an earlier line of the same import changes it first, so the writer must find the
    light item changed after all, read its line again and write it back, as the serial importer does."""
    protector = IdProtector.from_settings(Settings())
    demo = DEMO.read_text(encoding="utf-8").splitlines()
    parsed = [json.loads(x) for x in demo]
    entity = next(x for x, p in zip(demo, parsed, strict=True) if p["kind"] == "entity")
    holding = next(x for x, p in zip(demo, parsed, strict=True) if p["kind"] == "holding")
    changed = [json.dumps({**json.loads(entity), "name": "改名后"}), json.dumps({**json.loads(holding), "ratio": 0.01})]
    path = graph.write_lines([*changed, *demo], name="back.jsonl")

    outcomes = []
    for extra in (("--batch-size", "7"), PARALLEL):
        assert graph.import_file(DEMO, extra=extra).total("created") > 0
        again = graph.import_file(path, extra=extra)
        outcomes.append((again, _canonical(graph.driver, protector)))
        assert graph.cli("db", "wipe", "--yes").code == 0 and graph.cli("db", "migrate").code == 0
    (serial, serial_graph), (parallel, parallel_graph) = outcomes
    assert parallel.counts == serial.counts
    assert parallel.counts["entity"]["updated"] == 2 and parallel.counts["holding"]["updated"] == 2
    assert parallel_graph == serial_graph


def test_two_imports_of_the_same_new_file_at_once_duplicate_nothing(graph: Graph) -> None:
    """Both find the same keys absent and write them with CREATE; the unique constraints refuse the later
    of two CREATEs of one key, that batch is written again by MERGE, and the graph is one import's."""
    protector = IdProtector.from_settings(Settings())
    city = graph.tmp / "new.jsonl"
    assert graph.cli("seed", "--entities", "400", "--seed", "17", "--out", str(city)).code == 0
    args = ("--workers", "2", "--writers", "2", "--batch-size", "20")
    assert graph.import_file(city, extra=args).code == 0
    single = _canonical(graph.driver, protector)
    assert graph.cli("db", "wipe", "--yes").code == 0 and graph.cli("db", "migrate").code == 0

    command = [GRAPH_API, "import", str(city), "--json", *args]
    both = [
        subprocess.Popen([*command, "--rejects", str(graph.tmp / f"r{n}.jsonl")], stdout=PIPE, stderr=PIPE, text=True)
        for n in (1, 2)
    ]
    for proc in both:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert _canonical(graph.driver, protector) == single
