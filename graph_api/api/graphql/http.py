"""GraphQL over HTTP as the specification asks: strawberry's ASGI view with negotiated media types,
status codes for request errors, and 405 for mutations over GET (audited by graphql-http in the tests)."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any, Protocol

import neo4j
import orjson
from graphql import GraphQLError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

try:  # strawberry raises its HTTP errors from the `cross_web` package it depends on (since 0.28x)
    from cross_web import HTTPException
except ImportError:  # pragma: no cover - older strawberry
    from strawberry.http.exceptions import HTTPException  # type: ignore[no-redef,attr-defined]  # older strawberry

from graph_api.api.graphiql import graphiql_page
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.schema import build_schema
from graph_api.api.graphql.subscriptions import SubscriptionContext, on_connect
from graph_api.errors import ApiError, Timeout
from graph_api.services.alert_feed import AlertFeed
from graph_api.settings import Settings
from graph_api.store.audit_appender import AuditAppender
from graph_api.store.pii import IdProtector

log = logging.getLogger("graph_api.errors")


class ViewService(Protocol):
    """What the view needs of the process serving it (api.app.Service), named here so that graphql/ does
    not import the app that mounts it."""

    settings: Settings
    driver: neo4j.AsyncDriver | None
    ids: IdProtector
    audit: AuditAppender | None
    alerts: AlertFeed | None  # the process's poller for alert subscriptions


GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


def response_media_type(headers: Headers) -> str:
    """The media type of a GraphQL response, negotiated from `Accept` as GraphQL over HTTP asks.

    `application/graphql-response+json` when the client prefers it (by q-value, then by naming it rather than
    matching a wildcard); otherwise `application/json` — also for no `Accept`, `*/*`, and an `Accept` naming
    neither (the spec lets a server answer with its default instead of 406).
    """
    accept = headers.get("accept", "")
    # per supported type: (q, specificity) of the most specific range matching it (RFC 9110, 12.5.1)
    best = {JSON: (0.0, -1), GRAPHQL_RESPONSE_JSON: (0.0, -1)}
    for item in accept.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for name, _, value in (param.partition("=") for param in params):
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        for media_type in best:
            specificity = {media_type: 2, "application/*": 1, "*/*": 0}.get(media_range.lower(), -1)
            if specificity > best[media_type][1]:
                best[media_type] = (q, specificity)
    preferred = best[GRAPHQL_RESPONSE_JSON][0] > 0 and best[GRAPHQL_RESPONSE_JSON] > best[JSON]
    return GRAPHQL_RESPONSE_JSON if preferred else JSON


def _is_request_error(result: ExecutionResult) -> bool:
    """The request failed before execution (parse, validation or variable coercion): no data, no error path.

    Field errors always carry a path, so a `data: null` that comes from a failed non-null field stays a result.
    """
    return result.data is None and bool(result.errors) and all(e.path is None for e in result.errors or ())


# Far deeper than any variables this schema takes (its input objects nest a few levels); deeper JSON is
# refused before it reaches code that walks it recursively.
MAX_JSON_DEPTH = 32


def _depth_exceeds(value: object, limit: int) -> bool:
    """Whether JSON containers nest deeper than `limit`, found without recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def encode_json(data: object) -> bytes:
    """A response body: UTF-8 as it is. strawberry's json.dumps escapes every Chinese character (`\\uXXXX`, six
    bytes for three), which made answers about 45 % larger; orjson also encodes several times faster."""
    try:
        return orjson.dumps(data)
    except TypeError:
        # a lone surrogate is no UTF-8, and orjson refuses it: should a message ever echo one a client sent,
        # JSON's escape carries it instead of a 500
        return json.dumps(data, separators=(",", ":")).encode()


def _http_error_code(status: int) -> str:
    return {405: "METHOD_NOT_ALLOWED"}.get(status, "BAD_REQUEST" if status < 500 else "INTERNAL_SERVER_ERROR")


