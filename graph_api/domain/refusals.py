"""A refusal: the rules say no to an action in the current state (the repair asked too early, the
listing already ended). The code is the contract: the API returns it as a typed `Refusal`, the importer
writes it into the rejects file, and a code means the same wherever it appears."""

from __future__ import annotations


class Refused(Exception):
    """Raised inside a unit of work: nothing of the transaction is kept, and the caller renders the code."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def check_department(acting: str, owner: str, what: str, relation: str = "is for", field: str | None = None) -> None:
    """An officer acts only for its own department: the refusal NOT_YOUR_DEPARTMENT otherwise."""
    if acting != owner:
        raise Refused("NOT_YOUR_DEPARTMENT", f"{what} {relation} {owner}, not {acting}", field)
