"""Filters and order of credit records, and an entity's commitments. Which records a reader sees is the
permission table's (domain/permissions.py, record_visibility; importable from here too)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry

from graph_api.api.graphql.codes import CommitmentStatus
from graph_api.api.graphql.connections import OrderDirection
from graph_api.api.graphql.enums import (
    CommitmentState,
    CommitmentType,
    RecordCategory,
    RecordStatus,
    Severity,
    labelled,
    values_of,
)
from graph_api.api.graphql.types import Department, EntityRef, _date, _day
from graph_api.domain.permissions import record_visibility


@strawberry.input(description="Filters on credit records; every given one must hold.")
class RecordFilter:
    categories: list[RecordCategory] | None = strawberry.field(
        default=None, description="Only records of one of these categories."
    )
    severities: list[Severity] | None = strawberry.field(
        default=None, description="Only records of one of these severities."
    )
    statuses: list[RecordStatus] | None = strawberry.field(
        default=None, description="Only records in one of these statuses."
    )
    decided_from: dt.date | None = strawberry.field(
        default=None, description="Only records decided on or after this day."
    )
    decided_to: dt.date | None = strawberry.field(
        default=None, description="Only records decided on or before this day."
    )

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
    field: RecordOrderField = strawberry.field(
        default=RecordOrderField.DECIDED_ON, description="What the records are sorted by."
    )
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="Ascending or descending.")


@strawberry.type(description="A credit commitment (信用承诺) an entity made to a department.")
class Commitment:
    id: str = strawberry.field(description="The commitment's id.")
    type: str = strawberry.field(graphql_type=CommitmentType, description="What kind of commitment.")
    matter: str = strawberry.field(description="What was committed to, in the department's words.")
    made_on: dt.date = strawberry.field(description="The day it was made.")
    due_on: dt.date | None = strawberry.field(description="The day by which it must be fulfilled; null for no due day.")
    status: str = strawberry.field(
        graphql_type=CommitmentStatus, description="As stored now (see `state` for the status as of a day)."
    )
    department: Department = strawberry.field(
        description="The department it was made to, which decides whether it was kept."
    )
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
