"""Identity numbers at rest: encrypted (AES-GCM), a keyed hash for exact lookup, a masked form for
display. The clear number never reaches the graph, a log or a reader without the right to see it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from graph_api.settings import Settings


@dataclass(frozen=True)
class ProtectedId:
    hash: str
    cipher: str
    masked: str


class IdProtector:
    def __init__(self, encryption_key_b64: str, hash_key: str):
        key = base64.b64decode(encryption_key_b64)
        if len(key) not in (16, 24, 32):
            raise ValueError("id_encryption_key must be base64 of 16, 24 or 32 bytes")
        self._aead = AESGCM(key)
        self._hash_key = hash_key.encode()

    @classmethod
    def from_settings(cls, settings: Settings) -> IdProtector:
        return cls(settings.id_encryption_key.get_secret_value(), settings.id_hash_key.get_secret_value())

    def hash(self, number: str) -> str:
        return self._hash(number)

    @lru_cache(maxsize=65536)  # noqa: B019 - one protector per process; roles and holdings repeat persons
    def _hash(self, number: str) -> str:
        return hmac.new(self._hash_key, number.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, number: str) -> str:
        nonce = os.urandom(12)
        return base64.b64encode(nonce + self._aead.encrypt(nonce, number.encode(), None)).decode()

    def decrypt(self, token: str) -> str:
        raw = base64.b64decode(token)
        return self._aead.decrypt(raw[:12], raw[12:], None).decode()

    def protect(self, number: str) -> ProtectedId:
        return ProtectedId(self.hash(number), self.encrypt(number), mask(number))


def mask(number: str) -> str:
    """Keep the first 4 and last 4 characters, as Chinese credit portals display identity numbers."""
    if len(number) <= 8:
        return number[:1] + "*" * (len(number) - 1)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
