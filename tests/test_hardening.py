"""Hostile and careless input meets limits before any database work (OWASP GraphQL cheat sheet), and
production settings hide what a stranger should not learn — without breaking GraphQL over HTTP."""

from __future__ import annotations

import subprocess

import neo4j
import pytest

from graph_api.api.graphql.error_mapping import as_api_error
from tests.conftest import gql, serve
from tests.test_graphql_over_http import endpoint
from tests.test_linkage import A, build

PRODUCTION = {
    "GRAPH_API_ENVIRONMENT": "production",
    "GRAPH_API_ID_ENCRYPTION_KEY": "dGVzdC1vbmx5LXByb2R1Y3Rpb24ta2V5LTMyYnl0ZXM=",
    "GRAPH_API_ID_HASH_KEY": "test-only-production-hash-key-0123456789",  # 32 bytes at least
    "GRAPH_API_JWT_SECRET": "test-only-production-jwt-secret-0123456789abcdef",
}


@pytest.fixture(scope="module")
def linked(module_graph):
    assert module_graph.import_lines(build()).code == 0
    return module_graph


@pytest.fixture(scope="module")
def production(neo4j_server_running, tmp_path_factory):
    with serve(tmp_path_factory, PRODUCTION) as client:
        yield client


def _code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


def test_depth_alias_and_token_limits(api, linked):
    deep = (
        '{ listingImpact(listing: "L1") { relatedEntities { flags { path { nodes { name } steps { relation } } } } } }'
    )
    assert "errors" not in gql(api, deep)
    too_deep = (
        '{ a: search(query: "海岳") { edges { node { name } } } '
        + "".join(f"x{i}: __typename " for i in range(31))
        + "}"
    )
    body = gql(api, too_deep)
    assert _code(body) == "GRAPHQL_VALIDATION_FAILED" and "aliases" in body["errors"][0]["message"]
    huge = "{ " + " ".join(["__typename"] * 5000) + " }"
    body = gql(api, huge)
    assert _code(body) == "GRAPHQL_PARSE_FAILED" and "4000 tokens" in body["errors"][0]["message"]


def test_depth_limit(neo4j_server_running, tmp_path_factory, linked):
    with serve(tmp_path_factory, {"GRAPH_API_MAX_QUERY_DEPTH": "3"}) as shallow:
        ok = gql(shallow, '{ entity(uscc: "%s") { roles { nodes { role } } } }' % A)
        assert "errors" not in ok, ok
        body = gql(shallow, '{ entity(uscc: "%s") { roles { nodes { person { name } } } } }' % A)
        assert _code(body) == "GRAPHQL_VALIDATION_FAILED" and "depth" in body["errors"][0]["message"]


def test_cost_limit_counts_requested_page_sizes(api, linked):
    fields = (
        "roles(first: 100) { nodes { role } } records(first: 100) { nodes { id } } "
        "holdings(first: 100) { nodes { ratio } }"
    )
    fine = gql(api, '{ entity(uscc: "%s") { %s } }' % (A, fields))
    assert "errors" not in fine, fine
    many = "{ " + " ".join(f'e{i}: entity(uscc: "{A}") {{ {fields} }}' for i in range(20)) + " }"
    body = gql(api, many)
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": 6000, "limit": 5000}
    # page sizes given as variables count too
    by_variable = gql(api, 'query($n: Int!) { search(query: "海岳", first: $n) { edges { node { name } } } }', n=100)
    assert "errors" not in by_variable


@pytest.mark.parametrize(
    "query, variables, code",
    [
        ("query($u: USCC!) { entity(uscc: $u) { name } }", {"u": "9" * 5000}, "BAD_USER_INPUT"),
        ("query($q: String!) { search(query: $q) { edges { cursor } } }", {"q": "华" * 100_000}, "BAD_USER_INPUT"),
        (
            'query($d: Date) { exposure(subject: {uscc: "%s"}, asOf: $d) { asOf } }' % A,
            {"d": "2024-13-45"},
            "BAD_USER_INPUT",
        ),
        ('{ entity(uscc: "%s") { roles(first: 101) { totalCount } } }' % A, {}, "BAD_USER_INPUT"),
        ('{ entity(uscc: "%s") { roles(first: 100000) { totalCount } } }' % A, {}, "QUERY_TOO_COSTLY"),
        ('{ paths(from: {uscc: "%s"}, to: {uscc: "%s"}, maxHops: 99) { text } }' % (A, A), {}, "BAD_USER_INPUT"),
    ],
)
def test_invalid_and_oversized_input_is_a_clear_error(api, linked, query, variables, code):
    body = gql(api, query, **variables)
    assert _code(body) == code, body
    assert "Traceback" not in str(body)


