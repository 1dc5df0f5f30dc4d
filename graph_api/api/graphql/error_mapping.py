"""Turns exceptions into GraphQL errors a frontend can act on: our own errors keep their message and
get `extensions.code`; anything unexpected is masked, logged with a correlation id, and only that id
is returned — never a stack trace or data from the graph."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import neo4j
from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from graph_api.domain.identifiers import InvalidIdentifier
from graph_api.errors import ApiError, BadUserInput, DatabaseUnavailable, ServiceSaturated, Timeout, error_codes
from graph_api.services.unit_of_work import outcome_unknown

log = logging.getLogger("graph_api.errors")

# Every `extensions.code` the API answers (graph_api.errors: its error classes' codes and the request-level
# ones); the schema documents the same set as the enum ErrorCode. Nothing a client sends can add to it.
ERROR_CODES = frozenset(error_codes())

_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
try:
    from strawberry.exceptions import StrawberryInputCoercionError as _COERCION
except ImportError:  # older strawberry raised ValueError, handled below
    _COERCION = ()  # type: ignore[assignment,misc]  # an empty tuple: an except clause that catches nothing
_COERCION_TYPES: tuple[type[Exception], ...] = _COERCION if isinstance(_COERCION, tuple) else (_COERCION,)
# Every pooled connection busy for the acquisition timeout: the database is up, this process is at capacity.
# Driver 6 raises ConnectionAcquisitionTimeoutError; driver 5 raised a ClientError saying so. A request that
# waited most of that time and then met the deadline while a connection was being reset or authenticated
# gets the connection's error (SessionExpired) caused by the driver's SocketDeadlineExceededError: the
# same saturation. (A Bolt handshake cut off by the deadline says only "timed out", as it would from a hung
# server: that one stays DATABASE_UNAVAILABLE.)
_ACQUISITION_TIMEOUT = getattr(neo4j.exceptions, "ConnectionAcquisitionTimeoutError", ())
_ACQUISITION_MESSAGE = "failed to obtain a connection from the pool"
try:
    from neo4j._exceptions import SocketDeadlineExceededError as _DEADLINE_EXCEEDED
except ImportError:  # a driver without it: only the acquisition timeout itself is recognised
    _DEADLINE_EXCEEDED = ()  # type: ignore[assignment,misc]  # an empty tuple: isinstance is always False


def _pool_exhausted(error: Exception | None) -> bool:
    if isinstance(error, _ACQUISITION_TIMEOUT):
        return True
    if isinstance(error, neo4j.exceptions.ClientError):
        return str(error).startswith(_ACQUISITION_MESSAGE)
    if isinstance(error, (neo4j.exceptions.SessionExpired, neo4j.exceptions.ServiceUnavailable)):
        cause, seen = error.__cause__ or error.__context__, 0
        while cause is not None and seen < 8:  # the driver chains a few levels; bounded against cycles
            if isinstance(cause, _DEADLINE_EXCEEDED):
                return True
            cause, seen = cause.__cause__ or cause.__context__, seen + 1
    return False


# What a request meets while Neo4j is down, restarting or overloaded, once the driver's bounded retries
# (db.async_driver) are spent: no server, a connection lost, another failure of the pool, or the
# server's own transient refusals (e.g. Neo.TransientError.General.DatabaseUnavailable during start-up).
_UNAVAILABLE = (
    neo4j.exceptions.ServiceUnavailable,
    neo4j.exceptions.SessionExpired,
    neo4j.exceptions.ConnectionPoolError,
    neo4j.exceptions.TransientError,
    ConnectionError,
    TimeoutError,
)


# Neo4j stops a statement past its timeout (settings.neo4j_query_timeout, or the server's own limit) with one
# of these codes: the client asked for too much or the database is slow, not a fault of this code.
_TIMED_OUT = (
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
)


def as_api_error(error: Exception | None) -> ApiError | None:
    if isinstance(error, ApiError):
        return error
    if isinstance(error, InvalidIdentifier):
        return BadUserInput(error.message, reason=error.code)
    if isinstance(error, neo4j.exceptions.IncompleteCommit):
        # The connection broke while committing: the change may or may not be stored; the client must look.
        return outcome_unknown()
    if isinstance(error, _COERCION):
        # A variable that is not a valid Date (or other scalar): the client's error, with its reason.
        return BadUserInput(str(error))
    if isinstance(error, neo4j.exceptions.Neo4jError) and error.code in _TIMED_OUT:
        return Timeout("the database stopped a statement of this request past its time limit; retry, or ask for less")
    if _pool_exhausted(error):
        return ServiceSaturated(
            "the service is saturated (no database connection free in time); retry shortly", retryAfter=1
        )
    if isinstance(error, _UNAVAILABLE):
        return DatabaseUnavailable("the credit graph database is unavailable; retry shortly")
    return None


class MapErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda _: True)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is None:
            # Parse and validation errors: the message is about the query the client sent. In production
            # it does not suggest field names, so the schema cannot be guessed with introspection off.
            default = (
                "GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error") else "GRAPHQL_VALIDATION_FAILED"
            )
            code = (error.extensions or {}).get("code", default)
            message = _SUGGESTION.sub("", error.message) if _production(self) else error.message
            return _with(error, message, {**(error.extensions or {}), "code": code})
        api_error = as_api_error(original)
        if api_error is None and isinstance(original, GraphQLError):
            api_error = as_api_error(original.original_error)
            if api_error is None and error.path is None:
                # A variable that does not fit its type (an unknown enum value, an unknown input field):
                # graphql-core wraps its own coercion error, whose message names the variable and the value.
                api_error = BadUserInput(error.message)
        if api_error is not None:
            # Variable coercion wraps the scalar's error: keep graphql-core's message, which names the variable.
            message = (
                error.message
                if isinstance(original, (InvalidIdentifier, ValueError, GraphQLError, *_COERCION_TYPES))
                and not isinstance(original, ApiError)
                else api_error.message
            )
            if _production(self):
                message = _SUGGESTION.sub("", message)
            # The code comes from the error's class, last: an extension named `code` (a client's department
            # code, say) must never replace it.
            return _with(error, message, {**api_error.extensions, "code": api_error.code})
        if isinstance(original, (ValueError, TypeError)) and error.path is None:
            return _with(error, error.message, {"code": "BAD_USER_INPUT"})
        correlation_id = uuid.uuid4().hex
        log.error("unexpected error %s at %s", correlation_id, error.path, exc_info=original)
        return _with(
            error,
            f"Internal server error (reference {correlation_id})",
            {"code": "INTERNAL_SERVER_ERROR", "correlationId": correlation_id},
        )


def _production(extension: MaskErrors) -> bool:
    context = getattr(extension.execution_context, "context", None)
    return getattr(getattr(context, "settings", None), "environment", None) == "production"


def _with(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    if extensions.get("code") not in ERROR_CODES:
        # Not one of ours: a bug to find in the log, answered as the internal error it is.
        log.error("error code %r outside ERROR_CODES at %s", extensions.get("code"), error.path)
        extensions = {**extensions, "code": "INTERNAL_SERVER_ERROR"}
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )
