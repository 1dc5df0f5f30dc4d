"""A negative record that a lifecycle creates on its own (a commitment breached, an interview held):
recorded like a decision of the department (decision_create), due for publication within 7 working
days by the official calendar, with its history entry."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from graph_api.domain import vocabulary as domain
from graph_api.domain.subjects import Subject
from graph_api.domain.workdays import PUBLICATION_WORKING_DAYS, Deadline, add_working_days
from graph_api.services.unit_of_work import Tx


async def create_negative_record(tx: Tx, subject: Subject, department: str, category: str, severity: str,
                                 decided_on: dt.date, summary: str | None, why: str) -> tuple[dict[str, Any], Deadline]:
    """The record as a map (the fields CreditRecord reads, its department included) and its publication deadline."""
    assert category in domain.NEGATIVE_CATEGORIES, category
    record_id = f"{department}-{decided_on.year}-{uuid.uuid4().hex[:10].upper()}"
    deadline = add_working_days(decided_on, PUBLICATION_WORKING_DAYS)
    props: dict[str, Any] = {
        "category": category, "polarity": domain.polarity_of(category), "severity": severity, "decisionNo": None,
        "decidedOn": decided_on, "summary": summary, "disclosure": "PUBLIC", "publishedOn": None,
        "publishDueOn": deadline.due, "publishDueEstimated": deadline.estimated}
    row = await tx.one("decision_create", department=department, id=record_id, props=props, **subject.params("subject"))
    tx.changed(row["nodeId"], "Record", record_id, subject.party, f"{category} record {record_id} recorded: {why}",
               None, dict(row["record"]))
    dept = await tx.one("department_by_code", code=department)
    record = {"decisionNo": None, "publishedOn": None, "summary": None, **row["record"],
              "department": dept["department"]}
    return record, deadline
