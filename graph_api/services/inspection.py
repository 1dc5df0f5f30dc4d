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
from typing import Any, cast

from graph_api.domain import inspection
from graph_api.domain.actor import Actor
from graph_api.domain.clock import today
from graph_api.domain.grading import region_prefix
from graph_api.domain.refusals import Refused
from graph_api.errors import BadUserInput
from graph_api.services import industry
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
    max_hops: int | None = None  # 回避 bound; default data/inspection.json conflictHops
    grade_scheme: str | None = None  # an industry scheme's id: its published grades instead of the public ones


@dataclass(frozen=True)
class LinkRequest:
    inspector: str  # the inspector's id, on the acting officer's department's roster
    person: str  # the key hash of the person's identity number


@dataclass(frozen=True)
class RelativeRequest:
    person: str  # key hashes of the two persons
    relative: str


async def conflicts(
    read: Read, roster: list[str], usccs: list[str], as_of: dt.date, at: dt.datetime, max_hops: int
) -> list[inspection.Exclusion]:
    """The exclusions (回避) of a draw: per inspector and drawn entity connected within max_hops, one
    shortest path, chosen by the domain so that a recomputation gives the same."""
    if not roster or not usccs:
        return []
    rows = await read(queries.draw_conflicts, inspectors=roster, usccs=usccs, asOf=as_of, at=at, maxHops=max_hops)
    paths: dict[tuple[str, str], list[inspection.Exclusion]] = defaultdict(list)
    for r in rows:
        paths[(r["inspector"], r["uscc"])].append(
            inspection.Exclusion(
                r["inspector"],
                r["uscc"],
                tuple(r["keys"]),
                tuple(r["relations"]),
                tuple(r["ratios"]),
                tuple(r["forward"]),
            )
        )
    return [inspection.pick_path(candidates) for _, candidates in sorted(paths.items())]


def conflict_record(max_hops: int, exclusions: list[inspection.Exclusion], scheme: str | None) -> dict[str, Any]:
    """What the digest covers of 回避 and of the grades used."""
    return {"maxHops": max_hops, "exclusions": sorted(e.line() for e in exclusions), "gradeScheme": scheme}


async def link_inspector(store: Store, actor: Actor, request: LinkRequest, trail: Trail = NO_TRAIL) -> dict[str, Any]:
    """Tie an inspector of the acting officer's roster to a person of the graph (once: a tie is not moved)."""
    department = actor.officer()

    async def work(tx: Tx) -> dict[str, Any]:
        at = dt.datetime.now(dt.UTC)
        row = await tx.lock(
            queries.inspector_link_lock,
            f"inspector {request.inspector} on the roster of {department}",
            id=request.inspector,
            department=department,
            idHash=request.person,
            at=at,
        )
        if not row["personFound"]:
            raise Refused("NOT_FOUND", "the person is not in the graph", field="person")
        if row["linked"]:
            raise Refused("ALREADY_LINKED", f"inspector {request.inspector} is tied to a person already", "id")
        await tx.single(queries.inspector_link_create, id=request.inspector, idHash=request.person, at=at)
        tx.changed(
            row["nodeId"],
            "Inspector",
            request.inspector,
            request.person,
            f"inspector {request.inspector} tied to a person of the graph",
            None,
            {"person": request.person, "since": at.isoformat()},
        )
        return dict(row["inspector"])

    return await write(store, actor, "linkInspector", work, trail)


async def declare_relative(
    store: Store, actor: Actor, request: RelativeRequest, trail: Trail = NO_TRAIL
) -> dict[str, Any]:
    """Declare two persons close relatives (近亲属), as an inspector's declaration for 回避. Returns when."""
    department = actor.officer()
    if request.person == request.relative:
        raise BadUserInput("a person is not their own relative", field="relative")
    a, b = sorted((request.person, request.relative))

    async def work(tx: Tx) -> dict[str, Any]:
        at = dt.datetime.now(dt.UTC)
        row = await tx.single(queries.relative_lock, hashes=[a, b], a=a, b=b, at=at)
        for name, key in (("person", request.person), ("relative", request.relative)):
            if key not in row["found"]:
                raise Refused("NOT_FOUND", f"the {name} is not in the graph", field=name)
        if row["declared"]:
            raise Refused("ALREADY_DECLARED", "the two persons are declared relatives already", field="relative")
        created = await tx.single(queries.relative_create, a=a, b=b, at=at, department=department)
        tx.changed(
            created["nodeId"],  # the change is the person's (the smaller key hash), as history keeps nodes
            "RelativeOf",
            f"{a}|{b}",
            a,
            "two persons declared relatives",
            None,
            {"declaredAt": at.isoformat(), "declaredBy": department},
        )
        return {"declaredAt": at}

    return await write(store, actor, "declareRelative", work, trail)


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


async def draw_grades(
    read: Read, scheme: str | None, as_of: dt.date, region: str
) -> tuple[str | None, dict[str, list[str]]]:
    """The grades a draw samples by: the public ones, or the published industry evaluation of the scheme
    for the day (its id returned, to be recorded with the draw)."""
    if scheme is None:
        return None, await grades_by_grade(read, as_of, region)
    return await industry.published_by_grade(read, scheme, as_of, region)


def _check_draw(d: DrawRequest) -> None:
    if not _PERIOD.match(d.period):
        raise BadUserInput("period must look like 2026, 2026-H2, 2026-Q4 or 2026-10", field="period")
    if d.region is not None and not re.fullmatch(r"\d{6}", d.region):
        raise BadUserInput("region must be a 6-digit division code", field="region")
    if d.seed is not None and not 1 <= len(d.seed) <= 128:
        raise BadUserInput("seed must have 1 to 128 characters", field="seed")
    if d.as_of is not None:
        day_done(d.as_of, "asOf")
    top = inspection.settings()["maxConflictHops"]
    if d.max_hops is not None and not 1 <= d.max_hops <= top:
        raise BadUserInput(f"maxHops must be between 1 and {top}", field="maxHops")


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
    max_hops = request.max_hops or inspection.settings()["conflictHops"]
    evaluation, by_grade = await draw_grades(read, request.grade_scheme, as_of, region)

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
        usccs = inspection.drawn(by_grade, ratios, seed)
        exclusions = await conflicts(cast(Read, tx.run), roster, usccs, as_of, at, max_hops)
        selections = inspection.draw(by_grade, ratios, roster, seed, per_entity, inspection.excluded_by(exclusions))
        record = conflict_record(max_hops, exclusions, request.grade_scheme)
        digest = inspection.digest(department, period, region, seed, as_of.isoformat(), ratios, selections, record)
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
            "maxHops": max_hops,
            "gradeScheme": request.grade_scheme,
            "gradeEvaluation": evaluation,
        }
        row = await tx.single(
            queries.draw_create,
            selections=[s.as_dict() for s in selections],
            exclusions=[e.as_dict() for e in exclusions],
            **props,
        )
        tx.changed(
            row["nodeId"],
            "Draw",
            draw_id,
            None,
            f"inspection draw {draw_id}: {len(selections)} entities",
            None,
            {**props, "selected": len(selections), "roster": roster, "excluded": len(exclusions)},
        )
        return {**props, "createdAt": at}

    return await write(store, actor, "drawInspection", work, trail)
