"""Identity numbers in clear, for the roles that need them (README, permission matrix): investigators,
to identify a person in other agencies' systems, and sanctions officers, before a decision — each
stating a purpose. Every other reader gets an error on this one field and keeps `idNumberMasked` and
the rest of the answer. Each number shown is a read of personal data: the person goes into the
request's READ_PERSONAL audit entry (audit_reads.py), by key hash."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from graph_api.domain.permissions import check_clear_id_number

DESCRIPTION = (
    "The identity number in clear: only for investigators and sanctions officers who state a purpose "
    "(header x-purpose); every read is recorded in the audit trail. Any other reader gets FORBIDDEN on "
    "this field (the rest of the answer stands) and reads idNumberMasked."
)


def clear_id_number(root: Any, info: Info) -> str | None:
    """The decrypted number of `root.id_cipher` (None when the object is not a person)."""
    cipher = root.id_cipher
    if cipher is None:
        return None
    context = info.context
    check_clear_id_number(context.actor(), context.purpose)
    number: str = context.ids.decrypt(cipher)
    # The keyed hash of the number is the person's idHash, so no row needs to carry it for the audit.
    context.personal_reads.add(context.ids.hash(number))
    return number


def id_number_field() -> Any:
    """The `idNumber` field of a type with a private `id_cipher` (the person's Person.idCipher, or None)."""
    return strawberry.field(resolver=clear_id_number, description=DESCRIPTION)
