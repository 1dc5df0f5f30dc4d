"""A mutation as GraphQL runs it: a service called for the request's actor and audit trail, and a
`Refused` from the rules turned into the typed `Refusal`. A resolver is then arguments -> request ->
`run(info, service, request, to_graphql)`.

The same `run` as `graph_api.api.graphql.writes.run` on branch svc1 (B1 owns writes.py, which this
branch may not change): once both are merged, the resolvers import `run` from writes and this module goes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.writes import Refusal, refusal
from graph_api.domain.actor import Actor
from graph_api.domain.refusals import Refused
from graph_api.services.trail import Trail
from graph_api.services.unit_of_work import Store

T = TypeVar("T")
Q = TypeVar("Q")
R = TypeVar("R")

# A mutation's service: `(store, actor, request, trail) -> plain result`, as in graph_api.services.
Service = Callable[[Store, Actor, Q, Trail], Awaitable[T]]


async def run(info: Info[Context, None], service: Service[Q, T], request: Q,
              to_graphql: Callable[[T], R]) -> R | Refusal:
    """Call the service with `request` as the request's actor, with the request's purpose and personal reads
    for the audit entry, and map its plain result to the GraphQL type. A refusal raised before the write
    (the draw's UNKNOWN_DEPARTMENT) or inside it becomes a `Refusal` alike."""
    context = info.context
    try:
        result = await service(context.store, context.actor(), request,
                               Trail(context.purpose(), frozenset(context.personal_reads)))
    except Refused as r:
        return refusal(r)
    context.audited = True
    return to_graphql(result)
