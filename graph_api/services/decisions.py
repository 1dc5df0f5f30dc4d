"""Recording a decision (行政决定) about a subject and publishing it (公示), due within 7 working days by
the official calendar."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from graph_api.domain import vocabulary as domain
from graph_api.domain.actor import Actor
from graph_api.domain.refusals import Refused, check_department
from graph_api.domain.subjects import Subject
from graph_api.domain.workdays import PUBLICATION_WORKING_DAYS, add_working_days
from graph_api.errors import BadUserInput
from graph_api.services.inputs import day_done, one_of
from graph_api.services.negative_records import RecordMade, record_with_department
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.services.watch_alerts import record_made
from graph_api.store.cypher_loader import queries


@dataclass(frozen=True)
class DecisionRequest:
    subject: Subject
    category: str
    decided_on: dt.date
    severity: str | None = None  # only for negative categories
    decision_no: str | None = None
    summary: str | None = None
    disclosure: str = "PUBLIC"
    id: str | None = None  # generated when None


@dataclass(frozen=True)
class PublishRequest:
    id: str
    published_on: dt.date | None = None  # today when None


@dataclass(frozen=True)
class Published:
    record: dict[str, Any]  # the record's properties with its `department` map
    late: bool  # published after its due day


def check_decision(d: DecisionRequest) -> None:
    """A severity exactly for negative categories, a decision not in the future, an id of sane length."""
    one_of(d.category, domain.CATEGORIES, "category")
    one_of(d.severity, domain.SEVERITIES, "severity")
    one_of(d.disclosure, domain.DISCLOSURES, "disclosure")
    negative = d.category in domain.NEGATIVE_CATEGORIES
    if d.severity is not None and not negative:
        raise BadUserInput(f"severity applies to negative records only, not to {d.category}", field="severity")
    if negative and d.severity is None:
        raise BadUserInput(f"a {d.category} record needs a severity (MINOR, GENERAL or SERIOUS)", field="severity")
    day_done(d.decided_on, "decidedOn")
    if d.id is not None and not 1 <= len(d.id) <= 64:
        raise BadUserInput("id must have 1 to 64 characters", field="id")


async def record_decision(store: Store, actor: Actor, d: DecisionRequest, trail: Trail = NO_TRAIL) -> RecordMade:
    """Record a decision about an entity or a person for the acting officer's department."""
    department = actor.officer()
    check_decision(d)
    params = d.subject.params("subject")
    record_id = d.id or f"{department}-{d.decided_on.year}-{uuid.uuid4().hex[:10].upper()}"
    deadline = add_working_days(d.decided_on, PUBLICATION_WORKING_DAYS)

    async def work(tx: Tx) -> RecordMade:
        ctx = await tx.single(queries.decision_context, department=department, id=record_id, **params)
        if not ctx["departmentFound"]:
            raise Refused("UNKNOWN_DEPARTMENT", f"department {department} is not in the graph")
        if not ctx["subjectFound"]:
            raise Refused("NOT_FOUND", "the subject is not in the graph", field="subject")
        if ctx["idTaken"]:
            raise Refused("DUPLICATE_ID", f"a record {record_id} exists already", field="id")
        props = {
            "category": d.category,
            "polarity": domain.polarity_of(d.category),
            "severity": d.severity,
            "decisionNo": d.decision_no,
            "decidedOn": d.decided_on,
            "summary": d.summary,
            "disclosure": d.disclosure,
            "publishedOn": None,
            "publishDueOn": deadline.due,
            "publishDueEstimated": deadline.estimated,
        }
        row = await tx.single(queries.decision_create, department=department, id=record_id, props=props, **params)
        tx.changed(
            row["nodeId"],
            "Record",
            record_id,
            ctx["party"],
            f"decision {record_id} recorded",
            None,
            dict(row["record"]),
        )
        made = RecordMade(await record_with_department(tx, row["record"], department), deadline)
        await record_made(tx, row["subject"], row["record"])
        return made

    return await write(store, actor, "recordDecision", work, trail)


async def publish_record(store: Store, actor: Actor, p: PublishRequest, trail: Trail = NO_TRAIL) -> Published:
    """Publish a decision of the acting officer's department on a day."""
    department = actor.officer()
    published_on = day_done(p.published_on, "publishedOn")

    async def work(tx: Tx) -> Published:
        lock = await tx.lock_seen(queries.record_lock, f"record {p.id!r}", id=p.id)
        check_department(department, lock["department"], f"record {p.id}", "was decided by")
        before = (await tx.single(queries.record_state, id=p.id))["record"]
        if before["publishedOn"] is not None:
            raise Refused("ALREADY_PUBLISHED", f"record {p.id} was published on {before['publishedOn']}")
        if published_on < before["decidedOn"].to_native():
            raise Refused(
                "BEFORE_DECISION",
                f"publishedOn {published_on} is before the decision ({before['decidedOn']})",
                field="publishedOn",
            )
        published = (await tx.single(queries.record_publish, id=p.id, publishedOn=published_on))["record"]
        tx.changed(
            lock["nodeId"],
            "Record",
            p.id,
            lock["party"],
            f"record {p.id} published",
            {"publishedOn": None},
            {"publishedOn": published_on},
        )
        after = {**dict(before), "publishedOn": published_on, "publicMaxUntil": published["publicMaxUntil"]}
        due = before["publishDueOn"]
        return Published(
            record=await record_with_department(tx, after, department),
            late=due is not None and published_on > due.to_native(),
        )

    return await write(store, actor, "publishRecord", work, trail)
