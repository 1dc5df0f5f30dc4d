"""`graph-api schema-diff`: what a change of the committed SDL (schema.graphql) breaks for clients.

graphql-core's own comparison (`find_breaking_changes`, `find_dangerous_changes`, the rules of graphql-js's
schema diff) between schema.graphql at a git revision (default the previous commit) or an older SDL file,
and the working tree's schema.graphql. Breaking: a client's valid operation may fail (a field or type
removed, an argument made required, a type changed). Dangerous: it may behave differently (an enum value or
a union member added, a default changed). `.ci/run` prints it for every run; CHANGELOG.md says what to do."""

from __future__ import annotations

import subprocess
from pathlib import Path

import typer
from graphql import build_schema, find_breaking_changes, find_dangerous_changes


def schema_diff_command(
    against: str = typer.Option("HEAD~1", "--against", help="The git revision whose schema.graphql is the old one."),
    old: Path | None = typer.Option(None, "--old", exists=True, dir_okay=False, help="An older SDL file instead."),
    new: Path = typer.Option(Path("schema.graphql"), "--new", exists=True, dir_okay=False, help="The new SDL."),
    fail_on_breaking: bool = typer.Option(False, "--fail-on-breaking", help="Exit 1 when anything breaks."),
) -> None:
    """Report the breaking and dangerous changes of the schema against an older one."""
    if old is not None:
        before, origin = old.read_text(encoding="utf-8"), str(old)
    else:
        shown = subprocess.run(["git", "show", f"{against}:schema.graphql"], capture_output=True, text=True)
        if shown.returncode != 0:
            typer.echo(f"no schema.graphql at {against}: nothing to compare")
            return
        before, origin = shown.stdout, f"{against}:schema.graphql"
    old_schema, new_schema = build_schema(before), build_schema(new.read_text(encoding="utf-8"))
    breaking = find_breaking_changes(old_schema, new_schema)
    dangerous = find_dangerous_changes(old_schema, new_schema)
    typer.echo(f"{new} against {origin}: {len(breaking)} breaking, {len(dangerous)} dangerous")
    for change in breaking:
        typer.echo(f"BREAKING   {change.type.name:<32} {change.description}")
    for risk in dangerous:
        typer.echo(f"DANGEROUS  {risk.type.name:<32} {risk.description}")
    if breaking and fail_on_breaking:
        raise typer.Exit(1)
