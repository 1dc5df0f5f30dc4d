"""Watchlists and the alert inbox over GraphQL HTTP, on a graph built by hand.

The graph: entity L (青岛警示商贸) whose legal representative since 2015 is person P (警王); L holds 60 % of
entity W (青岛关注物流), so W is L's (OWNED); entity N (青岛新开贸易) has nobody yet. Department DEPT decides,
OTHER is another department.

Worked out by hand, in order:
1. watcher-1 (officer of DEPT) watches L, W and P (by identity number: a personal read, audited);
   officer-2 (OTHER) watches W for RECORD alerts only; officer-3 (OTHER) watches nothing.
2. DEPT records R1 (PENALTY, SERIOUS, PUBLIC) about L → watcher-1: RECORD about L.
3. The same id again is refused DUPLICATE_ID, a listing on a record that does not exist is refused: no alert.
4. DEPT lists L on JOINT_PUNISHMENT on R1 → watcher-1: LISTING (L), BINDING (P is L's legal representative
   within the window), RELATED_LISTED (W, flagged OWNED). officer-2 wants only RECORD: nothing.
5. DEPT records R2 (RESTRICTED) about W → watcher-1 (DEPT's officer, reads DEPT's RESTRICTED records) sees R2;
   officer-2 gets the alert but the path's record is the undisclosed node, R2 in no field.
6. The importer writes P as legal representative of N → REAPPEARANCE to DEPT (the listing's department):
   watcher-1, who watches P and L, reads it there once; officer-4 of DEPT too; officer-3 nothing.
So watcher-1 has 6 alerts, officer-2 one, officer-3 none.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import gql_as, officer
from tests.test_linkage import ric, uscc

L, W, N = uscc(81), uscc(82), uscc(83)
P = ric(81)
DEPT, OTHER = "370200-SCJG", "370200-SWJ"
WATCHER, SECOND, STRANGER, COLLEAGUE = (
    officer(DEPT, "watcher-1"),
    officer(OTHER, "officer-2"),
    officer(OTHER, "officer-3"),
    officer(DEPT, "officer-4"),
)


def _entity(code: str, name: str) -> dict:
    return {
        "kind": "entity",
        "uscc": code,
        "name": name,
        "form": "COMPANY",
        "status": "ACTIVE",
        "region": "370200",
        "established": "2015-01-01",
    }


LINES = [
    {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
    {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"},
    _entity(L, "青岛警示商贸有限公司"),
    _entity(W, "青岛关注物流有限公司"),
    _entity(N, "青岛新开贸易有限公司"),
    {"kind": "person", "idNumber": P, "name": "警王"},
    {"kind": "role", "person": P, "entity": L, "role": "LEGAL_REPRESENTATIVE", "since": "2015-01-01"},
    {"kind": "holding", "holder": {"entity": L}, "entity": W, "ratio": 0.6, "since": "2016-01-01"},
]

WATCH = """mutation($input: WatchInput!) { watch(input: $input) {
  __typename ... on Watch { id events subject { kind key name } }
  ... on Refusal { code message field } } }"""
UNWATCH = """mutation($id: ID!) { unwatch(id: $id) { __typename ... on Refusal { code } } }"""
WATCHES = """{ watches { totalCount nodes { id subject { key } } } }"""
RECORD = """mutation($input: DecisionInput!) { recordDecision(input: $input) {
  __typename ... on Refusal { code } } }"""
LIST = """mutation($input: ListingInput!) { listSubject(input: $input) {
  __typename ... on Listed { personsBound entitiesFlagged } ... on Refusal { code } } }"""
ALERTS = """query($only: Boolean!) { alerts(unacknowledgedOnly: $only, first: 50) { totalCount nodes {
  id seq kind reason causeIds state acknowledgedAt subject { kind key name }
  path { text nodes { kind key name } steps { relation fromKey toKey } } } } }"""
ACK = """mutation($id: ID!) { acknowledgeAlert(id: $id) {
  __typename ... on Alert { id state acknowledgedAt } ... on Refusal { code } } }"""


def _inbox(actor: dict, only: bool = False) -> list[dict]:
    body = gql_as(_inbox.api, actor, ALERTS, only=only)  # type: ignore[attr-defined]
    assert "errors" not in body, body
    return body["data"]["alerts"]["nodes"]


def _ok(body: dict, field: str, typename: str) -> dict:
    assert "errors" not in body, body
    assert body["data"][field]["__typename"] == typename, body
    return body["data"][field]


def _decision(record_id: str, subject: str, disclosure: str = "PUBLIC") -> dict:
    return {
        "id": record_id,
        "subject": {"uscc": subject},
        "category": "PENALTY",
        "severity": "SERIOUS",
        "decidedOn": "2025-06-10",
        "disclosure": disclosure,
    }


@pytest.fixture(scope="module")
def story(api, module_graph):
    """Steps 1 to 6 of the module's docstring, once; the tests read what they left."""
    outcome = module_graph.import_lines(LINES)
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    _inbox.api = api  # type: ignore[attr-defined]
    watches = {}
    for key, subject in (("L", {"uscc": L}), ("W", {"uscc": W}), ("P", {"idNumber": P})):
        watches[key] = _ok(gql_as(api, WATCHER, WATCH, input={"subject": subject}), "watch", "Watch")
    _ok(gql_as(api, SECOND, WATCH, input={"subject": {"uscc": W}, "events": ["RECORD"]}), "watch", "Watch")
    _ok(gql_as(api, WATCHER, RECORD, input=_decision("R1", L)), "recordDecision", "DecisionRecorded")
    refused = {
        "duplicate": _ok(gql_as(api, WATCHER, RECORD, input=_decision("R1", L)), "recordDecision", "Refusal"),
        "no basis": _ok(
            gql_as(
                api,
                WATCHER,
                LIST,
                input={"subject": {"uscc": L}, "list": "JOINT_PUNISHMENT", "basis": ["R404"], "since": "2025-07-01"},
            ),
            "listSubject",
            "Refusal",
        ),
    }
    after_refusals = _inbox(WATCHER)
    listed = _ok(
        gql_as(
            api,
            WATCHER,
            LIST,
            input={
                "id": "L-ALERT",
                "subject": {"uscc": L},
                "list": "JOINT_PUNISHMENT",
                "basis": ["R1"],
                "since": "2025-07-01",
            },
        ),
        "listSubject",
        "Listed",
    )
    _ok(gql_as(api, WATCHER, RECORD, input=_decision("R2", W, "RESTRICTED")), "recordDecision", "DecisionRecorded")
    outcome = module_graph.import_lines(
        [{"kind": "role", "person": P, "entity": N, "role": "LEGAL_REPRESENTATIVE", "since": "2025-08-01"}]
    )
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return {"watches": watches, "refused": refused, "after_refusals": after_refusals, "listed": listed}


