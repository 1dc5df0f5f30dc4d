"""The running endpoint fuzzed with schemathesis in GraphQL mode: every root field (queries and
mutations) with generated arguments and selections, as the public and as an officer, a bounded number
of examples each. Whatever comes in: no server error (HTTP 5xx), no masked crash (INTERNAL_SERVER_ERROR),
every error with a code, no clear identity number, and no response that breaks the schema (schemathesis'
GraphQL response validation: a JSON object, no non-null field answered with null). Errors the client
earned (invalid codes, page sizes, missing credentials) are expected answers, not failures.

(The operations are driven with hypothesis directly rather than through schemathesis' pytest plugin,
which does not run under pytest 9.)"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from schemathesis.graphql.checks import (
    GraphQLClientError,
    GraphQLSchemaViolation,
    GraphQLServerError,
    UnexpectedGraphQLResponse,
)
from schemathesis.specs.graphql.validation import validate_graphql_response

from tests.conftest import officer
from tests.test_graphql_over_http import endpoint
from tests.test_linkage import CTRL, DEPT, X3, A, build

# Domain scalars: mostly real keys of the graph (so resolvers go deep), some malformed ones.
schemathesis.graphql.scalar("USCC", st.sampled_from([A, X3, "91370200MA0000001X", "", "x" * 40]).map(nodes.String))
MAX_EXAMPLES = 8


@pytest.fixture(scope="module")
def linked(module_graph):
    assert module_graph.import_lines(build()).code == 0
    return module_graph


def _problems(response) -> list[str]:
    if response.status_code >= 500:
        return [f"status {response.status_code}: {response.text[:300]}"]
    body = response.json()
    if not isinstance(body, dict) or not ("data" in body or "errors" in body):
        return [f"not a GraphQL response: {response.text[:300]}"]
    out = []
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None or code == "INTERNAL_SERVER_ERROR" or "Traceback" in error.get("message", ""):
            out.append(f"error without a proper code: {error}")
    if CTRL in response.text:
        out.append("a clear identity number in the response")
    return out


def _fuzz(operation, headers: dict[str, str]) -> list[str]:
    """Hypothesis runs the cases of one operation; what each breaks is collected, not raised."""
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case) -> None:
        response = case.call(headers=headers)
        problems = _problems(response)
        try:
            validate_graphql_response(case, response.json())
        except (GraphQLClientError, GraphQLServerError):
            pass  # an error answer: _problems has checked that it carries a proper code
        except (GraphQLSchemaViolation, UnexpectedGraphQLResponse) as e:  # breaks the schema
            problems.append(f"schemathesis: {str(e)[:300]}")
        failures.extend(f"{operation.label}: {p}\n  query: {str(case.body)[:300]}" for p in problems)

    fuzz()
    return failures


@pytest.mark.parametrize("role", ["public", "officer"])
def test_fuzz_every_root_field(api, linked, role):
    schema = schemathesis.graphql.from_url(endpoint(api))
    headers = officer(DEPT) if role == "officer" else {}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30  # every root field of Query and Mutation

    for operation in operations:
        failures.extend(_fuzz(operation, headers))
    assert not failures, "\n".join(failures[:20])
