"""The listing services run in-process, without HTTP or GraphQL, on the real test Neo4j: listing with
its cascade, a refusal that writes nothing, delisting, and an executing department's report.

The graph is test_listings' (test_linkage's without its listing): listing A on JOINT_PUNISHMENT from
2024-01-15 on the basis of R1 binds three persons (MID, NEW, CTRL) and flags O1, O2 (OWNED) and M
(SHARED_RESPONSIBLE_PERSON); its tasks go to the executing departments of the list's default measures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from graph_api.domain.actor import Actor
from graph_api.domain.catalogue import catalogue, list_defaults
from graph_api.domain.refusals import Refused
from graph_api.domain.subjects import Subject
from graph_api.errors import BadUserInput, Forbidden
from graph_api.services import closed_loop, listings
from tests.service_calls import WRITTEN, call, officer
from tests.test_linkage import DEPT, A, build
from tests.test_listings import CZJ

REQUEST = listings.ListingRequest(
    subject=Subject(entity=A),
    list="JOINT_PUNISHMENT",
    basis=("R1",),
    since=dt.date(2024, 1, 15),
    until=dt.date(2026, 1, 15),
    id="LX",
)


@pytest.fixture()
def unlisted(graph):
    outcome = graph.import_lines(
        [line for line in build() if line["kind"] != "listing"]
        + [{"kind": "department", "code": CZJ, "name": "青岛市财政局", "region": "370200"}]
    )
    assert outcome.code == 0, outcome.rejects
    return graph


def _expected_tasks() -> int:
    executors = {m["code"]: m["executors"] for m in catalogue()["measures"]}
    return sum(len(executors[c]) for c in list_defaults()["JOINT_PUNISHMENT"])


def test_list_subject_runs_in_process(settings, unlisted):
    before = unlisted.query(WRITTEN)
    listed = call(settings, listings.list_subject, officer(DEPT), REQUEST)
    assert (listed.listing_id, listed.persons_bound, listed.entities_flagged) == ("LX", 3, 3)
    assert listed.tasks_pushed == _expected_tasks()
    assert unlisted.query("MATCH (:Listing {id: 'LX'})-[:BINDS]->(p:Person) RETURN count(p) AS n")[0]["n"] == 3
    change = unlisted.query("MATCH (c:Change {key: 'LX'}) RETURN c.operation AS op, c.user AS user")
    assert change == [{"op": "listSubject", "user": "service-test-officer"}]
    audit = unlisted.query("MATCH (e:AuditEntry {operation: 'listSubject'}) RETURN e.user AS user, e.kind AS kind")
    assert audit == [{"user": "service-test-officer", "kind": "CHANGE"}]
    assert unlisted.query(WRITTEN) != before


def test_refusals_write_nothing(settings, unlisted):
    before = unlisted.query(WRITTEN)
    with pytest.raises(Refused) as refused:
        call(
            settings,
            listings.list_subject,
            officer(DEPT),
            listings.ListingRequest(
                subject=Subject(entity=A), list="JOINT_PUNISHMENT", basis=("nope",), since=dt.date(2024, 1, 15)
            ),
        )
    assert (refused.value.code, refused.value.field) == ("BASIS_NOT_FOUND", "basis")
    with pytest.raises(Refused) as refused:
        call(settings, listings.list_subject, officer(DEPT), replace(REQUEST, list="RED"))
    assert refused.value.code == "BASIS_POLARITY"
    for wrong, field in ((replace(REQUEST, basis=()), "basis"), (replace(REQUEST, list="BLACK"), "list")):
        with pytest.raises(BadUserInput) as bad:  # a code outside the vocabulary is the caller's error, not a 500
            call(settings, listings.list_subject, officer(DEPT), wrong)
        assert bad.value.extensions == {"field": field}
    with pytest.raises(Forbidden):  # the service checks the role itself, whoever calls it
        call(settings, listings.list_subject, Actor(user="i", role="INVESTIGATOR"), REQUEST)
    assert unlisted.query(WRITTEN) == before


def test_delist_and_report_execution(settings, unlisted):
    call(settings, listings.list_subject, officer(DEPT), REQUEST)
    task = unlisted.query("MATCH (t:Task {executor: $e}) RETURN t.id AS id ORDER BY id LIMIT 1", e=CZJ)[0]["id"]

    with pytest.raises(BadUserInput):
        call(settings, closed_loop.report_execution, officer(CZJ), closed_loop.ExecutionReport(task, "DECLINED"))
    with pytest.raises(Refused) as refused:
        call(settings, closed_loop.report_execution, officer(DEPT), closed_loop.ExecutionReport(task, "EXECUTED"))
    assert refused.value.code == "NOT_YOUR_DEPARTMENT"
    report = closed_loop.ExecutionReport(task, "EXECUTED", on=dt.date(2024, 1, 20))
    after = call(settings, closed_loop.report_execution, officer(CZJ), report)
    assert (after["status"], after["reportedOn"].to_native()) == ("EXECUTED", dt.date(2024, 1, 20))
    with pytest.raises(Refused) as refused:
        call(settings, closed_loop.report_execution, officer(CZJ), report)
    assert refused.value.code == "ALREADY_REPORTED"

    june = dt.date(2024, 6, 1)
    with pytest.raises(Refused) as refused:
        call(settings, listings.delist, officer(CZJ), listings.DelistRequest("LX", "repaired", june))
    assert refused.value.code == "NOT_YOUR_DEPARTMENT"
    ended = call(settings, listings.delist, officer(DEPT), listings.DelistRequest("LX", " repaired ", june))
    assert (ended.status, ended.ended_on, ended.planned_until) == ("DELISTED", june, dt.date(2026, 1, 15))
    assert ended.links_ended == 6  # three bindings, three flags
    with pytest.raises(Refused) as refused:
        call(settings, listings.delist, officer(DEPT), listings.DelistRequest("LX", "again", dt.date(2024, 7, 1)))
    assert refused.value.code == "ALREADY_ENDED"
    assert unlisted.query("MATCH (l:Listing {id: 'LX'}) RETURN l.status AS s, l.endReason AS r") == [
        {"s": "DELISTED", "r": "repaired"}
    ]