def _kinds(alerts: list[dict]) -> list[str]:
    return [a["kind"] for a in sorted(alerts, key=lambda a: a["seq"])]


def test_watch_answers_the_subject_and_refuses_an_unknown_one(api, story):
    p = story["watches"]["P"]
    assert p["subject"]["kind"] == "PERSON" and p["subject"]["name"] == "警王"
    assert P not in json.dumps(p)  # the number itself is never answered
    assert story["watches"]["L"]["subject"] == {"kind": "ENTITY", "key": L, "name": "青岛警示商贸有限公司"}
    assert story["watches"]["L"]["events"] == []
    missing = _ok(gql_as(api, WATCHER, WATCH, input={"subject": {"uscc": uscc(89)}}), "watch", "Refusal")
    assert missing["code"] == "NOT_FOUND" and missing["field"] == "subject"
    assert "not in the graph" in missing["message"]
    bad = gql_as(api, WATCHER, WATCH, input={"subject": {"uscc": L}, "events": ["NOPE"]})
    assert bad["errors"]
    listing = gql_as(api, WATCHER, WATCHES)["data"]["watches"]
    assert listing["totalCount"] == 3
    assert gql_as(api, STRANGER, WATCHES)["data"]["watches"]["totalCount"] == 0


def test_watching_a_person_by_number_is_in_the_audit_entry(module_graph, story):
    rows = module_graph.query(
        "MATCH (e:AuditEntry {operation: 'watch', user: 'watcher-1'}) RETURN e.subjects AS subjects"
    )
    person = module_graph.query("MATCH (p:Person {name: '警王'}) RETURN p.idHash AS h")[0]["h"]
    assert sum(person in (r["subjects"] or []) for r in rows) == 1


