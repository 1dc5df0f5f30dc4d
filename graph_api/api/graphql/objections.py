"""Objections (异议): the subject objects to a record or a listing; the deciding department answers within 7
working days by the official calendar. Upheld on a record, the record is corrected or revoked and every
listing loses it as a basis — the relationship stays, marked withdrawn — and a listing left with no valid
basis is withdrawn with its measures, bindings and flags, kept as history. Upheld on a listing, the
listing is withdrawn."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.domain import vocabulary as domain
from graph_api.domain.clock import today
from graph_api.store.cypher_loader import queries
from graph_api.errors import BadUserInput
from graph_api.domain.workdays import OBJECTION_WORKING_DAYS, add_working_days
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import ObjectionStatus, Severity, TargetKind
from graph_api.api.graphql.inputs import SubjectInput, subject_params
from graph_api.api.graphql.listings import end_listing
from graph_api.api.graphql.redress import (
    TargetInput,
    TargetRef,
    check_filer,
    end_listings_without_basis,
    in_force,
    load_target,
    target_params,
)
from graph_api.api.graphql.types import _date
from graph_api.api.graphql.writes import Refusal, Refused, Tx, check_department, write


@strawberry.input(description="An objection to a record or a listing.")
class ObjectionInput:
    target: TargetInput
    reason: str
    raised_on: dt.date | None = strawberry.field(default=None, description="Default today (China time).")


@strawberry.input(description="How an upheld objection corrects a record: new severity and/or summary, or revocation.")
class CorrectionInput:
    severity: Severity | None = None
    summary: str | None = None
    revoke: bool = False


@strawberry.type(description="An objection (异议) and its answer.")
class Objection:
    id: str
    status: ObjectionStatus
    target: TargetRef
    reason: str
    raised_on: dt.date
    due_on: dt.date = strawberry.field(description="7 working days after it was raised (official calendar).")
    due_estimated: bool
    filed_by: str = strawberry.field(description="SUBJECT, or OFFICER_ON_BEHALF for a person subject.")
    answered_on: dt.date | None
    answer: str | None

    @strawberry.field(description="Answered after its due day.")
    def late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.due_on

    @classmethod
    def from_map(cls, m: dict[str, Any]) -> "Objection":
        return cls(id=m["id"], status=ObjectionStatus(m["status"]), target=TargetRef(kind=TargetKind(m["kind"]), id=m["target"]),
                   reason=m["reason"], raised_on=_date(m["raisedOn"]), due_on=_date(m["dueOn"]),
                   due_estimated=bool(m.get("dueEstimated")), filed_by=m["filedBy"],
                   answered_on=_date(m.get("answeredOn")), answer=m.get("answer"))


@strawberry.type(description="An objection answered: what was corrected and what was withdrawn because of it.")
class ObjectionAnswered:
    objection: Objection
    corrected_record: str | None
    withdrawn_bases: list[str] = strawberry.field(description="Listings that lost the record as a basis.")
    withdrawn_listings: list[str] = strawberry.field(description="Listings withdrawn: no valid basis left, or the target.")


ObjectionResult = Annotated[Objection | Refusal, strawberry.union("ObjectionResult")]
AnswerResult = Annotated[ObjectionAnswered | Refusal, strawberry.union("AnswerResult")]


def _day(value: dt.date | None, name: str) -> dt.date:
    value = value or today()
    if value > today():
        raise BadUserInput(f"{name} {value} is in the future", field=name)
    return value


def _text(value: str | None, name: str) -> str:
    if not value or not value.strip() or len(value) > 2000:
        raise BadUserInput(f"{name} needs 1 to 2000 characters", field=name)
    return value.strip()


@strawberry.type
class ObjectionMutations:
    @strawberry.mutation(description="Object to a record or a listing of the acting entity (for a person: an officer of "
                                     "the deciding department files). Due for an answer in 7 working days.")
    async def raise_objection(self, info: Info[Context, None], input: ObjectionInput) -> ObjectionResult:
        actor = info.context.actor()
        raised_on = _day(input.raised_on, "raisedOn")
        reason = _text(input.reason, "reason")
        target = target_params(input.target)
        due = add_working_days(raised_on, OBJECTION_WORKING_DAYS)

        async def work(tx: Tx) -> Objection:
            ctx = await load_target(tx, target)
            filed_by = check_filer(actor, ctx)
            what = f"{ctx['kind'].lower()} {ctx['id']}"
            if ctx["kind"] == "RECORD" and ctx["status"] == "REVOKED":
                raise Refused("ALREADY_REVOKED", f"{what} is revoked")
            if ctx["kind"] == "LISTING" and not in_force(ctx, raised_on):
                raise Refused("ALREADY_ENDED", f"{what} is not in force on {raised_on}")
            if ctx["objectionOpen"]:
                raise Refused("OBJECTION_OPEN", f"an objection to {what} awaits its answer")
            objection_id = f"OB-{raised_on.year}-{uuid.uuid4().hex[:10].upper()}"
            props = {"reason": reason, "raisedOn": raised_on, "dueOn": due.due, "dueEstimated": due.estimated,
                     "filedBy": filed_by, "answeredOn": None, "answer": None}
            row = await tx.one("objection_create", id=objection_id, props=props, **target)
            tx.changed(row["nodeId"], "Objection", objection_id, ctx["party"], f"objection to {what} raised",
                       None, dict(row["objection"]))
            return Objection.from_map({**row["objection"], "kind": ctx["kind"], "target": ctx["id"]})

        return await write(info, "raiseObjection", work)

    @strawberry.mutation(description="Answer an objection as an officer of the deciding department: upheld (a record "
                                     "corrected or revoked, what stood on it withdrawn; a listing withdrawn) or rejected.")
    async def answer_objection(self, info: Info[Context, None], id: str, upheld: bool, answer: str,
                               correction: CorrectionInput | None = None, on: dt.date | None = None) -> AnswerResult:
        department = info.context.actor().officer()
        on = _day(on, "on")
        answer = _text(answer, "answer")
        if correction is not None and not upheld:
            raise BadUserInput("only an upheld objection corrects", field="correction")

        async def work(tx: Tx) -> ObjectionAnswered:
            lock = await tx.lock("objection_lock", f"objection {id!r}", id=id)
            check_department(department, lock["department"], f"objection {id}")
            before = dict(lock["objection"])
            if before["status"] != "OPEN":
                raise Refused("ALREADY_ANSWERED", f"objection {id} was answered on {before['answeredOn']}")
            if on < before["raisedOn"].to_native():
                raise Refused("BEFORE_OBJECTION", f"{on} is before the objection ({before['raisedOn']})", field="on")
            result = ObjectionAnswered(objection=None, corrected_record=None, withdrawn_bases=[], withdrawn_listings=[])  # type: ignore[arg-type]
            if upheld and lock["kind"] == "RECORD":
                await _uphold_on_record(tx, lock["target"], correction, on, answer, id, result)
            elif upheld:
                if correction is not None:
                    raise BadUserInput("a listing is withdrawn, not corrected", field="correction")
                await _uphold_on_listing(tx, lock["target"], on, answer, result)
            after = (await tx.one("objection_answer", id=id, status="UPHELD" if upheld else "REJECTED", on=on,
                                  answer=answer, user=tx.actor.user))["objection"]
            tx.changed(lock["nodeId"], "Objection", id, lock["party"], f"objection {id} {'upheld' if upheld else 'rejected'}",
                       {"status": "OPEN"}, {"status": after["status"], "answeredOn": on, "answer": answer})
            result.objection = Objection.from_map({**after, "kind": lock["kind"], "target": lock["target"]})
            return result

        return await write(info, "answerObjection", work)


async def _uphold_on_record(tx: Tx, record_id: str, correction: CorrectionInput | None, on: dt.date, answer: str,
                            objection_id: str, result: ObjectionAnswered) -> None:
    if correction is None or not (correction.revoke or correction.severity or correction.summary):
        raise BadUserInput("an upheld objection to a record corrects its severity or summary, or revokes it",
                           field="correction")
    ctx = await load_target(tx, {"record": record_id, "listing": None})
    before = dict((await tx.one("record_state", id=record_id))["record"])
    if correction.severity and before["category"] not in domain.NEGATIVE_CATEGORIES:
        raise BadUserInput(f"severity applies to negative records only, not to {before['category']}", field="correction")
    if correction.revoke:
        ended = before["publicationEndedOn"]
        props: dict[str, Any] = {"status": "REVOKED", "revokedOn": on,
                                 "publicationEndedOn": on if ended is None or ended.to_native() > on else ended}
    else:
        props = {"status": "CORRECTED", "correctedOn": on}
        if correction.severity:
            props["severity"] = correction.severity.value
        if correction.summary:
            props["summary"] = correction.summary
    await tx.run("record_correct", id=record_id, props=props)
    tx.changed(ctx["nodeId"], "Record", record_id, ctx["party"],
               f"record {record_id} {'revoked' if correction.revoke else 'corrected'} on objection {objection_id}",
               {k: before.get(k) for k in props}, props)
    result.corrected_record = record_id
    for row in await tx.run("basis_withdraw", record=record_id, on=on, by=objection_id):
        tx.changed(row["nodeId"], "Listing", row["id"], row["party"], f"basis {record_id} of listing {row['id']} withdrawn",
                   {"basis": record_id, "withdrawn": None}, {"basis": record_id, "withdrawn": True, "withdrawnOn": on})
        result.withdrawn_bases.append(row["id"])
    result.withdrawn_listings += await end_listings_without_basis(tx, [record_id], on, "WITHDRAWN", answer)


async def _uphold_on_listing(tx: Tx, listing_id: str, on: dt.date, answer: str, result: ObjectionAnswered) -> None:
    ctx = await load_target(tx, {"record": None, "listing": listing_id})
    if in_force(ctx, on):  # a listing that ended meanwhile has nothing left to withdraw
        await end_listing(tx, listing_id, on, "WITHDRAWN", answer)
        result.withdrawn_listings.append(listing_id)


@strawberry.type
class ObjectionQueries:
    @strawberry.field(description="Objections addressed to a department and unanswered past their due day, as of a day.")
    async def overdue_objections(self, info: Info[Context, None], department: str, as_of: dt.date | None = None,
                                 first: int = 20, after: str | None = None) -> Connection[Objection]:
        skip, limit = window(first, after)
        rows = await info.context.read(queries.overdue_objections, department=department, asOf=as_of or today(),
                                       skip=skip, limit=limit)
        return build(rows[0]["totalCount"], rows[0]["page"], skip, Objection.from_map)

    @strawberry.field(description="The objections filed about an entity or a person, newest first.")
    async def objections(self, info: Info[Context, None], subject: SubjectInput, first: int = 20,
                         after: str | None = None) -> Connection[Objection]:
        skip, limit = window(first, after)
        rows = await info.context.read(queries.subject_objections, skip=skip, limit=limit,
                                       **subject_params(info, subject, "subject"))
        return build(rows[0]["totalCount"], rows[0]["page"], skip, Objection.from_map)
