"""Per-client rate limits: the generic cell rate algorithm (GCRA, the token bucket as one number per client)
over a table of bounded size.

Written here rather than taken from `limits` (alisaifee): its in-memory storage has no bound on the
number of clients it holds (an attacker rotating addresses grows it for a whole window) and expires them
by a timer thread that walks every key every 10 ms while requests arrive. This is one float per client
in an ordered dict capped at `max_clients`, touched only from the event loop (no await inside, so no lock).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    """`requests` per `window` seconds sustained, and up to `burst` at once from a client that was idle."""

    requests: int
    window: float
    burst: int

    @property
    def interval(self) -> float:
        return self.window / self.requests


_SLACK = 1e-9  # seconds: float sums of intervals must not refuse the last request of a burst
OVERFLOW = "\x00overflow"  # cannot be a client's key: keys are printable


class RateLimiter:
    def __init__(self, max_clients: int):
        self.max_clients = max_clients
        # per client: its theoretical arrival time (when its bucket is full again, plus one interval)
        self._tat: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._tat)

    def hit(self, key: str, rate: Rate, now: float | None = None) -> int | None:
        """Count one request of `key`: None when it is allowed, else the whole seconds until it would be."""
        now = time.monotonic() if now is None else now
        key = self._slot(key, now)
        tat = self._tat.get(key, now)
        after = max(tat, now) + rate.interval
        too_early = after - now - rate.burst * rate.interval
        self._tat[key] = tat if too_early > _SLACK else after  # a refused request costs nothing
        self._tat.move_to_end(key)
        return max(1, math.ceil(too_early)) if too_early > _SLACK else None

    def _slot(self, key: str, now: float) -> str:
        """The key itself while there is room for it; when the table is full, the least recently seen client
        makes room if its bucket is full again (forgetting it loses nothing), else the newcomer shares one
        overflow budget with every other newcomer — so rotating addresses neither grows memory nor escapes
        the limit (the table holds at most max_clients + 1 entries)."""
        if key in self._tat or len(self._tat) < self.max_clients:
            return key
        oldest, tat = next(iter(self._tat.items()))
        if tat <= now:
            del self._tat[oldest]
            return key
        return OVERFLOW
