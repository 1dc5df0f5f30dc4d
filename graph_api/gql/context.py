"""The per-request context: the process's driver, settings, and one round-trip helper."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import neo4j
from starlette.requests import Request

from ..identifiers import normalize_person_ref
from ..pii import IdProtector
from ..settings import Settings
from .actor import Actor, actor_from_request
from .connections import BatchLoader


@dataclass
class Context:
    request: Request | None
    driver: neo4j.AsyncDriver
    settings: Settings
    ids: IdProtector
    round_trips: int = 0
    batch: BatchLoader = field(init=False)
    _actor: Actor | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.batch = BatchLoader(self.read)

    def actor(self) -> Actor:
        """Who is acting (the public when the request has no credential); an invalid credential is
        UNAUTHENTICATED, never silently the public."""
        if self._actor is None:
            self._actor = actor_from_request(self.request, self.settings)
        return self._actor

    def person_hash(self, id_number: str) -> str:
        """The lookup key of a person; a malformed number is the caller's error, with its reason."""
        return self.ids.hash(normalize_person_ref(id_number))

    async def read(self, statement: str, **params: Any) -> list[neo4j.Record]:
        """One read round trip; reads go through read transactions so a cluster routes them to readers."""
        self.round_trips += 1
        result = await self.driver.execute_query(
            statement, params, database_=self.settings.neo4j_database, routing_=neo4j.RoutingControl.READ)
        return result.records
