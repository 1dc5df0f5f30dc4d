"""The audit trail as administrators read it. Nothing in the API writes it except the hooks that append
(writes.py, audit_reads.py); nothing changes or deletes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import field
from graph_api.store.cypher_loader import queries


@strawberry.type(description="One audit entry: who read or changed what, when, and why; chained by SHA-256.")
class AuditEntry:
    seq: int
    at: dt.datetime
    user: str
    role: str
    department: str | None
    entity: str | None
    operation: str
    kind: str = strawberry.field(description="READ_PERSONAL or CHANGE.")
    subjects: list[str] = strawberry.field(description="USCCs, and persons by their key hash (never the number).")
    purpose: str | None
    hash: str
    prev_hash: str

    @classmethod
    def from_map(cls, m: Mapping[str, Any]) -> AuditEntry:
        return cls(
            seq=m["seq"],
            at=dt.datetime.fromisoformat(m["at"]),
            user=m["user"],
            role=m["role"],
            department=m.get("department"),
            entity=m.get("entity"),
            operation=m["operation"],
            kind=m["kind"],
            subjects=list(m.get("subjects") or []),
            purpose=m.get("purpose"),
            hash=m["hash"],
            prev_hash=m["prevHash"],
        )


@strawberry.type
class AuditQueries:
    @field(description="The audit trail, newest first (administrators only).")
    async def audit_log(
        self,
        info: Info[Context, None],
        user: str | None = None,
        operation: str | None = None,
        subject: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AuditEntry]:
        w = window(first, after, queries.audit_page.name)
        rows = await info.context.read(
            queries.audit_page, user=user, operation=operation, subject=subject, **w.params()
        )
        return build(rows[0], w, AuditEntry.from_map)
