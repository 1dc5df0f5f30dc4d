"""The webhook rules of graph_api/domain/webhooks.py: which URLs and addresses are refused, the signature,
the backoff and what a delivery becomes after an attempt."""

from __future__ import annotations

import hashlib
import hmac
import random

import pytest

from graph_api.domain import webhooks
from graph_api.errors import BadUserInput

NONE = webhooks.networks([])
LOCAL = webhooks.networks(["127.0.0.1/32", "10.12.0.0/16"])


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://receiver.example.gov.cn/hook", "https:// or http://"),
        ("receiver.example.gov.cn/hook", "https:// or http://"),
        ("https:///hook", "names no host"),
        ("https://user:pw@receiver.example.gov.cn/", "user name or password"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://127.0.0.1:8080/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://10.0.0.1/", "private-network"),
        ("http://192.168.1.10/", "private-network"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "not a public address"),
        ("http://localhost:9000/", "this machine"),
        ("https://receiver.example.gov.cn:99999/", "not well formed"),
    ],
)
def test_refused_urls_say_what_to_fix(url, words):
    with pytest.raises(BadUserInput) as e:
        webhooks.check_url(url, NONE)
    assert words in e.value.message
    assert e.value.extensions["field"] == "url"


def test_a_private_address_says_how_to_admit_it():
    with pytest.raises(BadUserInput) as e:
        webhooks.check_url("http://10.0.0.1/hook", NONE)
    assert "webhook_allowed_networks" in e.value.message


def test_accepted_urls():
    assert webhooks.check_url("https://receiver.example.gov.cn/hook", NONE) == "https://receiver.example.gov.cn/hook"
    assert webhooks.check_url("http://8.8.8.8/x", NONE) == "http://8.8.8.8/x"
    # the allow-list admits chosen ranges, and only those
    assert webhooks.check_url("http://127.0.0.1:8080/hook", LOCAL)
    assert webhooks.check_url("http://10.12.3.4/hook", LOCAL)
    with pytest.raises(BadUserInput):
        webhooks.check_url("http://127.0.0.2/hook", LOCAL)
    with pytest.raises(BadUserInput):
        webhooks.check_url("http://10.13.0.1/hook", LOCAL)


def test_resolved_addresses_are_checked_as_registered_ones():
    assert webhooks.address_problem("93.184.216.34", NONE) is None
    assert "link-local" in (webhooks.address_problem("169.254.169.254", NONE) or "")
    assert webhooks.address_problem("127.0.0.1", LOCAL) is None
    assert "loopback" in (webhooks.address_problem("::ffff:127.0.0.1", NONE) or "")


def test_a_malformed_allowed_network_is_named():
    with pytest.raises(ValueError, match=r"'10\.0\.0\.0/33'"):
        webhooks.networks(["10.0.0.0/33"])


def test_signature_is_the_hmac_of_the_raw_body():
    body = '{"alert":{"id":"a1","reason":"失信"}}'.encode()
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert webhooks.signature("s3cret", body) == f"sha256={expected}"
    h = webhooks.headers("s3cret", body, 1700000000, "a1")
    assert h["Idempotency-Key"] == "a1"
    assert h["X-Graph-Api-Timestamp"] == "1700000000"
    assert h["X-Graph-Api-Signature"] == f"sha256={expected}"


def test_backoff_doubles_up_to_the_cap_with_jitter():
    assert [webhooks.backoff(n, 2.0, 600.0, 0.0) for n in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 16.0]
    assert webhooks.backoff(20, 2.0, 600.0, 0.0) == 600.0
    rng = random.Random(7)
    spread = {webhooks.backoff(3, 2.0, 600.0, 0.25, rng) for _ in range(50)}
    assert min(spread) >= 6.0 and max(spread) <= 10.0 and len(spread) > 1


def test_after_attempt_goes_dead_after_max_failures():
    assert webhooks.after_attempt(True, 2, 3) == ("DELIVERED", 2)
    assert webhooks.after_attempt(False, 0, 3) == ("PENDING", 1)
    assert webhooks.after_attempt(False, 1, 3) == ("PENDING", 2)
    assert webhooks.after_attempt(False, 2, 3) == ("DEAD", 3)
    assert webhooks.succeeded(204) and not webhooks.succeeded(302) and not webhooks.succeeded(503)
