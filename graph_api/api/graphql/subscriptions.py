"""The alert subscription over WebSocket (`graphql-transport-ws`): a reader's alerts as they are committed,
each shown exactly as the inbox (`alerts`) shows it — the same rule, the same conversion. The credential
is the HTTP one, sent in `connection_init`'s payload (`{"Authorization": "Bearer …"}` or `{"x-api-key":
…}`) or on the upgrade request; a bad or missing one is refused at `connection_init` (close 4403). The
delivery is services/alert_feed.py's: the outbox is the source of truth, so a client that reconnects
with `afterSeq` (the last seq it got) misses nothing."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Annotated, Any

import strawberry
from starlette.requests import Request
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types import Info

from graph_api.api.graphql.actor import API_KEY_HEADER, PUBLIC, Actor, check_request_credentials
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.watch import Alert
from graph_api.errors import ApiError, BadUserInput, ServiceSaturated, SubscriberTooSlow
from graph_api.services.alert_feed import PAGE, AlertFeed, TooSlow

CREDENTIAL_PARAMS = ("authorization", API_KEY_HEADER)


@dataclass
class SubscriptionContext(Context):
    """A WebSocket's context: the request is the upgrade; `connection_params` is connection_init's payload
    (strawberry sets it), whose credential, when it carries one, stands for the upgrade's headers."""

    feed: AlertFeed | None = None
    connection_params: dict[str, Any] | None = field(default=None)

    def _credential_request(self) -> Request | None:
        params = {str(k).lower(): v for k, v in (self.connection_params or {}).items()}
        sent = {k: str(params[k]) for k in CREDENTIAL_PARAMS if isinstance(params.get(k), str)}
        if not sent:
            return self.request
        headers = [(k.encode("latin-1"), v.encode("latin-1", "replace")) for k, v in sent.items()]
        return Request({"type": "http", "headers": headers})

    def actor(self) -> Actor:
        if self._actor is None:
            self._actor = check_request_credentials(self._credential_request(), self.settings)
        return self._actor


async def on_connect(context: Any) -> None:
    """connection_init: refused (4403) unless it carries a valid credential."""
    if not isinstance(context, SubscriptionContext):
        return
    try:
        actor = context.actor()
    except ApiError:
        raise ConnectionRejectionError() from None
    if actor is PUBLIC or actor.user is None:
        raise ConnectionRejectionError()


@strawberry.type(name="Subscription", description="What a reader may follow as it happens, over WebSocket.")
class AlertSubscriptions:
    @strawberry.subscription(  # type: ignore[untyped-decorator]  # strawberry types it loosely
        description="The reader's alerts as they are raised (over WebSocket, graphql-transport-ws), oldest "
        "first, each once and shown as the inbox `alerts` shows it; who may subscribe is who may read the inbox. "
        "With afterSeq, first every alert after that seq (resume after a reconnect: nothing is lost). A reader "
        "too slow to take its alerts has its subscription ended with SUBSCRIBER_TOO_SLOW (subscribe again "
        "with afterSeq)."
    )
    async def alerts(
        self,
        info: Info[Context, None],
        after_seq: Annotated[
            int | None,
            strawberry.argument(description="Resume after this seq (the last one received); null: from now."),
        ] = None,
        unacknowledged_only: Annotated[
            bool, strawberry.argument(description="Only the alerts not acknowledged yet.")
        ] = False,
    ) -> AsyncGenerator[Alert, None]:
        context = info.context
        if not isinstance(context, SubscriptionContext) or context.feed is None:
            raise ServiceSaturated("alert subscriptions are not served by this process")
        if after_seq is not None and after_seq < 0:
            raise BadUserInput("afterSeq must be 0 or more", field="afterSeq")
        # who may subscribe is the permission table's (Subscription.alerts), checked before this runs
        feed = context.feed
        sub, head = await feed.subscribe(context.actor(), unacknowledged_only)
        try:
            sent = head if after_seq is None else after_seq
            while True:  # the backlog, page by page: registered first, so nothing falls between
                page = await feed.backlog(sub, sent)
                for m in page:
                    yield Alert.from_map(m, m["subject"])
                    sent = m["seq"]
                if len(page) < PAGE:
                    break
            while True:
                try:
                    waiting = await sub.next_alerts()
                except TooSlow:
                    raise SubscriberTooSlow(
                        f"more than {sub.capacity} alerts waited for this subscription; subscribe again with "
                        f"afterSeq: {sent}",
                        afterSeq=sent,
                    ) from None
                for m in waiting:
                    if m["seq"] > sent:
                        yield Alert.from_map(m, m["subject"])
                        sent = m["seq"]
        finally:
            feed.unsubscribe(sub)
