"""`changedSince` (issue 15, deliver 5): which of up to CHANGED_LIMIT subjects changed in exposure, grade or
listings since a moment, for incremental re-screening. One statement (cypher/risks.cypher changed_since)
and, for the entities, their grades on both days: three round trips whatever the batch's size.

What counts as a change since `since` (its day is `since` in its own offset, compared with today):
- EXPOSURE: the listings binding the subject in force on that day and today differ (directly; a person
  also as a responsible person bound by a joint-punishment listing), as the graph now records them;
- GRADE (entities): its credit grade on that day and today differ, both by today's graph;
- LISTING: a listing of the subject was recorded (created or re-imported) or changed by a mutation after it;
- RECORD: a record of the subject the reader may see was recorded or changed by a mutation after it."""

from __future__ import annotations

import asyncio
import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import labelled
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.grades import CreditGrade, load_grade
from graph_api.api.graphql.paths import PathNode, node_of
from graph_api.api.graphql.screen import ScreenError, ScreenSubject, ScreenSubjectInput, echo
from graph_api.api.graphql.screen import _error as error_of  # the same per-item rules as screen
from graph_api.api.graphql.screen import _parse as parse_subject
from graph_api.domain.clock import today
from graph_api.domain.permissions import record_params
from graph_api.errors import BadUserInput, NotFound
from graph_api.services.risks import path_of
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import ChangedSinceRow

CHANGED_LIMIT = 500


@labelled
@strawberry.enum(description="What changed about a subject since a moment (changedSince).")
class SubjectChangeKind(Enum):
    EXPOSURE = "EXPOSURE"
    GRADE = "GRADE"
    LISTING = "LISTING"
    RECORD = "RECORD"


@strawberry.type(description="Whether one subject changed since the moment asked, and what changed.")
class SubjectChange:
    index: int = strawberry.field(description="The subject's position in the input list, from 0.")
    subject: ScreenSubject = strawberry.field(description="The subject as sent.")
    node: PathNode | None = strawberry.field(description="The subject found; null with an error.")
    changed: bool = strawberry.field(description="Whether anything of `kinds` changed.")
    kinds: list[SubjectChangeKind] = strawberry.field(description="What changed (see changedSince).")
    listings_entered: list[str] = strawberry.field(description="Listings binding it today, not on that day.")
    listings_left: list[str] = strawberry.field(description="Listings binding it on that day, not today.")
    grade_then: CreditGrade | None = strawberry.field(description="An entity's grade on that day.")
    grade_now: CreditGrade | None = strawberry.field(description="An entity's grade today.")
    listings: list[str] = strawberry.field(description="Its listings recorded or changed after the moment.")
    records: list[str] = strawberry.field(
        description="Its records (that the reader sees) recorded or changed after it."
    )
    last_change_at: dt.datetime | None = strawberry.field(
        description="The last history entry of those listings and records after the moment (mutations only)."
    )
    error: ScreenError | None = strawberry.field(description="Why there is no answer for this subject.")


def _answer(row: ChangedSinceRow, then: CreditGrade | None, now: CreditGrade | None) -> dict[str, object]:
    before, after = set(row["boundThen"]), set(row["boundNow"])
    changes = row["changes"]
    listings = sorted({*row["listingsRecorded"], *(c["key"] for c in changes if c["kind"] == "Listing")})
    records = sorted({*row["recordsRecorded"], *(c["key"] for c in changes if c["kind"] == "Record")})
    kinds = [
        k
        for k, yes in (
            (SubjectChangeKind.EXPOSURE, before != after),
            (SubjectChangeKind.GRADE, then != now),
            (SubjectChangeKind.LISTING, bool(listings)),
            (SubjectChangeKind.RECORD, bool(records)),
        )
        if yes
    ]
    return {
        "node": node_of(path_of({"nodes": [row["subject"]], "steps": []}).nodes[0]),
        "changed": bool(kinds),
        "kinds": kinds,
        "listings_entered": sorted(after - before),
        "listings_left": sorted(before - after),
        "grade_then": then,
        "grade_now": now,
        "listings": listings,
        "records": records,
        "last_change_at": changes[-1]["at"].to_native() if changes else None,
    }


async def _grades(info: Info[Context, None], keys: list[str], day: dt.date) -> dict[str, CreditGrade]:
    grades = await asyncio.gather(*(load_grade(info, k, day) for k in keys))
    return {k: g.grade for k, g in zip(keys, grades, strict=True) if g is not None}


@strawberry.type
class ChangedSinceQueries:
    @field(
        description=f"Incremental re-screening: which of up to {CHANGED_LIMIT} subjects changed since a moment "
        "in exposure (the listings binding it on that day and today), grade (an entity's, on that day and today), "
        "listings or records (recorded or changed after the moment); one item per subject in input order, an "
        "unknown or malformed subject an error of its item only."
    )
    async def changed_since(
        self,
        info: Info[Context, None],
        since: Annotated[dt.datetime, strawberry.argument(description="The moment, with its offset (…Z, +08:00).")],
        subjects: Annotated[
            list[ScreenSubjectInput], strawberry.argument(description=f"The subjects, at most {CHANGED_LIMIT}.")
        ],
    ) -> list[SubjectChange]:
        if len(subjects) > CHANGED_LIMIT:
            raise BadUserInput(
                f"at most {CHANGED_LIMIT} subjects per changedSince call, got {len(subjects)}: send them in chunks",
                field="subjects",
                limit=CHANGED_LIMIT,
            )
        if since.tzinfo is None:
            raise BadUserInput("since needs its offset, as 2026-12-01T08:00:00+08:00 or …Z", field="since")
        day = today()
        if since.date() > day:
            raise BadUserInput("since is in the future", field="since")
        parsed = [parse_subject(info, s) for s in subjects]
        keys = sorted({k for p in parsed if p.subject for k in [p.subject.entity or p.subject.person] if k})
        rows = (
            await info.context.read(
                queries.changed_since,
                keys=keys,
                since=since,
                sinceDay=since.date(),
                today=day,
                **record_params(info.context.actor(), day),
            )
            if keys
            else []
        )
        found = {r["key"]: r for r in rows}
        entities = sorted(k for k, r in found.items() if r["subject"]["kind"] == "ENTITY")
        then, now = await asyncio.gather(_grades(info, entities, since.date()), _grades(info, entities, day))
        items = []
        for index, (given, p) in enumerate(zip(subjects, parsed, strict=True)):
            key = p.subject.entity or p.subject.person if p.subject else None
            row = found.get(key) if key else None
            error = p.error
            if error is None and row is None:
                error = NotFound("no such subject" if not (p.subject and p.subject.entity) else f"no entity {key}")
            answer = _answer(row, then.get(key or ""), now.get(key or "")) if row else None
            items.append(
                SubjectChange(
                    index=index,
                    subject=echo(given),
                    error=error_of(error) if error else None,
                    **(answer or _unanswered()),  # type: ignore[arg-type]
                )
            )
        return items


def _unanswered() -> dict[str, object]:
    return {
        "node": None,
        "changed": False,
        "kinds": [],
        "listings_entered": [],
        "listings_left": [],
        "grade_then": None,
        "grade_now": None,
        "listings": [],
        "records": [],
        "last_change_at": None,
    }
