"""The negative record a lifecycle creates on its own, as GraphQL shows it. The rule is the service's
(`graph_api.services.negative_records`); this maps its result to a `CreditRecord` for the resolvers
that still run their work here."""

from __future__ import annotations

import datetime as dt

from graph_api.api.graphql.types import CreditRecord
from graph_api.domain.subjects import Subject
from graph_api.domain.workdays import Deadline
from graph_api.services import negative_records
from graph_api.services.unit_of_work import Tx

__all__ = ["Subject", "create_negative_record"]


async def create_negative_record(tx: Tx, subject: Subject, department: str, category: str, severity: str,
                                 decided_on: dt.date, summary: str | None, why: str) -> tuple[CreditRecord, Deadline]:
    made = await negative_records.create_negative_record(tx, subject, department, category, severity, decided_on,
                                                         summary, why)
    return CreditRecord.from_map(made.record), made.deadline
