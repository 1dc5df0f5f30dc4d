"""The 应查必查 certificate (issue 16) as pure rules: which parties a decision about a subject must check,
the answer of one check, and the certificate's canonical form and hash, chained like the audit trail
(store/audit.py): each certificate's hash covers its canonical content and the previous one's hash.

Required parties: for a person, the person; for an entity, the entity, its legal representative or
principal, its actual controllers — declared (the ACTUAL_CONTROLLER role) and inferred (the ultimate
controller through holdings, domain/ownership.py) — and its majority holders (a direct holding over half).
A required party the graph cannot check is a gap of the certificate, named, never left out."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from graph_api.domain.eligibility import effect

GENESIS = "0" * 64
MAJORITY = 0.5  # a holder of more than this share of the entity is a majority holder

# why a party must be checked
SUBJECT = "SUBJECT"
REPRESENTATIVE = "LEGAL_REPRESENTATIVE_OR_PRINCIPAL"
DECLARED_CONTROLLER = "DECLARED_CONTROLLER"
INFERRED_CONTROLLER = "INFERRED_CONTROLLER"
MAJORITY_HOLDER = "MAJORITY_HOLDER"
GROUNDS = (SUBJECT, REPRESENTATIVE, DECLARED_CONTROLLER, INFERRED_CONTROLLER, MAJORITY_HOLDER)

ENTITY = "ENTITY"
PERSON = "PERSON"


@dataclass(frozen=True)
class Party:
    """A party the decision must check: `key` the USCC or person key hash, None when its identity is
    unknown (then it cannot be checked: a gap)."""

    kind: str  # ENTITY or PERSON
    key: str | None
    name: str
    grounds: tuple[str, ...]  # why it is required, in GROUNDS order


@dataclass(frozen=True)
class Tie:
    """A tie of the subject entity as the graph holds it on the day: a role of a person, or a holding."""

    kind: str  # of the party: ENTITY or PERSON
    key: str | None  # None when the graph has no identity for the party
    name: str
    relation: str  # LEGAL_REPRESENTATIVE, PRINCIPAL, ACTUAL_CONTROLLER or HOLDS
    ratio: float | None = None


@dataclass(frozen=True)
class Gap:
    """A required check that could not be made, and why."""

    grounds: tuple[str, ...]
    name: str | None
    reason: str


def required_parties(
    subject: Party, ties: Iterable[Tie], inferred: Party | None, ownership_cut: bool
) -> tuple[list[Party], list[Gap]]:
    """The parties to check for a decision about `subject`, in order (the subject first, then by grounds and
    key), each once with all its grounds; and the gaps: a required party without a known identity, an
    entity with no legal representative or principal on the day, an ownership search that was cut."""
    if subject.kind == PERSON:
        return [subject], []
    grounds: dict[tuple[str, str], list[str]] = {}
    names: dict[tuple[str, str], str] = {}
    gaps: list[Gap] = []
    representatives = 0

    def add(kind: str, key: str | None, name: str, ground: str) -> None:
        if key is None:
            gaps.append(Gap((ground,), name, f"{name}: no identity number in the graph, so it cannot be checked"))
            return
        grounds.setdefault((kind, key), [])
        if ground not in grounds[(kind, key)]:
            grounds[(kind, key)].append(ground)
        names[(kind, key)] = name

    for t in ties:
        if t.relation in ("LEGAL_REPRESENTATIVE", "PRINCIPAL"):
            representatives += 1
            add(t.kind, t.key, t.name, REPRESENTATIVE)
        elif t.relation == "ACTUAL_CONTROLLER":
            add(t.kind, t.key, t.name, DECLARED_CONTROLLER)
        elif t.relation == "HOLDS" and t.ratio is not None and t.ratio > MAJORITY:
            add(t.kind, t.key, t.name, MAJORITY_HOLDER)
    if inferred is not None and inferred.key != subject.key:
        add(inferred.kind, inferred.key, inferred.name, INFERRED_CONTROLLER)
    if not representatives:
        gaps.append(Gap((REPRESENTATIVE,), None, "no legal representative or principal is known on the day"))
    if ownership_cut:
        gaps.append(
            Gap((INFERRED_CONTROLLER,), None, "the ownership graph was too large to follow: controllers may be missed")
        )
    assert subject.key is not None  # a subject is found by its key
    grounds.pop((subject.kind, subject.key), None)  # the subject holding a role of itself is checked once
    others = sorted(grounds.items(), key=lambda kv: (min(GROUNDS.index(g) for g in kv[1]), kv[0]))
    parties = [subject] + [
        Party(kind, key, names[(kind, key)], tuple(sorted(gs, key=GROUNDS.index))) for (kind, key), gs in others
    ]
    return parties, gaps


@dataclass(frozen=True)
class Reason:
    """A measure in force on the party that decides the scenario, and the listing that imposes it."""

    measure: str
    kind: str  # RESTRICTION or INCENTIVE (the measure's kind)
    listing: str
    list: str
    via: str | None  # the listed entity, when the party is bound as its responsible person
    role: str | None


@dataclass(frozen=True)
class Check:
    party: Party
    allowed: bool
    reasons: tuple[Reason, ...] = field(default=())


def check(party: Party, bindings: Sequence[Mapping[str, Any]], scenario: str) -> Check:
    """The eligibility answer by the one rule (domain/eligibility.py, which `eligibility` applies too): refused
    when a restricting measure in force covers the scenario; incentives covering it are reasons too."""
    reasons = []
    for b in bindings:
        via = b.get("via")
        role = b.get("role")
        for m in b["measures"]:
            if effect(m["kind"], m.get("scenarios"), scenario) is not None:
                reasons.append(
                    Reason(
                        measure=m["code"],
                        kind=m["kind"],
                        listing=b["listing"]["id"],
                        list=b["listing"]["list"],
                        via=via["uscc"] if via else None,
                        role=role["type"] if role else None,
                    )
                )
    allowed = not any(effect(r.kind, (scenario,), scenario) == "REFUSES" for r in reasons)
    return Check(party, allowed, tuple(reasons))


HEAD = (
    "id",
    "seq",
    "decision",
    "scenario",
    "asOf",
    "purpose",
    "subjectKind",
    "subjectKey",
    "subjectName",
    "issuedAt",
    "issuedBy",
    "department",
)


def part(order: int, c: Check) -> dict[str, Any]:
    """One check as the certificate keeps it: every value text, a number or a boolean."""
    return {
        "order": order,
        "kind": c.party.kind,
        "key": c.party.key,
        "name": c.party.name,
        "grounds": list(c.party.grounds),
        "allowed": c.allowed,
        "reasons": [asdict(r) for r in c.reasons],
    }


def gap(g: Gap) -> dict[str, Any]:
    return {"grounds": list(g.grounds), "name": g.name, "reason": g.reason}


def document(
    head: Mapping[str, Any], parts: Sequence[Mapping[str, Any]], gaps: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The certificate as it is hashed: the HEAD fields, its parts in order, its gaps in order."""
    return {**{k: head.get(k) for k in HEAD}, "parts": [dict(p) for p in parts], "gaps": [dict(g) for g in gaps]}


def canonical(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(prev: str, document: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev + canonical(document)).encode()).hexdigest()


def verify(document: Mapping[str, Any], stored_hash: str, prev_hash: str, previous_hash: str | None) -> str | None:
    """Why a stored certificate does not verify, or None: its content must give its hash from its prevHash,
    and its prevHash must be the hash of the certificate before it (GENESIS for the first)."""
    if prev_hash != (previous_hash if previous_hash is not None else GENESIS):
        return "its previous hash is not the hash of the certificate before it (the chain was altered)"
    if chain_hash(prev_hash, document) != stored_hash:
        return "its content does not match its hash (a stored part was altered)"
    return None
