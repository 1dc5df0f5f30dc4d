"""The audit trail as administrators read it. Nothing in the API writes it except the hooks that append
(writes.py, audit_reads.py); nothing changes or deletes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.codes import ActorRole, AuditKind
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import field
from graph_api.store.cypher_loader import queries


@strawberry.type(description="One audit entry: who read or changed what, when, and why; chained by SHA-256.")
class AuditEntry:
    seq: int = strawberry.field(description="Position in the chain: 1 for the first entry, one more for each next.")
    at: dt.datetime = strawberry.field(description="When the read or change happened (UTC).")
    user: str = strawberry.field(description="The user id of the credentials that made the request.")
    role: str = strawberry.field(graphql_type=ActorRole, description="The role the user acted in.")
    department: str | None = strawberry.field(
        description="The code of the department the user acted for; null for none."
    )
    entity: str | None = strawberry.field(description="The USCC of the entity the user acted for; null for none.")
    operation: str = strawberry.field(
        description="What was done: the root fields a read asked for (sorted, comma-separated), or the mutation."
    )
    kind: str = strawberry.field(graphql_type=AuditKind, description="A personal read or a change.")
    subjects: list[str] = strawberry.field(description="USCCs, and persons by their key hash (never the number).")
    purpose: str | None = strawberry.field(
        description="The purpose the reader stated (`x-purpose` header); null if none."
    )
    hash: str = strawberry.field(description="SHA-256 (hex) of this entry and the previous entry's hash.")
    prev_hash: str = strawberry.field(description="The previous entry's `hash` (64 zeros for the first entry).")

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
        user: Annotated[str | None, strawberry.argument(description="Only entries by this user id.")] = None,
        operation: Annotated[
            str | None, strawberry.argument(description="Only entries whose `operation` is this.")
        ] = None,
        subject: Annotated[
            str | None,
            strawberry.argument(description="Only entries naming this USCC or person key hash in `subjects`."),
        ] = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[AuditEntry]:
        w = window(first, after, queries.audit_page.name)
        rows = await info.context.read(
            queries.audit_page, user=user, operation=operation, subject=subject, **w.params()
        )
        return build(rows[0], w, AuditEntry.from_map)
