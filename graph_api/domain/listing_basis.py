"""The listing-basis rule (docs/domain-rules.md, Lists): a listing rests on records of its own subject, decided no
later than the listing starts, negative for a punishment list (joint punishment, key attention) and
positive or neutral for the red list. One rule for the API's `listSubject` and the importer's listing
lines; the codes are the same in a `Refusal` and in the rejects file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph_api.domain.vocabulary import PUNISHMENT_LISTS


@dataclass(frozen=True)
class BasisRecord:
    id: str
    found: bool
    subject: str | None = None  # the record's subject: a USCC or a person's key hash
    status: str | None = None
    polarity: str | None = None
    decided_on: dt.date | None = None


@dataclass(frozen=True)
class BasisProblem:
    code: str
    message: str


def basis_problem(
    list_code: str, subject: str, since: dt.date, basis: list[BasisRecord], *, require_active: bool
) -> BasisProblem | None:
    """The first way the basis breaks the rule, or None. `require_active`: a listing made now rests only on
    records in force (ACTIVE); an imported listing is history, and its records may have been repaired,
    corrected or revoked since."""
    punishment = list_code in PUNISHMENT_LISTS
    for b in basis:
        if not b.found:
            return BasisProblem("BASIS_NOT_FOUND", f"basis record {b.id!r} is not known")
        if b.subject != subject:
            return BasisProblem(
                "BASIS_OTHER_SUBJECT", f"basis record {b.id!r} is about another subject than the listing"
            )
        if require_active and b.status != "ACTIVE":
            return BasisProblem("BASIS_NOT_ACTIVE", f"basis record {b.id!r} is {b.status}")
        if punishment != (b.polarity == "NEGATIVE"):
            want = "negative" if punishment else "positive or neutral"
            return BasisProblem("BASIS_POLARITY", f"a {list_code} listing rests on {want} records; {b.id!r} is not")
        if b.decided_on is not None and b.decided_on > since:
            return BasisProblem(
                "BASIS_AFTER_LISTING",
                f"basis record {b.id!r} was decided on {b.decided_on}, after the listing's start {since}",
            )
    return None
