"""The closed loop of measures (发起–响应–推送–执行–反馈): each applied measure is a task pushed to its
executing departments; a department lists what it must execute and reports back (executed, or
declined with a reason); the listing department sees what is open and overdue."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, ClassVar

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import NodeKind, labelled
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.global_id import TASK, Node, node_id_field
from graph_api.api.graphql.identity import id_number_field
from graph_api.api.graphql.linkage import ListingSummary
from graph_api.api.graphql.masking import PersonName
from graph_api.api.graphql.paths import person_key
from graph_api.api.graphql.types import Measure, _date, _day
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.domain.clock import today
from graph_api.errors import BadUserInput
from graph_api.services import closed_loop
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map


@labelled
@strawberry.enum(
    description="State of a closed-loop task: pushed and waiting, executed, declined with a reason, "
    "ended with its listing, or withdrawn with it."
)
class TaskStatus(Enum):
    PENDING = "PENDING"
    EXECUTED = "EXECUTED"
    DECLINED = "DECLINED"
    ENDED = "ENDED"
    WITHDRAWN = "WITHDRAWN"


@labelled
@strawberry.enum(description="What an executing department reports.")
class TaskOutcome(Enum):
    EXECUTED = "EXECUTED"
    DECLINED = "DECLINED"


@strawberry.type(description="Whom a task's measure binds.")
class TaskSubject:
    kind: NodeKind = strawberry.field(description="Whether the subject is an entity or a person.")
    key: str = strawberry.field(description="USCC, or the opaque person key.")
    name: str = strawberry.field(description="A person's masked for the public.", extensions=[PersonName()])
    id_number_masked: str | None = strawberry.field(
        description="A person's identity number with the middle digits hidden; null for an entity."
    )
    id_number: str | None = id_number_field()
    id_cipher: strawberry.Private[str | None] = None
    id: strawberry.ID | None = node_id_field()
    ref: strawberry.Private[str | None] = None  # the natural key: USCC, or the person's key hash


@strawberry.type(description="A measure pushed to an executing department (推送), waiting for its report (反馈).")
class Task(Node):
    node_kind: ClassVar[str] = TASK
    task_id: str = strawberry.field(
        description="The task's own id (what reportExecution takes); `id` is its global id."
    )
    measure_code: str = strawberry.field(
        description="The code of the measure to execute (the measure itself: `details`)."
    )
    executor: str = strawberry.field(description="Code of the executing department (<region>-<kind>).")
    status: TaskStatus = strawberry.field(description="Where the task stands.")
    pushed_on: dt.date = strawberry.field(description="The day the task was pushed to the executing department.")
    due_on: dt.date = strawberry.field(description="The report is due by this day (working days, official calendar).")
    reported_on: dt.date | None = strawberry.field(
        description="The day its execution was reported; null while pending."
    )
    reason: str | None = strawberry.field(description="Why it was declined.")
    measure_until: dt.date | None = strawberry.field(
        description="The day the measure ended with its listing, if it did."
    )

    @field(description="The measure, the listing it comes from and whom it binds.")
    async def details(self, info: Info[Context, None]) -> TaskDetails:
        row = await info.context.batch.single(queries.task_details, self.task_id)
        return TaskDetails(
            measure=Measure.from_map(row["measure"]),
            listing=ListingSummary.from_maps(row["listing"], row["department"]),
            subjects=[
                TaskSubject(
                    kind=NodeKind(s["kind"]),
                    name=s["name"],
                    id_number_masked=s.get("idMasked"),
                    id_cipher=s["idCipher"] if s["kind"] == "PERSON" else None,
                    key=s["key"] if s["kind"] == "ENTITY" else person_key(s["key"]),
                    ref=s["key"],
                )
                for s in row["subjects"]
            ],
        )

    @classmethod
    def from_map(cls, m: Map) -> Task:
        return cls(
            task_id=m["id"],
            measure_code=m["measure"],
            executor=m["executor"],
            status=TaskStatus(m["status"]),
            pushed_on=_day(m["pushedOn"]),
            due_on=_day(m["dueOn"]),
            reported_on=_date(m.get("reportedOn")),
            reason=m.get("reason"),
            measure_until=_date(m.get("endedOn")),
        )

    def node_key(self) -> str:
        return self.task_id


@strawberry.type(description="What a task is about: the measure, the listing it comes from, whom it binds.")
class TaskDetails:
    measure: Measure = strawberry.field(description="The measure to execute.")
    listing: ListingSummary = strawberry.field(description="The listing the measure comes from.")
    subjects: list[TaskSubject] = strawberry.field(description="Whom the measure binds.")


ReportResult = Annotated[Task | Refusal, strawberry.union("ReportResult", description=refused("Task"))]


def _region_kind(department: str) -> tuple[str, str]:
    region, _, kind = department.partition("-")
    if not (region.isdigit() and kind):
        raise BadUserInput(f"department code {department!r} is not <region>-<kind>", field="department")
    return region, kind


@strawberry.type
class ClosedLoopQueries:
    @field(
        description="Tasks pushed to a department for execution, due first; the pending ones unless "
        "statuses says otherwise."
    )
    async def tasks_to_execute(
        self,
        info: Info[Context, None],
        department: Annotated[
            str, strawberry.argument(description="The executing department's code (<region>-<kind>, e.g. 370100-SCJG).")
        ],
        statuses: Annotated[
            list[TaskStatus] | None,
            strawberry.argument(description="Only tasks in one of these statuses; null for PENDING only."),
        ] = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Task]:
        w = window(first, after, queries.tasks_of_executor.name)
        region, kind = _region_kind(department)
        rows = await info.context.read(
            queries.tasks_of_executor,
            region=region,
            kind=kind,
            **w.params(),
            statuses=[s.value for s in statuses or [TaskStatus.PENDING]],
        )
        return build(rows[0], w, Task.from_map)

    @field(
        description="For a listing department: the tasks of its listings not yet reported, as of a day; "
        "overdueOnly for those past their due day."
    )
    async def open_tasks(
        self,
        info: Info[Context, None],
        department: Annotated[str, strawberry.argument(description="The listing department's code.")],
        as_of: dt.date | None = None,
        overdue_only: Annotated[bool, strawberry.argument(description="Only the tasks past their due day.")] = False,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Task]:
        w = window(first, after, queries.tasks_of_listing_department.name)
        rows = await info.context.read(
            queries.tasks_of_listing_department,
            department=department,
            asOf=as_of or today(),
            overdueOnly=overdue_only,
            **w.params(),
        )
        return build(rows[0], w, Task.from_map)


@strawberry.type
class ClosedLoopMutations:
    @mutation(
        description="Report the execution of a task pushed to the acting officer's department: "
        "EXECUTED, or DECLINED with a reason."
    )
    async def report_execution(
        self,
        info: Info[Context, None],
        task: Annotated[str, strawberry.argument(description="The task's id.")],
        outcome: Annotated[TaskOutcome, strawberry.argument(description="Executed, or declined.")],
        reason: Annotated[
            str | None, strawberry.argument(description="Why it was declined: required for DECLINED.")
        ] = None,
        on: dt.date | None = None,
    ) -> ReportResult:
        request = closed_loop.ExecutionReport(task=task, outcome=outcome.value, reason=reason, on=on)
        return await run(info, closed_loop.report_execution, request, Task.from_map)
