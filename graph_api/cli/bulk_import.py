"""`graph-api import --bulk`: the first load of an empty database through `neo4j-admin database import`.

The managed server must be running, as for the normal import, unless its home is new (no database
yet): the command checks through it that the database is empty, validates every line while it keeps
serving (the same checks, rejects file and codes as the normal import), stops it for neo4j-admin,
starts it again and applies the migrations (schema, indexes, measure catalogue), which Community
edition cannot build during a bulk import."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import typer

from graph_api.cli.common import connect, err
from graph_api.ingest.bulk import BulkValidator
from graph_api.ingest.pipeline import ImportReport
from graph_api.ops import neo4j_server
from graph_api.ops.neo4j_admin_import import admin_import
from graph_api.ops.neo4j_install import Neo4jServerError
from graph_api.settings import get_settings
from graph_api.store.cypher_loader import queries
from graph_api.store.migrations import apply_schema
from graph_api.store.pii import IdProtector
from graph_api.store.run import run_sync


def bulk_import(files: list[Path], rejects: Path, keep_csv: Path | None = None) -> ImportReport:
    settings = get_settings()
    if not settings.managed_neo4j:
        err.print(
            f"[bold red]Error:[/] --bulk writes the store of the Neo4j this command manages; {settings.bolt_uri} "
            "is external (NEO4J_URI): use the normal import (without --bulk)"
        )
        raise typer.Exit(1)
    present = []
    # A home whose server never ran a database is empty by definition: nothing to start and ask.
    fresh = not (settings.neo4j_home / "data" / "databases" / settings.neo4j_database).exists()
    if not (fresh and not neo4j_server.status(settings).running):
        with connect(settings) as driver:
            present = run_sync(driver, queries.bulk_data_labels, database_=settings.neo4j_database)
    if present:
        err.print(
            f"[bold red]Error:[/] database {settings.neo4j_database!r} already holds data "
            f"(a node labelled {':'.join(present[0]['labels'])}); --bulk loads an empty database only. "
            "Use the normal import (without --bulk), which adds to and updates a loaded graph."
        )
        raise typer.Exit(1)
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="graph-api-bulk-csv-") as scratch:
        tmp = str(keep_csv.resolve()) if keep_csv else scratch
        t0 = time.perf_counter()
        with open(rejects, "w", encoding="utf-8") as rejects_file:
            validator = BulkValidator(IdProtector.from_settings(settings), rejects_file)
            out = validator.run(files, Path(tmp))
        timings["validate"] = time.perf_counter() - t0
        (Path(tmp) / "neo4j-admin.args").write_text("\n".join(out.arguments()) + "\n", encoding="utf-8")
        try:
            t0 = time.perf_counter()
            timings["neo4j-admin"] = admin_import(settings, out.arguments(), Path(tmp))
            timings["stop-import-start"] = time.perf_counter() - t0
        except Neo4jServerError as e:
            err.print(f"[bold red]Error:[/] {e}\n{e.log_tail}")
            raise typer.Exit(1) from None
    t0 = time.perf_counter()
    with connect(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
    timings["migrate"] = time.perf_counter() - t0
    err.print("bulk import: " + "; ".join(f"{k} {v:.1f} s" for k, v in timings.items()), soft_wrap=True)
    return validator.report
