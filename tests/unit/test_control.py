"""The control rule and effective ownership on hand-built holdings (graph_api.domain.ownership).

Every expected answer below was worked out by hand from the rule: the stakes of one holder add up;
X controls Y when X's own stakes in Y plus those of the entities X controls exceed 50%; control
passes through controlled entities to any depth; a party never controls itself."""

from __future__ import annotations

import datetime as dt

from graph_api.domain.ownership import MAX_PATHS, OwnershipGraph, control_of, controllers_of
from graph_api.domain.ownership import Holding as H


def test_simultaneous_stakes_of_one_holder_add_up():
    lines = [H("P", "F", 0.3), H("P", "F", 0.3)]
    control = control_of("P", lines)
    assert control.level == {"F": 1}
    assert control.explanation("F") == lines  # both lines explain it, each once
    graph = OwnershipGraph(lines)
    assert graph.controllers("F") == ["P"] and graph.ultimate_controller("F") == "P"
    assert abs(graph.effective_ownership("F")["P"].share - 0.6) < 1e-12


def test_a_half_is_not_control():
    assert control_of("P", [H("P", "F", 0.25), H("P", "F", 0.25)]).level == {}
    assert OwnershipGraph([H("P", "F", 0.5), H("Q", "F", 0.5)]).ultimate_controller("F") is None


def test_own_stakes_and_those_of_controlled_entities_add_up():
    # P holds 30% of Y and 60% of F; F holds 30% of Y: P controls F (60%), then Y (30% + 30%).
    direct, to_f, f_to_y = H("P", "Y", 0.3), H("P", "F", 0.6), H("F", "Y", 0.3)
    control = control_of("P", [direct, to_f, f_to_y])
    assert control.level == {"F": 1, "Y": 2}
    assert control.explanation("Y") == [direct, to_f, f_to_y]  # own line first, then the chain in order


def test_a_chain_of_twelve_holdings_is_followed_to_the_top():
    chain = [H("P", "E1", 1.0)] + [H(f"E{i}", f"E{i + 1}", 1.0) for i in range(1, 12)]
    assert len(chain) == 12
    graph = OwnershipGraph(chain)
    assert graph.ultimate_controller("E12") == "P"
    assert graph.controllers("E12") == sorted(["P", *(f"E{i}" for i in range(1, 12))])
    assert abs(graph.effective_ownership("E12")["P"].share - 1.0) < 1e-12
    [path] = graph.control_paths("P", "E12")
    assert path == chain and graph.truncated is False
    assert control_of("P", chain).level["E12"] == 12


def test_mutual_cross_holding_never_makes_a_party_its_own_controlled_entity():
    # A holds 60% of B and B 60% of A: each controls the other, neither controls itself.
    lines = [H("A", "B", 0.6), H("B", "A", 0.6)]
    assert control_of("A", lines).level == {"B": 1}
    assert control_of("B", lines).level == {"A": 1}
    graph = OwnershipGraph(lines)
    assert graph.ultimate_controller("A") == "B"  # the only other party
    assert {p: round(o.share, 12) for p, o in graph.effective_ownership("A").items()} == {"B": 0.6}


def test_a_cycle_terminates_and_the_nearest_member_of_a_ring_is_shown():
    # X -> Y -> Z -> X at 60% each, and X holds 60% of E. Everyone in the ring controls E:
    # X directly (level 1), Z through X (2), Y through Z and X (3). No one is above the ring.
    ring = [H("X", "Y", 0.6), H("Y", "Z", 0.6), H("Z", "X", 0.6), H("X", "E", 0.6)]
    assert control_of("X", ring).level == {"Y": 1, "E": 1, "Z": 2}
    assert control_of("Y", ring).level == {"Z": 1, "X": 2, "E": 3}
    graph = OwnershipGraph(ring)
    assert graph.controllers("E") == ["X", "Y", "Z"]
    assert graph.ultimate_controller("E") == "X"
    # a person with 60% of X stands above the ring: the ultimate controller
    p_x = H("P", "X", 0.6)
    above = OwnershipGraph([*ring, p_x])
    assert above.ultimate_controller("E") == "P"
    assert above.control_paths("P", "E") == [[p_x, ring[3]]]


def test_a_diamond_controls_through_two_controlled_entities():
    # P holds 60% of F1 and of F2, each holds 30% of Y: P controls Y with 60%, owns 2 x 0.6 x 0.3 = 36%.
    p_f1, p_f2, f1_y, f2_y = H("P", "F1", 0.6), H("P", "F2", 0.6), H("F1", "Y", 0.3), H("F2", "Y", 0.3)
    graph = OwnershipGraph([p_f1, p_f2, f1_y, f2_y])
    assert graph.controllers("Y") == ["P"] and graph.ultimate_controller("Y") == "P"
    assert abs(graph.effective_ownership("Y")["P"].share - 0.36) < 1e-12
    assert sorted(map(len, graph.control_paths("P", "Y"))) == [2, 2]
    assert control_of("P", graph.holdings).explanation("Y") == [p_f1, f1_y, p_f2, f2_y]


def test_control_is_not_ownership():
    # docs/domain-rules.md: a 70% x 80% x 60% chain is control but 33.6% ownership.
    graph = OwnershipGraph([H("Q", "X1", 0.7), H("X1", "X2", 0.8), H("X2", "X3", 0.6)])
    assert graph.ultimate_controller("X3") == "Q"
    assert abs(graph.effective_ownership("X3")["Q"].share - 0.336) < 1e-12


def test_validity_is_half_open():
    line = H("P", "F", 0.6, dt.date(2024, 1, 1), dt.date(2024, 3, 1))
    assert [
        line.valid_on(dt.date(2023, 12, 31)),
        line.valid_on(dt.date(2024, 1, 1)),
        line.valid_on(dt.date(2024, 2, 29)),
        line.valid_on(dt.date(2024, 3, 1)),
    ] == [False, True, True, False]


def test_path_enumeration_past_its_cap_is_reported_as_truncated():
    # 16 layers of two entities, each holding 10% of both entities below: 2^16 paths to the bottom.
    lines = [H("P", "L1a", 0.1), H("P", "L1b", 0.1)]
    for i in range(1, 16):
        for a in "ab":
            lines += [H(f"L{i}{a}", f"L{i + 1}a", 0.1), H(f"L{i}{a}", f"L{i + 1}b", 0.1)]
    lines += [H("L16a", "E", 0.1), H("L16b", "E", 0.1)]
    graph = OwnershipGraph(lines)
    assert MAX_PATHS < 2**16
    graph.effective_ownership("E")
    assert graph.truncated is True


def test_the_controllers_answer_and_a_search_that_was_cut():
    # Q 70% of X1, X1 80% of X2, X2 60% of X3; R (a person) holds 40% of X3 directly.
    lines = [H("Q", "X1", 0.7), H("X1", "X2", 0.8), H("X2", "X3", 0.6), H("R", "X3", 0.4)]
    answer = controllers_of("X3", lines, persons={"Q", "R"}, reached={"Q", "X1", "X2", "R"}, threshold=0.25)
    assert answer.inferred == "Q" and abs(answer.inferred_share - 0.336) < 1e-12
    assert answer.inferred_paths == [lines[:3]]
    assert [(k, round(o.share, 12)) for k, o in answer.beneficial_owners] == [("R", 0.4), ("Q", 0.336)]
    assert answer.truncated is False
    # the search stopped at X1: Q's holding comes from a party it did not follow
    assert controllers_of("X3", lines, {"Q", "R"}, {"X1", "X2", "R"}, 0.25).truncated is True
