"""How every change is written: one managed write transaction (all or nothing, retried by the driver on
transient errors), the acting user known, and a history entry per changed thing — who, when, what before
and after — appended in the same transaction together with the audit entry. A refusal the caller should
render is raised as `Refused` inside the work: nothing of the transaction is kept, and the caller (the
GraphQL layer, the CLI, a job, a test) gets the exception to render.

Services receive a `Store` (where the graph is) and an `Actor` (who asks); nothing here knows of HTTP
or GraphQL."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import neo4j

from graph_api.domain.actor import Actor
from graph_api.domain.clock import today
from graph_api.domain.permissions import record_params
from graph_api.domain.refusals import Refused
from graph_api.errors import NotFound, Unauthenticated, WriteOutcomeUnknown
from graph_api.store import audit
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import ObjectionLockRow, RecordLockRow, RepairLockRow
from graph_api.store.run import run
from graph_api.store.statement import Statement

T = TypeVar("T")
R = TypeVar("R")
Seen = TypeVar("Seen", RecordLockRow, ObjectionLockRow, RepairLockRow)  # lock rows with a `visible` column


class MissingRow(RuntimeError):
    """A statement that always returns a row returned none: a fault of the statement, not of the request,
    so not an ApiError — the API logs it and answers INTERNAL_SERVER_ERROR with a correlation id."""


@dataclass
class Store:
    """The graph as a service reaches it; `round_trips` counts the statements sent (the API reports them)."""

    driver: neo4j.AsyncDriver
    database: str
    round_trips: int = 0


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
    store: Store
    changes: list[dict[str, Any]] = field(default_factory=list)

    async def run(self, statement: Statement[R], **params: Any) -> list[R]:
        self.store.round_trips += 1
        return await run(self.tx, statement, **params)

    async def one(self, statement: Statement[R], **params: Any) -> R | None:
        """The first row, or None when the statement returned none (a key that names nothing)."""
        rows = await self.run(statement, **params)
        return rows[0] if rows else None

    async def single(self, statement: Statement[R], **params: Any) -> R:
        """The first row of a statement that always returns one (an aggregate, a create, a state read after
        its lock); none is a fault of the statement, never of the request."""
        row = await self.one(statement, **params)
        if row is None:
            raise MissingRow(f"Cypher statement {statement.name} at {statement.where} returned no row")
        return row

    async def lock(self, statement: Statement[R], what: str, **key: Any) -> R:
        """The row of a node locked for change (a `*_lock` statement SETs a property before anything is read,
        so concurrent writers of the node queue behind this one), or NOT_FOUND naming `what`."""
        row = await self.one(statement, **key)
        if row is None:
            raise NotFound(f"no {what}", **key)
        return row

    async def lock_seen(self, statement: Statement[Seen], what: str, **key: Any) -> Seen:
        """`lock` of something that concerns a record: one the actor may not see (its `visible` column, the
        fragment @record_visible) is NOT_FOUND, worded as for one that does not exist — a refusal naming its
        department or state would tell the record is there (domain/disclosure.py)."""
        row = await self.lock(statement, what, **key, **record_params(self.actor, today()))
        if not row["visible"]:
            raise NotFound(f"no {what}", **key)
        return row

    def changed(
        self,
        node_id: str,
        kind: str,
        key: str,
        party: str | None,
        summary: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        """Record a change of the node with element id `node_id` (a `kind` keyed `key`), concerning the
        market subject `party` (a USCC or a person's key hash)."""
        self.changes.append(
            {
                "id": uuid.uuid4().hex,
                "nodeId": node_id,
                "kind": kind,
                "key": key,
                "party": party,
                "summary": summary,
                "before": json.dumps(_jsonable(before), ensure_ascii=False, sort_keys=True)
                if before is not None
                else None,
                "after": json.dumps(_jsonable(after), ensure_ascii=False, sort_keys=True)
                if after is not None
                else None,
            }
        )


async def write(
    store: Store,
    actor: Actor,
    operation: str,
    work: Callable[[Tx], Awaitable[T]],
    *,
    purpose: str | None = None,
    personal_reads: Iterable[str] = (),
) -> T:
    """Run `work` in one write transaction with its history and audit entries; `Refused` (or any error)
    raised by the work rolls all of it back and propagates. `personal_reads` are the key hashes of persons
    the caller looked up by identity number for this change: they go into the audit entry too."""
    if actor.is_public:
        raise Unauthenticated("changes need credentials: a bearer token or an API key")

    committing = False  # an attempt's work is done and the driver commits it
    retried_commit = False  # an attempt that reached its commit failed and the driver tried again

    async def unit(tx: neo4j.AsyncManagedTransaction) -> T:
        nonlocal committing, retried_commit
        retried_commit, committing = retried_commit or committing, False
        w = Tx(tx, actor, store)
        result = await work(w)
        if w.changes:
            store.round_trips += 1
            await run(
                tx,
                queries.history_append,
                changes=w.changes,
                operation=operation,
                user=actor.user,
                department=actor.department,
                entity=actor.uscc,
            )
        store.round_trips += 2
        await audit.append(
            tx,
            user=actor.user,
            role=actor.role,
            department=actor.department,
            entity=actor.uscc,
            operation=operation,
            kind="CHANGE",
            purpose=purpose,
            subjects=[c["party"] for c in w.changes if c["party"]] + sorted(personal_reads),
        )
        committing = True
        return result

    async with store.driver.session(database=store.database) as session:
        try:
            return await session.execute_write(unit)
        except (Refused, neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError, OSError) as e:
            # An attempt reached its commit and its connection failed before the database answered, then
            # the driver tried again: whatever the last attempt met (no server, or a refusal because the
            # first did commit), the change may be stored, and "failed" could make a client write it twice.
            # The same when the last attempt's own commit broke off (not a refusal by the server).
            if retried_commit or (committing and not isinstance(e, (Refused, neo4j.exceptions.ClientError))):
                raise outcome_unknown() from e
            if isinstance(e, neo4j.exceptions.ConstraintError):
                # Two writers created a node with the same key at the same moment: each checked first and
                # saw none, the database's uniqueness constraint let one commit. The other made no change.
                raise Refused(
                    "DUPLICATE_ID", "something with this id was written at the same moment; nothing was changed", "id"
                ) from None
            raise


class _RollBack(Exception):
    """Not an error: how a dry run hands its answer out of the transaction it rolls back."""

    def __init__(self, result: object) -> None:
        self.result = result


async def dry_run(store: Store, actor: Actor, work: Callable[[Tx], Awaitable[T]]) -> T:
    """Run a write's `work` as `write` would, in a write transaction that is always rolled back: the same
    locks, reads and rules, so the same answer or the same `Refused`, and nothing kept — no change, no
    history, no audit entry of a change, no alert (the caller's read is audited as any read)."""
    if actor.is_public:
        raise Unauthenticated("changes need credentials: a bearer token or an API key")

    async def unit(tx: neo4j.AsyncManagedTransaction) -> T:
        # raising out of the managed transaction is what makes the driver roll it back
        raise _RollBack(await work(Tx(tx, actor, store)))

    async with store.driver.session(database=store.database) as session:
        try:
            await session.execute_write(unit)
        except _RollBack as done:
            return cast(T, done.result)
    raise AssertionError("a dry run's unit always raises")


def outcome_unknown() -> WriteOutcomeUnknown:
    """The answer when a change was sent to be committed and the connection broke before the database said."""
    return WriteOutcomeUnknown(
        "the connection to the credit graph database broke while the change was being committed: it may or may "
        "not be stored. Read it back (by its id) before retrying; a retry with the same id is refused "
        "DUPLICATE_ID if it was stored",
        outcomeUnknown=True,
    )
