"""Every mutation sent N times at the same moment (threads on a barrier, each with its own connection,
over HTTP) has exactly one effect; the other copies are the typed refusals the sequential path gives,
never an `errors` entry (issue 11, "Races").

`RULES` says per mutation which rule concurrent copies could break and what enforces it. `RACES` is the
table: per mutation of schema.graphql, the graph it needs (`prepare`, on a wiped
database), the variables of copy i, who sends it, what the one winner answers, which refusal codes the
losers get, a Cypher count of the effect that must be 1 and the number of history entries (Change)
the operation leaves — one copy's worth. `test_every_mutation_has_a_race_case` fails when a mutation
of the schema has no row, so a new mutation cannot be forgotten.

Where copies that differ (another id) are legitimately all allowed, the row says so (`distinct_ok`);
its race is then the one on the shared key, which the database's uniqueness constraint or the lock of
the node the rule is about decides. Worked out from the fixtures of the area's own tests:
- test_linkage's graph without its listing: firm A fined in R1 (2023-10-10, published 2023-10-16);
  listing LX puts A on JOINT_PUNISHMENT from 2024-01-15 to 2026-01-15 on R1, decided by 370200-SCJG,
  with tasks pushed to 370200-CZJ among others; repair may be applied for from 2024-10-16.
- test_decisions' graph: firm FIRM and the departments 370200-SCJG and 370200-SWJ.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import build_schema

from graph_api.domain.industry import example
from tests.conftest import Graph, entity_user, officer
from tests.test_decisions import FIRM, FIRM_LINES
from tests.test_linkage import DEPT, LATE, MID, NEW, OLD, A, build
from tests.test_listings import listing

N = 4
CZJ = "370200-CZJ"
SCHEMA = Path(__file__).resolve().parents[1] / "schema.graphql"
OUTCOME = "__typename ... on Refusal { code message field }"

Vars = dict[str, Any]


def mutation(name: str, params: str, extra: str = "") -> str:
    """`mutation(<params>) { name(<args>) { __typename, a refusal's code } }`, the args named as the params."""
    args = ", ".join(f"{p.split(':')[0].strip()[1:]}: {p.split(':')[0].strip()}" for p in params.split(","))
    return f"mutation({params}) {{ {name}({args}) {{ {OUTCOME} {extra} }} }}"


def send(api: httpx.Client, actor: dict[str, str], document: str, **variables: Any) -> dict[str, Any]:
    response = api.post("/graphql", json={"query": document, "variables": variables}, headers=actor, timeout=180)
    return response.json()


def ok(body: dict[str, Any], typename: str) -> dict[str, Any]:
    assert "errors" not in body, body
    (answer,) = body["data"].values()
    assert answer["__typename"] == typename, body
    return answer


# --- the graphs -----------------------------------------------------------------------------


def firm_graph(api: httpx.Client, graph: Graph) -> Vars:
    assert graph.import_lines(FIRM_LINES).code == 0
    return {}


def linkage_graph(api: httpx.Client, graph: Graph) -> Vars:
    outcome = graph.import_lines(
        [line for line in build() if line["kind"] != "listing"]
        + [
            {"kind": "department", "code": CZJ, "name": "青岛市财政局", "region": "370200"},
            {"kind": "department", "code": "370200-SWJ", "name": "青岛市税务局", "region": "370200"},
        ]
    )
    assert outcome.code == 0, outcome.rejects
    return {}


LIST = mutation("listSubject", "$input: ListingInput!")


def listed_graph(api: httpx.Client, graph: Graph) -> Vars:
    linkage_graph(api, graph)
    ok(send(api, officer(DEPT), LIST, input=listing()), "Listed")
    return {}


def with_decision(api: httpx.Client, graph: Graph) -> Vars:
    firm_graph(api, graph)
    ok(send(api, officer(DEPT), RECORD, input=decision("RP1")), "DecisionRecorded")
    return {}


def with_task(api: httpx.Client, graph: Graph) -> Vars:
    listed_graph(api, graph)
    rows = graph.query("MATCH (t:Task {executor: $d}) RETURN t.id AS id ORDER BY id LIMIT 1", d=CZJ)
    return {"task": rows[0]["id"]}


def with_commitment(api: httpx.Client, graph: Graph) -> Vars:
    firm_graph(api, graph)
    ok(send(api, entity_user(FIRM), MAKE, input=commitment("C1")), "CommitmentMade")
    return {}


def with_roster(api: httpx.Client, graph: Graph) -> Vars:
    firm_graph(api, graph)
    for i in ("I1", "I2"):
        ok(send(api, officer(DEPT), REGISTER, id=i, name=f"检查员{i}"), "InspectorRegistered")
    return {}


def with_linkage_roster(api: httpx.Client, graph: Graph) -> Vars:
    linkage_graph(api, graph)
    ok(send(api, officer(DEPT), REGISTER, id="I1", name="检查员I1"), "InspectorRegistered")
    return {}


def with_scheme(api: httpx.Client, graph: Graph) -> Vars:
    firm_graph(api, graph)
    ok(send(api, officer(DEPT), DEFINE_SCHEME, id="S1", rules=example()), "IndustrySchemeDefined")
    return {}


def with_evaluation(api: httpx.Client, graph: Graph) -> Vars:
    with_scheme(api, graph)
    ok(send(api, officer(DEPT), EVALUATE, scheme="S1", asOf="2026-01-01"), "IndustryEvaluated")
    return {}


def with_application(api: httpx.Client, graph: Graph) -> Vars:
    listed_graph(api, graph)
    made = ok(send(api, entity_user(A), APPLY, input=application()), "RepairApplication")
    return {"application": made["id"]}


def with_objection(api: httpx.Client, graph: Graph) -> Vars:
    listed_graph(api, graph)
    made = ok(send(api, entity_user(A), RAISE, input=objection()), "Objection")
    return {"objection": made["id"]}


# --- the documents and inputs -----------------------------------------------------------------

RECORD = mutation("recordDecision", "$input: DecisionInput!")
PUBLISH = mutation("publishRecord", "$id: String!, $publishedOn: Date")
DELIST = mutation("delist", "$listing: String!, $reason: String!, $on: Date")
REPORT = mutation("reportExecution", "$task: String!, $outcome: TaskOutcome!, $on: Date")
MAKE = mutation("makeCommitment", "$input: CommitmentInput!")
FULFIL = mutation("fulfilCommitment", "$id: String!, $on: Date")
BREACH = mutation("breachCommitment", "$id: String!, $summary: String!, $severity: Severity!, $on: Date")
INTERVIEW = mutation("recordInterview", "$input: InterviewInput!")
REGISTER = mutation("registerInspector", "$id: String!, $name: String!")
DRAW = mutation("drawInspection", "$input: DrawInput!")
LINK = mutation("linkInspector", "$id: String!, $person: SubjectInput!")
RELATIVE = mutation("declareRelative", "$person: SubjectInput!, $relative: SubjectInput!")
DEFINE_SCHEME = mutation("defineIndustryScheme", "$id: String!, $rules: String!")
EVALUATE = mutation("evaluateIndustry", "$scheme: String!, $asOf: Date!")
PUBLISH_EVALUATION = mutation("publishIndustryEvaluation", "$id: String!")
APPLY = mutation("applyForRepair", "$input: RepairInput!", "... on RepairApplication { id }")
DECIDE = mutation("decideRepair", "$id: String!, $approve: Boolean!, $reason: String, $on: Date")
RAISE = mutation("raiseObjection", "$input: ObjectionInput!", "... on Objection { id }")
ANSWER = mutation(
    "answerObjection", "$id: String!, $upheld: Boolean!, $answer: String!, $correction: CorrectionInput, $on: Date"
)


def decision(record_id: str) -> Vars:
    return {
        "subject": {"uscc": FIRM},
        "category": "PENALTY",
        "severity": "GENERAL",
        "decidedOn": "2024-03-01",
        "id": record_id,
    }


def commitment(commitment_id: str) -> Vars:
    return {
        "id": commitment_id,
        "type": "APPROVAL_SUBSTITUTION",
        "matter": "三个月内补交消防验收合格证明",
        "madeOn": "2024-06-01",
        "dueOn": "2024-08-31",
        "department": DEPT,
    }


def application() -> Vars:
    return {
        "target": {"listing": "LX"},
        "methods": ["RECTIFICATION"],
        "evidence": ["整改报告"],
        "appliedOn": "2024-11-01",
    }


def objection() -> Vars:
    return {"target": {"record": "R1"}, "reason": "处罚认定的事实有误", "raisedOn": "2024-03-01"}


def count(label_and_filter: str) -> str:
    return f"MATCH {label_and_filter} RETURN count(*) AS n"


@dataclass(frozen=True)
class Race:
    prepare: Callable[[httpx.Client, Graph], Vars]
    document: str
    variables: Callable[[int, Vars], Vars]
    won: str  # the winner's __typename
    refused: frozenset[str]  # the losers' refusal codes
    effect: str  # a count that is 1 after the race
    changes: int  # Change entries of the operation: one copy's
    actor: Callable[[int], dict[str, str]] = field(default=lambda i: officer(DEPT, f"officer-{i}"))
    distinct_ok: str | None = None  # why copies with distinct keys are all allowed, when they are
    all_win: bool = False  # an idempotent change: every copy succeeds, and the effect is still one


def refused(*codes: str) -> frozenset[str]:
    return frozenset(codes)


WATCHER = officer(DEPT, "watcher")
WATCH_DOC = mutation("watch", "$input: WatchInput!")
UNWATCH_DOC = mutation("unwatch", "$id: ID!")
ACK_DOC = mutation("acknowledgeAlert", "$id: ID!")
CERTIFY_DOC = mutation("certifyChecks", "$input: CertifyInput!")
# N certificates issued at once form one chain: N distinct places, each linked to a distinct predecessor
CHAINED = (
    "MATCH (c:Certificate) WITH count(c) AS n, count(DISTINCT c.seq) AS seqs, count(DISTINCT c.prevHash) AS prevs "
    f"RETURN CASE WHEN n = {N} AND seqs = {N} AND prevs = {N} THEN 1 ELSE 0 END AS n"
)
SCREEN_DECIDE = mutation("decideScreenMatch", "$name: String!, $candidate: ID!, $decision: ScreenMatchDecision!")


def _watched(api: httpx.Client, graph: Graph) -> Vars:
    firm_graph(api, graph)
    body = send(
        api,
        WATCHER,
        "mutation($i: WatchInput!) { watch(input: $i) { ... on Watch { id } } }",
        i={"subject": {"uscc": FIRM}},
    )
    return {"watch": body["data"]["watch"]["id"]}


def _alerted(api: httpx.Client, graph: Graph) -> Vars:
    context = _watched(api, graph)
    assert "errors" not in send(api, officer(DEPT, "officer-x"), RECORD, input=decision("RW1")), "record"
    alerts = send(api, WATCHER, "{ alerts(first: 5) { nodes { id } } }")["data"]["alerts"]["nodes"]
    assert len(alerts) == 1, alerts
    return {**context, "alert": alerts[0]["id"]}


REGISTER_DOC = mutation("registerWebhook", "$input: WebhookInput!")
HOOK = {"url": "https://receiver.example.gov.cn/hook"}


def _hooked(api: httpx.Client, graph: Graph) -> Vars:
    firm_graph(api, graph)
    body = send(
        api,
        WATCHER,
        "mutation($i: WebhookInput!) { registerWebhook(input: $i) { ... on RegisteredWebhook { webhook { id } } } }",
        i=HOOK,
    )
    return {"webhook": body["data"]["registerWebhook"]["webhook"]["id"]}


def _dead_delivery(api: httpx.Client, graph: Graph) -> Vars:
    """A delivery the dispatcher gave up on, as webhook_record leaves it (written here: a dead one needs a
    receiver failing max_failures times, which tests/test_webhooks.py shows)."""
    context = _hooked(api, graph)
    graph.query(
        "CREATE (:WebhookDelivery {id: 'WD1', webhook: $w, alert: 'A1', seq: 1, kind: 'REAPPEARANCE', state: 'DEAD', "
        "attempts: 8, failures: 8, createdAt: datetime()})",
        w=context["webhook"],
    )
    return {**context, "delivery": "WD1"}


def _candidate(api: httpx.Client, graph: Graph) -> Vars:
    firm_graph(api, graph)
    return {
        "candidate": send(api, WATCHER, "query($u: USCC!) { entity(uscc: $u) { id } }", u=FIRM)["data"]["entity"]["id"]
    }


RACES: dict[str, Race] = {
    "recordDecision": Race(
        firm_graph,
        RECORD,
        lambda i, c: {"input": decision("RSAME")},
        "DecisionRecorded",
        refused("DUPLICATE_ID"),
        count("(:Record {id: 'RSAME'})"),
        1,
        distinct_ok="two decisions with distinct ids are two decisions: a subject may be penalised twice",
    ),
    "publishRecord": Race(
        with_decision,
        PUBLISH,
        lambda i, c: {"id": "RP1", "publishedOn": "2024-03-05"},
        "RecordPublished",
        refused("ALREADY_PUBLISHED"),
        count("(:Record {id: 'RP1', publishedOn: date('2024-03-05')})"),
        1,
    ),
    "listSubject": Race(
        linkage_graph,
        LIST,
        lambda i, c: {"input": listing(id=f"LR{i}")},
        "Listed",
        refused("ALREADY_LISTED"),
        count("(:Entity)-[:LISTED_ON]->(:Listing {list: 'JOINT_PUNISHMENT'})"),
        1,
    ),
    "delist": Race(
        listed_graph,
        DELIST,
        lambda i, c: {"listing": "LX", "reason": f"整改到位 {i}", "on": "2024-06-01"},
        "ListingEnded",
        refused("ALREADY_ENDED"),
        count("(:Listing {id: 'LX', status: 'DELISTED'})"),
        1,
    ),
    "reportExecution": Race(
        with_task,
        REPORT,
        lambda i, c: {"task": c["task"], "outcome": "EXECUTED", "on": "2024-01-20"},
        "Task",
        refused("ALREADY_REPORTED"),
        count("(:Task {status: 'EXECUTED'})"),
        1,
        actor=lambda i: officer(CZJ, f"officer-{i}"),
    ),
    "makeCommitment": Race(
        firm_graph,
        MAKE,
        lambda i, c: {"input": commitment("CSAME")},
        "CommitmentMade",
        refused("DUPLICATE_ID"),
        count("(:Commitment {id: 'CSAME'})"),
        1,
        actor=lambda i: entity_user(FIRM, f"entity-user-{i}"),
        distinct_ok="an entity may make many commitments to one department: distinct ids are distinct commitments",
    ),
    "fulfilCommitment": Race(
        with_commitment,
        FULFIL,
        lambda i, c: {"id": "C1", "on": "2024-07-01"},
        "CommitmentFulfilled",
        refused("ALREADY_CLOSED"),
        count("(:Commitment {id: 'C1', status: 'FULFILLED'})"),
        1,
    ),
    "breachCommitment": Race(
        with_commitment,
        BREACH,
        lambda i, c: {"id": "C1", "summary": f"未履行 {i}", "severity": "MINOR", "on": "2024-09-02"},
        "CommitmentBreached",
        refused("ALREADY_CLOSED"),
        count("(:Record {category: 'COMMITMENT_BREACH'})"),
        2,
    ),
    "recordInterview": Race(
        listed_graph,
        INTERVIEW,
        lambda i, c: {"input": {"listing": "LX", "heldOn": "2024-05-06", "summary": f"约谈 {i}", "severity": "MINOR"}},
        "InterviewRecorded",
        refused("ALREADY_INTERVIEWED"),
        count("(:Listing)-[:INTERVIEW]->(:Record)"),
        1,
        distinct_ok="interviews of one listing on distinct days are distinct interviews",
    ),
    "registerInspector": Race(
        firm_graph,
        REGISTER,
        lambda i, c: {"id": "ISAME", "name": f"检查员{i}"},
        "InspectorRegistered",
        refused("DUPLICATE_ID"),
        count("(:Inspector {id: 'ISAME'})"),
        1,
        distinct_ok="a roster has many inspectors: distinct ids are distinct inspectors",
    ),
    "drawInspection": Race(
        with_roster,
        DRAW,
        lambda i, c: {"input": {"period": "2024-Q2", "seed": f"seed-{i}", "asOf": "2024-06-30"}},
        "DrawMade",
        refused("ALREADY_DRAWN"),
        count("(:Draw)"),
        1,
        distinct_ok="draws of distinct periods or regions are distinct draws; one period and region is drawn once",
    ),
    "linkInspector": Race(
        with_linkage_roster,
        LINK,
        lambda i, c: {"id": "I1", "person": {"idNumber": (OLD, MID, NEW, LATE)[i % 4]}},
        "InspectorLinked",
        refused("ALREADY_LINKED"),
        count("(:Inspector)-[:IS_PERSON]->(:Person)"),
        1,
    ),
    "declareRelative": Race(
        linkage_graph,
        RELATIVE,
        lambda i, c: {"person": {"idNumber": (OLD, MID)[i % 2]}, "relative": {"idNumber": (MID, OLD)[i % 2]}},
        "RelativeDeclared",
        refused("ALREADY_DECLARED"),
        count("(:Person)-[:RELATIVE_OF]->(:Person)"),
        1,
    ),
    "defineIndustryScheme": Race(
        firm_graph,
        DEFINE_SCHEME,
        lambda i, c: {"id": "S1", "rules": example()},
        "IndustrySchemeDefined",
        refused(),
        count("(:IndustryScheme {id: 'S1'})"),
        1,
        all_win=True,
        distinct_ok="distinct rules are distinct versions, numbered in the order the department lock gives",
    ),
    "evaluateIndustry": Race(
        with_scheme,
        EVALUATE,
        lambda i, c: {"scheme": "S1", "asOf": "2026-01-01"},
        "IndustryEvaluated",
        refused("DUPLICATE_ID"),
        count("(:IndustryEvaluation)"),
        1,
    ),
    "publishIndustryEvaluation": Race(
        with_evaluation,
        PUBLISH_EVALUATION,
        lambda i, c: {"id": "S1@1/2026-01-01"},
        "IndustryEvaluationPublished",
        refused("ALREADY_PUBLISHED"),
        count("(:IndustryEvaluation {status: 'PUBLISHED'})"),
        1,
    ),
    "applyForRepair": Race(
        listed_graph,
        APPLY,
        lambda i, c: {"input": application()},
        "RepairApplication",
        refused("REPAIR_PENDING"),
        count("(:RepairApplication)"),
        1,
        actor=lambda i: entity_user(A, f"entity-user-{i}"),
    ),
    "decideRepair": Race(
        with_application,
        DECIDE,
        lambda i, c: {"id": c["application"], "approve": True, "on": "2024-11-05"},
        "RepairDecided",
        refused("ALREADY_DECIDED"),
        count("(:RepairApplication {status: 'APPROVED'})"),
        3,  # the application, LX ended, R1 repaired
    ),
    "raiseObjection": Race(
        listed_graph,
        RAISE,
        lambda i, c: {"input": objection()},
        "Objection",
        refused("OBJECTION_OPEN"),
        count("(:Objection)"),
        1,
        actor=lambda i: entity_user(A, f"entity-user-{i}"),
    ),
    "answerObjection": Race(
        with_objection,
        ANSWER,
        lambda i, c: {
            "id": c["objection"],
            "upheld": True,
            "answer": f"撤销 {i}",
            "correction": {"revoke": True},
            "on": "2024-03-05",
        },
        "ObjectionAnswered",
        refused("ALREADY_ANSWERED"),
        count("(:Listing {id: 'LX', status: 'WITHDRAWN'})"),
        4,  # the objection, R1 revoked, LX's basis withdrawn, LX withdrawn
    ),
    "watch": Race(
        firm_graph,
        WATCH_DOC,
        lambda i, c: {"input": {"subject": {"uscc": FIRM}, "events": ["RECORD"]}},
        "Watch",
        refused(),
        count("(:Watch {status: 'ACTIVE'})"),
        N,
        actor=lambda i: WATCHER,
        all_win=True,
    ),
    "unwatch": Race(
        _watched,
        UNWATCH_DOC,
        lambda i, c: {"id": c["watch"]},
        "Watch",
        refused(),
        count("(:Watch {status: 'ENDED'})"),
        N,  # each copy records its call; the watch is ended once
        actor=lambda i: WATCHER,
        all_win=True,
    ),
    "registerWebhook": Race(
        firm_graph,
        REGISTER_DOC,
        lambda i, c: {"input": HOOK},
        "RegisteredWebhook",
        refused("ALREADY_REGISTERED"),
        count("(:Webhook {status: 'ACTIVE'})"),
        1,
    ),
    "removeWebhook": Race(
        _hooked,
        mutation("removeWebhook", "$id: ID!"),
        lambda i, c: {"id": c["webhook"]},
        "Webhook",
        refused("NOT_FOUND"),
        count("(:Webhook {status: 'REMOVED'})"),
        1,
    ),
    "retryWebhookDelivery": Race(
        _dead_delivery,
        mutation("retryWebhookDelivery", "$id: ID!"),
        lambda i, c: {"id": c["delivery"]},
        "WebhookDelivery",
        refused("NOT_FOUND"),
        count("(:WebhookDelivery {state: 'PENDING'})"),
        1,
    ),
    "acknowledgeAlert": Race(
        _alerted,
        ACK_DOC,
        lambda i, c: {"id": c["alert"]},
        "Alert",
        refused(),
        count("(:Alert {state: 'ACKNOWLEDGED'})"),
        0,  # an acknowledgement is the reader's own state, not a change of the graph's facts
        actor=lambda i: WATCHER,
        all_win=True,
    ),
    "decideScreenMatch": Race(
        _candidate,
        SCREEN_DECIDE,
        lambda i, c: {"name": "青岛测试商贸有限公司", "candidate": c["candidate"], "decision": "NOT_A_MATCH"},
        "ScreenMatchDecided",
        refused(),
        count("(:ScreenDecision)"),
        0,  # recorded in the audit trail, not as a Change
        all_win=True,
    ),
    "certifyChecks": Race(
        firm_graph,
        CERTIFY_DOC,
        lambda i, c: {"input": {"scenario": "BIDDING", "subject": {"uscc": FIRM}, "purpose": "招标资格审查"}},
        "ChecksCertificate",
        refused(),
        CHAINED,
        N,  # each copy issues its own certificate
        all_win=True,
    ),
}


# The rule two copies at once could break, and what enforces it (a `*_lock` statement SETs a property of the
# node before anything is read, so the second writer waits and then reads what the first committed).
RULES: dict[str, str] = {
    "recordDecision": "one record per id: the uniqueness constraint record_id (ConstraintError -> DUPLICATE_ID)",
    "publishRecord": "published once: record_lock, then ALREADY_PUBLISHED",
    "listSubject": "one listing in force per subject and list, on basis records in force: listing_subject_lock, "
    "then listing_basis_lock (an objection or a repair on a basis at once is seen), ALREADY_LISTED",
    "delist": "ended once: listing_lock, ALREADY_ENDED; listing_tasks_lock keeps a task reported at once as reported",
    "reportExecution": "one report per task: task_lock, ALREADY_REPORTED",
    "makeCommitment": "one commitment per id: the uniqueness constraint commitment_id, DUPLICATE_ID",
    "fulfilCommitment": "closed once, fulfilled or breached: commitment_lock, ALREADY_CLOSED",
    "breachCommitment": "closed once, one breach record: commitment_lock, ALREADY_CLOSED",
    "recordInterview": "one interview per listing and day, while in force: interview_listing_lock, ALREADY_INTERVIEWED",
    "registerInspector": "one inspector per id: the uniqueness constraint inspector_id, DUPLICATE_ID",
    "drawInspection": "one draw per department, period and region: draw_context locks the department, ALREADY_DRAWN "
    "(and the constraint draw_id)",
    "linkInspector": "one person per inspector: inspector_link_lock locks the inspector, ALREADY_LINKED",
    "declareRelative": "one declaration per pair: relative_lock locks both persons in key order, ALREADY_DECLARED",
    "defineIndustryScheme": "one version per distinct rules: industry_scheme_lock locks the department; the same "
    "rules again answer the latest version",
    "evaluateIndustry": "one evaluation per scheme version and day: industry_scheme_version_lock, DUPLICATE_ID",
    "publishIndustryEvaluation": "published once: industry_evaluation_lock, ALREADY_PUBLISHED",
    "applyForRepair": "one pending application per target: target_context locks the target, REPAIR_PENDING",
    "decideRepair": "decided once: repair_lock, ALREADY_DECIDED; the records then the target locked before they are "
    "read (target_records_lock, target_context), the listings on the records before their bases are judged "
    "(basis_listings_lock)",
    "raiseObjection": "one open objection per target: target_context locks the target, OBJECTION_OPEN",
    "watch": "one active watch per user and subject: watch_upsert locks the subject before reading the user's watches",
    "unwatch": "ended once: the first ends it, the others answer the ended watch (each call is recorded)",
    "acknowledgeAlert": "acknowledged once: the first time stays (coalesce), every copy answers the alert",
    "registerWebhook": "one active webhook per department and URL: webhook_create locks the department, "
    "ALREADY_REGISTERED",
    "removeWebhook": "removed once: webhook_remove locks the webhook before reading its status, NOT_FOUND",
    "retryWebhookDelivery": "put back once: webhook_delivery_requeue locks the delivery before reading its state, "
    "NOT_FOUND",
    "decideScreenMatch": "one decision per name and candidate: the constraint screen_decision_key under MERGE",
    "certifyChecks": "one chain of certificates: certificate_lock_head locks the chain head before anything is read, "
    "so certificates issued at once take distinct places, each linked to the one before",
    "answerObjection": "answered once: objection_lock, ALREADY_ANSWERED; the record, then the listings resting on it "
    "(basis_listings_lock), so two bases withdrawn at once withdraw their listing",
}


def test_every_mutation_has_a_race_case():
    mutations = build_schema(SCHEMA.read_text(encoding="utf-8")).mutation_type
    assert mutations is not None
    assert sorted(set(mutations.fields) - set(RACES)) == [], "mutations without a race case in RACES"
    assert sorted(set(RACES) - set(mutations.fields)) == [], "race cases of mutations the schema does not have"
    assert set(RULES) == set(RACES), "every race case names its rule and what enforces it"


def at_once(api: httpx.Client, calls: list[tuple[dict[str, str], str, Vars]]) -> list[dict[str, Any]]:
    """Send every (actor, document, variables) at the same moment, each on its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[dict[str, Any]] = [{} for _ in calls]

    def call(i: int) -> None:
        actor, document, variables = calls[i]
        with httpx.Client(base_url=api.base_url, timeout=180) as client:
            barrier.wait()
            results[i] = send(client, actor, document, **variables)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def operation_changes(graph: Graph, operation: str) -> int:
    return graph.query("MATCH (c:Change {operation: $op}) RETURN count(c) AS n", op=operation)[0]["n"]


@pytest.mark.parametrize("name", sorted(RACES))
def test_copies_at_once_have_one_effect(api, graph, name):
    race = RACES[name]
    context = race.prepare(api, graph)
    before = operation_changes(graph, name)
    results = at_once(api, [(race.actor(i), race.document, race.variables(i, context)) for i in range(N)])
    assert all("errors" not in r for r in results), results
    answers = [r["data"][name] for r in results]
    losers = 0 if race.all_win else N - 1
    assert sorted(a["__typename"] for a in answers) == sorted([race.won] * (N - losers) + ["Refusal"] * losers), answers
    assert {a["code"] for a in answers if a["__typename"] == "Refusal"} <= race.refused, answers
    assert graph.query(race.effect)[0]["n"] == 1, race.effect
    assert operation_changes(graph, name) - before == race.changes
