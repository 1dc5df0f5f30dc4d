"""Listing and delisting (列入/移出名单) with the cascade DOMAIN.md asks for: the list's measures applied,
one closed-loop task per measure and executing department, the responsible persons bound by the
window rule, related entities flagged — all in the transaction of the listing. `end_listing` ends all
of it from a day on (delisting, repair, withdrawal after an upheld objection), keeping it as history."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from functools import lru_cache
from pathlib import Path as FilePath
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.domain import vocabulary as domain
from graph_api.domain.catalogue import catalogue, list_defaults
from graph_api.domain.clock import today
from graph_api.errors import BadUserInput
from graph_api.domain.workdays import add_working_days
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import ListCode
from graph_api.api.graphql.inputs import SubjectInput, subject_params
from graph_api.api.graphql.linkage import ListingImpact, decide_impact, impact_type
from graph_api.api.graphql.types import _date
from graph_api.api.graphql.writes import Refusal, Refused, Tx, check_department, write

WORKFLOW_FILE = FilePath(__file__).parents[2] / "data" / "workflow.json"


@lru_cache
def workflow() -> dict[str, Any]:
    return json.loads(WORKFLOW_FILE.read_text(encoding="utf-8"))


@strawberry.input(description="Put a subject on a list, on the basis of its records, for the acting officer's department.")
class ListingInput:
    subject: SubjectInput
    list: ListCode
    basis: list[str] = strawberry.field(description="Ids of the records the listing rests on (at least one).")
    since: dt.date
    until: dt.date | None = strawberry.field(default=None, description="Planned end; open-ended when null.")
    rectify_by: dt.date | None = strawberry.field(default=None, description="Rectification deadline (整改期限); past it "
                                                  "an interview becomes due for the listing department.")
    measures: list[str] | None = strawberry.field(default=None, description="Measure codes; the list's defaults when null.")
    id: str | None = strawberry.field(default=None, description="The listing id; generated when not given.")


@strawberry.type(description="A listing made, with what it set in motion.")
class Listed:
    impact: ListingImpact = strawberry.field(description="Whom it reaches on its first day: bound persons, related entities.")
    tasks_pushed: int = strawberry.field(description="Closed-loop tasks pushed to executing departments.")
    persons_bound: int
    entities_flagged: int


@strawberry.type(description="A listing ended, with what ended with it.")
class ListingEnded:
    listing_id: str
    status: str
    ended_on: dt.date
    planned_until: dt.date | None
    tasks_ended: int = strawberry.field(description="Tasks whose measure ended (pending ones closed without execution).")
    links_ended: int = strawberry.field(description="Personal bindings and related-entity flags ended.")


ListResult = Annotated[Listed | Refusal, strawberry.union("ListResult")]
DelistResult = Annotated[ListingEnded | Refusal, strawberry.union("DelistResult")]


def _check(i: ListingInput) -> None:
    if not i.basis:
        raise BadUserInput("a listing needs at least one basis record", field="basis")
    if i.until is not None and i.until <= i.since:
        raise BadUserInput(f"until {i.until} must be after since {i.since}", field="until")
    if i.rectify_by is not None and i.rectify_by < i.since:
        raise BadUserInput(f"rectifyBy {i.rectify_by} is before the listing starts", field="rectifyBy")
    unknown = sorted(set(i.measures or []) - {m["code"] for m in catalogue()["measures"]})
    if unknown:
        raise BadUserInput(f"unknown measure codes: {', '.join(unknown)}", field="measures")


def _check_basis(i: ListingInput, party: str, basis: list[dict[str, Any]]) -> None:
    punishment = i.list.value in domain.PUNISHMENT_LISTS
    for b in basis:
        if not b["found"]:
            raise Refused("BASIS_NOT_FOUND", f"no record {b['id']}", field="basis")
        if b["subject"] != party:
            raise Refused("BASIS_OTHER_SUBJECT", f"record {b['id']} is about another subject", field="basis")
        if b["status"] != "ACTIVE":
            raise Refused("BASIS_NOT_ACTIVE", f"record {b['id']} is {b['status']}", field="basis")
        if punishment != (b["polarity"] == "NEGATIVE"):
            want = "negative" if punishment else "positive or neutral"
            raise Refused("BASIS_POLARITY", f"a {i.list.value} listing rests on {want} records; {b['id']} is not", field="basis")
        if b["decidedOn"].to_native() > i.since:
            raise Refused("BASIS_AFTER_LISTING", f"record {b['id']} was decided after {i.since}", field="basis")


def _tasks(measures: list[str], region: str, entity: str | None, persons: list[str]) -> list[dict[str, Any]]:
    by_code = {m["code"]: m for m in catalogue()["measures"]}
    tasks = []
    for code in measures:
        m = by_code[code]
        subjects = ([entity] if entity and m["binds"] in ("ENTITY", "BOTH") else []) + (
            persons if m["binds"] in ("PERSONS", "BOTH") else [])
        for kind in m["executors"]:
            if subjects:
                tasks.append({"id": uuid.uuid4().hex, "measure": code, "executorKind": kind,
                              "executor": f"{region}-{kind}", "subjects": subjects})
    return tasks


async def end_listing(tx: Tx, listing_id: str, on: dt.date, status: str, reason: str) -> ListingEnded:
    """End a listing and its cascade from `on` (status DELISTED, REPAIRED or WITHDRAWN), with its history
    entry. The caller checks first that the state allows it (it may hold `listing_lock` already)."""
    lock = await tx.lock("listing_lock", f"listing {listing_id!r}", id=listing_id)
    before = (await tx.one("listing_state", id=listing_id))["listing"]
    withdrawn = status == "WITHDRAWN"
    row = await tx.one("listing_end", id=listing_id, on=on, status=status, reason=reason,
                       taskStatus="WITHDRAWN" if withdrawn else "ENDED", linkStatus="WITHDRAWN" if withdrawn else "ENDED")
    after = row["listing"]
    tx.changed(lock["nodeId"], "Listing", listing_id, lock["party"], f"listing {listing_id} {status.lower()}: {reason}",
               dict(before), dict(after))
    return ListingEnded(listing_id=listing_id, status=status, ended_on=on, planned_until=_date(after["plannedUntil"]),
                        tasks_ended=row["tasks"], links_ended=row["links"])


@strawberry.type
class ListingMutations:
    @strawberry.mutation(description="List a subject (列入名单). A JOINT_PUNISHMENT listing of an entity binds its responsible "
                                     "persons by the window rule and flags related entities; every measure is pushed "
                                     "as a task to its executing departments.")
    async def list_subject(self, info: Info[Context, None], input: ListingInput) -> ListResult:
        department = info.context.actor().officer()
        _check(input)
        params = subject_params(info, input.subject, "subject")
        listing_id = input.id or f"{department}-{input.list.value[:2]}-{input.since.year}-{uuid.uuid4().hex[:8].upper()}"
        measures = list(dict.fromkeys(input.measures)) if input.measures is not None else list_defaults()[input.list.value]
        basis = list(dict.fromkeys(input.basis))

        async def work(tx: Tx) -> Listed:
            ctx = await tx.one("listing_context", department=department, id=listing_id, basis=basis,
                               list=input.list.value, since=input.since, **params)
            if ctx["department"] is None:
                raise Refused("UNKNOWN_DEPARTMENT", f"department {department} is not in the graph")
            if not ctx["subjectFound"]:
                raise Refused("NOT_FOUND", "the subject is not in the graph", field="subject")
            if ctx["idTaken"]:
                raise Refused("DUPLICATE_ID", f"a listing {listing_id} exists already", field="id")
            if ctx["alreadyListed"]:
                raise Refused("ALREADY_LISTED", f"the subject is on {input.list.value} already: {ctx['alreadyListed'][0]}",
                              field="subject")
            _check_basis(input, ctx["party"], ctx["basis"])
            created = await tx.one("listing_create", department=department, id=listing_id, list=input.list.value,
                                   since=input.since, until=input.until, rectifyBy=input.rectify_by, basis=basis,
                                   measures=measures, measuresGiven=input.measures is not None, **params)
            impact_row = await tx.one("listing_impact", listingId=listing_id, maxHops=workflow()["relatedFlagHops"],
                                      asOf=input.since)
            decided = decide_impact(impact_row, input.since)
            persons = decided.bound_roles()
            if persons:
                await tx.run("listing_bindings_create", id=listing_id, via=params["subjectEntity"], since=input.since,
                             until=input.until, persons=[{"idHash": h, "roles": rs} for h, rs in persons.items()])
            impact = impact_type(decided, input.since)
            flags = [{"uscc": f.entity["uscc"], "reason": f.reason, "path": f.path.render()} for f in decided.flags]
            if flags:
                await tx.run("listing_flags_create", id=listing_id, flags=flags, since=input.since, until=input.until)
            subject_person = [params["subjectPerson"]] if params["subjectPerson"] else []
            tasks = _tasks(measures, ctx["department"]["region"], params["subjectEntity"], subject_person + list(persons))
            due = add_working_days(input.since, workflow()["taskFeedbackWorkingDays"])
            if tasks:
                await tx.run("listing_tasks_create", id=listing_id, tasks=tasks, region=ctx["department"]["region"],
                             pushedOn=input.since, dueOn=due.due, dueEstimated=due.estimated, since=input.since,
                             until=input.until)
            tx.changed(created["nodeId"], "Listing", listing_id, ctx["party"],
                       f"listed on {input.list.value}: {len(tasks)} tasks, {len(persons)} persons bound, {len(flags)} flags",
                       None, {**dict(created["listing"]), "basis": basis, "measures": measures})
            return Listed(impact=impact, tasks_pushed=len(tasks), persons_bound=len(persons), entities_flagged=len(flags))

        return await write(info, "listSubject", work)

    @strawberry.mutation(description="Take a subject off a list (移出名单) from a day: the listing, its measures, tasks, "
                                     "personal bindings and flags end; all stays readable as history.")
    async def delist(self, info: Info[Context, None], listing: str, reason: str, on: dt.date | None = None) -> DelistResult:
        department = info.context.actor().officer()
        if not reason.strip():
            raise BadUserInput("a delisting needs a reason", field="reason")

        async def work(tx: Tx) -> ListingEnded:
            lock = await tx.lock("listing_lock", f"listing {listing!r}", id=listing)
            check_department(department, lock["department"], f"listing {listing}", "was decided by")
            state = (await tx.one("listing_state", id=listing))["listing"]
            if state["status"] != "ACTIVE":
                raise Refused("ALREADY_ENDED", f"listing {listing} is {state['status']} since {state['endedOn']}")
            day = on or today()
            if day < state["since"].to_native():
                raise Refused("BEFORE_LISTING", f"{day} is before the listing started ({state['since']})", field="on")
            if state["until"] is not None and state["until"].to_native() <= day:
                raise Refused("ALREADY_ENDED", f"listing {listing} ran out on {state['until']}", field="on")
            return await end_listing(tx, listing, day, "DELISTED", reason.strip())

        return await write(info, "delist", work)
