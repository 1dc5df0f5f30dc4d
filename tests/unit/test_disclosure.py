"""What a reader is told of records it may not see (graph_api/domain/disclosure.py): grade reasons and
paths, as pure values."""

from __future__ import annotations

import datetime as dt

from graph_api.domain import disclosure
from graph_api.domain.grading import Reason
from graph_api.domain.paths import RECORD, UNDISCLOSED_KEY, Node, Path, entity_node, listing_path


def test_reasons_naming_hidden_records_become_one_undisclosed_reason():
    reasons = [
        Reason("JOINT_PUNISHMENT_LISTED", "listed", listing_id="L1"),
        Reason("SERIOUS_RECORD", "serious", record_id="RX"),
        Reason("GENERAL_RECORD", "general", record_id="RY"),
        Reason("SERIOUS_RECORD", "serious", record_id="RP"),
    ]
    shown = disclosure.grade_reasons(reasons, {"RX", "RY"})
    assert [(r.code, r.record_id, r.listing_id) for r in shown] == [
        ("JOINT_PUNISHMENT_LISTED", None, "L1"),
        ("UNDISCLOSED_RECORD", None, None),
        ("SERIOUS_RECORD", "RP", None),
    ]
    assert disclosure.grade_reasons(reasons, set()) == reasons


def _basis_path() -> Path:
    a = entity_node({"uscc": "A", "name": "甲公司"})
    listing = {"id": "L1", "list": "JOINT_PUNISHMENT", "since": dt.date(2024, 2, 1), "until": None}
    basis = [
        {"id": "RX", "category": "PENALTY", "decidedOn": dt.date(2023, 12, 1)},
        {"id": "RP", "category": "PENALTY", "decidedOn": dt.date(2024, 1, 10)},
        {"id": "RY", "category": "FRAUD", "decidedOn": dt.date(2024, 1, 12)},
    ]
    return listing_path(None, a, listing, basis)


def test_a_path_passes_hidden_records_as_one_undated_node_after_the_others():
    shown = disclosure.path(_basis_path(), {"RX", "RY"})
    assert [n.key for n in shown.nodes] == ["A", "L1", "RP", UNDISCLOSED_KEY]
    assert [(s.to_key, s.since) for s in shown.steps] == [
        ("L1", dt.date(2024, 2, 1)),
        ("RP", dt.date(2024, 1, 10)),
        (UNDISCLOSED_KEY, None),
    ]
    text = shown.render()
    assert "RX" not in text and "RY" not in text and "FRAUD" not in text and "2023-12-01" not in text
    assert "a record not disclosed to you" in text
    assert disclosure.path(_basis_path(), set()) == _basis_path()


def test_a_row_marking_a_record_undisclosed_gives_the_undisclosed_node_whatever_it_holds():
    a = entity_node({"uscc": "A", "name": "甲公司"})
    listing = {"id": "L1", "list": "KEY_ATTENTION", "since": dt.date(2024, 2, 1), "until": None}
    hidden = {"id": None, "category": None, "decidedOn": None, "disclosed": False}
    p = listing_path(None, a, listing, [hidden, hidden, {"id": "RP", "category": "PENALTY", "decidedOn": None}])
    assert [n.key for n in p.nodes] == ["A", "L1", "RP", UNDISCLOSED_KEY]
    assert p.nodes[-1] == Node(kind=RECORD, key=UNDISCLOSED_KEY, name=p.nodes[-1].name)
    assert len(p.steps) == 3
