"""A mutation's write, as GraphQL sees it: a service called for the request's actor and audit trail, and
a `Refused` from the rules turned into the typed `Refusal` the frontend renders. A resolver is then
arguments → request → `run(info, call, to_graphql)`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.codes import RefusalCode
from graph_api.api.graphql.context import Context
from graph_api.domain.actor import Actor
from graph_api.domain.refusals import Refused
from graph_api.services.trail import Trail
from graph_api.services.unit_of_work import Store

__all__ = ["Refusal", "refusal", "refused", "run"]

T = TypeVar("T")
Q = TypeVar("Q")
R = TypeVar("R")

# A mutation's service: `(store, actor, request, trail) -> plain result`, as in graph_api.services.
Service = Callable[[Store, Actor, Q, Trail], Awaitable[T]]


@strawberry.type(
    description="An action the rules refuse in the current state (e.g. REPAIR_TOO_EARLY, ALREADY_ENDED): "
    "nothing was changed. `field` names the input at fault, when one is."
)
class Refusal:
    code: str = strawberry.field(graphql_type=RefusalCode, description="Why: a code declared with its meaning.")
    message: str = strawberry.field(description="What was refused and why, in English, for a person to read.")
    field: str | None = strawberry.field(
        description="The input field at fault (camelCase), or null when no single one is."
    )


def refused(done: str) -> str:
    """The description of a mutation's result union: what it answers when the change was made, or a Refusal."""
    return f"`{done}` when the change was made; `Refusal` when the rules refused it and nothing was changed."


def refusal(r: Refused) -> Refusal:
    return Refusal(code=r.code, message=r.message, field=r.field)


async def run(
    info: Info[Context, None], service: Service[Q, T], request: Q, to_graphql: Callable[[T], R]
) -> R | Refusal:
    """Call the service with `request` as the request's actor, with the request's purpose and personal reads
    for the audit entry, and map its plain result to the GraphQL type."""
    context = info.context
    try:
        result = await service(
            context.store, context.actor(), request, Trail(context.purpose(), frozenset(context.personal_reads))
        )
    except Refused as r:
        return refusal(r)
    context.audited = True
    return to_graphql(result)
