"""Recording decisions about a subject and publishing them within 7 working days by the official
calendar; the decisions overdue for publication; the change log of a subject."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graph_api.domain import vocabulary as domain
from graph_api.domain.clock import today
from graph_api.store.cypher_loader import queries
from graph_api.errors import BadUserInput
from graph_api.domain.workdays import PUBLICATION_WORKING_DAYS, add_working_days
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import Disclosure, RecordCategory, Severity
from graph_api.api.graphql.inputs import SubjectInput, subject_params
from graph_api.api.graphql.records import record_visibility
from graph_api.api.graphql.types import CreditRecord
from graph_api.api.graphql.writes import Refusal, Refused, Tx, check_department, write


@strawberry.input(description="A decision (行政决定) about a subject, recorded by the acting officer's department.")
class DecisionInput:
    subject: SubjectInput
    category: RecordCategory
    decided_on: dt.date
    severity: Severity | None = strawberry.field(default=None, description="Only for negative categories.")
    decision_no: str | None = strawberry.field(default=None, description="The decision's document number (文书号).")
    summary: str | None = None
    disclosure: Disclosure = strawberry.field(default=Disclosure("PUBLIC"))  # type: ignore[call-arg]
    id: str | None = strawberry.field(default=None, description="The record id; generated when not given.")


@strawberry.type(description="A recorded decision and the day by which it must be published.")
class DecisionRecorded:
    record: CreditRecord
    publish_due_on: dt.date = strawberry.field(description="7 working days after the decision (official calendar).")
    publish_due_estimated: bool = strawberry.field(
        description="True when the deadline reaches a year whose official holidays are not yet published: "
                    "counted Monday to Friday, to be checked.")


@strawberry.type(description="A decision published (公示) on a day.")
class RecordPublished:
    record: CreditRecord
    late: bool = strawberry.field(description="Published after its due day.")


@strawberry.type(description="One change: who made it, when, to what, and the state before and after.")
class ChangeEntry:
    id: str
    at: dt.datetime
    operation: str
    user: str
    department: str | None
    entity: str | None = strawberry.field(description="The entity the acting user acted for, if any.")
    kind: str = strawberry.field(description="What changed: Record, Listing, Task, Commitment, …")
    key: str
    summary: str
    before: JSON | None
    after: JSON | None


DecisionResult = Annotated[DecisionRecorded | Refusal, strawberry.union("DecisionResult")]
PublishResult = Annotated[RecordPublished | Refusal, strawberry.union("PublishResult")]


def _record(m: dict[str, Any], department: dict[str, Any]) -> CreditRecord:
    return CreditRecord.from_map({**{k: m.get(k) for k in ("decisionNo", "publishedOn", "summary", "severity")},
                                  **m, "department": department})


def _check_decision(d: DecisionInput) -> None:
    negative = d.category.value in domain.NEGATIVE_CATEGORIES
    if d.severity is not None and not negative:
        raise BadUserInput(f"severity applies to negative records only, not to {d.category.value}", field="severity")
    if negative and d.severity is None:
        raise BadUserInput(f"a {d.category.value} record needs a severity (MINOR, GENERAL or SERIOUS)", field="severity")
    if d.decided_on > today():
        raise BadUserInput(f"decidedOn {d.decided_on} is in the future", field="decidedOn")
    if d.id is not None and not 1 <= len(d.id) <= 64:
        raise BadUserInput("id must have 1 to 64 characters", field="id")


@strawberry.type
class DecisionMutations:
    @strawberry.mutation(description="Record a decision about an entity or a person for the acting officer's department.")
    async def record_decision(self, info: Info[Context, None], input: DecisionInput) -> DecisionResult:
        department = info.context.actor().officer()
        _check_decision(input)
        params = subject_params(info, input.subject, "subject")
        record_id = input.id or f"{department}-{input.decided_on.year}-{uuid.uuid4().hex[:10].upper()}"
        deadline = add_working_days(input.decided_on, PUBLICATION_WORKING_DAYS)

        async def work(tx: Tx) -> DecisionRecorded:
            ctx = await tx.one("decision_context", department=department, id=record_id, **params)
            if not ctx["departmentFound"]:
                raise Refused("UNKNOWN_DEPARTMENT", f"department {department} is not in the graph")
            if not ctx["subjectFound"]:
                raise Refused("NOT_FOUND", "the subject is not in the graph", field="subject")
            if ctx["idTaken"]:
                raise Refused("DUPLICATE_ID", f"a record {record_id} exists already", field="id")
            props = {"category": input.category.value, "polarity": domain.polarity_of(input.category.value),
                     "severity": input.severity.value if input.severity else None, "decisionNo": input.decision_no,
                     "decidedOn": input.decided_on, "summary": input.summary, "disclosure": input.disclosure.value,
                     "publishedOn": None, "publishDueOn": deadline.due, "publishDueEstimated": deadline.estimated}
            row = await tx.one("decision_create", department=department, id=record_id, props=props, **params)
            tx.changed(row["nodeId"], "Record", record_id, ctx["party"], f"decision {record_id} recorded",
                       None, dict(row["record"]))
            dept = await tx.one("department_by_code", code=department)
            return DecisionRecorded(record=_record(row["record"], dept["department"]), publish_due_on=deadline.due,
                                    publish_due_estimated=deadline.estimated)

        return await write(info, "recordDecision", work)

    @strawberry.mutation(description="Publish (公示) a decision of the acting officer's department on a day.")
    async def publish_record(self, info: Info[Context, None], id: str, published_on: dt.date | None = None) -> PublishResult:
        department = info.context.actor().officer()
        published_on = published_on or today()
        if published_on > today():
            raise BadUserInput(f"publishedOn {published_on} is in the future", field="publishedOn")

        async def work(tx: Tx) -> RecordPublished:
            lock = await tx.lock("record_lock", f"record {id!r}", id=id)
            check_department(department, lock["department"], f"record {id}", "was decided by")
            before = (await tx.one("record_state", id=id))["record"]
            if before["publishedOn"] is not None:
                raise Refused("ALREADY_PUBLISHED", f"record {id} was published on {before['publishedOn']}")
            if published_on < before["decidedOn"].to_native():
                raise Refused("BEFORE_DECISION", f"publishedOn {published_on} is before the decision "
                                                 f"({before['decidedOn']})", field="publishedOn")
            published = (await tx.one("record_publish", id=id, publishedOn=published_on))["record"]
            tx.changed(lock["nodeId"], "Record", id, lock["party"], f"record {id} published",
                       {"publishedOn": None}, {"publishedOn": published_on})
            dept = await tx.one("department_by_code", code=department)
            after = {**dict(before), "publishedOn": published_on, "publicMaxUntil": published["publicMaxUntil"]}
            due = before["publishDueOn"]
            return RecordPublished(record=_record(after, dept["department"]),
                                   late=due is not None and published_on > due.to_native())

        return await write(info, "publishRecord", work)


@strawberry.type
class DecisionQueries:
    @strawberry.field(description="Decisions of a department not published by their due day (7 working days), as of a day; "
                                  "RESTRICTED ones only for the department's own officers (and investigators, "
                                  "sanctions officers, administrators).")
    async def overdue_publications(self, info: Info[Context, None], department: str, as_of: dt.date | None = None,
                                   first: int = 20, after: str | None = None) -> Connection[CreditRecord]:
        actor = info.context.actor()
        skip, limit = window(first, after)
        rows = await info.context.read(queries.overdue_publications, department=department, asOf=as_of or today(),
                                       skip=skip, limit=limit, **record_visibility(actor))
        return build(rows[0]["totalCount"], rows[0]["page"], skip, CreditRecord.from_map)

    @strawberry.field(description="The change log (变更记录) of an entity or a person: every change made through the API, "
                                  "newest first; changes of records the reader may not see are left out.")
    async def change_log(self, info: Info[Context, None], subject: SubjectInput, first: int = 20,
                         after: str | None = None) -> Connection[ChangeEntry]:
        actor = info.context.actor()
        skip, limit = window(first, after)
        params = subject_params(info, subject, "s")
        party = params["sEntity"] or params["sPerson"]
        rows = await info.context.read(queries.change_log, party=party, skip=skip, limit=limit, **record_visibility(actor))
        return build(rows[0]["totalCount"], rows[0]["page"], skip, _change)


def _change(m: dict[str, Any]) -> ChangeEntry:
    return ChangeEntry(id=m["id"], at=m["at"].to_native(), operation=m["operation"], user=m["user"],
                       department=m["department"], entity=m["entity"], kind=m["kind"], key=m["key"],
                       summary=m["summary"], before=json.loads(m["before"]) if m["before"] else None,
                       after=json.loads(m["after"]) if m["after"] else None)
