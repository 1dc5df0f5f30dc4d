"""Pages of a subject's credit records, filtered, and an entity's commitments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from ..cypher_loader import queries
from ..errors import BadUserInput
from .context import Context
from .discovery import PageInfo, decode_cursor, encode_cursor
from .enums import RecordCategory, RecordStatus, Severity
from .types import CreditRecord, Department, _date

MAX_PAGE = 100


@strawberry.input(description="Filters on credit records; every given one must hold.")
class RecordFilter:
    categories: list[RecordCategory] | None = None
    severities: list[Severity] | None = None
    statuses: list[RecordStatus] | None = None
    decided_from: dt.date | None = None
    decided_to: dt.date | None = None


@strawberry.type
class RecordEdge:
    node: CreditRecord
    cursor: str


@strawberry.type(description="A page of credit records, newest decision first.")
class RecordConnection:
    total_count: int
    edges: list[RecordEdge]
    page_info: PageInfo


async def records_page(info: Info[Context, None], params: dict[str, Any], first: int, after: str | None,
                       where: RecordFilter | None) -> RecordConnection:
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInput(f"first must be between 1 and {MAX_PAGE}", field="first")
    skip = decode_cursor(after)
    where = where or RecordFilter()
    values = lambda items: [i.value for i in items] if items else None  # noqa: E731
    rows = await info.context.read(
        queries.records_page, skip=skip, limit=first, categories=values(where.categories),
        severities=values(where.severities), statuses=values(where.statuses), decidedFrom=where.decided_from,
        decidedTo=where.decided_to, **params)
    if not rows:
        return RecordConnection(total_count=0, edges=[], page_info=PageInfo(has_next_page=False, end_cursor=None))
    total, page = rows[0]["totalCount"], rows[0]["page"]
    edges = [RecordEdge(node=CreditRecord.from_map(m), cursor=encode_cursor(skip + i + 1)) for i, m in enumerate(page)]
    return RecordConnection(total_count=total, edges=edges,
                            page_info=PageInfo(has_next_page=skip + len(page) < total,
                                               end_cursor=edges[-1].cursor if edges else None))


@strawberry.type(description="A credit commitment (信用承诺) an entity made to a department.")
class Commitment:
    id: str
    type: str = strawberry.field(description="APPROVAL_SUBSTITUTION, VOLUNTARY, INDUSTRY_SELF_DISCIPLINE or CREDIT_REPAIR.")
    matter: str
    made_on: dt.date
    due_on: dt.date | None
    status: str
    department: Department

    @classmethod
    def from_map(cls, m: dict[str, Any]) -> "Commitment":
        return cls(id=m["id"], type=m["type"], matter=m["matter"], made_on=_date(m["madeOn"]), due_on=_date(m["dueOn"]),
                   status=m["status"], department=Department.from_map(m["department"]))
