"""Listing and delisting (列入/移出名单) with the cascade docs/domain-rules.md asks for: the list's measures applied,
one closed-loop task per measure and executing department, the responsible persons bound by the
window rule, related entities flagged — all in the transaction of the listing. `end_listing` ends all
of it from a day on (delisting, repair, withdrawal after an upheld objection), keeping it as history."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graph_api.domain import linkage
from graph_api.domain.actor import Actor
from graph_api.domain.catalogue import catalogue, list_defaults, workflow
from graph_api.domain.clock import today
from graph_api.domain.listing_basis import BasisRecord, basis_problem
from graph_api.domain.permissions import record_params
from graph_api.domain.refusals import Refused, check_department
from graph_api.domain.subjects import Subject
from graph_api.domain.vocabulary import LISTS
from graph_api.domain.workdays import add_working_days
from graph_api.errors import BadUserInput
from graph_api.services.inputs import day_done, one_of
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx, dry_run
from graph_api.services.watch_alerts import listed
from graph_api.store.cypher_loader import queries
from graph_api.store.values import native


@dataclass(frozen=True)
class ListingRequest:
    """Put `subject` on `list` from `since`, on the basis of its records, for the acting officer's department."""

    subject: Subject
    list: str
    basis: tuple[str, ...]
    since: dt.date
    until: dt.date | None = None  # planned end; open-ended when None
    rectify_by: dt.date | None = None
    measures: tuple[str, ...] | None = None  # the list's defaults when None
    id: str | None = None  # generated when None


@dataclass(frozen=True)
class Listed:
    listing_id: str
    impact: linkage.Impact  # whom the listing reaches on its first day
    tasks_pushed: int
    persons_bound: int
    entities_flagged: int
    measures: tuple[str, ...] = ()  # applied, in order
    tasks: tuple[PlannedTask, ...] = ()  # pushed, in order


@dataclass(frozen=True)
class DelistRequest:
    listing: str
    reason: str
    on: dt.date | None = None  # today when None


@dataclass(frozen=True)
class ListingEnd:
    listing_id: str
    status: str
    ended_on: dt.date
    planned_until: dt.date | None
    tasks_ended: int
    links_ended: int  # personal bindings and related-entity flags


def _check(r: ListingRequest) -> None:
    one_of(r.list, LISTS, "list")
    if not r.basis:
        raise BadUserInput("a listing needs at least one basis record", field="basis")
    if r.until is not None and r.until <= r.since:
        raise BadUserInput(f"until {r.until} must be after since {r.since}", field="until")
    if r.rectify_by is not None and r.rectify_by < r.since:
        raise BadUserInput(f"rectifyBy {r.rectify_by} is before the listing starts", field="rectifyBy")
    unknown = sorted(set(r.measures or []) - {m["code"] for m in catalogue()["measures"]})
    if unknown:
        raise BadUserInput(f"unknown measure codes: {', '.join(unknown)}", field="measures")


def _check_basis(r: ListingRequest, party: str, basis: list[dict[str, Any]]) -> None:
    records = [
        BasisRecord(
            b["id"],
            b["found"],
            b.get("subject"),
            b.get("status"),
            b.get("polarity"),
            b["decidedOn"].to_native() if b.get("decidedOn") is not None else None,
        )
        for b in basis
    ]
    problem = basis_problem(r.list, party, r.since, records, require_active=True)
    if problem is not None:
        raise Refused(problem.code, problem.message, field="basis")


def _tasks(measures: list[str], region: str, entity: str | None, persons: list[str]) -> list[dict[str, Any]]:
    by_code = {m["code"]: m for m in catalogue()["measures"]}
    tasks = []
    for code in measures:
        m = by_code[code]
        subjects = ([entity] if entity and m["binds"] in ("ENTITY", "BOTH") else []) + (
            persons if m["binds"] in ("PERSONS", "BOTH") else []
        )
        for kind in m["executors"]:
            if subjects:
                tasks.append(
                    {
                        "id": uuid.uuid4().hex,
                        "measure": code,
                        "executorKind": kind,
                        "executor": f"{region}-{kind}",
                        "subjects": subjects,
                    }
                )
    return tasks


