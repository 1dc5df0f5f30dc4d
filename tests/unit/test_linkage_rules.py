"""The responsibility window and the related-entity reasons (graph_api.domain.linkage), on
hand-built statement rows whose answers were worked out by hand, and the readings the project
decided (docs/domain-rules.md, "Linkage").

The listed firm A was fined on 2023-10-10 and listed from 2024-01-15 until 2026-01-15, so the window
is 2023-10-10 .. 2024-01-15. CTRL is A's actual controller since 2015: bound by a joint-punishment
listing. Every case adds the holdings and ties it is about."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph_api.domain.linkage import decide_impact, in_window, window_start
from graph_api.domain.paths import person_key

D = dt.date
SINCE, UNTIL = D(2024, 1, 15), D(2026, 1, 15)
FOUNDED, HELD, ASKED = D(2015, 1, 1), D(2016, 1, 1), D(2024, 9, 1)  # defaults: old firms, old stakes, the day asked
A = "A-USCC"
CTRL = {"name": "控刘", "idMasked": "3702**********0011", "idType": "RIC", "idHash": "c" * 64, "idCipher": "x"}
OTHER = {"name": "中李", "idMasked": "3702**********0012", "idType": "RIC", "idHash": "d" * 64, "idCipher": "y"}


def entity(uscc: str, established: dt.date = FOUNDED) -> dict[str, Any]:
    return {"uscc": uscc, "name": f"firm {uscc}", "established": established}


def hold(
    holder: str,
    to: str,
    ratio: float,
    since: dt.date = HELD,
    until: dt.date | None = None,
    person: bool = False,
    established: dt.date = FOUNDED,
) -> dict[str, Any]:
    return {
        "holder": holder,
        "holderKind": "PERSON" if person else "ENTITY",
        "holderName": "控刘" if person else f"firm {holder}",
        "holderEstablished": None if person else D(2015, 1, 1),
        "entity": to,
        "entityName": f"firm {to}",
        "established": established,
        "ratio": ratio,
        "since": since,
        "until": until,
    }


def tie(
    relation: str,
    to: str,
    since: dt.date,
    until: dt.date | None = None,
    established: dt.date = FOUNDED,
    who: dict[str, Any] = CTRL,
) -> dict[str, Any]:
    return {
        "person": who["idHash"],
        "relation": relation,
        "since": since,
        "until": until,
        "entity": entity(to, established),
    }


def row(
    holdings: list[dict[str, Any]] = (),
    ties: list[dict[str, Any]] = (),
    list_code: str = "JOINT_PUNISHMENT",
    responsible: list[dict[str, Any]] | None = None,
    max_hops: int = 2,
) -> dict[str, Any]:
    return {
        "subject": {"uscc": A, "name": "firm A", "kind": "ENTITY"},
        "listing": {"id": "L1", "list": list_code, "since": SINCE, "until": UNTIL, "status": "ACTIVE"},
        "department": {"code": "370200-SCJG", "name": "市场监管局", "region": "370200"},
        "basis": [{"id": "R1", "category": "PENALTY", "severity": "SERIOUS", "decidedOn": D(2023, 10, 10)}],
        "maxHops": max_hops,
        "responsible": responsible
        if responsible is not None
        else [{"person": CTRL, "role": "ACTUAL_CONTROLLER", "since": D(2015, 1, 1), "until": None}],
        "holdings": list(holdings),
        "ties": list(ties),
    }


def flags(r: dict[str, Any], as_of: dt.date = ASKED) -> set[tuple[str, str]]:
    return {(f.entity["uscc"], f.reason) for f in decide_impact(r, as_of, r["maxHops"]).flags}


def flag(r: dict[str, Any], uscc: str, reason: str, as_of: dt.date = ASKED):
    [found] = [
        f for f in decide_impact(r, as_of, r["maxHops"]).flags if f.entity["uscc"] == uscc and f.reason == reason
    ]
    return found


# The responsibility window


def test_window_starts_at_the_earliest_basis_decision():
    assert window_start([D(2023, 10, 10), D(2023, 8, 1), None]) == D(2023, 8, 1)
    assert window_start([]) is None


@pytest.mark.parametrize(
    ("since", "until", "bound"),
    [
        (D(2015, 1, 1), D(2023, 9, 1), False),  # left before the violation's decision
        (D(2015, 1, 1), D(2023, 10, 10), False),  # left on the first day of the window: half-open, not held in it
        (D(2015, 1, 1), D(2023, 10, 11), True),  # held on the window's first day
        (D(2023, 9, 1), D(2023, 12, 1), True),  # replaced between the violation and the listing
        (D(2023, 12, 1), None, True),
        (SINCE, None, True),  # appointed on the listing's first day
        (D(2024, 1, 16), None, False),  # appointed after the listing
    ],
)
def test_in_window(since, until, bound):
    assert in_window(since, until, D(2023, 10, 10), SINCE) is bound


def test_bound_persons_only_while_the_listing_is_in_force():
    responsible = [
        {"person": CTRL, "role": "ACTUAL_CONTROLLER", "since": D(2015, 1, 1), "until": None},
        {"person": OTHER, "role": "LEGAL_REPRESENTATIVE", "since": D(2024, 3, 1), "until": None},
    ]
    during = decide_impact(row(responsible=responsible), D(2024, 9, 1), 2)
    assert [(r.person["name"], r.bound, r.current) for r in during.responsible] == [
        ("控刘", True, True),
        ("中李", False, True),
    ]
    assert during.bound_roles() == {CTRL["idHash"]: ["ACTUAL_CONTROLLER"]}
    after = decide_impact(row(responsible=responsible), UNTIL, 2)
    assert after.in_force is False and after.bound_persons == [] and after.flags == ()


# Control in the reasons


def test_owned_adds_simultaneous_stakes():
    # A holds 30% of Y on two lines: 60%, control. (The per-line test used to miss it.)
    r = row([hold(A, "Y", 0.3), hold(A, "Y", 0.3, D(2018, 1, 1))])
    assert flags(r) == {("Y", "OWNED")}
    assert [(s.relation, s.ratio) for s in flag(r, "Y", "OWNED").path.steps] == [("HOLDS", 0.3), ("HOLDS", 0.3)]


def test_owned_through_a_controlled_entity_and_within_the_hops():
    # A holds 60% of O1 and 30% of Y; O1 holds 30% of Y: Y is controlled at level 2.
    r = row([hold(A, "O1", 0.6), hold(A, "Y", 0.3), hold("O1", "Y", 0.3)])
    assert flags(r) == {("O1", "OWNED"), ("Y", "OWNED")}
    assert flags({**r, "maxHops": 1}) == {("O1", "OWNED")}
    text = flag(r, "Y", "OWNED").path.render()
    assert text == (
        "firm A -[HOLDS 30.00% 2016-01-01..]-> firm Y; firm A -[HOLDS 60.00% 2016-01-01..]-> firm O1 "
        "-[HOLDS 30.00% 2016-01-01..]-> firm Y"
    )


def test_a_mutual_cross_holding_does_not_make_the_listed_entity_its_own_related_entity():
    r = row([hold(A, "B", 0.6), hold("B", A, 0.6)])
    assert flags(r) == {("B", "OWNED")}


def test_a_diamond_below_the_listed_entity():
    r = row([hold(A, "F1", 0.6), hold(A, "F2", 0.6), hold("F1", "Y", 0.3), hold("F2", "Y", 0.3)])
    assert flags(r) == {("F1", "OWNED"), ("F2", "OWNED"), ("Y", "OWNED")}


def test_shared_responsible_person_by_control_adds_stakes():
    key = CTRL["idHash"]
    r = row([hold(key, "Z", 0.3, person=True), hold(key, "Z", 0.3, D(2017, 1, 1), person=True)])
    assert ("Z", "SHARED_RESPONSIBLE_PERSON") in flags(r)
    path = flag(r, "Z", "SHARED_RESPONSIBLE_PERSON").path
    assert [s.relation for s in path.steps] == ["ACTUAL_CONTROLLER", "LISTED_ON", "BASED_ON", "HOLDS", "HOLDS"]
    assert path.nodes[0].key == person_key(key)


def test_shared_responsible_person_by_a_current_role_or_office():
    r = row(
        ties=[
            tie("DIRECTOR", "M", D(2019, 1, 1)),
            tie("LEGAL_REPRESENTATIVE", "GONE", D(2019, 1, 1), D(2023, 1, 1)),
            tie("ACTUAL_CONTROLLER", A, D(2015, 1, 1)),
        ]
    )
    assert flags(r) == {("M", "SHARED_RESPONSIBLE_PERSON")}  # not the one left, never the listed entity itself


def test_a_bound_persons_control_of_the_listed_entity_is_not_a_flag_on_it():
    key = CTRL["idHash"]
    assert flags(row([hold(key, A, 0.7, person=True)])) == set()


# The readings


def test_key_attention_flags_related_entities_but_binds_no_one():
    r = row(
        [hold(A, "O1", 0.6)],
        [tie("LEGAL_REPRESENTATIVE", "N", D(2024, 8, 1), established=D(2024, 8, 1))],
        list_code="KEY_ATTENTION",
    )
    impact = decide_impact(r, D(2024, 9, 1), 2)
    assert impact.bound_persons == [] and impact.responsible == ()
    assert flags(r) == {("O1", "OWNED")}


def test_a_red_listing_reaches_no_one_else():
    r = row([hold(A, "O1", 0.6)], [tie("LEGAL_REPRESENTATIVE", "N", D(2024, 8, 1))], list_code="RED")
    impact = decide_impact(r, D(2024, 9, 1), 2)
    assert impact.flags == () and impact.bound_persons == []


def test_joint_punishment_binds_and_flags():
    r = row([hold(A, "O1", 0.6)], [tie("LEGAL_REPRESENTATIVE", "N", D(2024, 8, 1), established=D(2024, 8, 1))])
    assert flags(r) == {("O1", "OWNED"), ("N", "REAPPEARANCE"), ("N", "SHARED_RESPONSIBLE_PERSON")}


def test_a_tie_starting_on_the_listings_first_day_is_a_reappearance():
    assert ("W", "REAPPEARANCE") in flags(row(ties=[tie("LEGAL_REPRESENTATIVE", "W", SINCE)]))
    assert ("W", "REAPPEARANCE") not in flags(row(ties=[tie("LEGAL_REPRESENTATIVE", "W", D(2024, 1, 14))]))
    # as seen on the listing's first day itself (the stored flags are computed then)
    assert ("W", "REAPPEARANCE") in flags(row(ties=[tie("LEGAL_REPRESENTATIVE", "W", SINCE)]), SINCE)


def test_a_firm_established_on_the_listings_first_day_is_a_reappearance():
    assert ("N", "REAPPEARANCE") in flags(row(ties=[tie("PRINCIPAL", "N", SINCE, established=SINCE)]))
    key = CTRL["idHash"]
    founded = row([hold(key, "N", 0.8, SINCE, person=True, established=SINCE)])
    assert ("N", "REAPPEARANCE") in flags(founded)
    assert ("N", "REAPPEARANCE") not in flags(
        row([hold(key, "N", 0.8, D(2024, 1, 14), person=True, established=D(2024, 1, 14))])
    )


def test_a_reappearance_stays_after_the_person_has_left():
    r = row(ties=[tie("LEGAL_REPRESENTATIVE", "W", D(2024, 2, 1), D(2024, 5, 1))])
    assert flags(r) == {("W", "REAPPEARANCE")}  # no longer shared, still the evidence of a reappearance
    last = flag(r, "W", "REAPPEARANCE").path.steps[-1]
    assert (last.relation, last.since, last.until) == ("LEGAL_REPRESENTATIVE", D(2024, 2, 1), D(2024, 5, 1))


def test_a_takeover_by_a_majority_stake():
    # CTRL held 40% of W since 2016 and buys 20% more on 2024-03-01: control from that day.
    key = CTRL["idHash"]
    r = row([hold(key, "W", 0.4, person=True), hold(key, "W", 0.2, D(2024, 3, 1), person=True)])
    assert flags(r) == {("W", "REAPPEARANCE"), ("W", "SHARED_RESPONSIBLE_PERSON")}
    assert [s.ratio for s in flag(r, "W", "REAPPEARANCE").path.steps if s.relation == "HOLDS"] == [0.4, 0.2]
    assert flags(r, D(2024, 2, 29)) == set()


def test_a_majority_merely_re_recorded_is_not_a_takeover():
    key = CTRL["idHash"]
    re_recorded = row(
        [
            hold(key, "W", 0.6, D(2016, 1, 1), D(2024, 3, 1), person=True),
            hold(key, "W", 0.6, D(2024, 3, 1), person=True),
        ]
    )
    assert flags(re_recorded) == {("W", "SHARED_RESPONSIBLE_PERSON")}
    # a responsible role the day before is standing too: taking the majority then is no takeover
    after_role = row(
        [hold(key, "W", 0.6, D(2024, 3, 1), person=True)],
        [tie("LEGAL_REPRESENTATIVE", "W", D(2016, 1, 1), D(2024, 3, 1))],
    )
    assert flags(after_role) == {("W", "SHARED_RESPONSIBLE_PERSON")}
    # ... but a gap is: the standing was lost and taken again after the listing
    regained = row(
        [
            hold(key, "W", 0.6, D(2016, 1, 1), D(2024, 2, 1), person=True),
            hold(key, "W", 0.6, D(2024, 3, 1), person=True),
        ]
    )
    assert ("W", "REAPPEARANCE") in flags(regained)


def test_a_bound_persons_control_through_the_listed_entity_adds_no_flag():
    # CTRL holds 70% of A, A 60% of O1 and (since 2024-03-01) 60% of O2: CTRL controls both through A,
    # but they are A's own reach: OWNED, neither shared nor (O2) a reappearance.
    key = CTRL["idHash"]
    r = row([hold(key, A, 0.7, person=True), hold(A, "O1", 0.6), hold(A, "O2", 0.6, D(2024, 3, 1))])
    assert flags(r) == {("O1", "OWNED"), ("O2", "OWNED")}


def test_one_shared_flag_per_role_held():
    r = row(ties=[tie("LEGAL_REPRESENTATIVE", "M", D(2019, 1, 1)), tie("DIRECTOR", "M", D(2019, 1, 1))])
    shared = [f for f in decide_impact(r, ASKED, 2).flags if f.reason == "SHARED_RESPONSIBLE_PERSON"]
    assert [f.path.steps[-1].relation for f in shared] == ["DIRECTOR", "LEGAL_REPRESENTATIVE"]
