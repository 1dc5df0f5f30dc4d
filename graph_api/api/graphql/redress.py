"""What repair applications and objections share in GraphQL: their target (a record or a listing); the
rules about it are in graph_api/services/redress.py."""

from __future__ import annotations

import strawberry

from graph_api.api.graphql.enums import TargetKind
from graph_api.services.redress import Target


@strawberry.input(one_of=True, description="A credit record or a listing, by its id.")
class TargetInput:
    record: str | None = strawberry.field(default=strawberry.UNSET, description="A credit record, by its id.")
    listing: str | None = strawberry.field(default=strawberry.UNSET, description="A listing, by its id.")


@strawberry.type(description="The record or listing an application or an objection is about.")
class TargetRef:
    kind: TargetKind = strawberry.field(description="Whether it is a record or a listing.")
    id: str = strawberry.field(description="Its id.")


def target_of(target: TargetInput) -> Target:
    return Target(record=target.record or None, listing=target.listing or None)
