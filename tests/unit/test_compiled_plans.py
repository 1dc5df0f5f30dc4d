"""Which documents the lighter executor plans (api/graphql/compiled_execution.py), on the served schema: plain
selections under entity, person and search; not fragments, directives, other roots, mutations, or the same
response key twice — graphql-core answers those."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse

from graph_api.api.graphql.compiled_execution import _Plans, plan_operation
from graph_api.api.graphql.schema import schema

ROOT = schema._schema.query_type
assert ROOT is not None


def _operation(document: str) -> OperationDefinitionNode:
    (definition, *_) = parse(document).definitions
    assert isinstance(definition, OperationDefinitionNode)
    return definition


@pytest.mark.parametrize(
    "document",
    [
        "query($u: USCC!) { entity(uscc: $u) { uscc name roles(first: 5) { nodes { since person { name } } } } }",
        "query($u: USCC!) { a: entity(uscc: $u) { __typename uscc } b: entity(uscc: $u) { name } }",
        '{ search(query: "海岳") { edges { cursor node { kind key name } } pageInfo { hasNextPage } } }',
        "query($i: String!) { person(idNumber: $i) { name idNumberMasked holdings { totalCount } } }",
    ],
)
def test_plain_reads_are_planned(document):
    plan = plan_operation(_operation(document), ROOT)
    assert plan is not None and plan.fields


@pytest.mark.parametrize(
    "document",
    [
        "query($u: USCC!) { entity(uscc: $u) { ...E } } fragment E on Entity { uscc }",
        "query($u: USCC!) { entity(uscc: $u) { ... on Entity { uscc } } }",
        "query($u: USCC!, $s: Boolean!) { entity(uscc: $u) { uscc @skip(if: $s) } }",
        "query($u: USCC!) { entity(uscc: $u) { uscc uscc } }",  # one key twice: field merging
        "query($u: USCC!) { entity(uscc: $u) { uscc } viewer { role } }",  # a root outside the set
        "query($u: USCC!) { entity(uscc: $u) { uscc } __typename }",
        "{ __schema { queryType { name } } }",
        'mutation { unwatch(id: "w-1") { __typename } }',
    ],
)
def test_what_graphql_core_must_answer_is_not_planned(document):
    assert plan_operation(_operation(document), ROOT) is None


def test_a_plan_is_made_once_per_operation_and_root():
    plans = _Plans(2)
    operation = _operation("query($u: USCC!) { entity(uscc: $u) { uscc } }")
    first = plans.get(operation, ROOT)
    assert first is not None and plans.get(operation, ROOT) is first
    other_root = type(ROOT)("Query", {})  # another schema's root: not the plan made for this one
    assert plans.get(operation, other_root) is None
    for _ in range(3):  # bounded: older entries go
        plans.get(_operation('{ search(query: "x") { totalCount } }'), ROOT)
    assert len(plans._plans) == 2
