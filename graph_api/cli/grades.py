"""`graph-api grades`: grade every entity (of a region) as of a day in one batch, streamed page by page;
optionally each grade with its reasons as JSON Lines. It only reads the graph."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from pathlib import Path

import typer

from graph_api.cli.common import connect, err
from graph_api.services.grade_batch import LANES, PAGE_SIZE, grade_pages
from graph_api.settings import get_settings


def grades_command(
    as_of: str = typer.Option(..., "--as-of", help="The day graded (YYYY-MM-DD)."),
    region: str | None = typer.Option(
        None, "--region", help="A division code (370200 covers its districts); default all."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write {uscc, grade, reasons} per entity as JSON Lines."),
    page_size: int = typer.Option(PAGE_SIZE, "--page-size", min=1, max=200_000, help="Entities per statement."),
    lanes: int = typer.Option(LANES, "--lanes", min=1, max=32, help="Pages read side by side."),
    as_json: bool = typer.Option(False, "--json", help="Print counts and rate as JSON on stdout."),
) -> None:
    """Grade all entities as of a day; prints the count per grade and entities per second."""
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date YYYY-MM-DD", param_hint="--as-of") from None
    settings = get_settings()
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    with connect(settings) as driver, open(out, "w", encoding="utf-8") if out else open("/dev/null", "w") as sink:
        for page in grade_pages(driver, settings.neo4j_database, day, region, page_size, lanes):
            counts.update(g.grade for g in page)
            if out:
                sink.write("".join(json.dumps(g.as_dict(), ensure_ascii=False) + "\n" for g in page))
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    rate = total / seconds if seconds > 0 else 0.0
    summary = {
        "asOf": day.isoformat(),
        "region": region,
        "total": total,
        "counts": {k: counts[k] for k in "ABCDE"},
        "seconds": round(seconds, 3),
        "entitiesPerSecond": round(rate),
    }
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        typer.echo(" ".join(f"{k}={counts[k]}" for k in "ABCDE") + f" total={total}")
        err.print(f"graded {total} entities in {seconds:.2f} s ({rate:,.0f} entities/s)")
