"""The 应查必查 certificate (issue 16): `certify` checks the subject of a decision and every party the rule
requires (domain/certificates.py) with the eligibility rule and the statements of `eligibility`/`screen`
(@entity_bindings, @person_bindings), and stores the answers as an immutable (:Certificate)-[:CHECKED]->
(:CheckedParty) chain link — all in one write transaction that locks the chain head first. `verify`
recomputes a stored certificate's hash from its stored parts and its link to the one before."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from graph_api.domain import certificates as rules
from graph_api.domain.actor import Actor
from graph_api.domain.clock import today
from graph_api.domain.ownership import Holding, controllers_of
from graph_api.domain.permissions import record_params
from graph_api.domain.subjects import Subject
from graph_api.domain.vocabulary import SCENARIOS
from graph_api.errors import BadUserInput, NotFound
from graph_api.services.inputs import one_of
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import CertificateGetRow
from graph_api.store.values import native

ISSUERS = ("OFFICER", "SANCTIONS")
MAX_TEXT = 500


@dataclass(frozen=True)
class CertifyRequest:
    scenario: str
    subject: Subject
    purpose: str
    as_of: dt.date | None = None  # today when None
    decision: str | None = None  # the decision it serves (a file number), to find it again


@dataclass(frozen=True)
class Certificate:
    """A stored certificate, as read back: its document (domain/certificates.document) and chain link."""

    document: dict[str, Any]
    prev_hash: str
    hash: str
    previous_hash: str | None  # the stored hash of the certificate before it; None for the first

    @property
    def problem(self) -> str | None:
        return rules.verify(self.document, self.hash, self.prev_hash, self.previous_hash)


def _text(value: str | None, name: str, required: bool) -> str | None:
    text = (value or "").strip()
    if required and not text:
        raise BadUserInput(f"a certificate needs a {name}", field=name)
    if len(text) > MAX_TEXT:
        raise BadUserInput(f"{name} has more than {MAX_TEXT} characters", field=name)
    return text or None


async def _parties(tx: Tx, subject: Subject, as_of: dt.date) -> tuple[list[rules.Party], list[rules.Gap]]:
    row = await tx.single(queries.certificate_ties, asOf=as_of, **subject.params("subject"))
    if row["person"] is not None:
        p = row["person"]
        return rules.required_parties(
            rules.Party(rules.PERSON, p["idHash"], p["name"], (rules.SUBJECT,)), [], None, False
        )
    entity = row["entity"]
    if entity is None:
        raise NotFound("no such subject in the graph")
    ties = [rules.Tie(t["kind"], t["key"], t["name"], t["relation"], t["ratio"]) for t in row["ties"]]
    up = await tx.single(queries.ownership_upstream, uscc=entity["uscc"], asOf=as_of)
    edges = native(up["edges"])
    holdings = [Holding(e["holder"], e["entity"], e["ratio"], e["since"], e["until"]) for e in edges]
    persons = {e["holder"] for e in edges if e["holderKind"] == "PERSON"}
    names = {e["holder"]: e["holderName"] for e in edges}
    answer = controllers_of(entity["uscc"], holdings, persons, set(up["reached"]), 1.0)
    inferred = None
    if answer.inferred is not None:
        kind = rules.PERSON if answer.inferred in persons else rules.ENTITY
        inferred = rules.Party(kind, answer.inferred, names.get(answer.inferred, ""), (rules.INFERRED_CONTROLLER,))
    subject_party = rules.Party(rules.ENTITY, entity["uscc"], entity["name"], (rules.SUBJECT,))
    return rules.required_parties(subject_party, ties, inferred, answer.truncated)


async def _checks(tx: Tx, parties: list[rules.Party], scenario: str, as_of: dt.date) -> list[rules.Check]:
    """Every party checked in two round trips, by the statements `screen` answers with."""
    seen = record_params(tx.actor, today())
    entities = [p.key for p in parties if p.kind == rules.ENTITY and p.key]
    persons = [p.key for p in parties if p.kind == rules.PERSON and p.key]
    rows: dict[str, list[Any]] = {}
    for r in await tx.run(queries.screen_entities, keys=entities, asOf=as_of, **seen):
        rows[r["key"]] = list(r["bindings"])
    for q in await tx.run(queries.screen_persons, keys=persons, asOf=as_of, **seen):
        rows[q["key"]] = list(q["bindings"])
    return [rules.check(p, rows.get(p.key or "", []), scenario) for p in parties]


async def certify(store: Store, actor: Actor, r: CertifyRequest, trail: Trail = NO_TRAIL) -> Certificate:
    """Check the subject and every required party as of the day, and store the certificate."""
    actor.require(*ISSUERS)
    one_of(r.scenario, SCENARIOS, "scenario")
    purpose = _text(r.purpose, "purpose", required=True)
    decision = _text(r.decision, "decision", required=False)
    as_of = r.as_of or today()

    async def work(tx: Tx) -> Certificate:
        head = await tx.single(queries.certificate_lock_head, genesis=rules.GENESIS)
        parties, gaps = await _parties(tx, r.subject, as_of)
        checks = await _checks(tx, parties, r.scenario, as_of)
        subject = parties[0]
        certificate_id = uuid.uuid4().hex
        fields = {
            "id": certificate_id,
            "seq": head["seq"] + 1,
            "decision": decision,
            "scenario": r.scenario,
            "asOf": as_of.isoformat(),
            "purpose": purpose,
            "subjectKind": subject.kind,
            "subjectKey": subject.key,
            "subjectName": subject.name,
            "issuedAt": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            "issuedBy": actor.user,
            "department": actor.department,
        }
        parts = [rules.part(i, c) for i, c in enumerate(checks)]
        gap_maps = [rules.gap(g) for g in gaps]
        document = rules.document(fields, parts, gap_maps)
        digest = rules.chain_hash(head["hash"], document)
        created = await tx.single(
            queries.certificate_create,
            certificate={
                **fields,
                "gaps": json.dumps(gap_maps, ensure_ascii=False),
                "prevHash": head["hash"],
                "hash": digest,
            },
            parts=[
                {**p, "grounds": json.dumps(p["grounds"]), "reasons": json.dumps(p["reasons"], ensure_ascii=False)}
                for p in parts
            ],
        )
        refused = sum(1 for c in checks if not c.allowed)
        tx.changed(
            created["nodeId"],
            "Certificate",
            certificate_id,
            subject.key,
            f"certified {len(checks)} checks for {r.scenario}: {refused} refused, {len(gaps)} gaps",
            None,
            {"hash": digest, "decision": decision},
        )
        return Certificate(document, head["hash"], digest, None if head["seq"] == 0 else head["hash"])

    return await write(store, actor, "certifyChecks", work, trail)


def stored(row: CertificateGetRow) -> Certificate:
    """A certificate as stored (a `certificate_get` row), its document rebuilt from the stored parts."""
    c = row["certificate"]
    parts = [{**p, "grounds": json.loads(p["grounds"]), "reasons": json.loads(p["reasons"])} for p in row["parts"]]
    document = rules.document(c, parts, json.loads(c.get("gaps") or "[]"))
    return Certificate(document, c.get("prevHash") or "", c.get("hash") or "", row["previousHash"])
