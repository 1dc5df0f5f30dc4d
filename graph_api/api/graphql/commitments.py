"""Credit commitments (信用承诺) as GraphQL sees them: inputs, results, the department's list, and
resolvers handing the lifecycle (make, fulfil, breach; who may do which) to
`graph_api.services.commitments`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import CommitmentState, CommitmentType, Severity
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.records import Commitment
from graph_api.api.graphql.types import CreditRecord
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain.clock import today
from graph_api.services import commitments
from graph_api.store.cypher_loader import queries


@strawberry.input(description="A commitment the acting entity makes to a department.")
class CommitmentInput:
    type: CommitmentType = strawberry.field(description="What kind of commitment.")
    matter: str = strawberry.field(description="What the entity commits to (承诺事项), 1 to 500 characters.")
    made_on: dt.date = strawberry.field(description="The day it is made; not in the future.")
    department: str = strawberry.field(description="Code of the department the commitment is made to.")
    due_on: dt.date | None = strawberry.field(default=None, description="The day by which it must be fulfilled.")
    id: str | None = strawberry.field(default=None, description="The commitment id; generated when not given.")


@strawberry.type(description="A commitment made.")
class CommitmentMade:
    commitment: Commitment = strawberry.field(description="The commitment as stored, PENDING.")


@strawberry.type(description="A commitment recorded fulfilled.")
class CommitmentFulfilled:
    commitment: Commitment = strawberry.field(description="The commitment, now FULFILLED.")


@strawberry.type(description="A commitment recorded breached, and the negative record the breach became.")
class CommitmentBreached:
    commitment: Commitment = strawberry.field(description="The commitment, now BREACHED.")
    record: CreditRecord = strawberry.field(
        description="The COMMITMENT_BREACH record the breach became, decided by the department."
    )
    publish_due_on: dt.date = strawberry.field(description="7 working days after the breach (official calendar).")


MakeCommitmentResult = Annotated[
    CommitmentMade | Refusal, strawberry.union("MakeCommitmentResult", description=refused("CommitmentMade"))
]
FulfilCommitmentResult = Annotated[
    CommitmentFulfilled | Refusal,
    strawberry.union("FulfilCommitmentResult", description=refused("CommitmentFulfilled")),
]
BreachCommitmentResult = Annotated[
    CommitmentBreached | Refusal, strawberry.union("BreachCommitmentResult", description=refused("CommitmentBreached"))
]


def _breached(b: commitments.Breached) -> CommitmentBreached:
    return CommitmentBreached(
        commitment=Commitment.from_map(b.commitment),
        record=CreditRecord.from_map(b.record.record),
        publish_due_on=b.record.deadline.due,
    )


@strawberry.type
class CommitmentMutations:
    @mutation(description="Make a credit commitment (信用承诺) to a department, as the acting entity.")
    async def make_commitment(
        self,
        info: Info[Context, None],
        input: Annotated[CommitmentInput, strawberry.argument(description="The commitment.")],
    ) -> MakeCommitmentResult:
        request = commitments.CommitmentRequest(
            type=input.type.value,
            matter=input.matter,
            made_on=input.made_on,
            department=input.department,
            due_on=input.due_on,
            id=input.id,
        )
        return await run(
            info,
            commitments.make_commitment,
            request,
            lambda state: CommitmentMade(commitment=Commitment.from_map(state)),
        )

    @mutation(description="Record a commitment made to the acting officer's department as fulfilled.")
    async def fulfil_commitment(
        self,
        info: Info[Context, None],
        id: Annotated[str, strawberry.argument(description="The commitment's id.")],
        on: dt.date | None = None,
    ) -> FulfilCommitmentResult:
        return await run(
            info,
            commitments.fulfil_commitment,
            commitments.Closing(id=id, on=on),
            lambda state: CommitmentFulfilled(commitment=Commitment.from_map(state)),
        )

    @mutation(
        description="Record a commitment made to the acting officer's department as breached: "
        "the breach becomes a COMMITMENT_BREACH record of the department."
    )
    async def breach_commitment(
        self,
        info: Info[Context, None],
        id: Annotated[str, strawberry.argument(description="The commitment's id.")],
        summary: Annotated[str, strawberry.argument(description="What was breached, for the breach record.")],
        severity: Annotated[Severity, strawberry.argument(description="The severity of the breach record.")],
        on: dt.date | None = None,
    ) -> BreachCommitmentResult:
        request = commitments.Breach(id=id, summary=summary, severity=severity.value, on=on)
        return await run(info, commitments.breach_commitment, request, _breached)


@strawberry.type
class CommitmentQueries:
    @field(
        description="Commitments made to a department, soonest due first: by state as of a day "
        "(default today; OVERDUE = open past its due day) and due before a day."
    )
    async def commitments(
        self,
        info: Info[Context, None],
        department: Annotated[
            str, strawberry.argument(description="The code of the department the commitments were made to.")
        ],
        status: Annotated[
            CommitmentState | None,
            strawberry.argument(description="Only commitments in this state as of `asOf`; null for all."),
        ] = None,
        due_before: Annotated[
            dt.date | None, strawberry.argument(description="Only commitments due before this day.")
        ] = None,
        as_of: dt.date | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Commitment]:
        w = window(first, after, queries.department_commitments.name)
        rows = await info.context.read(
            queries.department_commitments,
            department=department,
            asOf=as_of or today(),
            state=status.value if status else None,
            dueBefore=due_before,
            **w.params(),
        )
        return build(rows[0], w, Commitment.from_map)
