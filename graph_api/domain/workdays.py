"""Working days by China's official calendar (国务院办公厅 holiday arrangements): public holidays off,
swapped weekend workdays (调休) on. The arrangements come from the maintained `chinesecalendar` package,
which knows the years the State Council has published. Beyond them the calendar is not guessed
silently: the count falls back to Monday–Friday and the answer says it is an estimate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

_START = dt.date(2004, 1, 1)
# Administrative decisions are published within 7 working days of the decision (docs/domain-rules.md, Records);
# objections are answered within 7 working days (Lifecycles).
PUBLICATION_WORKING_DAYS = 7
OBJECTION_WORKING_DAYS = 7


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    estimated: bool  # some day counted lies in a year the official calendar does not cover yet


@lru_cache(maxsize=1)
def covered_until() -> dt.date:
    """The last day of the last year the installed calendar covers."""
    year = dt.date.today().year + 5
    while year > _START.year:
        try:
            chinese_calendar.is_workday(dt.date(year, 12, 31))
            return dt.date(year, 12, 31)
        except NotImplementedError:
            year -= 1
    raise RuntimeError("chinesecalendar covers no year at all")


@lru_cache(maxsize=65536)  # chinese_calendar scans its whole holiday table on every call
def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(working day?, estimated?)"""
    if _START <= day <= covered_until():
        return chinese_calendar.is_workday(day), False
    return day.weekday() < 5, True


@lru_cache(maxsize=8192)  # imports compute a deadline for every record; decision dates repeat
def add_working_days(start: dt.date, n: int) -> Deadline:
    """The day on which n working days after `start` have passed (start itself not counted):
    a decision on Friday 2026-09-25 with 7 working days is due on Monday 2026-10-12 — the National
    Day holiday (10-01..10-07) does not count, the swapped Saturday 2026-10-10 does."""
    if n < 0:
        raise ValueError("n must not be negative")
    day, left, estimated = start, n, False
    while left:
        day += dt.timedelta(days=1)
        working, guess = is_workday(day)
        estimated |= guess
        left -= working
    return Deadline(day, estimated)
