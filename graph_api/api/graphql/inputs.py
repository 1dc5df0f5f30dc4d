"""Input types shared by several root fields."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.scalars import USCC
from graph_api.domain.subjects import Subject


@strawberry.input(one_of=True, description="A party: an entity by its USCC, or a person by identity number.")
class SubjectInput:
    uscc: USCC | None = strawberry.field(
        default=strawberry.UNSET, description="An entity, by its unified social credit code."
    )
    id_number: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A person, by identity number (a personal read: audited; investigators and sanctions officers "
        "state a purpose).",
    )


def subject_of(info: Info[Context, None], subject: SubjectInput) -> Subject:
    """The subject for a service: an entity by USCC, or a person by the key hash of the number (looking a
    person up is a personal read: permission, purpose and audit as `Context.person_hash` says)."""
    if subject.uscc:
        return Subject(entity=subject.uscc)
    return Subject(person=info.context.person_hash(subject.id_number or ""))


def subject_params(info: Info[Context, None], subject: SubjectInput, prefix: str) -> dict[str, str | None]:
    """`{prefix}Entity` and `{prefix}Person` statement parameters: one is the key, the other null."""
    return subject_of(info, subject).params(prefix)
