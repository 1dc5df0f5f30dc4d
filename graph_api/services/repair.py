"""Credit repair (信用修复): the subject applies after the minimum publicity period of the record (or of every
basis of the listing), by one or more of the recognised methods; the department that decided approves or
refuses. Approval ends the publication of the records and the listing with its whole cascade, from the
decision day on, so that reads as of an earlier day still show the listing in force."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from graph_api.domain.actor import Actor
from graph_api.domain.redress import REPAIRABLE, repairable
from graph_api.domain.refusals import Refused, check_department
from graph_api.domain.vocabulary import REPAIR_METHODS
from graph_api.errors import BadUserInput
from graph_api.services.inputs import day_done, one_of
from graph_api.services.listings import end_listing
from graph_api.services.redress import Target, check_filer, end_listings_without_basis, in_force, load_target
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries

MAX_EVIDENCE = 20


@dataclass(frozen=True)
class RepairRequest:
    target: Target
    methods: tuple[str, ...]  # RepairMethod codes, at least one, each once
    evidence: tuple[str, ...] = ()  # references to the supporting documents
    applied_on: dt.date | None = None  # default today (China time)


@dataclass(frozen=True)
class RepairDecision:
    id: str
    approve: bool
    reason: str | None = None  # required for a refusal
    on: dt.date | None = None  # default today


@dataclass(frozen=True)
class RepairDecided:
    application: dict[str, Any]  # the application's properties, with its target's `kind` and id (`target`)
    repaired_records: list[str]
    ended_listings: list[str]


def _check(request: RepairRequest) -> dt.date:
    applied_on = day_done(request.applied_on, "appliedOn")
    if not request.methods or len(set(request.methods)) != len(request.methods):
        raise BadUserInput("name at least one repair method, each once", field="methods")
    for method in request.methods:
        one_of(method, REPAIR_METHODS, "methods")
    if len(request.evidence) > MAX_EVIDENCE or any(not 1 <= len(e) <= 500 for e in request.evidence):
        raise BadUserInput(f"at most {MAX_EVIDENCE} evidence references of 1 to 500 characters", field="evidence")
    return applied_on


async def _earliest(tx: Tx, target: dict[str, str | None]) -> dt.date | None:
    """The end of the longest minimum publicity period among the records still to repair."""
    rows = await tx.run(queries.target_records, **target)
    days = [r["earliestRepair"].to_native() for r in rows if r["status"] in REPAIRABLE]
    return max(days) if days else None


async def apply_for_repair(
    store: Store, actor: Actor, request: RepairRequest, trail: Trail = NO_TRAIL
) -> dict[str, Any]:
    """File a repair application: by the subject entity, or for a person by an officer of the deciding
    department. Returns the application's properties with its target's `kind` and id (`target`)."""
    applied_on = _check(request)
    target = request.target.params()

    async def work(tx: Tx) -> dict[str, Any]:
        ctx = await load_target(tx, target)
        filed_by = check_filer(actor, ctx)
        what = f"{ctx['kind'].lower()} {ctx['id']}"
        if ctx["kind"] == "RECORD" and not repairable(ctx["polarity"], ctx["status"]):
            raise Refused(
                "NOT_REPAIRABLE",
                f"{what} is {ctx['status'].lower()} and "
                f"{(ctx['polarity'] or 'without polarity').lower()}: only active negative records are repaired",
            )
        if ctx["kind"] == "LISTING" and not in_force(ctx, applied_on):
            raise Refused("ALREADY_ENDED", f"{what} is not in force on {applied_on}")
        if ctx["repairPending"]:
            raise Refused("REPAIR_PENDING", f"a repair application for {what} awaits its decision")
        earliest = await _earliest(tx, target)
        if earliest is not None and applied_on < earliest:
            raise Refused(
                "REPAIR_TOO_EARLY",
                f"the minimum publicity period of {what} ends on {earliest}: repair can be applied for from {earliest}",
                field="appliedOn",
            )
        app_id = f"RA-{applied_on.year}-{uuid.uuid4().hex[:10].upper()}"
        props = {
            "methods": list(request.methods),
            "evidence": list(request.evidence),
            "appliedOn": applied_on,
            "earliestOn": earliest,
            "filedBy": filed_by,
            "decidedOn": None,
            "reason": None,
        }
        row = await tx.single(queries.repair_create, id=app_id, props=props, **target)
        tx.changed(
            row["nodeId"],
            "RepairApplication",
            app_id,
            ctx["party"],
            f"repair of {what} applied for",
            None,
            dict(row["application"]),
        )
        return {**row["application"], "kind": ctx["kind"], "target": ctx["id"]}

    return await write(store, actor, "applyForRepair", work, trail)


async def decide_repair(store: Store, actor: Actor, request: RepairDecision, trail: Trail = NO_TRAIL) -> RepairDecided:
    """Approve or refuse a repair application, as an officer of the department that decided the record or
    listing; approval ends publication and the listing with its cascade from `on`."""
    department = actor.officer()
    on = day_done(request.on, "on")
    if not request.approve and not (request.reason or "").strip():
        raise BadUserInput("a refusal says why", field="reason")
    application_id, approve, reason = request.id, request.approve, request.reason

    async def work(tx: Tx) -> RepairDecided:
        lock = await tx.lock_seen(queries.repair_lock, f"repair application {application_id!r}", id=application_id)
        check_department(department, lock["department"], f"repair application {application_id}")
        # what the approval may change, locked before it is read (records first, as objections do)
        target = _target(lock["kind"], lock["target"])
        await tx.run(queries.target_records_lock, **target)
        await load_target(tx, target)
        before = dict(lock["application"])
        if before["status"] != "PENDING":
            raise Refused(
                "ALREADY_DECIDED",
                f"repair application {application_id} was {before['status'].lower()} on {before['decidedOn']}",
            )
        if on < before["appliedOn"].to_native():
            raise Refused("BEFORE_APPLICATION", f"{on} is before the application ({before['appliedOn']})", field="on")
        repaired: list[str] = []
        ended: list[str] = []
        if approve:
            repaired, ended = await _approve(tx, lock["kind"], lock["target"], on, reason or "credit repaired")
        after = (
            await tx.single(
                queries.repair_decide,
                id=application_id,
                status="APPROVED" if approve else "REFUSED",
                on=on,
                reason=reason,
                user=tx.actor.user,
            )
        )["application"]
        tx.changed(
            lock["nodeId"],
            "RepairApplication",
            application_id,
            lock["party"],
            f"repair application {application_id} {'approved' if approve else 'refused'}",
            {"status": before["status"]},
            {"status": after["status"], "decidedOn": on, "reason": reason},
        )
        return RepairDecided(
            application={**after, "kind": lock["kind"], "target": lock["target"]},
            repaired_records=repaired,
            ended_listings=ended,
        )

    return await write(store, actor, "decideRepair", work, trail)


def _target(kind: str, target_id: str) -> dict[str, str | None]:
    return {"record": target_id if kind == "RECORD" else None, "listing": target_id if kind == "LISTING" else None}


async def _approve(tx: Tx, kind: str, target_id: str, on: dt.date, reason: str) -> tuple[list[str], list[str]]:
    target = _target(kind, target_id)
    ended: list[str] = []
    if kind == "LISTING":
        ctx = await load_target(tx, target)
        if not in_force(ctx, on):
            raise Refused("ALREADY_ENDED", f"listing {target_id} is not in force on {on}")
        await end_listing(tx, target_id, on, "REPAIRED", reason)
        ended.append(target_id)
    records = [r["id"] for r in await tx.run(queries.target_records, **target) if r["status"] in REPAIRABLE]
    for row in await tx.run(queries.records_repair, ids=records, on=on):
        tx.changed(
            row["nodeId"],
            "Record",
            row["id"],
            row["party"],
            f"record {row['id']} repaired: publication ended",
            dict(row["before"]),
            dict(row["after"]),
        )
    # other listings resting only on the repaired records end with them
    ended += await end_listings_without_basis(tx, records, on, "REPAIRED", reason)
    return records, ended
