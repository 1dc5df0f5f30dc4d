"""Writes that two officers make at the same moment cannot break a rule together: the loser gets a typed
`Refusal`, never an internal error, and there is exactly one effect (issue 11, "Races").

On the graph of tests/test_linkage.py without its listings (firm A, fined in R1):
- four officers list A on the joint-punishment list at once, each with its own listing id: one listing
  is made, the three others are refused ALREADY_LISTED;
- four officers list A at once with the same listing id: one listing, three refusals (ALREADY_LISTED or
  DUPLICATE_ID, whichever check they reach first), and no internal error;
- four officers record a decision with the same record id at once (the firm of tests/test_decisions.py):
  one record, three refusals DUPLICATE_ID naming the field `id`."""

from __future__ import annotations

import threading

from tests.conftest import gql_as, officer
from tests.test_decisions import RECORD, decision, firm  # noqa: F401  (the fixture)
from tests.test_linkage import DEPT
from tests.test_listings import LIST, listing, unlisted  # noqa: F401  (the fixture)

N = 4


def _at_once(api, inputs: list[dict], document: str = LIST) -> list[dict]:
    barrier = threading.Barrier(len(inputs))
    results: list[dict] = [{} for _ in inputs]

    def call(i: int) -> None:
        barrier.wait()
        results[i] = gql_as(api, officer(DEPT, f"officer-{i}"), document, input=inputs[i])

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_one_subject_listed_at_once_on_one_list_gives_one_listing(api, unlisted):  # noqa: F811
    results = _at_once(api, [listing(id=f"LR{i}") for i in range(N)])
    assert all("errors" not in r for r in results), results
    answers = [r["data"]["listSubject"] for r in results]
    assert sorted(a["__typename"] for a in answers) == ["Listed"] + ["Refusal"] * (N - 1), answers
    assert {a["code"] for a in answers if a["__typename"] == "Refusal"} == {"ALREADY_LISTED"}
    rows = unlisted.query("MATCH (:Entity)-[:LISTED_ON]->(l:Listing {list: 'JOINT_PUNISHMENT'}) RETURN count(l) AS n")
    assert rows[0]["n"] == 1
    assert unlisted.query("MATCH (c:Change {operation: 'listSubject'}) RETURN count(c) AS n")[0]["n"] == 1


def test_one_listing_id_written_at_once_gives_one_listing_and_refusals(api, unlisted):  # noqa: F811
    results = _at_once(api, [listing(id="LSAME") for _ in range(N)])
    assert all("errors" not in r for r in results), results
    answers = [r["data"]["listSubject"] for r in results]
    assert sorted(a["__typename"] for a in answers) == ["Listed"] + ["Refusal"] * (N - 1), answers
    assert {a["code"] for a in answers if a["__typename"] == "Refusal"} <= {"ALREADY_LISTED", "DUPLICATE_ID"}
    assert unlisted.query("MATCH (l:Listing {id: 'LSAME'}) RETURN count(l) AS n")[0]["n"] == 1


def test_one_record_id_decided_at_once_gives_one_record_and_refusals(api, firm):  # noqa: F811
    results = _at_once(api, [decision("RSAME", "2024-03-01") for _ in range(N)], RECORD)
    assert all("errors" not in r for r in results), results
    answers = [r["data"]["recordDecision"] for r in results]
    assert sorted(a["__typename"] for a in answers) == ["DecisionRecorded"] + ["Refusal"] * (N - 1), answers
    assert {(a["code"], a["field"]) for a in answers if a["__typename"] == "Refusal"} == {("DUPLICATE_ID", "id")}
    assert firm.query("MATCH (r:Record {id: 'RSAME'}) RETURN count(r) AS n")[0]["n"] == 1
