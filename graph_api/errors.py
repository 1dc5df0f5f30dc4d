"""The small error hierarchy of the API; each error maps to a GraphQL `extensions.code`."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    code = "INTERNAL_SERVER_ERROR"
    meaning = "Something unexpected failed on the server; the error carries a `correlationId` that is in the log."

    def __init__(self, message: str, **extensions: Any):
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class BadUserInput(ApiError):
    code = "BAD_USER_INPUT"
    meaning = "An argument or input field is malformed or out of range; `field` names it, `reason` may refine it."


class NotFound(ApiError):
    code = "NOT_FOUND"
    meaning = "The thing asked for does not exist, or the reader may not know that it does."


class DatabaseUnavailable(ApiError):
    code = "DATABASE_UNAVAILABLE"
    meaning = "The database cannot be reached: retry shortly."


class Timeout(ApiError):
    """The request, or one of its database statements, ran past its time limit and was stopped. Nothing of it
    is stored: a write is one transaction, rolled back when stopped."""

    code = "TIMEOUT"
    meaning = "The request, or one of its database statements, ran past its time limit and was stopped (HTTP 504 "
    "for the whole request): retry, or narrow the question."


class WriteOutcomeUnknown(ApiError):
    """The connection to the database broke after a change was sent to be committed: it may or may not be
    stored. The client reads it back (by the id it chose) before retrying; with that id a retry of a stored
    change is refused DUPLICATE_ID, so it cannot be written twice."""

    code = "WRITE_OUTCOME_UNKNOWN"
    meaning = "A change was sent to be committed and the answer was lost: read it back by its id before retrying."


class Unauthenticated(ApiError):
    code = "UNAUTHENTICATED"
    meaning = "The credentials (JWT or API key) are missing where needed, invalid or expired."


class Forbidden(ApiError):
    code = "FORBIDDEN"
    meaning = "The caller's role may not call this field, or a personal read lacks its stated purpose."


class RateLimited(ApiError):
    """A client past its rate (HTTP 429 with Retry-After; api/admission.py)."""

    code = "RATE_LIMITED"
    meaning = "The client is past its rate (HTTP 429): retry after `retryAfter` seconds."


class ServiceSaturated(ApiError):
    """The process is at capacity while the database is up: too many requests in flight, or no pooled
    database connection free in time. Distinct from DATABASE_UNAVAILABLE: waiting a moment helps."""

    code = "SERVICE_SATURATED"
    meaning = "The service is at capacity (HTTP 503, or a field error): retry after `retryAfter` seconds."


class SubscriberTooSlow(ApiError):
    """A subscriber that let more alerts wait than its queue holds: its subscription ends so that it never
    holds up the others (api/graphql/subscriptions.py)."""

    code = "SUBSCRIBER_TOO_SLOW"
    meaning = "The subscription read its alerts too slowly and was ended: subscribe again with `afterSeq`."


# The codes the request layer answers without raising a class of this hierarchy: graphql-core's parse and
# validation failures, the limits, the HTTP view's own.
REQUEST_ERRORS: dict[str, str] = {
    "GRAPHQL_PARSE_FAILED": "The query is not valid GraphQL syntax.",
    "GRAPHQL_VALIDATION_FAILED": "The query does not fit the schema (an unknown field, a wrong argument type, "
    "nesting too deep, too many aliases or tokens).",
    "QUERY_TOO_COSTLY": "The query's cost (page sizes multiplied along the nesting) is over the limit; the error "
    "carries `cost` and `limit`.",
    "PAYLOAD_TOO_LARGE": "The request body is over the size limit (HTTP 413).",
    "BAD_REQUEST": "The HTTP request is not a GraphQL request: no query, a body that is not UTF-8 JSON (HTTP 400).",
    "METHOD_NOT_ALLOWED": "An HTTP method other than GET and POST, or a mutation over GET (HTTP 405).",
}


def error_classes(root: type[ApiError] = ApiError) -> list[type[ApiError]]:
    """`root` and every class below it, depth first."""
    return [root, *(c for sub in root.__subclasses__() for c in error_classes(sub))]


def error_codes() -> dict[str, str]:
    """Every `extensions.code` the API answers, with its meaning: the hierarchy's and the request layer's."""
    return {c.code: c.meaning for c in error_classes()} | REQUEST_ERRORS