def test_oversized_body_is_refused(api, linked):
    response = api.post("/graphql", json={"query": "{ __typename }", "variables": {"pad": "x" * 2_000_000}})
    assert response.status_code == 413 and _code(response.json()) == "PAYLOAD_TOO_LARGE"


def test_request_timeout(neo4j_server_running, tmp_path_factory, linked):
    with serve(tmp_path_factory, {"GRAPH_API_REQUEST_TIMEOUT": "0.000001"}) as hasty:
        response = hasty.post("/graphql", json={"query": '{ entity(uscc: "%s") { name } }' % A})
        assert response.status_code == 504 and _code(response.json()) == "TIMEOUT"


def test_a_statement_past_its_time_limit_is_a_timeout_not_an_internal_error(driver):
    # The error Neo4j itself gives a statement stopped at its timeout (the monitor looks every 2 s or so); a
    # statement of the service that met it once answered INTERNAL_SERVER_ERROR.
    endless = neo4j.Query("UNWIND range(1, 10000000000) AS x WITH x WHERE x < 0 RETURN count(x)", timeout=0.2)
    with pytest.raises(neo4j.exceptions.ClientError) as stopped:
        driver.execute_query(endless)
    error = as_api_error(stopped.value)
    assert error is not None and error.code == "TIMEOUT", stopped.value.code


def test_production_hides_the_schema_but_speaks_graphql_over_http(production, linked, audit_tool):
    introspection = gql(production, "{ __schema { types { name } } }")
    assert _code(introspection) == "GRAPHQL_VALIDATION_FAILED"
    fields = gql(production, '{ __type(name: "Entity") { name fields { name } } }')
    assert _code(fields) == "GRAPHQL_VALIDATION_FAILED"
    assert gql(production, '{ __type(name: "Entity") { name kind } }') == {
        "data": {"__type": {"name": "Entity", "kind": "OBJECT"}}
    }
    assert gql(production, "{ __typename }") == {"data": {"__typename": "Query"}}
    typo = gql(production, '{ entiti(uscc: "%s") { name } }' % A)
    assert "Did you mean" not in typo["errors"][0]["message"]
    assert "Did you mean" in gql_dev_typo_message()
    page = production.get("/graphql", headers={"accept": "text/html"})
    assert "graphiql" not in page.text.lower()
    answer = gql(production, '{ entity(uscc: "%s") { name } }' % A)
    assert answer == {"data": {"entity": {"name": "青岛海岳商贸有限公司"}}}  # no dbRoundTrips in production
    proc = subprocess.run(
        ["node", str(audit_tool), endpoint(production)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=audit_tool.parent,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def gql_dev_typo_message() -> str:
    from graph_api.api.graphql.schema import schema

    result = schema.execute_sync('{ entiti(uscc: "x") { name } }')
    return result.errors[0].message


@pytest.mark.parametrize("environment", ["development", "production"])
def test_validation_stays_cached_with_the_limits_on(environment):
    """The depth and alias limits (and production's introspection rule) are validation rules, and the
    validation cache is keyed by the document and the rule classes: built per request, the rules were new
    classes every time and the cache never hit (the load benchmark found validation at ~40% of the API's CPU).
    In process, not over HTTP: the cache's counters are not part of the public surface."""
    import asyncio

    from strawberry.extensions.validation_cache import _get_validate_cache

    from graph_api.api.graphql.schema import build_schema
    from graph_api.settings import Settings

    size = 17 if environment == "development" else 19  # a cache of its own: the LRU is shared per maxsize
    schema = build_schema(
        Settings(
            graphql_cache_size=size,
            environment=environment,
            **(
                {k.removeprefix("GRAPH_API_").lower(): v for k, v in PRODUCTION.items() if k != "GRAPH_API_ENVIRONMENT"}
                if environment == "production"
                else {}
            ),
        )
    )
    cache = _get_validate_cache(size)
    for _ in range(3):
        result = asyncio.run(schema.execute("query Probe { __typename }"))
        assert result.errors is None and result.data == {"__typename": "Query"}
    info = cache.cache_info()
    assert (info.misses, info.hits) == (1, 2)
