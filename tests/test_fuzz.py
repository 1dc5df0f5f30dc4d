"""The running endpoint fuzzed with schemathesis in GraphQL mode: every root field (queries and
mutations) with generated arguments and selections, as every role of tests/test_adversarial.py and on its
graph, a bounded number of examples each (derandomized: the same cases every run). Whatever comes in: no
server error (HTTP 5xx), no masked crash (INTERNAL_SERVER_ERROR), every error with a code of the closed
set, none of the secrets the role may not read in the raw response (test_adversarial.leaks: full names,
clear identity numbers, hidden records' ids and texts), and no response that breaks the schema
(schemathesis' GraphQL response validation: a JSON object, no non-null field answered with null). Errors
the client earned (invalid codes, page sizes, missing credentials) are expected answers, not failures.

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

from tests.test_adversarial import FIRM, FIRM2, ROLES, STRANGER, build_adversarial_graph, leaks, protocol_problems
from tests.test_graphql_over_http import endpoint

# Domain scalars: mostly real keys of the graph (so resolvers go deep), some malformed ones.
schemathesis.graphql.scalar(
    "USCC", st.sampled_from([FIRM, FIRM2, STRANGER, "91370200MA0000001X", "", "x" * 40]).map(nodes.String)
)
# The public and an officer are fuzzed the most (the widest and the most used doors); every other role two
# cases per root field (test_adversarial asks each role every root field by hand), to bound the run time.
MAX_EXAMPLES = {"public": 8, "officer": 8}
OTHER_ROLES_EXAMPLES = 2


@pytest.fixture(scope="module")
def adversarial_graph(module_graph, api):
    build_adversarial_graph(module_graph, api)
    return module_graph


def _fuzz(operation, role: str) -> list[str]:
    """Hypothesis runs the cases of one operation; what each breaks is collected, not raised."""
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES.get(role, OTHER_ROLES_EXAMPLES),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case) -> None:
        response = case.call(headers=ROLES[role])
        problems = protocol_problems(response) + [f"leaks {s}" for s in leaks(role, str(case.body), response.text)]
        try:
            if not problems:  # a JSON answer, to hold against the schema
                validate_graphql_response(case, response.json())
        except (GraphQLClientError, GraphQLServerError):
            pass  # an error answer: protocol_problems has checked its code
        except (GraphQLSchemaViolation, UnexpectedGraphQLResponse) as e:  # breaks the schema
            problems.append(f"schemathesis: {str(e)[:300]}")
        failures.extend(f"{operation.label}: {p}\n  query: {str(case.body)[:300]}" for p in problems)

    fuzz()
    return failures


@pytest.mark.parametrize("role", list(ROLES))
def test_fuzz_every_root_field(api, adversarial_graph, role):
    schema = schemathesis.graphql.from_url(endpoint(api))
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30  # every root field of Query and Mutation

    for operation in operations:
        failures.extend(_fuzz(operation, role))
    assert not failures, "\n".join(failures[:20])
