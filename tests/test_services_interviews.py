"""recordInterview's service run in-process (no HTTP, no GraphQL) on the real test Neo4j.

Firm F is on SCJG's KEY_ATTENTION list since 2026-03-10 (listing L, imported, no end). An interview
held on Monday 2026-07-06 is due for publication on 2026-07-15 (07-07..07-10, 07-13..07-15, no holiday)."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_api.domain.actor import Actor
from graph_api.domain.refusals import Refused
from graph_api.errors import BadUserInput, Forbidden, NotFound
from graph_api.services.interviews import InterviewRequest, record_interview
from tests.service_calls import call, officer
from tests.test_linkage import uscc

DEPT, OTHER = "370200-SCJG", "370200-SWJ"
F = uscc(90)
WRITTEN = (
    "MATCH (n) WHERE (n:Record AND n.category = 'INTERVIEW') OR (n:Change AND n.operation = 'recordInterview') "
    "RETURN count(n) AS n"
)


def entity_user(uscc: str) -> Actor:
    return Actor(user="service-test-entity", role="ENTITY", uscc=uscc)


def count(graph, cypher: str) -> int:
    return int(graph.query(cypher)[0]["n"])


@pytest.fixture()
def listed(graph):
    outcome = graph.import_lines(
        [
            {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
            {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"},
            {
                "kind": "entity",
                "uscc": F,
                "name": "青岛约谈服务测试有限公司",
                "form": "COMPANY",
                "status": "ACTIVE",
                "region": "370200",
                "established": "2015-01-01",
            },
            {
                "kind": "record",
                "id": "P",
                "subject": {"entity": F},
                "category": "PENALTY",
                "severity": "GENERAL",
                "department": DEPT,
                "decidedOn": "2026-03-02",
            },
            {
                "kind": "listing",
                "id": "L",
                "subject": {"entity": F},
                "list": "KEY_ATTENTION",
                "department": DEPT,
                "basis": ["P"],
                "since": "2026-03-10",
            },
        ]
    )
    assert outcome.code == 0, outcome.rejects
    return graph


def test_an_interview_is_recorded_without_graphql(settings, listed):
    held = call(
        settings,
        record_interview,
        officer(DEPT),
        InterviewRequest(listing="L", held_on=dt.date(2026, 7, 6), summary="  约谈法定代表人  "),
    )
    assert (held.listing, held.record.deadline.due, held.days_after_deadline) == ("L", dt.date(2026, 7, 15), None)
    record = held.record.record
    assert (record["category"], record["severity"], record["summary"]) == ("INTERVIEW", "MINOR", "约谈法定代表人")
    assert record["department"]["code"] == DEPT
    linked = listed.query("""MATCH (:Listing {id: 'L'})-[:INTERVIEW]->(r:Record)<-[:HAS_RECORD]-(e:Entity)
                             RETURN r.id AS id, e.uscc AS e""")
    assert linked == [{"id": record["id"], "e": F}]
    change = listed.query("MATCH (c:Change {operation: 'recordInterview'}) RETURN c.user AS user, c.key AS key")
    assert change == [{"user": "service-test-officer", "key": record["id"]}]


def test_refusals_raise_and_write_nothing(settings, listed):
    def attempt(actor, **overrides):
        request = {"listing": "L", "held_on": dt.date(2026, 7, 6), "summary": "约谈", **overrides}
        return call(settings, record_interview, actor, InterviewRequest(**request))

    with pytest.raises(Refused) as other:
        attempt(officer(OTHER))
    assert (other.value.code, other.value.field) == ("NOT_YOUR_DEPARTMENT", "listing")
    with pytest.raises(Refused) as early:
        attempt(officer(DEPT), held_on=dt.date(2026, 3, 9))
    assert (early.value.code, early.value.field) == ("LISTING_NOT_IN_FORCE", "heldOn")
    with pytest.raises(NotFound):
        attempt(officer(DEPT), listing="L404")
    with pytest.raises(Forbidden):  # the service checks the role itself: a CLI caller is checked too
        attempt(entity_user(F))
    with pytest.raises(BadUserInput) as blank:
        attempt(officer(DEPT), summary=" ")
    assert blank.value.extensions == {"field": "summary"}
    with pytest.raises(BadUserInput) as code:  # GraphQL's enum holds it to the vocabulary; a CLI caller is told
        attempt(officer(DEPT), severity="GRAVE")
    assert code.value.extensions == {"field": "severity"}
    assert count(listed, WRITTEN) == 0
