"""The rule that the holdings of one entity never add up to more than 100% at any one date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_EPSILON = 1e-9


@dataclass(frozen=True)
class Stake:
    holder: str
    since: dt.date
    until: dt.date | None
    ratio: float

    def active_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.until is None or day < self.until)


def first_excess(existing: list[Stake], new: Stake) -> tuple[dt.date, float] | None:
    """The first date on which `new` together with `existing` exceeds 100%, with the total then.
    A stake of the same holder from the same day is the fact being updated, so it does not count.
    The total can only rise where some stake begins, so those dates are the only ones to check."""
    others = [s for s in existing if not (s.holder == new.holder and s.since == new.since)]
    days = sorted({new.since} | {s.since for s in others if new.active_on(s.since)})
    for day in days:
        total = new.ratio + sum(s.ratio for s in others if s.active_on(day))
        if total > 1 + _EPSILON:
            return day, total
    return None
