"""Who is acting: a user with a role, and the department (or entity) it acts for. Every service takes an
Actor; the API builds one from the request's credential, the CLI from its options."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.errors import Forbidden, Unauthenticated

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

    def require(self, *roles: str) -> Actor:
        if self.is_public:
            raise Unauthenticated("this needs credentials: a bearer token or an API key")
        if self.role not in roles:
            raise Forbidden(f"role {self.role} may not do this (allowed: {', '.join(roles)})")
        return self

    def department_staff(self, department: str) -> Actor:
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


