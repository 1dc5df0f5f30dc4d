"""`graph-api docs`: documentation generated from the code, so that it cannot drift from it."""

from __future__ import annotations

from pathlib import Path

import typer

from graph_api.api.permission_matrix import render, with_matrix

docs_app = typer.Typer(no_args_is_help=True, help="Documentation generated from the code.")


@docs_app.command("permissions")
def permissions_cmd(
    readme: Path | None = typer.Option(
        None, "--readme", help="Rewrite the matrix between its markers in this file instead of printing it."
    ),
) -> None:
    """The permission matrix, from the permission table (graph_api/domain/permissions.py)."""
    if readme is None:
        typer.echo(render())
        return
    try:
        readme.write_text(with_matrix(readme.read_text(encoding="utf-8")), encoding="utf-8")
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--readme") from None
