"""The lighter executor (api/graphql/compiled_execution.py): a planned read query gets, byte for byte, the answer
graphql-core gives it — data, errors with their codes and paths, extensions — for every reader; what it cannot
finish (an error, a null) graphql-core answers; what it does not plan (fragments, directives, other roots)
graphql-core answers from the start. Each side is a real server: the default one, and one started with
GRAPH_API_GRAPHQL_COMPILED_EXECUTION=false; /metrics says which executor answered.

On the linkage graph of test_linkage (A holds 60% of O1 and 30% of O3, O1 51% of O2; A's legal representatives
OLD, MID, NEW and LATE; CTRL A's actual controller)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import entity_user, gql_after_own_audit, gql_as, investigator, serve, token
from tests.test_compiled_reads import FIRMS, PAGE, QUESTION_A, TREE
from tests.test_linkage import CTRL, OLD, A, build, uscc
from tests.test_ops import sample

PUBLIC: dict[str, str] = {}
SEARCH = """query($q: String!) { search(query: $q, first: 5) {
  totalCount edges { cursor node { __typename kind key name idNumberMasked score } } pageInfo { hasNextPage } } }"""
ALIASES = """query($u: USCC!, $v: USCC!) { a: entity(uscc: $u) { __typename code: uscc name form status established
  registeredCapital parent { uscc } holders { totalCount } }
  b: entity(uscc: $v) { uscc } }"""
LITERALS = f"""{{ entity(uscc: "{A}") {{ uscc roles(first: 2, orderBy: {{field: SINCE, direction: ASC}}) {{
  edges {{ cursor node {{ role since until person {{ name idNumberMasked }} }} }}
  pageInfo {{ startCursor endCursor hasNextPage hasPreviousPage }} }} }} }}"""
PERSON = """query($id: String!) { person(idNumber: $id) { name idNumberMasked idType
  roles(first: 10) { totalCount nodes { role since until entity { uscc name } } }
  holdings { nodes { ratio entity { uscc } } } } }"""
TOO_LARGE = """query($u: USCC!) { entity(uscc: $u) { uscc roles(first: 500) { totalCount } } }"""
IN_CLEAR = """query($id: String!) { person(idNumber: $id) { name idNumber } }"""
FRAGMENT = """query($u: USCC!) { entity(uscc: $u) { ...E } } fragment E on Entity { uscc name }"""
SKIPPED = """query($u: USCC!, $s: Boolean!) { entity(uscc: $u) { uscc name @skip(if: $s) } }"""

# (query, variables, who asks, the executor that answers on the default server)
CASES: list[tuple[str, dict[str, Any], dict[str, str], str]] = [
    (QUESTION_A, {"uscc": A}, investigator(), "compiled"),
    (QUESTION_A, {"uscc": A}, PUBLIC, "compiled"),  # names masked for the public, by their field extension
    (TREE, {"uscc": A}, PUBLIC, "compiled"),  # two levels of holdings, the second batched
    (FIRMS, {"uscc": A}, investigator(), "compiled"),  # walking to a person's roles: audited, allowed
    (FIRMS, {"uscc": A}, PUBLIC, "fallback"),  # ... refused to the public: the error nulls the entity
    (FIRMS, {"uscc": A}, entity_user(A), "fallback"),
    (ALIASES, {"u": A, "v": uscc(99)}, PUBLIC, "fallback"),  # b is not found: null with NOT_FOUND
    (ALIASES, {"u": A, "v": A}, PUBLIC, "compiled"),
    (LITERALS, {}, PUBLIC, "compiled"),
    (PAGE, {"uscc": A, "after": None}, PUBLIC, "compiled"),
    (SEARCH, {"q": "海岳"}, PUBLIC, "compiled"),
    (SEARCH, {"q": "控刘"}, investigator(), "compiled"),
    (PERSON, {"id": CTRL}, investigator(), "compiled"),
    (PERSON, {"id": CTRL}, PUBLIC, "fallback"),
    (PERSON, {"id": OLD}, entity_user(A), "fallback"),
    (IN_CLEAR, {"id": CTRL}, investigator(), "compiled"),  # idNumber's own resolver decides and audits
    (IN_CLEAR, {"id": CTRL}, token("OFFICER", "officer-9", department="370200-SCJG"), "fallback"),
    (TOO_LARGE, {"u": A}, investigator(), "fallback"),
    (FRAGMENT, {"u": A}, PUBLIC, "general"),
    (SKIPPED, {"u": A, "s": True}, PUBLIC, "general"),
]


@pytest.fixture(scope="module")
def linked(module_graph):
    outcome = module_graph.import_lines(build())
    assert outcome.code == 0, outcome.rejects
    return module_graph


@pytest.fixture(scope="module")
def general(linked, tmp_path_factory) -> Iterator[httpx.Client]:
    with serve(tmp_path_factory, env={"GRAPH_API_GRAPHQL_COMPILED_EXECUTION": "false"}) as client:
        yield client


def _executions(client: httpx.Client) -> dict[str, float]:
    text = client.get("/metrics").text
    name = "graph_api_graphql_executions_total"
    return {e: sample(text, name, executor=e) for e in ("compiled", "fallback", "general")}


@pytest.mark.parametrize(("query", "variables", "actor", "executor"), CASES)
def test_the_answer_is_graphql_cores_for_every_reader(api, general, query, variables, actor, executor):
    # Both servers write to one audit trail: each answer is taken right after the server's own entry, so
    # that an audited read's entry counts one statement on both sides.
    gql_as(api, actor, query, **variables)
    before = _executions(api)
    answer = gql_as(api, actor, query, **variables)
    after = _executions(api)
    assert answer == gql_after_own_audit(general, actor, query, **variables)
    assert {e: after[e] - before[e] for e in after} == {e: float(e == executor) for e in after}
    assert _executions(general)["compiled"] == 0  # the other server really is graphql-core alone
    if executor == "compiled":
        assert "errors" not in answer and answer["data"]
    else:
        assert "errors" in answer or executor == "general"


def test_a_masked_name_and_an_identity_number_never_leave_unmasked(api, linked):
    body = gql_as(api, PUBLIC, QUESTION_A, uscc=A)
    names = [n["person"]["name"] for n in body["data"]["entity"]["roles"]["nodes"]]
    assert len(names) == 4 and all(n.endswith("*") for n in names)
    assert not any(p in str(body) for p in (OLD, CTRL))


def test_the_same_document_again_uses_its_plan_and_the_same_round_trips(api, linked):
    first = gql_as(api, investigator(), TREE, uscc=A)
    before = _executions(api)
    again = [gql_as(api, investigator(), TREE, uscc=A) for _ in range(3)]
    assert _executions(api)["compiled"] - before["compiled"] == 3
    assert all(a == first for a in again)
    assert first["extensions"]["dbRoundTrips"] == 1  # the entity with its holdings and theirs (compiled.py)
