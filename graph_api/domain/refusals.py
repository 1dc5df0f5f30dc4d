"""A refusal: the rules say no to an action in the current state (the repair asked too early, the
listing already ended). The code is the contract: the API returns it as a typed `Refusal`, the importer
writes it into the rejects file, and a code means the same wherever it appears — each is declared once,
here, with its meaning, and a refusal with an undeclared code cannot be raised."""

from __future__ import annotations

# Every refusal code and what it means. Codes the importer shares (UNKNOWN_DEPARTMENT, the BASIS_ codes of
# domain/listing_basis.py) mean the same in its rejects file.
REFUSALS: dict[str, str] = {
    "ALREADY_ANSWERED": "the objection has been answered already",
    "ALREADY_CLOSED": "the commitment is fulfilled or breached already",
    "ALREADY_DECIDED": "the repair application has been decided already",
    "ALREADY_DECLARED": "the two persons are declared relatives already",
    "ALREADY_DRAWN": "an inspection draw with this id exists already",
    "ALREADY_INTERVIEWED": "an interview of the listing on that day has been recorded already",
    "ALREADY_ENDED": "the listing, objection target or application has ended already",
    "ALREADY_LINKED": "the inspector is tied to a person already",
    "ALREADY_LISTED": "the subject is on that list already",
    "ALREADY_PUBLISHED": "the decision has been published already",
    "ALREADY_REGISTERED": "the department has a webhook for that URL already",
    "ALREADY_REPORTED": "the task's execution has been reported already",
    "ALREADY_REVOKED": "the record has been revoked already",
    "BASIS_AFTER_LISTING": "a basis record was decided after the listing starts",
    "BASIS_NOT_ACTIVE": "a basis record is not in force (repaired, corrected, revoked or expired)",
    "BASIS_NOT_FOUND": "a basis record is not known",
    "BASIS_OTHER_SUBJECT": "a basis record is about another subject than the listing",
    "BASIS_POLARITY": "a punishment list rests on negative records, the red list on positive or neutral ones",
    "BEFORE_APPLICATION": "the day given is before the repair application",
    "BEFORE_COMMITMENT": "the day given is before the commitment was made",
    "BEFORE_DECISION": "the day given is before the decision",
    "BEFORE_LISTING": "the day given is before the listing starts",
    "BEFORE_OBJECTION": "the day given is before the objection was raised",
    "BEFORE_PUSH": "the day given is before the task was pushed",
    "DUPLICATE_ID": "something with this id exists already",
    "LISTING_NOT_IN_FORCE": "the listing is not in force on that day",
    "NOT_FOUND": "the subject is not in the graph",
    "NOT_REPAIRABLE": "the record or listing cannot be repaired (its kind or state does not allow it)",
    "NOT_YOUR_DEPARTMENT": "the thing acted on belongs to another department",
    "NOT_YOUR_SUBJECT": "the thing acted on concerns another market entity",
    "OBJECTION_OPEN": "an objection to the same target is still open",
    "REPAIR_PENDING": "a repair application for the same target is still pending",
    "REPAIR_TOO_EARLY": "the minimum publicity period has not passed: repair may be asked from the day named",
    "ROSTER_TOO_SMALL": "the department has too few inspectors for the draw",
    "UNKNOWN_DEPARTMENT": "the department is not in the graph",
}


class Refused(Exception):
    """Raised inside a unit of work: nothing of the transaction is kept, and the caller renders the code."""

    def __init__(self, code: str, message: str, field: str | None = None):
        if code not in REFUSALS:
            raise ValueError(f"refusal code {code!r} is not declared in graph_api.domain.refusals.REFUSALS")
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def check_department(acting: str, owner: str, what: str, relation: str = "is for", field: str | None = None) -> None:
    """An officer acts only for its own department: the refusal NOT_YOUR_DEPARTMENT otherwise."""
    if acting != owner:
        raise Refused("NOT_YOUR_DEPARTMENT", f"{what} {relation} {owner}, not {acting}", field)