@dataclass(frozen=True)
class _Context:
    region: str  # of the listing department
    party: str  # the subject's USCC or key hash


async def _listing_context(tx: Tx, r: ListingRequest, department: str, listing_id: str, basis: list[str]) -> _Context:
    """The checks a listing needs before anything is written, on the row of `listing_context`, or a refusal."""
    ctx = await tx.single(
        queries.listing_context,
        department=department,
        id=listing_id,
        basis=basis,
        list=r.list,
        since=r.since,
        **r.subject.params("subject"),
        **record_params(tx.actor, today()),
    )
    dept, party = ctx["department"], ctx["party"]
    if dept is None:
        raise Refused("UNKNOWN_DEPARTMENT", f"department {department} is not in the graph")
    if not ctx["subjectFound"] or party is None:
        raise Refused("NOT_FOUND", "the subject is not in the graph", field="subject")
    if ctx["idTaken"]:
        raise Refused("DUPLICATE_ID", f"a listing {listing_id} exists already", field="id")
    if ctx["alreadyListed"]:
        raise Refused(
            "ALREADY_LISTED", f"the subject is on {r.list} already: {ctx['alreadyListed'][0]}", field="subject"
        )
    _check_basis(r, party, ctx["basis"])
    return _Context(region=dept["region"], party=party)


@dataclass(frozen=True)
class PlannedTask:
    """A closed-loop task a listing pushes: one measure, for one executing department."""

    measure: str
    executor_kind: str
    executor: str  # the department code: the listing department's region and the executor kind
    subjects: tuple[str, ...]  # USCC and key hashes the measure binds


def _work(actor: Actor, r: ListingRequest) -> Callable[[Tx], Awaitable[Listed]]:
    """The whole of a listing as one transaction's work: `list_subject` writes it, `preview_listing` runs
    the very same work and rolls it back, so the preview answers what the listing does by construction."""
    department = actor.officer()
    _check(r)
    listing_id = r.id or f"{department}-{r.list[:2]}-{r.since.year}-{uuid.uuid4().hex[:8].upper()}"
    measures = list(dict.fromkeys(r.measures)) if r.measures is not None else list_defaults()[r.list]
    basis = list(dict.fromkeys(r.basis))
    params = r.subject.params("subject")

    async def work(tx: Tx) -> Listed:
        # records before their subject, as raising an objection or applying for repair on a record takes them
        # (cypher/listings.cypher): one order, so the two queue instead of deadlocking
        await tx.run(queries.listing_basis_lock, basis=basis)
        await tx.run(queries.listing_subject_lock, **r.subject.params("subject"))
        ctx = await _listing_context(tx, r, department, listing_id, basis)
        created = await tx.single(
            queries.listing_create,
            department=department,
            id=listing_id,
            list=r.list,
            since=r.since,
            until=r.until,
            rectifyBy=r.rectify_by,
            basis=basis,
            measures=measures,
            measuresGiven=r.measures is not None,
            **params,
        )
        impact_row = await tx.single(
            queries.listing_impact, listingId=listing_id, maxHops=workflow().related_flag_hops, asOf=r.since
        )
        decided = linkage.decide_impact(native(impact_row), r.since, impact_row["maxHops"])
        persons = decided.bound_roles()
        flags = [{"uscc": f.entity["uscc"], "reason": f.reason, "path": f.path.render()} for f in decided.flags]
        subject_person = [params["subjectPerson"]] if params["subjectPerson"] else []
        region = ctx.region
        tasks = _tasks(measures, region, params["subjectEntity"], subject_person + list(persons))
        due = add_working_days(r.since, workflow().task_feedback_working_days)
        if persons or flags or tasks:
            await tx.run(
                queries.listing_cascade_create,
                id=listing_id,
                via=params["subjectEntity"],
                persons=[{"idHash": h, "roles": rs} for h, rs in persons.items()],
                flags=flags,
                tasks=tasks,
                region=region,
                pushedOn=r.since,
                dueOn=due.due,
                dueEstimated=due.estimated,
                since=r.since,
                until=r.until,
            )
        tx.changed(
            created["nodeId"],
            "Listing",
            listing_id,
            ctx.party,
            f"listed on {r.list}: {len(tasks)} tasks, {len(persons)} persons bound, {len(flags)} flags",
            None,
            {**dict(created["listing"]), "basis": basis, "measures": measures},
        )
        subject = {**impact_row["subject"], "idHash": params["subjectPerson"]}
        await listed(tx, subject, native(impact_row), decided)
        return Listed(
            listing_id=listing_id,
            impact=decided,
            tasks_pushed=len(tasks),
            persons_bound=len(persons),
            entities_flagged=len(flags),
            measures=tuple(measures),
            tasks=tuple(
                PlannedTask(t["measure"], t["executorKind"], t["executor"], tuple(t["subjects"])) for t in tasks
            ),
        )

    return work


