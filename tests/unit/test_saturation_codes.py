"""Which driver failures are saturation and which are unavailability, on the exceptions the driver raises
(as tests/test_saturation.py and tests/test_resilience.py meet them on a real server): a full pool is
SERVICE_SATURATED, a database that cannot be reached stays DATABASE_UNAVAILABLE; both codes are in the
closed set."""

from __future__ import annotations

import neo4j
from neo4j._exceptions import SocketDeadlineExceededError

from graph_api.api.graphql.error_mapping import ERROR_CODES, as_api_error


def code(error: Exception) -> str | None:
    mapped = as_api_error(error)
    return None if mapped is None else mapped.code


def chained(error: Exception, cause: BaseException) -> Exception:
    error.__cause__ = cause
    return error


def test_the_new_codes_are_in_the_closed_set():
    assert {"RATE_LIMITED", "SERVICE_SATURATED"} <= ERROR_CODES


def test_no_connection_free_in_time_is_saturation():
    timeout = neo4j.exceptions.ConnectionAcquisitionTimeoutError(
        "failed to obtain a connection from the pool within 5.0s (timeout)"
    )
    assert code(timeout) == "SERVICE_SATURATED"
    mapped = as_api_error(timeout)
    assert mapped is not None and mapped.extensions == {"retryAfter": 1}


def test_the_acquisition_deadline_spent_on_a_pooled_connection_is_saturation():
    # the driver's chain when a waiter got the connection with too little of its deadline left
    deadline = chained(SocketDeadlineExceededError("read timed out"), TimeoutError())
    expired = chained(neo4j.exceptions.SessionExpired("Failed to read from defunct connection"), deadline)
    assert code(expired) == "SERVICE_SATURATED"


def test_a_database_that_cannot_be_reached_stays_unavailable():
    refused = chained(
        neo4j.exceptions.ServiceUnavailable("Couldn't connect to 127.0.0.1:7687"), ConnectionRefusedError()
    )
    assert code(refused) == "DATABASE_UNAVAILABLE"
    assert code(neo4j.exceptions.SessionExpired("connection lost")) == "DATABASE_UNAVAILABLE"
    assert code(neo4j.exceptions.ConnectionPoolError("pool closed")) == "DATABASE_UNAVAILABLE"
