"""A department's webhooks and their delivery log (the rules: services/webhooks.py; delivery:
services/webhooks_delivery.py). `alert_body` is what a webhook receives: the alert converted as the inbox
converts it (watch.Alert), for the department's officer, as JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum
from typing import Annotated, Any

import orjson
import strawberry
from strawberry.types import Info

from graph_api.api.graphql.codes import closed_set
from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import field, mutation
from graph_api.api.graphql.watch import Alert, AlertKind
from graph_api.api.graphql.writes import Refusal, refused, run
from graph_api.errors import BadUserInput
from graph_api.services import webhooks
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import Map

WebhookDeliveryState = closed_set(
    "WebhookDeliveryState",
    "Where one alert's delivery to a webhook stands.",
    {
        "PENDING": "It failed; its next attempt is scheduled (exponential backoff).",
        "DELIVERED": "The receiver answered 2xx.",
        "DEAD": "It failed the configured number of times in a row; later alerts went on (retryWebhookDelivery).",
    },
)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        return {_camel(name): _plain(v) for name, v in items if not callable(v)}  # resolvers are not data
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def alert_body(m: Map) -> bytes:
    """A webhook's body: the alert as its department's officer reads it in the inbox."""
    alert = Alert.from_map(m, m["subject"])
    body = _plain(alert)
    body["path"]["text"] = alert.path.render(mask_persons=False)  # an officer reads names in full
    return orjson.dumps({"alert": body})


@strawberry.input(description="Where to send the department's alerts, and which kinds.")
class WebhookInput:
    url: str = strawberry.field(
        description="The receiver: http(s), not a loopback, link-local, private or reserved address unless "
        "the deployment allows its range (setting webhook_allowed_networks)."
    )
    events: list[AlertKind] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The kinds of alert wanted; null or empty for all."
    )


@strawberry.type(description="A department's webhook (its secret is shown once, when registered).")
class Webhook:
    id: strawberry.ID = strawberry.field(description="The webhook's id.")
    url: str = strawberry.field(description="Where the alerts are POSTed.")
    events: list[AlertKind] = strawberry.field(  # type: ignore[valid-type]
        description="The kinds of alert sent; empty for all."
    )
    cursor: int = strawberry.field(description="The seq of the last alert delivered or given up.")
    created_at: dt.datetime = strawberry.field(description="When it was registered.")

    @classmethod
    def from_map(cls, m: Map) -> Webhook:
        return cls(
            id=strawberry.ID(m["id"]),
            url=m["url"],
            events=[AlertKind(e) for e in m["events"] or []],
            cursor=m["cursor"],
            created_at=m["createdAt"].to_native(),
        )


@strawberry.type(description="A webhook just registered, with the secret its receiver verifies signatures with.")
class RegisteredWebhook:
    webhook: Webhook = strawberry.field(description="The webhook.")
    secret: str = strawberry.field(
        description="The HMAC-SHA256 key of the X-Graph-Api-Signature header (sha256=<hex of the raw body>). "
        "Shown this once: it cannot be read again."
    )


@strawberry.type(description="One attempt to deliver an alert.")
class WebhookAttempt:
    number: int = strawberry.field(description="1 for the first attempt.")
    at: dt.datetime = strawberry.field(description="When it was made.")
    status_code: int | None = strawberry.field(description="The receiver's HTTP status; null: no answer.")
    error: str | None = strawberry.field(
        description="Why it failed: HTTP_<code>, REFUSED_ADDRESS, or the connection error's class; null: it did not."
    )
    reason: str | None = strawberry.field(
        description="When REFUSED_ADDRESS, in words: the address the receiver's host resolved to at the attempt "
        "and why it is refused (no connection was made); null otherwise."
    )
    milliseconds: int = strawberry.field(description="How long it took.")


@strawberry.type(description="One alert's delivery to a webhook, with its attempts.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="The delivery's id (for retryWebhookDelivery).")
    alert_id: str = strawberry.field(description="The alert's id, sent as the Idempotency-Key header.")
    seq: int = strawberry.field(description="The alert's seq.")
    state: WebhookDeliveryState = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    next_attempt_at: dt.datetime | None = strawberry.field(description="When PENDING: its next attempt.")
    delivered_at: dt.datetime | None = strawberry.field(description="When it was delivered.")
    attempts: list[WebhookAttempt] = strawberry.field(description="Its attempts, first first.")

    @classmethod
    def from_map(cls, m: Map) -> WebhookDelivery:
        attempts = sorted(m["attempts"], key=lambda a: a["n"])
        return cls(
            id=strawberry.ID(m["id"]),
            alert_id=m["alert"],
            seq=m["seq"],
            state=WebhookDeliveryState(m["state"]),
            next_attempt_at=_native(m["nextAttemptAt"]),
            delivered_at=_native(m["deliveredAt"]),
            attempts=[
                WebhookAttempt(
                    number=a["n"],
                    at=a["at"].to_native(),
                    status_code=a["statusCode"] or None,
                    error=a["error"] or None,
                    reason=a.get("reason") or None,
                    milliseconds=a["ms"],
                )
                for a in attempts
            ],
        )


def _native(value: Any) -> dt.datetime | None:
    return value.to_native() if value is not None else None


RegisterWebhookResult = Annotated[
    RegisteredWebhook | Refusal,
    strawberry.union("RegisterWebhookResult", description=refused("RegisteredWebhook")),
]
WebhookResult = Annotated[Webhook | Refusal, strawberry.union("WebhookResult", description=refused("Webhook"))]
WebhookDeliveryResult = Annotated[
    WebhookDelivery | Refusal, strawberry.union("WebhookDeliveryResult", description=refused("WebhookDelivery"))
]


_STATE = "Only the deliveries in this state."


def _registered(r: webhooks.Registered) -> RegisteredWebhook:
    return RegisteredWebhook(webhook=Webhook.from_map(r.webhook), secret=r.secret)


@strawberry.type
class WebhookMutations:
    @mutation(
        description="Register a webhook for the acting officer's department: its alerts raised from now on are "
        "POSTed to the URL, signed. The answer holds the signing secret, shown this once."
    )
    async def register_webhook(
        self,
        info: Info[Context, None],
        input: Annotated[WebhookInput, strawberry.argument(description="The webhook.")],
    ) -> RegisterWebhookResult:
        request = webhooks.WebhookRequest(
            url=input.url,
            events=tuple(e.value for e in input.events or []),  # type: ignore[attr-defined]
        )
        return await run(info, webhooks.register, request, _registered)

    @mutation(description="Remove one of the department's webhooks (its delivery log is kept).")
    async def remove_webhook(
        self, info: Info[Context, None], id: Annotated[strawberry.ID, strawberry.argument(description="The webhook.")]
    ) -> WebhookResult:
        return await run(info, webhooks.remove, str(id), Webhook.from_map)

    @mutation(description="Put a DEAD delivery back, to be attempted at once with a fresh count of failures.")
    async def retry_webhook_delivery(
        self, info: Info[Context, None], id: Annotated[strawberry.ID, strawberry.argument(description="The delivery.")]
    ) -> WebhookDeliveryResult:
        return await run(info, webhooks.retry, str(id), WebhookDelivery.from_map)


@strawberry.type
class WebhookQueries:
    @field(description="The acting officer's department's webhooks, newest first.")
    async def webhooks(
        self, info: Info[Context, None], first: int = 20, after: str | None = None
    ) -> Connection[Webhook]:
        department = info.context.actor().officer()
        w = window(first, after, queries.webhooks_page.name)
        rows = await info.context.read(queries.webhooks_page, department=department, **w.params())
        return build(rows[0], w, Webhook.from_map)

    @field(description="A department webhook's delivery log, newest alert first, optionally in one state.")
    async def webhook_deliveries(
        self,
        info: Info[Context, None],
        webhook: Annotated[strawberry.ID, strawberry.argument(description="The webhook.")],
        first: int = 20,
        after: str | None = None,
        state: Annotated[WebhookDeliveryState | None, strawberry.argument(description=_STATE)] = None,  # type: ignore[valid-type]
    ) -> Connection[WebhookDelivery]:
        department = info.context.actor().officer()
        if len(str(webhook)) > 64:
            raise BadUserInput("a webhook id is at most 64 characters", field="webhook")
        w = window(first, after, queries.webhook_deliveries_page.name)
        rows = await info.context.read(
            queries.webhook_deliveries_page,
            webhook=str(webhook),
            department=department,
            state=state.value if state is not None else None,
            **w.params(),
        )
        if not rows:  # the webhook is not the department's: an empty log, not a hint that it exists
            rows = [{"totalCount": 0, "page": [], "keys": [], "start": 0}]
        return build(rows[0], w, WebhookDelivery.from_map)
