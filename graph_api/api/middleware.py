"""Per HTTP request: a request id (the caller's `x-request-id` when well formed, else a new one) set for
every log line of the request and echoed in the response header; one access log line; HTTP metrics.

A plain ASGI middleware rather than Starlette's BaseHTTPMiddleware, so the request runs in the same
context as this code and the log context variables reach everything it calls.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_api.ops import metrics
from graph_api.ops.logging_setup import operation, request_id

log = logging.getLogger("graph_api.request")

REQUEST_ID_HEADER = "x-request-id"
# Only ids that are safe to put in a log line and a header: no spaces, quotes or control characters.
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers") or ():
        if name == REQUEST_ID_HEADER.encode():
            text = value.decode("latin-1")
            return text if _WELL_FORMED.fullmatch(text) else None
    return None


class RequestObserver:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        rid_token, op_token = request_id.set(rid), operation.set(None)
        state: dict[str, Any] = scope.setdefault("state", {})
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (REQUEST_ID_HEADER.encode(), rid.encode())]
            await send(message)

        route, method = metrics.route_label(scope.get("path", "")), scope.get("method", "")
        metrics.IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            metrics.IN_FLIGHT.dec()
            if state.get("client_gone"):  # api/admission.py: the client left before it could be answered
                status = 499
            elapsed = time.perf_counter() - started
            metrics.HTTP_REQUESTS.labels(route, method, str(status)).inc()
            metrics.HTTP_LATENCY.labels(route).observe(elapsed)
            if route != "/metrics":  # scrapes every few seconds would drown the rest
                log.info(
                    "request",
                    extra={
                        "method": method,
                        "path": scope.get("path"),
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 1),
                        "operation": state.get("graphql_operation"),
                        "operation_type": state.get("graphql_operation_type"),
                        "db_round_trips": state.get("db_round_trips"),
                        "error_codes": state.get("graphql_error_codes"),
                    },
                )
            operation.reset(op_token)
            request_id.reset(rid_token)
