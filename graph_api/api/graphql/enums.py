"""Domain enumerations as GraphQL enums. The domain's vocabulary (graph_api.domain.vocabulary, related.py,
paths.py) is the source of truth; each class here spells its members out so the type checker sees them,
and tests/unit/test_graphql_enums.py fails when a class and the domain's values differ."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TypeVar

import strawberry

from graph_api.domain.labels import label

E = TypeVar("E", bound=type[Enum])


def labelled(cls: E) -> E:
    """Above `@strawberry.enum`: each value is described by its Chinese label (domain/labels.py), so the
    schema documents every value; tests/unit/test_labels.py fails on an enum left without."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        value.description = value.description or label(definition.name, str(value.value))
    return cls


def values_of(items: Sequence[Enum] | None) -> list[str] | None:
    """The values of a list argument of enums, as a statement parameter (None for no filter)."""
    return [str(i.value) for i in items] if items else None


@labelled
@strawberry.enum(description="Legal form of a market entity (市场主体类型).")
class EntityForm(Enum):
    COMPANY = "COMPANY"
    PARTNERSHIP = "PARTNERSHIP"
    INDIVIDUAL_BUSINESS = "INDIVIDUAL_BUSINESS"
    FARMERS_COOPERATIVE = "FARMERS_COOPERATIVE"
    SOCIAL_ORGANIZATION = "SOCIAL_ORGANIZATION"
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"
    RURAL_COLLECTIVE = "RURAL_COLLECTIVE"
    OTHER = "OTHER"


