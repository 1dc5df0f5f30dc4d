"""The running endpoint fuzzed with schemathesis in GraphQL mode: every root field (queries and
mutations) with generated arguments and selections, as the public and as an officer, a bounded number
of examples each. Whatever comes in: no server error, no masked crash (INTERNAL_SERVER_ERROR), every
error with a code, and every response a valid GraphQL response for the query that was sent."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from .conftest import officer
from .test_graphql_over_http import endpoint
from .test_linkage import A, CTRL, DEPT, X3, build

# Domain scalars: mostly real keys of the graph (so resolvers go deep), some malformed ones.
schemathesis.graphql.scalar("USCC", st.sampled_from([A, X3, "91370200MA0000001X", "", "x" * 40]).map(nodes.String))
MAX_EXAMPLES = 12


@pytest.fixture(scope="module")
def linked(module_graph):
    assert module_graph.import_lines(build()).code == 0
    return module_graph


@pytest.fixture(scope="module")
def graphql_schema(api, linked):
    return schemathesis.graphql.from_url(endpoint(api))


schema = schemathesis.pytest.from_fixture("graphql_schema")


def _check(response) -> None:
    assert response.status_code < 500, response.text[:500]
    body = response.json()
    assert isinstance(body, dict) and ("data" in body or "errors" in body), body
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code is not None and code != "INTERNAL_SERVER_ERROR", error
        assert "Traceback" not in error["message"]
    assert CTRL not in response.text  # no clear identity number, whatever the query


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_public_fuzz(case):
    response = case.call()
    _check(response)
    case.validate_response(response)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_officer_fuzz(case):
    response = case.call(headers=officer(DEPT))
    _check(response)
    case.validate_response(response)
