"""Which facts an import has written so far, approximately and in fixed memory.

A validating worker finds a fact unchanged as of its own read of the graph; that answer stands unless
this same import writes the key before the parent reaches the line (the key twice in a file, changed
and changed back). The parent therefore needs to know, for each such light item, whether it wrote the
key earlier: "no" must be certain, "maybe" only costs the confirmation in the write transaction that
every light item used to get.

Written by hand: a two-probe Bloom filter over one bytearray is a dozen lines, where a library (rbloom,
pybloom-live) would be a compiled dependency for them; its memory is fixed however many keys the
import writes (8 MiB), so the importer's memory stays flat on any file."""

from __future__ import annotations

import hashlib

_BITS = 1 << 26  # 8 MiB; with 1,000,000 keys written, about 0.09 % of the others answer "maybe"
_MASK = _BITS - 1


class WrittenKeys:
    def __init__(self) -> None:
        self._bits = bytearray(_BITS // 8)

    @staticmethod
    def _probes(kind: str, key: str) -> tuple[int, int]:
        d = int.from_bytes(hashlib.blake2b(f"{kind}|{key}".encode(), digest_size=8).digest(), "little")
        return d & _MASK, (d >> 32) & _MASK

    def add(self, kind: str, key: str) -> None:
        for p in self._probes(kind, key):
            self._bits[p >> 3] |= 1 << (p & 7)

    def may_hold(self, kind: str, key: str) -> bool:
        """False only for a key never added."""
        return all(self._bits[p >> 3] & (1 << (p & 7)) for p in self._probes(kind, key))
