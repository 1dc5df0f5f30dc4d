"""The commitment services run in-process, without HTTP or GraphQL, on the real test Neo4j.

Firm F commits to 370200-SCJG (C1, made 2026-06-01, due 2026-08-31); the department records it breached
on Friday 2026-09-25 (GENERAL): a COMMITMENT_BREACH record of SCJG on F, due for publication on Monday
2026-10-12 (test_commitments' reckoning). A closed commitment cannot change again.
"""

from __future__ import annotations

import datetime as dt

import pytest

from graph_api.domain.actor import Actor
from graph_api.domain.refusals import Refused
from graph_api.errors import Forbidden
from graph_api.services import commitments
from tests.service_calls import WRITTEN, call, import_lines, officer
from tests.test_commitments import DEPT, FIRM, OTHER
from tests.test_services_decisions import FIRM_LINES

ENTITY = Actor(user="service-test-entity", role="ENTITY", uscc=FIRM)
C1 = commitments.CommitmentRequest(
    type="APPROVAL_SUBSTITUTION",
    matter=" 按期补交材料 ",
    made_on=dt.date(2026, 6, 1),
    department=DEPT,
    due_on=dt.date(2026, 8, 31),
    id="C1",
)
BREACH = commitments.Breach(id="C1", summary="逾期未补交", severity="GENERAL", on=dt.date(2026, 9, 25))


@pytest.fixture()
def firm(graph):
    return import_lines(graph, FIRM_LINES)


def test_make_and_breach_in_process(settings, firm):
    made = call(settings, commitments.make_commitment, ENTITY, C1)
    assert (made["id"], made["matter"], made["status"], made["state"]) == ("C1", "按期补交材料", "PENDING", "OVERDUE")
    assert made["entity"]["uscc"] == FIRM

    breached = call(settings, commitments.breach_commitment, officer(DEPT), BREACH)
    record = breached.record.record
    assert (record["category"], record["severity"], record["summary"]) == ("COMMITMENT_BREACH", "GENERAL", "逾期未补交")
    assert breached.record.deadline.due == dt.date(2026, 10, 12)
    assert (breached.commitment["status"], breached.commitment["breachRecord"]) == ("BREACHED", record["id"])
    assert firm.query("MATCH (:Entity {uscc: $u})-[:HAS_RECORD]->(r:Record) RETURN r.id AS id", u=FIRM) == [
        {"id": record["id"]}
    ]


def test_commitment_refusals_write_nothing(settings, firm):
    with pytest.raises(Forbidden):  # an officer does not commit on an entity's behalf
        call(settings, commitments.make_commitment, officer(DEPT), C1)
    call(settings, commitments.make_commitment, ENTITY, C1)
    before = firm.query(WRITTEN)
    with pytest.raises(Refused) as refused:
        call(settings, commitments.make_commitment, ENTITY, C1)
    assert (refused.value.code, refused.value.field) == ("DUPLICATE_ID", "id")
    with pytest.raises(Refused) as refused:
        call(settings, commitments.breach_commitment, officer(OTHER), BREACH)
    assert refused.value.code == "NOT_YOUR_DEPARTMENT"
    with pytest.raises(Refused) as refused:
        call(settings, commitments.fulfil_commitment, officer(DEPT), commitments.Closing("C1", dt.date(2026, 5, 31)))
    assert (refused.value.code, refused.value.field) == ("BEFORE_COMMITMENT", "on")
    assert firm.query(WRITTEN) == before

    call(settings, commitments.fulfil_commitment, officer(DEPT), commitments.Closing("C1", dt.date(2026, 7, 15)))
    closed = firm.query(WRITTEN)
    with pytest.raises(Refused) as refused:
        call(settings, commitments.breach_commitment, officer(DEPT), BREACH)
    assert refused.value.code == "ALREADY_CLOSED"
    assert firm.query(WRITTEN) == closed
    assert firm.query("MATCH (c:Commitment {id: 'C1'}) RETURN c.status AS s") == [{"s": "FULFILLED"}]
