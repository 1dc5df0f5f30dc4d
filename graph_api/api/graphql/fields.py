"""`@field(description=...)` and `@mutation(description=...)` for resolvers: strawberry's own decorators,
typed. Called with keywords only, `strawberry.field(...)` and `strawberry.mutation(...)` are typed `Any`
(the same call also declares a plain, resolver-less field), and mypy --strict refuses an untyped decorator
on a resolver; given the resolver itself, strawberry types them as returning a `StrawberryField`."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.types.field import StrawberryField

Resolver = Callable[..., object]


def field(*, description: str) -> Callable[[Resolver], StrawberryField]:
    def decorate(resolver: Resolver) -> StrawberryField:
        return strawberry.field(resolver, description=description)

    return decorate


def mutation(*, description: str) -> Callable[[Resolver], StrawberryField]:
    def decorate(resolver: Resolver) -> StrawberryField:
        return strawberry.mutation(resolver, description=description)

    return decorate
