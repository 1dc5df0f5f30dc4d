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
from graph_api.api.graphql.enums import NodeKind
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.grades import CreditGrade
from graph_api.api.graphql.inputs import SubjectInput, subject_of
from graph_api.api.graphql.paths import Path, PathNode, step
from graph_api.api.graphql.types import EntityRef, _day
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain import inspection
from graph_api.domain.paths import person_key
from graph_api.errors import BadUserInput, NotFound
from graph_api.services import industry as industry_service
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
    max_hops: int | None = strawberry.field(
        default=None,
        description="The 回避 bound: an inspector connected to a drawn entity within this many steps stood "
        "aside; null for draws made before conflicts were checked.",
    )
    grade_scheme: str | None = strawberry.field(
        default=None, description="The industry scheme whose grades set the ratios; null: the public grade."
    )
    grade_evaluation: str | None = strawberry.field(
        default=None, description="The published industry evaluation used, when by an industry scheme."
    )

    @classmethod
    def from_map(cls, m: Map) -> Draw:
        ratios = json.loads(m["ratios"])
        return cls(
            max_hops=m.get("maxHops"),
            grade_scheme=m.get("gradeScheme"),
            grade_evaluation=m.get("gradeEvaluation"),
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

    @field(
        description="The drawn entities no team could take (every team had a member standing aside): reported, "
        "never dropped."
    )
    async def unassigned(self, info: Info[Context, None]) -> list[EntityRef]:
        row = await info.context.batch.row(queries.draw_selections, self.id)
        return [EntityRef.from_map(s["entity"]) for s in (row["selections"] if row else []) if not s["inspectors"]]

    @field(description="The inspectors who stood aside (回避) from a drawn entity, each with the connection found.")
    async def exclusions(self, info: Info[Context, None]) -> list[DrawExclusion]:
        row = await info.context.batch.row(queries.draw_exclusions, self.id)
        return [_exclusion(x) for x in (row["exclusions"] if row else [])]


@strawberry.type(description="An inspector who stood aside (回避) from a drawn entity, and why.")
class DrawExclusion:
    inspector: Inspector = strawberry.field(description="The inspector.")
    entity: EntityRef = strawberry.field(description="The drawn entity.")
    path: Path = strawberry.field(
        description="A shortest connection from the inspector's person to the entity (roles, holdings, branches, "
        "declared relatives as RELATIVE_OF); persons masked for a reader who may not see names."
    )


def _exclusion(x: Map) -> DrawExclusion:
    nodes = [_path_node(n, k) for k, n in enumerate(x["nodes"])]
    steps = [
        step(rel, a, b, ratio=ratio) if ahead else step(rel, b, a, ratio=ratio)
        for rel, ratio, ahead, a, b in zip(
            x["relations"], json.loads(x["ratios"]), x["forward"], nodes, nodes[1:], strict=False
        )
    ]
    return DrawExclusion(
        inspector=Inspector(id=x["inspector"]["id"], name=x["inspector"]["name"]),
        entity=EntityRef.from_map(x["entity"]),
        path=Path(nodes=nodes, steps=steps),
    )


def _path_node(n: Map | None, at: int) -> PathNode:
    if n is None:  # the node left the graph since the draw (a deletion by repair): its place stays
        return PathNode(kind=NodeKind.ENTITY, key=f"?{at}", name="?")
    if n["kind"] == "ENTITY":
        return PathNode(kind=NodeKind.ENTITY, key=n["uscc"], name=n["name"])
    return PathNode(kind=NodeKind.PERSON, key=person_key(n["idHash"]), name=n["name"])


@strawberry.type(description="An inspector tied to a person of the graph, so that draws check conflicts (回避).")
class InspectorLinked:
    inspector: Inspector = strawberry.field(description="The inspector.")


@strawberry.type(description="Two persons declared close relatives (近亲属); draws treat them as connected.")
class RelativeDeclared:
    declared_at: dt.datetime = strawberry.field(description="When declared; draws made after it use it.")


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
    max_hops: int | None = strawberry.field(
        default=None,
        description="回避: an inspector whose person is connected to a drawn entity within this many steps (1 to 6) "
        "stands aside; default 3.",
    )
    grade_scheme: str | None = strawberry.field(
        default=None,
        description="Sample by the grades of this industry scheme (its latest evaluation published on or before "
        "asOf) instead of the public grade.",
    )


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


DrawResult = Annotated[DrawMade | Refusal, strawberry.union("DrawResult", description=refused("DrawMade"))]
LinkResult = Annotated[
    InspectorLinked | Refusal, strawberry.union("InspectorLinkResult", description=refused("InspectorLinked"))
]
RelativeResult = Annotated[
    RelativeDeclared | Refusal, strawberry.union("RelativeResult", description=refused("RelativeDeclared"))
]
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
            period=input.period,
            region=input.region,
            seed=input.seed,
            as_of=input.as_of,
            max_hops=input.max_hops,
            grade_scheme=input.grade_scheme,
        )
        # the grades are read through the request's reader: its query timeout and round-trip count
        return await run(
            info,
            functools.partial(inspection_service.draw_inspection, read=info.context.read),
            request,
            lambda draw: DrawMade(draw=Draw.from_map(draw)),
        )

    @mutation(
        description="Tie an inspector of the acting officer's roster to a person of the graph (by identity number, "
        "a personal read), so that draws make them stand aside from entities they are connected to (回避)."
    )
    async def link_inspector(
        self,
        info: Info[Context, None],
        id: Annotated[str, strawberry.argument(description="The inspector's id.")],
        person: Annotated[SubjectInput, strawberry.argument(description="The person: idNumber or a person's id.")],
    ) -> LinkResult:
        request = inspection_service.LinkRequest(inspector=id, person=_person(info, person, "person"))
        return await run(
            info,
            inspection_service.link_inspector,
            request,
            lambda inspector: InspectorLinked(inspector=Inspector(**inspector)),
        )

    @mutation(
        description="Declare two persons close relatives (近亲属), as an inspector declares them for 回避; a draw "
        "counts the relationship as one step. Not part of the interchange: it is a declaration to the department."
    )
    async def declare_relative(
        self,
        info: Info[Context, None],
        person: Annotated[SubjectInput, strawberry.argument(description="One person: idNumber or a person's id.")],
        relative: Annotated[SubjectInput, strawberry.argument(description="The other person.")],
    ) -> RelativeResult:
        request = inspection_service.RelativeRequest(
            person=_person(info, person, "person"), relative=_person(info, relative, "relative")
        )
        return await run(
            info,
            inspection_service.declare_relative,
            request,
            lambda d: RelativeDeclared(declared_at=d["declaredAt"]),
        )


