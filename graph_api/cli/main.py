"""`graph-api`: the one console command — neo4j, db, import, seed, grades, serve."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import neo4j
import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph_api.cli.common import EXIT_DATABASE, EXIT_REJECTS, connect, err
from graph_api.cli.deliver import deliver_app
from graph_api.cli.docs import docs_app
from graph_api.cli.exports import export_app
from graph_api.cli.grades import grades_command
from graph_api.cli.scan import scan_app
from graph_api.cli.schema_diff import schema_diff_command
from graph_api.cli.seed import seed_command
from graph_api.cli.server import neo4j_app
from graph_api.ingest.parallel_read import parallel_reader
from graph_api.ingest.pipeline import Importer, ImportInterrupted, ImportReport
from graph_api.resources import DEMO_CITY
from graph_api.settings import get_settings
from graph_api.store.cypher_loader import queries
from graph_api.store.db import sync_driver
from graph_api.store.migrations import apply_schema
from graph_api.store.pii import IdProtector
from graph_api.store.run import run_sync

app = typer.Typer(
    no_args_is_help=True, help="Credit-supervision graph: Neo4j server, import, demo data, GraphQL service."
)
app.add_typer(neo4j_app, name="neo4j")
db_app = typer.Typer(no_args_is_help=True, help="Schema and data of the configured graph.")
app.add_typer(db_app, name="db")
app.add_typer(docs_app, name="docs")
app.add_typer(export_app, name="export")
app.add_typer(scan_app, name="scan")
app.add_typer(deliver_app, name="deliver")
app.command("seed", help="Generate realistic credit data in the interchange format (deterministic).")(seed_command)
app.command("grades", help="Grade all entities as of a day in one batch (read only).")(grades_command)
app.command("schema-diff", help="Breaking and dangerous changes of schema.graphql against an older one.")(
    schema_diff_command
)


@db_app.command("migrate")
def migrate_cmd() -> None:
    """Apply constraints, indexes and the measure catalogue (idempotent; also done at service start)."""
    settings = get_settings()
    with connect(settings) as driver:
        version = apply_schema(driver, settings.neo4j_database)
    err.print(f"schema at version {version}")


@db_app.command("wipe")
def wipe_cmd(yes: bool = typer.Option(False, "--yes", help="Confirm deleting every node and relationship.")) -> None:
    """Delete all data of the configured database (the schema stays)."""
    settings = get_settings()
    if not yes:
        typer.confirm(f"Delete ALL data in {settings.bolt_uri} database {settings.neo4j_database!r}?", abort=True)
    with connect(settings) as driver:
        deleted = 0
        while True:
            batch = run_sync(driver, queries.admin_wipe_batch, limit=10_000, database_=settings.neo4j_database)[0][
                "deleted"
            ]
            deleted += batch
            if batch == 0:
                break
    err.print(f"deleted {deleted} nodes")


@db_app.command("backup")
def backup_cmd(
    to: Path = typer.Option(..., "--to", help="A .dump file to write, or a directory (gets <database>.dump)."),
) -> None:
    """Dump the managed database with `neo4j-admin database dump` (the server is stopped meanwhile and
    started again: Community edition dumps only a stopped database)."""
    from graph_api.ops.backup import backup
    from graph_api.ops.neo4j_install import Neo4jServerError

    try:
        out = backup(get_settings(), to)
    except Neo4jServerError as e:
        err.print(f"[bold red]Error:[/] {e}\n{e.log_tail}")
        raise typer.Exit(1) from None
    err.print(f"backup written to {out}")
    typer.echo(str(out))


@db_app.command("restore")
def restore_cmd(
    source: Path = typer.Option(..., "--from", help="A .dump file, or a directory holding <database>.dump."),
    yes: bool = typer.Option(False, "--yes", help="Confirm replacing ALL data of the database."),
) -> None:
    """Replace the managed database with a dump, with `neo4j-admin database load` (server stopped meanwhile)."""
    from graph_api.ops.backup import restore
    from graph_api.ops.neo4j_install import Neo4jServerError

    settings = get_settings()
    if not yes:
        typer.confirm(f"Replace ALL data of database {settings.neo4j_database!r} with {source}?", abort=True)
    try:
        dump = restore(settings, source)
    except Neo4jServerError as e:
        err.print(f"[bold red]Error:[/] {e}\n{e.log_tail}")
        raise typer.Exit(1) from None
    err.print(f"database {settings.neo4j_database!r} restored from {dump}")


@app.command("import")
def import_cmd(
    files: list[Path] | None = typer.Argument(
        None, exists=True, dir_okay=False, readable=True, help="JSON Lines files."
    ),
    demo: bool = typer.Option(False, "--demo", help="Import the demo city the package carries (seed/demo.jsonl)."),
    rejects: Path = typer.Option(
        Path("rejects.jsonl"), "--rejects", help="Where rejected lines go, with line number, code and message."
    ),
    batch_size: int | None = typer.Option(None, "--batch-size", min=1, max=50_000, help="Facts per transaction."),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Processes that read and validate lines (1: in the importer itself)."
    ),
    writers: int = typer.Option(
        1, "--writers", min=1, max=16, help="Transactions written side by side, on disjoint keys."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON on stdout."),
    bulk: bool = typer.Option(
        False,
        "--bulk",
        help="First load of an EMPTY database through neo4j-admin (same checks and rejects); the managed "
        "server is stopped for it and started again.",
    ),
    bulk_csv: Path | None = typer.Option(
        None, "--bulk-csv", file_okay=False, help="With --bulk: write the CSV files here and keep them."
    ),
) -> None:
    """Import credit data in the interchange format. Safe to run again: unchanged facts stay as they
    are, changed ones are updated with their earlier version kept, and an interrupted import resumes.

    Exit status: 0 all lines imported; 2 some lines rejected (see --rejects), the rest imported;
    3 the database was unreachable (run the same command again to resume)."""
    files = [*(files or []), *([DEMO_CITY] if demo else [])]
    if not files:
        err.print("[bold red]Error:[/] name the files to import, or --demo for the demo city")
        raise typer.Exit(2)
    if bulk:
        from graph_api.cli.bulk_import import bulk_import

        report = bulk_import(files, rejects, bulk_csv)
        _print_report(report, rejects, as_json)
        if report.total_rejected:
            raise typer.Exit(EXIT_REJECTS)
        return
    settings = get_settings()
    with connect(settings) as driver, open(rejects, "w", encoding="utf-8") as rejects_file:
        apply_schema(driver, settings.neo4j_database)
        total = sum(f.stat().st_size for f in files)
        columns = [TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=err, disable=not err.is_terminal, transient=True) as progress:
            reading = progress.add_task("reading", total=total)
            linking = progress.add_task("linking", total=None)

            def advance(phase: str, n: int) -> None:
                progress.advance(reading if phase == "read" else linking, n)

            protector = IdProtector.from_settings(settings)
            today = dt.date.today()
            importer = Importer(
                driver,
                settings.neo4j_database,
                protector,
                rejects_file,
                batch_size=batch_size or settings.import_batch_size,
                today=today,
                progress=advance,
                writers=writers,
                reader=parallel_reader(
                    protector,
                    today,
                    workers,
                    open_driver=lambda: sync_driver(settings),
                    database=settings.neo4j_database,
                )
                if workers > 1
                else None,
            )
            try:
                report = importer.run(files)
            except neo4j.exceptions.Neo4jError as e:
                _print_report(importer.report, rejects, as_json)
                err.print(
                    f"[bold red]Error:[/] the database refused a batch ({e.code}): {e.message}. "
                    "Batches committed before it are kept; fix the cause and run the same command again."
                )
                raise typer.Exit(1) from None
            except ImportInterrupted as e:
                _print_report(e.report, rejects, as_json)
                err.print(
                    f"[bold red]Error:[/] the database became unavailable ({type(e.cause).__name__}). "
                    "Everything committed so far is kept; run the same command again to resume."
                )
                raise typer.Exit(EXIT_DATABASE) from None
    _print_report(report, rejects, as_json)
    if report.total_rejected:
        raise typer.Exit(EXIT_REJECTS)


def _print_report(report: ImportReport, rejects: Path, as_json: bool) -> None:
    rows = {kind: vars(c) for kind, c in sorted(report.counts.items())}
    if as_json:
        typer.echo(json.dumps({"counts": rows, "rejects": str(rejects)}, ensure_ascii=False))
    else:
        table = Table(title="import")
        for col in ("kind", "read", "created", "updated", "unchanged", "rejected"):
            table.add_column(col, justify="left" if col == "kind" else "right")
        for kind, c in rows.items():
            table.add_row(kind, *(str(c[k]) for k in ("read", "created", "updated", "unchanged", "rejected")))
        Console().print(table)
    if report.total_rejected:
        err.print(
            f"{report.total_rejected} line(s) rejected; each is in {rejects} with its line number, code and message."
        )


@app.command("sdl")
def sdl_cmd(out: Path | None = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout.")) -> None:
    """Print the GraphQL schema (SDL) that the service serves; `make schema` commits it as schema.graphql."""
    from graph_api.api.graphql.schema import schema

    text = schema.as_str().strip() + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@app.command("serve")
def serve_cmd(
    host: str | None = typer.Option(None, help="Bind address (default from settings: 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default from settings: 8000)."),
    workers: int = typer.Option(1, min=1, help="Worker processes; the service is stateless."),
) -> None:
    """Serve GraphQL at /graphql, with /healthz, /readyz and /metrics; logs are JSON lines on stderr."""
    import uvicorn

    from graph_api.api.http_protocol import server_options
    from graph_api.ops.logging_setup import log_config

    settings = get_settings()
    uvicorn.run(
        "graph_api.api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_config=log_config(settings.log_level),
        access_log=False,
        **server_options(settings),
    )


@app.command("token")
def token_cmd(
    user: str = typer.Option(..., "--user", help="Who the token is for (recorded as the acting user)."),
    role: str = typer.Option(..., "--role", help="PUBLIC, ENTITY, OFFICER, INVESTIGATOR, SANCTIONS or ADMIN."),
    department: str | None = typer.Option(None, "--department", help="The department an OFFICER acts for."),
    uscc: str | None = typer.Option(None, "--uscc", help="The entity an ENTITY user acts for."),
    hours: float = typer.Option(8.0, "--hours", min=0.01, max=24 * 30, help="Validity in hours."),
) -> None:
    """Issue a bearer token signed with this installation's key (GRAPH_API_JWT_*), for local use and tests."""
    import datetime as dt

    from graph_api.api.auth import Claims, InvalidCredentials, issue_token
    from graph_api.domain.identifiers import InvalidIdentifier, validate_uscc

    try:
        code = validate_uscc(uscc) if uscc else None
        token = issue_token(
            get_settings(),
            Claims(user=user, role=role.upper(), department=department, uscc=code),
            dt.timedelta(hours=hours),
        )
    except (InvalidCredentials, InvalidIdentifier) as e:
        err.print(f"[red]cannot issue the token:[/red] {getattr(e, 'message', e)}")
        raise typer.Exit(2) from None
    typer.echo(token)


audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify_cmd() -> None:
    """Check the audit trail's hash chain: exit 0 when intact, 1 naming the first entry that fails."""
    from graph_api.store.audit import verify

    settings = get_settings()
    with connect(settings) as driver:
        result = verify(driver, settings.neo4j_database)
    if result.ok:
        typer.echo(f"audit trail intact: {result.entries} entries")
        return
    typer.echo(
        f"audit trail broken at entry {result.broken_at}: {result.reason} "
        f"({result.entries} entries verified before it)",
        err=True,
    )
    raise typer.Exit(1)
