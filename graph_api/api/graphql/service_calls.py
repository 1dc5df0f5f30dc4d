"""A mutation as GraphQL runs it: the service called with the request's store and actor, the request's
stated purpose and personal reads for the audit entry, and a `Refused` turned into the typed `Refusal`.
A resolver is then: input -> the service's request -> `run` -> the GraphQL type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.writes import Refusal, refusal
from graph_api.domain.refusals import Refused

T = TypeVar("T")


async def run(info: Info[Context, None], service: Callable[..., Awaitable[T]], *args: Any,
              **kwargs: Any) -> T | Refusal:
    """`service(store, actor, *args, purpose=..., personal_reads=..., **kwargs)`; a refusal raised before
    or inside its write becomes a `Refusal`, and on success the change's audit entry is the request's."""
    context = info.context
    try:
        result = await service(context.store, context.actor(), *args, purpose=context.purpose(),
                               personal_reads=context.personal_reads, **kwargs)
    except Refused as r:
        return refusal(r)
    context.audited = True
    return result
