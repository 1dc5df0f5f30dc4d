"""The 应查必查 certificate as GraphQL sees it (issue 16): `certifyChecks` issues one (services/certificates.py),
`verifyCertificate` recomputes its hash from what is stored, `certificates` lists those of a decision. The
certificate is printable as its `printable` text (a plain-text page, in the order a reader checks it)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import Scenario
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.inputs import SubjectInput, subject_of
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain.paths import person_key
from graph_api.errors import BadUserInput, NotFound
from graph_api.services import certificates
from graph_api.store.cypher_loader import queries

PAGE = 20
PAGE_LIMIT = 100


@strawberry.input(description="What to certify: a decision's scenario about a subject, as of a day, and why.")
class CertifyInput:
    scenario: Scenario = strawberry.field(description="The decision about to be made.")
    subject: SubjectInput = strawberry.field(description="The entity or person the decision is about.")
    as_of: dt.date | None = strawberry.field(default=None, description="The day of the decision; today when null.")
    purpose: str = strawberry.field(description="Why the checks are made (kept in the certificate; required).")
    decision: str | None = strawberry.field(
        default=None, description="The decision it serves (e.g. a file number): `certificates` lists by it."
    )


@strawberry.type(description="A measure in force on a checked party that decides the scenario.")
class CheckReason:
    measure: str = strawberry.field(description="The measure's code.")
    kind: str = strawberry.field(description="RESTRICTION (refuses) or INCENTIVE (favours).")
    listing: str = strawberry.field(description="The listing that imposes it.")
    list: str = strawberry.field(description="The list of that listing.")
    via: str | None = strawberry.field(description="The listed entity, when the party is bound as its person.")
    role: str | None = strawberry.field(description="The role that binds the party at that entity.")


@strawberry.type(description="One required party, checked, with its answer and reasons.")
class CheckedParty:
    order: int = strawberry.field(description="Its place in the certificate (0: the subject).")
    kind: str = strawberry.field(description="ENTITY or PERSON.")
    key: str = strawberry.field(description="The entity's USCC or the person's opaque key (never an identity number).")
    name: str = strawberry.field(description="Its name.")
    grounds: list[str] = strawberry.field(
        description="Why it had to be checked: SUBJECT, LEGAL_REPRESENTATIVE_OR_PRINCIPAL, DECLARED_CONTROLLER, "
        "INFERRED_CONTROLLER, MAJORITY_HOLDER."
    )
    allowed: bool = strawberry.field(description="The eligibility answer: false when a restriction covers it.")
    reasons: list[CheckReason] = strawberry.field(description="The measures in force that decide the scenario.")


@strawberry.type(description="A required check that could not be made, named: never left out silently.")
class CertificateGap:
    grounds: list[str] = strawberry.field(description="Why the party was required.")
    name: str | None = strawberry.field(description="The party's name, when one is known.")
    reason: str = strawberry.field(description="Why it could not be checked.")


@strawberry.type(description="An 应查必查 certificate: every required party checked, stored, hash-chained.")
class ChecksCertificate:
    id: str = strawberry.field(description="The certificate's id.")
    seq: int = strawberry.field(description="Its place in the chain of certificates.")
    decision: str | None = strawberry.field(description="The decision it serves.")
    scenario: str = strawberry.field(description="The scenario checked.")
    as_of: str = strawberry.field(description="The day the checks are as of (ISO date).")
    purpose: str = strawberry.field(description="Why the checks were made.")
    subject_name: str = strawberry.field(description="The subject's name.")
    issued_at: str = strawberry.field(description="When it was issued (ISO time, UTC).")
    issued_by: str = strawberry.field(description="Who issued it (user).")
    department: str | None = strawberry.field(description="The issuer's department.")
    all_allowed: bool = strawberry.field(description="Every party checked is allowed.")
    complete: bool = strawberry.field(description="No gap: every required party could be checked.")
    parts: list[CheckedParty] = strawberry.field(description="The checks, the subject first.")
    gaps: list[CertificateGap] = strawberry.field(description="The required checks that could not be made.")
    prev_hash: str = strawberry.field(description="The hash of the certificate before it in the chain.")
    hash: str = strawberry.field(description="SHA-256 of its canonical content and prevHash.")
    printable: str = strawberry.field(description="The certificate as plain text, for printing and filing.")


@strawberry.type(description="A certificate's hash recomputed from what is stored.")
class CertificateVerification:
    id: str = strawberry.field(description="The certificate's id.")
    valid: bool = strawberry.field(description="Its stored parts give its hash and it links to the one before.")
    reason: str | None = strawberry.field(description="Why it is invalid; null when valid.")


@strawberry.type(description="A page of the certificates of a decision, oldest first.")
class CertificatePage:
    items: list[ChecksCertificate] = strawberry.field(description="The certificates.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")
    has_next_page: bool = strawberry.field(description="Whether more follow.")


CertifyResult = Annotated[
    ChecksCertificate | Refusal, strawberry.union("CertifyResult", description=refused("ChecksCertificate"))
]


def _key(kind: str, key: str) -> str:
    return person_key(key) if kind == "PERSON" else key


def _printable(d: dict[str, Any], valid_hash: str) -> str:
    lines = [
        f"应查必查 certificate {d['id']} (no. {d['seq']})",
        f"decision: {d['decision'] or '-'}   scenario: {d['scenario']}   as of: {d['asOf']}",
        f"subject: {d['subjectName']} ({_key(d['subjectKind'], d['subjectKey'])})   purpose: {d['purpose']}",
        f"issued {d['issuedAt']} by {d['issuedBy']} ({d['department'] or '-'})",
        "checks:",
    ]
    for p in d["parts"]:
        answer = "allowed" if p["allowed"] else "REFUSED"
        why = "; ".join(f"{r['measure']} by {r['listing']}" for r in p["reasons"]) or "no measure decides it"
        lines.append(f"  {p['order']}. {p['name']} ({'/'.join(p['grounds'])}): {answer} - {why}")
    lines.append("gaps:" if d["gaps"] else "gaps: none")
    lines.extend(f"  - {g['reason']}" for g in d["gaps"])
    lines.append(f"hash {valid_hash}")
    return "\n".join(lines)


def certificate_type(c: certificates.Certificate) -> ChecksCertificate:
    d = c.document
    parts = [
        CheckedParty(
            order=p["order"],
            kind=p["kind"],
            key=_key(p["kind"], p["key"]),
            name=p["name"],
            grounds=list(p["grounds"]),
            allowed=p["allowed"],
            reasons=[CheckReason(**r) for r in p["reasons"]],
        )
        for p in d["parts"]
    ]
    return ChecksCertificate(
        id=d["id"],
        seq=d["seq"],
        decision=d["decision"],
        scenario=d["scenario"],
        as_of=d["asOf"],
        purpose=d["purpose"],
        subject_name=d["subjectName"],
        issued_at=d["issuedAt"],
        issued_by=d["issuedBy"],
        department=d["department"],
        all_allowed=all(p.allowed for p in parts),
        complete=not d["gaps"],
        parts=parts,
        gaps=[CertificateGap(grounds=list(g["grounds"]), name=g["name"], reason=g["reason"]) for g in d["gaps"]],
        prev_hash=c.prev_hash,
        hash=c.hash,
        printable=_printable(d, c.hash),
    )


@strawberry.type
class CertificateMutations:
    @mutation(
        description="Issue an 应查必查 certificate: check the subject and every party the rule requires (for an "
        "entity its legal representative or principal, actual controllers declared and inferred, majority "
        "holders) as of the day, each with its answer and reasons, a party that cannot be checked named as a "
        "gap; stored, immutable, hash-chained."
    )
    async def certify_checks(
        self,
        info: Info[Context, None],
        input: Annotated[CertifyInput, strawberry.argument(description="What to certify.")],
    ) -> CertifyResult:
        request = certificates.CertifyRequest(
            scenario=input.scenario.value,
            subject=subject_of(info, input.subject),
            purpose=input.purpose,
            as_of=input.as_of,
            decision=input.decision,
        )
        return await run(info, certificates.certify, request, certificate_type)


@strawberry.type
class CertificateQueries:
    @field(description="Recompute a certificate's hash from its stored parts and its link to the one before.")
    async def verify_certificate(
        self, info: Info[Context, None], id: Annotated[str, strawberry.argument(description="The certificate's id.")]
    ) -> CertificateVerification:
        rows = await info.context.read(queries.certificate_get, id=id)
        if not rows:
            raise NotFound("no such certificate", id=id)
        problem = certificates.stored(rows[0]).problem
        return CertificateVerification(id=id, valid=problem is None, reason=problem)

    @field(description="The certificates issued for a decision, oldest first.")
    async def certificates(
        self,
        info: Info[Context, None],
        decision: Annotated[str, strawberry.argument(description="The decision (as given to certifyChecks).")],
        first: int = PAGE,
        after: str | None = None,
    ) -> CertificatePage:
        if not 1 <= first <= PAGE_LIMIT:
            raise BadUserInput(f"first must be 1 to {PAGE_LIMIT}", field="first")
        if after is not None and not after.isdigit():
            raise BadUserInput("after must be an endCursor of this list", field="after")
        rows = await info.context.read(
            queries.certificates_of_decision, decision=decision, afterSeq=int(after or 0), limit=first + 1
        )
        items = [certificate_type(certificates.stored(r)) for r in rows[:first]]
        return CertificatePage(
            items=items, end_cursor=str(items[-1].seq) if items else None, has_next_page=len(rows) > first
        )
