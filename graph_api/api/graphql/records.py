"""Filters and order of credit records, and an entity's commitments. Which records a reader sees is the
permission table's (domain/permissions.py, record_visibility; importable from here too)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry

from graph_api.api.graphql.connections import OrderDirection
from graph_api.api.graphql.enums import CommitmentState, RecordCategory, RecordStatus, Severity, labelled, values_of
from graph_api.api.graphql.types import Department, EntityRef, _date, _day
from graph_api.domain.permissions import record_visibility


@strawberry.input(description="Filters on credit records; every given one must hold.")
class RecordFilter:
    categories: list[RecordCategory] | None = None
    severities: list[Severity] | None = None
    statuses: list[RecordStatus] | None = None
    decided_from: dt.date | None = None
    decided_to: dt.date | None = None

    def params(self) -> dict[str, Any]:
        return {
            "categories": values_of(self.categories),
            "severities": values_of(self.severities),
            "statuses": values_of(self.statuses),
            "decidedFrom": self.decided_from,
            "decidedTo": self.decided_to,
        }


@labelled
@strawberry.enum(description="What credit records are sorted by.")
class RecordOrderField(Enum):
    DECIDED_ON = "DECIDED_ON"
    PUBLISHED_ON = "PUBLISHED_ON"


@strawberry.input(description="Sort order of credit records (ties by record id).")
class RecordOrder:
    field: RecordOrderField = RecordOrderField.DECIDED_ON
    direction: OrderDirection = OrderDirection.DESC


@strawberry.type(description="A credit commitment (信用承诺) an entity made to a department.")
class Commitment:
    id: str
    type: str = strawberry.field(
        description="APPROVAL_SUBSTITUTION, VOLUNTARY, INDUSTRY_SELF_DISCIPLINE or CREDIT_REPAIR."
    )
    matter: str
    made_on: dt.date
    due_on: dt.date | None
    status: str = strawberry.field(description="As stored now: PENDING, FULFILLED or BREACHED.")
    department: Department
    state: CommitmentState = strawberry.field(
        description="As of the day read (default today): PENDING, OVERDUE (open past its due day), FULFILLED, BREACHED."
    )
    closed_on: dt.date | None = strawberry.field(description="The day it was fulfilled or breached.")
    entity: EntityRef = strawberry.field(description="Who committed.")
    breach_record: str | None = strawberry.field(description="Id of the COMMITMENT_BREACH record a breach created.")

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> Commitment:
        return cls(
            id=m["id"],
            type=m["type"],
            matter=m["matter"],
            made_on=_day(m["madeOn"]),
            due_on=_date(m.get("dueOn")),
            status=m["status"],
            department=Department.from_map(m["department"]),
            state=CommitmentState(m["state"]),
            closed_on=_date(m.get("closedOn")),
            entity=EntityRef.from_map(m["entity"]),
            breach_record=m.get("breachRecord"),
        )


__all__ = ["Commitment", "RecordFilter", "RecordOrder", "RecordOrderField", "record_visibility"]
