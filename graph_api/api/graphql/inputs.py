"""Input types shared by several root fields."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.scalars import USCC


@strawberry.input(one_of=True, description="A party: an entity by its USCC, or a person by identity number.")
class SubjectInput:
    uscc: USCC | None = strawberry.UNSET
    id_number: str | None = strawberry.UNSET


def subject_params(info: Info[Context, None], subject: SubjectInput, prefix: str) -> dict[str, str | None]:
    """`{prefix}Entity` and `{prefix}Person` statement parameters: one is the key, the other null."""
    if subject.uscc:
        return {f"{prefix}Entity": subject.uscc, f"{prefix}Person": None}
    return {f"{prefix}Entity": None, f"{prefix}Person": info.context.person_hash(subject.id_number or "")}
