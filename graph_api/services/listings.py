"""Ending a listing with its cascade, as every way out of a listing does it (delisting, repair, withdrawal
after an upheld objection): the listing, its tasks and personal bindings end from a day on and stay
readable as history.

On branch svc1 this module also holds list_subject and delist, with `ListingEnd` and `end_listing` exactly
as here: merging the two, svc1's file is the one to keep."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph_api.services.unit_of_work import Tx


@dataclass(frozen=True)
class ListingEnd:
    listing_id: str
    status: str
    ended_on: dt.date
    planned_until: dt.date | None
    tasks_ended: int
    links_ended: int  # personal bindings and related-entity flags


async def end_listing(tx: Tx, listing_id: str, on: dt.date, status: str, reason: str) -> ListingEnd:
    """End a listing and its cascade from `on` (status DELISTED, REPAIRED or WITHDRAWN), with its history
    entry. The caller checks first that the state allows it (it may hold `listing_lock` already)."""
    lock = await tx.lock("listing_lock", f"listing {listing_id!r}", id=listing_id)
    before = (await tx.one("listing_state", id=listing_id))["listing"]
    ended = "WITHDRAWN" if status == "WITHDRAWN" else "ENDED"  # the tasks' and links' status
    row = await tx.one("listing_end", id=listing_id, on=on, status=status, reason=reason, taskStatus=ended,
                       linkStatus=ended)
    after = row["listing"]
    tx.changed(lock["nodeId"], "Listing", listing_id, lock["party"], f"listing {listing_id} {status.lower()}: {reason}",
               dict(before), dict(after))
    until = after["plannedUntil"]
    return ListingEnd(listing_id=listing_id, status=status, ended_on=on,
                      planned_until=until.to_native() if until is not None else None,
                      tasks_ended=row["tasks"], links_ended=row["links"])
