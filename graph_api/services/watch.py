"""Watchlists (关注名单): a user watches an entity or a person for the kinds of alert it asks for (all when
none are named). A watch is the user's own, not its department's: each officer keeps its own inbox, and
what a department must act on (a bound person reappearing) reaches the department by the alert rule
itself (cypher/watch.cypher alerts_raise). Watching a person by identity number is a personal read, in
the change's audit entry (the trail)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from graph_api.domain.actor import Actor
from graph_api.domain.alerts import ALERT_KINDS
from graph_api.domain.clock import today
from graph_api.domain.permissions import record_params
from graph_api.domain.refusals import Refused
from graph_api.domain.subjects import Subject
from graph_api.errors import BadUserInput
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.store.cypher_loader import queries


@dataclass(frozen=True)
class WatchRequest:
    subject: Subject
    events: tuple[str, ...] = ()  # every kind when empty


@dataclass(frozen=True)
class WatchMade:
    watch: dict[str, Any]  # id, events, createdAt, subject {kind, uscc, idHash, name}
    created: bool  # False: the user watched the subject already and its events were replaced


async def watch(store: Store, actor: Actor, r: WatchRequest, trail: Trail = NO_TRAIL) -> WatchMade:
    """Watch a subject for the acting user (again: its events replaced)."""
    unknown = sorted(set(r.events) - set(ALERT_KINDS))
    if unknown:
        raise BadUserInput(f"unknown alert kinds: {', '.join(unknown)}", field="events")
    events = sorted(set(r.events))

    async def work(tx: Tx) -> WatchMade:
        row = await tx.one(
            queries.watch_upsert,
            id=uuid.uuid4().hex,
            user=actor.user,
            department=actor.department,
            events=events,
            **r.subject.params("subject"),
        )
        if row is None:
            raise Refused("NOT_FOUND", "the subject to watch is not in the graph", field="subject")
        w = row["watch"]
        tx.changed(
            row["nodeId"],
            "Watch",
            w["id"],
            None,  # a watch is its owner's business, not a change of the subject (kept out of its change log)
            "watch made" if row["created"] else "watch events changed",
            None,
            {"user": actor.user, "events": events},
        )
        return WatchMade(watch=dict(w), created=row["created"])

    return await write(store, actor, "watch", work, trail)


async def unwatch(store: Store, actor: Actor, watch_id: str, trail: Trail = NO_TRAIL) -> dict[str, Any]:
    """End one of the acting user's watches; another user's watch is as unknown as a missing one."""

    async def work(tx: Tx) -> dict[str, Any]:
        row = await tx.one(queries.watch_end, id=watch_id, user=actor.user)
        if row is None:
            raise Refused("NOT_FOUND", f"you have no watch {watch_id!r}", field="id")
        tx.changed(row["nodeId"], "Watch", watch_id, None, "watch ended", {"status": "ACTIVE"}, None)
        return dict(row["watch"])

    return await write(store, actor, "unwatch", work, trail)


async def acknowledge(store: Store, actor: Actor, alert_id: str, trail: Trail = NO_TRAIL) -> dict[str, Any]:
    """Acknowledge an alert to the acting user or its department; one for someone else is unknown. Its
    record ids come back as `hidden` where the actor may not see the record."""

    async def work(tx: Tx) -> dict[str, Any]:
        row = await tx.one(
            queries.alert_acknowledge,
            id=alert_id,
            user=actor.user,
            department=actor.department,
            **record_params(actor, today()),
        )
        if row is None:
            raise Refused("NOT_FOUND", f"you have no alert {alert_id!r}", field="id")
        return dict(row["alert"])

    return await write(store, actor, "acknowledgeAlert", work, trail)
