"""Input types shared by several root fields."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.global_id import ENTITY, PERSON, decode_id
from graph_api.api.graphql.scalars import USCC
from graph_api.domain.permissions import check_personal_data
from graph_api.domain.subjects import Subject
from graph_api.errors import BadUserInput


@strawberry.input(
    one_of=True,
    description="A party: an entity by its USCC, a person by identity number, or either by its global id.",
)
class SubjectInput:
    uscc: USCC | None = strawberry.field(
        default=strawberry.UNSET, description="An entity, by its unified social credit code."
    )
    id_number: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A person, by identity number (a personal read: audited; investigators and sanctions officers "
        "state a purpose).",
    )
    id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The global id of an Entity or a Person (Node.id, or the id of a node on a path, a "
        "neighbourhood or a search hit): a person is then opened without a clear identity number, as a "
        "personal read like idNumber.",
    )


def _not_a_subject() -> BadUserInput:
    # One error for an id that does not decode and for one of another kind: an id tells nothing more.
    return BadUserInput("id is not the global id of an entity or a person", field="id")


def entity_of(info: Info[Any, Any], subject: Any) -> str | None:
    """The USCC a subject input names (by code or by id), None for a person; a bad id is the caller's error."""
    uscc = getattr(subject, "uscc", None)
    if isinstance(uscc, str) and uscc:
        return uscc
    raw = getattr(subject, "id", None)
    if not isinstance(raw, str) or not raw:
        return None
    decoded = decode_id(info, raw)
    if decoded is None or decoded[0] not in (ENTITY, PERSON):
        raise _not_a_subject()
    return decoded[1] if decoded[0] == ENTITY else None


def subject_of(info: Info[Context, None], subject: SubjectInput) -> Subject:
    """The subject for a service: an entity by USCC, or a person by the key hash of the number (looking a
    person up is a personal read: permission, purpose and audit as `Context.person_hash` says); by global
    id the same, a person's id being as personal a read as the number."""
    if subject.id:
        decoded = decode_id(info, subject.id)
        if decoded is None or decoded[0] not in (ENTITY, PERSON):
            raise _not_a_subject()
        kind, key = decoded
        if kind == ENTITY:
            return Subject(entity=key)
        context = info.context
        check_personal_data(context.actor(), context.purpose)
        context.personal_reads.add(key)
        return Subject(person=key)
    if subject.uscc:
        return Subject(entity=subject.uscc)
    return Subject(person=info.context.person_hash(subject.id_number or ""))


def subject_params(info: Info[Context, None], subject: SubjectInput, prefix: str) -> dict[str, str | None]:
    """`{prefix}Entity` and `{prefix}Person` statement parameters: one is the key, the other null."""
    return subject_of(info, subject).params(prefix)
