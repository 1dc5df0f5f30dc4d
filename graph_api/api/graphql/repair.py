"""Credit repair (信用修复): the subject applies after the minimum publicity period of the record (or of every
basis of the listing), by one or more of the recognised methods; the department that decided approves or
refuses. Approval ends the publication of the records and the listing with its whole cascade, from the
decision day on, so that reads as of an earlier day still show the listing in force."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.domain.clock import today
from graph_api.store.cypher_loader import queries
from graph_api.errors import BadUserInput
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import RepairMethod, RepairStatus, TargetKind
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

MAX_EVIDENCE = 20
REPAIRABLE = ("ACTIVE", "CORRECTED")


@strawberry.input(description="An application for credit repair of a record or a listing.")
class RepairInput:
    target: TargetInput
    methods: list[RepairMethod] = strawberry.field(description="At least one way the subject repaired its credit.")
    evidence: list[str] = strawberry.field(default_factory=list, description="References to the supporting documents.")
    applied_on: dt.date | None = strawberry.field(default=None, description="Default today (China time).")


@strawberry.type(description="An application for credit repair (信用修复申请) and its decision.")
class RepairApplication:
    id: str
    status: RepairStatus
    target: TargetRef
    methods: list[RepairMethod]
    evidence: list[str]
    applied_on: dt.date
    earliest_on: dt.date | None = strawberry.field(description="The first day repair could be applied for: the end of the "
                                                               "minimum publicity period.")
    filed_by: str = strawberry.field(description="SUBJECT, or OFFICER_ON_BEHALF for a person subject.")
    decided_on: dt.date | None
    reason: str | None

    @classmethod
    def from_map(cls, m: dict[str, Any]) -> "RepairApplication":
        return cls(id=m["id"], status=RepairStatus(m["status"]), target=TargetRef(kind=TargetKind(m["kind"]), id=m["target"]),
                   methods=[RepairMethod(x) for x in m["methods"]], evidence=list(m["evidence"]),
                   applied_on=_date(m["appliedOn"]), earliest_on=_date(m.get("earliestOn")), filed_by=m["filedBy"],
                   decided_on=_date(m.get("decidedOn")), reason=m.get("reason"))


@strawberry.type(description="A repair decided: on approval, the records repaired and the listings ended.")
class RepairDecided:
    application: RepairApplication
    repaired_records: list[str]
    ended_listings: list[str]


RepairResult = Annotated[RepairApplication | Refusal, strawberry.union("RepairResult")]
RepairDecisionResult = Annotated[RepairDecided | Refusal, strawberry.union("RepairDecisionResult")]


def _check(input: RepairInput) -> dt.date:
    applied_on = input.applied_on or today()
    if applied_on > today():
        raise BadUserInput(f"appliedOn {applied_on} is in the future", field="appliedOn")
    if not input.methods or len(set(input.methods)) != len(input.methods):
        raise BadUserInput("name at least one repair method, each once", field="methods")
    if len(input.evidence) > MAX_EVIDENCE or any(not 1 <= len(e) <= 500 for e in input.evidence):
        raise BadUserInput(f"at most {MAX_EVIDENCE} evidence references of 1 to 500 characters", field="evidence")
    return applied_on


async def _earliest(tx: Tx, target: dict[str, str | None]) -> dt.date | None:
    """The end of the longest minimum publicity period among the records still to repair."""
    rows = await tx.run("target_records", **target)
    days = [r["earliestRepair"].to_native() for r in rows if r["status"] in REPAIRABLE]
    return max(days) if days else None


@strawberry.type
class RepairMutations:
    @strawberry.mutation(description="Apply for credit repair of a record or a listing of the acting entity (for a person: "
                                     "an officer of the deciding department files). Refused with REPAIR_TOO_EARLY before "
                                     "the minimum publicity period has passed.")
    async def apply_for_repair(self, info: Info[Context, None], input: RepairInput) -> RepairResult:
        actor = info.context.actor()
        applied_on = _check(input)
        target = target_params(input.target)

        async def work(tx: Tx) -> RepairApplication:
            ctx = await load_target(tx, target)
            filed_by = check_filer(actor, ctx)
            what = f"{ctx['kind'].lower()} {ctx['id']}"
            if ctx["kind"] == "RECORD" and (ctx["polarity"] != "NEGATIVE" or ctx["status"] not in REPAIRABLE):
                raise Refused("NOT_REPAIRABLE", f"{what} is {ctx['status'].lower()} and "
                                                f"{ctx['polarity'].lower()}: only active negative records are repaired")
            if ctx["kind"] == "LISTING" and not in_force(ctx, applied_on):
                raise Refused("ALREADY_ENDED", f"{what} is not in force on {applied_on}")
            if ctx["repairPending"]:
                raise Refused("REPAIR_PENDING", f"a repair application for {what} awaits its decision")
            earliest = await _earliest(tx, target)
            if earliest is not None and applied_on < earliest:
                raise Refused("REPAIR_TOO_EARLY", f"the minimum publicity period of {what} ends on {earliest}: "
                                                  f"repair can be applied for from {earliest}", field="appliedOn")
            app_id = f"RA-{applied_on.year}-{uuid.uuid4().hex[:10].upper()}"
            props = {"methods": [m.value for m in input.methods], "evidence": list(input.evidence),
                     "appliedOn": applied_on, "earliestOn": earliest, "filedBy": filed_by, "decidedOn": None, "reason": None}
            row = await tx.one("repair_create", id=app_id, props=props, **target)
            tx.changed(row["nodeId"], "RepairApplication", app_id, ctx["party"], f"repair of {what} applied for",
                       None, dict(row["application"]))
            return RepairApplication.from_map({**row["application"], "kind": ctx["kind"], "target": ctx["id"]})

        return await write(info, "applyForRepair", work)

    @strawberry.mutation(description="Approve or refuse a repair application, as an officer of the department that decided "
                                     "the record or listing. Approval ends publication and the listing with its measures, "
                                     "personal bindings and flags from `on`; history stays readable.")
    async def decide_repair(self, info: Info[Context, None], id: str, approve: bool, reason: str | None = None,
                            on: dt.date | None = None) -> RepairDecisionResult:
        department = info.context.actor().officer()
        on = on or today()
        if on > today():
            raise BadUserInput(f"on {on} is in the future", field="on")
        if not approve and not (reason or "").strip():
            raise BadUserInput("a refusal says why", field="reason")

        async def work(tx: Tx) -> RepairDecided:
            lock = await tx.lock("repair_lock", f"repair application {id!r}", id=id)
            check_department(department, lock["department"], f"repair application {id}")
            before = dict(lock["application"])
            if before["status"] != "PENDING":
                raise Refused("ALREADY_DECIDED", f"repair application {id} was {before['status'].lower()} on {before['decidedOn']}")
            if on < before["appliedOn"].to_native():
                raise Refused("BEFORE_APPLICATION", f"{on} is before the application ({before['appliedOn']})", field="on")
            repaired: list[str] = []
            ended: list[str] = []
            if approve:
                repaired, ended = await _approve(tx, lock["kind"], lock["target"], on, reason or "credit repaired")
            after = (await tx.one("repair_decide", id=id, status="APPROVED" if approve else "REFUSED", on=on,
                                  reason=reason, user=tx.actor.user))["application"]
            tx.changed(lock["nodeId"], "RepairApplication", id, lock["party"],
                       f"repair application {id} {'approved' if approve else 'refused'}",
                       {"status": before["status"]}, {"status": after["status"], "decidedOn": on, "reason": reason})
            app = RepairApplication.from_map({**after, "kind": lock["kind"], "target": lock["target"]})
            return RepairDecided(application=app, repaired_records=repaired, ended_listings=ended)

        return await write(info, "decideRepair", work)


async def _approve(tx: Tx, kind: str, target_id: str, on: dt.date, reason: str) -> tuple[list[str], list[str]]:
    target = {"record": target_id if kind == "RECORD" else None, "listing": target_id if kind == "LISTING" else None}
    ended: list[str] = []
    if kind == "LISTING":
        ctx = await load_target(tx, target)
        if not in_force(ctx, on):
            raise Refused("ALREADY_ENDED", f"listing {target_id} is not in force on {on}")
        await end_listing(tx, target_id, on, "REPAIRED", reason)
        ended.append(target_id)
    records = [r["id"] for r in await tx.run("target_records", **target) if r["status"] in REPAIRABLE]
    for row in await tx.run("records_repair", ids=records, on=on):
        tx.changed(row["nodeId"], "Record", row["id"], row["party"], f"record {row['id']} repaired: publication ended",
                   dict(row["before"]), dict(row["after"]))
    # other listings resting only on the repaired records end with them
    ended += await end_listings_without_basis(tx, records, on, "REPAIRED", reason)
    return records, ended


@strawberry.type
class RepairQueries:
    @strawberry.field(description="The repair applications of an entity or a person, newest first.")
    async def repair_applications(self, info: Info[Context, None], subject: SubjectInput, first: int = 20,
                                  after: str | None = None) -> Connection[RepairApplication]:
        skip, limit = window(first, after)
        rows = await info.context.read(queries.repair_applications, skip=skip, limit=limit,
                                       **subject_params(info, subject, "subject"))
        return build(rows[0]["totalCount"], rows[0]["page"], skip, RepairApplication.from_map)
