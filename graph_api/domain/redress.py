"""The rules of redress — credit repair and objections — that need no graph: which records are still to
repair, when a listing is still running, and where a revoked record's publication ends. The services
(graph_api/services/repair.py, objections.py, interviews.py) apply them to what they read."""

from __future__ import annotations

import datetime as dt

# A record whose publication repair can still end: in force, or corrected on an upheld objection (a
# correction changes the record, not its publicity). Repaired and revoked records are done with.
REPAIRABLE = ("ACTIVE", "CORRECTED")


def repairable(polarity: str | None, status: str) -> bool:
    """A record a subject may apply to repair: a negative one whose publication repair can still end."""
    return polarity == "NEGATIVE" and status in REPAIRABLE


def listing_running(status: str, ended_on: dt.date | None, until: dt.date | None, on: dt.date) -> bool:
    """A listing still running on the day, as repair and objections see it: neither ended (delisted,
    repaired, withdrawn) nor lapsed at its end day (`until` is the first day off the list)."""
    return status == "ACTIVE" and ended_on is None and (until is None or until > on)


def listing_in_force(since: dt.date, until: dt.date | None, day: dt.date) -> bool:
    """A listing in force on the day by its dates alone: from `since` to the day before `until` (an ended
    listing's `until` is its end day)."""
    return since <= day and (until is None or until > day)


def publication_end_on_revocation(ended_on: dt.date | None, revoked_on: dt.date) -> dt.date:
    """A revoked record is published no longer from the revocation, or from an earlier end it already had."""
    return revoked_on if ended_on is None or ended_on > revoked_on else ended_on
