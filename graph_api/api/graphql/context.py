"""The per-request context: the process's driver, settings, and one round-trip helper."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import neo4j
from starlette.requests import Request

from graph_api.api.graphql.actor import (
    PURPOSE_HEADER,
    Actor,
    actor_from_request,
    check_request_credentials,
    stated_purpose,
)
from graph_api.api.graphql.connections import BatchLoader
from graph_api.domain.identifiers import normalize_person_ref
from graph_api.domain.permissions import check_personal_data
from graph_api.services.unit_of_work import Store
from graph_api.settings import Settings
from graph_api.store.audit_appender import AuditAppender
from graph_api.store.pii import IdProtector
from graph_api.store.run import read
from graph_api.store.statement import Statement

R = TypeVar("R")


@dataclass
class Context:
    request: Request | None
    driver: neo4j.AsyncDriver
    settings: Settings
    ids: IdProtector
    audit: AuditAppender  # writes the entries of audited reads (audit_reads.py)
    store: Store = field(init=False)  # what the services write through; it counts this request's round trips
    batch: BatchLoader = field(init=False)
    _actor: Actor | None = field(default=None, init=False)
    personal_reads: set[str] = field(default_factory=set, init=False)
    audited: bool = field(default=False, init=False)  # a mutation wrote the request's audit entry

    def __post_init__(self) -> None:
        self.store = Store(self.driver, self.settings.neo4j_database)
        self.batch = BatchLoader(self.read)

    @property
    def round_trips(self) -> int:
        return self.store.round_trips

    @round_trips.setter
    def round_trips(self, value: int) -> None:
        self.store.round_trips = value

    def actor(self) -> Actor:
        """Who is acting (the public when the request has no credential); an invalid credential is
        UNAUTHENTICATED, never silently the public."""
        if self._actor is None:
            self._actor = actor_from_request(self.request, self.settings)
        return self._actor

    def authenticate(self) -> None:
        """Check the request's credential and purpose, as presented, before anything is answered."""
        self._actor = check_request_credentials(self.request, self.settings)

    def purpose(self) -> str | None:
        """The purpose the reader states for reading personal data: header x-purpose, UTF-8 percent-encoded
        (HTTP header values are ASCII; 案件核查 travels as %E6%A1%88%E4%BB%B6%E6%A0%B8%E6%9F%A5). No header
        is no purpose; a header that does not decode to meaningful text is the caller's error."""
        raw = self.request.headers.get(PURPOSE_HEADER) if self.request else None
        return None if raw is None else stated_purpose(raw)

    def person_hash(self, id_number: str) -> str:
        """The lookup key of a person, for a reader allowed personal data (and who stated a purpose where
        the role must); the person is remembered for the request's audit entry. A malformed number is
        the caller's error, with its reason."""
        check_personal_data(self.actor(), self.purpose)
        key = self.ids.hash(normalize_person_ref(id_number))
        self.personal_reads.add(key)
        return key

    def open_person(self, key: str) -> None:
        """Reading a person's relations, reached by any way (person(idNumber:), node(id:), or walking from a
        role or holding): the rule of person(idNumber:), and the person goes into the request's audit entry."""
        check_personal_data(self.actor(), self.purpose)
        self.personal_reads.add(key)

    async def read(self, statement: Statement[R], /, **params: Any) -> list[R]:
        """The rows of one read round trip; reads go in READ sessions so a cluster routes them to readers."""
        self.round_trips += 1
        # Auto-commit, retried as a managed transaction would be (store/run.py `read`). No bookmarks: writes
        # run in their own sessions, so chaining reads to reads buys nothing, and after a restore (graph-api
        # db restore) the database sits below the ids reads had seen and a bookmarked read would wait for
        # transactions that never come.
        return await read(
            self.driver,
            statement,
            database_=self.settings.neo4j_database,
            timeout_=self.settings.neo4j_query_timeout,
            retry_for_=self.settings.neo4j_max_retry_time,
            **params,
        )
