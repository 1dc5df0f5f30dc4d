"""What the audit entry of a change records besides who made it: the purpose the caller stated and the
persons it looked up by identity number for the change. The API fills it from the request; the CLI, a
job or a test may leave it empty."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from graph_api.domain.actor import Actor
from graph_api.services import unit_of_work
from graph_api.services.unit_of_work import Store, Tx

T = TypeVar("T")


@dataclass(frozen=True)
class Trail:
    purpose: str | None = None
    personal_reads: frozenset[str] = frozenset()  # key hashes of the persons looked up


NO_TRAIL = Trail()


async def write(store: Store, actor: Actor, operation: str, work: Callable[[Tx], Awaitable[T]], trail: Trail) -> T:
    """`unit_of_work.write` with the trail's purpose and personal reads in the audit entry."""
    return await unit_of_work.write(
        store, actor, operation, work, purpose=trail.purpose, personal_reads=trail.personal_reads
    )
