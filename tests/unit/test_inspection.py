"""The random inspection draw (domain/inspection.py): how many of each grade are drawn, that the draw
follows from its seed alone, that no pair of inspectors is used twice before every pair was used once,
and that the procedure written in the module's docstring is the one the code runs."""

from __future__ import annotations

import itertools
import random

import pytest

from graph_api.domain.inspection import Selection, compare, digest, draw, sample_size, settings

ROSTER = ["I4", "I2", "I1", "I3"]  # four inspectors: six different teams of two
RATIOS = {"A": 0.01, "B": 0.03, "C": 0.05, "D": 0.10, "E": 0.20}


def pool(grade: str, n: int) -> list[str]:
    return [f"{grade}{i:03d}" for i in range(n)]


@pytest.mark.parametrize(
    "n,ratio,k",
    [
        (100, 0.03, 3),  # 100 × 0.03 is 3.0000000000000004 in floating point: still 3
        (10, 0.25, 3),  # 2.5 rounded up
        (1, 0.01, 1),  # a grade with entities is never left out
        (0, 0.5, 0),
        (5, 1.0, 5),
        (3, 2.0, 3),  # never more than there are
        (7, 0.0, 0),
    ],
)
def test_sample_size_rounds_up(n, ratio, k):
    assert sample_size(n, ratio) == k


def test_the_shipped_ratios_and_team_size():
    assert settings() == {
        "_doc": settings()["_doc"],
        "ratios": RATIOS,
        "inspectorsPerEntity": 2,
        "conflictHops": 3,
        "maxConflictHops": 6,
    }


def test_each_grade_gives_its_share_grade_by_grade_and_by_code():
    by_grade = {"A": pool("A", 100), "C": pool("C", 40), "E": pool("E", 6)}
    # A: ceil(1) = 1, B: none there, C: ceil(2) = 2, E: ceil(1.2) = 2
    chosen = draw(by_grade, RATIOS, ROSTER, "2026-Q3", 2)
    assert [s.grade for s in chosen] == ["A", "C", "C", "E", "E"]
    for grade in "ACE":
        drawn = [s.uscc for s in chosen if s.grade == grade]
        assert drawn == sorted(drawn)
        assert set(drawn) <= set(by_grade[grade])


def test_the_same_seed_gives_the_same_draw_whatever_order_the_inputs_come_in():
    by_grade = {"B": pool("B", 50), "D": pool("D", 30)}
    once = draw(by_grade, RATIOS, ROSTER, "seed-1", 2)
    shuffled = {g: sorted(v, reverse=True) for g, v in by_grade.items()}
    assert draw(shuffled, RATIOS, list(reversed(ROSTER)), "seed-1", 2) == once


def test_another_seed_draws_otherwise():
    by_grade = {"E": pool("E", 100)}  # 20 of 100: two seeds agreeing by chance is negligible
    assert draw(by_grade, RATIOS, ROSTER, "seed-1", 2) != draw(by_grade, RATIOS, ROSTER, "seed-2", 2)


def test_no_team_is_used_twice_before_every_team_was_used_once():
    chosen = draw({"E": pool("E", 40)}, RATIOS, ROSTER, "teams", 2)  # 8 entities, 6 teams
    teams = [s.inspectors for s in chosen]
    assert len(set(teams[:6])) == 6
    assert all(t in set(itertools.combinations(sorted(ROSTER), 2)) for t in teams)
    assert len(set(teams[6:])) == 2


def test_the_documented_procedure_redoes_the_draw():
    """Steps 1-3 of the module docstring, written out again from the text."""
    by_grade = {"A": pool("A", 120), "B": pool("B", 70), "D": pool("D", 25)}
    rng = random.Random("redo")
    entities = []
    for grade in "ABCDE":
        members = sorted(by_grade.get(grade, []))
        k = {"A": 2, "B": 3, "D": 3}.get(grade, 0)  # ceil(1.2), ceil(2.1), ceil(2.5)
        entities += [(u, grade) for u in sorted(rng.sample(members, k))]
    teams = list(itertools.combinations(["I1", "I2", "I3", "I4"], 2))
    expected = []
    for i, (uscc, grade) in enumerate(entities):
        if i % 6 == 0:
            rng.shuffle(teams)
        expected.append(Selection(uscc, grade, teams[i % 6]))
    assert draw(by_grade, RATIOS, ROSTER, "redo", 2) == expected


def test_the_digest_changes_with_any_input_or_outcome_but_not_with_the_order_of_selections():
    a, b = Selection("U1", "C", ("I1", "I2")), Selection("U2", "E", ("I3", "I4"))
    args = ("D1", "2026-Q3", "370200", "seed", "2026-06-30", RATIOS)
    base = digest(*args, [a, b])
    assert len(base) == 64
    assert digest(*args, [b, a]) == base
    assert digest(*args, [a, Selection("U2", "E", ("I1", "I4"))]) != base
    assert digest("D2", *args[1:], [a, b]) != base
    assert digest(*args[:3], "other seed", *args[4:], [a, b]) != base


def test_compare_names_each_difference():
    stored = [
        Selection("U1", "C", ("I1", "I2")),
        Selection("U2", "E", ("I3", "I4")),
        Selection("U3", "D", ("I1", "I3")),
        Selection("U5", "B", ("I2", "I4")),
    ]
    recomputed = [
        Selection("U1", "C", ("I2", "I1")),
        Selection("U2", "D", ("I3", "I4")),
        Selection("U3", "D", ("I1", "I4")),
        Selection("U4", "A", ("I1", "I2")),
    ]
    assert compare(stored, recomputed) == [
        "U2: stored grade E, recomputed D",
        "U3: stored inspectors I1, I3, recomputed I1, I4",
        "U4 is selected by the recomputation but not in the stored draw",
        "U5 is selected in the stored draw but not in the recomputation",
    ]
    assert compare(stored, stored) == []
