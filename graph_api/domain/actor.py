"""Who is acting: a user with one role and, for an officer, the department it acts for, for an entity
user, the entity. The API builds it from a request's credential (api/graphql/actor.py); a CLI command,
a job or a test builds its own. What each role may do is the table in domain/permissions.py."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.domain import permissions
from graph_api.domain.permissions import PERSONAL_DATA_ROLES, PURPOSE_ROLES, ROLES, STAFF_ROLES
from graph_api.errors import Forbidden

__all__ = ["PERSONAL_DATA_ROLES", "PUBLIC", "PURPOSE_ROLES", "ROLES", "STAFF_ROLES", "Actor"]


@dataclass(frozen=True)
class Actor:
    user: str
    role: str  # one of ROLES
    department: str | None = None  # the department an officer acts for
    uscc: str | None = None  # the entity an entity user acts for

    @property
    def is_public(self) -> bool:
        return self.role == "PUBLIC"

    def require(self, *roles: str) -> Actor:
        permissions.require(self, roles)
        return self

    def department_staff(self, department: str) -> Actor:
        """A reader of `department`'s working lists (permissions.WORKING_LIST)."""
        permissions.check_rule(self, permissions.WORKING_LIST, permissions.Call(department=department))
        return self

    def officer(self) -> str:
        """The department code of an acting officer, or UNAUTHENTICATED / FORBIDDEN."""
        department = self.require("OFFICER").department
        if department is None:  # auth.verify_* refuse such a credential; an Actor built by hand may lack it
            raise Forbidden("an officer acts for a department, and this one names none")
        return department

    def entity_user(self) -> str:
        """The USCC of a market entity acting for itself."""
        uscc = self.require("ENTITY").uscc
        if uscc is None:
            raise Forbidden("an entity user acts for an entity, and this one names none")
        return uscc


PUBLIC = Actor(user="anonymous", role="PUBLIC")
