"""The acting user of a request: from its credential (a bearer JWT or an API key), or the public when
there is none. An invalid credential is UNAUTHENTICATED, never silently the public."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

from starlette.requests import Request

from graph_api.api.auth import InvalidCredentials, verify_api_key, verify_token
from graph_api.domain.actor import PERSONAL_DATA_ROLES, PUBLIC, PURPOSE_ROLES, STAFF_ROLES, Actor
from graph_api.domain.permissions import PURPOSE_HEADER
from graph_api.errors import BadUserInput, Unauthenticated
from graph_api.settings import Settings

__all__ = [
    "API_KEY_HEADER",
    "PERSONAL_DATA_ROLES",
    "PUBLIC",
    "PURPOSE_HEADER",
    "PURPOSE_ROLES",
    "STAFF_ROLES",
    "Actor",
    "actor_from_request",
    "check_request_credentials",
    "stated_purpose",
]

API_KEY_HEADER = "x-api-key"
MAX_PURPOSE_CHARS = 200


def stated_purpose(raw: str) -> str:
    """The text of a percent-encoded purpose header: UTF-8, non-blank, without control characters, at most
    MAX_PURPOSE_CHARS; anything else is BAD_USER_INPUT naming the header (the purpose goes into the audit
    trail, where blanks or control characters would say nothing, or forge lines)."""
    try:
        value = unquote(raw, errors="strict").strip()
    except UnicodeDecodeError:
        raise BadUserInput(
            f"header {PURPOSE_HEADER} must be UTF-8 text, percent-encoded", field=PURPOSE_HEADER
        ) from None
    if not value:
        raise BadUserInput(f"header {PURPOSE_HEADER} is blank; state the purpose in words", field=PURPOSE_HEADER)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value):
        raise BadUserInput(
            f"header {PURPOSE_HEADER} contains control or unassigned characters; state the purpose as plain text",
            field=PURPOSE_HEADER,
        )
    if len(value) > MAX_PURPOSE_CHARS:
        raise BadUserInput(
            f"header {PURPOSE_HEADER} is longer than {MAX_PURPOSE_CHARS} characters", field=PURPOSE_HEADER
        )
    return value


def actor_from_request(request: Request | None, settings: Settings) -> Actor:
    if request is None:
        return PUBLIC
    authorization = request.headers.get("authorization")
    api_key = request.headers.get(API_KEY_HEADER)
    try:
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise InvalidCredentials("the Authorization header must be 'Bearer <token>'")
            claims = verify_token(settings, token.strip())
        elif api_key:
            claims = verify_api_key(settings, api_key.strip())
        else:
            return PUBLIC
    except InvalidCredentials as e:
        raise Unauthenticated(str(e)) from None
    return Actor(user=claims.user, role=claims.role, department=claims.department, uscc=claims.uscc)


def check_request_credentials(request: Request | None, settings: Settings) -> Actor:
    """The request's actor, with its purpose checked when one is presented: called before any field runs,
    so that an invalid credential or purpose fails the whole request, also fields that need no identity."""
    actor = actor_from_request(request, settings)
    if request is not None and PURPOSE_HEADER in request.headers:
        stated_purpose(request.headers[PURPOSE_HEADER])
    return actor
