"""Browser frontends on other origins (issue 12, "Browser-ready"): with GRAPH_API_CORS_ALLOWED_ORIGINS the
service answers a preflight for the allowed origins (the credential and purpose headers allowed), marks its
answers readable by them — 429s and 503s too, since CORS sits outside the admission check — and gives other
origins nothing; without the setting it sends no CORS header at all."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from graph_api.settings import Settings
from tests.conftest import serve

PORTAL = "https://portal.example.gov.cn"
PREFLIGHT = {
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type, x-purpose",
}


@pytest.fixture(scope="module")
def cors(neo4j_server_running, tmp_path_factory):
    env = {"GRAPH_API_CORS_ALLOWED_ORIGINS": json.dumps([PORTAL, "http://127.0.0.1:5173"])}
    with serve(tmp_path_factory, env) as client:
        yield client


def test_a_preflight_from_an_allowed_origin_is_answered(cors):
    answer = cors.options("/graphql", headers={"origin": PORTAL, **PREFLIGHT})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == PORTAL
    allowed = {h.strip() for h in answer.headers["access-control-allow-headers"].lower().split(",")}
    assert {"authorization", "content-type", "x-purpose"} <= allowed
    assert "POST" in answer.headers["access-control-allow-methods"]
    assert answer.headers["access-control-max-age"] == "600"


def test_answers_are_readable_by_allowed_origins_only(cors):
    query = {"query": "{ __typename }"}
    allowed = cors.post("/graphql", json=query, headers={"origin": PORTAL})
    assert allowed.json()["data"] == {"__typename": "Query"}
    assert allowed.headers["access-control-allow-origin"] == PORTAL
    assert "retry-after" in allowed.headers["access-control-expose-headers"].lower()
    other = cors.post("/graphql", json=query, headers={"origin": "https://elsewhere.example.com"})
    assert "access-control-allow-origin" not in other.headers
    refused = cors.options("/graphql", headers={"origin": "https://elsewhere.example.com", **PREFLIGHT})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers


def test_without_the_setting_no_cors_header_is_sent(api):
    preflight = api.options("/graphql", headers={"origin": PORTAL, **PREFLIGHT})
    post = api.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": PORTAL})
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in post.headers


@pytest.mark.parametrize("origin", ["https://portal.example.gov.cn/", "portal.example.gov.cn", "https://a/b"])
def test_an_origin_that_is_not_one_is_refused_at_start(origin):
    with pytest.raises(ValidationError, match="is not an origin"):
        Settings(_env_file=None, cors_allowed_origins=[origin])
