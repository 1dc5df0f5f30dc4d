"""Working days by the official calendar (domain/workdays.py): the State Council's holiday arrangements
for 2024 and 2026, counted on paper from the published notices."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_api.domain.workdays import Deadline, add_working_days, is_workday

D = dt.date


def test_national_day_2026_is_skipped_and_the_swapped_saturday_counts():
    # Fri 09-25; working: 28, 29, 30 (3), Oct 1-7 off, Thu 8, Fri 9 (5), Sat 10 swapped (6), Sun 11 off, Mon 12 (7).
    assert add_working_days(D(2026, 9, 25), 7) == Deadline(D(2026, 10, 12), estimated=False)


def test_spring_festival_2024_the_next_working_day_is_a_sunday():
    # 2024: Feb 10-17 off, Sunday Feb 18 worked in exchange; Fri Feb 9 itself is a working day.
    assert add_working_days(D(2024, 2, 9), 1) == Deadline(D(2024, 2, 18), estimated=False)


def test_an_ordinary_week_counts_monday_to_friday():
    # Thu 2024-03-07 + 3: Fri 8, Mon 11, Tue 12.
    assert add_working_days(D(2024, 3, 7), 3) == Deadline(D(2024, 3, 12), estimated=False)


@pytest.mark.parametrize(
    "day,working",
    [
        (D(2024, 10, 1), False),  # National Day
        (D(2024, 10, 7), False),
        (D(2024, 10, 12), True),  # a Saturday worked in exchange (调休)
        (D(2024, 9, 29), True),  # a Sunday worked in exchange
        (D(2024, 10, 13), False),  # an ordinary Sunday
        (D(2024, 10, 8), True),
    ],
)
def test_official_days_are_not_estimates(day, working):
    assert is_workday(day) == (working, False)


def test_zero_working_days_is_the_start_itself():
    assert add_working_days(D(2026, 10, 1), 0) == Deadline(D(2026, 10, 1), estimated=False)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 1, 5), -1)


def test_beyond_the_published_years_monday_to_friday_is_an_estimate():
    # 2100-01-01 is a Friday; nothing is published for 2100, so Mon 01-04 is the estimated next working day.
    assert is_workday(D(2100, 1, 2)) == (False, True)
    assert add_working_days(D(2100, 1, 1), 1) == Deadline(D(2100, 1, 4), estimated=True)
