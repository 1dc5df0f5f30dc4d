"""Random inspection (双随机一公开): a department's roster of inspectors, and the draw of entities per grade
and of inspector teams from a stored seed, recorded so that it can be verified (graph_api/domain/inspection.py
states the rule)."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graph_api.domain import inspection
from graph_api.domain.actor import Actor
from graph_api.domain.clock import today
from graph_api.domain.grading import region_prefix
from graph_api.domain.refusals import Refused
from graph_api.errors import BadUserInput
from graph_api.services.grade_batch import grade_pages_async
from graph_api.services.inputs import day_done
from graph_api.services.reads import Read, store_reader
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries

_PERIOD = re.compile(r"^\d{4}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$")
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True)
class InspectorRequest:
    id: str  # 1 to 64 letters, digits, '.', '_' or '-'
    name: str


@dataclass(frozen=True)
class DrawRequest:
    period: str  # 2026, 2026-H2, 2026-Q4 or 2026-10
    region: str | None = None  # default: the department's region
    seed: str | None = None  # default: a random seed, stored with the draw
    as_of: dt.date | None = None  # the day of the grades; default today


async def grades_by_grade(read: Read, as_of: dt.date, region: str) -> dict[str, list[str]]:
    """The usccs of the region's entities by their grade as of the day (what a draw samples from)."""
    by_grade: dict[str, list[str]] = defaultdict(list)
    async for page in grade_pages_async(read, as_of, region):
        for g in page:
            by_grade[g.grade].append(g.uscc)
    return by_grade


async def register_inspector(
    store: Store, actor: Actor, request: InspectorRequest, trail: Trail = NO_TRAIL
) -> dict[str, Any]:
    """Add an inspector to the acting officer's department's roster; returns the inspector's id and name."""
    department = actor.officer()
    if not _ID.match(request.id):
        raise BadUserInput("id must have 1 to 64 letters, digits, '.', '_' or '-'", field="id")
    name = request.name.strip()
    if not 1 <= len(name) <= 64:
        raise BadUserInput("name must have 1 to 64 characters", field="name")

    async def work(tx: Tx) -> dict[str, Any]:
        ctx = await tx.single(queries.inspector_context, department=department, id=request.id)
        if not ctx["departmentFound"]:
            raise Refused("UNKNOWN_DEPARTMENT", f"department {department} is not in the graph")
        if ctx["idTaken"]:
            raise Refused("DUPLICATE_ID", f"an inspector {request.id} exists already", field="id")
        row = await tx.single(
            queries.inspector_create, department=department, id=request.id, name=name, at=dt.datetime.now(dt.UTC)
        )
        tx.changed(
            row["nodeId"],
            "Inspector",
            request.id,
            None,
            f"inspector {request.id} joined {department}'s roster",
            None,
            {**dict(row["inspector"]), "department": department},
        )
        return dict(row["inspector"])

    return await write(store, actor, "registerInspector", work, trail)


def _check_draw(d: DrawRequest) -> None:
    if not _PERIOD.match(d.period):
        raise BadUserInput("period must look like 2026, 2026-H2, 2026-Q4 or 2026-10", field="period")
    if d.region is not None and not re.fullmatch(r"\d{6}", d.region):
        raise BadUserInput("region must be a 6-digit division code", field="region")
    if d.seed is not None and not 1 <= len(d.seed) <= 128:
        raise BadUserInput("seed must have 1 to 128 characters", field="seed")
    if d.as_of is not None:
        day_done(d.as_of, "asOf")


async def draw_inspection(
    store: Store, actor: Actor, request: DrawRequest, trail: Trail = NO_TRAIL, *, read: Read | None = None
) -> dict[str, Any]:
    """Draw entities per grade and inspector teams for the acting officer's department (双随机), recorded with
    its seed. The grades are read (by `read`, default through the store) before the write transaction.
    Returns the draw's properties as stored, with `createdAt`."""
    department = actor.officer()
    _check_draw(request)
    read = read or store_reader(store)
    as_of, seed, period = request.as_of or today(), request.seed or secrets.token_hex(16), request.period
    ratios, per_entity = inspection.settings()["ratios"], inspection.settings()["inspectorsPerEntity"]
    dept = await read(queries.department_by_code, code=department)
    if not dept:
        raise Refused("UNKNOWN_DEPARTMENT", f"department {department} is not in the graph")
    home = dept[0]["department"]["region"]
    region = request.region or home
    if not region.startswith(region_prefix(home) or ""):
        raise BadUserInput(f"region {region} is outside the department's region {home}", field="region")
    draw_id = f"DRAW-{department}-{period}-{region}"
    by_grade = await grades_by_grade(read, as_of, region)

    async def work(tx: Tx) -> dict[str, Any]:
        at = dt.datetime.now(dt.UTC)
        ctx = await tx.single(queries.draw_context, department=department, id=draw_id, at=at)
        if ctx["exists"]:
            raise Refused(
                "ALREADY_DRAWN",
                f"{department} has drawn for {period} in {region} already ({draw_id}); a draw is never redone",
                field="period",
            )
        roster = [r["id"] for r in await tx.run(queries.roster_at, department=department, at=at)]
        if len(roster) < per_entity:
            raise Refused(
                "ROSTER_TOO_SMALL",
                f"the roster of {department} has {len(roster)} inspector(s); a draw needs at least {per_entity}",
            )
        selections = inspection.draw(by_grade, ratios, roster, seed, per_entity)
        digest = inspection.digest(department, period, region, seed, as_of.isoformat(), ratios, selections)
        props = {
            "id": draw_id,
            "department": department,
            "period": period,
            "region": region,
            "seed": seed,
            "asOf": as_of,
            "ratios": json.dumps(ratios, sort_keys=True),
            "perEntity": per_entity,
            "at": at,
            "digest": digest,
        }
        row = await tx.single(queries.draw_create, selections=[s.as_dict() for s in selections], **props)
        tx.changed(
            row["nodeId"],
            "Draw",
            draw_id,
            None,
            f"inspection draw {draw_id}: {len(selections)} entities",
            None,
            {**props, "selected": len(selections), "roster": roster},
        )
        return {**props, "createdAt": at}

    return await write(store, actor, "drawInspection", work, trail)