class GraphQLApp(GraphQL):
    """strawberry's ASGI view, made to follow the GraphQL-over-HTTP specification where it does not by default.

    - The response media type is negotiated (`response_media_type`); bodies are UTF-8 JSON either way.
    - With `application/graphql-response+json`, a request that fails before execution gets 400 (500 if the
      failure is ours) and no `data` entry; with `application/json` such errors keep the legacy 200 and
      `data: null`, as the spec asks for compatibility with existing clients.
    - A mutation in a GET request is refused with 405 and `Allow: POST` (strawberry answers 400).
    - Errors strawberry raises before execution (unparseable JSON, missing query, wrong parameter types,
      unsupported content type) are GraphQL responses — `{"errors": [{message, extensions.code}]}` in the
      negotiated media type — instead of plain text, so clients can read them like any other error.
    """

    def __init__(self, service: ViewService, **kwargs: Any):
        super().__init__(build_schema(service.settings), **kwargs)
        self.service = service

    def encode_json(self, data: object) -> bytes:
        return encode_json(data)

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql_page()  # the vendored editor (api/graphiql.py), not strawberry's CDN page

    def _too_large(self, request: Any) -> Response:
        limit = self.service.settings.max_body_bytes
        return Response(
            self.encode_json(
                {
                    "errors": [
                        {
                            "message": f"the request body is larger than {limit} bytes",
                            "extensions": {"code": "PAYLOAD_TOO_LARGE"},
                        }
                    ]
                }
            ),
            status_code=413,
            media_type=f"{response_media_type(request.headers)}; charset=utf-8",
        )

    async def _read_bounded(self, request: Request) -> bool:
        """Read the body, counting the bytes as they arrive — a chunked body has no Content-Length to trust,
        and a declared length may be a lie; False, with no more read, once the limit is passed."""
        limit, body = self.service.settings.max_body_bytes, bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                return False
        # Starlette's Request keeps a body it read in `_body`; strawberry reads it from there.
        request._body = bytes(body)
        return True

    def decode_json(self, data: str | bytes) -> object:
        too_deep = f"the request body is nested more than {MAX_JSON_DEPTH} levels deep"
        try:
            value = json.loads(data)
        except RecursionError:
            raise HTTPException(400, too_deep) from None
        except UnicodeDecodeError:
            # json.loads decodes bytes itself; strawberry expects only a JSONDecodeError from it
            raise HTTPException(400, "the request body is not valid UTF-8 (JSON is sent as UTF-8)") from None
        if _depth_exceeds(value, MAX_JSON_DEPTH):
            raise HTTPException(400, too_deep)
        # strawberry reads the parameters of a body with .get: anything but an object (or a batch of them)
        # would be its crash, a 500, instead of the client's 400
        if not (isinstance(value, dict) or (isinstance(value, list) and all(isinstance(v, dict) for v in value))):
            raise HTTPException(400, "the request body must be a JSON object (a batch: an array of objects)")
        return value

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if self.is_websocket_request(request):  # a subscription lasts as long as its client: no request deadline
            return await super().run(request, context, root_value)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.service.settings.max_body_bytes:
            return self._too_large(request)
        if isinstance(request, Request) and request.scope["type"] == "http" and not await self._read_bounded(request):
            return self._too_large(request)
        try:
            return await asyncio.wait_for(
                super().run(request, context, root_value), self.service.settings.request_timeout
            )
        except TimeoutError:
            return Response(
                self.encode_json(
                    {
                        "errors": [
                            {
                                "message": "the request took longer than "
                                f"{self.service.settings.request_timeout:g} s and was stopped",
                                "extensions": {"code": Timeout.code},
                            }
                        ]
                    }
                ),
                status_code=504,
                media_type=f"{response_media_type(request.headers)}; charset=utf-8",
            )
        except HTTPException as e:
            if self.is_websocket_request(request):
                raise
            media_type = response_media_type(request.headers)
            response = Response(
                self.encode_json(
                    {"errors": [{"message": e.reason, "extensions": {"code": _http_error_code(e.status_code)}}]}
                ),
                status_code=e.status_code,
                media_type=f"{media_type}; charset=utf-8",
            )
            if e.status_code == 405:
                response.headers["allow"] = (
                    "POST" if isinstance(e.__cause__, InvalidOperationTypeError) else "GET, POST"
                )
            return response

    async def execute_operation(
        self,
        request: Any,
        request_adapter: Any,
        request_data: Any,
        context: Any,
        root_value: Any,
        sub_response: Any,
    ) -> Any:
        # Before any field runs: a presented credential or purpose that is not valid fails the whole request
        # (every operation of a batch), never answered as the public on the fields that need no identity.
        try:
            if isinstance(context, Context):
                context.authenticate()
        except ApiError as e:
            refused = ExecutionResult(
                data=None,
                errors=[GraphQLError(e.message, extensions={**e.extensions, "code": e.code}, original_error=e)],
            )
            return [refused] * len(request_data) if isinstance(request_data, list) else refused
        return await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: Any,
    ) -> ExecutionResult:
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as e:
            cause = e.__cause__
            if (
                request_adapter.method == "GET"
                and isinstance(cause, InvalidOperationTypeError)
                and cause.operation_type == OperationType.MUTATION
            ):
                raise HTTPException(405, "mutations cannot be sent with GET; use POST") from cause
            raise

    async def get_sub_response(self, request: Any) -> Response:
        sub_response = await super().get_sub_response(request)
        # create_response is not given the request: carry the negotiated media type on the sub-response.
        sub_response.graphql_media_type = response_media_type(request.headers)  # type: ignore[attr-defined]  # an attribute of ours
        return sub_response

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response_data = await super().process_result(request, result)
        for raw, error in zip(result.errors or [], response_data.get("errors") or [], strict=False):
            if not isinstance(error, dict):  # strawberry types errors as objects; formatted, each is a dict
                continue
            # Errors from before execution (a syntax error, the token limit) pass no extension hook:
            # give them their code here, like every other error; a crash there is masked and logged.
            original = getattr(raw, "original_error", None)
            if (
                original is not None
                and not isinstance(original, (GraphQLError, ApiError))
                and "code" not in (error.get("extensions") or {})
            ):
                correlation_id = uuid.uuid4().hex
                log.error("unexpected error %s before execution", correlation_id, exc_info=original)
                error.clear()
                error.update(
                    {
                        "message": f"Internal server error (reference {correlation_id})",
                        "extensions": {"code": "INTERNAL_SERVER_ERROR", "correlationId": correlation_id},
                    }
                )
                continue
            extensions = error.setdefault("extensions", {})
            extensions.setdefault(
                "code",
                "GRAPHQL_PARSE_FAILED"
                if error.get("message", "").startswith("Syntax Error")
                else "GRAPHQL_VALIDATION_FAILED",
            )
        if _is_request_error(result) and response_media_type(request.headers) == GRAPHQL_RESPONSE_JSON:
            response_data.pop("data", None)
        return response_data

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        media_type = getattr(sub_response, "graphql_media_type", JSON)
        response.headers["content-type"] = f"{media_type}; charset=utf-8"
        if (
            media_type == GRAPHQL_RESPONSE_JSON
            and isinstance(response_data, dict)
            and "data" not in response_data
            and not sub_response.status_code
        ):
            codes = {
                (error.get("extensions") or {}).get("code")
                for error in response_data.get("errors") or ()
                if isinstance(error, dict)
            }
            response.status_code = 500 if "INTERNAL_SERVER_ERROR" in codes else 400
        return response

    async def on_ws_connect(self, context: Any) -> Any:
        await on_connect(context)
        return await super().on_ws_connect(context)

    # strawberry may pass a WebSocket too; it carries headers as a Request does, all the Context reads of it.
    async def get_context(self, request: Request, response: Any) -> Context:  # type: ignore[override]  # see above
        assert self.service.driver is not None and self.service.audit is not None
        if self.is_websocket_request(request):
            return SubscriptionContext(
                request=request,  # type: ignore[arg-type]  # a WebSocket: headers as a Request has
                driver=self.service.driver,
                settings=self.service.settings,
                ids=self.service.ids,
                audit=self.service.audit,
                feed=self.service.alerts,
            )
        return Context(
            request=request,
            driver=self.service.driver,
            settings=self.service.settings,
            ids=self.service.ids,
            audit=self.service.audit,
        )
