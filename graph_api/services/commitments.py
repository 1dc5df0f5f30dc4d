"""Credit commitments (信用承诺): an entity commits to a department; an officer of that department
records the commitment fulfilled, or breached — a breach becomes a COMMITMENT_BREACH record of the
department, to be published like its decisions. A closed commitment stays closed.

Who may make one: the entity itself (an entity user acting for it). A commitment is the entity's own
declaration, so an officer does not make one on its behalf; paper commitments taken at a counter arrive
with the department's data (the interchange format's `commitment` lines)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from graph_api.domain.actor import Actor
from graph_api.domain.clock import today
from graph_api.domain.refusals import Refused, check_department
from graph_api.domain.subjects import Subject
from graph_api.domain.vocabulary import COMMITMENT_TYPES, SEVERITIES
from graph_api.errors import BadUserInput
from graph_api.services.inputs import day_done, one_of
from graph_api.services.negative_records import RecordMade, create_negative_record
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import LockRow

MAX_MATTER = 500


@dataclass(frozen=True)
class CommitmentRequest:
    """A commitment the acting entity makes to `department`."""

    type: str
    matter: str  # what the entity commits to (承诺事项)
    made_on: dt.date
    department: str
    due_on: dt.date | None = None
    id: str | None = None  # generated when None


@dataclass(frozen=True)
class Closing:
    """Close commitment `id` (fulfilled) on a day, today when None."""

    id: str
    on: dt.date | None = None


@dataclass(frozen=True)
class Breach:
    """Close commitment `id` as breached: the breach becomes a record with this summary and severity."""

    id: str
    summary: str
    severity: str
    on: dt.date | None = None


@dataclass(frozen=True)
class Breached:
    commitment: dict[str, Any]  # the `commitment_state` map after the breach
    record: RecordMade


def _check(c: CommitmentRequest) -> None:
    one_of(c.type, COMMITMENT_TYPES, "type")
    if not 1 <= len(c.matter.strip()) <= MAX_MATTER:
        raise BadUserInput(f"matter must have 1 to {MAX_MATTER} characters", field="matter")
    day_done(c.made_on, "madeOn")
    if c.due_on is not None and c.due_on < c.made_on:
        raise BadUserInput(f"dueOn {c.due_on} is before madeOn {c.made_on}", field="dueOn")
    if c.id is not None and not 1 <= len(c.id) <= 64:
        raise BadUserInput("id must have 1 to 64 characters", field="id")


def _closing_day(on: dt.date | None) -> dt.date:
    on = day_done(on, "on")
    return on


async def _lock_open(tx: Tx, id: str, department: str, on: dt.date) -> LockRow:
    """Lock the commitment, then check it may be closed by `department` on `on`; the lock row."""
    lock = await tx.lock(queries.commitment_lock, f"commitment {id!r}", id=id)
    check_department(department, lock["department"], f"commitment {id}", "was made to")
    state = dict((await tx.single(queries.commitment_state, id=id, asOf=on))["commitment"])
    if state["status"] != "PENDING":
        closed = f" on {state['closedOn']}" if state.get("closedOn") else ""
        raise Refused("ALREADY_CLOSED", f"commitment {id} is {state['status']}{closed}; it cannot change again")
    if on < state["madeOn"].to_native():
        raise Refused("BEFORE_COMMITMENT", f"on {on} is before the commitment was made ({state['madeOn']})", field="on")
    return lock


async def _close(tx: Tx, lock: LockRow, id: str, status: str, on: dt.date) -> dict[str, Any]:
    await tx.run(queries.commitment_close, id=id, status=status, on=on)
    tx.changed(
        lock["nodeId"],
        "Commitment",
        id,
        lock["party"],
        f"commitment {id} {status.lower()}",
        {"status": "PENDING", "closedOn": None},
        {"status": status, "closedOn": on},
    )
    return dict((await tx.single(queries.commitment_state, id=id, asOf=on))["commitment"])


async def make_commitment(store: Store, actor: Actor, c: CommitmentRequest, trail: Trail = NO_TRAIL) -> dict[str, Any]:
    """Make a commitment as the acting entity; the `commitment_state` map as of today."""
    uscc = actor.entity_user()
    _check(c)
    commitment_id = c.id or f"CMT-{c.made_on.year}-{uuid.uuid4().hex[:10].upper()}"

    async def work(tx: Tx) -> dict[str, Any]:
        ctx = await tx.single(queries.commitment_context, uscc=uscc, department=c.department, id=commitment_id)
        if not ctx["entityFound"]:
            raise Refused("NOT_FOUND", f"entity {uscc} is not in the graph")
        if not ctx["departmentFound"]:
            raise Refused("UNKNOWN_DEPARTMENT", f"department {c.department} is not in the graph", field="department")
        if ctx["idTaken"]:
            raise Refused("DUPLICATE_ID", f"a commitment {commitment_id} exists already", field="id")
        props = {"type": c.type, "matter": c.matter.strip(), "madeOn": c.made_on, "dueOn": c.due_on}
        row = await tx.single(
            queries.commitment_create, uscc=uscc, department=c.department, id=commitment_id, props=props
        )
        tx.changed(
            row["nodeId"],
            "Commitment",
            commitment_id,
            uscc,
            f"commitment {commitment_id} made",
            None,
            dict(row["commitment"]),
        )
        return dict((await tx.single(queries.commitment_state, id=commitment_id, asOf=today()))["commitment"])

    return await write(store, actor, "makeCommitment", work, trail)


async def fulfil_commitment(store: Store, actor: Actor, c: Closing, trail: Trail = NO_TRAIL) -> dict[str, Any]:
    """Record a commitment made to the acting officer's department as fulfilled; its state after."""
    department = actor.officer()
    on = _closing_day(c.on)

    async def work(tx: Tx) -> dict[str, Any]:
        lock = await _lock_open(tx, c.id, department, on)
        return await _close(tx, lock, c.id, "FULFILLED", on)

    return await write(store, actor, "fulfilCommitment", work, trail)


async def breach_commitment(store: Store, actor: Actor, b: Breach, trail: Trail = NO_TRAIL) -> Breached:
    """Record a commitment made to the acting officer's department as breached: the breach becomes a
    COMMITMENT_BREACH record of the department."""
    department = actor.officer()
    on = _closing_day(b.on)
    one_of(b.severity, SEVERITIES, "severity")
    if not 1 <= len(b.summary.strip()) <= MAX_MATTER:
        raise BadUserInput(f"summary must have 1 to {MAX_MATTER} characters", field="summary")

    async def work(tx: Tx) -> Breached:
        lock = await _lock_open(tx, b.id, department, on)
        record = await create_negative_record(
            tx,
            Subject(entity=lock["party"]),
            department,
            "COMMITMENT_BREACH",
            b.severity,
            on,
            b.summary.strip(),
            f"breach of commitment {b.id}",
        )
        await tx.run(queries.commitment_breach_link, id=b.id, record=record.id)
        return Breached(commitment=await _close(tx, lock, b.id, "BREACHED", on), record=record)

    return await write(store, actor, "breachCommitment", work, trail)
