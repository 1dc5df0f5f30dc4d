"""Relay global object identification: the `Node` interface and its opaque ids.

An id is the kind and the natural key (USCC, a person's key hash, a listing or record id, a department or
measure code) sealed with AES-SIV under a key derived from the settings' id_encryption_key: deterministic,
so one object has one id in every answer (a client's cache normalises by it), and authenticated, so an id
cannot be read (a person's carries neither the identity number nor the key hash in clear) nor edited into
another object's. Rotating id_encryption_key changes every id."""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from typing import Any, ClassVar

import strawberry
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from strawberry.types import Info

from graph_api.api.graphql.fields import field

ENTITY, PERSON, LISTING, RECORD, DEPARTMENT, MEASURE, TASK = (
    "Entity",
    "Person",
    "Listing",
    "CreditRecord",
    "Department",
    "Measure",
    "Task",
)
KINDS = (ENTITY, PERSON, LISTING, RECORD, DEPARTMENT, MEASURE, TASK)
# Longer than any id this API makes (a kind, a 64-character key hash, the SIV tag, base64): a longer string
# was not returned by this API and is not worth decrypting.
MAX_ID_LENGTH = 400


class GlobalIds:
    """Seals and opens global ids with one key."""

    def __init__(self, encryption_key_b64: str):
        # A key of its own (HKDF): the identity-number cipher's key is never used for a second purpose.
        master = base64.b64decode(encryption_key_b64)
        derived = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=b"graph-api relay node id").derive(master)
        self._siv = AESSIV(derived)

    def encode(self, kind: str, key: str) -> str:
        sealed = self._siv.encrypt(f"{kind}:{key}".encode(), None)
        return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()

    def decode(self, global_id: str) -> tuple[str, str] | None:
        """(kind, natural key) of an id this API made, or None for anything else."""
        if not global_id or len(global_id) > MAX_ID_LENGTH or not global_id.isascii():
            return None
        try:
            sealed = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4))
            kind, sep, key = self._siv.decrypt(sealed, None).decode().partition(":")
        except (binascii.Error, ValueError, InvalidTag, UnicodeDecodeError):
            return None
        return (kind, key) if sep and kind in KINDS and key else None


@lru_cache(maxsize=4)
def _ids(encryption_key_b64: str) -> GlobalIds:
    return GlobalIds(encryption_key_b64)


def global_ids(info: Info[Any, Any]) -> GlobalIds:
    """The codec of the serving process's settings."""
    return _ids(info.context.settings.id_encryption_key.get_secret_value())


def global_id(info: Info[Any, Any], kind: str, key: str) -> strawberry.ID:
    return strawberry.ID(global_ids(info).encode(kind, key))


def decode_id(info: Info[Any, Any], value: str) -> tuple[str, str] | None:
    return global_ids(info).decode(value)


ID_DESCRIPTION = (
    "The object's global id (Relay object identification): opaque and stable; open it with node(id:) or pass "
    "it where a subject is asked for (SubjectInput.id)."
)


@strawberry.interface(description="An object that can be fetched again by its global id with node(id:) or nodes(ids:).")
class Node:
    node_kind: ClassVar[str]

    def node_key(self) -> str:
        raise NotImplementedError

    @field(description=ID_DESCRIPTION)
    def id(self, info: strawberry.Info) -> strawberry.ID:
        return global_id(info, self.node_kind, self.node_key())


# The Node kind of each kind of node on a path or in a drawing (enums.NodeKind).
OF_NODE_KIND = {"ENTITY": ENTITY, "PERSON": PERSON, "LISTING": LISTING, "RECORD": RECORD, "DEPARTMENT": DEPARTMENT}

NODE_ID_DESCRIPTION = (
    "The global id of the object (Node.id): open it with node(id:), or pass an entity's or a person's as "
    "SubjectInput.id; null for the node of undisclosed records."
)


def id_of_node(info: Info[Any, Any], node_kind: Any, key: str | None) -> strawberry.ID | None:
    """The global id of a node of kind `node_kind` (a NodeKind) whose natural key is `key`."""
    kind = OF_NODE_KIND.get(getattr(node_kind, "value", node_kind))
    return global_id(info, kind, key) if kind and key else None


def node_id_field() -> Any:
    """The `id` field of a type with a NodeKind `kind` and a private natural key `ref`."""

    def resolve(root: Any, info: strawberry.Info) -> strawberry.ID | None:
        return id_of_node(info, root.kind, root.ref)

    return strawberry.field(resolver=resolve, description=NODE_ID_DESCRIPTION)
