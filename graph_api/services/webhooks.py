"""A department's webhooks: registered by one of its officers (the URL checked by domain/webhooks.py, the
signing secret made here, returned once and kept sealed with the key that seals identity numbers), removed,
and a DEAD delivery put back. Delivery itself is services/webhooks_delivery.py."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph_api.domain import webhooks
from graph_api.domain.actor import Actor
from graph_api.domain.alerts import ALERT_KINDS
from graph_api.domain.refusals import Refused
from graph_api.errors import BadUserInput
from graph_api.services.trail import NO_TRAIL, Trail, write
from graph_api.services.unit_of_work import Store, Tx
from graph_api.settings import get_settings
from graph_api.store.cypher_loader import queries
from graph_api.store.pii import IdProtector


@lru_cache(maxsize=1)
def sealer() -> IdProtector:
    """The process's sealing of secrets at rest (the identity numbers' AES-GCM key)."""
    return IdProtector.from_settings(get_settings())


def allowed_networks() -> tuple[webhooks.Network, ...]:
    return webhooks.networks(get_settings().webhook_allowed_networks)


@dataclass(frozen=True)
class WebhookRequest:
    url: str
    events: tuple[str, ...] = ()  # every kind when empty


@dataclass(frozen=True)
class Registered:
    webhook: dict[str, Any]
    secret: str  # shown once, never readable again


async def register(store: Store, actor: Actor, r: WebhookRequest, trail: Trail = NO_TRAIL) -> Registered:
    """Register a webhook for the acting officer's department."""
    department = actor.officer()
    url = webhooks.check_url(r.url, allowed_networks())
    unknown = sorted(set(r.events) - set(ALERT_KINDS))
    if unknown:
        raise BadUserInput(f"unknown alert kinds: {', '.join(unknown)}", field="events")
    events = sorted(set(r.events))
    secret = secrets.token_urlsafe(32)

    async def work(tx: Tx) -> Registered:
        row = await tx.one(
            queries.webhook_create,
            id=uuid.uuid4().hex,
            department=department,
            url=url,
            events=events,
            secret=sealer().encrypt(secret),
            user=actor.user,
        )
        if row is None:
            found = await tx.single(queries.webhook_registered, department=department, url=url)
            if found["department"]:
                raise Refused("ALREADY_REGISTERED", "your department has a webhook for this URL already", field="url")
            raise Refused("NOT_FOUND", f"your department {department!r} is not in the graph", field="url")
        w = row["webhook"]
        # the history keeps where alerts go, never the secret
        tx.changed(row["nodeId"], "Webhook", w["id"], None, "webhook registered", None, {"url": url, "events": events})
        return Registered(webhook=dict(w), secret=secret)

    return await write(store, actor, "registerWebhook", work, trail)


async def remove(store: Store, actor: Actor, webhook_id: str, trail: Trail = NO_TRAIL) -> dict[str, Any]:
    """Remove one of the department's webhooks; another department's is as unknown as a missing one."""
    department = actor.officer()

    async def work(tx: Tx) -> dict[str, Any]:
        row = await tx.one(queries.webhook_remove, id=webhook_id, department=department)
        if row is None:
            raise Refused("NOT_FOUND", f"your department has no webhook {webhook_id!r}", field="id")
        tx.changed(row["nodeId"], "Webhook", webhook_id, None, "webhook removed", {"status": "ACTIVE"}, None)
        return dict(row["webhook"])

    return await write(store, actor, "removeWebhook", work, trail)


async def retry(store: Store, actor: Actor, delivery_id: str, trail: Trail = NO_TRAIL) -> dict[str, Any]:
    """Put a DEAD delivery of one of the department's webhooks back, to be attempted at once."""
    department = actor.officer()

    async def work(tx: Tx) -> dict[str, Any]:
        row = await tx.one(queries.webhook_delivery_requeue, id=delivery_id, department=department)
        if row is None:
            raise Refused("NOT_FOUND", f"your department's webhooks have no dead delivery {delivery_id!r}", field="id")
        tx.changed(row["nodeId"], "WebhookDelivery", delivery_id, None, "delivery retried", {"state": "DEAD"}, None)
        return dict(row["delivery"])

    return await write(store, actor, "retryWebhookDelivery", work, trail)
