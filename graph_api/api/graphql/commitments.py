"""Credit commitments (信用承诺): an entity commits to a department; an officer of that department
records the commitment fulfilled, or breached — a breach becomes a COMMITMENT_BREACH record of the
department, to be published like its decisions. A closed commitment stays closed.

Who may make one: the entity itself (an entity user acting for it). A commitment is the entity's own
declaration, so an officer does not make one on its behalf through the API; paper commitments taken at
a counter arrive with the department's data (the interchange format's `commitment` lines)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.domain.clock import today
from graph_api.store.cypher_loader import queries
from graph_api.errors import BadUserInput
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import CommitmentState, CommitmentType, Severity
from graph_api.api.graphql.negative_records import Subject, create_negative_record
from graph_api.api.graphql.records import Commitment
from graph_api.api.graphql.types import CreditRecord
from graph_api.api.graphql.writes import Refusal, Refused, Tx, check_department, write

MAX_MATTER = 500


@strawberry.input(description="A commitment the acting entity makes to a department.")
class CommitmentInput:
    type: CommitmentType
    matter: str = strawberry.field(description="What the entity commits to (承诺事项), 1 to 500 characters.")
    made_on: dt.date
    department: str = strawberry.field(description="Code of the department the commitment is made to.")
    due_on: dt.date | None = strawberry.field(default=None, description="The day by which it must be fulfilled.")
    id: str | None = strawberry.field(default=None, description="The commitment id; generated when not given.")


@strawberry.type(description="A commitment made.")
class CommitmentMade:
    commitment: Commitment


@strawberry.type(description="A commitment recorded fulfilled.")
class CommitmentFulfilled:
    commitment: Commitment


@strawberry.type(description="A commitment recorded breached, and the negative record the breach became.")
class CommitmentBreached:
    commitment: Commitment
    record: CreditRecord
    publish_due_on: dt.date = strawberry.field(description="7 working days after the breach (official calendar).")


MakeCommitmentResult = Annotated[CommitmentMade | Refusal, strawberry.union("MakeCommitmentResult")]
FulfilCommitmentResult = Annotated[CommitmentFulfilled | Refusal, strawberry.union("FulfilCommitmentResult")]
BreachCommitmentResult = Annotated[CommitmentBreached | Refusal, strawberry.union("BreachCommitmentResult")]


def _check(c: CommitmentInput) -> None:
    if not 1 <= len(c.matter.strip()) <= MAX_MATTER:
        raise BadUserInput(f"matter must have 1 to {MAX_MATTER} characters", field="matter")
    if c.made_on > today():
        raise BadUserInput(f"madeOn {c.made_on} is in the future", field="madeOn")
    if c.due_on is not None and c.due_on < c.made_on:
        raise BadUserInput(f"dueOn {c.due_on} is before madeOn {c.made_on}", field="dueOn")
    if c.id is not None and not 1 <= len(c.id) <= 64:
        raise BadUserInput("id must have 1 to 64 characters", field="id")


def _closing_day(on: dt.date | None) -> dt.date:
    on = on or today()
    if on > today():
        raise BadUserInput(f"on {on} is in the future", field="on")
    return on


async def _lock_open(tx: Tx, id: str, department: str, on: dt.date) -> Any:
    """Lock the commitment, then check it may be closed by `department` on `on`; the lock row."""
    lock = await tx.lock("commitment_lock", f"commitment {id!r}", id=id)
    check_department(department, lock["department"], f"commitment {id}", "was made to")
    state = dict((await tx.one("commitment_state", id=id, asOf=on))["commitment"])
    if state["status"] != "PENDING":
        closed = f" on {state['closedOn']}" if state.get("closedOn") else ""
        raise Refused("ALREADY_CLOSED", f"commitment {id} is {state['status']}{closed}; it cannot change again")
    if on < state["madeOn"].to_native():
        raise Refused("BEFORE_COMMITMENT", f"on {on} is before the commitment was made ({state['madeOn']})", field="on")
    return lock


async def _close(tx: Tx, lock: Any, id: str, status: str, on: dt.date) -> Commitment:
    await tx.run("commitment_close", id=id, status=status, on=on)
    tx.changed(lock["nodeId"], "Commitment", id, lock["party"], f"commitment {id} {status.lower()}",
               {"status": "PENDING", "closedOn": None}, {"status": status, "closedOn": on})
    return Commitment.from_map((await tx.one("commitment_state", id=id, asOf=on))["commitment"])


@strawberry.type
class CommitmentMutations:
    @strawberry.mutation(description="Make a credit commitment (信用承诺) to a department, as the acting entity.")
    async def make_commitment(self, info: Info[Context, None], input: CommitmentInput) -> MakeCommitmentResult:
        uscc = info.context.actor().entity_user()
        _check(input)
        commitment_id = input.id or f"CMT-{input.made_on.year}-{uuid.uuid4().hex[:10].upper()}"

        async def work(tx: Tx) -> CommitmentMade:
            ctx = await tx.one("commitment_context", uscc=uscc, department=input.department, id=commitment_id)
            if not ctx["entityFound"]:
                raise Refused("NOT_FOUND", f"entity {uscc} is not in the graph")
            if not ctx["departmentFound"]:
                raise Refused("UNKNOWN_DEPARTMENT", f"department {input.department} is not in the graph", field="department")
            if ctx["idTaken"]:
                raise Refused("DUPLICATE_ID", f"a commitment {commitment_id} exists already", field="id")
            props = {"type": input.type.value, "matter": input.matter.strip(), "madeOn": input.made_on,
                     "dueOn": input.due_on}
            row = await tx.one("commitment_create", uscc=uscc, department=input.department, id=commitment_id, props=props)
            tx.changed(row["nodeId"], "Commitment", commitment_id, uscc, f"commitment {commitment_id} made",
                       None, dict(row["commitment"]))
            state = await tx.one("commitment_state", id=commitment_id, asOf=today())
            return CommitmentMade(commitment=Commitment.from_map(state["commitment"]))

        return await write(info, "makeCommitment", work)

    @strawberry.mutation(description="Record a commitment made to the acting officer's department as fulfilled.")
    async def fulfil_commitment(self, info: Info[Context, None], id: str, on: dt.date | None = None) -> FulfilCommitmentResult:
        department = info.context.actor().officer()
        on = _closing_day(on)

        async def work(tx: Tx) -> CommitmentFulfilled:
            lock = await _lock_open(tx, id, department, on)
            return CommitmentFulfilled(commitment=await _close(tx, lock, id, "FULFILLED", on))

        return await write(info, "fulfilCommitment", work)

    @strawberry.mutation(description="Record a commitment made to the acting officer's department as breached: "
                                     "the breach becomes a COMMITMENT_BREACH record of the department.")
    async def breach_commitment(self, info: Info[Context, None], id: str, summary: str, severity: Severity,
                                on: dt.date | None = None) -> BreachCommitmentResult:
        department = info.context.actor().officer()
        on = _closing_day(on)
        if not 1 <= len(summary.strip()) <= MAX_MATTER:
            raise BadUserInput(f"summary must have 1 to {MAX_MATTER} characters", field="summary")

        async def work(tx: Tx) -> CommitmentBreached:
            lock = await _lock_open(tx, id, department, on)
            record, deadline = await create_negative_record(
                tx, Subject(entity=lock["party"], person=None), department, "COMMITMENT_BREACH", severity.value, on,
                summary.strip(), f"breach of commitment {id}")
            await tx.run("commitment_breach_link", id=id, record=record.id)
            return CommitmentBreached(commitment=await _close(tx, lock, id, "BREACHED", on), record=record,
                                      publish_due_on=deadline.due)

        return await write(info, "breachCommitment", work)


@strawberry.type
class CommitmentQueries:
    @strawberry.field(description="Commitments made to a department, soonest due first: by state as of a day "
                                  "(default today; OVERDUE = open past its due day) and due before a day.")
    async def commitments(self, info: Info[Context, None], department: str, status: CommitmentState | None = None,
                          due_before: dt.date | None = None, as_of: dt.date | None = None, first: int = 20,
                          after: str | None = None) -> Connection[Commitment]:
        skip, limit = window(first, after)
        rows = await info.context.read(queries.department_commitments, department=department, asOf=as_of or today(),
                                       state=status.value if status else None, dueBefore=due_before,
                                       skip=skip, limit=limit)
        return build(rows[0]["totalCount"], rows[0]["page"], skip, Commitment.from_map)
