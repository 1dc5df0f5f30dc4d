"""The closed loop of measures (发起–响应–推送–执行–反馈), its last step: an executing department reports
the execution of a task pushed to it — executed, or declined with a reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph_api.domain.actor import Actor
from graph_api.domain.refusals import Refused, check_department
from graph_api.errors import BadUserInput
from graph_api.services.inputs import day_done, one_of
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries

OUTCOMES = ("EXECUTED", "DECLINED")


@dataclass(frozen=True)
class ExecutionReport:
    task: str
    outcome: str  # one of OUTCOMES
    reason: str | None = None  # required when DECLINED
    on: dt.date | None = None  # today when None


async def report_execution(store: Store, actor: Actor, r: ExecutionReport, trail: Trail = NO_TRAIL) -> dict[str, Any]:
    """Report a task pushed to the acting officer's department; the task's properties after the report."""
    department = actor.officer()
    one_of(r.outcome, OUTCOMES, "outcome")
    if r.outcome == "DECLINED" and not (r.reason or "").strip():
        raise BadUserInput("a declined task needs a reason", field="reason")
    day = day_done(r.on, "on")

    async def work(tx: Tx) -> dict[str, Any]:
        lock = await tx.lock(queries.task_lock, f"task {r.task!r}", id=r.task)
        before = dict(lock["task"])
        check_department(department, before["executor"], f"task {r.task}", "was pushed to")
        if before["status"] != "PENDING":
            raise Refused("ALREADY_REPORTED", f"task {r.task} is {before['status']}")
        if day < before["pushedOn"].to_native():
            raise Refused("BEFORE_PUSH", f"{day} is before the task was pushed ({before['pushedOn']})", field="on")
        row = await tx.single(
            queries.task_report, id=r.task, status=r.outcome, on=day, reason=r.reason, user=tx.actor.user
        )
        after: dict[str, Any] = dict(row["t"])
        tx.changed(
            lock["nodeId"],
            "Task",
            r.task,
            lock["party"],
            f"task {r.task} ({before['measure']}) {r.outcome.lower()}",
            before,
            {k: after.get(k) for k in ("status", "reportedOn", "reason")},
        )
        return after

    return await write(store, actor, "reportExecution", work, trail)
