"""GraphQL object types of the credit graph, built from the maps the repository statements return."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

import strawberry

from graph_api.api.graphql.enums import (
    Disclosure,
    IdType,
    ListCode,
    ListingStatus,
    Polarity,
    RecordCategory,
    RecordStatus,
    RoleType,
    Severity,
)
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.global_id import DEPARTMENT, LISTING, MEASURE, RECORD, Node
from graph_api.api.graphql.identity import id_number_field
from graph_api.api.graphql.masking import PersonName
from graph_api.api.graphql.scalars import USCC
from graph_api.domain.clock import today
from graph_api.domain.permissions import PUBLICATION_ENDED


def _date(value: Any) -> dt.date | None:
    """A date of a row (the driver's neo4j.time.Date, or None) as a Python date."""
    native: dt.date | None = value.to_native() if hasattr(value, "to_native") else value
    return native


def _day(value: Any) -> dt.date:
    """A date every row of its statement has (a role's since): missing, the statement is broken."""
    day = _date(value)
    if day is None:
        raise ValueError("a row lacks a date its statement always returns")
    return day


@strawberry.type(description="A supervising department (认定部门) — who decided.")
class Department(Node):
    node_kind: ClassVar[str] = DEPARTMENT
    code: str
    name: str
    region: str = strawberry.field(description="6-digit administrative division code.")

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> Department:
        return cls(code=m["code"], name=m["name"], region=m["region"])

    def node_key(self) -> str:
        return self.code


@strawberry.type(
    description="A natural person as a reader sees them: the identity number masked (in clear only for "
    "investigators and sanctions officers, in idNumber)."
)
class PersonSummary:
    name: str = strawberry.field(description="Masked for the public (陈*).", extensions=[PersonName()])
    id_number_masked: str = strawberry.field(description="Identity number with the middle digits hidden.")
    id_number: str | None = id_number_field()
    id_type: IdType
    id_cipher: strawberry.Private[str]

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> PersonSummary:
        return cls(name=m["name"], id_number_masked=m["idMasked"], id_type=IdType(m["idType"]), id_cipher=m["idCipher"])


@strawberry.type(description="A market entity named by its code, as the end of a relationship.")
class EntityRef:
    uscc: USCC
    name: str

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> EntityRef:
        return cls(uscc=m["uscc"], name=m["name"])


@strawberry.type(description="A person's role at an entity over a period (since inclusive, until exclusive).")
class Role:
    role: RoleType
    since: dt.date
    until: dt.date | None
    person: PersonSummary

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> Role:
        return cls(
            role=RoleType(m["role"]),
            since=_day(m["since"]),
            until=_date(m["until"]),
            person=PersonSummary.from_map(m["person"]),
        )


@strawberry.type(
    description="A shareholding (股东持股): ratio 0..1 over a period. The holder is an entity or a person."
)
class Holding:
    ratio: float
    since: dt.date
    until: dt.date | None
    entity: EntityRef | None = strawberry.field(description="The entity on the other side, when it is an entity.")
    person: PersonSummary | None = strawberry.field(description="The holder, when a person holds the shares.")

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> Holding:
        return cls(
            ratio=m["ratio"],
            since=_day(m["since"]),
            until=_date(m["until"]),
            entity=EntityRef.from_map(m["entity"]) if m.get("entity") else None,
            person=PersonSummary.from_map(m["person"]) if m.get("person") else None,
        )


@strawberry.type(description="A credit record (信用记录): one decision or fact about a subject, from one department.")
class CreditRecord(Node):
    node_kind: ClassVar[str] = RECORD
    record_id: str = strawberry.field(
        description="The record's own id, as it was recorded (what publishRecord, a listing's basis and a "
        "target take); `id` is its global id."
    )
    category: RecordCategory
    polarity: Polarity
    severity: Severity | None
    decision_no: str | None
    decided_on: dt.date
    published_on: dt.date | None
    summary: str | None
    disclosure: Disclosure
    status: RecordStatus
    department: Department
    publish_due_on: dt.date | None = strawberry.field(
        default=None, description="Day by which the decision must be published: 7 working days (official calendar)."
    )
    publication_ended_on: dt.date | None = strawberry.field(
        default=None, description="Publication stopped from this day (credit repair, revocation)."
    )
    public_until: dt.date | None = strawberry.field(
        default=None,
        description="First day the record is no longer published: the end of the maximum publicity period "
        "counted from publication, or the day publication ended if earlier. Null while "
        "unpublished or when no period limits it.",
    )

    @field(
        description="Whether the public sees this record as of a day (default today): disclosure PUBLIC, "
        "published on or before the day, before `publicUntil`, not revoked or corrected."
    )
    def is_public(self, as_of: dt.date | None = None) -> bool:
        day = as_of or today()
        return (
            self.disclosure.value == "PUBLIC"
            and self.status.value not in PUBLICATION_ENDED
            and self.published_on is not None
            and self.published_on <= day
            and (self.public_until is None or day < self.public_until)
        )

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> CreditRecord:
        ends = [d for d in (_date(m.get("publicMaxUntil")), _date(m.get("publicationEndedOn"))) if d is not None]
        return cls(
            record_id=m["id"],
            category=RecordCategory(m["category"]),
            polarity=Polarity(m["polarity"]),
            severity=Severity(m["severity"]) if m["severity"] else None,
            decision_no=m["decisionNo"],
            decided_on=_day(m["decidedOn"]),
            published_on=_date(m["publishedOn"]),
            summary=m["summary"],
            disclosure=Disclosure(m["disclosure"]),
            status=RecordStatus(m["status"]),
            department=Department.from_map(m["department"]),
            publish_due_on=_date(m.get("publishDueOn")),
            publication_ended_on=_date(m.get("publicationEndedOn")),
            public_until=min(ends) if m.get("publishedOn") is not None and ends else None,
        )

    def node_key(self) -> str:
        return self.record_id


@strawberry.type(description="A joint reward or punishment measure (联合奖惩措施) from the catalogue.")
class Measure(Node):
    node_kind: ClassVar[str] = MEASURE
    code: str
    name: str
    name_zh: str
    kind: str
    binds: str = strawberry.field(description="ENTITY, PERSONS (the responsible persons) or BOTH.")
    scenarios: list[str] = strawberry.field(description="The eligibility scenarios (应查必查) this measure decides.")

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> Measure:
        return cls(
            code=m["code"],
            name=m["name"],
            name_zh=m["nameZh"],
            kind=m["kind"],
            binds=m["binds"],
            scenarios=list(m.get("scenarios") or []),
        )

    def node_key(self) -> str:
        return self.code


@strawberry.type(description="A subject put on a list by a department, on the basis of records.")
class Listing(Node):
    node_kind: ClassVar[str] = LISTING
    listing_id: str = strawberry.field(
        description="The listing's own id, as it was recorded (what delist, listingImpact and a target take); "
        "`id` is its global id."
    )
    list: ListCode
    since: dt.date
    until: dt.date | None
    status: ListingStatus
    department: Department
    # builtins.list: the field `list` above shadows the builtin in this class body
    basis: builtins.list[str] = strawberry.field(
        description="Ids of the records the listing rests on that the reader may see (the records' own rule: "
        "disclosure, department, and for the public publication)."
    )
    undisclosed_basis: int = strawberry.field(
        description="How many records of the basis the reader may not see: they are not named, only counted, "
        "so that the listing is explained truthfully."
    )
    measures: builtins.list[Measure]

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> Listing:
        return cls(
            listing_id=m["id"],
            list=ListCode(m["list"]),
            since=_day(m["since"]),
            until=_date(m["until"]),
            status=ListingStatus(m["status"]),
            department=Department.from_map(m["department"]),
            basis=list(m["basis"]),
            undisclosed_basis=m["undisclosedBasis"],
            measures=[Measure.from_map(x) for x in m["measures"]],
        )

    def node_key(self) -> str:
        return self.listing_id


@strawberry.type(description="A person's role at an entity over a period.")
class PersonRole:
    role: RoleType
    since: dt.date
    until: dt.date | None
    entity: EntityRef

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> PersonRole:
        return cls(
            role=RoleType(m["role"]),
            since=_day(m["since"]),
            until=_date(m["until"]),
            entity=EntityRef.from_map(m["entity"]),
        )
