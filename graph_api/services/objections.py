"""Objections (异议): the subject objects to a record or a listing; the deciding department answers within 7
working days by the official calendar. Upheld on a record, the record is corrected or revoked and every
listing loses it as a basis — the relationship stays, marked withdrawn — and a listing left with no valid
basis is withdrawn with its measures, bindings and flags, kept as history. Upheld on a listing, the
listing is withdrawn."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from graph_api.domain import vocabulary as domain
from graph_api.domain.actor import Actor
from graph_api.domain.redress import publication_end_on_revocation
from graph_api.domain.refusals import Refused, check_department
from graph_api.domain.workdays import OBJECTION_WORKING_DAYS, add_working_days
from graph_api.errors import BadUserInput
from graph_api.services.inputs import day_done, one_of
from graph_api.services.listings import end_listing
from graph_api.services.redress import Target, check_filer, end_listings_without_basis, in_force, load_target
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries


@dataclass(frozen=True)
class ObjectionRequest:
    target: Target
    reason: str | None
    raised_on: dt.date | None = None  # default today (China time)


@dataclass(frozen=True)
class Correction:
    """How an upheld objection corrects a record: new severity and/or summary, or revocation."""

    severity: str | None = None
    summary: str | None = None
    revoke: bool = False


@dataclass(frozen=True)
class ObjectionAnswer:
    id: str
    upheld: bool
    answer: str | None
    correction: Correction | None = None
    on: dt.date | None = None  # default today


@dataclass
class ObjectionAnswered:
    objection: dict[str, Any] = field(default_factory=dict)  # its properties, with its target's `kind` and id
    corrected_record: str | None = None
    withdrawn_bases: list[str] = field(default_factory=list)  # listings that lost the record as a basis
    withdrawn_listings: list[str] = field(default_factory=list)  # no valid basis left, or the target


def _text(value: str | None, name: str) -> str:
    if not value or not value.strip() or len(value) > 2000:
        raise BadUserInput(f"{name} needs 1 to 2000 characters", field=name)
    return value.strip()


async def raise_objection(
    store: Store, actor: Actor, request: ObjectionRequest, trail: Trail = NO_TRAIL
) -> dict[str, Any]:
    """Object to a record or a listing: by the subject entity, or for a person by an officer of the deciding
    department. Returns the objection's properties with its target's `kind` and id (`target`)."""
    raised_on = day_done(request.raised_on, "raisedOn")
    reason = _text(request.reason, "reason")
    target = request.target.params()
    due = add_working_days(raised_on, OBJECTION_WORKING_DAYS)

    async def work(tx: Tx) -> dict[str, Any]:
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
        props = {
            "reason": reason,
            "raisedOn": raised_on,
            "dueOn": due.due,
            "dueEstimated": due.estimated,
            "filedBy": filed_by,
            "answeredOn": None,
            "answer": None,
        }
        row = await tx.single(queries.objection_create, id=objection_id, props=props, **target)
        tx.changed(
            row["nodeId"],
            "Objection",
            objection_id,
            ctx["party"],
            f"objection to {what} raised",
            None,
            dict(row["objection"]),
        )
        return {**row["objection"], "kind": ctx["kind"], "target": ctx["id"]}

    return await write(store, actor, "raiseObjection", work, trail)


async def answer_objection(
    store: Store, actor: Actor, request: ObjectionAnswer, trail: Trail = NO_TRAIL
) -> ObjectionAnswered:
    """Answer an objection as an officer of the deciding department: upheld (a record corrected or revoked,
    what stood on it withdrawn; a listing withdrawn) or rejected."""
    department = actor.officer()
    on = day_done(request.on, "on")
    answer = _text(request.answer, "answer")
    objection_id, upheld, correction = request.id, request.upheld, request.correction
    if correction is not None and not upheld:
        raise BadUserInput("only an upheld objection corrects", field="correction")
    one_of(correction.severity if correction else None, domain.SEVERITIES, "correction")

    async def work(tx: Tx) -> ObjectionAnswered:
        lock = await tx.lock_seen(queries.objection_lock, f"objection {objection_id!r}", id=objection_id)
        check_department(department, lock["department"], f"objection {objection_id}")
        before = dict(lock["objection"])
        if before["status"] != "OPEN":
            raise Refused("ALREADY_ANSWERED", f"objection {objection_id} was answered on {before['answeredOn']}")
        if on < before["raisedOn"].to_native():
            raise Refused("BEFORE_OBJECTION", f"{on} is before the objection ({before['raisedOn']})", field="on")
        result = ObjectionAnswered()
        if upheld and lock["kind"] == "RECORD":
            await _uphold_on_record(tx, lock["target"], correction, on, answer, objection_id, result)
        elif upheld:
            if correction is not None:
                raise BadUserInput("a listing is withdrawn, not corrected", field="correction")
            await _uphold_on_listing(tx, lock["target"], on, answer, result)
        after = (
            await tx.single(
                queries.objection_answer,
                id=objection_id,
                status="UPHELD" if upheld else "REJECTED",
                on=on,
                answer=answer,
                user=tx.actor.user,
            )
        )["objection"]
        tx.changed(
            lock["nodeId"],
            "Objection",
            objection_id,
            lock["party"],
            f"objection {objection_id} {'upheld' if upheld else 'rejected'}",
            {"status": "OPEN"},
            {"status": after["status"], "answeredOn": on, "answer": answer},
        )
        result.objection = {**after, "kind": lock["kind"], "target": lock["target"]}
        return result

    return await write(store, actor, "answerObjection", work, trail)


async def _uphold_on_record(
    tx: Tx,
    record_id: str,
    correction: Correction | None,
    on: dt.date,
    answer: str,
    objection_id: str,
    result: ObjectionAnswered,
) -> None:
    if correction is None or not (correction.revoke or correction.severity or correction.summary):
        raise BadUserInput(
            "an upheld objection to a record corrects its severity or summary, or revokes it", field="correction"
        )
    ctx = await load_target(tx, {"record": record_id, "listing": None})
    before = dict((await tx.single(queries.record_state, id=record_id))["record"])
    if correction.severity and before["category"] not in domain.NEGATIVE_CATEGORIES:
        raise BadUserInput(
            f"severity applies to negative records only, not to {before['category']}", field="correction"
        )
    if correction.revoke:
        ended = before["publicationEndedOn"]
        end = publication_end_on_revocation(ended.to_native() if ended is not None else None, on)
        props: dict[str, Any] = {"status": "REVOKED", "revokedOn": on, "publicationEndedOn": end}
    else:
        props = {"status": "CORRECTED", "correctedOn": on}
        if correction.severity:
            props["severity"] = correction.severity
        if correction.summary:
            props["summary"] = correction.summary
    await tx.run(queries.record_correct, id=record_id, props=props)
    tx.changed(
        ctx["nodeId"],
        "Record",
        record_id,
        ctx["party"],
        f"record {record_id} {'revoked' if correction.revoke else 'corrected'} on objection {objection_id}",
        {k: before.get(k) for k in props},
        props,
    )
    result.corrected_record = record_id
    for row in await tx.run(queries.basis_withdraw, record=record_id, on=on, by=objection_id):
        tx.changed(
            row["nodeId"],
            "Listing",
            row["id"],
            row["party"],
            f"basis {record_id} of listing {row['id']} withdrawn",
            {"basis": record_id, "withdrawn": None},
            {"basis": record_id, "withdrawn": True, "withdrawnOn": on},
        )
        result.withdrawn_bases.append(row["id"])
    result.withdrawn_listings += await end_listings_without_basis(tx, [record_id], on, "WITHDRAWN", answer)


async def _uphold_on_listing(tx: Tx, listing_id: str, on: dt.date, answer: str, result: ObjectionAnswered) -> None:
    ctx = await load_target(tx, {"record": None, "listing": listing_id})
    if in_force(ctx, on):  # a listing that ended meanwhile has nothing left to withdraw
        await end_listing(tx, listing_id, on, "WITHDRAWN", answer)
        result.withdrawn_listings.append(listing_id)
