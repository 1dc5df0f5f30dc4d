"""One statement per root field (api/graphql/compiled.py): `entity(uscc:)` with its roles, holders, holdings and
listings, and one level down the held entities' holdings and the role holders' roles, is one read; its answer is
the one the per-field statements give, for every kind of reader; and ownership and people are walkable in one
request (`Holding.entity` an Entity, `Role.person` a Person) under the rules the root fields apply.

Worked on the linkage graph of test_linkage: A holds 60% of O1 and 30% of O3, O1 holds 51% of O2; A's legal
representatives over time are OLD, MID, NEW and LATE; CTRL is A's actual controller, M's director and N's legal
representative. A is on the joint-punishment list (L1, on the public record R1); here also on the key-attention
list (L2, since 2025-03-01) on R1 and R2, a RESTRICTED record of DEPT's that only DEPT's officers see."""

from __future__ import annotations

import pytest

from tests.conftest import gql, gql_after_own_audit, gql_as, investigator, officer, token
from tests.test_linkage import CTRL, DEPT, O1, O2, O3, A, N, build, uscc

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

# The peer benchmark's question (d): listings, and the legal representatives' other firms.
LISTED_FIRMS = """query($uscc: USCC!) { entity(uscc: $uscc) { uscc
  listings(first: 100) { totalCount nodes { listingId list since basis undisclosedBasis department { code } } }
  roles(first: 100, where: {roles: [LEGAL_REPRESENTATIVE, ACTUAL_CONTROLLER]}) { edges { node { since
    person { name roles(first: 1, where: {roles: [LEGAL_REPRESENTATIVE, DIRECTOR]}) {
      totalCount edges { cursor node { role entity { uscc } } } pageInfo { hasNextPage } } } } } } } }"""


def per_field(query: str) -> str:
    """The same query with the entity's selection inside an inline fragment: the look-ahead leaves it to the
    per-field statements, so the two answers can be compared."""
    head, _, rest = query.partition("entity(uscc: $uscc) {")
    return f"{head}entity(uscc: $uscc) {{ ... on Entity {{{rest} }}"


def extra() -> list[dict]:
    return [
        {
            "kind": "record",
            "id": "R2",
            "subject": {"entity": A},
            "category": "PENALTY",
            "severity": "GENERAL",
            "department": DEPT,
            "decidedOn": "2025-02-10",
            "publishedOn": "2025-02-12",
            "disclosure": "RESTRICTED",
        },
        {
            "kind": "listing",
            "id": "L2",
            "subject": {"entity": A},
            "list": "KEY_ATTENTION",
            "department": DEPT,
            "basis": ["R1", "R2"],
            "since": "2025-03-01",
        },
    ]


@pytest.fixture(scope="module")
def linked(module_graph):
    outcome = module_graph.import_lines(build() + extra())
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
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


def test_holdings_two_levels_down_in_one_round_trip(api, linked):
    body = _as_reader(api, TREE, uscc=A)
    assert body["extensions"]["dbRoundTrips"] == 1  # the held entities' holdings come with the entity
    level1 = {n["entity"]["uscc"]: n for n in body["data"]["entity"]["holdings"]["nodes"]}
    assert set(level1) == {O1, O3} and level1[O1]["ratio"] == 0.6
    assert [(n["entity"]["uscc"], n["ratio"]) for n in level1[O1]["entity"]["holdings"]["nodes"]] == [(O2, 0.51)]
    assert level1[O3]["entity"]["holdings"]["nodes"] == []
    slow = _as_reader(api, per_field(TREE), uscc=A)
    assert slow["extensions"]["dbRoundTrips"] == 3  # entity_view, A's holdings, O1's and O3's holdings batched
    assert slow["data"] == body["data"]