def test_each_kind_arrives_once_for_the_watcher(story):
    assert story["listed"] == {"__typename": "Listed", "personsBound": 1, "entitiesFlagged": 1}
    alerts = _inbox(WATCHER)
    assert _kinds(alerts) == ["RECORD", "LISTING", "BINDING", "RELATED_LISTED", "RECORD", "REAPPEARANCE"]
    by = {(a["kind"], a["subject"]["key"]): a for a in alerts}
    assert len(by) == 6
    seqs = sorted(a["seq"] for a in alerts)
    assert seqs == sorted(set(seqs))
    first = by["RECORD", L]
    assert first["causeIds"] == ["R1"]
    assert first["path"]["text"] == "青岛警示商贸有限公司 -[HAS_RECORD 2025-06-10..]-> PENALTY R1"
    assert first["reason"].startswith("a record was made about a watched subject: ")
    listing = by["LISTING", L]
    assert [n["key"] for n in listing["path"]["nodes"]] == [L, "L-ALERT", "R1"]
    binding = next(a for a in alerts if a["kind"] == "BINDING")
    assert binding["subject"]["kind"] == "PERSON" and binding["subject"]["name"] == "警王"
    assert [s["relation"] for s in binding["path"]["steps"]] == ["LEGAL_REPRESENTATIVE", "LISTED_ON", "BASED_ON"]
    related = by["RELATED_LISTED", W]
    assert L in [n["key"] for n in related["path"]["nodes"]]
    assert by["RECORD", W]["causeIds"] == ["R2"]
    again = next(a for a in alerts if a["kind"] == "REAPPEARANCE")
    assert again["causeIds"][0].endswith(f"|{N}|LEGAL_REPRESENTATIVE|2025-08-01")
    assert [n["key"] for n in again["path"]["nodes"]][1:] == [N, L, "L-ALERT", "R1"]
    assert again["path"]["text"].startswith("警王 ")


def test_a_refused_write_raises_nothing(story):
    assert story["refused"]["duplicate"]["code"] == "DUPLICATE_ID"
    assert story["refused"]["no basis"]["code"] == "BASIS_NOT_FOUND"
    assert _kinds(story["after_refusals"]) == ["RECORD"]


def test_alerts_reach_no_one_else(module_graph, story):
    assert _inbox(STRANGER) == []
    assert _kinds(_inbox(COLLEAGUE)) == ["REAPPEARANCE"]  # to DEPT, the listing's department
    total = module_graph.query("MATCH (a:Alert) RETURN count(a) AS n")[0]["n"]
    assert total == 6 + 1  # watcher-1's five, DEPT's one, officer-2's one


def test_a_hidden_record_shows_nothing_of_itself(story):
    (alert,) = _inbox(SECOND)
    assert alert["kind"] == "RECORD" and alert["subject"]["key"] == W
    assert alert["causeIds"] == []
    assert [n["key"] for n in alert["path"]["nodes"]] == [W, "UNDISCLOSED"]
    text = json.dumps(alert, ensure_ascii=False)
    assert "R2" not in text and "PENALTY" not in text and "2025-06-10" not in text


def test_acknowledge(api, story):
    alerts = _inbox(WATCHER)
    first = min(alerts, key=lambda a: a["seq"])
    assert gql_as(api, SECOND, ACK, id=first["id"])["data"]["acknowledgeAlert"]["code"] == "NOT_FOUND"
    done = _ok(gql_as(api, WATCHER, ACK, id=first["id"]), "acknowledgeAlert", "Alert")
    assert done["state"] == "ACKNOWLEDGED" and done["acknowledgedAt"]
    again = _ok(gql_as(api, WATCHER, ACK, id=first["id"]), "acknowledgeAlert", "Alert")
    assert again["acknowledgedAt"] == done["acknowledgedAt"]
    assert len(_inbox(WATCHER, only=True)) == len(alerts) - 1
    assert first["id"] not in {a["id"] for a in _inbox(WATCHER, only=True)}


def test_unwatch_stops_alerts(api, story):
    w = story["watches"]["W"]
    assert _ok(gql_as(api, SECOND, UNWATCH, id=w["id"]), "unwatch", "Refusal")["code"] == "NOT_FOUND"
    _ok(gql_as(api, WATCHER, UNWATCH, id=w["id"]), "unwatch", "Watch")
    before = len(_inbox(WATCHER))
    _ok(gql_as(api, WATCHER, RECORD, input=_decision("R3", W)), "recordDecision", "DecisionRecorded")
    assert len(_inbox(WATCHER)) == before
    assert len(_inbox(SECOND)) == 2  # officer-2 still watches W for records
