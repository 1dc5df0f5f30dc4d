"""The importer with validating processes and writers side by side (`--workers`, `--writers`) against the
serial importer on the same file: the same counts, the same rejects with the same codes, and the same graph
node for node and relationship for relationship (compared as `test_bulk_import` compares the bulk path).
Small batches make many of them, so lanes really interleave; a re-run of the file changes nothing."""

from __future__ import annotations

from collections import Counter

from graph_api.settings import Settings
from graph_api.store.pii import IdProtector
from tests.conftest import Graph
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
