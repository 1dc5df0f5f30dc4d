"""`graph-api scan risks`: a risk scan of services/risks.py over the configured graph, every page of it,
printed as JSON Lines (kind, subject, score, count and each path as text) or written to --out. It only
reads. Persons appear by name and opaque key, never by identity number.
`graph-api scan deadlines`: the daily scan of services/deadlines.py, which raises alerts (deadlines near or
lapsed, grade changes of watched entities) and prints what it found and raised as one JSON object."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import neo4j
import typer

from graph_api.cli.common import connect, err
from graph_api.errors import BadUserInput
from graph_api.services import deadlines, risks
from graph_api.settings import get_settings
from graph_api.store.run import run_sync

scan_app = typer.Typer(
    no_args_is_help=True, help="Scans of the whole graph: risks (read only), deadlines (raises alerts; daily)."
)

PAGE = 100


@scan_app.command("risks")
def risks_command(
    kind: str = typer.Option(..., "--kind", help="One of " + ", ".join(k.name for k in risks.RiskKind) + "."),
    as_of: str | None = typer.Option(None, "--as-of", help="The day (YYYY-MM-DD); default today."),
    region: str | None = typer.Option(None, "--region", help="A 6-digit division code (370200 covers its districts)."),
    min_entities: int = typer.Option(3, "--min-entities", help="RESPONSIBLE_OF_LISTED: entities in all."),
    min_listed: int = typer.Option(2, "--min-listed", help="RESPONSIBLE_OF_LISTED: listed entities."),
    max_hops: int = typer.Option(2, "--max-hops", help=f"LISTED_CLUSTER: relationships, 1..{risks.MAX_HOPS}."),
    max_length: int = typer.Option(risks.MAX_CYCLE, "--max-length", help="CIRCULAR_HOLDING: entities on a cycle."),
    level: str = typer.Option("CITY", "--level", help="BOUND_ELSEWHERE: PROVINCE, CITY or DISTRICT."),
    out: Path | None = typer.Option(None, "--out", help="Write the findings there as JSON Lines, not to stdout."),
) -> None:
    """Run one risk scan; the findings in rank order, one JSON object a line; the count on stderr."""
    if kind not in risks.RiskKind.__members__:
        raise typer.BadParameter(f"{kind!r} is not one of {', '.join(risks.RiskKind.__members__)}", param_hint="--kind")
    if level not in risks.RegionLevel.__members__:
        raise typer.BadParameter(f"{level!r} is not PROVINCE, CITY or DISTRICT", param_hint="--level")
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date YYYY-MM-DD", param_hint="--as-of") from None
    scan = risks.RiskScan(
        kind=risks.RiskKind[kind],
        as_of=day,
        region=region,
        min_entities=min_entities,
        min_listed=min_listed,
        max_hops=max_hops,
        max_length=max_length,
        level=risks.RegionLevel[level],
    )
    try:
        scan.check()
    except BadUserInput as e:
        raise typer.BadParameter(e.message) from None
    settings = get_settings()
    total = 0
    with connect(settings) as driver, open(out, "w", encoding="utf-8") if out else open("/dev/stdout", "w") as sink:
        after: list[object] | None = None
        while True:
            rows = run_sync(
                driver,
                scan.statement,
                database_=settings.neo4j_database,
                routing_=neo4j.RoutingControl.READ,
                **scan.params(after, PAGE),
            )
            if not rows:  # nothing found: the statement's paging row has no group to come from
                break
            row = rows[0]
            found = risks.findings(scan.kind, row["page"])
            sink.write("".join(json.dumps(f.as_dict(), ensure_ascii=False) + "\n" for f in found))
            total += len(found)
            if not found or row["start"] + len(found) >= row["totalCount"]:
                break
            after = row["keys"][-1]
    err.print(f"{total} findings of {kind}")


@scan_app.command("deadlines")
def deadlines_command(
    as_of: str | None = typer.Option(None, "--as-of", help="The day (YYYY-MM-DD); default today."),
    soon: int = typer.Option(3, "--soon", min=0, max=60, help="Working days ahead that count as near."),
) -> None:
    """Raise DEADLINE_SOON / DEADLINE_LAPSED alerts (publication, objection answer, task feedback, commitment)
    and GRADE alerts for watched entities; each at most once, so a re-run raises nothing new."""
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date YYYY-MM-DD", param_hint="--as-of") from None
    settings = get_settings()
    with connect(settings) as driver:
        result = deadlines.scan(driver, settings.neo4j_database, day, soon)
    print(json.dumps(result.as_dict()))
