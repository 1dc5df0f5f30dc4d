"""Random inspection (双随机一公开) in GraphQL: a department's roster of inspectors, the draw of entities
per grade and of inspector teams from a stored seed, the draws of a department, and the verification
that recomputes a draw and compares (graph_api/domain/inspection.py states the rule; registering and
drawing are the services of graph_api/services/inspection.py)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.grades import CreditGrade
from graph_api.api.graphql.types import EntityRef, _day
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain import inspection
from graph_api.errors import NotFound
from graph_api.services import inspection as inspection_service
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map


@strawberry.type(description="A law-enforcement inspector (执法检查人员) of a department's roster.")
class Inspector:
    id: str = strawberry.field(description="The inspector's id (e.g. the badge number), unique in the department.")
    name: str = strawberry.field(description="The inspector's name.")


@strawberry.type(description="An entity drawn for inspection, its grade as of the draw's day, and its inspector team.")
class DrawSelection:
    entity: EntityRef = strawberry.field(description="The entity drawn.")
    grade: CreditGrade = strawberry.field(description="Its grade as of the draw's day, which set its sampling ratio.")
    inspectors: list[Inspector] = strawberry.field(description="The team drawn to inspect it.")


@strawberry.type(description="The sampling ratio used for a grade.")
class GradeRatio:
    grade: CreditGrade = strawberry.field(description="The grade.")
    ratio: float = strawberry.field(description="The share of the entities of that grade drawn, from 0 to 1.")


@strawberry.type(description="A random inspection draw, reproducible from its seed.")
class Draw:
    id: str = strawberry.field(description="The draw's id.")
    department: str = strawberry.field(description="The code of the department that drew.")
    period: str = strawberry.field(description="The inspection period (2026, 2026-H2, 2026-Q4 or 2026-10).")
    region: str = strawberry.field(description="The division code of the region drawn from.")
    seed: str = strawberry.field(
        description="The seed the draw was made from: with the stored inputs, it gives the same draw again."
    )
    as_of: dt.date = strawberry.field(description="The day whose grades the draw used.")
    ratios: list[GradeRatio] = strawberry.field(description="The sampling ratio used for each grade, A to E.")
    created_at: dt.datetime = strawberry.field(description="When drawn; the roster as of this moment was used.")
    digest: str = strawberry.field(description="SHA-256 of the inputs and the selection.")

    @classmethod
    def from_map(cls, m: Map) -> Draw:
        ratios = json.loads(m["ratios"])
        return cls(
            id=m["id"],
            department=m["department"],
            period=m["period"],
            region=m["region"],
            seed=m["seed"],
            as_of=_day(m["asOf"]),
            created_at=_native(m["createdAt"]),
            digest=m["digest"],
            ratios=[GradeRatio(grade=CreditGrade(g), ratio=ratios[g]) for g in inspection.GRADES],
        )

    @field(description="The drawn entities, by grade then code, each with two inspectors.")
    async def selections(self, info: Info[Context, None]) -> list[DrawSelection]:
        row = await info.context.batch.row(queries.draw_selections, self.id)
        return [
            DrawSelection(
                entity=EntityRef.from_map(s["entity"]),
                grade=CreditGrade(s["grade"]),
                inspectors=[Inspector(id=i["id"], name=i["name"]) for i in s["inspectors"]],
            )
            for s in (row["selections"] if row else [])
        ]


@strawberry.type(description="A draw made and recorded.")
class DrawMade:
    draw: Draw = strawberry.field(description="The draw as stored.")


@strawberry.type(description="An inspector added to the acting officer's department's roster.")
class InspectorRegistered:
    inspector: Inspector = strawberry.field(description="The inspector as stored.")


@strawberry.type(
    description="The recomputation of a draw from its stored seed and inputs, compared with what is stored."
)
class DrawVerification:
    matches: bool = strawberry.field(description="True when the recomputed draw equals the stored one and its digest.")
    differences: list[str] = strawberry.field(description="What differs, one sentence each; empty when it matches.")


@strawberry.input(description="A random inspection draw for the acting officer's department.")
class DrawInput:
    period: str = strawberry.field(description="The inspection period: 2026, 2026-H2, 2026-Q4 or 2026-10.")
    region: str | None = strawberry.field(default=None, description="Default: the department's region.")
    seed: str | None = strawberry.field(default=None, description="Default: a random seed, stored with the draw.")
    as_of: dt.date | None = strawberry.field(default=None, description="The day of the grades; default today.")


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


DrawResult = Annotated[DrawMade | Refusal, strawberry.union("DrawResult", description=refused("DrawMade"))]
InspectorResult = Annotated[
    InspectorRegistered | Refusal, strawberry.union("InspectorResult", description=refused("InspectorRegistered"))
]


@strawberry.type
class InspectionMutations:
    @mutation(description="Add an inspector to the acting officer's department's roster.")
    async def register_inspector(
        self,
        info: Info[Context, None],
        id: Annotated[str, strawberry.argument(description="The inspector's id, unique in the department.")],
        name: Annotated[str, strawberry.argument(description="The inspector's name.")],
    ) -> InspectorResult:
        request = inspection_service.InspectorRequest(id=id, name=name)
        return await run(
            info,
            inspection_service.register_inspector,
            request,
            lambda inspector: InspectorRegistered(inspector=Inspector(**inspector)),
        )

    @mutation(
        description="Draw entities per grade and inspector teams for the acting officer's department "
        "(双随机), recorded with its seed so that it can be verified."
    )
    async def draw_inspection(
        self,
        info: Info[Context, None],
        input: Annotated[DrawInput, strawberry.argument(description="The draw's period and inputs.")],
    ) -> DrawResult:
        request = inspection_service.DrawRequest(
            period=input.period, region=input.region, seed=input.seed, as_of=input.as_of
        )
        # the grades are read through the request's reader: its query timeout and round-trip count
        return await run(
            info,
            functools.partial(inspection_service.draw_inspection, read=info.context.read),
            request,
            lambda draw: DrawMade(draw=Draw.from_map(draw)),
        )


@strawberry.type
class InspectionQueries:
    @field(description="The inspection draws of a department, newest first.")
    async def draws(
        self,
        info: Info[Context, None],
        department: Annotated[str, strawberry.argument(description="The department's code.")],
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Draw]:
        w = window(first, after, queries.draws_page.name)
        rows = await info.context.read(queries.draws_page, department=department, **w.params())
        return build(rows[0], w, Draw.from_map)

    @field(
        description="Recompute a draw from its stored seed, ratios and day (the grades as of that day, "
        "the roster as of the draw) and compare with the stored selection and digest."
    )
    async def verify_draw(
        self, info: Info[Context, None], id: Annotated[str, strawberry.argument(description="The draw's id.")]
    ) -> DrawVerification:
        rows = await info.context.read(queries.draw_by_id, id=id)
        if not rows:
            raise NotFound(f"no draw {id!r}", id=id)
        d, stored = (
            rows[0]["draw"],
            [inspection.Selection(s["uscc"], s["grade"], tuple(s["inspectors"])) for s in rows[0]["selections"]],
        )
        as_of, ratios = d["asOf"].to_native(), json.loads(d["ratios"])
        roster = [
            r["id"] for r in await info.context.read(queries.roster_at, department=d["department"], at=d["createdAt"])
        ]
        by_grade = await inspection_service.grades_by_grade(info.context.read, as_of, d["region"])
        recomputed = inspection.draw(by_grade, ratios, roster, d["seed"], d["inspectorsPerEntity"])
        differences = inspection.compare(stored, recomputed)
        if (
            inspection.digest(d["department"], d["period"], d["region"], d["seed"], as_of.isoformat(), ratios, stored)
            != d["digest"]
        ):
            differences.append("the stored draw does not match its digest: its inputs or selection were changed")
        return DrawVerification(matches=not differences, differences=differences)
