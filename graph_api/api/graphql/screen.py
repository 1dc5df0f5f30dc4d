"""Batch screening (`screen`): the eligibility check of `eligibility.py` for up to SCREEN_LIMIT subjects
by code, one answer per subject in input order, an unknown or malformed subject an error of its item only.
The answer is built by the same functions as `eligibility` (exposure_of_*, responsible_person_warnings,
decide) from the same facts, fetched for the whole batch in one statement per kind of subject
(cypher/screen.cypher): at most two round trips, whatever the batch's size.

A subject by name alone answers candidates instead of one eligibility, each with its own (found and ranked by
services/screening.py, translated by screen_names.py): one more round trip for the names of the batch and two
for the candidates' facts."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

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
from graph_api.api.graphql.screen_names import PERSONS_NOT_MATCHED, NameMatchField, candidate_refs, candidates
from graph_api.api.graphql.types import EntityRef, PersonSummary
from graph_api.domain.clock import today
from graph_api.domain.identifiers import InvalidIdentifier, validate_uscc
from graph_api.domain.name_matching import NameQuery, name_query
from graph_api.domain.permissions import record_params
from graph_api.domain.subjects import Subject
from graph_api.errors import ApiError, BadUserInput, NotFound
from graph_api.services.screening import Scored
from graph_api.store.cypher_loader import queries
from graph_api.store.pii import mask
from graph_api.store.rows import ScreenEntitiesRow, ScreenPersonsRow
from graph_api.store.statement import Statement

R = TypeVar("R")

SCREEN_LIMIT = 500


@strawberry.input(
    description="One subject of a batch screening: exactly one of uscc, idNumber, id and name. Unlike "
    "SubjectInput, a malformed code is an error of its item, not of the whole request."
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
    name: str | None = strawberry.field(
        default=None,
        description="A name alone: answered with ranked candidates (persons only for readers who may look persons up).",
    )
    region: str | None = strawberry.field(
        default=None, description="With name: the region code (or its prefix) the entity is in."
    )
    birth_year: int | None = strawberry.field(default=None, description="With name: the person's year of birth.")


@strawberry.type(description="The subject of an item, as it was sent.")
class ScreenSubject:
    uscc: str | None = strawberry.field(description="The USCC sent, if any.")
    # Masked like every identity number shown (the caller has its own list; `index` lines the items up).
    id_number_masked: str | None = strawberry.field(description="The identity number sent, masked, if any.")
    id: strawberry.ID | None = strawberry.field(description="The global id sent, if any.")
    name: str | None = strawberry.field(description="The name sent, if any.")
    region: str | None = strawberry.field(description="The region sent with the name, if any.")
    birth_year: int | None = strawberry.field(description="The birth year sent with the name, if any.")


def echo(given: ScreenSubjectInput) -> ScreenSubject:
    """The subject of an item as it was sent, its identity number masked (every batch answer echoes so)."""
    return ScreenSubject(
        uscc=given.uscc,
        id_number_masked=mask(given.id_number) if given.id_number else None,
        id=given.id,
        name=given.name,
        region=given.region,
        birth_year=given.birth_year,
    )


@strawberry.type(description="Why one item of a batch has no answer; the other items stand.")
class ScreenError:
    code: str = strawberry.field(graphql_type=ErrorCode, description="As a GraphQL error's `extensions.code`.")
    message: str = strawberry.field(description="What is wrong with this subject, for the clerk to correct.")
    reason: str | None = strawberry.field(description="A finer reason, when there is one (e.g. INVALID_USCC).")


@strawberry.type(description="A candidate for a subject by name: who, how well and why it matched, and its answer.")
class ScreenCandidate:
    id: strawberry.ID = strawberry.field(description="The candidate's global id (decideScreenMatch takes it).")
    entity: EntityRef | None = strawberry.field(description="The candidate, when an entity.")
    person: PersonSummary | None = strawberry.field(description="The candidate, when a person.")
    score: float = strawberry.field(description="How well it matches, from 0 to 1 (1: the same name).")
    matched: list[NameMatchField] = strawberry.field(description="What matched, strongest first.")
    eligibility: Eligibility = strawberry.field(description="The candidate's answer, as `eligibility` gives it.")


@strawberry.type(description="The answer for one subject of a batch: its eligibility, or the error of its item.")
class ScreenItem:
    index: int = strawberry.field(description="The subject's position in the input list, from 0.")
    subject: ScreenSubject = strawberry.field(description="The subject as sent.")
    eligibility: Eligibility | None = strawberry.field(description="The answer, as `eligibility` gives it.")
    error: ScreenError | None = strawberry.field(description="Why there is no answer for this subject.")
    candidates: list[ScreenCandidate] | None = strawberry.field(
        description="For a subject by name: the candidates, best first (none decided NOT_A_MATCH for this name)."
    )
    note: str | None = strawberry.field(description="For a subject by name: what was not matched, and why.")


@dataclass
class _Parsed:
    subject: Subject | None = None
    error: ApiError | None = None
    name: NameQuery | None = None


def _parse(info: Info[Context, None], given: ScreenSubjectInput) -> _Parsed:
    """The subject of one item, by the same rules as SubjectInput (subject_of); its error otherwise."""
    chosen = [n for n, v in (("uscc", given.uscc), ("idNumber", given.id_number), ("id", given.id)) if v]
    if given.name is not None:
        chosen.append("name")
    if len(chosen) != 1:
        return _Parsed(error=BadUserInput("give exactly one of uscc, idNumber, id and name", field="subject"))
    if given.name is None and (given.region or given.birth_year is not None):
        return _Parsed(error=BadUserInput("region and birthYear go with a name", field="subject"))
    try:
        if given.name is not None:
            return _Parsed(name=name_query(given.name, given.region, given.birth_year))
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
        "own error (an unknown or malformed subject never fails the batch); a subject by name answers ranked "
        "candidates, each with its answer."
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
        names = [p.name for p in parsed if p.name]
        entities = sorted({p.subject.entity for p in parsed if p.subject and p.subject.entity})
        persons = sorted({p.subject.person for p in parsed if p.subject and p.subject.person})
        entity_rows, person_rows, ranked = await asyncio.gather(
            _rows(info, queries.screen_entities, entities, day),
            _rows(info, queries.screen_persons, persons, day),
            candidates(info, names),
        )
        found = [c for cs in ranked.by_name for c in cs]
        more_entities, more_persons = await asyncio.gather(
            _rows(info, queries.screen_entities, _missing(found, "ENTITY", entity_rows), day),
            _rows(info, queries.screen_persons, _missing(found, "PERSON", person_rows), day),
        )
        entity_rows |= more_entities
        person_rows |= more_persons
        answers = _Answers(entity_rows, person_rows, scenario, day, for_public(info))
        by_name = iter(ranked.by_name)
        items = []
        for index, (given, p) in enumerate(zip(subjects, parsed, strict=True)):
            answer: Eligibility | None = None
            error = p.error
            listed: list[ScreenCandidate] | None = None
            if p.subject and p.subject.entity:
                answer = answers.entity(p.subject.entity)
                if answer is None:
                    error = NotFound(f"no entity with unified social credit code {p.subject.entity}")
            elif p.subject and p.subject.person:
                answer = answers.person(p.subject.person)
                if answer is None:
                    error = NotFound("no person with this identity number" if given.id_number else "no such person")
            elif p.name:
                listed = [_candidate(info, c, answers) for c in next(by_name)]
            items.append(
                ScreenItem(
                    index=index,
                    subject=echo(given),
                    eligibility=answer,
                    error=_error(error) if error else None,
                    candidates=listed,
                    note=PERSONS_NOT_MATCHED if p.name and not ranked.persons else None,
                )
            )
        return items


@dataclass
class _Answers:
    """The eligibility of a subject found in the batch's rows, by the functions `eligibility` uses."""

    entity_rows: dict[str, ScreenEntitiesRow]
    person_rows: dict[str, ScreenPersonsRow]
    scenario: Scenario
    day: dt.date
    public: bool

    def entity(self, uscc: str) -> Eligibility | None:
        row = self.entity_rows.get(uscc)
        if row is None:
            return None
        exposure = exposure_of_entity(row["bindings"], row["entity"], self.day)
        return decide(exposure, self.scenario, responsible_person_warnings(row["warnings"], self.public))

    def person(self, key: str) -> Eligibility | None:
        row = self.person_rows.get(key)
        if row is None:
            return None
        return decide(exposure_of_person(row["bindings"], row["person"], self.day), self.scenario, [])


def _missing(found: list[Scored], kind: str, fetched: dict[str, Any]) -> list[str]:
    return sorted({c.key for c in found if c.kind == kind and c.key not in fetched})


def _candidate(info: Info[Context, None], c: Scored, answers: _Answers) -> ScreenCandidate:
    id_, entity, person = candidate_refs(info, c)
    answer = answers.entity(c.key) if c.kind == "ENTITY" else answers.person(c.key)
    if answer is None:  # the index named a node its statement no longer finds (deleted between the two reads)
        raise NotFound("a candidate vanished while screening: try again")
    return ScreenCandidate(
        id=id_,
        entity=entity,
        person=person,
        score=c.match.score,
        matched=[NameMatchField(m) for m in c.match.matched],
        eligibility=answer,
    )


async def _rows(info: Info[Context, None], statement: Statement[R], keys: list[str], day: dt.date) -> dict[str, R]:
    """The rows of a batch by key: one round trip, none when the batch has no subject of this kind."""
    if not keys:
        return {}
    seen = record_params(info.context.actor(), today())
    rows = await info.context.read(statement, keys=keys, asOf=day, **seen)
    return {r["key"]: r for r in rows}  # type: ignore[index]  # both screen statements return `key`
