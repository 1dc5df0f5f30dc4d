"""The GraphQL schema: root fields are a few lines each — arguments, one repository round trip, a typed object."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from ..cypher_loader import queries
from ..errors import NotFound
from .context import Context
from .error_mapping import MapErrors
from .scalars import SCALARS, USCC
from .types import Entity


@strawberry.type
class Query:
    @strawberry.field(description="A market entity by its unified social credit code (统一社会信用代码).")
    async def entity(self, info: Info[Context, None], uscc: USCC) -> Entity:
        rows = await info.context.read(queries.entity_view, uscc=uscc)
        if not rows:
            raise NotFound(f"no entity with unified social credit code {uscc}", uscc=uscc)
        return Entity.from_row(rows[0])


class _Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:  # type: ignore[override]
        # MapErrors logs what is unexpected, with a correlation id; the default would log every
        # client mistake with its variables, which may carry identity numbers.
        return None


schema = _Schema(query=Query, extensions=[MapErrors], config=StrawberryConfig(scalar_map=SCALARS))