def _person(info: Info[Context, None], subject: SubjectInput, name: str) -> str:
    s = subject_of(info, subject)
    if s.person is None:
        raise BadUserInput(f"{name} must be a person (idNumber or a person's id), not an entity", field=name)
    return s.person


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
        read = info.context.read
        if d.get("gradeEvaluation"):
            by_grade = await industry_service.evaluation_by_grade(read, d["gradeEvaluation"], d["region"])
        else:
            by_grade = await inspection_service.grades_by_grade(read, as_of, d["region"])
        record, exclusions, stored_exclusions = None, [], []
        if d.get("maxHops") is not None:  # a draw made with 回避: its exclusions are recomputed too
            usccs = inspection.drawn(by_grade, ratios, d["seed"])
            exclusions = await inspection_service.conflicts(read, roster, usccs, as_of, d["createdAt"], d["maxHops"])
            stored_exclusions = [
                inspection.Exclusion(x["inspector"], x["uscc"], tuple(x["keys"]), tuple(x["relations"]))
                for x in rows[0]["exclusions"]
            ]
            record = inspection_service.conflict_record(d["maxHops"], stored_exclusions, d.get("gradeScheme"))
        recomputed = inspection.draw(
            by_grade, ratios, roster, d["seed"], d["inspectorsPerEntity"], inspection.excluded_by(exclusions)
        )
        differences = inspection.compare(stored, recomputed)
        if record is not None:
            differences += inspection.compare_exclusions(stored_exclusions, exclusions)
        if (
            inspection.digest(
                d["department"], d["period"], d["region"], d["seed"], as_of.isoformat(), ratios, stored, record
            )
            != d["digest"]
        ):
            differences.append("the stored draw does not match its digest: its inputs or selection were changed")
        return DrawVerification(matches=not differences, differences=differences)
