"""Batch screening (`screen`): the eligibility check of `eligibility.py` for up to SCREEN_LIMIT subjects
by code, one answer per subject in input order, an unknown or malformed subject an error of its item only.
The answer is built by the same functions as `eligibility` (exposure_of_*, responsible_person_warnings,
decide) from the same facts, fetched for the whole batch in one statement per kind of subject
(cypher/screen.cypher): at most two round trips, whatever the batch's size.

Subjects by name alone (issue 15: normalisation, pinyin, fuzzy candidates) are not taken yet: they will be
a fourth input field whose items answer candidates instead of one eligibility."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Annotated, TypeVar

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.codes import ErrorCode
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.eligibility import Eligibility, decide, responsible_person_warnings
from graph_api.api.graphql.enums import Scenario
from graph_api.api.graphql.error_mapping import as_api_error
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.inputs import SubjectInput, subject_of
from graph_api.api.graphql.linkage import exposure_of_entity, exposure_of_person
from graph_api.api.graphql.masking import for_public
from graph_api.domain.clock import today
from graph_api.domain.identifiers import InvalidIdentifier, validate_uscc
from graph_api.domain.permissions import record_params
from graph_api.domain.subjects import Subject
from graph_api.errors import ApiError, BadUserInput, NotFound
from graph_api.store.cypher_loader import queries
from graph_api.store.statement import Statement

R = TypeVar("R")

SCREEN_LIMIT = 500


@strawberry.input(
    description="One subject of a batch screening: exactly one of its fields. Unlike SubjectInput, a malformed "
    "code is an error of its item, not of the whole request; a subject by name alone is not taken yet."
)
class ScreenSubjectInput:
    uscc: str | None = strawberry.field(
        default=None, description="An entity, by its unified social credit code (checked per item)."
    )
    id_number: str | None = strawberry.field(
        default=None,
        description="A person, by identity number (a personal read, as in SubjectInput: audited; investigators "
        "and sanctions officers state a purpose).",
    )
    id: strawberry.ID | None = strawberry.field(
        default=None, description="The global id of an Entity or a Person (as SubjectInput.id)."
    )


@strawberry.type(description="The subject of an item, as it was sent.")
class ScreenSubject:
    uscc: str | None = strawberry.field(description="The USCC sent, if any.")
    id_number: str | None = strawberry.field(description="The identity number sent, if any.")
    id: strawberry.ID | None = strawberry.field(description="The global id sent, if any.")


@strawberry.type(description="Why one item of a batch has no answer; the other items stand.")
class ScreenError:
    code: str = strawberry.field(graphql_type=ErrorCode, description="As a GraphQL error's `extensions.code`.")
    message: str = strawberry.field(description="What is wrong with this subject, for the clerk to correct.")
    reason: str | None = strawberry.field(description="A finer reason, when there is one (e.g. INVALID_USCC).")


@strawberry.type(description="The answer for one subject of a batch: its eligibility, or the error of its item.")
class ScreenItem:
    index: int = strawberry.field(description="The subject's position in the input list, from 0.")
    subject: ScreenSubject = strawberry.field(description="The subject as sent.")
    eligibility: Eligibility | None = strawberry.field(description="The answer, as `eligibility` gives it.")
    error: ScreenError | None = strawberry.field(description="Why there is no answer for this subject.")


@dataclass
class _Parsed:
    subject: Subject | None = None
    error: ApiError | None = None


def _parse(info: Info[Context, None], given: ScreenSubjectInput) -> _Parsed:
    """The subject of one item, by the same rules as SubjectInput (subject_of); its error otherwise."""
    chosen = [n for n, v in (("uscc", given.uscc), ("idNumber", given.id_number), ("id", given.id)) if v]
    if len(chosen) != 1:
        return _Parsed(error=BadUserInput("give exactly one of uscc, idNumber and id", field="subject"))
    try:
        if given.uscc:
            return _Parsed(Subject(entity=validate_uscc(given.uscc)))
        one = SubjectInput(id_number=given.id_number) if given.id_number else SubjectInput(id=given.id)
        return _Parsed(subject_of(info, one))
    except (ApiError, InvalidIdentifier) as e:
        mapped = as_api_error(e)
        if mapped is None:
            raise
        return _Parsed(error=mapped)


def _error(e: ApiError) -> ScreenError:
    reason = e.extensions.get("reason")
    return ScreenError(code=e.code, message=e.message, reason=str(reason) if reason else None)


@strawberry.type
class ScreenQueries:
    @field(
        description=f"The eligibility check (as `eligibility`) of up to {SCREEN_LIMIT} subjects by code for one "
        "scenario and day (default today): one item per subject, in input order, each with its answer or its "
        "own error (an unknown or malformed subject never fails the batch). Subjects by name are not taken yet."
    )
    async def screen(
        self,
        info: Info[Context, None],
        subjects: Annotated[
            list[ScreenSubjectInput],
            strawberry.argument(description=f"The subjects, at most {SCREEN_LIMIT}."),
        ],
        scenario: Annotated[Scenario, strawberry.argument(description="The decision about to be made.")],
        as_of: dt.date | None = None,
    ) -> list[ScreenItem]:
        if len(subjects) > SCREEN_LIMIT:
            raise BadUserInput(
                f"at most {SCREEN_LIMIT} subjects per screen call, got {len(subjects)}: send them in chunks",
                field="subjects",
                limit=SCREEN_LIMIT,
            )
        day = as_of or today()
        parsed = [_parse(info, s) for s in subjects]
        entities = sorted({p.subject.entity for p in parsed if p.subject and p.subject.entity})
        persons = sorted({p.subject.person for p in parsed if p.subject and p.subject.person})
        entity_rows, person_rows = await asyncio.gather(
            _rows(info, queries.screen_entities, entities, day),
            _rows(info, queries.screen_persons, persons, day),
        )
        public = for_public(info)
        items = []
        for index, (given, p) in enumerate(zip(subjects, parsed, strict=True)):
            answer: Eligibility | None = None
            error = p.error
            if p.subject and p.subject.entity:
                found_e = entity_rows.get(p.subject.entity)
                if found_e is None:
                    error = NotFound(f"no entity with unified social credit code {p.subject.entity}")
                else:
                    exposure = exposure_of_entity(found_e["bindings"], found_e["entity"], day)
                    answer = decide(exposure, scenario, responsible_person_warnings(found_e["warnings"], public))
            elif p.subject and p.subject.person:
                found_p = person_rows.get(p.subject.person)
                if found_p is None:
                    error = NotFound("no person with this identity number" if given.id_number else "no such person")
                else:
                    answer = decide(exposure_of_person(found_p["bindings"], found_p["person"], day), scenario, [])
            items.append(
                ScreenItem(
                    index=index,
                    subject=ScreenSubject(uscc=given.uscc, id_number=given.id_number, id=given.id),
                    eligibility=answer,
                    error=_error(error) if error else None,
                )
            )
        return items


async def _rows(info: Info[Context, None], statement: Statement[R], keys: list[str], day: dt.date) -> dict[str, R]:
    """The rows of a batch by key: one round trip, none when the batch has no subject of this kind."""
    if not keys:
        return {}
    seen = record_params(info.context.actor(), today())
    rows = await info.context.read(statement, keys=keys, asOf=day, **seen)
    return {r["key"]: r for r in rows}  # type: ignore[index]  # both screen statements return `key`
