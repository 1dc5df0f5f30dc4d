"""`graph-api seed`: write deterministic, realistic credit data in the interchange format (seed/)."""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from graph_api.seed import generate
from graph_api.seed.base import KINDS

_err = Console(stderr=True)


def seed_command(
    entities: int = typer.Option(
        300,
        "--entities",
        min=0,
        help="How many entities (firms, individual businesses, organisations) to write; people, roles, holdings, "
        "records, listings and commitments follow in proportion (about 7.5 lines per entity).",
    ),
    seed: int = typer.Option(
        42, "--seed", help="Random seed: the same --entities, --seed and --as-of give the same bytes."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Output JSON Lines file, or '-' for standard output."),
    as_of: str = typer.Option(
        "2026-06-30", "--as-of", metavar="YYYY-MM-DD", help="No date in the data is later than this."
    ),
) -> None:
    """Generate realistic credit data (departments, entities, people, roles, holdings, branches,
    records, listings, commitments) in the interchange format, cluster by cluster, in constant memory."""
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date like 2026-06-30", param_hint="--as-of") from None
    if day < date(2001, 1, 1):
        raise typer.BadParameter(
            "must be 2001-01-01 or later: firms are established from 1996 on", param_hint="--as-of"
        )
    started = time.perf_counter()
    try:
        if str(out) == "-":
            stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
            try:
                counts = generate(stream, entities, seed, day)
                stream.flush()
            finally:
                stream.detach()
        elif out.exists() and not out.is_file():  # /dev/null, a named pipe
            with open(out, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as stream:
                counts = generate(stream, entities, seed, day)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            partial = out.with_name(out.name + ".part")  # never leave a half-written file under the real name
            try:
                with open(partial, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as stream:
                    counts = generate(stream, entities, seed, day)
                os.replace(partial, out)
            finally:
                partial.unlink(missing_ok=True)
    except BrokenPipeError:  # e.g. `graph-api seed -o - | head`
        sys.stderr.close()
        raise typer.Exit(0) from None
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    _err.print(f"seed {seed}, {entities:,} entities, as of {day.isoformat()} → {out}")
    table = Table()
    table.add_column("kind")
    table.add_column("lines", justify="right")
    for kind in KINDS:
        table.add_row(kind, f"{counts.get(kind, 0):,}")
    table.add_row("[bold]total[/]", f"[bold]{total:,}[/]")
    _err.print(table)
    _err.print(f"{elapsed:.1f} s, {total / elapsed if elapsed else 0:,.0f} lines/s")
