"""Credit grades A-E from an entity's facts (domain/grading.py with data/grades.json), on cases
worked out by hand from the rules as docs/domain-rules.md states them: the worst grade wins, its reasons are every
fact that gave it; A needs positive evidence and nothing negative in the last three years; B otherwise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph_api.domain.grading import (
    Grader,
    add_months,
    fact_params,
    grade_of,
    grade_page,
    lookback_start,
    region_prefix,
)

AS_OF = dt.date(2026, 6, 30)


def listing(id: str, list_code: str, *, in_force: bool = True, bans: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"id": id, "list": list_code, "inForce": in_force, "bans": [*bans]}


def negative(
    id: str, category: str = "PENALTY", severity: str = "GENERAL", *, counts: bool = True, recent: bool = True
) -> dict[str, Any]:
    return {
        "id": id,
        "polarity": "NEGATIVE",
        "category": category,
        "severity": severity,
        "counts": counts,
        "recent": recent,
        "active": counts,
        "positiveRecent": False,
    }


def positive(id: str, *, active: bool = True, recent: bool = True) -> dict[str, Any]:
    return {
        "id": id,
        "polarity": "POSITIVE",
        "category": "REWARD",
        "severity": None,
        "counts": False,
        "recent": False,
        "active": active,
        "positiveRecent": recent,
    }


def codes(graded: Any) -> list[tuple[str, str | None, str | None]]:
    return [(r.code, r.listing_id, r.record_id) for r in graded.reasons]


def test_no_facts_is_b():
    g = grade_of("U", [], [], AS_OF)
    assert (g.grade, codes(g)) == ("B", [("NO_ADVERSE_FACTS", None, None)])


def test_joint_punishment_in_force_is_e():
    g = grade_of("U", [listing("L1", "JOINT_PUNISHMENT")], [], AS_OF)
    assert (g.grade, codes(g)) == ("E", [("JOINT_PUNISHMENT_LISTED", "L1", None)])


def test_key_attention_is_d_and_a_ban_on_it_makes_e_with_only_the_ban_as_reason():
    assert grade_of("U", [listing("L1", "KEY_ATTENTION")], [], AS_OF).grade == "D"
    g = grade_of("U", [listing("L1", "KEY_ATTENTION", bans=("MARKET_BAN", "INDUSTRY_BAN"))], [], AS_OF)
    assert (g.grade, codes(g)) == ("E", [("BANNED", "L1", None)])
    assert g.reasons[0].message.endswith(": INDUSTRY_BAN, MARKET_BAN")


def test_every_fact_giving_the_worst_grade_is_a_reason():
    g = grade_of(
        "U",
        [listing("L1", "KEY_ATTENTION")],
        [negative("R1", severity="GENERAL"), negative("R2", severity="MINOR")],
        AS_OF,
    )
    assert (g.grade, codes(g)) == ("D", [("KEY_ATTENTION_LISTED", "L1", None), ("GENERAL_RECORD", None, "R1")])


@pytest.mark.parametrize(
    "severity,grade,code",
    [
        ("MINOR", "C", "MINOR_RECORD"),
        ("GENERAL", "D", "GENERAL_RECORD"),
        ("SERIOUS", "E", "SERIOUS_RECORD"),
    ],
)
def test_an_active_negative_record_grades_by_its_severity(severity, grade, code):
    g = grade_of("U", [], [negative("R1", severity=severity)], AS_OF)
    assert (g.grade, codes(g)) == (grade, [(code, None, "R1")])


@pytest.mark.parametrize("severity", ["MINOR", "GENERAL"])
def test_an_unrepaired_commitment_breach_is_d_and_named_a_breach(severity):
    g = grade_of("U", [], [negative("R1", category="COMMITMENT_BREACH", severity=severity)], AS_OF)
    assert (g.grade, codes(g)) == ("D", [("COMMITMENT_BREACH", None, "R1")])


def test_a_serious_breach_is_e_by_its_severity():
    g = grade_of("U", [], [negative("R1", category="COMMITMENT_BREACH", severity="SERIOUS")], AS_OF)
    assert (g.grade, codes(g)) == ("E", [("SERIOUS_RECORD", None, "R1")])


def test_positive_evidence_alone_is_a():
    g = grade_of("U", [], [positive("P1")], AS_OF)
    assert (g.grade, codes(g)) == ("A", [("POSITIVE_EVIDENCE", None, "P1")])
    g = grade_of("U", [listing("L9", "RED")], [], AS_OF)
    assert (g.grade, codes(g)) == ("A", [("POSITIVE_EVIDENCE", "L9", None)])


def test_a_recent_negative_record_that_no_longer_counts_keeps_positive_evidence_at_b():
    g = grade_of("U", [], [positive("P1"), negative("R1", counts=False, recent=True)], AS_OF)
    assert (g.grade, codes(g)) == ("B", [("NO_ADVERSE_FACTS", None, None), ("RECENT_NEGATIVE", None, "R1")])


def test_a_punishment_listing_ended_within_the_window_keeps_the_red_list_at_b():
    g = grade_of("U", [listing("L9", "RED"), listing("L1", "KEY_ATTENTION", in_force=False)], [], AS_OF)
    assert (g.grade, codes(g)) == ("B", [("NO_ADVERSE_FACTS", None, None), ("RECENT_NEGATIVE", "L1", None)])


def test_an_ended_listing_without_positive_evidence_is_plain_b():
    g = grade_of("U", [listing("L1", "JOINT_PUNISHMENT", in_force=False)], [], AS_OF)
    assert (g.grade, codes(g)) == ("B", [("NO_ADVERSE_FACTS", None, None)])


def test_positive_evidence_must_be_active_and_recent():
    assert grade_of("U", [], [positive("P1", active=False)], AS_OF).grade == "B"
    assert grade_of("U", [], [positive("P1", recent=False)], AS_OF).grade == "B"


def test_a_page_grades_entities_without_facts_as_b_in_the_order_asked():
    page = grade_page(
        ["U3", "U1", "U2"], [{"uscc": "U1", "listings": [listing("L1", "JOINT_PUNISHMENT")], "records": []}], AS_OF
    )
    assert [(g.uscc, g.grade) for g in page] == [("U3", "B"), ("U1", "E"), ("U2", "B")]


def test_one_grader_grades_many_entities_alike():
    grader = Grader(AS_OF)
    assert grader.grade("U1", [], [negative("R1", severity="MINOR")]).grade == "C"
    assert grader.grade("U2", [], []).grade == "B"


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # leap year: the last day of February
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 2, 29), -12, dt.date(2023, 2, 28)),
        (dt.date(2026, 6, 30), -36, dt.date(2023, 6, 30)),
        (dt.date(2025, 11, 15), 3, dt.date(2026, 2, 15)),  # across a year end
    ],
)
def test_months_are_calendar_months_clamped_to_the_months_end(day, months, expected):
    assert add_months(day, months) == expected


def test_the_look_back_window_and_the_parameters_of_the_fact_statements():
    assert lookback_start(AS_OF) == dt.date(2023, 6, 30)
    params = fact_params(AS_OF)
    assert params["asOf"] == AS_OF
    assert params["lookbackStart"] == params["positiveStart"] == dt.date(2023, 6, 30)
    assert params["bans"] == ["MARKET_BAN", "INDUSTRY_BAN"]
    assert params["unknownSeverity"] == "GENERAL"
    # the catalogue's maximum publicity of penalties: 3, 12 and 36 months, keys in sorted order
    assert params["periodKeys"] == ["PENALTY|GENERAL", "PENALTY|MINOR", "PENALTY|SERIOUS"]
    assert params["periodMonths"] == [12, 3, 36]


@pytest.mark.parametrize(
    "region,prefix",
    [
        ("370202", "370202"),  # a district
        ("370200", "3702"),  # a city covers its districts
        ("370000", "37"),  # a province its cities
        (" 370200 ", "3702"),
        ("000000", "00"),  # never shorter than the province digits
        (None, None),
    ],
)
def test_a_division_covers_the_codes_that_start_with_it(region, prefix):
    assert region_prefix(region) == prefix
