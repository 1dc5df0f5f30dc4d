"""The rate limiter's arithmetic, on a clock the test sets: a burst, then one request per interval; budgets per
client; a table that never holds more than its bound, however many clients pass."""

from __future__ import annotations

from graph_api.api.ratelimit import OVERFLOW, Rate, RateLimiter

FIVE_PER_MINUTE = Rate(requests=5, window=60.0, burst=5)  # one every 12 s sustained, five at once


def test_a_burst_then_one_per_interval():
    limiter = RateLimiter(max_clients=10)
    assert [limiter.hit("a", FIVE_PER_MINUTE, now=100.0) for _ in range(5)] == [None] * 5
    assert limiter.hit("a", FIVE_PER_MINUTE, now=100.0) == 12  # the next slot is one interval away
    assert limiter.hit("a", FIVE_PER_MINUTE, now=105.5) == 7  # refused requests cost nothing: still 12 s from 100
    assert limiter.hit("a", FIVE_PER_MINUTE, now=112.0) is None
    assert limiter.hit("a", FIVE_PER_MINUTE, now=112.0) == 12
    assert [limiter.hit("a", FIVE_PER_MINUTE, now=200.0) for _ in range(5)] == [None] * 5  # idle: a whole burst


def test_retry_after_is_whole_seconds_and_at_least_one():
    limiter = RateLimiter(max_clients=10)
    fast = Rate(requests=10, window=1.0, burst=1)
    assert limiter.hit("a", fast, now=0.0) is None
    assert limiter.hit("a", fast, now=0.0) == 1  # 0.1 s away, said as 1


def test_clients_have_their_own_budgets():
    limiter = RateLimiter(max_clients=10)
    for _ in range(5):
        limiter.hit("a", FIVE_PER_MINUTE, now=0.0)
    assert limiter.hit("a", FIVE_PER_MINUTE, now=0.0) is not None
    assert limiter.hit("b", FIVE_PER_MINUTE, now=0.0) is None


def test_rotating_clients_do_not_grow_the_table_and_share_one_budget():
    limiter = RateLimiter(max_clients=100)
    allowed = sum(
        limiter.hit(f"address:10.0.{i // 256}.{i % 256}", FIVE_PER_MINUTE, now=0.0) is None for i in range(10_000)
    )
    assert len(limiter) <= 101
    # 100 clients with their own budget (each one request so far), then every newcomer in the one overflow budget
    assert allowed == 100 + FIVE_PER_MINUTE.burst


def test_a_client_whose_budget_is_full_again_makes_room():
    limiter = RateLimiter(max_clients=2)
    limiter.hit("a", FIVE_PER_MINUTE, now=0.0)
    limiter.hit("b", FIVE_PER_MINUTE, now=0.0)
    # 60 s on, "a" (the least recently seen) has its whole burst back: forgetting it loses nothing
    assert limiter.hit("c", FIVE_PER_MINUTE, now=60.0) is None
    assert len(limiter) == 2
    for _ in range(5):
        limiter.hit("c", FIVE_PER_MINUTE, now=60.0)
    assert limiter.hit("c", FIVE_PER_MINUTE, now=60.0) is not None  # "c" has its own budget, not the overflow's
    assert OVERFLOW not in limiter._tat
