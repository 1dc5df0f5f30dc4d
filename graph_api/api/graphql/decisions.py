"""Recording decisions about a subject and publishing them within 7 working days by the official
calendar (the rules: `graph_api.services.decisions`); the decisions overdue for publication; the change
log of a subject."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graph_api.api.graphql.codes import ChangeKind
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import Disclosure, RecordCategory, Severity
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.inputs import SubjectInput, subject_of, subject_params
from graph_api.api.graphql.types import CreditRecord
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain.clock import today
from graph_api.domain.permissions import record_params
from graph_api.services import decisions
from graph_api.services.negative_records import RecordMade
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map


@strawberry.input(description="A decision (行政决定) about a subject, recorded by the acting officer's department.")
class DecisionInput:
    subject: SubjectInput = strawberry.field(description="Whom the decision is about.")
    category: RecordCategory = strawberry.field(description="The category of the record it becomes.")
    decided_on: dt.date = strawberry.field(description="The day of the decision; not in the future.")
    severity: Severity | None = strawberry.field(default=None, description="Only for negative categories.")
    decision_no: str | None = strawberry.field(default=None, description="The decision's document number (文书号).")
    summary: str | None = strawberry.field(default=None, description="What was decided, for the record; null for none.")
    disclosure: Disclosure = strawberry.field(
        default=Disclosure.PUBLIC,
        description="Who may see the record: PUBLIC (the default), SHARED with member departments, RESTRICTED.",
    )
    id: str | None = strawberry.field(default=None, description="The record id; generated when not given.")


@strawberry.type(description="A recorded decision and the day by which it must be published.")
class DecisionRecorded:
    record: CreditRecord = strawberry.field(description="The record the decision became (unpublished).")
    publish_due_on: dt.date = strawberry.field(description="7 working days after the decision (official calendar).")
    publish_due_estimated: bool = strawberry.field(
        description="True when the deadline reaches a year whose official holidays are not yet published: "
        "counted Monday to Friday, to be checked."
    )


@strawberry.type(description="A decision published (公示) on a day.")
class RecordPublished:
    record: CreditRecord = strawberry.field(description="The record, now published.")
    late: bool = strawberry.field(description="Published after its due day.")


@strawberry.type(description="One change: who made it, when, to what, and the state before and after.")
class ChangeEntry:
    id: str = strawberry.field(description="The change's id.")
    at: dt.datetime = strawberry.field(description="When the change was committed.")
    operation: str = strawberry.field(description="The mutation that made it (e.g. listSubject).")
    user: str = strawberry.field(description="The user id of the credentials that made it.")
    department: str | None = strawberry.field(
        description="The code of the department the user acted for; null for none."
    )
    entity: str | None = strawberry.field(description="The entity the acting user acted for, if any.")
    kind: str = strawberry.field(graphql_type=ChangeKind, description="What kind of thing changed.")
    key: str = strawberry.field(description="The id of the thing that changed.")
    summary: str = strawberry.field(description="What changed, in a sentence.")
    before: JSON | None = strawberry.field(
        description="The thing's properties before the change; null when it was created."
    )
    after: JSON | None = strawberry.field(
        description="Its properties after the change; null only if the change removed it."
    )


DecisionResult = Annotated[
    DecisionRecorded | Refusal, strawberry.union("DecisionResult", description=refused("DecisionRecorded"))
]
PublishResult = Annotated[
    RecordPublished | Refusal, strawberry.union("PublishResult", description=refused("RecordPublished"))
]


def _recorded(r: RecordMade) -> DecisionRecorded:
    return DecisionRecorded(
        record=CreditRecord.from_map(r.record),
        publish_due_on=r.deadline.due,
        publish_due_estimated=r.deadline.estimated,
    )


def _published(p: decisions.Published) -> RecordPublished:
    return RecordPublished(record=CreditRecord.from_map(p.record), late=p.late)


@strawberry.type
class DecisionMutations:
    @mutation(description="Record a decision about an entity or a person for the acting officer's department.")
    async def record_decision(
        self,
        info: Info[Context, None],
        input: Annotated[DecisionInput, strawberry.argument(description="The decision.")],
    ) -> DecisionResult:
        request = decisions.DecisionRequest(
            subject=subject_of(info, input.subject),
            category=input.category.value,
            decided_on=input.decided_on,
            severity=input.severity.value if input.severity else None,
            decision_no=input.decision_no,
            summary=input.summary,
            disclosure=input.disclosure.value,
            id=input.id,
        )
        return await run(info, decisions.record_decision, request, _recorded)

    @mutation(description="Publish (公示) a decision of the acting officer's department on a day.")
    async def publish_record(
        self,
        info: Info[Context, None],
        id: Annotated[str, strawberry.argument(description="The record's id.")],
        published_on: Annotated[
            dt.date | None,
            strawberry.argument(
                description="The day of publication (RFC 3339 full-date); null for today. Not in the future."
            ),
        ] = None,
    ) -> PublishResult:
        return await run(
            info, decisions.publish_record, decisions.PublishRequest(id=id, published_on=published_on), _published
        )


@strawberry.type
class DecisionQueries:
    @field(
        description="Decisions of a department not published by their due day (7 working days), as of a day; "
        "RESTRICTED ones only for the department's own officers (and investigators, "
        "sanctions officers, administrators)."
    )
    async def overdue_publications(
        self,
        info: Info[Context, None],
        department: Annotated[str, strawberry.argument(description="The deciding department's code.")],
        as_of: dt.date | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[CreditRecord]:
        actor = info.context.actor()
        w = window(first, after, queries.overdue_publications.name)
        rows = await info.context.read(
            queries.overdue_publications,
            department=department,
            asOf=as_of or today(),
            **w.params(),
            **record_params(actor, today()),
        )
        return build(rows[0], w, CreditRecord.from_map)

    @field(
        description="The change log (变更记录) of an entity or a person: every change made through the API, "
        "newest first. A change concerning a record the reader may not see (the record's own, an objection "
        "or repair application to it, or one whose text names it, as a listing's basis) is left out and not "
        "counted."
    )
    async def change_log(
        self,
        info: Info[Context, None],
        subject: Annotated[
            SubjectInput, strawberry.argument(description="The entity or person whose changes to list.")
        ],
        first: int = 20,
        after: str | None = None,
    ) -> Connection[ChangeEntry]:
        actor = info.context.actor()
        w = window(first, after, queries.change_log.name)
        params = subject_params(info, subject, "s")
        party = params["sEntity"] or params["sPerson"]
        rows = await info.context.read(queries.change_log, party=party, **w.params(), **record_params(actor, today()))
        return build(rows[0], w, _change)


def _change(m: Map) -> ChangeEntry:
    return ChangeEntry(
        id=m["id"],
        at=m["at"].to_native(),
        operation=m["operation"],
        user=m["user"],
        department=m["department"],
        entity=m["entity"],
        kind=m["kind"],
        key=m["key"],
        summary=m["summary"],
        before=json.loads(m["before"]) if m["before"] else None,
        after=json.loads(m["after"]) if m["after"] else None,
    )
