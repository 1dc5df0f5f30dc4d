"""Two different mutations at the same moment on one thing (issue 11, "Races"): whichever commits first,
the other sees its effect and answers as it would after it — the end state is one of the sequential
orders', never a mix of both.

On test_linkage's graph without its listing, with LX listing firm A on JOINT_PUNISHMENT from 2024-01-15
on the basis of R1 (tests/test_races_mutations.py):
- delisting LX while its repair is approved: LX ends once, DELISTED or REPAIRED; the other is refused;
- revoking R1 on an objection while A is listed on KEY_ATTENTION on R1: either the listing is refused
  (BASIS_NOT_ACTIVE) or it is made and withdrawn with LX; no listing in force rests on a revoked record;
- answering the objections to R1 and to R2, both bases of LX, at once, both upheld: LX is withdrawn (each
  alone leaves the other basis standing; the second sees the first's withdrawal);
- reporting a task of LX while LX is delisted: the task stays EXECUTED when the report said so, or is
  ENDED and the report refused ALREADY_REPORTED;
- approving the repair of R1 while an objection revokes it: R1 ends REVOKED (repaired then revoked, or
  revoked and then nothing left to repair), and LX ends once.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import entity_user, officer
from tests.test_linkage import DEPT, A
from tests.test_listings import listing
from tests.test_races_mutations import (
    ANSWER,
    APPLY,
    CZJ,
    DECIDE,
    DELIST,
    LIST,
    RAISE,
    REPORT,
    at_once,
    count,
    linkage_graph,
    listed_graph,
    objection,
    ok,
    send,
)

LISTING_ENDS = (
    "MATCH (c:Change)-[:ABOUT]->(:Listing {id: 'LX'}) WHERE c.summary STARTS WITH 'listing LX' RETURN count(c) AS n"
)
WITHOUT_BASIS = """MATCH (l:Listing {status: 'ACTIVE'})
WHERE NOT EXISTS { MATCH (l)-[b:BASED_ON]->(r:Record)
                   WHERE b.withdrawn IS NULL AND NOT r.status IN ['REPAIRED', 'REVOKED'] }
