"""`graph-api export bods|ftm --uscc X`: the ownership-and-control network of an entity as BODS 0.4 or
FollowTheMoney (services/exports.py), on stdout or into a file. The command acts as an explicit role,
the public by default (names masked); a role with a credential reads names in full. It never states
identity numbers: a purpose is stated, and audited, through the API (x-purpose), not on a command line."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import neo4j
import typer

from graph_api.cli.common import EXIT_DATABASE, connect, err
from graph_api.domain.actor import ROLES, Actor
from graph_api.domain.clock import today
from graph_api.errors import NotFound
from graph_api.services import exports
from graph_api.services.reads import store_reader
from graph_api.services.unit_of_work import Store
from graph_api.settings import get_settings
from graph_api.store.db import async_driver

export_app = typer.Typer(no_args_is_help=True, help="An entity's ownership-and-control network as BODS 0.4 or FtM.")

USCC_OPTION = typer.Option(..., "--uscc", help="The entity's unified social credit code.")
AS_OF_OPTION = typer.Option(None, "--as-of", help="The day the network is as of (YYYY-MM-DD); default today.")
OUT_OPTION = typer.Option(None, "--out", help="Write the document here instead of stdout.")
ROLE_OPTION = typer.Option("PUBLIC", "--role", help=f"Whom the command acts as: {', '.join(ROLES)}.")
THRESHOLD_OPTION = typer.Option(0.25, "--threshold", help="The effective share that makes a beneficial owner.")


def _export(fmt: str, uscc: str, as_of: str | None, out: Path | None, role: str, threshold: float) -> None:
    try:
        day = dt.date.fromisoformat(as_of) if as_of else today()
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date YYYY-MM-DD", param_hint="--as-of") from None
    if role not in ROLES:
        raise typer.BadParameter(f"{role!r} is not one of {', '.join(ROLES)}", param_hint="--role")
    if not 0 < threshold <= 1:
        raise typer.BadParameter("a share with 0 < threshold <= 1", param_hint="--threshold")
    settings = get_settings()
    connect(settings).close()  # exit 3 with what to do when Neo4j is not reachable
    actor = Actor(user="cli", role=role)

    async def run() -> str:
        driver = async_driver(settings)
        try:
            read = store_reader(Store(driver, settings.neo4j_database))
            export = await exports.ownership_network(read, actor, uscc, day, threshold)
            return exports.document(export.network, fmt)[1]
        finally:
            await driver.close()

    try:
        content = asyncio.run(run())
    except NotFound as e:
        err.print(f"[bold red]Error:[/] {e}")
        raise typer.Exit(1) from None
    except neo4j.exceptions.ServiceUnavailable:
        err.print(f"[bold red]Error:[/] Neo4j at {settings.bolt_uri} is not reachable.")
        raise typer.Exit(EXIT_DATABASE) from None
    if out is None:
        typer.echo(content, nl=False)
    else:
        out.write_text(content, encoding="utf-8")
        err.print(f"wrote {out}")


@export_app.command("bods")
def bods_cmd(
    uscc: str = USCC_OPTION,
    as_of: str | None = AS_OF_OPTION,
    out: Path | None = OUT_OPTION,
    role: str = ROLE_OPTION,
    threshold: float = THRESHOLD_OPTION,
) -> None:
    """BODS 0.4 statements, a JSON array (the BODS visualiser and libcovebods read it)."""
    _export("BODS", uscc, as_of, out, role, threshold)


@export_app.command("ftm")
def ftm_cmd(
    uscc: str = USCC_OPTION,
    as_of: str | None = AS_OF_OPTION,
    out: Path | None = OUT_OPTION,
    role: str = ROLE_OPTION,
    threshold: float = THRESHOLD_OPTION,
) -> None:
    """FollowTheMoney entities, JSON Lines (Aleph and the ftm tools read them)."""
    _export("FTM", uscc, as_of, out, role, threshold)
