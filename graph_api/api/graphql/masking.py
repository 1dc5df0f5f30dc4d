"""Person names as the public sees them, masked by the domain's one rule (domain/masking.py).
Everyone with a credential sees names in full. Identity numbers are masked for everyone
(`idNumberMasked`, pii.py); only investigators and sanctions officers who state a purpose read them
in clear, in `idNumber`, each read audited (identity.py)."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from graph_api.domain.masking import mask_name
from graph_api.domain.permissions import reads_names_in_clear

__all__ = ["PersonName", "for_public", "is_person", "mask_name"]


def for_public(info: Info) -> bool:
    return not reads_names_in_clear(info.context.actor())


def is_person(source: Any) -> bool:
    kind = getattr(source, "kind", None)
    return kind is None or getattr(kind, "value", kind) == "PERSON"


class PersonName(FieldExtension):
    """On a `name` field: masked for the public when the object is a person."""

    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        value = next_(source, info, **kwargs)
        return mask_name(value) if is_person(source) and for_public(info) else value
