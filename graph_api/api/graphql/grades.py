"""Credit grades (信用等级) in GraphQL: the grade of an entity as of a day with its reasons, and how
many entities of a region have each grade. Rules: data/grades.json (graph_api/grading.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.codes import GradeReasonCode
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import labelled
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.scalars import USCC
from graph_api.domain import disclosure
from graph_api.domain.clock import today
from graph_api.domain.grading import Graded, fact_params, grade_of
from graph_api.domain.permissions import record_params
from graph_api.errors import NotFound
from graph_api.services.grade_batch import grade_pages_async
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map


@labelled
@strawberry.enum(
    description="Credit grade: A and B honest and law-abiding, C slightly, D generally, E seriously dishonest."
)
class CreditGrade(Enum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


@strawberry.type(
    description="Why an entity has its grade: a rule of data/grades.json and the fact it met. A fact that is "
    "a record the reader may not see is the reason UNDISCLOSED_RECORD ('rests on a record not disclosed to "
    "you'), given once however many such records count, with no record id: the grade is the same for every "
    "reader, its reasons name only what the reader may see."
)
class GradeReason:
    code: str = strawberry.field(graphql_type=GradeReasonCode, description="The rule the fact met.")
    message: str = strawberry.field(description="The rule's reason, in English with the Chinese term.")
    record_id: str | None = strawberry.field(
        description="The record the fact is; null when it is a listing or not disclosed to the reader."
    )
    listing_id: str | None = strawberry.field(description="The listing the fact is; null when it is a record.")


@strawberry.type(description="The credit grade of an entity as of a day, with every fact that decided it.")
class Grade:
    uscc: USCC = strawberry.field(description="The entity graded.")
    grade: CreditGrade = strawberry.field(description="The grade, A (best) to E.")
    reasons: list[GradeReason] = strawberry.field(
        description="The facts that decided it (for the default grade B, the one reason: no adverse fact)."
    )
    as_of: dt.date = strawberry.field(description="The day the grade is as of.")

    @classmethod
    def of(cls, g: Graded, as_of: dt.date, hidden: frozenset[str] = frozenset()) -> Grade:
        return cls(
            uscc=USCC(g.uscc),
            grade=CreditGrade(g.grade),
            as_of=as_of,
            reasons=[
                GradeReason(code=r.code, message=r.message, record_id=r.record_id, listing_id=r.listing_id)
                for r in disclosure.grade_reasons(g.reasons, hidden)
            ],
        )


@strawberry.type(description="How many entities have a grade.")
class GradeCount:
    grade: CreditGrade = strawberry.field(description="The grade.")
    count: int = strawberry.field(description="How many entities have it.")


@strawberry.type(description="Entities of a region per grade as of a day.")
class GradeDistribution:
    region: str | None = strawberry.field(description="The region counted (a division code), or null for all.")
    as_of: dt.date = strawberry.field(description="The day the grades are as of.")
    total: int = strawberry.field(description="How many entities were graded.")
    counts: list[GradeCount] = strawberry.field(description="One per grade, A to E, zeros included.")


async def load_grade(info: Info[Context, None], uscc: str, as_of: dt.date | None) -> Grade | None:
    """In the request's batch: the grades of every entity of a request cost one round trip per day asked."""
    as_of = as_of or today()
    seen = record_params(info.context.actor(), today())
    row = await info.context.batch.row(queries.grade_facts, uscc, **fact_params(as_of, seen))
    if row is None:
        return None
    graded = grade_of(uscc, row["listings"], row["records"], as_of)
    return Grade.of(graded, as_of, undisclosed(row["records"]))


def undisclosed(records: list[Map]) -> frozenset[str]:
    """The ids of the facts of grade_facts that are records the reader may not see."""
    return frozenset(r["id"] for r in records if not r["disclosed"])


@strawberry.type
class GradeQueries:
    @field(description="The credit grade of an entity as of a day (default today), with its reasons.")
    async def grade(
        self,
        info: Info[Context, None],
        uscc: Annotated[USCC, strawberry.argument(description="The entity's unified social credit code.")],
        as_of: dt.date | None = None,
    ) -> Grade:
        grade = await load_grade(info, uscc, as_of)
        if grade is None:
            raise NotFound(f"no entity with unified social credit code {uscc}", uscc=uscc)
        return grade

    @field(
        description="How many entities of a region (a division code: city 370200 covers its districts; "
        "none: all) have each grade as of a day (default today)."
    )
    async def grade_distribution(
        self,
        info: Info[Context, None],
        region: Annotated[
            str | None,
            strawberry.argument(
                description="A division code (GB/T 2260): 370200 covers its districts too; null for all entities."
            ),
        ] = None,
        as_of: dt.date | None = None,
    ) -> GradeDistribution:
        as_of = as_of or today()
        counts: Counter[str] = Counter()
        async for page in grade_pages_async(info.context.read, as_of, region):
            counts.update(g.grade for g in page)
        return GradeDistribution(
            region=region,
            as_of=as_of,
            total=sum(counts.values()),
            counts=[GradeCount(grade=CreditGrade(k), count=counts[k]) for k in "ABCDE"],
        )
