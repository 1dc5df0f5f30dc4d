"""Every read of personal data is registered (DOMAIN.md: "who read which person is recorded"): after a
query that looked persons up by identity number, one audit entry names the reader, the operation,
the persons (by their key hash, never the number) and the stated purpose. If the entry cannot be
written, the answer is withheld."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import neo4j
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from graph_api.api.graphql.context import Context
from graph_api.store import audit

log = logging.getLogger("graph_api.audit")


class AuditPersonalReads(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if not isinstance(context, Context) or not context.personal_reads or context.audited:
            return
        actor = context.actor()
        operation = self.execution_context.operation_name or "anonymous"

        async def unit(tx: neo4j.AsyncManagedTransaction) -> None:
            await audit.append(
                tx,
                user=actor.user,
                role=actor.role,
                department=actor.department,
                entity=actor.uscc,
                operation=operation,
                kind="READ_PERSONAL",
                subjects=sorted(context.personal_reads),
                purpose=context.purpose(),
            )

        try:
            async with context.driver.session(database=context.settings.neo4j_database) as session:
                await session.execute_write(unit)
            context.round_trips += 2
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as e:
            log.error("audit entry not written (%s): answer withheld", type(e).__name__)
            # Raised, not set on the result: strawberry returns the execution's result as it was before
            # this hook resumed, but answers an exception from it with the error alone.
            raise GraphQLError(
                "the read could not be registered in the audit trail; retry shortly",
                extensions={"code": "DATABASE_UNAVAILABLE"},
            ) from None
