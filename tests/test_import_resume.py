"""A failure of the database mid-import loses nothing already committed, and running the same command
again resumes: the graph ends exactly as an uninterrupted import leaves it."""

from __future__ import annotations

import json
import os
import subprocess
import time

from graph_api.ops import neo4j_server
from tests.conftest import GRAPH_API


def _label_counts(graph) -> dict[str, int]:
    return {k: v for k, v in graph.counts().items() if k not in ("SchemaVersion",)}


def test_import_interrupted_by_a_database_stop_resumes_to_the_same_graph(graph, cli, settings, tmp_path):
    city = tmp_path / "city.jsonl"
    assert cli("seed", "--entities", "1500", "--seed", "11", "--out", str(city)).code == 0

    complete = graph.import_file(city)
    assert complete.code == 0
    expected = _label_counts(graph)
    assert cli("db", "wipe", "--yes").code == 0

    rejects = tmp_path / "rejects.jsonl"
    proc = subprocess.Popen(
        [GRAPH_API, "import", str(city), "--rejects", str(rejects), "--batch-size", "50", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        deadline = time.monotonic() + 120
        while not graph.query("MATCH (e:Entity) RETURN count(e) > 100 AS some")[0]["some"]:
            assert proc.poll() is None, "the import ended before the database could be stopped"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        neo4j_server.stop(settings)
        out, err = proc.communicate(timeout=180)
    finally:
        proc.kill()
        neo4j_server.start(settings)
    assert proc.returncode == 3, err
    assert "run the same command again to resume" in err
    partial = json.loads(out)["counts"]
    assert 0 < sum(c["created"] for c in partial.values()) < complete.total("created")

    committed = graph.query("MATCH (e:Entity) RETURN count(e) AS n")[0]["n"]
    assert committed > 100

    resumed = graph.import_file(city)
    assert resumed.code == 0 and resumed.rejects == []
    assert resumed.total("unchanged") >= committed
    assert resumed.total("created") + resumed.total("unchanged") == complete.total("created")
    assert _label_counts(graph) == expected
