"""The 100% rule for the holdings of one entity (domain/holdings.py), on cases worked out on paper."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_api.domain.holdings import Stake, first_excess

D = dt.date


def test_a_stake_is_active_from_its_first_day_until_the_day_before_its_end():
    stake = Stake("A", D(2020, 1, 1), D(2021, 1, 1), 0.5)
    assert not stake.active_on(D(2019, 12, 31))
    assert stake.active_on(D(2020, 1, 1))
    assert stake.active_on(D(2020, 12, 31))
    assert not stake.active_on(D(2021, 1, 1))
    assert Stake("A", D(2020, 1, 1), None, 0.5).active_on(D(2999, 1, 1))


def test_sixty_and_fifty_percent_at_once_exceed_the_whole_on_the_later_first_day():
    existing = [Stake("A", D(2020, 1, 1), None, 0.6)]
    day, total = first_excess(existing, Stake("B", D(2021, 3, 1), None, 0.5))
    assert day == D(2021, 3, 1)
    assert total == pytest.approx(1.1)


def test_a_stake_that_ends_the_day_another_begins_leaves_room_for_it():
    existing = [Stake("A", D(2020, 1, 1), D(2021, 3, 1), 0.6)]
    assert first_excess(existing, Stake("B", D(2021, 3, 1), None, 0.5)) is None


def test_an_older_new_stake_is_checked_on_the_day_a_later_one_begins():
    # B holds 50% from 2021; A's 60% begins in mid-2022, so 2022-06-01 is the first day over 100%.
    existing = [Stake("A", D(2022, 6, 1), None, 0.6)]
    day, total = first_excess(existing, Stake("B", D(2021, 1, 1), None, 0.5))
    assert day == D(2022, 6, 1)
    assert total == pytest.approx(1.1)


def test_a_new_stake_that_ends_before_the_other_begins_never_overlaps_it():
    existing = [Stake("A", D(2022, 6, 1), None, 0.6)]
    assert first_excess(existing, Stake("B", D(2021, 1, 1), D(2022, 6, 1), 0.5)) is None


def test_the_same_holders_stake_from_the_same_day_is_the_fact_being_updated():
    existing = [Stake("A", D(2020, 1, 1), None, 0.6), Stake("B", D(2020, 1, 1), None, 0.1)]
    assert first_excess(existing, Stake("A", D(2020, 1, 1), None, 0.9)) is None


def test_the_same_holders_stake_from_another_day_adds_up():
    existing = [Stake("A", D(2020, 1, 1), None, 0.6)]
    day, total = first_excess(existing, Stake("A", D(2021, 1, 1), None, 0.5))
    assert (day, total) == (D(2021, 1, 1), pytest.approx(1.1))


def test_the_first_of_several_days_is_reported():
    # 2020: C 30% + A 40% = 70%; 2021: + B 40% = 110%; 2022: A has left, 70% again.
    existing = [Stake("A", D(2020, 1, 1), D(2022, 1, 1), 0.4), Stake("B", D(2021, 1, 1), None, 0.4)]
    day, total = first_excess(existing, Stake("C", D(2020, 1, 1), None, 0.3))
    assert day == D(2021, 1, 1)
    assert total == pytest.approx(1.1)


@pytest.mark.parametrize(
    "new,others",
    [
        (0.5, [0.3, 0.2]),
        # 0.1 + (0.34 + 0.56) is 1.0000000000000002 in floating point: on paper exactly the whole, allowed.
        (0.1, [0.34, 0.56]),
    ],
)
def test_exactly_the_whole_is_allowed(new, others):
    existing = [Stake(f"H{i}", D(2020, 1, 1), None, r) for i, r in enumerate(others)]
    assert first_excess(existing, Stake("N", D(2020, 1, 1), None, new)) is None


def test_one_hundredth_of_a_percent_too_much_is_refused():
    existing = [Stake("A", D(2020, 1, 1), None, 0.5)]
    day, total = first_excess(existing, Stake("B", D(2020, 1, 1), None, 0.5001))
    assert day == D(2020, 1, 1)
    assert total == pytest.approx(1.0001)
