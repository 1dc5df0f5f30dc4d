"""Subjects of `screen` known only by name (issue 15), as GraphQL: what matched (NameMatchField), a
candidate's references, the note for readers not matched against persons; and the mutation that records a
decision about a candidate. Which hits are candidates, their scores and who is matched against persons are
services/screening.py's (with domain/name_matching.py's rules); this module only translates."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import labelled
from graph_api.api.graphql.fields import mutation
from graph_api.api.graphql.global_id import ENTITY, PERSON, decode_id, global_id
from graph_api.api.graphql.types import EntityRef, PersonSummary
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain import name_matching as nm
from graph_api.errors import NotFound
from graph_api.services import screening

PERSONS_NOT_MATCHED = "names of persons are matched only for readers who may look persons up: entities only"


@labelled
@strawberry.enum(description="What matched between the name sent and a candidate (domain/name_matching.py).")
class NameMatchField(Enum):
    EXACT = "EXACT"
    NORMALISED = "NORMALISED"  # full-/half-width, brackets, spaces, the 有限公司 suffix forms
    PINYIN = "PINYIN"  # a homophone, or a name typed in pinyin
    INITIALS = "INITIALS"
    FUZZY = "FUZZY"  # similar text or pinyin (edit distance)
    REGION = "REGION"
    BIRTH_YEAR = "BIRTH_YEAR"


@labelled
@strawberry.enum(
    description="A person's decision about a candidate of name screening: NOT_A_MATCH is no longer proposed "
    "for the name."
)
class ScreenMatchDecision(Enum):
    MATCH = "MATCH"
    NOT_A_MATCH = "NOT_A_MATCH"


async def candidates(info: Info[Context, None], names: list[nm.NameQuery]) -> screening.Candidates:
    context = info.context
    return await screening.name_candidates(context.read, context.actor(), context.purpose, names, context.ids.decrypt)


def candidate_refs(
    info: Info[Context, None], s: screening.Scored
) -> tuple[strawberry.ID, EntityRef | None, PersonSummary | None]:
    if s.kind == "ENTITY":
        return global_id(info, ENTITY, s.key), EntityRef.from_map(s.hit | {"uscc": s.key}), None
    info.context.open_person(s.key)
    return global_id(info, PERSON, s.key), None, PersonSummary.from_map(s.hit)


@strawberry.type(description="A decision recorded about a candidate for a name.")
class ScreenMatchDecided:
    name: str = strawberry.field(description="The name as it is compared (normalised): the decision's key.")
    candidate: strawberry.ID = strawberry.field(description="The candidate's global id.")
    decision: ScreenMatchDecision = strawberry.field(description="The decision now standing.")


DecideScreenMatchResult = Annotated[
    ScreenMatchDecided | Refusal, strawberry.union("DecideScreenMatchResult", description=refused("ScreenMatchDecided"))
]


@strawberry.type
class ScreenMutations:
    @mutation(
        description="Record whether a candidate that `screen` proposed for a name is the subject named, by an "
        "officer or sanctions officer (audited). A candidate decided NOT_A_MATCH is no longer proposed for that "
        "name (compared normalised); deciding again replaces the decision."
    )
    async def decide_screen_match(
        self,
        info: Info[Context, None],
        name: Annotated[str, strawberry.argument(description="The name as screened.")],
        candidate: Annotated[strawberry.ID, strawberry.argument(description="The candidate's global id.")],
        decision: Annotated[ScreenMatchDecision, strawberry.argument(description="The decision.")],
    ) -> DecideScreenMatchResult:
        decoded = decode_id(info, str(candidate))
        if decoded is None or decoded[0] not in (ENTITY, PERSON):
            raise NotFound("no such candidate")
        kind, key = decoded
        if kind == PERSON:
            info.context.open_person(key)
        request = screening.MatchDecision(name=name, candidate=key, kind=kind.upper(), decision=decision.value)
        return await run(
            info,
            screening.decide_match,
            request,
            lambda d: ScreenMatchDecided(name=d.name, candidate=candidate, decision=ScreenMatchDecision(d.decision)),
        )
