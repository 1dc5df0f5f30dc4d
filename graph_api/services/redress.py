"""What repair applications and objections share: their target (a record or a listing), who may file
about it, and the rule that a listing ends only when no valid basis is left under it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph_api.domain.actor import Actor
from graph_api.domain.redress import listing_running
from graph_api.domain.refusals import Refused
from graph_api.errors import BadUserInput, Forbidden, NotFound
from graph_api.services.listings import end_listing
from graph_api.services.unit_of_work import Tx
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import TargetContextRow


@dataclass(frozen=True)
class Target:
    """A credit record or a listing, by its id; an empty id names nothing."""

    record: str | None = None
    listing: str | None = None

    def params(self) -> dict[str, str | None]:
        """The `record` and `listing` statement parameters, one of them null; BAD_USER_INPUT naming neither."""
        record, listing = self.record or None, self.listing or None
        if not (record or listing):
            raise BadUserInput("name a record or a listing", field="target")
        return {"record": record, "listing": listing}


async def load_target(tx: Tx, target: dict[str, str | None]) -> TargetContextRow:
    """The target locked for change, with what filing about it needs to know; NOT_FOUND if it is none."""
    ctx = await tx.one(queries.target_context, **target)
    if ctx is None:
        kind, key = ("record", target["record"]) if target["record"] else ("listing", target["listing"])
        raise NotFound(f"no {kind} {key!r}", id=key)
    return ctx


def check_filer(actor: Actor, ctx: TargetContextRow) -> str:
    """Who may file about a target: the entity user of the subject entity. A person subject has no entity
    account; an officer of the deciding department files for them (窗口代办), which the filing records.
    Returns 'SUBJECT' or 'OFFICER_ON_BEHALF'."""
    what = f"{ctx['kind'].lower()} {ctx['id']}"
    if actor.role == "ENTITY":
        if ctx["entity"] != actor.uscc:
            raise Refused("NOT_YOUR_SUBJECT", f"{what} is not about {actor.uscc}", field="target")
        return "SUBJECT"
    if actor.role == "OFFICER" and ctx["entity"] is None:
        if actor.department != ctx["department"]:
            raise Refused("NOT_YOUR_DEPARTMENT", f"{what} was decided by {ctx['department']}, not {actor.department}")
        return "OFFICER_ON_BEHALF"
    actor.require("ENTITY")  # the public: UNAUTHENTICATED
    raise Forbidden(
        f"{what} is for the entity concerned to file about"
        + ("" if ctx["entity"] else ", or for an officer of the deciding department on the person's behalf")
    )


def in_force(ctx: TargetContextRow, on: dt.date) -> bool:
    """The target listing still running on the day (not ended, not lapsed)."""
    until, ended_on = ctx["until"], ctx["endedOn"]
    return listing_running(
        ctx["status"],
        ended_on.to_native() if ended_on is not None else None,
        until.to_native() if until is not None else None,
        on,
    )


async def end_listings_without_basis(tx: Tx, records: list[str], on: dt.date, status: str, reason: str) -> list[str]:
    """End (with their whole cascade) the listings in force that rest on `records` and have no valid basis
    left; a listing with another standing basis survives. The listings are locked before their bases are
    judged, so a basis withdrawn at the same moment by another transaction is seen once it commits."""
    await tx.run(queries.basis_listings_lock, records=records)
    rows = await tx.run(queries.listings_without_basis, records=records, on=on)
    ended = [r["id"] for r in rows]
    for listing_id in ended:
        await end_listing(tx, listing_id, on, status, reason)
    return ended