RETURN count(l) AS n"""
WITHDRAWN = "code message field } ... on ObjectionAnswered { withdrawnListings"
REVOKE = {"upheld": True, "answer": "撤销", "correction": {"revoke": True}, "on": "2024-11-05"}


def answers(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert all("errors" not in r for r in results), results
    return [next(iter(r["data"].values())) for r in results]


def test_delisting_while_the_repair_is_approved_ends_the_listing_once(api, graph):
    listed_graph(api, graph)
    app = ok(
        send(
            api,
            entity_user(A),
            APPLY,
            input={"target": {"listing": "LX"}, "methods": ["RECTIFICATION"], "appliedOn": "2024-11-01"},
        ),
        "RepairApplication",
    )
    delist = (officer(DEPT, "a"), DELIST, {"listing": "LX", "reason": "整改到位", "on": "2024-11-05"})
    decide = (officer(DEPT, "b"), DECIDE, {"id": app["id"], "approve": True, "on": "2024-11-05"})
    got = answers(at_once(api, [delist, decide, delist, decide]))
    assert sorted(a["__typename"] for a in got).count("Refusal") == 3, got
    assert {a["code"] for a in got if a["__typename"] == "Refusal"} <= {"ALREADY_ENDED", "ALREADY_DECIDED"}, got
    status = graph.query("MATCH (l:Listing {id: 'LX'}) RETURN l.status AS s")[0]["s"]
    won = next(a["__typename"] for a in got if a["__typename"] != "Refusal")
    assert status == {"ListingEnded": "DELISTED", "RepairDecided": "REPAIRED"}[won]
    assert graph.query(LISTING_ENDS)[0]["n"] == 1


def test_revoking_a_basis_while_listing_on_it_leaves_no_listing_without_basis(api, graph):
    listed_graph(api, graph)
    raised = ok(send(api, entity_user(A), RAISE, input=objection()), "Objection")
    listing_doc = LIST.replace("code message field", "code message field } ... on Listed { tasksPushed")
    key = listing(id="LK", list="KEY_ATTENTION", until=None, rectifyBy=None, since="2024-03-04")
    answer_doc = ANSWER.replace("code message field", WITHDRAWN)
    got = answers(
        at_once(
            api,
            [
                (officer(DEPT, "a"), listing_doc, {"input": key}),
                (officer(DEPT, "b"), answer_doc, {"id": raised["id"], **REVOKE, "on": "2024-03-05"}),
            ],
        )
    )
    listed, answered = got
    assert answered["__typename"] == "ObjectionAnswered", got
    if listed["__typename"] == "Refusal":
        assert listed["code"] == "BASIS_NOT_ACTIVE", got
        assert answered["withdrawnListings"] == ["LX"]
    else:
        assert sorted(answered["withdrawnListings"]) == ["LK", "LX"], got
    assert graph.query(WITHOUT_BASIS)[0]["n"] == 0


def test_both_bases_revoked_at_once_withdraw_the_listing(api, graph):
    linkage_graph(api, graph)
    graph.import_lines(
        [
            {
                "kind": "record",
                "id": "R2",
                "subject": {"entity": A},
                "category": "PENALTY",
                "severity": "GENERAL",
                "department": DEPT,
                "decidedOn": "2023-11-20",
                "publishedOn": "2023-11-22",
            }
        ]
    )
    ok(send(api, officer(DEPT), LIST, input=listing(basis=["R1", "R2"])), "Listed")
    ids = [
        ok(send(api, entity_user(A), RAISE, input={**objection(), "target": {"record": r}}), "Objection")["id"]
        for r in ("R1", "R2")
    ]
    answer_doc = ANSWER.replace("code message field", WITHDRAWN)
    got = answers(
        at_once(
            api,
            [(officer(DEPT, f"o{i}"), answer_doc, {"id": o, **REVOKE, "on": "2024-03-05"}) for i, o in enumerate(ids)],
        )
    )
    assert [a["__typename"] for a in got] == ["ObjectionAnswered"] * 2, got
    assert sorted(x for a in got for x in a["withdrawnListings"]) == ["LX"], got
    assert graph.query("MATCH (l:Listing {id: 'LX'}) RETURN l.status AS s")[0]["s"] == "WITHDRAWN"
    assert graph.query(WITHOUT_BASIS)[0]["n"] == 0


def test_reporting_a_task_while_its_listing_is_delisted_keeps_what_was_said(api, graph):
    listed_graph(api, graph)
    tasks = [r["id"] for r in graph.query("MATCH (t:Task {executor: $d}) RETURN t.id AS id ORDER BY id", d=CZJ)]
    calls = [
        (officer(CZJ, f"c{i}"), REPORT, {"task": t, "outcome": "EXECUTED", "on": "2024-01-20"})
        for i, t in enumerate(tasks[:3])
    ]
    calls.insert(1, (officer(DEPT), DELIST, {"listing": "LX", "reason": "整改到位", "on": "2024-06-01"}))
    got = answers(at_once(api, calls))
    assert got[1]["__typename"] == "ListingEnded", got
    for task, said in zip(tasks[:3], got[:1] + got[2:], strict=True):
        status = graph.query("MATCH (t:Task {id: $id}) RETURN t.status AS s", id=task)[0]["s"]
        if said["__typename"] == "Task":
            assert status == "EXECUTED", (task, said)
        else:
            assert (said["code"], status) == ("ALREADY_REPORTED", "ENDED"), (task, said)


def test_repair_approved_while_an_objection_revokes_the_record(api, graph):
    listed_graph(api, graph)
    app = ok(
        send(
            api,
            entity_user(A),
            APPLY,
            input={"target": {"record": "R1"}, "methods": ["RECTIFICATION"], "appliedOn": "2024-11-01"},
        ),
        "RepairApplication",
    )
    raised = ok(send(api, entity_user(A), RAISE, input={**objection(), "raisedOn": "2024-11-01"}), "Objection")
    got = answers(
        at_once(
            api,
            [
                (officer(DEPT, "a"), DECIDE, {"id": app["id"], "approve": True, "on": "2024-11-05"}),
                (officer(DEPT, "b"), ANSWER, {"id": raised["id"], **REVOKE}),
            ],
        )
    )
    assert [a["__typename"] for a in got] == ["RepairDecided", "ObjectionAnswered"], got
    assert graph.query("MATCH (r:Record {id: 'R1'}) RETURN r.status AS s")[0]["s"] == "REVOKED"
    assert graph.query(LISTING_ENDS)[0]["n"] == 1
    assert graph.query(WITHOUT_BASIS)[0]["n"] == 0


def test_listing_on_a_record_while_an_objection_is_raised_on_it_both_happen_once(api, graph):
    # Both take the record, then the subject (README, "Deadlocks"): they queue, neither meets a deadlock
    # and its retries; each pair's loser is refused as it would be after the winner.
    linkage_graph(api, graph)
    list_a, list_b = (
        (officer(DEPT, who), LIST, {"input": listing(id=f"LK{who}", list="KEY_ATTENTION", until=None, rectifyBy=None)})
        for who in "ab"
    )
    raise_ = (entity_user(A), RAISE, {"input": objection()})
    got = answers(at_once(api, [list_a, raise_, list_b, raise_]))
    assert sorted(a["__typename"] for a in got) == ["Listed", "Objection", "Refusal", "Refusal"], got
    assert sorted(a["code"] for a in got if a["__typename"] == "Refusal") == ["ALREADY_LISTED", "OBJECTION_OPEN"]
    assert graph.query(count("(:Listing {list: 'KEY_ATTENTION'})"))[0]["n"] == 1
    assert graph.query(count("(:Objection)-[:CONCERNS]->(:Record {id: 'R1'})"))[0]["n"] == 1
