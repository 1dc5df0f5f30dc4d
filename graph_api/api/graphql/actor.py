"""Who is acting: from the request's credential (a bearer JWT or an API key), or the public when there
is none. Every mutation knows its acting user and the department (or entity) it acts for, and records
both in the history."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from graph_api.api.auth import InvalidCredentials, verify_api_key, verify_token
from graph_api.errors import Forbidden, Unauthenticated
from graph_api.settings import Settings

API_KEY_HEADER = "x-api-key"
PURPOSE_HEADER = "x-purpose"
# Who may look a person up by identity number and read person views and exposure (README, permission matrix);
# of them, these must state a purpose, which goes into the audit trail.
PERSONAL_DATA_ROLES = ("OFFICER", "INVESTIGATOR", "SANCTIONS", "ADMIN")
PURPOSE_ROLES = ("INVESTIGATOR", "SANCTIONS")
# Who reads a department's working lists (overdue publications, tasks, commitments, interviews due,
# objections, inspection draws; an officer only its own department's) and change logs.
STAFF_ROLES = ("OFFICER", "INVESTIGATOR", "SANCTIONS", "ADMIN")


@dataclass(frozen=True)
class Actor:
    user: str
    role: str  # one of auth.ROLES
    department: str | None = None  # the department an officer acts for
    uscc: str | None = None  # the entity an entity user acts for

    @property
    def is_public(self) -> bool:
        return self.role == "PUBLIC"

    def require(self, *roles: str) -> "Actor":
        if self.is_public:
            raise Unauthenticated("this needs credentials: a bearer token or an API key")
        if self.role not in roles:
            raise Forbidden(f"role {self.role} may not do this (allowed: {', '.join(roles)})")
        return self

    def department_staff(self, department: str) -> "Actor":
        """A reader of `department`'s working lists: staff, and an officer only for its own department
        (least privilege: an officer acts for one department; investigators, sanctions officers and
        administrators look across departments)."""
        self.require(*STAFF_ROLES)
        if self.role == "OFFICER" and department != self.department:
            raise Forbidden(f"an officer reads only the working lists of its own department ({self.department}), "
                            f"not of {department}", reason="NOT_YOUR_DEPARTMENT")
        return self

    def officer(self) -> str:
        """The department code of an acting officer, or UNAUTHENTICATED / FORBIDDEN."""
        return self.require("OFFICER").department  # type: ignore[return-value]

    def entity_user(self) -> str:
        """The USCC of a market entity acting for itself."""
        return self.require("ENTITY").uscc  # type: ignore[return-value]


PUBLIC = Actor(user="anonymous", role="PUBLIC")


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
