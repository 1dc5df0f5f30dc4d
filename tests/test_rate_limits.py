"""Per-client rate limits over real HTTP, on a service served with small ones: five requests an hour for a
client without a credential (by address), three for a credential (by its user). The N+1st request is 429
RATE_LIMITED with Retry-After; clients have their own budgets; a credential that does not verify buys no
budget of its own; the probes /healthz and /readyz are never limited.

Addresses come from X-Forwarded-For, which uvicorn takes from a proxy it trusts (127.0.0.1 by default, as
the test client is): each test speaks for addresses of its own, from the documentation ranges."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import officer, serve, token

PUBLIC, CREDENTIAL = 5, 3
LIMITS = {
    "GRAPH_API_RATE_LIMIT_WINDOW": "3600",
    "GRAPH_API_RATE_LIMIT_PUBLIC_REQUESTS": str(PUBLIC),
    "GRAPH_API_RATE_LIMIT_PUBLIC_BURST": str(PUBLIC),
    "GRAPH_API_RATE_LIMIT_CREDENTIAL_REQUESTS": str(CREDENTIAL),
    "GRAPH_API_RATE_LIMIT_CREDENTIAL_BURST": str(CREDENTIAL),
}
QUERY = {"query": "{ __typename }"}


@pytest.fixture(scope="module")
def limited(neo4j_server_running, tmp_path_factory) -> Iterator[httpx.Client]:
    with serve(tmp_path_factory, LIMITS) as client:
        yield client


def ask(client: httpx.Client, address: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return client.post("/graphql", json=QUERY, headers={"x-forwarded-for": address, **(headers or {})})


def assert_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["retry-after"])
    assert retry_after >= 1
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": retry_after}, error
    assert error["message"]


def test_the_request_past_the_budget_is_429_with_retry_after(limited):
    answers = [ask(limited, "198.51.100.1") for _ in range(PUBLIC)]
    assert [r.status_code for r in answers] == [200] * PUBLIC, [r.text for r in answers]
    assert_limited(ask(limited, "198.51.100.1"))
    # an hour's budget of five: the next one is twelve minutes away
    assert 600 < int(ask(limited, "198.51.100.1").headers["retry-after"]) <= 720


def test_addresses_have_their_own_budgets(limited):
    for _ in range(PUBLIC):
        ask(limited, "198.51.100.2")
    assert_limited(ask(limited, "198.51.100.2"))
    assert ask(limited, "198.51.100.3").status_code == 200


def test_an_ipv6_host_is_one_client_across_its_64(limited):
    for i in range(PUBLIC):
        assert ask(limited, f"2001:db8:0:1::{i + 1}").status_code == 200
    assert_limited(ask(limited, "2001:db8:0:1:ffff::9"))
    assert ask(limited, "2001:db8:0:2::1").status_code == 200


def test_credentials_have_their_own_budgets_whatever_the_address(limited):
    alice, bob = officer("370200-SCJG", "rate-alice"), officer("370200-SCJG", "rate-bob")
    for i in range(CREDENTIAL):
        assert ask(limited, f"198.51.100.{10 + i}", alice).status_code == 200
    assert_limited(ask(limited, "198.51.100.20", alice))  # a new address does not reset the user's budget
    assert ask(limited, "198.51.100.20", bob).status_code == 200
    assert ask(limited, "198.51.100.20").status_code == 200  # nor does the credential spend the address's


def test_a_credential_that_does_not_verify_counts_against_its_address(limited):
    for i in range(PUBLIC):
        junk = {"authorization": f"Bearer junk-{i}"}
        assert ask(limited, "198.51.100.30", junk).json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert_limited(ask(limited, "198.51.100.30", {"authorization": "Bearer junk-new"}))
    assert_limited(ask(limited, "198.51.100.30"))
    assert ask(limited, "198.51.100.30", token("INVESTIGATOR", "rate-carol")).status_code == 200


@pytest.mark.parametrize(("probe", "address"), [("/healthz", "198.51.100.40"), ("/readyz", "198.51.100.41")])
def test_the_probes_are_never_limited(limited, probe, address):
    for _ in range(PUBLIC + 1):
        ask(limited, address)
    answers = [limited.get(probe, headers={"x-forwarded-for": address}) for _ in range(3 * PUBLIC)]
    assert {r.status_code for r in answers} == {200}


def test_refusals_are_counted_by_status_not_by_client(limited):
    for _ in range(PUBLIC + 1):
        ask(limited, "198.51.100.50")
    text = limited.get("/metrics").text
    assert 'route="/graphql",status="429"' in text
    assert "198.51.100" not in text
