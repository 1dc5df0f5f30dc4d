"""The audit trail under concurrency (issue 11, "Races"): many investigators reading personal data at once
are all answered and all registered, reads and changes interleave into one chain that `audit verify`
accepts, two worker processes share the chain, and a read whose entry cannot be written is still not
answered.

Every read here starts on a freshly wiped database, so the first batch also races to create the chain's
head (the constraint `audit_head_name` makes that MERGE safe)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import gql_as, investigator, officer, serve, token
from tests.test_audit import LOOKUP, PERSON
from tests.test_decisions import DEPT, FIRM_LINES, RECORD, decision

READERS = 32
LOG = "{ auditLog(first: 100) { totalCount nodes { seq user kind operation purpose } } }"


@pytest.fixture()
def person(graph):
    outcome = graph.import_lines([*FIRM_LINES, {"kind": "person", "idNumber": PERSON, "name": "审计对象"}])
    assert outcome.code == 0, outcome.rejects
    return graph


def at_once(calls: list[Callable[[], dict[str, Any]]]) -> list[dict[str, Any]]:
    """Run the calls in threads released together, and return their answers in order."""
    barrier = threading.Barrier(len(calls))
    results: list[dict[str, Any]] = [{} for _ in calls]

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def read_as(api, i: int) -> Callable[[], dict[str, Any]]:
    return lambda: gql_as(api, investigator(f"investigator-{i}", f"案件 2026-{i} 核查"), LOOKUP, n=PERSON)


def trail(api) -> dict[str, Any]:
    log = gql_as(api, token("ADMIN", "admin-1"), LOG)["data"]["auditLog"]
    assert [n["seq"] for n in log["nodes"]] == list(range(log["totalCount"], 0, -1))  # no gap, no repeat
    return log


def test_32_investigators_reading_at_once_are_all_answered_and_registered(api, cli, person):
    answers = at_once([read_as(api, i) for i in range(READERS)])
    assert [a.get("errors") for a in answers] == [None] * READERS, answers
    assert all(a["data"]["person"]["name"] == "审计对象" for a in answers)
    log = trail(api)
    assert log["totalCount"] == READERS
    # each reader's own entry, with the purpose that reader stated
    assert sorted((n["user"], n["purpose"]) for n in log["nodes"]) == sorted(
        (f"investigator-{i}", f"案件 2026-{i} 核查") for i in range(READERS)
    )
    verified = cli("audit", "verify")
    assert verified.code == 0 and f"{READERS} entries" in verified.stdout, verified.stderr


def test_reads_and_changes_interleaved_make_one_chain(api, cli, person):
    def change(i: int) -> Callable[[], dict[str, Any]]:
        return lambda: gql_as(api, officer(DEPT, f"officer-{i}"), RECORD, input=decision(f"DC{i}", "2026-03-02"))

    calls = [read_as(api, i) if i % 3 else change(i) for i in range(24)]
    answers = at_once(calls)
    assert [a.get("errors") for a in answers] == [None] * 24, answers
    changes = [a["data"]["recordDecision"]["__typename"] for a in answers if "recordDecision" in a["data"]]
    assert changes == ["DecisionRecorded"] * 8
    log = trail(api)
    assert sorted(n["kind"] for n in log["nodes"]) == ["CHANGE"] * 8 + ["READ_PERSONAL"] * 16
    assert cli("audit", "verify").code == 0


def test_two_worker_processes_share_one_chain(neo4j_server_running, tmp_path_factory, cli, person):
    with serve(tmp_path_factory, args=("--workers", "2")) as api:
        # serve() returns when one worker answers; the reads must reach both
        deadline = time.monotonic() + 60
        while api.log_path.read_text().count("audit appender started") < 2:  # type: ignore[attr-defined]
            assert time.monotonic() < deadline, api.log_path.read_text()  # type: ignore[attr-defined]
            time.sleep(0.2)
        answers = at_once([read_as(api, i) for i in range(READERS)])
        assert [a.get("errors") for a in answers] == [None] * READERS, answers
        assert trail(api)["totalCount"] == READERS
        started = api.log_path.read_text().count("audit appender started")  # type: ignore[attr-defined]
        assert started == 2, api.log_path.read_text()  # type: ignore[attr-defined]
    assert cli("audit", "verify").code == 0


def test_a_read_whose_entry_cannot_be_written_is_not_answered(api, cli, person):
    """An entry already holding the next sequence number (written past the head, as a restore from a
    mismatched dump could leave it) makes every append fail on the constraint audit_seq: the reads waiting
    in that batch are all withheld, none answered. Once the stray entry is gone, reads are answered again."""
    person.query("CREATE (:AuditEntry {seq: 1, hash: 'stray'})")
    answers = at_once([read_as(api, i) for i in range(8)])
    for a in answers:
        assert a["data"] is None or a["data"].get("person") is None, a  # no name, no masked number
        assert [e["extensions"]["code"] for e in a["errors"]] == ["DATABASE_UNAVAILABLE"], a
        assert "audit trail" in a["errors"][0]["message"]
    assert "审计对象" not in str(answers)
    person.query("MATCH (e:AuditEntry {hash: 'stray'}) DELETE e")
    again = read_as(api, 99)()
    assert again["data"]["person"]["name"] == "审计对象", again
    assert trail(api)["totalCount"] == 1
    assert cli("audit", "verify").code == 0
