"""Backup and restore of the graph with Neo4j's own tools: `neo4j-admin database dump` and `load`,
run from the same Maven jars as the managed server (org.neo4j.cli.AdminTool).

In Community edition a database can only be dumped or loaded while it is stopped, and the only way
to stop the `neo4j` database is to stop the server: so both operations stop the managed server, run
the tool, and start the server again if it was running. The service keeps running meanwhile; its
requests answer DATABASE_UNAVAILABLE until the server is back, then it resumes by itself.

A dump is one file, `<database>.dump`, holding the store with its schema (constraints and indexes).
For an external Neo4j (NEO4J_URI) run `neo4j-admin database dump|load` on its host instead (docs/ops.md).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from graph_api.ops import neo4j_server as server
from graph_api.ops.neo4j_install import Neo4jServerError, _last_lines, find_java, install
from graph_api.settings import Settings

log = logging.getLogger("graph_api.neo4j_server")


def dump_path(target: Path, database: str) -> Path:
    """The dump file for `--to`: the path itself when it names a .dump file, else `<database>.dump` inside it."""
    return target if target.suffix == ".dump" else target / f"{database}.dump"


def _admin(settings: Settings, *args: str) -> None:
    home = server._home(settings)
    classpath = server._prepare_home(settings, install(settings))
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    res = subprocess.run(
        [str(find_java(settings)), "-cp", classpath, *server.JVM_FLAGS, "org.neo4j.cli.AdminTool", "database", *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise Neo4jServerError(
            f"neo4j-admin database {args[0]} failed (exit {res.returncode})", _last_lines(res.stdout + res.stderr)
        )


def _with_server_stopped(settings: Settings, work: Callable[[], None]) -> None:
    if not settings.managed_neo4j:
        raise Neo4jServerError(
            f"Neo4j at {settings.bolt_uri} is external (NEO4J_URI): run `neo4j-admin database "
            "dump` / `load` on its host (docs/ops.md)"
        )
    was_running = server.stop(settings)
    try:
        work()
    finally:
        if was_running:
            server.start(settings)


def backup(settings: Settings, target: Path) -> Path:
    """Dump the database to `target` (a .dump file, or a directory); returns the file written."""
    out = dump_path(target.expanduser().resolve(), settings.neo4j_database)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        raise Neo4jServerError(f"{out} already exists; choose another name or remove it")

    def work() -> None:
        # neo4j-admin writes <database>.dump into a directory: dump next to the target, then rename.
        with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
            _admin(settings, "dump", settings.neo4j_database, f"--to-path={tmp}")
            shutil.move(Path(tmp) / f"{settings.neo4j_database}.dump", out)

    _with_server_stopped(settings, work)
    return out


def restore(settings: Settings, source: Path) -> Path:
    """Replace the database with the dump `source` (a .dump file, or a directory holding `<database>.dump`)."""
    dump = dump_path(source.expanduser().resolve(), settings.neo4j_database)
    if not dump.is_file():
        raise Neo4jServerError(f"no dump at {dump}")

    def work() -> None:
        # load reads <database>.dump from a directory: link the file under that name in a scratch one.
        with tempfile.TemporaryDirectory() as tmp:
            os.symlink(dump, Path(tmp) / f"{settings.neo4j_database}.dump")
            _admin(settings, "load", settings.neo4j_database, f"--from-path={tmp}", "--overwrite-destination=true")

    _with_server_stopped(settings, work)
    return dump
