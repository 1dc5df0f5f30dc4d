"""Interviews (约谈, "谁认定、谁约谈"): a listing may carry a rectification deadline (rectifyBy); once
it has passed with the listing still in force and no interview held, the department that listed the
subject owes it an interview. The interview becomes a negative INTERVIEW record of that department
on the listed subject, linked (Listing)-[:INTERVIEW]->(Record).

An interview may be recorded any time the listing is in force — a department may interview before the
deadline, or again after a first interview; it is only *due* (interviewsDue) after the deadline."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import ListCode, Severity
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.types import CreditRecord, EntityRef, PersonSummary, _day
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain.clock import today
from graph_api.services import interviews
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map


@strawberry.type(description="A listing whose rectification deadline has passed without an interview.")
class InterviewDue:
    listing: str = strawberry.field(description="The listing id.")
    list: ListCode = strawberry.field(description="The list the subject is on.")
    since: dt.date = strawberry.field(description="First day of the listing.")
    rectify_by: dt.date = strawberry.field(description="The rectification deadline (整改期限).")
    days_overdue: int = strawberry.field(description="Days from the deadline to the day asked about.")
    entity: EntityRef | None = strawberry.field(description="The listed subject, when an entity.")
    person: PersonSummary | None = strawberry.field(description="The listed subject, when a person.")


@strawberry.input(description="An interview (约谈) held with a listed subject by the listing department.")
class InterviewInput:
    listing: str = strawberry.field(description="The id of the listing the interview is about.")
    held_on: dt.date = strawberry.field(description="The day it was held; not in the future.")
    summary: str = strawberry.field(description="What was said and required, 1 to 500 characters.")
    severity: Severity = strawberry.field(
        default=Severity.MINOR,
        description="Severity of the INTERVIEW record; MINOR by default.",
    )


@strawberry.type(description="An interview recorded, as a negative record of the listing department.")
class InterviewRecorded:
    listing: str = strawberry.field(description="The listing's id.")
    record: CreditRecord = strawberry.field(description="The INTERVIEW record it became (unpublished).")
    publish_due_on: dt.date = strawberry.field(description="7 working days after the interview (official calendar).")
    days_after_deadline: int | None = strawberry.field(
        description="Days from the rectification deadline to the interview (negative when held before it); "
        "null when the listing has no deadline."
    )


RecordInterviewResult = Annotated[
    InterviewRecorded | Refusal, strawberry.union("RecordInterviewResult", description=refused("InterviewRecorded"))
]


def _due(m: Map, as_of: dt.date) -> InterviewDue:
    listing = m["listing"]
    rectify_by = _day(listing["rectifyBy"])
    return InterviewDue(
        listing=listing["id"],
        list=ListCode(listing["list"]),
        since=_day(listing["since"]),
        rectify_by=rectify_by,
        days_overdue=(as_of - rectify_by).days,
        entity=EntityRef.from_map(m["entity"]) if m["entity"] else None,
        person=PersonSummary.from_map(m["person"]) if m["person"] else None,
    )


def _recorded(r: interviews.InterviewRecorded) -> InterviewRecorded:
    return InterviewRecorded(
        listing=r.listing,
        record=CreditRecord.from_map(r.record.record),
        publish_due_on=r.record.deadline.due,
        days_after_deadline=r.days_after_deadline,
    )


@strawberry.type
class InterviewMutations:
    @mutation(
        description="Record an interview held with a listed subject, by an officer of the department "
        "that listed it: it becomes an INTERVIEW record on the subject."
    )
    async def record_interview(
        self,
        info: Info[Context, None],
        input: Annotated[InterviewInput, strawberry.argument(description="The interview.")],
    ) -> RecordInterviewResult:
        request = interviews.InterviewRequest(
            listing=input.listing, held_on=input.held_on, summary=input.summary, severity=input.severity.value
        )
        return await run(info, interviews.record_interview, request, _recorded)


@strawberry.type
class InterviewQueries:
    @field(
        description="Listings of a department owing an interview as of a day (default today): in force, "
        "past their rectification deadline, none held yet; longest overdue first."
    )
    async def interviews_due(
        self,
        info: Info[Context, None],
        department: Annotated[str, strawberry.argument(description="The listing department's code.")],
        as_of: dt.date | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[InterviewDue]:
        w = window(first, after, queries.interviews_due.name)
        as_of = as_of or today()
        rows = await info.context.read(queries.interviews_due, department=department, asOf=as_of, **w.params())
        return build(rows[0], w, lambda m: _due(m, as_of))
