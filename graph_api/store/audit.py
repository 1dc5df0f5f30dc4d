"""The audit trail: who (user, role, department or entity), when, which operation, on which subjects,
for what stated purpose — for every read of personal data and every change. Entries are chained by
SHA-256: each hash covers the entry's canonical content and the previous hash, and the head node keeps
the last one, so changing, removing or reordering an entry breaks the chain where `verify` finds it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import neo4j

from graph_api.store.cypher_loader import queries
from graph_api.store.run import run, run_sync

GENESIS = "0" * 64
FIELDS = ("seq", "at", "user", "role", "department", "entity", "operation", "kind", "subjects", "purpose")


def canonical(entry: dict[str, Any]) -> str:
    return json.dumps({k: entry.get(k) for k in FIELDS}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(prev: str, entry: dict[str, Any]) -> str:
    return hashlib.sha256((prev + canonical(entry)).encode()).hexdigest()


def new_entry(
    seq: int,
    prev: str,
    *,
    user: str,
    role: str,
    department: str | None,
    entity: str | None,
    operation: str,
    kind: str,
    subjects: list[str],
    purpose: str | None,
) -> dict[str, Any]:
    entry = {
        "seq": seq,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        "user": user,
        "role": role,
        "department": department,
        "entity": entity,
        "operation": operation,
        "kind": kind,
        "subjects": sorted(set(subjects)),
        "purpose": purpose,
        "prevHash": prev,
    }
    entry["hash"] = chain_hash(prev, entry)
    return entry


Head = tuple[int, str]  # the last entry's (seq, hash): where the next entry is chained


def chain(head: Head, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries of `batch` (each the keyword fields of `new_entry`) chained in this order after `head`."""
    (seq, prev), entries = head, []
    for fields in batch:
        seq += 1
        entry = new_entry(seq, prev, **fields)
        entries.append(entry)
        prev = entry["hash"]
    return entries


async def append(tx: neo4j.AsyncManagedTransaction, **fields: Any) -> dict[str, Any]:
    """Append one entry inside the caller's write transaction (two round trips)."""
    return (await append_all(tx, [fields]))[0]


async def append_all(
    tx: neo4j.AsyncManagedTransaction, batch: list[dict[str, Any]], sent: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Append the entries of `batch` (each the keyword fields of `new_entry`), chained in this order, inside
    the caller's write transaction: one head lock and two round trips whatever the batch's size.

    `sent` are the same batch's entries already sent by `append_after` without an answer (the connection
    was lost): when the head is their last entry, they were committed and are returned, not written twice.
    (Had another writer appended after them meanwhile, the batch is written again: the trail then names
    those reads twice, never a read it does not name.)"""
    row = (await run(tx, queries.audit_lock_head, genesis=GENESIS))[0]
    if sent and row["hash"] == sent[-1]["hash"]:
        return sent
    entries = chain((row["seq"], row["hash"]), batch)
    await run(tx, queries.audit_append, entries=entries)
    return entries


async def append_after(session: neo4j.AsyncSession, head: Head, entries: list[dict[str, Any]]) -> bool:
    """Append `entries`, chained after `head`, in one auto-commit statement if the trail's head is still
    `head`; False, with nothing written, when another writer has moved it."""
    seq, prev = head
    rows = await run(session, queries.audit_append_after, seq=seq, prevHash=prev, entries=entries)
    return rows[0]["appended"] == len(entries)


@dataclass
class Verification:
    entries: int
    broken_at: int | None  # the first sequence number whose entry does not verify
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _entries(driver: neo4j.Driver, database: str, page: int = 5000) -> Iterator[dict[str, Any]]:
    after = 0
    while True:
        rows = run_sync(driver, queries.audit_range, afterSeq=after, limit=page, database_=database)
        if not rows:
            return
        for r in rows:
            yield r["entry"]
        after = rows[-1]["entry"]["seq"]


def verify(driver: neo4j.Driver, database: str) -> Verification:
    prev, expected, count = GENESIS, 1, 0
    for e in _entries(driver, database):
        if e["seq"] != expected:
            return Verification(count, expected, f"entry {expected} is missing (next is {e['seq']})")
        if e.get("prevHash") != prev:
            return Verification(count, e["seq"], "its prevHash is not the previous entry's hash")
        if chain_hash(prev, e) != e.get("hash"):
            return Verification(count, e["seq"], "its content does not match its hash (altered)")
        prev, expected, count = e["hash"], expected + 1, count + 1
    head = run_sync(driver, queries.audit_head, database_=database)[0]
    seq = head["seq"]
    if seq is not None and (seq != count or head["hash"] != prev):
        return Verification(
            count,
            count + 1 if seq > count else count,
            f"the head says {seq} entries ending in {str(head['hash'])[:12]}…: entries were removed from the end",
        )
    return Verification(count, None, None)
