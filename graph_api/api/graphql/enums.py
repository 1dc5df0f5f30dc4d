"""Domain enumerations as GraphQL enums (generated from graph_api.domain, the one vocabulary)."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph_api.domain import vocabulary as domain


def _enum(name: str, values: tuple[str, ...], description: str) -> type[Enum]:
    return strawberry.enum(Enum(name, {v: v for v in values}), description=description)  # type: ignore[return-value]


EntityForm = _enum("EntityForm", domain.FORMS, "Legal form of a market entity (市场主体类型).")
EntityStatus = _enum("EntityStatus", domain.ENTITY_STATUSES, "Registration status (登记状态).")
RoleType = _enum(
    "RoleType",
    domain.ROLES,
    "A person's role at an entity: 法定代表人, 主要负责人, 实际控制人, 董事, 监事, 高级管理人员.",
)
RecordCategory = _enum("RecordCategory", domain.CATEGORIES, "Category of a credit record (信用记录类别).")
Polarity = _enum(
    "Polarity", ("NEGATIVE", "POSITIVE", "NEUTRAL"), "Whether a record counts against (失信) or for (守信) its subject."
)
Severity = _enum("Severity", domain.SEVERITIES, "Severity of a negative record: 轻微, 一般, 严重.")
Disclosure = _enum(
    "Disclosure", domain.DISCLOSURES, "Who may see a record: the public, member departments, or restricted."
)
RecordStatus = _enum("RecordStatus", domain.RECORD_STATUSES, "Lifecycle status of a record.")
ListCode = _enum("ListCode", domain.LISTS, "失信联合惩戒对象名单, 重点关注对象名单, 守信红名单.")
ListingStatus = _enum(
    "ListingStatus",
    domain.LISTING_STATUSES,
    "Lifecycle status of a listing: in force, delisted (移出), ended by credit repair, withdrawn after an upheld objection.",
)
IdType = _enum("IdType", domain.ID_TYPES, "Kind of identity document.")
NodeKind = _enum(
    "NodeKind", ("ENTITY", "PERSON", "LISTING", "RECORD", "DEPARTMENT"), "What a node of the credit graph is."
)
BindingKind = _enum("BindingKind", ("DIRECT", "RESPONSIBLE_PERSON"), "How a listing binds a subject.")
RelatedReason = _enum(
    "RelatedReason",
    ("OWNED", "SHARED_RESPONSIBLE_PERSON", "REAPPEARANCE"),
    "Why a related entity is flagged (watched, not punished).",
)
Scenario = _enum("Scenario", domain.SCENARIOS, "A decision that must check credit first (应查必查).")
CommitmentType = _enum(
    "CommitmentType",
    domain.COMMITMENT_TYPES,
    "Type of a credit commitment: 告知承诺/容缺 (approval substitution), voluntary, industry "
    "self-discipline, credit repair.",
)
CommitmentState = _enum(
    "CommitmentState",
    ("PENDING", "OVERDUE", "FULFILLED", "BREACHED"),
    "A commitment as of a day: open (PENDING), open past its due day (OVERDUE), or closed.",
)
RepairMethod = _enum(
    "RepairMethod",
    domain.REPAIR_METHODS,
    "How a subject repairs its credit: commitment, rectification, verification, training, credit report, "
    "public-interest activity (信用修复方式).",
)
RepairStatus = _enum("RepairStatus", domain.REPAIR_STATUSES, "A repair application: pending, approved or refused.")
ObjectionStatus = _enum("ObjectionStatus", domain.OBJECTION_STATUSES, "An objection (异议): open, upheld or rejected.")
TargetKind = _enum("TargetKind", ("RECORD", "LISTING"), "What a repair application or an objection is about.")
