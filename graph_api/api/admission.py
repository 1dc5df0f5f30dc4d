"""Which requests the process takes on: each client within its rate (429 RATE_LIMITED past it), and no more
than `max_in_flight` requests at once (503 SERVICE_SATURATED past it). Both answer before any work, with
`Retry-After` and a GraphQL-shaped body a client reads like any other error. /healthz passes both, so a
probe answers while the API is saturated; /readyz passes the rate limit (an orchestrator's readiness probe,
every few seconds from one address, must not spend the public budget of that address nor be refused and take
the instance out of service); /metrics passes the in-flight bound, so the saturation can be seen.

A client is its credential when the credential verifies (the role and user it names: the limit follows a
user across addresses), else its address (IPv6 by its /64, which one host is usually given whole). A
credential that does not verify counts against its address: inventing tokens buys no new budget. The
limits are per process: with `--workers N` a client may get up to N times its rate.
"""

from __future__ import annotations

import ipaddress
import json

from starlette.requests import ClientDisconnect, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from graph_api.api.graphql.actor import actor_from_request
from graph_api.api.ratelimit import Rate, RateLimiter
from graph_api.domain.actor import Actor
from graph_api.errors import ApiError, RateLimited, ServiceSaturated
from graph_api.settings import Settings

UNLIMITED = frozenset({"/healthz", "/readyz"})
UNBOUNDED = frozenset({"/healthz", "/metrics"})
CLIENT_GONE = "client_gone"  # the key in scope["state"] the request observer reads
SATURATED_RETRY_AFTER = 1  # seconds: requests in flight finish within request_timeout, most far sooner


def client_key(scope: Scope, settings: Settings) -> tuple[str, Actor | None]:
    """The client a request counts against, and the actor its credential verified as (None: no credential, or
    one that does not verify — the request itself then answers UNAUTHENTICATED)."""
    try:
        actor: Actor | None = actor_from_request(Request(scope), settings)
    except ApiError:
        actor = None
    if actor is not None and not actor.is_public:
        return f"user:{actor.role}:{actor.user}", actor
    host = (scope.get("client") or ("unknown", 0))[0]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"address:{host}", None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"address:{address.ipv4_mapped}", None
        return f"address:{ipaddress.ip_network(f'{address}/64', strict=False)}", None
    return f"address:{address}", None


async def _refuse(send: Send, status: int, error: ApiError, retry_after: int) -> None:
    body = json.dumps(
        {"errors": [{"message": error.message, "extensions": {"code": error.code, "retryAfter": retry_after}}]}
    ).encode()
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(retry_after).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Admission:
    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings
        self.limiter = RateLimiter(settings.rate_limit_max_clients)
        window = settings.rate_limit_window
        self.public_rate = Rate(settings.rate_limit_public_requests, window, settings.rate_limit_public_burst)
        self.credential_rate = Rate(
            settings.rate_limit_credential_requests, window, settings.rate_limit_credential_burst
        )
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if self.settings.rate_limit_enabled and path not in UNLIMITED:
            key, actor = client_key(scope, self.settings)
            retry_after = self.limiter.hit(key, self.public_rate if actor is None else self.credential_rate)
            if retry_after is not None:
                message = f"too many requests from this client; retry in {retry_after} s"
                await _refuse(send, 429, RateLimited(message), retry_after)
                return
        if path in UNBOUNDED:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.settings.max_in_flight:
            message = "the service is saturated (too many requests in flight); retry shortly"
            await _refuse(send, 503, ServiceSaturated(message), SATURATED_RETRY_AFTER)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            # gone before its body was read (it left, or missed body_timeout): there is no one to answer;
            # logged and counted as nginx's 499 (client closed request), not as a 500 of ours
            scope.setdefault("state", {})[CLIENT_GONE] = True
        finally:
            self.in_flight -= 1
