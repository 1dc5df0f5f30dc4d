"""GraphQL object types of the credit graph, built from the maps the repository statements return."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar

import strawberry

from graph_api.api.graphql.codes import MeasureBinds, MeasureKind
from graph_api.api.graphql.enums import (
    Disclosure,
    IdType,
    ListCode,
    ListingStatus,
    Polarity,
    RecordCategory,
    RecordStatus,
    RoleType,
    Scenario,
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
    code: str = strawberry.field(
        description="The department's code (e.g. SCJG), as every `department` argument takes it."
    )
    name: str = strawberry.field(description="The department's name (Chinese).")
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
    id_type: IdType = strawberry.field(description="The kind of identity document the number is of.")
    id_cipher: strawberry.Private[str]

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> PersonSummary:
        return cls(name=m["name"], id_number_masked=m["idMasked"], id_type=IdType(m["idType"]), id_cipher=m["idCipher"])


@strawberry.type(description="A market entity named by its code, as the end of a relationship.")
class EntityRef:
    uscc: USCC = strawberry.field(description="The entity's unified social credit code.")
    name: str = strawberry.field(description="The entity's registered name.")

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> EntityRef:
        return cls(uscc=m["uscc"], name=m["name"])


@strawberry.type(description="A credit record (信用记录): one decision or fact about a subject, from one department.")
class CreditRecord(Node):
    node_kind: ClassVar[str] = RECORD
    record_id: str = strawberry.field(
        description="The record's own id, as it was recorded (what publishRecord, a listing's basis and a "
        "target take); `id` is its global id."
    )
    category: RecordCategory = strawberry.field(description="What kind of decision or fact it is.")
    polarity: Polarity = strawberry.field(description="Whether it counts against or for its subject.")
    severity: Severity | None = strawberry.field(
        description="How serious a negative record is; null for positive and neutral records."
    )
    decision_no: str | None = strawberry.field(
        description="The number of the decision document (决定书文号); null if none was given."
    )
    decided_on: dt.date = strawberry.field(description="The day of the decision.")
    published_on: dt.date | None = strawberry.field(
        description="The day it was published (公示); null while unpublished."
    )
    summary: str | None = strawberry.field(
        description="What was decided, in the department's words; null if none was given."
    )
    disclosure: Disclosure = strawberry.field(
        description="Who may see it: the public, member departments, or the deciding department only."
    )
    status: RecordStatus = strawberry.field(
        description="Whether it is in force, or repaired, corrected, revoked or expired."
    )
    department: Department = strawberry.field(description="The department that decided it (认定部门).")
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
    code: str = strawberry.field(description="The measure's code in the catalogue (e.g. RESTRICT_BIDDING).")
    name: str = strawberry.field(description="The measure's name in English.")
    name_zh: str = strawberry.field(description="The measure's name in Chinese, as the documents name it.")
    kind: str = strawberry.field(graphql_type=MeasureKind, description="What kind of measure it is.")
    binds: str = strawberry.field(
        graphql_type=MeasureBinds, description="Whom it binds when the listed subject is an entity."
    )
    scenarios: list[str] = strawberry.field(
        graphql_type=list[Scenario], description="The eligibility scenarios (应查必查) this measure decides."
    )

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
    list: ListCode = strawberry.field(description="Which list.")
    since: dt.date = strawberry.field(description="First day the subject is on the list.")
    until: dt.date | None = strawberry.field(
        description="Planned first day off the list; null for open-ended. An ended listing keeps it, `status` tells."
    )
    status: ListingStatus = strawberry.field(description="In force, or how it ended.")
    department: Department = strawberry.field(description="The department that listed the subject.")
    # builtins.list: the field `list` above shadows the builtin in this class body
    basis: builtins.list[str] = strawberry.field(
        description="Ids of the records the listing rests on that the reader may see (the records' own rule: "
        "disclosure, department, and for the public publication)."
    )
    undisclosed_basis: int = strawberry.field(
        description="How many records of the basis the reader may not see: they are not named, only counted, "
        "so that the listing is explained truthfully."
    )
    measures: builtins.list[Measure] = strawberry.field(
        description="The measures the list applies (from the catalogue), whom each binds."
    )

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
    role: RoleType = strawberry.field(description="The role held.")
    since: dt.date = strawberry.field(description="First day the role is held.")
    until: dt.date | None = strawberry.field(description="First day it is no longer held; null while it still is.")
    entity: EntityRef = strawberry.field(description="Where the role is held.")

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> PersonRole:
        return cls(
            role=RoleType(m["role"]),
            since=_day(m["since"]),
            until=_date(m["until"]),
            entity=EntityRef.from_map(m["entity"]),
        )
