"""Ending a listing with its cascade, as every way out of a listing does it (delisting, repair, withdrawal
after an upheld objection): the listing, its tasks and personal bindings end from a day on and stay
readable as history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph_api.services.unit_of_work import Tx


@dataclass(frozen=True)
class ListingEnded:
    listing_id: str
    status: str
    ended_on: dt.date
    planned_until: dt.date | None
    tasks_ended: int
    links_ended: int


async def end_listing(tx: Tx, listing_id: str, on: dt.date, status: str, reason: str) -> ListingEnded:
    """End a listing and its cascade from `on` (status DELISTED, REPAIRED or WITHDRAWN), with its history
    entry. The caller checks first that the state allows it (it may hold `listing_lock` already)."""
    lock = await tx.lock("listing_lock", f"listing {listing_id!r}", id=listing_id)
    before = (await tx.one("listing_state", id=listing_id))["listing"]
    withdrawn = status == "WITHDRAWN"
    ended = "WITHDRAWN" if withdrawn else "ENDED"
    row = await tx.one("listing_end", id=listing_id, on=on, status=status, reason=reason, taskStatus=ended,
                       linkStatus=ended)
    after = row["listing"]
    tx.changed(lock["nodeId"], "Listing", listing_id, lock["party"], f"listing {listing_id} {status.lower()}: {reason}",
               dict(before), dict(after))
    planned = after["plannedUntil"]
    return ListingEnded(listing_id=listing_id, status=status, ended_on=on,
                        planned_until=planned.to_native() if planned is not None else None,
                        tasks_ended=row["tasks"], links_ended=row["links"])
