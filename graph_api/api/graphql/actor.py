"""The acting user of a request: from its credential (a bearer JWT or an API key), or the public when
there is none. An invalid credential is UNAUTHENTICATED, never silently the public."""

from __future__ import annotations

from starlette.requests import Request

from graph_api.api.auth import InvalidCredentials, verify_api_key, verify_token
from graph_api.domain.actor import PERSONAL_DATA_ROLES, PUBLIC, PURPOSE_ROLES, STAFF_ROLES, Actor
from graph_api.domain.permissions import PURPOSE_HEADER
from graph_api.errors import Unauthenticated
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
]

API_KEY_HEADER = "x-api-key"


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
