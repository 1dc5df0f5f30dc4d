"""A negative record that a lifecycle creates on its own (a commitment breached, an interview held):
recorded like a decision of the department (decision_create), due for publication within 7 working
days by the official calendar, with its history entry."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph_api.domain import vocabulary as domain
from graph_api.domain.subjects import Subject
from graph_api.domain.workdays import PUBLICATION_WORKING_DAYS, Deadline, add_working_days
from graph_api.services.unit_of_work import Tx
from graph_api.services.watch_alerts import record_made
from graph_api.store.cypher_loader import queries

# Properties a record map may lack when null (a map projection leaves them out); the readers expect them.
OPTIONAL_RECORD_KEYS = ("decisionNo", "publishedOn", "summary", "severity")


@dataclass(frozen=True)
class RecordMade:
    record: dict[str, Any]  # the record's properties with its `department` map
    deadline: Deadline  # for publication

    @property
    def id(self) -> str:
        return str(self.record["id"])


async def record_with_department(tx: Tx, record: Mapping[str, Any], department: str) -> dict[str, Any]:
    """A record's properties as the readers take them: the optional ones present, the department's map added."""
    dept = await tx.single(queries.department_by_code, code=department)
    return {**{k: record.get(k) for k in OPTIONAL_RECORD_KEYS}, **record, "department": dept["department"]}


async def create_negative_record(
    tx: Tx,
    subject: Subject,
    department: str,
    category: str,
    severity: str,
    decided_on: dt.date,
    summary: str | None,
    why: str,
) -> RecordMade:
    assert category in domain.NEGATIVE_CATEGORIES, category
    record_id = f"{department}-{decided_on.year}-{uuid.uuid4().hex[:10].upper()}"
    deadline = add_working_days(decided_on, PUBLICATION_WORKING_DAYS)
    props: dict[str, Any] = {
        "category": category,
        "polarity": domain.polarity_of(category),
        "severity": severity,
        "decisionNo": None,
        "decidedOn": decided_on,
        "summary": summary,
        "disclosure": "PUBLIC",
        "publishedOn": None,
        "publishDueOn": deadline.due,
        "publishDueEstimated": deadline.estimated,
    }
    row = await tx.single(
        queries.decision_create, department=department, id=record_id, props=props, **subject.params("subject")
    )
    tx.changed(
        row["nodeId"],
        "Record",
        record_id,
        subject.party,
        f"{category} record {record_id} recorded: {why}",
        None,
        dict(row["record"]),
    )
    made = RecordMade(await record_with_department(tx, row["record"], department), deadline)
    await record_made(tx, row["subject"], row["record"])
    return made
