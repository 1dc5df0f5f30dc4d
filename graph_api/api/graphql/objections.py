"""Objections (异议): the subject objects to a record or a listing; the deciding department answers within 7
working days by the official calendar. Upheld on a record, the record is corrected or revoked and every
listing loses it as a basis — the relationship stays, marked withdrawn — and a listing left with no valid
basis is withdrawn with its measures, bindings and flags, kept as history. Upheld on a listing, the
listing is withdrawn."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.codes import FiledBy
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import ObjectionStatus, Severity, TargetKind
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.inputs import SubjectInput, subject_params
from graph_api.api.graphql.redress import TargetInput, TargetRef, target_of
from graph_api.api.graphql.types import _date, _day
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain.clock import today
from graph_api.domain.permissions import record_params
from graph_api.services import objections as objection_service
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map


@strawberry.input(description="An objection to a record or a listing.")
class ObjectionInput:
    target: TargetInput = strawberry.field(description="The record or listing objected to.")
    reason: str = strawberry.field(description="Why the subject objects (required).")
    raised_on: dt.date | None = strawberry.field(default=None, description="Default today (China time).")


@strawberry.input(description="How an upheld objection corrects a record: new severity and/or summary, or revocation.")
class CorrectionInput:
    severity: Severity | None = strawberry.field(
        default=None, description="The record's new severity; null to keep it."
    )
    summary: str | None = strawberry.field(default=None, description="The record's new summary; null to keep it.")
    revoke: bool = strawberry.field(default=False, description="Revoke the record instead of correcting it.")


@strawberry.type(description="An objection (异议) and its answer.")
class Objection:
    id: str = strawberry.field(description="The objection's id.")
    status: ObjectionStatus = strawberry.field(description="Open, upheld or rejected.")
    target: TargetRef = strawberry.field(description="The record or listing objected to.")
    reason: str = strawberry.field(description="Why the subject objects.")
    raised_on: dt.date = strawberry.field(description="The day it was raised.")
    due_on: dt.date = strawberry.field(description="7 working days after it was raised (official calendar).")
    due_estimated: bool = strawberry.field(
        description="True when the due day reaches a year whose official holidays are not yet published: "
        "counted Monday to Friday."
    )
    filed_by: str = strawberry.field(graphql_type=FiledBy, description="Who filed it.")
    answered_on: dt.date | None = strawberry.field(description="The day it was answered; null while open.")
    answer: str | None = strawberry.field(description="The department's answer; null while open.")

    @field(description="Answered after its due day.")
    def late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.due_on

    @classmethod
    def from_map(cls, m: Map) -> Objection:
        return cls(
            id=m["id"],
            status=ObjectionStatus(m["status"]),
            target=TargetRef(kind=TargetKind(m["kind"]), id=m["target"]),
            reason=m["reason"],
            raised_on=_day(m["raisedOn"]),
            due_on=_day(m["dueOn"]),
            due_estimated=bool(m.get("dueEstimated")),
            filed_by=m["filedBy"],
            answered_on=_date(m.get("answeredOn")),
            answer=m.get("answer"),
        )


@strawberry.type(description="An objection answered: what was corrected and what was withdrawn because of it.")
class ObjectionAnswered:
    objection: Objection = strawberry.field(description="The objection, now upheld or rejected.")
    corrected_record: str | None = strawberry.field(
        description="The id of the record corrected or revoked; null when none was."
    )
    withdrawn_bases: list[str] = strawberry.field(description="Listings that lost the record as a basis.")
    withdrawn_listings: list[str] = strawberry.field(
        description="Listings withdrawn: no valid basis left, or the target."
    )


ObjectionResult = Annotated[Objection | Refusal, strawberry.union("ObjectionResult", description=refused("Objection"))]
AnswerResult = Annotated[
    ObjectionAnswered | Refusal, strawberry.union("AnswerResult", description=refused("ObjectionAnswered"))
]


def _correction(c: CorrectionInput | None) -> objection_service.Correction | None:
    if c is None:
        return None
    return objection_service.Correction(
        severity=c.severity.value if c.severity else None, summary=c.summary, revoke=c.revoke
    )


def _answered(a: objection_service.ObjectionAnswered) -> ObjectionAnswered:
    return ObjectionAnswered(
        objection=Objection.from_map(a.objection),
        corrected_record=a.corrected_record,
        withdrawn_bases=a.withdrawn_bases,
        withdrawn_listings=a.withdrawn_listings,
    )


@strawberry.type
class ObjectionMutations:
    @mutation(
        description="Object to a record or a listing of the acting entity (for a person: an officer "
        "of the deciding department files). Due for an answer in 7 working days."
    )
    async def raise_objection(
        self,
        info: Info[Context, None],
        input: Annotated[ObjectionInput, strawberry.argument(description="The objection.")],
    ) -> ObjectionResult:
        request = objection_service.ObjectionRequest(
            target=target_of(input.target), reason=input.reason, raised_on=input.raised_on
        )
        return await run(info, objection_service.raise_objection, request, Objection.from_map)

    @mutation(
        description="Answer an objection as an officer of the deciding department: upheld (a record "
        "corrected or revoked, what stood on it withdrawn; a listing withdrawn) or "
        "rejected."
    )
    async def answer_objection(
        self,
        info: Info[Context, None],
        id: Annotated[str, strawberry.argument(description="The objection's id.")],
        upheld: Annotated[bool, strawberry.argument(description="True to uphold the objection, false to reject it.")],
        answer: Annotated[str, strawberry.argument(description="The department's answer to the subject (required).")],
        correction: Annotated[
            CorrectionInput | None,
            strawberry.argument(
                description="For an upheld objection to a record: how it is corrected; null leaves it as it is."
            ),
        ] = None,
        on: dt.date | None = None,
    ) -> AnswerResult:
        request = objection_service.ObjectionAnswer(
            id=id, upheld=upheld, answer=answer, correction=_correction(correction), on=on
        )
        return await run(info, objection_service.answer_objection, request, _answered)


@strawberry.type
class ObjectionQueries:
    @field(
        description="Objections addressed to a department and unanswered past their due day, as of a day; one "
        "to a record the reader may not see is left out and not counted."
    )
    async def overdue_objections(
        self,
        info: Info[Context, None],
        department: Annotated[
            str, strawberry.argument(description="The code of the department the objections are addressed to.")
        ],
        as_of: dt.date | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Objection]:
        w = window(first, after, queries.overdue_objections.name)
        rows = await info.context.read(
            queries.overdue_objections,
            department=department,
            asOf=as_of or today(),
            **w.params(),
            **record_params(info.context.actor(), today()),
        )
        return build(rows[0], w, Objection.from_map)

    @field(
        description="The objections filed about an entity or a person, newest first; one to a record the "
        "reader may not see is left out and not counted."
    )
    async def objections(
        self,
        info: Info[Context, None],
        subject: Annotated[
            SubjectInput, strawberry.argument(description="The entity or person whose objections to list.")
        ],
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Objection]:
        w = window(first, after, queries.subject_objections.name)
        rows = await info.context.read(
            queries.subject_objections,
            **w.params(),
            **subject_params(info, subject, "subject"),
            **record_params(info.context.actor(), today()),
        )
        return build(rows[0], w, Objection.from_map)
