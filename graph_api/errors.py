"""The small error hierarchy of the API; each error maps to a GraphQL `extensions.code`."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, **extensions: Any):
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class BadUserInput(ApiError):
    code = "BAD_USER_INPUT"


class NotFound(ApiError):
    code = "NOT_FOUND"


class DatabaseUnavailable(ApiError):
    code = "DATABASE_UNAVAILABLE"


class WriteOutcomeUnknown(ApiError):
    """The connection to the database broke after a change was sent to be committed: it may or may not be
    stored. The client reads it back (by the id it chose) before retrying; with that id a retry of a stored
    change is refused DUPLICATE_ID, so it cannot be written twice."""

    code = "WRITE_OUTCOME_UNKNOWN"


class Unauthenticated(ApiError):
    code = "UNAUTHENTICATED"


class Forbidden(ApiError):
    code = "FORBIDDEN"


class RateLimited(ApiError):
    """A client past its rate (HTTP 429 with Retry-After; api/admission.py)."""

    code = "RATE_LIMITED"


class ServiceSaturated(ApiError):
    """The process is at capacity while the database is up: too many requests in flight, or no pooled
    database connection free in time. Distinct from DATABASE_UNAVAILABLE: waiting a moment helps."""

    code = "SERVICE_SATURATED"