@pytest.mark.parametrize(
    ("reader", "l2", "l1"),
    [
        # R1's publicity period (a serious penalty, published 2023-10-16) is over, so the public sees neither
        ({}, ([], 2), ([], 1)),
        (officer(DEPT), (["R1", "R2"], 0), (["R1"], 0)),  # R2 is RESTRICTED to DEPT
        (officer("370200-SWJ"), (["R1"], 1), (["R1"], 0)),
        (investigator(), (["R1", "R2"], 0), (["R1"], 0)),
    ],
    ids=["public", "officer-of-DEPT", "officer-elsewhere", "investigator"],
)
def test_listings_come_with_the_entity_and_show_only_the_basis_the_reader_sees(api, linked, reader, l2, l1):
    query = """query($uscc: USCC!) { entity(uscc: $uscc) { uscc
      listings(first: 5, where: {lists: [KEY_ATTENTION, JOINT_PUNISHMENT]}) {
        totalCount nodes { listingId list basis undisclosedBasis department { code } } } } }"""
    fast, slow = gql_as(api, reader, query, uscc=A), gql_as(api, reader, per_field(query), uscc=A)
    assert "errors" not in fast, fast
    assert fast["extensions"]["dbRoundTrips"] == 1 and slow["extensions"]["dbRoundTrips"] == 2
    assert fast["data"] == slow["data"]
    listings = fast["data"]["entity"]["listings"]
    assert listings["totalCount"] == 2
    shown = [(n["listingId"], n["basis"], n["undisclosedBasis"]) for n in listings["nodes"]]  # newest first
    assert shown == [("L2", *l2), ("L1", *l1)]
    assert ("R2" in str(fast)) == ("R2" in l2[0])


def test_a_listed_entitys_representatives_other_firms_in_one_read(api, linked):
    fast = gql_after_own_audit(api, investigator(), LISTED_FIRMS, uscc=A)
    slow = gql_after_own_audit(api, investigator(), per_field(LISTED_FIRMS), uscc=A)
    # one read; the audit of the personal read (the persons' roles) adds its one statement, as on every path
    assert fast["extensions"]["dbRoundTrips"] == 2 and slow["extensions"]["dbRoundTrips"] == 5
    assert fast["data"] == slow["data"]
    edges = fast["data"]["entity"]["roles"]["edges"]
    assert len(edges) == 5  # OLD, MID, NEW, LATE and CTRL
    ctrl = [e["node"]["person"]["roles"] for e in edges if e["node"]["person"]["name"] == "控刘"]
    # CTRL directs M (since 2019) and represents N (since 2024): two, newest first, a page of one
    assert [(c["totalCount"], c["pageInfo"]["hasNextPage"]) for c in ctrl] == [(2, True)]
    assert [(e["node"]["role"], e["node"]["entity"]["uscc"]) for e in ctrl[0]["edges"]] == [("LEGAL_REPRESENTATIVE", N)]
    # the nested page's cursor is the one person(idNumber:) gives for the same page
    own = _as_reader(
        api,
        "query($id: String!) { person(idNumber: $id) { roles(first: 1, "
        "where: {roles: [LEGAL_REPRESENTATIVE, DIRECTOR]}) { edges { cursor node { role entity { uscc } } } } } }",
        id=CTRL,
    )
    assert own["data"]["person"]["roles"]["edges"] == ctrl[0]["edges"]


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


def test_every_choice_of_lists_gives_each_combined_statement_one_set_of_parameter_types():
    # Neo4j plans a statement once per text and parameter types; a cold plan of this one takes seconds,
    # so which lists a query selects must not change the types (it timed out under load when it did).
    from itertools import combinations
    from types import SimpleNamespace

    from graph_api.api.graphql import compiled
    from graph_api.api.graphql.connections import page_params
    from graph_api.domain.actor import PUBLIC

    info = SimpleNamespace(context=SimpleNamespace(actor=lambda: PUBLIC))  # what _listings reads of a request
    slots = {
        **{s: (st, of) for s, (st, of) in compiled._SLOTS.items()},
        **{s: (st, of) for s, st, of in compiled._NESTED.values()},
    }

    def prefill(slot: str) -> compiled.Prefill:
        statement, params_of = slots[slot]
        nested = slot not in compiled._SLOTS
        return compiled.Prefill(slot, statement, page_params(statement, 20, None, params_of({}, info))[1], nested)

    choices = [c for n in range(len(slots) + 1) for c in combinations(slots, n)]
    types: dict[str, set[tuple]] = {}
    for c in choices:
        statement, params = compiled.statement([prefill(s) for s in c], info)  # type: ignore[arg-type]
        # the commonest questions (roles, holders, holdings only) are sent the statement without the rest
        assert (statement.name == "entity_with_relations") == (set(c) <= {"roles", "holders", "holdings"})
        types.setdefault(statement.name, set()).add(
            tuple((k, type(v)) for k, v in params.items() if not k.startswith("with"))
        )
    assert len(choices) == 64 and {name: len(t) for name, t in types.items()} == {
        "entity_with_relations": 1,
        "entity_with_relations_deep": 1,
    }
