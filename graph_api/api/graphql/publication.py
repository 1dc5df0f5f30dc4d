"""The public's view of an entity's records as of a day. Publication ends by dates, not by a job: a record
falls out of the view when its maximum publicity period (data: catalogue.json publicityPeriods, counted
from publication) has run, or from the day repair or revocation ended its publication."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.scalars import USCC
from graph_api.api.graphql.types import CreditRecord
from graph_api.domain.clock import today
from graph_api.errors import NotFound
from graph_api.store.cypher_loader import queries


@strawberry.type
class PublicationQueries:
    @field(
        description="The records of an entity the public sees as of a day (default today), newest "
        "publication first: disclosure PUBLIC, published, within the publicity period, not "
        "ended by repair, not revoked."
    )
    async def public_records(
        self,
        info: Info[Context, None],
        uscc: USCC,
        as_of: dt.date | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[CreditRecord]:
        w = window(first, after, queries.public_records.name)
        rows = await info.context.read(queries.public_records, uscc=uscc, asOf=as_of or today(), **w.params())
        if not rows[0]["found"]:
            raise NotFound(f"no entity with unified social credit code {uscc}", uscc=uscc)
        return build(rows[0], w, CreditRecord.from_map)
