"""What every `graph-api` subcommand shares: the error console, the exit codes and the connection."""

from __future__ import annotations

import neo4j
import typer
from rich.console import Console

from graph_api.settings import Settings
from graph_api.store.db import sync_driver

err = Console(stderr=True)

EXIT_REJECTS = 2
EXIT_DATABASE = 3


def connect(settings: Settings) -> neo4j.Driver:
    """A driver to the configured graph, or exit 3 with what to do when it is not reachable."""
    driver = sync_driver(settings)
    try:
        driver.verify_connectivity()
    except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.AuthError, OSError) as e:
        driver.close()
        hint = (
            "start it with `graph-api neo4j start`" if settings.managed_neo4j else "check NEO4J_URI and its credentials"
        )
        err.print(f"[bold red]Error:[/] Neo4j at {settings.bolt_uri} is not reachable ({type(e).__name__}); {hint}.")
        raise typer.Exit(EXIT_DATABASE) from None
    return driver
