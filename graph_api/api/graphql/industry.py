"""Industry credit evaluations (行业信用评价) in GraphQL: a department's grade scheme defined as data and
versioned, its evaluation as of a day, the publication, and the published grades an entity has beside the
public grade (graph_api/domain/industry.py states the rules; graph_api/services/industry.py the use cases)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import mutation
from graph_api.api.graphql.grades import CreditGrade
from graph_api.api.graphql.types import Department, _day
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.services import industry as industry_service
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@strawberry.type(description="A version of a department's industry grade scheme.")
class IndustryScheme:
    id: str = strawberry.field(description="The scheme's id.")
    version: int = strawberry.field(description="The version, from 1; each definition adds one.")
    department: str = strawberry.field(description="The code of the department that owns the scheme.")
    name: str = strawberry.field(description="The scheme's name.")
    rules: str = strawberry.field(
        description="The rules as stored: canonical JSON (see data/industry_scheme_example.json)."
    )
    digest: str = strawberry.field(description="SHA-256 of the rules.")
    defined_at: dt.datetime = strawberry.field(description="When this version was defined.")

    @classmethod
    def from_map(cls, m: Map) -> IndustryScheme:
        return cls(
            id=m["id"],
            version=m["version"],
            department=m["department"],
            name=m["name"],
            rules=m["rules"],
            digest=m["digest"],
            defined_at=_native(m["definedAt"]),
        )


@strawberry.type(description="How many entities an evaluation gave a grade.")
class IndustryGradeCount:
    grade: CreditGrade = strawberry.field(description="The grade.")
    count: int = strawberry.field(description="How many entities have it.")


@strawberry.type(description="An evaluation of a scheme version as of a day.")
class IndustryEvaluation:
    id: str = strawberry.field(description="The evaluation's id: <scheme>@<version>/<asOf>.")
    scheme: str = strawberry.field(description="The scheme's id.")
    version: int = strawberry.field(description="The scheme version applied.")
    department: str = strawberry.field(description="The department that evaluated.")
    as_of: dt.date = strawberry.field(description="The day evaluated.")
    status: str = strawberry.field(description="EVALUATED, or PUBLISHED once other departments read it.")
    count: int = strawberry.field(description="How many entities were evaluated.")
    published_at: dt.datetime | None = strawberry.field(description="When published; null before.")
    by_grade: list[IndustryGradeCount] | None = strawberry.field(
        default=None, description="The entities per grade (given by evaluateIndustry; null otherwise)."
    )

    @classmethod
    def from_map(cls, m: Map) -> IndustryEvaluation:
        counts = m.get("byGrade")
        return cls(
            id=m["id"],
            scheme=m["scheme"],
            version=m["version"],
            department=m["department"],
            as_of=_day(m["asOf"]),
            status=m["status"],
            count=m["count"],
            published_at=_native(m["publishedAt"]) if m.get("publishedAt") else None,
            by_grade=None
            if counts is None
            else [IndustryGradeCount(grade=CreditGrade(g), count=counts[g]) for g in "ABCDE" if g in counts],
        )


@strawberry.type(description="A condition of the scheme that an entity's facts matched.")
class IndustryGradeReason:
    code: str = strawberry.field(description="The condition's code in the scheme.")
    message: str = strawberry.field(description="The condition's message.")
    count: int = strawberry.field(description="How many facts matched it.")
    points: int = strawberry.field(description="What they added to the score (count × weight).")


@strawberry.type(description="An entity's grade in a department's published industry evaluation (行业信用评价).")
class IndustryGrade:
    department: Department = strawberry.field(description="The department whose scheme it is.")
    scheme: str = strawberry.field(description="The scheme's id.")
    name: str = strawberry.field(description="The scheme's name.")
    version: int = strawberry.field(description="The scheme version applied.")
    evaluation: str = strawberry.field(description="The evaluation's id.")
    as_of: dt.date = strawberry.field(description="The day evaluated.")
    grade: CreditGrade = strawberry.field(description="The grade under the scheme.")
    score: int = strawberry.field(description="The score the grade was read from.")
    reasons: list[IndustryGradeReason] = strawberry.field(description="The conditions matched; empty: none.")


async def industry_grades(info: Info[Context, None], uscc: str) -> list[IndustryGrade]:
    """Entity.industryGrades: per scheme, the latest published evaluation that rated the entity."""
    row = await info.context.batch.row(queries.industry_grades_of, uscc)
    return [
        IndustryGrade(
            department=Department.from_map(g["department"]),
            scheme=g["scheme"],
            name=g["name"],
            version=g["version"],
            evaluation=g["evaluation"],
            as_of=_day(g["asOf"]),
            grade=CreditGrade(g["grade"]),
            score=g["score"],
            reasons=[IndustryGradeReason(**r) for r in json.loads(g["reasons"])],
        )
        for g in (row["grades"] if row else [])
    ]


@strawberry.type(description="A scheme version stored.")
class IndustrySchemeDefined:
    scheme: IndustryScheme = strawberry.field(description="The version as stored.")


@strawberry.type(description="An evaluation made and stored (not yet published).")
class IndustryEvaluated:
    evaluation: IndustryEvaluation = strawberry.field(description="The evaluation.")


@strawberry.type(description="An evaluation published.")
class IndustryEvaluationPublished:
    evaluation: IndustryEvaluation = strawberry.field(description="The evaluation.")


SchemeResult = Annotated[
    IndustrySchemeDefined | Refusal,
    strawberry.union("IndustrySchemeResult", description=refused("IndustrySchemeDefined")),
]
EvaluateResult = Annotated[
    IndustryEvaluated | Refusal, strawberry.union("IndustryEvaluateResult", description=refused("IndustryEvaluated"))
]
PublishResult = Annotated[
    IndustryEvaluationPublished | Refusal,
    strawberry.union("IndustryPublishResult", description=refused("IndustryEvaluationPublished")),
]


@strawberry.type
class IndustryMutations:
    @mutation(
        description="Define (or redefine: a new version) the acting officer's department's industry grade scheme "
        "(行业信用评价). The rules are a JSON document (data/industry_scheme_example.json); an invalid one is "
        "refused with the path of each wrong field (rules.levels[2].min)."
    )
    async def define_industry_scheme(
        self,
        info: Info[Context, None],
        id: Annotated[str, strawberry.argument(description="The scheme's id (1 to 64 letters, digits, . _ -).")],
        rules: Annotated[str, strawberry.argument(description="The scheme as a JSON document.")],
    ) -> SchemeResult:
        request = industry_service.SchemeRequest(id=id, rules=rules)
        return await run(
            info,
            industry_service.define_scheme,
            request,
            lambda s: IndustrySchemeDefined(scheme=IndustryScheme.from_map(s)),
        )

    @mutation(
        description="Evaluate the entities a scheme covers (its industries in the department's region, and those "
        "with a record the department decided) as of a day, and store the results; publish them to share."
    )
    async def evaluate_industry(
        self,
        info: Info[Context, None],
        scheme: Annotated[str, strawberry.argument(description="The scheme's id.")],
        as_of: Annotated[dt.date, strawberry.argument(description="The day evaluated (today or earlier).")],
        version: Annotated[int | None, strawberry.argument(description="The version; default the latest.")] = None,
    ) -> EvaluateResult:
        request = industry_service.EvaluateRequest(scheme=scheme, as_of=as_of, version=version)
        return await run(
            info,
            functools.partial(industry_service.evaluate, read=info.context.read),
            request,
            lambda ev: IndustryEvaluated(evaluation=IndustryEvaluation.from_map(ev)),
        )

    @mutation(
        description="Publish an industry evaluation: other departments then read its grades beside the public "
        "grade (Entity.industryGrades), and draws may sample by them (DrawInput.gradeScheme)."
    )
    async def publish_industry_evaluation(
        self,
        info: Info[Context, None],
        id: Annotated[str, strawberry.argument(description="The evaluation's id.")],
    ) -> PublishResult:
        return await run(
            info,
            industry_service.publish,
            industry_service.PublishRequest(id=id),
            lambda ev: IndustryEvaluationPublished(evaluation=IndustryEvaluation.from_map(ev)),
        )
