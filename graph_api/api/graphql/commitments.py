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
from graph_api.api.graphql.writes import Refusal, run
from graph_api.domain.clock import today
from graph_api.services import commitments
from graph_api.store.cypher_loader import queries


@strawberry.input(description="A commitment the acting entity makes to a department.")
class CommitmentInput:
    type: CommitmentType
    matter: str = strawberry.field(description="What the entity commits to (承诺事项), 1 to 500 characters.")
    made_on: dt.date
    department: str = strawberry.field(description="Code of the department the commitment is made to.")
    due_on: dt.date | None = strawberry.field(default=None, description="The day by which it must be fulfilled.")
    id: str | None = strawberry.field(default=None, description="The commitment id; generated when not given.")


@strawberry.type(description="A commitment made.")
class CommitmentMade:
    commitment: Commitment


@strawberry.type(description="A commitment recorded fulfilled.")
class CommitmentFulfilled:
    commitment: Commitment


@strawberry.type(description="A commitment recorded breached, and the negative record the breach became.")
class CommitmentBreached:
    commitment: Commitment
    record: CreditRecord
    publish_due_on: dt.date = strawberry.field(description="7 working days after the breach (official calendar).")


MakeCommitmentResult = Annotated[CommitmentMade | Refusal, strawberry.union("MakeCommitmentResult")]
FulfilCommitmentResult = Annotated[CommitmentFulfilled | Refusal, strawberry.union("FulfilCommitmentResult")]
BreachCommitmentResult = Annotated[CommitmentBreached | Refusal, strawberry.union("BreachCommitmentResult")]


def _breached(b: commitments.Breached) -> CommitmentBreached:
    return CommitmentBreached(
        commitment=Commitment.from_map(b.commitment),
        record=CreditRecord.from_map(b.record.record),
        publish_due_on=b.record.deadline.due,
    )


@strawberry.type
class CommitmentMutations:
    @mutation(description="Make a credit commitment (信用承诺) to a department, as the acting entity.")
    async def make_commitment(self, info: Info[Context, None], input: CommitmentInput) -> MakeCommitmentResult:
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
        self, info: Info[Context, None], id: str, on: dt.date | None = None
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
        self, info: Info[Context, None], id: str, summary: str, severity: Severity, on: dt.date | None = None
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
        department: str,
        status: CommitmentState | None = None,
        due_before: dt.date | None = None,
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
