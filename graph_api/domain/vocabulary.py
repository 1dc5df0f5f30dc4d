"""The vocabulary of the credit domain (docs/domain-rules.md, docs/interchange/FORMAT.md): enumerations and
the rules that follow from them alone."""

from __future__ import annotations

from typing import Literal, get_args

# Each closed set is a Literal type (for the interchange models and the type checker) and the tuple
# of its values (for iteration and the GraphQL enums), the tuple derived from the type.

Form = Literal[
    "COMPANY",
    "PARTNERSHIP",
    "INDIVIDUAL_BUSINESS",
    "FARMERS_COOPERATIVE",
    "SOCIAL_ORGANIZATION",
    "PUBLIC_INSTITUTION",
    "RURAL_COLLECTIVE",
    "OTHER",
]
FORMS: tuple[Form, ...] = get_args(Form)
EntityStatus = Literal["ACTIVE", "SUSPENDED", "REVOKED", "DEREGISTERED"]
ENTITY_STATUSES: tuple[EntityStatus, ...] = get_args(EntityStatus)
IdType = Literal["RIC", "PASSPORT", "OTHER"]
ID_TYPES: tuple[IdType, ...] = get_args(IdType)
Role = Literal["LEGAL_REPRESENTATIVE", "PRINCIPAL", "ACTUAL_CONTROLLER", "DIRECTOR", "SUPERVISOR", "MANAGER"]
ROLES: tuple[Role, ...] = get_args(Role)
# Who is personally bound by a joint-punishment listing of an entity they stood for (docs/domain-rules.md, Linkage 1).
RESPONSIBLE_ROLES = ("LEGAL_REPRESENTATIVE", "PRINCIPAL", "ACTUAL_CONTROLLER")
Category = Literal[
    "LICENSE",
    "PENALTY",
    "COERCIVE_MEASURE",
    "CONFIRMATION",
    "LEVY",
    "PAYMENT",
    "ADJUDICATION",
    "COMPENSATION",
    "REWARD",
    "INSPECTION",
    "JUDGMENT_DEFAULT",
    "FALSE_LITIGATION",
    "COMPLAINT",
    "COMMITMENT_BREACH",
    "INTERVIEW",
    "HONOR",
    "DONATION",
    "VOLUNTEER",
    "SELF_DECLARED",
]
CATEGORIES: tuple[Category, ...] = get_args(Category)
NEGATIVE_CATEGORIES = frozenset(
    {
        "PENALTY",
        "COERCIVE_MEASURE",
        "JUDGMENT_DEFAULT",
        "FALSE_LITIGATION",
        "COMPLAINT",
        "COMMITMENT_BREACH",
        "INTERVIEW",
    }
)
POSITIVE_CATEGORIES = frozenset({"REWARD", "HONOR", "DONATION", "VOLUNTEER"})
Severity = Literal["MINOR", "GENERAL", "SERIOUS"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
Disclosure = Literal["PUBLIC", "SHARED", "RESTRICTED"]
DISCLOSURES: tuple[Disclosure, ...] = get_args(Disclosure)
RECORD_STATUSES = ("ACTIVE", "REPAIRED", "CORRECTED", "REVOKED", "EXPIRED")
ListCode = Literal["JOINT_PUNISHMENT", "KEY_ATTENTION", "RED"]
LISTS: tuple[ListCode, ...] = get_args(ListCode)
LISTING_STATUSES = ("ACTIVE", "DELISTED", "REPAIRED", "WITHDRAWN")
PUNISHMENT_LISTS = frozenset({"JOINT_PUNISHMENT", "KEY_ATTENTION"})
CommitmentType = Literal["APPROVAL_SUBSTITUTION", "VOLUNTARY", "INDUSTRY_SELF_DISCIPLINE", "CREDIT_REPAIR"]
COMMITMENT_TYPES: tuple[CommitmentType, ...] = get_args(CommitmentType)
CommitmentStatus = Literal["PENDING", "FULFILLED", "BREACHED"]
COMMITMENT_STATUSES: tuple[CommitmentStatus, ...] = get_args(CommitmentStatus)
# Ways of credit repair (信用修复, `001…` 十三.1) and the lifecycles of repair applications and objections.
REPAIR_METHODS = ("COMMITMENT", "RECTIFICATION", "VERIFICATION", "TRAINING", "CREDIT_REPORT", "PUBLIC_INTEREST")
REPAIR_STATUSES = ("PENDING", "APPROVED", "REFUSED")
OBJECTION_STATUSES = ("OPEN", "UPHELD", "REJECTED")
# Decisions that must check credit first (应查必查); the catalogue's measures name the ones they decide.
SCENARIOS = (
    "BIDDING",
    "FISCAL_FUNDS",
    "TAX_INCENTIVE",
    "STOCK_ISSUANCE",
    "CREDIT",
    "FAST_TRACK",
    "HONOURS",
    "APPOINTMENT_LEGAL_REP",
    "APPOINTMENT_OFFICER",
)


def polarity_of(category: str) -> str:
    if category in NEGATIVE_CATEGORIES:
        return "NEGATIVE"
    if category in POSITIVE_CATEGORIES:
        return "POSITIVE"
    return "NEUTRAL"