@labelled
@strawberry.enum(description="Registration status (登记状态).")
class EntityStatus(Enum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"
    DEREGISTERED = "DEREGISTERED"


@labelled
@strawberry.enum(
    description="A person's role at an entity: 法定代表人, 主要负责人, 实际控制人, 董事, 监事, 高级管理人员."
)
class RoleType(Enum):
    LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"
    PRINCIPAL = "PRINCIPAL"
    ACTUAL_CONTROLLER = "ACTUAL_CONTROLLER"
    DIRECTOR = "DIRECTOR"
    SUPERVISOR = "SUPERVISOR"
    MANAGER = "MANAGER"


@labelled
@strawberry.enum(description="Category of a credit record (信用记录类别).")
class RecordCategory(Enum):
    LICENSE = "LICENSE"
    PENALTY = "PENALTY"
    COERCIVE_MEASURE = "COERCIVE_MEASURE"
    CONFIRMATION = "CONFIRMATION"
    LEVY = "LEVY"
    PAYMENT = "PAYMENT"
    ADJUDICATION = "ADJUDICATION"
    COMPENSATION = "COMPENSATION"
    REWARD = "REWARD"
    INSPECTION = "INSPECTION"
    JUDGMENT_DEFAULT = "JUDGMENT_DEFAULT"
    FALSE_LITIGATION = "FALSE_LITIGATION"
    COMPLAINT = "COMPLAINT"
    COMMITMENT_BREACH = "COMMITMENT_BREACH"
    INTERVIEW = "INTERVIEW"
    HONOR = "HONOR"
    DONATION = "DONATION"
    VOLUNTEER = "VOLUNTEER"
    SELF_DECLARED = "SELF_DECLARED"


@labelled
@strawberry.enum(description="Whether a record counts against (失信) or for (守信) its subject.")
class Polarity(Enum):
    NEGATIVE = "NEGATIVE"
    POSITIVE = "POSITIVE"
    NEUTRAL = "NEUTRAL"


@labelled
@strawberry.enum(description="Severity of a negative record: 轻微, 一般, 严重.")
class Severity(Enum):
    MINOR = "MINOR"
    GENERAL = "GENERAL"
    SERIOUS = "SERIOUS"


@labelled
@strawberry.enum(description="Who may see a record: the public, member departments, or restricted.")
class Disclosure(Enum):
    PUBLIC = "PUBLIC"
    SHARED = "SHARED"
    RESTRICTED = "RESTRICTED"


@labelled
@strawberry.enum(description="Lifecycle status of a record.")
class RecordStatus(Enum):
    ACTIVE = "ACTIVE"
    REPAIRED = "REPAIRED"
    CORRECTED = "CORRECTED"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"


@labelled
@strawberry.enum(description="失信联合惩戒对象名单, 重点关注对象名单, 守信红名单.")
class ListCode(Enum):
    JOINT_PUNISHMENT = "JOINT_PUNISHMENT"
    KEY_ATTENTION = "KEY_ATTENTION"
    RED = "RED"


@labelled
@strawberry.enum(
    description="Lifecycle status of a listing: in force, delisted (移出), ended by credit repair, "
    "withdrawn after an upheld objection."
)
class ListingStatus(Enum):
    ACTIVE = "ACTIVE"
    DELISTED = "DELISTED"
    REPAIRED = "REPAIRED"
    WITHDRAWN = "WITHDRAWN"


@labelled
@strawberry.enum(description="Kind of identity document.")
class IdType(Enum):
    RIC = "RIC"
    PASSPORT = "PASSPORT"
    OTHER = "OTHER"


@labelled
@strawberry.enum(description="What a node of the credit graph is.")
class NodeKind(Enum):
    ENTITY = "ENTITY"
    PERSON = "PERSON"
    LISTING = "LISTING"
    RECORD = "RECORD"
    DEPARTMENT = "DEPARTMENT"
    OBJECTION = "OBJECTION"
    TASK = "TASK"
    COMMITMENT = "COMMITMENT"


@labelled
@strawberry.enum(description="How a listing binds a subject.")
class BindingKind(Enum):
    DIRECT = "DIRECT"
    RESPONSIBLE_PERSON = "RESPONSIBLE_PERSON"


@labelled
@strawberry.enum(description="Why a related entity is flagged (watched, not punished).")
class RelatedReason(Enum):
    OWNED = "OWNED"
    SHARED_RESPONSIBLE_PERSON = "SHARED_RESPONSIBLE_PERSON"
    REAPPEARANCE = "REAPPEARANCE"


@labelled
@strawberry.enum(description="A decision that must check credit first (应查必查).")
class Scenario(Enum):
    BIDDING = "BIDDING"
    FISCAL_FUNDS = "FISCAL_FUNDS"
    TAX_INCENTIVE = "TAX_INCENTIVE"
    STOCK_ISSUANCE = "STOCK_ISSUANCE"
    CREDIT = "CREDIT"
    FAST_TRACK = "FAST_TRACK"
    HONOURS = "HONOURS"
    APPOINTMENT_LEGAL_REP = "APPOINTMENT_LEGAL_REP"
    APPOINTMENT_OFFICER = "APPOINTMENT_OFFICER"


@labelled
@strawberry.enum(
    description="Type of a credit commitment: 告知承诺/容缺 (approval substitution), voluntary, industry "
    "self-discipline, credit repair."
)
class CommitmentType(Enum):
    APPROVAL_SUBSTITUTION = "APPROVAL_SUBSTITUTION"
    VOLUNTARY = "VOLUNTARY"
    INDUSTRY_SELF_DISCIPLINE = "INDUSTRY_SELF_DISCIPLINE"
    CREDIT_REPAIR = "CREDIT_REPAIR"


@labelled
@strawberry.enum(description="A commitment as of a day: open (PENDING), open past its due day (OVERDUE), or closed.")
class CommitmentState(Enum):
    PENDING = "PENDING"
    OVERDUE = "OVERDUE"
    FULFILLED = "FULFILLED"
    BREACHED = "BREACHED"


@labelled
@strawberry.enum(
    description="How a subject repairs its credit: commitment, rectification, verification, training, credit report, "
    "public-interest activity (信用修复方式)."
)
class RepairMethod(Enum):
    COMMITMENT = "COMMITMENT"
    RECTIFICATION = "RECTIFICATION"
    VERIFICATION = "VERIFICATION"
    TRAINING = "TRAINING"
    CREDIT_REPORT = "CREDIT_REPORT"
    PUBLIC_INTEREST = "PUBLIC_INTEREST"


@labelled
@strawberry.enum(description="A repair application: pending, approved or refused.")
class RepairStatus(Enum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REFUSED = "REFUSED"


@labelled
@strawberry.enum(description="An objection (异议): open, upheld or rejected.")
class ObjectionStatus(Enum):
    OPEN = "OPEN"
    UPHELD = "UPHELD"
    REJECTED = "REJECTED"


@labelled
@strawberry.enum(description="What a repair application or an objection is about.")
class TargetKind(Enum):
    RECORD = "RECORD"
    LISTING = "LISTING"
