"""The redress rules of graph_api/domain/redress.py, worked on paper: no database."""

from __future__ import annotations

import datetime as dt

from graph_api.domain.redress import (
    listing_in_force,
    listing_running,
    publication_end_on_revocation,
    repairable,
)

D = dt.date


def test_only_negative_records_still_published_are_repairable():
    assert repairable("NEGATIVE", "ACTIVE") and repairable("NEGATIVE", "CORRECTED")
    assert not repairable("NEGATIVE", "REPAIRED") and not repairable("NEGATIVE", "REVOKED")
    assert not repairable("POSITIVE", "ACTIVE")


def test_a_listing_runs_until_ended_or_lapsed_and_until_is_the_first_day_off():
    assert listing_running("ACTIVE", None, None, D(2030, 1, 1))
    assert listing_running("ACTIVE", None, D(2026, 1, 15), D(2026, 1, 14))
    assert not listing_running("ACTIVE", None, D(2026, 1, 15), D(2026, 1, 15))
    assert not listing_running("ACTIVE", D(2024, 11, 1), None, D(2024, 10, 1))  # ended: done, whatever the day
    assert not listing_running("REPAIRED", None, None, D(2024, 10, 1))


def test_in_force_by_dates_from_since_to_the_day_before_until():
    since, until = D(2026, 3, 10), D(2026, 6, 15)
    assert not listing_in_force(since, until, D(2026, 3, 9))
    assert listing_in_force(since, until, since) and listing_in_force(since, until, D(2026, 6, 14))
    assert not listing_in_force(since, until, until)
    assert listing_in_force(since, None, D(2099, 1, 1))


def test_revocation_ends_publication_then_unless_it_ended_before():
    assert publication_end_on_revocation(None, D(2024, 3, 5)) == D(2024, 3, 5)
    assert publication_end_on_revocation(D(2024, 6, 1), D(2024, 3, 5)) == D(2024, 3, 5)
    assert publication_end_on_revocation(D(2024, 1, 1), D(2024, 3, 5)) == D(2024, 1, 1)
