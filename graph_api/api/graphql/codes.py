"""Closed sets of codes as GraphQL enums, each built from the one place that declares its codes and their
meanings (refusals, error codes, audit kinds, ...), so the schema documents every value and cannot drift.
A field whose Python value is the plain code string declares the enum as its GraphQL type:
`code: str = strawberry.field(graphql_type=RefusalCode, ...)` (strawberry serializes the string by value)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry

from graph_api.domain.disclosure import UNDISCLOSED_CODE, UNDISCLOSED_MESSAGE
from graph_api.domain.grading import rules
from graph_api.domain.labels import label
from graph_api.domain.permissions import ROLES
from graph_api.domain.refusals import REFUSALS
from graph_api.errors import error_codes

# The functional Enum API with computed members; mypy only follows it for literal members.
_make_enum: Any = Enum


def closed_set(
    name: str, description: str, meanings: Mapping[str, str], stored: Mapping[str, str] | None = None
) -> type[Enum]:
    """A GraphQL enum `name` whose values are the codes of `meanings`, each described by its Chinese label
    (domain/labels.py) and its meaning;
    `stored`: the string a value stands for where it is not the code itself."""
    stored = stored or {}
    cls: type[Enum] = _make_enum(name, [(code, stored.get(code, code)) for code in meanings])
    strawberry.enum(cls, description=description)
    for value in cls.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = f"{label(name, value.name)}: {meanings[value.name]}"
    return cls


def _sentence(meaning: str) -> str:
    return meaning[0].upper() + meaning[1:] + ("" if meaning.endswith(".") else ".")


RefusalCode = closed_set(
    "RefusalCode",
    "Why the rules refused an action (graph_api/domain/refusals.py); the importer's rejects file uses the same codes.",
    {code: _sentence(meaning) for code, meaning in REFUSALS.items()},
)

ErrorCode = closed_set(
    "ErrorCode",
    "Every `extensions.code` a GraphQL error of this API carries (not a field of any type: read it from "
    "`errors[].extensions.code`). A refusal by the rules is not an error: it is the typed `Refusal`.",
    error_codes(),
)

AuditKind = closed_set(
    "AuditKind",
    "What an audit entry records.",
    {
        "READ_PERSONAL": "A read of personal data (a person's identity or a person-bearing answer).",
        "CHANGE": "A change made by a mutation.",
    },
)

# The node labels a change is recorded under (services: `tx.changed(node, kind, ...)`), as GraphQL names them;
# tests/unit/test_codes.py finds every label the services pass and fails on one missing here.
CHANGE_KINDS: dict[str, str] = {
    "CERTIFICATE": "Certificate",
    "COMMITMENT": "Commitment",
    "DRAW": "Draw",
    "INDUSTRY_EVALUATION": "IndustryEvaluation",
    "INDUSTRY_SCHEME": "IndustryScheme",
    "INSPECTOR": "Inspector",
    "LISTING": "Listing",
    "OBJECTION": "Objection",
    "RECORD": "Record",
    "RELATIVE_OF": "RelativeOf",
    "REPAIR_APPLICATION": "RepairApplication",
    "TASK": "Task",
    "WATCH": "Watch",
    "WEBHOOK": "Webhook",
    "WEBHOOK_DELIVERY": "WebhookDelivery",
}

ChangeKind = closed_set(
    "ChangeKind",
    "What kind of thing a change changed; `ChangeEntry.key` is its id.",
    {
        "CERTIFICATE": "A 应查必查 certificate (the checks made before a decision).",
        "COMMITMENT": "A credit commitment.",
        "DRAW": "A random inspection draw.",
        "INDUSTRY_EVALUATION": "A department's industry evaluation (行业信用评价) of the entities it supervises.",
        "INDUSTRY_SCHEME": "A department's industry grade scheme (its rules, versioned).",
        "INSPECTOR": "An inspector of a department's roster.",
        "LISTING": "A listing.",
        "OBJECTION": "An objection.",
        "RECORD": "A credit record (a decision, an interview, a commitment breach).",
        "RELATIVE_OF": "Two persons declared relatives (for the inspectors' 回避).",
        "REPAIR_APPLICATION": "A credit repair application.",
        "TASK": "A closed-loop task.",
        "WATCH": "A user's watch of a subject (in its owner's audit entries, not in the subject's change log).",
        "WEBHOOK": "A department's webhook (registered, removed).",
        "WEBHOOK_DELIVERY": "A webhook's delivery of an alert (a DEAD one put back).",
    },
    CHANGE_KINDS,
)

_ROLE_MEANINGS = {
    "PUBLIC": "Anyone without credentials: what is published, persons' names masked.",
    "ENTITY": "A market entity acting for itself (its commitments, objections and repair applications).",
    "OFFICER": "An officer of a department, acting for that department.",
    "INVESTIGATOR": "An investigator: reads identity numbers in clear, stating a purpose.",
    "SANCTIONS": "A sanctions officer: reads identity numbers in clear before a decision, stating a purpose.",
    "ADMIN": "An administrator: reads across departments and the audit trail.",
}
ActorRole = closed_set(
    "ActorRole",
    "The role credentials carry (graph_api/domain/permissions.py: what each may call and see).",
    {role: _ROLE_MEANINGS[role] for role in ROLES},
)

CommitmentStatus = closed_set(
    "CommitmentStatus",
    "A commitment's status as stored (see `CommitmentState` for the status as of a day, with OVERDUE).",
    {
        "PENDING": "Open: neither fulfilled nor breached yet.",
        "FULFILLED": "Closed: the department found it kept.",
        "BREACHED": "Closed: the department found it broken; a COMMITMENT_BREACH record was written.",
    },
)

FiledBy = closed_set(
    "FiledBy",
    "Who filed a repair application or an objection.",
    {
        "SUBJECT": "The market entity itself (its own credentials).",
        "OFFICER_ON_BEHALF": "An officer for a person subject, who has no credentials of its own.",
    },
)

# The measure catalogue (graph_api/data/catalogue.json) names these kinds; tests/unit/test_codes.py keeps the
# two equal.
MeasureKind = closed_set(
    "MeasureKind",
    "What kind of joint reward or punishment measure (联合奖惩措施) a measure is.",
    {
        "ADMINISTRATIVE": "An administrative restriction a department applies in its own decisions.",
        "MARKET": "A market restriction: financing, travel, high consumption.",
        "INDUSTRY": "An industry sanction: notice of criticism, public condemnation.",
        "SUPERVISION": "Closer supervision: more inspections, key supervision.",
        "BAN": "A market or industry ban for a period.",
        "INCENTIVE": "A reward for trustworthy subjects (the red list's incentives).",
    },
)

MeasureBinds = closed_set(
    "MeasureBinds",
    "Whom a measure binds when its listing is of an entity.",
    {
        "ENTITY": "The listed entity only.",
        "PERSONS": "Its responsible persons only (legal representative, principal, actual controller).",
        "BOTH": "The entity and its responsible persons.",
    },
)


def _rule_codes(node: object, found: dict[str, str]) -> dict[str, str]:
    """Every `code` of the grade rules (data/grades.json) with its rule's `message`."""
    if isinstance(node, dict):
        if isinstance(node.get("code"), str) and isinstance(node.get("message"), str):
            found[node["code"]] = _sentence(node["message"])
        for value in node.values():
            _rule_codes(value, found)
    elif isinstance(node, list):
        for value in node:
            _rule_codes(value, found)
    return found


GradeReasonCode = closed_set(
    "GradeReasonCode",
    "Which rule of the grade rules (graph_api/data/grades.json) a fact met, or UNDISCLOSED_RECORD.",
    _rule_codes(rules(), {}) | {UNDISCLOSED_CODE: _sentence(UNDISCLOSED_MESSAGE)},
)

RiskCode = closed_set(
    "RiskCode",
    "What a related-risk warning of an eligibility check is about.",
    {
        "RESPONSIBLE_PERSON_BOUND": "A responsible person of the entity is bound by a listing of another entity "
        "they held a role at.",
    },
)
