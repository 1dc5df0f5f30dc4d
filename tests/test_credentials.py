"""Credentials and purpose (issue 11, deliver 4): a credential presented and not valid fails the whole
request, also fields that need no identity; a stated purpose must be meaningful text; the audit entry
names what the server read, not what the client called its operation; production refuses weak keys."""

from __future__ import annotations

import base64
import datetime as dt
import json
from urllib.parse import quote

import pytest
from pydantic import ValidationError

from graph_api.api.auth import Claims, issue_token
from graph_api.settings import Settings
from tests.conftest import gql_as, investigator, token
from tests.test_linkage import ric

PERSON = ric(62)
PUBLIC_QUERY = "{ __typename }"  # a field anyone may read, touching no data
ENTITY_QUERY = '{ entity(uscc: "91110000100000000R") { name } }'  # a field the public may read, on no entity


def _expired() -> str:
    return issue_token(Settings(), Claims(user="old", role="OFFICER", department="D"), dt.timedelta(seconds=-60))


def _foreign() -> str:
    other = Settings(jwt_secret="another-secret-entirely-0123456789abcdef")  # type: ignore[arg-type]
    return issue_token(other, Claims(user="mallory", role="ADMIN"), dt.timedelta(hours=1))


INVALID_CREDENTIALS = {
    "expired": lambda: {"authorization": f"Bearer {_expired()}"},
    "garbage": lambda: {"authorization": "Bearer not-a-token"},
    "foreign signature": lambda: {"authorization": f"Bearer {_foreign()}"},
    "wrong scheme": lambda: {"authorization": "Basic dXNlcjpwYXNz"},
    "bearer without token": lambda: {"authorization": "Bearer"},
    "unknown api key": lambda: {"x-api-key": "no-such-key"},
}


@pytest.mark.parametrize("case", sorted(INVALID_CREDENTIALS))
@pytest.mark.parametrize("query", [PUBLIC_QUERY, ENTITY_QUERY])
def test_an_invalid_credential_fails_the_whole_request(api, case, query):
    body = gql_as(api, INVALID_CREDENTIALS[case](), query)
    assert body["data"] is None, body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"], body


def test_no_credential_is_the_public_and_a_valid_one_is_answered(api):
    assert gql_as(api, {}, PUBLIC_QUERY)["data"] == {"__typename": "Query"}
    assert gql_as(api, {}, ENTITY_QUERY)["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert gql_as(api, token("ADMIN", "admin-1"), PUBLIC_QUERY)["data"] == {"__typename": "Query"}


BAD_PURPOSES = {
    "blank": "%20%20%20",
    "empty": "",
    "control character": quote("案件\x07核查"),
    "newline": quote("案件核查\nuser=admin"),
    "bidi override": quote("案件\u202e核查"),
    "not UTF-8": "%FF%FE",
    "too long": quote("查" * 201),
}


@pytest.mark.parametrize("case", sorted(BAD_PURPOSES))
def test_a_purpose_must_be_meaningful_text(api, case):
    headers = {**token("INVESTIGATOR", "inv"), "x-purpose": BAD_PURPOSES[case]}
    for query in (PUBLIC_QUERY, f'{{ person(idNumber: "{PERSON}") {{ name }} }}'):
        body = gql_as(api, headers, query)
        assert body["data"] is None, body
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "x-purpose"}, body
        assert "x-purpose" in error["message"]


def test_a_meaningful_purpose_is_accepted(api):
    longest = {**token("INVESTIGATOR", "inv"), "x-purpose": quote("查" * 200)}
    assert gql_as(api, longest, PUBLIC_QUERY)["data"] == {"__typename": "Query"}
    padded = investigator(purpose="  案件 2026-17 核查  ")
    assert gql_as(api, padded, PUBLIC_QUERY)["data"] == {"__typename": "Query"}


LOG = "{ auditLog { nodes { operation kind purpose } } }"


def test_the_audit_names_the_fields_read_not_the_clients_operation_name(api, graph):
    outcome = graph.import_lines([{"kind": "person", "idNumber": PERSON, "name": "审计对象"}])
    assert outcome.code == 0, outcome.rejects
    forged = """query recordDecision($n: String!) { __typename
      ...P  innocent: exposure(subject: {idNumber: $n}) { __typename } }
      fragment P on Query { masked: person(idNumber: $n) { name } }"""
    read = gql_as(api, investigator(purpose="案件核查"), forged, n=PERSON)
    assert read["data"]["masked"]["name"] == "审计对象", read
    (entry,) = gql_as(api, token("ADMIN", "admin-1"), LOG)["data"]["auditLog"]["nodes"]
    assert entry == {"operation": "exposure,person", "kind": "READ_PERSONAL", "purpose": "案件核查"}


STRONG = {
    "environment": "production",
    "jwt_secret": "j" * 32,
    "id_hash_key": "h" * 32,
    "id_encryption_key": base64.b64encode(bytes(range(32))).decode(),
}


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("jwt_secret", "x", "GRAPH_API_JWT_SECRET must be at least 32 bytes"),
        ("jwt_secret", "j" * 31, "GRAPH_API_JWT_SECRET must be at least 32 bytes"),
        ("id_hash_key", "short", "GRAPH_API_ID_HASH_KEY must be at least 32 bytes"),
        ("id_encryption_key", "not base64!", "GRAPH_API_ID_ENCRYPTION_KEY must be standard base64 of 16, 24 or 32"),
        ("id_encryption_key", base64.b64encode(b"k" * 20).decode(), "GRAPH_API_ID_ENCRYPTION_KEY must be standard"),
        ("id_encryption_key", "ZGV2LW9ubHktaWQtZW5jcnlwdGlvbi1rZXktMzJieXQ=", "development default"),
        ("jwt_secret", Settings().jwt_secret.get_secret_value(), "GRAPH_API_JWT_SECRET is still the development"),
    ],
)
def test_production_refuses_weak_or_malformed_keys(key, value, says):
    with pytest.raises(ValidationError, match=says):
        Settings(**{**STRONG, key: value})


def test_production_accepts_strong_keys_and_rs256_needs_no_secret():
    assert Settings(**STRONG).environment == "production"
    assert Settings(**{**STRONG, "jwt_algorithm": "RS256", "jwt_secret": "x"}).jwt_algorithm == "RS256"
    assert Settings(**{**STRONG, "environment": "development", "jwt_secret": "x"}).environment == "development"


def test_serve_in_production_with_weak_keys_stops_saying_what_is_required(cli):
    env = {
        "GRAPH_API_ENVIRONMENT": "production",
        "GRAPH_API_JWT_SECRET": "tiny-secret",
        "GRAPH_API_ID_HASH_KEY": "short-hash-key",
        "GRAPH_API_ID_ENCRYPTION_KEY": json.dumps("no"),
    }
    result = cli("serve", "--port", "1", env=env, timeout=60)
    assert result.code != 0
    message = result.stderr
    assert "GRAPH_API_JWT_SECRET must be at least 32 bytes" in message, message
    assert "GRAPH_API_ID_HASH_KEY must be at least 32 bytes" in message, message
    assert "GRAPH_API_ID_ENCRYPTION_KEY must be standard base64" in message, message
    assert "tiny-secret" not in message and "short-hash-key" not in message and "Traceback" not in message
