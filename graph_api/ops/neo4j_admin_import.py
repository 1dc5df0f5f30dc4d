"""`neo4j-admin database import full` on the managed server's database, from the same Maven jars
(org.neo4j.cli.AdminTool), for `graph-api import --bulk`.

The tool writes a new store offline and replaces the database, so the managed server is stopped for
it and started again afterwards, whether the tool succeeded or not (as backup and restore do). Community
edition cannot build the schema during the import: the caller applies the migrations once the server is
back. An external Neo4j (NEO4J_URI) is refused: its store is on another host."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from graph_api.ops import neo4j_server as server
from graph_api.ops.neo4j_install import Neo4jServerError, _last_lines, find_java, install
from graph_api.settings import Settings


def admin_import(settings: Settings, csv_arguments: list[str], workdir: Path) -> float:
    """Stops the managed server, imports the CSV files into its database, starts it again; returns
    the seconds the tool took. Raises Neo4jServerError with the tool's output when it fails."""
    if not settings.managed_neo4j:
        raise Neo4jServerError(
            f"Neo4j at {settings.bolt_uri} is external (NEO4J_URI): the bulk import writes the store of a "
            "server this command manages; use the normal import"
        )
    home = server._home(settings)
    classpath = server._prepare_home(settings, install(settings))
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    cmd = [
        str(find_java(settings)),
        f"-Xmx{settings.neo4j_heap}",
        *server.JVM_FLAGS,
        "-cp",
        classpath,
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        # The database name goes before --nodes/--relationships: they take several values each.
        settings.neo4j_database,
        "--overwrite-destination=true",
        f"--max-off-heap-memory={settings.neo4j_pagecache}",
        f"--report-file={workdir / 'neo4j-admin-import.report'}",
        *csv_arguments,
    ]
    server.stop(settings)
    try:
        t0 = time.perf_counter()
        res = subprocess.run(cmd, env=env, cwd=home, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        (workdir / "neo4j-admin-import.log").write_text(res.stdout + res.stderr, encoding="utf-8")
    finally:
        server.start(settings)
    if res.returncode != 0:
        raise Neo4jServerError(
            f"neo4j-admin database import failed (exit {res.returncode})", _last_lines(res.stdout + res.stderr)
        )
    return seconds
