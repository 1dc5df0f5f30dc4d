"""A subscriber's queue (services/alert_feed.py): alerts wait in order, and one that lets more wait than its
queue holds is told it is too slow, in-process (the delivery end to end is tests/test_subscriptions.py)."""

from __future__ import annotations

import asyncio

import pytest

from graph_api.domain.actor import Actor
from graph_api.services.alert_feed import Subscriber, TooSlow

READER = Actor(user="u1", role="OFFICER", department="D1")


def test_alerts_wait_in_order_and_go_to_their_readers():
    async def scenario() -> list[int]:
        sub = Subscriber(READER, False, capacity=3)
        for seq in (1, 2, 3):
            sub.offer({"seq": seq})
        return [a["seq"] for a in await sub.next_alerts()]

    assert asyncio.run(scenario()) == [1, 2, 3]
    sub = Subscriber(READER, False, capacity=3)
    assert sub.is_for("u1", None) and sub.is_for(None, "D1") and sub.is_for("u2", "D1")
    assert not sub.is_for("u2", None) and not sub.is_for("u2", "D2")


def test_a_subscriber_past_its_queue_is_too_slow():
    async def scenario() -> None:
        sub = Subscriber(READER, False, capacity=2)
        for seq in (1, 2, 3):
            sub.offer({"seq": seq})
        await sub.next_alerts()

    with pytest.raises(TooSlow):
        asyncio.run(scenario())
