"""Subjects of `screen` known only by name (issue 15): candidates from the full-text index of names, one
round trip for the whole batch (cypher/screen.cypher, screen_name_candidates), scored and ranked by the
domain's rules (domain/name_matching.py), less those a person decided are NOT_A_MATCH for the name; and
the mutation that records such a decision (services/screening.py).

Names of persons are matched only for readers who may look persons up (context.open_person: permission,
purpose, and the person in the request's audit entry); anyone else gets entities only, and the item says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.discovery import lucene_escape
from graph_api.api.graphql.enums import labelled
from graph_api.api.graphql.fields import mutation
from graph_api.api.graphql.global_id import ENTITY, PERSON, decode_id, global_id
from graph_api.api.graphql.masking import for_public
from graph_api.api.graphql.types import EntityRef, PersonSummary
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain import name_matching as nm
from graph_api.domain.permissions import check_personal_data
from graph_api.errors import ApiError, BadUserInput, NotFound
from graph_api.services import screening
from graph_api.store.cypher_loader import queries

# Hits the index ranks per name before scoring: enough for the variants of one name in a city.
CANDIDATE_CAP = 50
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


@dataclass(frozen=True)
class NameQuery:
    name: str
    region: str | None
    birth_year: int | None

    @property
    def key(self) -> str:
        return nm.normalise(self.name)


@dataclass(frozen=True)
class Scored:
    kind: str  # ENTITY or PERSON
    key: str  # USCC or key hash
    hit: dict[str, Any]
    match: nm.NameMatch


def persons_allowed(info: Info[Context, None]) -> bool:
    if for_public(info):
        return False
    try:
        check_personal_data(info.context.actor(), info.context.purpose)
    except ApiError:
        return False
    return True


async def candidates(info: Info[Context, None], names: list[NameQuery], with_persons: bool) -> list[list[Scored]]:
    """The candidates of each name, best first (at most MAX_CANDIDATES, none under MIN_SCORE): one round trip."""
    keys = sorted({q.key for q in names if core_query(q.key)})
    rows = {}
    if keys:
        params = [{"key": k, "query": core_query(k)} for k in keys]
        found = await info.context.read(
            queries.screen_name_candidates, names=params, withPersons=with_persons, cap=CANDIDATE_CAP
        )
        rows = {r["key"]: r for r in found}
    decrypt = info.context.ids.decrypt
    return [_ranked(q, rows.get(q.key), decrypt) for q in names]


def core_query(key: str) -> str:
    """The Lucene query of a normalised name: its distinguishing part, as plain terms (the suffix every
    firm shares would rank all firms alike)."""
    return lucene_escape(nm.core(key)).strip()


def _ranked(q: NameQuery, row: Any, decrypt: Callable[[str], str]) -> list[Scored]:
    if row is None:
        return []
    dismissed = set(row["dismissed"])
    scored = []
    for hit in row["hits"]:
        if hit["key"] in dismissed:
            continue
        year = None
        if hit["kind"] == "PERSON" and q.birth_year is not None and hit.get("idCipher"):
            year = nm.birth_year_of(decrypt(hit["idCipher"]), hit.get("idType") or "")
        candidate = nm.Candidate(hit["name"], region=hit.get("region"), birth_year=year)
        m = nm.match(q.name, candidate, region=q.region, birth_year=q.birth_year)
        if m.score >= nm.MIN_SCORE:
            scored.append(Scored(hit["kind"], hit["key"], dict(hit), m))
    scored.sort(key=lambda s: (-s.match.score, s.kind, s.key))
    return scored[: nm.MAX_CANDIDATES]


def name_query(name: str, region: str | None, birth_year: int | None) -> NameQuery:
    if not nm.normalise(name) or len(name) > screening.MAX_NAME:
        raise BadUserInput(f"a name has 1 to {screening.MAX_NAME} characters besides spaces", field="name")
    if birth_year is not None and not 1900 <= birth_year <= 2100:
        raise BadUserInput("birthYear is a year like 1980", field="birthYear")
    return NameQuery(name.strip(), region.strip() if region and region.strip() else None, birth_year)


def candidate_refs(
    info: Info[Context, None], s: Scored
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
