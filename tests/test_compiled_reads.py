"""One statement per root field (api/graphql/compiled.py): `entity(uscc:)` with its roles, holders and holdings
is one round trip, its answer is the one the per-field statements give, and ownership and people are walkable
in one request (`Holding.entity` an Entity, `Role.person` a Person) under the rules the root fields apply.

Worked on the linkage graph of test_linkage: A holds 60% of O1 and 30% of O3, O1 holds 51% of O2; A's legal
representatives over time are OLD, MID, NEW and LATE; CTRL is A's actual controller and M's director."""

from __future__ import annotations

import pytest

from tests.conftest import gql, gql_as, investigator, token
from tests.test_linkage import CTRL, O1, O2, O3, A, build, uscc

QUESTION_A = """query($uscc: USCC!) { entity(uscc: $uscc) { uscc name parent { uscc }
  roles(first: 100, where: {roles: [LEGAL_REPRESENTATIVE]}) {
    totalCount nodes { role since until person { name idNumberMasked } } pageInfo { endCursor hasNextPage } }
  holders(first: 100) { totalCount nodes { ratio since until entity { uscc name } person { name } } } } }"""

# The same selection inside an inline fragment, which the look-ahead leaves to the per-field statements.
PER_FIELD_A = """query($uscc: USCC!) { entity(uscc: $uscc) { uscc name parent { uscc } ... on Entity {
  roles(first: 100, where: {roles: [LEGAL_REPRESENTATIVE]}) {
    totalCount nodes { role since until person { name idNumberMasked } } pageInfo { endCursor hasNextPage } }
  holders(first: 100) { totalCount nodes { ratio since until entity { uscc name } person { name } } } } } }"""

TREE = """query($uscc: USCC!) { entity(uscc: $uscc) { uscc
  holdings(first: 40) { nodes { ratio entity { uscc name status
    holdings(first: 40) { nodes { ratio entity { uscc } } } } } } } }"""

PAGE_FIELD = """roles(first: 2, after: $after, orderBy: {field: SINCE, direction: ASC}) {
    edges { cursor node { role since person { name } } } pageInfo { endCursor } }"""
PAGE = f"query($uscc: USCC!, $after: String) {{ entity(uscc: $uscc) {{ {PAGE_FIELD} }} }}"
PAGE_PER_FIELD = f"query($uscc: USCC!, $after: String) {{ entity(uscc: $uscc) {{ ... on Entity {{ {PAGE_FIELD} }} }} }}"

FIRMS = """query($uscc: USCC!) { entity(uscc: $uscc) { uscc
  roles(first: 100, where: {roles: [ACTUAL_CONTROLLER]}) { nodes { person { name
    roles(first: 20) { nodes { role entity { uscc } } } } } } } }"""


@pytest.fixture(scope="module")
def linked(module_graph):
    outcome = module_graph.import_lines(build())
    assert outcome.code == 0, outcome.rejects
    return module_graph


def _as_reader(api, query: str, **variables):
    body = gql_as(api, investigator(), query, **variables)
    assert "errors" not in body, body
    return body


def test_an_entity_with_its_representatives_and_holders_is_one_round_trip(api, linked):
    compiled = _as_reader(api, QUESTION_A, uscc=A)
    per_field = _as_reader(api, PER_FIELD_A, uscc=A)
    assert compiled["extensions"]["dbRoundTrips"] == 1
    assert per_field["extensions"]["dbRoundTrips"] == 3  # entity_view, roles page, holders page
    assert compiled["data"] == per_field["data"]
    reps = compiled["data"]["entity"]["roles"]
    assert reps["totalCount"] == 4 and {n["role"] for n in reps["nodes"]} == {"LEGAL_REPRESENTATIVE"}


def test_pages_after_a_cursor_are_the_same_compiled_or_not(api, linked):
    first = _as_reader(api, PAGE, uscc=A)["data"]["entity"]["roles"]
    after = first["pageInfo"]["endCursor"]
    compiled = _as_reader(api, PAGE, uscc=A, after=after)
    per_field = _as_reader(api, PAGE_PER_FIELD, uscc=A, after=after)
    assert compiled["extensions"]["dbRoundTrips"] == 1
    assert compiled["data"] == per_field["data"]
    assert (
        compiled["data"]["entity"]["roles"]["edges"] and first["edges"] != compiled["data"]["entity"]["roles"]["edges"]
    )


