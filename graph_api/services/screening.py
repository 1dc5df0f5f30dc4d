"""Name screening (`screen` of subjects known only by name, issue 15): the candidates of each name, and a
person's decision about one.

Candidates: the full-text index of names is searched tier by tier (domain/name_matching.py `search_tiers`:
all of a name's terms, else all but one, else any), for the whole batch in one round trip
(cypher/screen.cypher, screen_name_candidates); the hits are scored and ranked by the domain's rules
(`shortlist`); a candidate a person decided NOT_A_MATCH for the name is not among them. Names of persons are
matched only for readers who may look persons up (permission and purpose); anyone else is matched entities only.

Decisions: MATCH or NOT_A_MATCH for a name, kept in the graph as (:ScreenDecision {name, candidate}) — the name
normalised, so the same firm written another way is the same name — and audited like every change. A
NOT_A_MATCH candidate is no longer proposed for that name; deciding again replaces the decision."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graph_api.domain import name_matching as nm
from graph_api.domain.actor import Actor
from graph_api.domain.permissions import check_personal_data, reads_names_in_clear
from graph_api.errors import ApiError, BadUserInput, NotFound
from graph_api.services.inputs import one_of
from graph_api.services.reads import Read
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries

DECISIONS = ("MATCH", "NOT_A_MATCH")
MAX_NAME = nm.MAX_NAME


@dataclass(frozen=True)
class Scored:
    kind: str  # ENTITY or PERSON
    key: str  # USCC or key hash
    hit: dict[str, Any]  # the node's facts the statement returned (name, region, idMasked, ...)
    match: nm.NameMatch


@dataclass(frozen=True)
class Candidates:
    persons: bool  # whether names of persons were matched (the reader may look persons up)
    by_name: list[list[Scored]]  # per name sent, in order: best first


def persons_matched(actor: Actor, purpose: Callable[[], str | None]) -> bool:
    """Whether a reader's names are matched against persons too: it reads names in clear and may look
    persons up (check_personal_data: the role, and a purpose where the role must state one)."""
    if not reads_names_in_clear(actor):
        return False
    try:
        check_personal_data(actor, purpose)
    except ApiError:
        return False
    return True


def lucene(tier: list[list[str]]) -> str:
    """A tier as Lucene's query syntax: alternatives OR-ed, each of its terms required (`+`). Terms are letters,
    digits and Chinese characters only (nm.index_terms), so none needs escaping."""
    return " ".join("(" + " ".join("+" + term for term in terms) + ")" for terms in tier)


async def name_candidates(
    read: Read,
    actor: Actor,
    purpose: Callable[[], str | None],
    names: Sequence[nm.NameQuery],
    decrypt: Callable[[str], str],
) -> Candidates:
    """The candidates of each name: one round trip for the batch, none without a name to search."""
    persons = bool(names) and persons_matched(actor, purpose)
    searches = {q.key: nm.search_tiers(q.key) for q in names}
    params = [{"key": k, "tiers": [lucene(t) for t in tiers]} for k, tiers in sorted(searches.items()) if tiers]
    rows = {}
    if params:
        found = await read(queries.screen_name_candidates, names=params, withPersons=persons, cap=nm.CANDIDATE_CAP)
        rows = {r["key"]: r for r in found}
    return Candidates(persons, [_ranked(q, rows.get(q.key), decrypt) for q in names])


def _ranked(q: nm.NameQuery, row: Any, decrypt: Callable[[str], str]) -> list[Scored]:
    if row is None:
        return []
    # equal scores rank by kind, then key (shortlist keeps the order it is given)
    hits = sorted(row["hits"], key=lambda h: (h["kind"], h["key"]))
    found = []
    for hit in hits:
        year = None
        if hit["kind"] == "PERSON" and q.birth_year is not None and hit.get("idCipher"):
            year = nm.birth_year_of(decrypt(hit["idCipher"]), hit.get("idType") or "")
        found.append(nm.Candidate(hit["name"], region=hit.get("region"), birth_year=year))
    return [Scored(hits[i]["kind"], hits[i]["key"], dict(hits[i]), m) for i, m in nm.shortlist(q, found)]


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
    name = nm.normalise(request.name)
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
