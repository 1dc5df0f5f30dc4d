"""Interviews (约谈, "谁认定、谁约谈"): the department that listed a subject interviews it, and the interview
becomes a negative INTERVIEW record of that department on the listed subject, linked
(Listing)-[:INTERVIEW]->(Record). An interview may be recorded any time the listing is in force, once per
listing and day: the same interview submitted twice (two officers, a double click) is one record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph_api.domain.actor import Actor
from graph_api.domain.redress import listing_in_force
from graph_api.domain.refusals import Refused, check_department
from graph_api.domain.subjects import Subject
from graph_api.domain.vocabulary import SEVERITIES
from graph_api.errors import BadUserInput
from graph_api.services.inputs import day_done, one_of
from graph_api.services.negative_records import RecordMade, create_negative_record
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries

MAX_SUMMARY = 500


@dataclass(frozen=True)
class InterviewRequest:
    listing: str
    held_on: dt.date
    summary: str  # what was said and required, 1 to 500 characters
    severity: str = "MINOR"  # of the INTERVIEW record


@dataclass(frozen=True)
class InterviewRecorded:
    listing: str
    record: RecordMade  # the INTERVIEW record, due for publication 7 working days after (official calendar)
    days_after_deadline: int | None  # negative when held before the deadline; None without a deadline


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


async def record_interview(
    store: Store, actor: Actor, request: InterviewRequest, trail: Trail = NO_TRAIL
) -> InterviewRecorded:
    """Record an interview held with a listed subject, by an officer of the department that listed it."""
    department = actor.officer()
    day_done(request.held_on, "heldOn")
    summary = request.summary.strip()
    if not 1 <= len(summary) <= MAX_SUMMARY:
        raise BadUserInput(f"summary must have 1 to {MAX_SUMMARY} characters", field="summary")
    one_of(request.severity, SEVERITIES, "severity")
    listing_id, held_on = request.listing, request.held_on

    async def work(tx: Tx) -> InterviewRecorded:
        lock = await tx.lock(queries.interview_listing_lock, f"listing {listing_id!r}", listing=listing_id)
        # who lists, interviews
        check_department(department, lock["department"], f"listing {listing_id}", "was decided by", field="listing")
        listing = dict((await tx.single(queries.interview_listing_state, listing=listing_id))["listing"])
        if not listing_in_force(_native(listing["since"]), _native(listing["until"]), held_on):
            raise Refused(
                "LISTING_NOT_IN_FORCE",
                f"listing {listing_id} is not in force on {held_on} "
                f"(since {listing['since']}, until {listing['until']})",
                field="heldOn",
            )
        if (await tx.single(queries.interview_held_on, listing=listing_id, heldOn=held_on))["held"]:
            raise Refused(
                "ALREADY_INTERVIEWED",
                f"an interview on listing {listing_id} held on {held_on} is recorded already",
                field="heldOn",
            )
        subject = Subject(entity=lock["subjectEntity"], person=lock["subjectPerson"])
        made = await create_negative_record(
            tx,
            subject,
            department,
            "INTERVIEW",
            request.severity,
            held_on,
            summary,
            f"interview on listing {listing_id}",
        )
        await tx.run(queries.interview_link, listing=listing_id, record=made.id)
        rectify_by = _native(listing.get("rectifyBy"))
        return InterviewRecorded(
            listing=listing_id, record=made, days_after_deadline=(held_on - rectify_by).days if rectify_by else None
        )

    return await write(store, actor, "recordInterview", work, trail)
