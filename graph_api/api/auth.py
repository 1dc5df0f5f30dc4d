"""Credentials: bearer JWTs (HS256 with a shared secret, or RS256 with a key pair, by settings; expiry
always checked) and API keys for service accounts (only their SHA-256 digests are configured). A
credential names a role and, for an officer, the department it acts for, for an entity user, its USCC."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jwt

from graph_api.settings import Settings

ROLES = ("PUBLIC", "ENTITY", "OFFICER", "INVESTIGATOR", "SANCTIONS", "ADMIN")


class InvalidCredentials(Exception):
    """The request carried a credential that does not verify (bad signature, expired, unknown key)."""


@dataclass(frozen=True)
class Claims:
    user: str
    role: str
    department: str | None = None
    uscc: str | None = None


def _check(claims: Claims) -> Claims:
    if claims.role not in ROLES:
        raise InvalidCredentials(f"unknown role {claims.role!r}")
    if claims.role == "OFFICER" and not claims.department:
        raise InvalidCredentials("an officer credential must name its department")
    if claims.role == "ENTITY" and not claims.uscc:
        raise InvalidCredentials("an entity credential must name its USCC")
    return claims


def _signing_key(settings: Settings) -> Any:
    if settings.jwt_algorithm == "RS256":
        if settings.jwt_private_key_file is None:
            raise InvalidCredentials("RS256 tokens are issued with GRAPH_API_JWT_PRIVATE_KEY_FILE")
        return settings.jwt_private_key_file.read_text()
    return settings.jwt_secret.get_secret_value()


def _verifying_key(settings: Settings) -> Any:
    if settings.jwt_algorithm == "RS256":
        if settings.jwt_public_key_file is None:
            raise InvalidCredentials("RS256 tokens are verified with GRAPH_API_JWT_PUBLIC_KEY_FILE")
        return settings.jwt_public_key_file.read_text()
    return settings.jwt_secret.get_secret_value()


def issue_token(settings: Settings, claims: Claims, ttl: dt.timedelta) -> str:
    now = dt.datetime.now(dt.UTC)
    payload = {
        "sub": _check(claims).user,
        "role": claims.role,
        "iat": now,
        "exp": now + ttl,
        "iss": settings.jwt_issuer,
    }
    if claims.department:
        payload["dept"] = claims.department
    if claims.uscc:
        payload["uscc"] = claims.uscc
    return jwt.encode(payload, _signing_key(settings), algorithm=settings.jwt_algorithm)


# Verified tokens, so that a client sending the same bearer token with every request has it checked once:
# by the SHA-256 of its exact bytes and of the key and rules it was checked with, each kept until the
# token's own expiry, the least recently used dropped past the bound. No token is kept in clear.
# (Twenty lines on an OrderedDict rather than cachetools' TLRUCache: one dependency fewer for one cache.)
_VERIFIED_MAX = 4096
_verified: OrderedDict[bytes, tuple[Claims, float]] = OrderedDict()
_verified_lock = threading.Lock()


def _cache_key(settings: Settings, token: str) -> bytes:
    if settings.jwt_algorithm == "RS256" and settings.jwt_public_key_file is not None:
        key = f"{settings.jwt_public_key_file}:{settings.jwt_public_key_file.stat().st_mtime_ns}"
    else:
        key = settings.jwt_secret.get_secret_value()
    rules = "\0".join((settings.jwt_algorithm, settings.jwt_issuer, key, token))
    return hashlib.sha256(rules.encode()).digest()


def verify_token(settings: Settings, token: str) -> Claims:
    try:
        key = _cache_key(settings, token)
    except OSError:  # the key file is gone: _verifying_key says so
        key = None
    if key is not None:
        with _verified_lock:
            hit = _verified.get(key)
            if hit is not None and time.time() < hit[1]:
                _verified.move_to_end(key)
                return hit[0]
    claims, expires = _decode(settings, token)
    if key is not None:
        with _verified_lock:
            _verified[key] = (claims, expires)
            _verified.move_to_end(key)
            while len(_verified) > _VERIFIED_MAX:
                _verified.popitem(last=False)
    return claims


def _decode(settings: Settings, token: str) -> tuple[Claims, float]:
    try:
        payload = jwt.decode(
            token,
            _verifying_key(settings),
            algorithms=[settings.jwt_algorithm],
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "sub", "role", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidCredentials("the token has expired") from None
    except jwt.PyJWTError as e:
        raise InvalidCredentials(f"the token is not valid: {e}") from None
    claims = _check(
        Claims(
            user=str(payload["sub"]),
            role=str(payload["role"]),
            department=payload.get("dept"),
            uscc=payload.get("uscc"),
        )
    )
    return claims, float(payload["exp"])


def key_digest(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def verify_api_key(settings: Settings, api_key: str) -> Claims:
    """Service accounts: GRAPH_API_API_KEYS_FILE is JSON {"<sha256 hex of the key>": {"user", "role", ...}}."""
    if settings.api_keys_file is None or not settings.api_keys_file.exists():
        raise InvalidCredentials("API keys are not configured")
    entries: dict[str, dict[str, Any]] = json.loads(settings.api_keys_file.read_text(encoding="utf-8"))
    digest = key_digest(api_key)
    for known, entry in entries.items():
        if hmac.compare_digest(known, digest):
            return _check(
                Claims(
                    user=entry["user"], role=entry["role"], department=entry.get("department"), uscc=entry.get("uscc")
                )
            )
    raise InvalidCredentials("unknown API key")
