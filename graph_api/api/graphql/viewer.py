"""`viewer`: who the request's credential says is reading (Relay's name for the signed-in user), so that a
client shows the role the server acts on instead of guessing it from a token it cannot verify. It answers
only what the credential itself carries, with no database read: nothing personal beyond the token."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.codes import ActorRole
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.scalars import USCC


@strawberry.type(description="The reader of this request, as its credential names it; the public without one.")
class Viewer:
    user_id: str | None = strawberry.field(
        description="The user id the credential names (a token's `sub`, an API key's user); null for the public."
    )
    role: str = strawberry.field(graphql_type=ActorRole, description="The role the server acts on for this request.")
    department_code: str | None = strawberry.field(
        description="The department an officer acts for, as its credential names it (`department(code:)` "
        "reads it); null for every other role."
    )
    uscc: USCC | None = strawberry.field(description="The entity an entity user acts for; null for every other role.")
    purpose: str | None = strawberry.field(
        description="The purpose stated in the `x-purpose` header of this request, decoded; null without one."
    )


@strawberry.type
class ViewerQueries:
    @field(
        description="Who is reading: the user id, role, department or entity and stated purpose of this "
        "request's credential (role PUBLIC without one). An invalid credential is UNAUTHENTICATED."
    )
    async def viewer(self, info: Info[Context, None]) -> Viewer:
        context = info.context
        actor = context.actor()
        return Viewer(
            user_id=None if actor.is_public else actor.user,
            role=actor.role,
            department_code=actor.department if actor.role == "OFFICER" else None,
            uscc=USCC(actor.uscc) if actor.role == "ENTITY" and actor.uscc else None,
            purpose=context.purpose(),
        )
