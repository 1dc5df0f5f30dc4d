"""Credit repair (信用修复): the subject applies after the minimum publicity period of the record (or of every
basis of the listing), by one or more of the recognised methods; the department that decided approves or
refuses. Approval ends the publication of the records and the listing with its whole cascade, from the
decision day on, so that reads as of an earlier day still show the listing in force."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.codes import FiledBy
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import RepairMethod, RepairStatus, TargetKind
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.inputs import SubjectInput, subject_params
from graph_api.api.graphql.redress import TargetInput, TargetRef, target_of
from graph_api.api.graphql.types import _date, _day
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain.clock import today
from graph_api.domain.permissions import record_params
from graph_api.services import repair
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map


@strawberry.input(description="An application for credit repair of a record or a listing.")
class RepairInput:
    target: TargetInput = strawberry.field(description="The record or listing to repair.")
    methods: list[RepairMethod] = strawberry.field(description="At least one way the subject repaired its credit.")
    evidence: list[str] = strawberry.field(default_factory=list, description="References to the supporting documents.")
    applied_on: dt.date | None = strawberry.field(default=None, description="Default today (China time).")


@strawberry.type(description="An application for credit repair (信用修复申请) and its decision.")
class RepairApplication:
    id: str = strawberry.field(description="The application's id.")
    status: RepairStatus = strawberry.field(description="Pending, approved or refused.")
    target: TargetRef = strawberry.field(description="The record or listing to repair.")
    methods: list[RepairMethod] = strawberry.field(description="How the subject repaired its credit.")
    evidence: list[str] = strawberry.field(description="References to the supporting documents.")
    applied_on: dt.date = strawberry.field(description="The day it was applied for.")
    earliest_on: dt.date | None = strawberry.field(
        description="The first day repair could be applied for: the end of the minimum publicity period."
    )
    filed_by: str = strawberry.field(graphql_type=FiledBy, description="Who filed it.")
    decided_on: dt.date | None = strawberry.field(description="The day it was decided; null while pending.")
    reason: str | None = strawberry.field(
        description="The department's reason for its decision; null while pending or when none was given."
    )

    @classmethod
    def from_map(cls, m: Map) -> RepairApplication:
        return cls(
            id=m["id"],
            status=RepairStatus(m["status"]),
            target=TargetRef(kind=TargetKind(m["kind"]), id=m["target"]),
            methods=[RepairMethod(x) for x in m["methods"]],
            evidence=list(m["evidence"]),
            applied_on=_day(m["appliedOn"]),
            earliest_on=_date(m.get("earliestOn")),
            filed_by=m["filedBy"],
            decided_on=_date(m.get("decidedOn")),
            reason=m.get("reason"),
        )


@strawberry.type(description="A repair decided: on approval, the records repaired and the listings ended.")
class RepairDecided:
    application: RepairApplication = strawberry.field(description="The application, now approved or refused.")
    repaired_records: list[str] = strawberry.field(
        description="The ids of the records whose publication ended (approval only)."
    )
    ended_listings: list[str] = strawberry.field(description="The ids of the listings that ended (approval only).")


RepairResult = Annotated[
    RepairApplication | Refusal, strawberry.union("RepairResult", description=refused("RepairApplication"))
]
RepairDecisionResult = Annotated[
    RepairDecided | Refusal, strawberry.union("RepairDecisionResult", description=refused("RepairDecided"))
]


def _decided(d: repair.RepairDecided) -> RepairDecided:
    return RepairDecided(
        application=RepairApplication.from_map(d.application),
        repaired_records=d.repaired_records,
        ended_listings=d.ended_listings,
    )


@strawberry.type
class RepairMutations:
    @mutation(
        description="Apply for credit repair of a record or a listing of the acting entity (for a "
        "person: an officer of the deciding department files). Refused with "
        "REPAIR_TOO_EARLY before the minimum publicity period has passed."
    )
    async def apply_for_repair(
        self,
        info: Info[Context, None],
        input: Annotated[RepairInput, strawberry.argument(description="The application.")],
    ) -> RepairResult:
        request = repair.RepairRequest(
            target=target_of(input.target),
            methods=tuple(m.value for m in input.methods),
            evidence=tuple(input.evidence),
            applied_on=input.applied_on,
        )
        return await run(info, repair.apply_for_repair, request, RepairApplication.from_map)

    @mutation(
        description="Approve or refuse a repair application, as an officer of the department that "
        "decided the record or listing. Approval ends publication and the listing with "
        "its measures, personal bindings and flags from `on`; history stays readable."
    )
    async def decide_repair(
        self,
        info: Info[Context, None],
        id: Annotated[str, strawberry.argument(description="The application's id.")],
        approve: Annotated[bool, strawberry.argument(description="True to approve, false to refuse.")],
        reason: Annotated[str | None, strawberry.argument(description="Why; shown to the subject.")] = None,
        on: dt.date | None = None,
    ) -> RepairDecisionResult:
        request = repair.RepairDecision(id=id, approve=approve, reason=reason, on=on)
        return await run(info, repair.decide_repair, request, _decided)


@strawberry.type
class RepairQueries:
    @field(
        description="The repair applications of an entity or a person, newest first; one for a record the "
        "reader may not see is left out and not counted."
    )
    async def repair_applications(
        self,
        info: Info[Context, None],
        subject: Annotated[
            SubjectInput, strawberry.argument(description="The entity or person whose applications to list.")
        ],
        first: int = 20,
        after: str | None = None,
    ) -> Connection[RepairApplication]:
        w = window(first, after, queries.repair_applications.name)
        rows = await info.context.read(
            queries.repair_applications,
            **w.params(),
            **subject_params(info, subject, "subject"),
            **record_params(info.context.actor(), today()),
        )
        return build(rows[0], w, RepairApplication.from_map)
