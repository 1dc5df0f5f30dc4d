"""Random inspection (双随机一公开) in GraphQL: a department's roster of inspectors, the draw of entities
per grade and of inspector teams from a stored seed, the draws of a department, and the verification
that recomputes a draw and compares (graph_api/inspection.py states the rule)."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections import defaultdict
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.domain import inspection
from graph_api.domain.clock import today
from graph_api.store.cypher_loader import queries
from graph_api.errors import BadUserInput, NotFound
from graph_api.services.grade_batch import grade_pages_async
from graph_api.domain.grading import region_prefix
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.grades import CreditGrade
from graph_api.api.graphql.types import EntityRef
from graph_api.api.graphql.writes import Refusal, Refused, Tx, write

_PERIOD = re.compile(r"^\d{4}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$")
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@strawberry.type(description="A law-enforcement inspector (执法检查人员) of a department's roster.")
class Inspector:
    id: str
    name: str


@strawberry.type(description="An entity drawn for inspection, its grade as of the draw's day, and its inspector team.")
class DrawSelection:
    entity: EntityRef
    grade: CreditGrade
    inspectors: list[Inspector]


@strawberry.type(description="The sampling ratio used for a grade.")
class GradeRatio:
    grade: CreditGrade
    ratio: float


@strawberry.type(description="A random inspection draw, reproducible from its seed.")
class Draw:
    id: str
    department: str
    period: str
    region: str
    seed: str
    as_of: dt.date = strawberry.field(description="The day whose grades the draw used.")
    ratios: list[GradeRatio]
    created_at: dt.datetime = strawberry.field(description="When drawn; the roster as of this moment was used.")
    digest: str = strawberry.field(description="SHA-256 of the inputs and the selection.")

    @classmethod
    def from_map(cls, m: dict[str, Any]) -> "Draw":
        ratios = json.loads(m["ratios"])
        return cls(id=m["id"], department=m["department"], period=m["period"], region=m["region"], seed=m["seed"],
                   as_of=_native(m["asOf"]), created_at=_native(m["createdAt"]), digest=m["digest"],
                   ratios=[GradeRatio(grade=CreditGrade(g), ratio=ratios[g]) for g in inspection.GRADES])

    @strawberry.field(description="The drawn entities, by grade then code, each with two inspectors.")
    async def selections(self, info: Info[Context, None]) -> list[DrawSelection]:
        row = await info.context.batch.row("draw_selections", self.id)
        return [DrawSelection(entity=EntityRef.from_map(s["entity"]), grade=CreditGrade(s["grade"]),
                              inspectors=[Inspector(id=i["id"], name=i["name"]) for i in s["inspectors"]])
                for s in (row["selections"] if row else [])]


@strawberry.type(description="A draw made and recorded.")
class DrawMade:
    draw: Draw


@strawberry.type(description="An inspector added to the acting officer's department's roster.")
class InspectorRegistered:
    inspector: Inspector


@strawberry.type(description="The recomputation of a draw from its stored seed and inputs, compared with what is stored.")
class DrawVerification:
    matches: bool
    differences: list[str]


@strawberry.input(description="A random inspection draw for the acting officer's department.")
class DrawInput:
    period: str = strawberry.field(description="The inspection period: 2026, 2026-H2, 2026-Q4 or 2026-10.")
    region: str | None = strawberry.field(default=None, description="Default: the department's region.")
    seed: str | None = strawberry.field(default=None, description="Default: a random seed, stored with the draw.")
    as_of: dt.date | None = strawberry.field(default=None, description="The day of the grades; default today.")


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


DrawResult = Annotated[DrawMade | Refusal, strawberry.union("DrawResult")]
InspectorResult = Annotated[InspectorRegistered | Refusal, strawberry.union("InspectorResult")]


async def _grades_by_grade(info: Info[Context, None], as_of: dt.date, region: str) -> dict[str, list[str]]:
    by_grade: dict[str, list[str]] = defaultdict(list)
    async for page in grade_pages_async(info.context.read, as_of, region):
        for g in page:
            by_grade[g.grade].append(g.uscc)
    return by_grade


def _check_draw(d: DrawInput) -> None:
    if not _PERIOD.match(d.period):
        raise BadUserInput("period must look like 2026, 2026-H2, 2026-Q4 or 2026-10", field="period")
    if d.region is not None and not re.fullmatch(r"\d{6}", d.region):
        raise BadUserInput("region must be a 6-digit division code", field="region")
    if d.seed is not None and not 1 <= len(d.seed) <= 128:
        raise BadUserInput("seed must have 1 to 128 characters", field="seed")
    if d.as_of is not None and d.as_of > today():
        raise BadUserInput(f"asOf {d.as_of} is in the future", field="asOf")


@strawberry.type
class InspectionMutations:
    @strawberry.mutation(description="Add an inspector to the acting officer's department's roster.")
    async def register_inspector(self, info: Info[Context, None], id: str, name: str) -> InspectorResult:
        department = info.context.actor().officer()
        if not _ID.match(id):
            raise BadUserInput("id must have 1 to 64 letters, digits, '.', '_' or '-'", field="id")
        if not 1 <= len(name.strip()) <= 64:
            raise BadUserInput("name must have 1 to 64 characters", field="name")

        async def work(tx: Tx) -> InspectorRegistered:
            ctx = await tx.one("inspector_context", department=department, id=id)
            if not ctx["departmentFound"]:
                raise Refused("UNKNOWN_DEPARTMENT", f"department {department} is not in the graph")
            if ctx["idTaken"]:
                raise Refused("DUPLICATE_ID", f"an inspector {id} exists already", field="id")
            row = await tx.one("inspector_create", department=department, id=id, name=name.strip(),
                               at=dt.datetime.now(dt.timezone.utc))
            tx.changed(row["nodeId"], "Inspector", id, None, f"inspector {id} joined {department}'s roster",
                       None, {**dict(row["inspector"]), "department": department})
            return InspectorRegistered(inspector=Inspector(**row["inspector"]))

        return await write(info, "registerInspector", work)

    @strawberry.mutation(description="Draw entities per grade and inspector teams for the acting officer's department "
                                     "(双随机), recorded with its seed so that it can be verified.")
    async def draw_inspection(self, info: Info[Context, None], input: DrawInput) -> DrawResult:
        department = info.context.actor().officer()
        _check_draw(input)
        as_of, seed = input.as_of or today(), input.seed or secrets.token_hex(16)
        ratios, per_entity = inspection.settings()["ratios"], inspection.settings()["inspectorsPerEntity"]
        dept = await info.context.read(queries.department_by_code, code=department)
        if not dept:
            return Refusal(code="UNKNOWN_DEPARTMENT", message=f"department {department} is not in the graph", field=None)
        home = dept[0]["department"]["region"]
        region = input.region or home
        if not region.startswith(region_prefix(home) or ""):
            raise BadUserInput(f"region {region} is outside the department's region {home}", field="region")
        draw_id = f"DRAW-{department}-{input.period}-{region}"
        by_grade = await _grades_by_grade(info, as_of, region)

        async def work(tx: Tx) -> DrawMade:
            at = dt.datetime.now(dt.timezone.utc)
            ctx = await tx.one("draw_context", department=department, id=draw_id, at=at)
            if ctx["exists"]:
                raise Refused("ALREADY_DRAWN", f"{department} has drawn for {input.period} in {region} already "
                                               f"({draw_id}); a draw is never redone", field="period")
            roster = [r["id"] for r in await tx.run("roster_at", department=department, at=at)]
            if len(roster) < per_entity:
                raise Refused("ROSTER_TOO_SMALL", f"the roster of {department} has {len(roster)} inspector(s); "
                                                  f"a draw needs at least {per_entity}")
            selections = inspection.draw(by_grade, ratios, roster, seed, per_entity)
            digest = inspection.digest(department, input.period, region, seed, as_of.isoformat(), ratios, selections)
            props = {"id": draw_id, "department": department, "period": input.period, "region": region, "seed": seed,
                     "asOf": as_of, "ratios": json.dumps(ratios, sort_keys=True), "perEntity": per_entity, "at": at,
                     "digest": digest}
            row = await tx.one("draw_create", selections=[s.as_dict() for s in selections], **props)
            tx.changed(row["nodeId"], "Draw", draw_id, None, f"inspection draw {draw_id}: {len(selections)} entities",
                       None, {**props, "selected": len(selections), "roster": roster})
            return DrawMade(draw=Draw.from_map({**props, "createdAt": at}))

        return await write(info, "drawInspection", work)


@strawberry.type
class InspectionQueries:
    @strawberry.field(description="The inspection draws of a department, newest first.")
    async def draws(self, info: Info[Context, None], department: str, first: int = 20,
                    after: str | None = None) -> Connection[Draw]:
        skip, limit = window(first, after)
        rows = await info.context.read(queries.draws_page, department=department, skip=skip, limit=limit)
        return build(rows[0]["totalCount"], rows[0]["page"], skip, Draw.from_map)

    @strawberry.field(description="Recompute a draw from its stored seed, ratios and day (the grades as of that day, "
                                  "the roster as of the draw) and compare with the stored selection and digest.")
    async def verify_draw(self, info: Info[Context, None], id: str) -> DrawVerification:
        rows = await info.context.read(queries.draw_by_id, id=id)
        if not rows:
            raise NotFound(f"no draw {id!r}", id=id)
        d, stored = rows[0]["draw"], [inspection.Selection(s["uscc"], s["grade"], tuple(s["inspectors"]))
                                      for s in rows[0]["selections"]]
        as_of, ratios = d["asOf"].to_native(), json.loads(d["ratios"])
        roster = [r["id"] for r in await info.context.read(queries.roster_at, department=d["department"],
                                                            at=d["createdAt"])]
        recomputed = inspection.draw(await _grades_by_grade(info, as_of, d["region"]), ratios, roster, d["seed"],
                                     d["inspectorsPerEntity"])
        differences = inspection.compare(stored, recomputed)
        if inspection.digest(d["department"], d["period"], d["region"], d["seed"], as_of.isoformat(), ratios,
                             stored) != d["digest"]:
            differences.append("the stored draw does not match its digest: its inputs or selection were changed")
        return DrawVerification(matches=not differences, differences=differences)
