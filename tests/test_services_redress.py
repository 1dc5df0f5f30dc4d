"""Repair and objections (graph_api/services/repair.py, objections.py) run in-process (no HTTP, no
GraphQL) on the real test Neo4j, on test_linkage's graph.

Firm A was fined (R1, PENALTY SERIOUS) on 2023-10-10, published 2023-10-16, and is listed on
JOINT_PUNISHMENT as L1 from 2024-01-15 until 2026-01-15 on the basis of R1 alone. The minimum publicity
period of a serious penalty is 12 months from publication: repair may be applied for from 2024-10-16.
An objection raised on 2024-03-01 is due on 2024-03-12 (7 working days); upheld with revocation on
2024-03-05, R1 is revoked and L1, left without a basis, is withdrawn."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_api.domain.actor import Actor
from graph_api.domain.refusals import Refused
from graph_api.errors import BadUserInput, Forbidden
from graph_api.services.objections import (
    Correction,
    ObjectionAnswer,
    ObjectionRequest,
    answer_objection,
    raise_objection,
)
from graph_api.services.redress import Target
from graph_api.services.repair import RepairDecision, RepairRequest, apply_for_repair, decide_repair
from tests.service_calls import call, officer
from tests.test_linkage import DEPT, O1, A, build

OTHER = "370200-SWJ"
REPAIRS = "MATCH (n) WHERE n:RepairApplication OR (n:Change AND n.operation = 'applyForRepair') RETURN count(n) AS n"
OBJECTIONS = "MATCH (n) WHERE n:Objection OR (n:Change AND n.operation = 'raiseObjection') RETURN count(n) AS n"


def entity_user(uscc: str) -> Actor:
    return Actor(user="service-test-entity", role="ENTITY", uscc=uscc)


def count(graph, cypher: str) -> int:
    return int(graph.query(cypher)[0]["n"])


@pytest.fixture()
def listed(graph):
    outcome = graph.import_lines(
        [*build(), {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"}]
    )
    assert outcome.code == 0, outcome.rejects
    return graph


def listing_state(graph) -> dict:
    return graph.query("MATCH (l:Listing {id: 'L1'}) RETURN l.status AS status, toString(l.until) AS until")[0]


def test_repair_refused_too_early_then_applied_and_approved(settings, listed):
    def apply(actor, on):
        return call(
            settings,
            apply_for_repair,
            actor,
            RepairRequest(target=Target(listing="L1"), methods=("RECTIFICATION",), applied_on=on),
        )

    with pytest.raises(Refused) as early:
        apply(entity_user(A), dt.date(2024, 10, 15))
    assert (early.value.code, early.value.field) == ("REPAIR_TOO_EARLY", "appliedOn")
    assert "2024-10-16" in early.value.message
    with pytest.raises(Refused) as stranger:
        apply(entity_user(O1), dt.date(2024, 10, 16))
    assert stranger.value.code == "NOT_YOUR_SUBJECT"
    with pytest.raises(BadUserInput) as method:
        call(
            settings, apply_for_repair, entity_user(A), RepairRequest(target=Target(listing="L1"), methods=("PRAYER",))
        )
    assert method.value.extensions == {"field": "methods"}
    assert count(listed, REPAIRS) == 0

    application = apply(entity_user(A), dt.date(2024, 10, 16))
    assert (application["status"], application["kind"], application["target"], application["filedBy"]) == (
        "PENDING",
        "LISTING",
        "L1",
        "SUBJECT",
    )
    with pytest.raises(Refused) as pending:
        apply(entity_user(A), dt.date(2024, 10, 17))
    assert pending.value.code == "REPAIR_PENDING"

    with pytest.raises(Forbidden):  # the entity does not decide its own repair
        call(settings, decide_repair, entity_user(A), RepairDecision(id=application["id"], approve=True))
    with pytest.raises(Refused) as other:
        call(settings, decide_repair, officer(OTHER), RepairDecision(id=application["id"], approve=True))
    assert other.value.code == "NOT_YOUR_DEPARTMENT"
    assert listing_state(listed) == {"status": "ACTIVE", "until": "2026-01-15"}

    decided = call(
        settings,
        decide_repair,
        officer(DEPT),
        RepairDecision(id=application["id"], approve=True, on=dt.date(2024, 11, 1)),
    )
    assert (decided.application["status"], decided.repaired_records, decided.ended_listings) == (
        "APPROVED",
        ["R1"],
        ["L1"],
    )
    assert listing_state(listed) == {"status": "REPAIRED", "until": "2024-11-01"}


def test_objection_raised_refused_and_upheld(settings, listed):
    def raise_(actor, target, on=dt.date(2024, 3, 1)):
        return call(settings, raise_objection, actor, ObjectionRequest(target=target, reason="事实有误", raised_on=on))

    with pytest.raises(BadUserInput) as neither:
        raise_(entity_user(A), Target())
    assert neither.value.extensions == {"field": "target"}
    opened = raise_(entity_user(A), Target(record="R1"))
    assert (opened["status"], opened["kind"], opened["target"], opened["dueOn"].to_native()) == (
        "OPEN",
        "RECORD",
        "R1",
        dt.date(2024, 3, 12),
    )
    with pytest.raises(Refused) as twice:
        raise_(entity_user(A), Target(record="R1"), dt.date(2024, 3, 2))
    assert twice.value.code == "OBJECTION_OPEN"
    assert count(listed, OBJECTIONS) == 2  # the one objection and its history entry

    def answer(actor, **request):
        return call(settings, answer_objection, actor, ObjectionAnswer(id=opened["id"], **request))

    with pytest.raises(Refused) as other:
        answer(officer(OTHER), upheld=False, answer="依据充分")
    assert other.value.code == "NOT_YOUR_DEPARTMENT"
    with pytest.raises(Refused) as before:
        answer(officer(DEPT), upheld=False, answer="依据充分", on=dt.date(2024, 2, 1))
    assert (before.value.code, before.value.field) == ("BEFORE_OBJECTION", "on")
    assert listed.query("MATCH (o:Objection) RETURN o.status AS s") == [{"s": "OPEN"}]

    upheld = answer(
        officer(DEPT),
        upheld=True,
        answer="事实认定错误，撤销",
        correction=Correction(revoke=True),
        on=dt.date(2024, 3, 5),
    )
    assert (upheld.objection["status"], upheld.corrected_record, upheld.withdrawn_bases, upheld.withdrawn_listings) == (
        "UPHELD",
        "R1",
        ["L1"],
        ["L1"],
    )
    assert listing_state(listed) == {"status": "WITHDRAWN", "until": "2024-03-05"}
    assert listed.query("MATCH (r:Record {id: 'R1'}) RETURN r.status AS s") == [{"s": "REVOKED"}]
