"""Who is acting. Every mutation knows its acting user and the department (or entity) it acts for,
and records both in the history. Until tokens arrive (issue: access and audit), the acting user is
declared in request headers; the rest of the code only sees an Actor."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from ..errors import BadUserInput, Forbidden
from ..identifiers import InvalidIdentifier, validate_uscc

USER_HEADER = "x-actor"
DEPARTMENT_HEADER = "x-actor-department"
ENTITY_HEADER = "x-actor-entity"


@dataclass(frozen=True)
class Actor:
    user: str
    department: str | None = None  # the department an officer acts for
    uscc: str | None = None  # the entity an entity user acts for

    def officer(self) -> str:
        """The department code of an acting officer, or FORBIDDEN."""
        if not self.department:
            raise Forbidden("this action is for department officers: declare the department you act for")
        return self.department

    def entity_user(self) -> str:
        if not self.uscc:
            raise Forbidden("this action is for a market entity acting on its own behalf")
        return self.uscc


def actor_from_request(request: Request | None) -> Actor | None:
    if request is None:
        return None
    user = (request.headers.get(USER_HEADER) or "").strip()
    if not user:
        return None
    if len(user) > 64:
        raise BadUserInput("the acting user id is longer than 64 characters", field=USER_HEADER)
    uscc = (request.headers.get(ENTITY_HEADER) or "").strip() or None
    if uscc:
        try:
            uscc = validate_uscc(uscc)
        except InvalidIdentifier as e:
            raise BadUserInput(e.message, reason=e.code, field=ENTITY_HEADER) from None
    department = (request.headers.get(DEPARTMENT_HEADER) or "").strip() or None
    return Actor(user=user, department=department, uscc=uscc)
