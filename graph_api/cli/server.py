"""`graph-api neo4j ...`: install, start, stop and inspect the managed local Neo4j server."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from graph_api.ops import neo4j_server as server
from graph_api.ops.neo4j_install import pom_version
from graph_api.settings import get_settings

neo4j_app = typer.Typer(help="Manage the local Neo4j server (run from the Maven jars).", no_args_is_help=True)
console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def _reporting(fn: Callable[P, R]) -> Callable[P, R]:
    """Show progress from the server module, and turn its errors into a message, the log tail and exit 1."""

    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        logger = logging.getLogger(server.__name__)
        if not logger.handlers and not logging.getLogger().handlers:  # unless the main CLI set up logging
            logger.addHandler(RichHandler(console=console, show_time=False, show_path=False))
            logger.setLevel(logging.INFO)
        try:
            return fn(*args, **kwargs)
        except server.Neo4jServerError as e:
            console.print(f"[bold red]Error:[/] {escape(str(e))}")
            if e.log_tail:
                console.print(Panel(Text(e.log_tail), title="log tail", border_style="red", expand=False))
            raise typer.Exit(1) from e

    return run


@neo4j_app.command("install")
@_reporting
def install_cmd() -> None:
    """Fetch the Neo4j and APOC jars with Maven (quick no-op when present)."""
    settings = get_settings()
    jars = server.install(settings)
    console.print(f"Neo4j {pom_version(settings)} jars in {jars}")


@neo4j_app.command("start")
@_reporting
def start_cmd() -> None:
    """Start the server and wait until it answers a query."""
    settings = get_settings()
    if not settings.managed_neo4j:
        server.start(settings)
        console.print(f"External Neo4j at {settings.bolt_uri} answers; nothing to start.")
    elif server.start(settings):
        console.print(f"[green]Neo4j ready[/] at {settings.bolt_uri}")
    else:
        console.print(f"Neo4j already running at {settings.bolt_uri}")
    print(settings.bolt_uri)  # on stdout, for scripts


@neo4j_app.command("stop")
@_reporting
def stop_cmd() -> None:
    """Stop the managed server (SIGTERM, then SIGKILL after 60 s)."""
    settings = get_settings()
    if not settings.managed_neo4j:
        console.print(f"Neo4j at {settings.bolt_uri} is external (NEO4J_URI); not stopping it.")
    elif server.stop(settings):
        console.print("Neo4j stopped.")
    else:
        console.print("Neo4j was not running.")


@neo4j_app.command("status")
@_reporting
def status_cmd() -> None:
    """Show whether the server runs and answers; exit 1 if it does not answer."""
    settings = get_settings()
    st = server.status(settings)
    table = Table(show_header=False, box=None)
    table.add_row("server", "managed" if st.managed else "external (NEO4J_URI)")
    if st.managed:
        table.add_row("home", str(settings.neo4j_home))
        table.add_row("process", f"[green]running[/], pid {st.pid}" if st.running else "[red]not running[/]")
    table.add_row("bolt", st.bolt_uri)
    table.add_row("query", "[green]ok[/]" if st.query_ok else f"[red]failed[/]: {escape(st.error or '')}")
    if st.version:
        table.add_row("version", st.version)
    Console().print(table)
    if not st.query_ok:
        raise typer.Exit(1)
