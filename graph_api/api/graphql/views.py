"""The entity and person views: the party itself, and every list hanging off it as a cursor connection
with filters and sort order, paged in the request's batch (pages.cypher)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any, ClassVar

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.connections import Connection, OrderDirection, paged
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import (
    EntityForm,
    EntityStatus,
    IdType,
    ListCode,
    ListingStatus,
    RoleType,
    labelled,
    values_of,
)
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.global_id import ENTITY, PERSON, Node
from graph_api.api.graphql.grades import Grade, load_grade
from graph_api.api.graphql.identity import id_number_field
from graph_api.api.graphql.industry import IndustryGrade, industry_grades
from graph_api.api.graphql.masking import PersonName
from graph_api.api.graphql.records import Commitment, RecordFilter, RecordOrder
from graph_api.api.graphql.scalars import USCC
from graph_api.api.graphql.types import CreditRecord, EntityRef, Listing, PersonRole, _date, _day
from graph_api.domain.clock import today
from graph_api.domain.permissions import Acting, record_params
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import EntityViewRow, PersonByHashRow

_LIST_DOC = "first: page size, at most 100; after: the endCursor of the previous page."


@labelled
@strawberry.enum(description="What roles are sorted by.")
class RoleOrderField(Enum):
    SINCE = "SINCE"
    UNTIL = "UNTIL"
    ROLE = "ROLE"


@strawberry.input(description="Sort order of roles.")
class RoleOrder:
    field: RoleOrderField = strawberry.field(default=RoleOrderField.SINCE, description="What the roles are sorted by.")
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="Ascending or descending.")


@strawberry.input(description="Filters on roles; every given one must hold.")
class RoleFilter:
    roles: list[RoleType] | None = strawberry.field(default=None, description="Only roles of one of these types.")
    active_on: dt.date | None = strawberry.field(default=None, description="Only roles held on this day.")


@labelled
@strawberry.enum(description="What holdings are sorted by.")
class HoldingOrderField(Enum):
    RATIO = "RATIO"
    SINCE = "SINCE"
    UNTIL = "UNTIL"


@strawberry.input(description="Sort order of holdings.")
class HoldingOrder:
    field: HoldingOrderField = strawberry.field(
        default=HoldingOrderField.RATIO, description="What the holdings are sorted by."
    )
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="Ascending or descending.")


@strawberry.input(description="Filters on holdings; every given one must hold.")
class HoldingFilter:
    active_on: dt.date | None = strawberry.field(default=None, description="Only holdings in place on this day.")
    min_ratio: float | None = strawberry.field(default=None, description="Only holdings of at least this share (0..1).")


@labelled
@strawberry.enum(description="What listings are sorted by.")
class ListingOrderField(Enum):
    SINCE = "SINCE"
    UNTIL = "UNTIL"


@strawberry.input(description="Sort order of listings.")
class ListingOrder:
    field: ListingOrderField = strawberry.field(
        default=ListingOrderField.SINCE, description="What the listings are sorted by."
    )
    direction: OrderDirection = strawberry.field(default=OrderDirection.DESC, description="Ascending or descending.")


@strawberry.input(description="Filters on listings; every given one must hold.")
class ListingFilter:
    lists: list[ListCode] | None = strawberry.field(default=None, description="Only listings on one of these lists.")
    statuses: list[ListingStatus] | None = strawberry.field(
        default=None, description="Only listings in one of these statuses."
    )
    active_on: dt.date | None = strawberry.field(default=None, description="Only listings in force on this day.")


def _order(order: Any) -> dict[str, Any]:
    return {"orderField": order.field.value, "descending": order.direction is OrderDirection.DESC}


def role_params(where: RoleFilter | None, order: RoleOrder | None) -> dict[str, Any]:
    where = where or RoleFilter()
    return {"roles": values_of(where.roles), "activeOn": where.active_on, **_order(order or RoleOrder())}


def holding_params(where: HoldingFilter | None, order: HoldingOrder | None) -> dict[str, Any]:
    where = where or HoldingFilter()
    return {"activeOn": where.active_on, "minRatio": where.min_ratio, **_order(order or HoldingOrder())}


def listing_params(
    actor: Acting, day: dt.date, where: ListingFilter | None, order: ListingOrder | None
) -> dict[str, Any]:
    where = where or ListingFilter()
    return {
        "lists": values_of(where.lists),
        "statuses": values_of(where.statuses),
        "activeOn": where.active_on,
        **_order(order or ListingOrder()),
        **record_params(actor, day),  # of the basis, only what the reader sees
    }


def _listing_params(
    info: Info[Context, None], where: ListingFilter | None, order: ListingOrder | None
) -> dict[str, Any]:
    return listing_params(info.context.actor(), today(), where, order)


def _record_params(info: Info[Context, None], where: RecordFilter | None, order: RecordOrder | None) -> dict[str, Any]:
    return {
        **(where or RecordFilter()).params(),
        **_order(order or RecordOrder()),
        **record_params(info.context.actor(), today()),
    }


@strawberry.type(description="A market entity (市场主体) with its people, holdings, records and listings.")
class Entity(Node):
    node_kind: ClassVar[str] = ENTITY
    uscc: USCC = strawberry.field(description="The entity's unified social credit code (its key).")
    name: str = strawberry.field(description="The registered name.")
    form: EntityForm = strawberry.field(description="The legal form.")
    status: EntityStatus = strawberry.field(description="The registration status.")
    region: str | None = strawberry.field(
        description="6-digit administrative division code (GB/T 2260) of the registration; null if not known."
    )
    industry: str | None = strawberry.field(description="GB/T 4754 industry code.")
    established: dt.date | None = strawberry.field(description="The day of establishment; null if not known.")
    registered_capital: float | None = strawberry.field(description="Registered capital in yuan.")
    address: str | None = strawberry.field(description="The registered address; null if not known.")
    parent: EntityRef | None = strawberry.field(description="The entity this one is a branch (分支机构) of.")

    @classmethod
    def from_row(cls, row: EntityViewRow) -> Entity:
        return cls.from_map(row["entity"])

    @classmethod
    def from_map(cls, e: Mapping[str, Any]) -> Entity:
        """The entity of an @entity_map (cypher/fragments.cypher), wherever it was reached."""
        return cls(
            uscc=e["uscc"],
            name=e["name"],
            form=EntityForm(e["form"]),
            status=EntityStatus(e["status"]),
            region=e.get("region"),
            industry=e.get("industry"),
            established=_date(e.get("established")),
            registered_capital=e.get("registeredCapital"),
            address=e.get("address"),
            parent=EntityRef.from_map(e["parents"][0]) if e["parents"] else None,
        )

    def node_key(self) -> str:
        return self.uscc

    @field(
        description="Legal representatives, principals, controllers and officers, current and past "
        f"(newest first by default). {_LIST_DOC}"
    )
    async def roles(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        where: RoleFilter | None = None,
        order_by: RoleOrder | None = None,
    ) -> Connection[Role]:
        return await paged(
            info, queries.entity_roles_page, self.uscc, first, after, Role.from_map, **role_params(where, order_by)
        )

    @field(description=f"Who holds shares of this entity (股东), largest share first by default. {_LIST_DOC}")
    async def holders(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        where: HoldingFilter | None = None,
        order_by: HoldingOrder | None = None,
    ) -> Connection[Holding]:
        return await paged(
            info,
            queries.entity_holders_page,
            self.uscc,
            first,
            after,
            Holding.from_map,
            **holding_params(where, order_by),
        )

    @field(description=f"Entities this entity holds shares of (对外投资). {_LIST_DOC}")
    async def holdings(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        where: HoldingFilter | None = None,
        order_by: HoldingOrder | None = None,
    ) -> Connection[Holding]:
        return await paged(
            info,
            queries.subject_holdings_page,
            self.uscc,
            first,
            after,
            Holding.from_map,
            **holding_params(where, order_by),
        )

    @field(
        description="Credit records the reader may see (disclosure, department, and for the public "
        "publication), newest decision first by default, filtered; totalCount counts only those. "
        f"{_LIST_DOC}"
    )
    async def records(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        where: RecordFilter | None = None,
        order_by: RecordOrder | None = None,
    ) -> Connection[CreditRecord]:
        return await paged(
            info,
            queries.subject_records_page,
            self.uscc,
            first,
            after,
            CreditRecord.from_map,
            **_record_params(info, where, order_by),
        )

    @field(description=f"Lists the entity is or was on, newest first by default, with measures. {_LIST_DOC}")
    async def listings(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        where: ListingFilter | None = None,
        order_by: ListingOrder | None = None,
    ) -> Connection[Listing]:
        return await paged(
            info,
            queries.subject_listings_page,
            self.uscc,
            first,
            after,
            Listing.from_map,
            **_listing_params(info, where, order_by),
        )

    @field(description=f"Branches (分支机构) of this entity, by code. {_LIST_DOC}")
    async def branches(
        self, info: Info[Context, None], first: int = 20, after: str | None = None
    ) -> Connection[EntityRef]:
        return await paged(info, queries.entity_branches_page, self.uscc, first, after, EntityRef.from_map)

    @field(description="The credit grade as of a day (default today), with its reasons; batched per request.")
    async def grade(self, info: Info[Context, None], as_of: dt.date | None = None) -> Grade:
        grade = await load_grade(info, self.uscc, as_of)
        assert grade is not None  # the entity was just read
        return grade

    @field(
        description="The entity's grades in the departments' published industry evaluations (行业信用评价), beside "
        "the public grade: per scheme, the latest evaluation published; empty when none rated it."
    )
    async def industry_grades(self, info: Info[Context, None]) -> list[IndustryGrade]:
        return await industry_grades(info, self.uscc)

    @field(
        description="Credit commitments (信用承诺) the entity made, newest first; state as of today. A breach "
        "record the reader may not see is not named (breachRecord null)."
    )
    async def commitments(self, info: Info[Context, None]) -> list[Commitment]:
        rows = await info.context.read(
            queries.commitments_of, uscc=self.uscc, asOf=today(), **record_params(info.context.actor(), today())
        )
        return [Commitment.from_map(r["commitment"]) for r in rows]


@strawberry.type(
    description="A natural person (自然人) with every role and holding across entities; the identity number "
    "masked (in clear only for investigators and sanctions officers, in idNumber)."
)
class Person(Node):
    node_kind: ClassVar[str] = PERSON
    name: str = strawberry.field(description="Masked for the public (陈*).", extensions=[PersonName()])
    id_number_masked: str = strawberry.field(description="Identity number with the middle digits hidden.")
    id_number: str | None = id_number_field()
    id_type: IdType = strawberry.field(description="The kind of identity document the number is of.")
    id_hash: strawberry.Private[str]
    id_cipher: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: PersonByHashRow) -> Person:
        return cls.from_map(row["person"])

    @classmethod
    def from_map(cls, p: Mapping[str, Any]) -> Person:
        """The person of a @person_map (cypher/fragments.cypher), wherever it was reached."""
        return cls(
            name=p["name"],
            id_number_masked=p["idMasked"],
            id_type=IdType(p["idType"]),
            id_hash=p["idHash"],
            id_cipher=p["idCipher"],
        )

    def node_key(self) -> str:
        return self.id_hash

    @field(description=f"Every role the person holds or held, across entities, newest first by default. {_LIST_DOC}")
    async def roles(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        where: RoleFilter | None = None,
        order_by: RoleOrder | None = None,
    ) -> Connection[PersonRole]:
        info.context.open_person(self.id_hash)
        return await paged(
            info,
            queries.person_roles_page,
            self.id_hash,
            first,
            after,
            PersonRole.from_map,
            **role_params(where, order_by),
        )

    @field(description=f"Shares the person holds or held, largest first by default. {_LIST_DOC}")
    async def holdings(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        where: HoldingFilter | None = None,
        order_by: HoldingOrder | None = None,
    ) -> Connection[Holding]:
        info.context.open_person(self.id_hash)
        return await paged(
            info,
            queries.subject_holdings_page,
            self.id_hash,
            first,
            after,
            Holding.from_map,
            **holding_params(where, order_by),
        )

    @field(
        description="The person's own credit records that the reader may see, filtered; totalCount counts "
        f"only those. {_LIST_DOC}"
    )
    async def records(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        where: RecordFilter | None = None,
        order_by: RecordOrder | None = None,
    ) -> Connection[CreditRecord]:
        info.context.open_person(self.id_hash)
        return await paged(
            info,
            queries.subject_records_page,
            self.id_hash,
            first,
            after,
            CreditRecord.from_map,
            **_record_params(info, where, order_by),
        )

    @field(
        description="Lists the person is on in their own name. Listings that bind the person as a "
        f"responsible person of a listed entity are in `exposure`. {_LIST_DOC}"
    )
    async def listings(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        where: ListingFilter | None = None,
        order_by: ListingOrder | None = None,
    ) -> Connection[Listing]:
        info.context.open_person(self.id_hash)
        return await paged(
            info,
            queries.subject_listings_page,
            self.id_hash,
            first,
            after,
            Listing.from_map,
            **_listing_params(info, where, order_by),
        )


@strawberry.type(description="A person's role at an entity over a period (since inclusive, until exclusive).")
class Role:
    role: RoleType = strawberry.field(description="The role held.")
    since: dt.date = strawberry.field(description="First day the role is held.")
    until: dt.date | None = strawberry.field(description="First day it is no longer held; null while it still is.")
    person: Person = strawberry.field(
        description="Who holds it; their roles, holdings, records and listings need the rights of person(idNumber:)."
    )

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> Role:
        return cls(
            role=RoleType(m["role"]),
            since=_day(m["since"]),
            until=_date(m["until"]),
            person=Person.from_map(m["person"]),
        )


@strawberry.type(
    description="A shareholding (股东持股): ratio 0..1 over a period. The holder is an entity or a person."
)
class Holding:
    ratio: float = strawberry.field(description="The share held, from 0 (exclusive) to 1.")
    since: dt.date = strawberry.field(description="First day the shares are held.")
    until: dt.date | None = strawberry.field(
        description="First day they are no longer held; null while they still are."
    )
    entity: Entity | None = strawberry.field(
        description="The entity on the other side, when it is an entity: walk on through its own holdings."
    )
    person: Person | None = strawberry.field(
        description="The holder, when a person holds the shares; their own lists need the rights of person(idNumber:)."
    )

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> Holding:
        return cls(
            ratio=m["ratio"],
            since=_day(m["since"]),
            until=_date(m["until"]),
            entity=Entity.from_map(m["entity"]) if m.get("entity") else None,
            person=Person.from_map(m["person"]) if m.get("person") else None,
        )