def test_a_refused_page_size_is_still_the_fields_own_error(api, linked):
    body = gql_as(
        api, investigator(), "query($u: USCC!) { entity(uscc: $u) { uscc roles(first: 500) { totalCount } } }", u=A
    )
    # roles is non-null, so its error nulls the entity, exactly as without the look-ahead
    assert [(e["extensions"]["code"], e["path"]) for e in body["errors"]] == [("BAD_USER_INPUT", ["entity", "roles"])]


def test_a_missing_entity_is_null_with_not_found(api, linked):
    body = gql_as(api, investigator(), "query($u: USCC!) { entity(uscc: $u) { roles { totalCount } } }", u=uscc(99))
    assert body["data"]["entity"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]


def test_holdings_two_levels_down_in_one_request(api, linked):
    body = _as_reader(api, TREE, uscc=A)
    assert body["extensions"]["dbRoundTrips"] <= 2
    level1 = {n["entity"]["uscc"]: n for n in body["data"]["entity"]["holdings"]["nodes"]}
    assert set(level1) == {O1, O3} and level1[O1]["ratio"] == 0.6
    assert [(n["entity"]["uscc"], n["ratio"]) for n in level1[O1]["entity"]["holdings"]["nodes"]] == [(O2, 0.51)]
    assert level1[O3]["entity"]["holdings"]["nodes"] == []


def test_a_representatives_other_firms_in_one_request_for_a_reader_of_personal_data(api, linked):
    body = _as_reader(api, FIRMS, uscc=A)
    (ctrl,) = body["data"]["entity"]["roles"]["nodes"]
    assert {(n["role"], n["entity"]["uscc"]) for n in ctrl["person"]["roles"]["nodes"]} >= {("ACTUAL_CONTROLLER", A)}
    assert len(ctrl["person"]["roles"]["nodes"]) >= 2  # CTRL's roles at M and N too


def test_walking_to_a_persons_lists_needs_the_rights_of_person_by_id_number(api, linked):
    # Person.roles is non-null, as on person(idNumber:), so FORBIDDEN there nulls up to the nullable entity
    public, firm = {}, token("ENTITY", "entity-user-9", uscc=A)  # the public; an entity's own user
    for headers, code in ((public, "UNAUTHENTICATED"), (firm, "FORBIDDEN")):
        body = gql_as(api, headers, FIRMS, uscc=A)
        assert body["data"] == {"entity": None}
        assert [(e["extensions"]["code"], e["path"][-1]) for e in body["errors"]] == [(code, "roles")]
        assert CTRL not in str(body)
    masked = gql(api, "query($u: USCC!) { entity(uscc: $u) { roles { nodes { person { name } } } } }", u=A)
    assert all(n["person"]["name"].endswith("*") for n in masked["data"]["entity"]["roles"]["nodes"])


def test_every_choice_of_lists_gives_entity_with_relations_the_same_parameter_types():
    # Neo4j plans a statement once per text and parameter types; a cold plan of this one takes seconds,
    # so which lists a query selects must not change the types (it timed out under load when it did).
    from itertools import combinations

    from graph_api.api.graphql import compiled
    from graph_api.api.graphql.connections import page_params

    def prefill(slot: str) -> compiled.Prefill:
        statement, params_of = compiled._SLOTS[slot]
        return compiled.Prefill(slot, statement, page_params(statement, 20, None, params_of({}))[1])

    slots = list(compiled._SLOTS)
    choices = [c for n in range(len(slots) + 1) for c in combinations(slots, n)]
    types = {
        tuple((k, type(v)) for k, v in compiled.parameters([prefill(s) for s in c]).items() if not k.startswith("with"))
        for c in choices
    }
    assert len(choices) == 8 and len(types) == 1