async def list_subject(store: Store, actor: Actor, r: ListingRequest, trail: Trail = NO_TRAIL) -> Listed:
    """List a subject. A JOINT_PUNISHMENT listing of an entity binds its responsible persons by the window
    rule and flags related entities; every measure is pushed as a task to its executing departments."""
    return await write(store, actor, "listSubject", _work(actor, r), trail)


async def preview_listing(store: Store, actor: Actor, r: ListingRequest) -> Listed:
    """What `list_subject` would do with `r`, nothing kept: the same answer, or the same `Refused`. It takes
    the listing's locks for the moment it runs, as the listing would."""
    return await dry_run(store, actor, _work(actor, r))


async def end_listing(tx: Tx, listing_id: str, on: dt.date, status: str, reason: str) -> ListingEnd:
    """End a listing and its cascade from `on` (status DELISTED, REPAIRED or WITHDRAWN), with its history
    entry. The caller checks first that the state allows it (it may hold `listing_lock` already)."""
    lock = await tx.lock(queries.listing_lock, f"listing {listing_id!r}", id=listing_id)
    await tx.run(queries.listing_tasks_lock, id=listing_id)
    before = (await tx.single(queries.listing_state, id=listing_id))["listing"]
    ended = "WITHDRAWN" if status == "WITHDRAWN" else "ENDED"  # the tasks' and links' status
    row = await tx.single(
        queries.listing_end, id=listing_id, on=on, status=status, reason=reason, taskStatus=ended, linkStatus=ended
    )
    after = row["listing"]
    tx.changed(
        lock["nodeId"],
        "Listing",
        listing_id,
        lock["party"],
        f"listing {listing_id} {status.lower()}: {reason}",
        dict(before),
        dict(after),
    )
    until = after["plannedUntil"]
    return ListingEnd(
        listing_id=listing_id,
        status=status,
        ended_on=on,
        planned_until=until.to_native() if until is not None else None,
        tasks_ended=row["tasks"],
        links_ended=row["links"],
    )


async def delist(store: Store, actor: Actor, r: DelistRequest, trail: Trail = NO_TRAIL) -> ListingEnd:
    """Take a subject off a list from a day: the listing, its measures, tasks, personal bindings and flags
    end; all stays readable as history."""
    department = actor.officer()
    if not r.reason.strip():
        raise BadUserInput("a delisting needs a reason", field="reason")
    day = day_done(r.on, "on")

    async def work(tx: Tx) -> ListingEnd:
        lock = await tx.lock(queries.listing_lock, f"listing {r.listing!r}", id=r.listing)
        check_department(department, lock["department"], f"listing {r.listing}", "was decided by")
        state = (await tx.single(queries.listing_state, id=r.listing))["listing"]
        if state["status"] != "ACTIVE":
            raise Refused("ALREADY_ENDED", f"listing {r.listing} is {state['status']} since {state['endedOn']}")
        if day < state["since"].to_native():
            raise Refused("BEFORE_LISTING", f"{day} is before the listing started ({state['since']})", field="on")
        if state["until"] is not None and state["until"].to_native() <= day:
            raise Refused("ALREADY_ENDED", f"listing {r.listing} ran out on {state['until']}", field="on")
        return await end_listing(tx, r.listing, day, "DELISTED", r.reason.strip())

    return await write(store, actor, "delist", work, trail)
