"""Webhooks (回调推送) as pure rules: which receiver URLs are acceptable, which resolved addresses a delivery
may connect to, how a body is signed, how long to wait before the next attempt, and what a delivery
becomes after an attempt. Receivers on loopback, link-local (cloud metadata), multicast, reserved or
private addresses are refused unless a configured network admits them: government receivers sit on
intranets, so a deployment names its own ranges."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import random
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from graph_api.errors import BadUserInput

SCHEMES = ("http", "https")
# A delivery is PENDING (its next attempt scheduled), DELIVERED (a 2xx came back) or DEAD (it failed
# max_failures times in a row; the cursor moved on, retryWebhookDelivery puts it back).
DELIVERY_STATES = ("PENDING", "DELIVERED", "DEAD")
SIGNATURE_HEADER = "X-Graph-Api-Signature"
TIMESTAMP_HEADER = "X-Graph-Api-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_URL_LENGTH = 2000

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def networks(cidrs: Iterable[str]) -> tuple[Network, ...]:
    """The allow-list as networks; a malformed entry is a configuration error, named."""
    out = []
    for c in cidrs:
        try:
            out.append(ipaddress.ip_network(c.strip(), strict=False))
        except ValueError:
            raise ValueError(f"webhook_allowed_networks: {c!r} is not a CIDR range such as 10.12.0.0/16") from None
    return tuple(out)


def address_problem(address: str, allowed: Sequence[Network]) -> str | None:
    """Why a delivery may not connect to `address` (an IP literal), or None when it may."""
    try:
        ip: Address = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone index is not the address
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
    if any(ip.version == n.version and ip in n for n in allowed):
        return None
    for test, words in (
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address (such as the cloud metadata service 169.254.169.254)"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "the unspecified address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private-network address"),
        (not ip.is_global, "not a public address"),
    ):
        if test:
            return (
                f"{ip} is {words}; a receiver on an intranet needs its range in the setting "
                "webhook_allowed_networks (ask the administrator)"
            )
    return None


def check_url(url: str, allowed: Sequence[Network]) -> str:
    """The URL a department registers, or BAD_USER_INPUT saying what to fix. A host name is accepted here
    and its addresses checked at every delivery (a name may be pointed elsewhere later)."""
    if len(url) > MAX_URL_LENGTH:
        raise BadUserInput(f"the URL is longer than {MAX_URL_LENGTH} characters", field="url")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise BadUserInput(
            "the URL is not well formed (for example https://receiver.example.gov.cn/hook)", field="url"
        ) from None
    if parts.scheme.lower() not in SCHEMES:
        raise BadUserInput(
            f"the URL must start with https:// or http://, not {parts.scheme or 'nothing'}:", field="url"
        )
    host = parts.hostname
    if not host:
        raise BadUserInput("the URL names no host (for example https://receiver.example.gov.cn/hook)", field="url")
    if parts.username is not None or parts.password is not None:
        raise BadUserInput("the URL must not carry a user name or password; the body is signed instead", field="url")
    if port == 0:
        raise BadUserInput("the URL's port 0 is not a port a receiver listens on", field="url")
    if is_ip(host):
        problem = address_problem(host, allowed)
        if problem:
            raise BadUserInput(f"the receiver's address is refused: {problem}", field="url")
    elif host.lower() == "localhost" or host.lower().endswith((".localhost", ".local")):
        raise BadUserInput(
            "the receiver's host is this machine or the local network name service; "
            "register its address, allowed by webhook_allowed_networks",
            field="url",
        )
    return parts.geturl()


def pinned(url: str, address: str) -> tuple[str, str, str]:
    """What a delivery connects to once the receiver's host name resolved to `address` (checked): the URL with
    the address in place of the name, the Host header and the TLS server name (SNI and the certificate's
    check), both the name. Connecting to the checked address, rather than to the name again, leaves no
    second look-up for a rebinding name server to answer with an internal address."""
    parts = urlsplit(url)
    name = (parts.hostname or "").encode("idna").decode("ascii")
    port = f":{parts.port}" if parts.port is not None else ""
    literal = f"[{address}]" if ":" in address else address
    return parts._replace(netloc=f"{literal}{port}").geturl(), f"{name}{port}", name


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def signature(secret: str, body: bytes) -> str:
    """The X-Graph-Api-Signature header: sha256=<hex HMAC-SHA256 of the raw body under the secret>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def headers(secret: str, body: bytes, timestamp: int, alert_id: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: signature(secret, body),
        TIMESTAMP_HEADER: str(timestamp),
        IDEMPOTENCY_HEADER: alert_id,
    }


def backoff(failures: int, base: float, cap: float, jitter: float, rng: random.Random | None = None) -> float:
    """Seconds before the next attempt after `failures` failures in a row (1 or more): exponential, capped,
    spread by ±jitter so that many deliveries failing together do not retry together."""
    delay = min(cap, base * 2 ** max(0, failures - 1))
    spread = rng.uniform(-jitter, jitter) if rng is not None else random.uniform(-jitter, jitter)
    return float(max(0.0, delay * (1 + spread)))


def after_attempt(ok: bool, failures: int, max_failures: int) -> tuple[str, int]:
    """A delivery's state and failures in a row after an attempt, given its failures before."""
    if ok:
        return "DELIVERED", failures
    failures += 1
    return ("DEAD" if failures >= max_failures else "PENDING"), failures


def succeeded(status: int) -> bool:
    return 200 <= status < 300
