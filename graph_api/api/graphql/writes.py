"""How every mutation writes: one managed write transaction (all or nothing, retried by the driver on
transient errors), the acting user known, and a history entry per changed thing — who, when, what
before and after — appended in the same transaction. A refusal the frontend should render (the repair
asked too early, the listing already ended) is raised as `Refused` inside the work and comes back as
a typed `Refusal`; nothing of the transaction is kept."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import neo4j
import strawberry
from strawberry.types import Info

from graph_api.store import audit
from graph_api.store.cypher_loader import queries
from graph_api.errors import NotFound, Unauthenticated
from graph_api.api.graphql.actor import Actor
from graph_api.api.graphql.context import Context

T = TypeVar("T")


class Refused(Exception):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@strawberry.type(description="An action the rules refuse in the current state (e.g. REPAIR_TOO_EARLY, ALREADY_ENDED): "
                             "nothing was changed. `field` names the input at fault, when one is.")
class Refusal:
    code: str
    message: str
    field: str | None


def _jsonable(value: Any) -> Any:
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


@dataclass
class Tx:
    """The transaction as the work sees it: named statements, and the changes to record."""

    tx: neo4j.AsyncManagedTransaction
    actor: Actor
    context: Context
    changes: list[dict[str, Any]] = field(default_factory=list)

    async def run(self, statement: str, **params: Any) -> list[neo4j.Record]:
        self.context.round_trips += 1
        result = await self.tx.run(getattr(queries, statement), params)
        return [r async for r in result]

    async def one(self, statement: str, **params: Any) -> neo4j.Record | None:
        rows = await self.run(statement, **params)
        return rows[0] if rows else None

    async def lock(self, statement: str, what: str, **key: Any) -> neo4j.Record:
        """The row of a node locked for change (a `*_lock` statement SETs a property before anything is read,
        so concurrent writers of the node queue behind this one), or NOT_FOUND naming `what`."""
        row = await self.one(statement, **key)
        if row is None:
            raise NotFound(f"no {what}", **key)
        return row

    def changed(self, node_id: str, kind: str, key: str, party: str | None, summary: str,
                before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        """Record a change of the node with element id `node_id` (a `kind` keyed `key`), concerning the
        market subject `party` (a USCC or a person's key hash)."""
        self.changes.append({
            "id": uuid.uuid4().hex, "nodeId": node_id, "kind": kind, "key": key, "party": party, "summary": summary,
            "before": json.dumps(_jsonable(before), ensure_ascii=False, sort_keys=True) if before is not None else None,
            "after": json.dumps(_jsonable(after), ensure_ascii=False, sort_keys=True) if after is not None else None,
        })


def check_department(acting: str, owner: str, what: str, relation: str = "is for", field: str | None = None) -> None:
    """An officer acts only for its own department: the Refusal NOT_YOUR_DEPARTMENT otherwise."""
    if acting != owner:
        raise Refused("NOT_YOUR_DEPARTMENT", f"{what} {relation} {owner}, not {acting}", field)


async def write(info: Info[Context, None], operation: str, work: Callable[[Tx], Awaitable[T]]) -> T | Refusal:
    context = info.context
    actor = context.actor()
    if actor.is_public:
        raise Unauthenticated("changes need credentials: a bearer token or an API key")

    async def unit(tx: neo4j.AsyncManagedTransaction) -> T:
        w = Tx(tx, actor, context)
        result = await work(w)
        if w.changes:
            context.round_trips += 1
            await tx.run(queries.history_append, {
                "changes": w.changes, "operation": operation, "user": actor.user,
                "department": actor.department, "entity": actor.uscc})
        context.round_trips += 2
        await audit.append(tx, user=actor.user, role=actor.role, department=actor.department, entity=actor.uscc,
                           operation=operation, kind="CHANGE", purpose=context.purpose(),
                           subjects=[c["party"] for c in w.changes if c["party"]] + sorted(context.personal_reads))
        context.audited = True
        return result

    try:
        async with context.driver.session(database=context.settings.neo4j_database) as session:
            return await session.execute_write(unit)
    except Refused as r:
        return Refusal(code=r.code, message=r.message, field=r.field)
