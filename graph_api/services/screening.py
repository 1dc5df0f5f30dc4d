"""A person's decision about a candidate that name screening proposed (`screen`, issue 15): MATCH or
NOT_A_MATCH for a name, kept in the graph as (:ScreenDecision {name, candidate}) — the name normalised
(domain/name_matching.py), so the same firm written another way is the same name — and audited like every
change. A NOT_A_MATCH candidate is no longer proposed for that name; deciding again replaces the decision."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.domain.actor import Actor
from graph_api.domain.name_matching import normalise
from graph_api.errors import BadUserInput, NotFound
from graph_api.services.inputs import one_of
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries

DECISIONS = ("MATCH", "NOT_A_MATCH")
MAX_NAME = 200


@dataclass(frozen=True)
class MatchDecision:
    name: str  # as the clerk sent it
    candidate: str  # the USCC of an entity or the key hash of a person
    kind: str  # ENTITY or PERSON
    decision: str  # one of DECISIONS


@dataclass(frozen=True)
class MatchDecided:
    name: str  # normalised
    candidate: str
    kind: str
    decision: str


async def decide_match(store: Store, actor: Actor, request: MatchDecision, trail: Trail = NO_TRAIL) -> MatchDecided:
    """Record an officer's or sanctions officer's decision about one candidate for one name."""
    actor.require("OFFICER", "SANCTIONS")
    one_of(request.decision, DECISIONS, "decision")
    name = normalise(request.name)
    if not name or len(request.name) > MAX_NAME:
        raise BadUserInput(f"name must have 1 to {MAX_NAME} characters besides spaces", field="name")

    async def work(tx: Tx) -> MatchDecided:
        if not (await tx.single(queries.screen_candidate_exists, candidate=request.candidate))["found"]:
            raise NotFound("no such candidate")
        row = await tx.single(
            queries.screen_decide,
            name=name,
            candidate=request.candidate,
            decision=request.decision,
            kind=request.kind,
            user=actor.user,
        )
        return MatchDecided(name=row["name"], candidate=row["candidate"], kind=request.kind, decision=row["decision"])

    return await write(store, actor, "decideScreenMatch", work, trail)
