"""The permission matrix (README, "Access, privacy and audit"), root field by root field and role by role
(personal data type by type: test_personal_data.py, on the same graph).

The graph, built by hand:
    departments DEPT 370200-SCJG (the department concerned by everything below) and OTHER 370200-SWJ
    FIRM (青岛矩阵测试有限公司), FIRM2 (青岛矩阵二号有限公司), STRANGER (an entity with its own user, no ties)
    BOSS 欧阳矩阵: legal representative of FIRM since 2015-01-01 and of FIRM2 since 2020-01-01; holds 60% of FIRM
    FIRM holds 70% of FIRM2 since 2020-01-01
    HEIR 司马测验: no roles; record R3 (PENALTY SERIOUS by DEPT, decided 2023-10-10, published 2023-10-12)
    R1 on FIRM: PENALTY SERIOUS by DEPT, decided 2023-10-10, published 2023-10-12, PUBLIC
    R2 on FIRM: PENALTY GENERAL by DEPT, decided 2026-01-05, unpublished (overdue), SHARED (so another
    department's officer sees it and is refused NOT_YOUR_DEPARTMENT; of a RESTRICTED one it would hear
    NOT_FOUND, as tests/test_hidden_by_reference.py checks)
    commitments C1, C2 of FIRM made to DEPT on 2025-01-01, due 2027-01-01
Then, as the officer of DEPT: LF lists FIRM on JOINT_PUNISHMENT on R1 from 2024-01-15 (rectify by 2024-04-15),
which binds BOSS (legal representative since before the window) and pushes tasks, among them
INCREASED_INSPECTION to 370200-SCJG = DEPT; LP lists HEIR on KEY_ATTENTION on R3 (rectify by 2024-04-15);
FIRM's user applies for repair of LF and objects to R1.

Roles: the public; the entity user of FIRM (the subject) and of STRANGER; an officer of DEPT and of
OTHER; an investigator with and without a purpose; a sanctions officer with a purpose; an administrator.

Worked by hand from the README matrix and the role checks of each resolver (QUERY_CASES, MUTATION_CASES):
- the entity, search, listing, linkage (by entity), grade and public-record fields answer everyone;
- a person named by identity number (person, exposure, paths, eligibility, neighborhood, changeLog,
  repairApplications, objections of a person) is UNAUTHENTICATED for the public, FORBIDDEN for entity
  users, and PURPOSE_REQUIRED for the investigator without a purpose;
- working lists are for staff (officers, investigators, sanctions officers, administrators), an officer
  only its own department's (FORBIDDEN, reason NOT_YOUR_DEPARTMENT, for the officer of OTHER); change logs
  are for staff, and an entity user reads its own repair applications and objections;
- auditLog is for administrators only;
- the alerts subscription (over a real WebSocket, graphql-transport-ws) is the inbox's: staff only; the public's
  connection is refused at connection_init (close 4403, the protocol's UNAUTHENTICATED), an entity user's
  subscription is FORBIDDEN. So that an allowed one answers at once, each staff role watches WATCHED, an
  entity imported with a PUBLIC record R4 about it: the subscription from seq 0 brings R4's alert first;
- mutations: an officer acts for its own department — the officer of OTHER gets the Refusal
  NOT_YOUR_DEPARTMENT on DEPT's records, listings, tasks, commitments, applications and objections,
  but may record its own decisions, listings and inspectors; makeCommitment is for entity users; repair
  applications and objections about an entity are filed by its own user (another entity's user gets
  NOT_YOUR_SUBJECT; officers, whose filing on a person's behalf is for person subjects, FORBIDDEN).
  A mutation refused or denied writes nothing: the graph's counts (audit entries included) stay the same.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from graphql import build_schema
from websockets.exceptions import ConnectionClosed

from graph_api.api.graphql.global_id import GlobalIds
from graph_api.settings import Settings
from graph_api.store.pii import IdProtector
from tests.conftest import ROOT, gql_as, investigator, officer, token
from tests.test_linkage import ric, uscc
from tests.test_subscriptions import Socket

DEPT, OTHER = "370200-SCJG", "370200-SWJ"
FIRM, FIRM2, STRANGER, WATCHED = uscc(401), uscc(402), uscc(403), uscc(404)
BOSS, HEIR = ric(401), ric(402)
BOSS_NAME, HEIR_NAME = "欧阳矩阵", "司马测验"
BOSS_MASKED_NAME, HEIR_MASKED_NAME = "欧***", "司***"

ROLES: dict[str, dict[str, str]] = {
    "public": {},
    "entity_own": token("ENTITY", "matrix-entity-own", uscc=FIRM),
    "entity_other": token("ENTITY", "matrix-entity-other", uscc=STRANGER),
    "officer": officer(DEPT, "matrix-officer"),
    "officer_other": officer(OTHER, "matrix-officer-other"),
    "investigator": investigator("matrix-investigator", purpose="矩阵 案件核查"),
    "investigator_no_purpose": token("INVESTIGATOR", "matrix-investigator-2"),
    "sanctions": {**token("SANCTIONS", "matrix-sanctions"), "x-purpose": quote("惩戒决定前核查")},
    "admin": token("ADMIN", "matrix-admin"),
}
PURPOSE_READERS = ("investigator", "sanctions")

# Outcome classes: OK (through authorization: data, or NOT_FOUND / BAD_USER_INPUT / a Refusal other than
# the two below), UNAUTH, FORBIDDEN, PURPOSE (FORBIDDEN with reason PURPOSE_REQUIRED), NOT_YOURS (the
# Refusal NOT_YOUR_DEPARTMENT or NOT_YOUR_SUBJECT: the role may act, but not on someone else's object).
# A row lists the outcome of each role in the order of ROLES.
EVERYONE = "OK OK OK OK OK OK OK OK OK"
PERSONAL = "UNAUTH FORBIDDEN FORBIDDEN OK OK OK PURPOSE OK OK"
STAFF = "UNAUTH FORBIDDEN FORBIDDEN OK OK OK OK OK OK"
DEPARTMENT_STAFF = "UNAUTH FORBIDDEN FORBIDDEN OK FORBIDDEN OK OK OK OK"  # an officer reads its own department's lists
STAFF_OR_OWN_ENTITY = "UNAUTH OK FORBIDDEN OK OK OK OK OK OK"
ADMIN_ONLY = "UNAUTH FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN OK"
ANY_OFFICER = "UNAUTH FORBIDDEN FORBIDDEN OK OK FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN"
DEPARTMENT_OFFICER = "UNAUTH FORBIDDEN FORBIDDEN OK NOT_YOURS FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN"
ENTITY_USERS = "UNAUTH OK OK FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN"
OWN_ENTITY_FILES = "UNAUTH OK NOT_YOURS FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN"

E = {"uscc": FIRM}
P = {"idNumber": BOSS}
# Global ids as the served settings (the tests') seal them: a person's opens like its number.
_IDS = GlobalIds(Settings().id_encryption_key.get_secret_value())
FIRM_ID = _IDS.encode("Entity", FIRM)
BOSS_ID = _IDS.encode("Person", IdProtector.from_settings(Settings()).hash(BOSS))

# Every root field: (case name, root field, document, variables, expected row). A field whose check depends
# on its arguments (a subject by USCC or by identity number) has a case for each.
QUERY_CASES: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("entity", "entity", "query($u: USCC!) { entity(uscc: $u) { name } }", {"u": FIRM}, EVERYONE),
    ("person", "person", "query($n: String!) { person(idNumber: $n) { name } }", {"n": BOSS}, PERSONAL),
    ("exposure/entity", "exposure", "query($s: SubjectInput!) { exposure(subject: $s) { asOf } }", {"s": E}, EVERYONE),
    ("exposure/person", "exposure", "query($s: SubjectInput!) { exposure(subject: $s) { asOf } }", {"s": P}, PERSONAL),
    ("listingImpact", "listingImpact", '{ listingImpact(listing: "LF") { inForce } }', {}, EVERYONE),
    ("controllers", "controllers", "query($u: USCC!) { controllers(uscc: $u) { asOf } }", {"u": FIRM2}, EVERYONE),
    (
        "ownershipExport",
        "ownershipExport",
        "query($u: USCC!) { ownershipExport(uscc: $u, format: BODS) { mediaType } }",
        {"u": FIRM2},
        EVERYONE,
    ),
    ("search", "search", '{ search(query: "矩阵") { edges { cursor } } }', {}, EVERYONE),
    ("department", "department", "query($d: String!) { department(code: $d) { name } }", {"d": DEPT}, EVERYONE),
    ("node/entity", "node", "query($i: ID!) { node(id: $i) { id } }", {"i": FIRM_ID}, EVERYONE),
    ("node/person", "node", "query($i: ID!) { node(id: $i) { id } }", {"i": BOSS_ID}, PERSONAL),
    ("nodes/entity", "nodes", "query($i: [ID!]!) { nodes(ids: $i) { id } }", {"i": [FIRM_ID]}, EVERYONE),
    ("viewer", "viewer", "{ viewer { role } }", {}, EVERYONE),
    ("watches", "watches", "{ watches { totalCount } }", {}, STAFF),
    ("alerts", "alerts", "{ alerts { totalCount } }", {}, STAFF),
    ("webhooks", "webhooks", "{ webhooks { totalCount } }", {}, ANY_OFFICER),
    (
        "webhookDeliveries",
        "webhookDeliveries",
        '{ webhookDeliveries(webhook: "no-such-webhook") { totalCount } }',
        {},
        ANY_OFFICER,
    ),
    (
        "exposure/person by id",
        "exposure",
        "query($s: SubjectInput!) { exposure(subject: $s) { asOf } }",
        {"s": {"id": BOSS_ID}},
        PERSONAL,
    ),
    (
        "paths/entity",
        "paths",
        "query($a: SubjectInput!, $b: SubjectInput!) { paths(from: $a, to: $b) { text } }",
        {"a": E, "b": {"uscc": FIRM2}},
        EVERYONE,
    ),
    (
        "paths/person",
        "paths",
        "query($a: SubjectInput!, $b: SubjectInput!) { paths(from: $a, to: $b) { text } }",
        {"a": P, "b": {"uscc": FIRM2}},
        PERSONAL,
    ),
    (
        "eligibility/entity",
        "eligibility",
        "query($s: SubjectInput!) { eligibility(subject: $s, scenario: BIDDING) { allowed } }",
        {"s": E},
        EVERYONE,
    ),
    (
        "eligibility/person",
        "eligibility",
        "query($s: SubjectInput!) { eligibility(subject: $s, scenario: BIDDING) { allowed } }",
        {"s": P},
        PERSONAL,
    ),
    (
        # a person by number is checked per item (the item's error), so the field itself is everyone's
        "screen",
        "screen",
        "query($s: [ScreenSubjectInput!]!) { screen(subjects: $s, scenario: BIDDING) { index } }",
        {"s": [E]},
        EVERYONE,
    ),
    (
        "neighborhood/entity",
        "neighborhood",
        "query($s: SubjectInput!) { neighborhood(node: $s) { center } }",
        {"s": E},
        EVERYONE,
    ),
    (
        "neighborhood/person",
        "neighborhood",
        "query($s: SubjectInput!) { neighborhood(node: $s) { center } }",
        {"s": P},
        PERSONAL,
    ),
    (
        "overduePublications",
        "overduePublications",
        "query($d: String!) { overduePublications(department: $d) { totalCount } }",
        {"d": DEPT},
        DEPARTMENT_STAFF,
    ),
    (
        "changeLog/entity",
        "changeLog",
        "query($s: SubjectInput!) { changeLog(subject: $s) { totalCount } }",
        {"s": E},
        STAFF,
    ),
    (
        "changeLog/person",
        "changeLog",
        "query($s: SubjectInput!) { changeLog(subject: $s) { totalCount } }",
        {"s": P},
        PERSONAL,
    ),
    (
        "tasksToExecute",
        "tasksToExecute",
        "query($d: String!) { tasksToExecute(department: $d) { totalCount } }",
        {"d": DEPT},
        DEPARTMENT_STAFF,
    ),
    (
        "openTasks",
        "openTasks",
        "query($d: String!) { openTasks(department: $d) { totalCount } }",
        {"d": DEPT},
        DEPARTMENT_STAFF,
    ),
    ("auditLog", "auditLog", "{ auditLog(first: 1) { totalCount } }", {}, ADMIN_ONLY),
    (
        "previewListing",
        "previewListing",
        "query($i: ListingInput!) { previewListing(input: $i) { wouldList } }",
        {"i": {"subject": E, "list": "KEY_ATTENTION", "basis": ["R1"], "since": "2024-02-01"}},
        ANY_OFFICER,
    ),
    (
        "verifyCertificate",
        "verifyCertificate",
        '{ verifyCertificate(id: "no-such-certificate") { valid } }',
        {},
        "UNAUTH FORBIDDEN FORBIDDEN OK OK FORBIDDEN FORBIDDEN OK OK",  # officers, sanctions officers, admins
    ),
    (
        "certificates",
        "certificates",
        '{ certificates(decision: "no-such-decision") { hasNextPage } }',
        {},
        "UNAUTH FORBIDDEN FORBIDDEN OK OK FORBIDDEN FORBIDDEN OK OK",
    ),
    (
        "riskScan",
        "riskScan",
        "{ riskScan(kind: CIRCULAR_HOLDING) { totalCount } }",
        {},
        "UNAUTH FORBIDDEN FORBIDDEN FORBIDDEN FORBIDDEN OK OK OK OK",
    ),
    (
        # as screen: a person by number is checked per item
        "changedSince",
        "changedSince",
        'query($s: [ScreenSubjectInput!]!) { changedSince(since: "2020-01-01T00:00:00Z", subjects: $s) { index } }',
        {"s": [E]},
        EVERYONE,
    ),
    (
        "commitments",
        "commitments",
        "query($d: String!) { commitments(department: $d) { totalCount } }",
        {"d": DEPT},
        DEPARTMENT_STAFF,
    ),
    (
        "interviewsDue",
        "interviewsDue",
        "query($d: String!) { interviewsDue(department: $d) { totalCount } }",
        {"d": DEPT},
        DEPARTMENT_STAFF,
    ),
    ("grade", "grade", "query($u: USCC!) { grade(uscc: $u) { grade } }", {"u": FIRM}, EVERYONE),
    ("gradeDistribution", "gradeDistribution", '{ gradeDistribution(region: "370200") { total } }', {}, EVERYONE),
    ("draws", "draws", "query($d: String!) { draws(department: $d) { totalCount } }", {"d": DEPT}, DEPARTMENT_STAFF),
    ("verifyDraw", "verifyDraw", '{ verifyDraw(id: "DR-NONE") { matches } }', {}, STAFF),
    (
        "repairApplications/entity",
        "repairApplications",
        "query($s: SubjectInput!) { repairApplications(subject: $s) { totalCount } }",
        {"s": E},
        STAFF_OR_OWN_ENTITY,
    ),
    (
        "repairApplications/person",
        "repairApplications",
        "query($s: SubjectInput!) { repairApplications(subject: $s) { totalCount } }",
        {"s": P},
        PERSONAL,
    ),
    (
        "overdueObjections",
        "overdueObjections",
        "query($d: String!) { overdueObjections(department: $d) { totalCount } }",
        {"d": DEPT},
        DEPARTMENT_STAFF,
    ),
    (
        "objections/entity",
        "objections",
        "query($s: SubjectInput!) { objections(subject: $s) { totalCount } }",
        {"s": E},
        STAFF_OR_OWN_ENTITY,
    ),
    (
        "objections/person",
        "objections",
        "query($s: SubjectInput!) { objections(subject: $s) { totalCount } }",
        {"s": P},
        PERSONAL,
    ),
    (
        "publicRecords",
        "publicRecords",
        "query($u: USCC!) { publicRecords(uscc: $u) { totalCount } }",
        {"u": FIRM},
        EVERYONE,
    ),
]

_RESULT = "{ __typename ... on Refusal { code } }"
# Mutations, in the order they run (the objects they act on come from the fixture; see the docstring). The
# variables may name {role}: each role acts on its own new object where the mutation creates one.
MUTATION_CASES: list[tuple[str, str, str, dict[str, Any], str]] = [
    (
        "recordDecision",
        "recordDecision",
        "mutation($i: DecisionInput!) { recordDecision(input: $i) %s }" % _RESULT,
        {"i": {"subject": E, "category": "PENALTY", "severity": "MINOR", "decidedOn": "2026-02-02", "id": "D-{role}"}},
        ANY_OFFICER,
    ),
    (
        "publishRecord",
        "publishRecord",
        'mutation { publishRecord(id: "R2", publishedOn: "2026-02-01") %s }' % _RESULT,
        {},
        DEPARTMENT_OFFICER,
    ),
    (
        "listSubject",
        "listSubject",
        "mutation($i: ListingInput!) { listSubject(input: $i) %s }" % _RESULT,
        {"i": {"subject": E, "list": "KEY_ATTENTION", "basis": ["R1"], "since": "2024-02-01", "id": "LK-{role}"}},
        ANY_OFFICER,
    ),
    (
        "recordInterview",
        "recordInterview",
        "mutation($i: InterviewInput!) { recordInterview(input: $i) %s }" % _RESULT,
        {"i": {"listing": "LF", "heldOn": "2024-05-06", "summary": "约谈法定代表人"}},
        DEPARTMENT_OFFICER,
    ),
    (
        "delist",
        "delist",
        'mutation { delist(listing: "LP", reason: "整改完成", on: "2025-06-01") %s }' % _RESULT,
        {},
        DEPARTMENT_OFFICER,
    ),
    (
        "reportExecution",
        "reportExecution",
        "mutation($t: String!) { reportExecution(task: $t, outcome: EXECUTED) %s }" % _RESULT,
        {"t": "{task}"},
        DEPARTMENT_OFFICER,
    ),
    (
        "makeCommitment",
        "makeCommitment",
        "mutation($i: CommitmentInput!) { makeCommitment(input: $i) %s }" % _RESULT,
        {
            "i": {
                "type": "VOLUNTARY",
                "matter": "守法经营",
                "madeOn": "2026-01-10",
                "department": DEPT,
                "id": "C-{role}",
            }
        },
        ENTITY_USERS,
    ),
    (
        "fulfilCommitment",
        "fulfilCommitment",
        'mutation { fulfilCommitment(id: "C1", on: "2026-01-20") %s }' % _RESULT,
        {},
        DEPARTMENT_OFFICER,
    ),
    (
        "breachCommitment",
        "breachCommitment",
        'mutation { breachCommitment(id: "C2", summary: "未履行承诺", severity: MINOR, on: "2026-01-20") %s }'
        % _RESULT,
        {},
        DEPARTMENT_OFFICER,
    ),
    (
        "registerInspector",
        "registerInspector",
        'mutation($id: String!) { registerInspector(id: $id, name: "检查员") %s }' % _RESULT,
        {"id": "I-{role}"},
        ANY_OFFICER,
    ),
    (
        "drawInspection",
        "drawInspection",
        'mutation { drawInspection(input: {period: "2026-Q4", seed: "m"}) %s }' % _RESULT,
        {},
        ANY_OFFICER,
    ),
    (
        "linkInspector",
        "linkInspector",
        # an entity where a person is due: BAD_USER_INPUT before any personal read (which would be audited)
        'mutation($u: USCC!) { linkInspector(id: "no-such-inspector", person: {uscc: $u}) %s }' % _RESULT,
        {"u": FIRM},
        ANY_OFFICER,
    ),
    (
        "declareRelative",
        "declareRelative",
        "mutation($u: USCC!) { declareRelative(person: {uscc: $u}, relative: {uscc: $u}) %s }" % _RESULT,
        {"u": FIRM},
        ANY_OFFICER,
    ),
    (
        "defineIndustryScheme",
        "defineIndustryScheme",
        'mutation { defineIndustryScheme(id: "S-matrix", rules: "{}") %s }' % _RESULT,
        {},
        ANY_OFFICER,
    ),
    (
        "evaluateIndustry",
        "evaluateIndustry",
        'mutation { evaluateIndustry(scheme: "no-such-scheme", asOf: "2026-01-01") %s }' % _RESULT,
        {},
        ANY_OFFICER,
    ),
    (
        "publishIndustryEvaluation",
        "publishIndustryEvaluation",
        'mutation { publishIndustryEvaluation(id: "no-such-evaluation") %s }' % _RESULT,
        {},
        ANY_OFFICER,
    ),
    (
        "applyForRepair",
        "applyForRepair",
        "mutation($i: RepairInput!) { applyForRepair(input: $i) %s }" % _RESULT,
        {"i": {"target": {"record": "R1"}, "methods": ["RECTIFICATION"], "evidence": ["整改报告"]}},
        OWN_ENTITY_FILES,
    ),
    (
        "decideRepair",
        "decideRepair",
        'mutation($id: String!) { decideRepair(id: $id, approve: false, reason: "材料不全") %s }' % _RESULT,
        {"id": "{repair}"},
        DEPARTMENT_OFFICER,
    ),
    (
        "raiseObjection",
        "raiseObjection",
        "mutation($i: ObjectionInput!) { raiseObjection(input: $i) %s }" % _RESULT,
        {"i": {"target": {"record": "R2"}, "reason": "事实有误"}},
        OWN_ENTITY_FILES,
    ),
    (
        "answerObjection",
        "answerObjection",
        'mutation($id: String!) { answerObjection(id: $id, upheld: false, answer: "维持原决定") %s }' % _RESULT,
        {"id": "{objection}"},
        DEPARTMENT_OFFICER,
    ),
    (
        "decideScreenMatch",
        "decideScreenMatch",
        'mutation($c: ID!) { decideScreenMatch(name: "青岛矩阵测试公司", candidate: $c, decision: NOT_A_MATCH) %s }'
        % _RESULT,
        {"c": FIRM_ID},
        "UNAUTH FORBIDDEN FORBIDDEN OK OK FORBIDDEN FORBIDDEN OK FORBIDDEN",  # officers and sanctions officers
    ),
    (
        "watch/entity",
        "watch",
        "mutation($i: WatchInput!) { watch(input: $i) %s }" % _RESULT,
        {"i": {"subject": E}},
        STAFF,
    ),
    (
        "watch/person",
        "watch",
        "mutation($i: WatchInput!) { watch(input: $i) %s }" % _RESULT,
        {"i": {"subject": P, "events": ["REAPPEARANCE"]}},
        PERSONAL,
    ),
    ("unwatch", "unwatch", 'mutation { unwatch(id: "no-such-watch") %s }' % _RESULT, {}, STAFF),
    (
        "certifyChecks",
        "certifyChecks",
        "mutation($i: CertifyInput!) { certifyChecks(input: $i) %s }" % _RESULT,
        {"i": {"scenario": "BIDDING", "subject": E, "purpose": "招标资格审查", "decision": "M-{role}"}},
        "UNAUTH FORBIDDEN FORBIDDEN OK OK FORBIDDEN FORBIDDEN OK FORBIDDEN",  # officers and sanctions officers
    ),
    (
        "acknowledgeAlert",
        "acknowledgeAlert",
        'mutation { acknowledgeAlert(id: "no-such-alert") %s }' % _RESULT,
        {},
        STAFF,
    ),
    (
        "registerWebhook",
        "registerWebhook",
        "mutation($i: WebhookInput!) { registerWebhook(input: $i) %s }" % _RESULT,
        {"i": {"url": "https://receiver.example.gov.cn/hook", "events": ["REAPPEARANCE"]}},
        ANY_OFFICER,  # for the department its credential names
    ),
    (
        "removeWebhook",
        "removeWebhook",
        'mutation { removeWebhook(id: "no-such-webhook") %s }' % _RESULT,
        {},
        ANY_OFFICER,
    ),
    (
        "retryWebhookDelivery",
        "retryWebhookDelivery",
        'mutation { retryWebhookDelivery(id: "no-such-delivery") %s }' % _RESULT,
        {},
        ANY_OFFICER,
    ),
]

SUBSCRIPTION_CASES: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("alerts", "alerts", "subscription { alerts(afterSeq: 0) { kind causeIds } }", {}, STAFF),
]

# The real successes among the OKs above (the other OKs are Refusals for reasons other than ownership:
# ALREADY_LISTED for the second officer, ROSTER_TOO_SMALL for a roster of one).
SUCCESSES = {
    "recordDecision": {"officer": "DecisionRecorded", "officer_other": "DecisionRecorded"},
    "publishRecord": {"officer": "RecordPublished"},
    "listSubject": {"officer": "Listed"},
    "recordInterview": {"officer": "InterviewRecorded"},
    "delist": {"officer": "ListingEnded"},
    "reportExecution": {"officer": "Task"},
    "makeCommitment": {"entity_own": "CommitmentMade", "entity_other": "CommitmentMade"},
    "fulfilCommitment": {"officer": "CommitmentFulfilled"},
    "breachCommitment": {"officer": "CommitmentBreached"},
    "registerInspector": {"officer": "InspectorRegistered", "officer_other": "InspectorRegistered"},
    "drawInspection": {},
    "linkInspector": {},
    "declareRelative": {},
    "defineIndustryScheme": {},
    "evaluateIndustry": {},
    "publishIndustryEvaluation": {},
    "applyForRepair": {"entity_own": "RepairApplication"},
    "decideRepair": {"officer": "RepairDecided"},
    "raiseObjection": {"entity_own": "Objection"},
    "answerObjection": {"officer": "ObjectionAnswered"},
    "decideScreenMatch": {
        "officer": "ScreenMatchDecided",
        "officer_other": "ScreenMatchDecided",
        "sanctions": "ScreenMatchDecided",
    },
    "watch/entity": {
        r: "Watch"
        for r in ("officer", "officer_other", "investigator", "investigator_no_purpose", "sanctions", "admin")
    },
    "watch/person": {r: "Watch" for r in ("officer", "officer_other", "investigator", "sanctions", "admin")},
    "unwatch": {},
    "acknowledgeAlert": {},
    "certifyChecks": {r: "ChecksCertificate" for r in ("officer", "officer_other", "sanctions")},
    "registerWebhook": {"officer": "RegisteredWebhook", "officer_other": "RegisteredWebhook"},
    "removeWebhook": {},
    "retryWebhookDelivery": {},
}


def build_graph(module_graph, api) -> dict[str, Any]:
    """The graph of the docstring; returns the ids the fixture's mutations chose and the graph."""
    lines = [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        {"kind": "department", "code": OTHER, "name": "青岛市税务局", "region": "370200"},
        *(
            {
                "kind": "entity",
                "uscc": u,
                "name": n,
                "form": "COMPANY",
                "status": "ACTIVE",
                "region": "370200",
                "established": "2015-01-01",
            }
            for u, n in (
                (FIRM, "青岛矩阵测试有限公司"),
                (FIRM2, "青岛矩阵二号有限公司"),
                (STRANGER, "青岛无关商贸有限公司"),
            )
        ),
        {"kind": "person", "idNumber": BOSS, "name": BOSS_NAME},
        {"kind": "person", "idNumber": HEIR, "name": HEIR_NAME},
        {"kind": "role", "person": BOSS, "entity": FIRM, "role": "LEGAL_REPRESENTATIVE", "since": "2015-01-01"},
        {"kind": "role", "person": BOSS, "entity": FIRM2, "role": "LEGAL_REPRESENTATIVE", "since": "2020-01-01"},
        {"kind": "holding", "holder": {"person": BOSS}, "entity": FIRM, "ratio": 0.6, "since": "2015-01-01"},
        {"kind": "holding", "holder": {"entity": FIRM}, "entity": FIRM2, "ratio": 0.7, "since": "2020-01-01"},
        {
            "kind": "record",
            "id": "R1",
            "subject": {"entity": FIRM},
            "category": "PENALTY",
            "severity": "SERIOUS",
            "department": DEPT,
            "decidedOn": "2023-10-10",
            "publishedOn": "2023-10-12",
            "disclosure": "PUBLIC",
        },
        {
            "kind": "record",
            "id": "R2",
            "subject": {"entity": FIRM},
            "category": "PENALTY",
            "severity": "GENERAL",
            "department": DEPT,
            "decidedOn": "2026-01-05",
            "disclosure": "SHARED",
        },
        {
            "kind": "record",
            "id": "R3",
            "subject": {"person": HEIR},
            "category": "PENALTY",
            "severity": "SERIOUS",
            "department": DEPT,
            "decidedOn": "2023-10-10",
            "publishedOn": "2023-10-12",
            "disclosure": "PUBLIC",
        },
        *(
            {
                "kind": "commitment",
                "id": c,
                "entity": FIRM,
                "type": "VOLUNTARY",
                "matter": "按期整改",
                "department": DEPT,
                "madeOn": "2025-01-01",
                "dueOn": "2027-01-01",
            }
            for c in ("C1", "C2")
        ),
    ]
    outcome = module_graph.import_lines(lines)
    assert outcome.code == 0, outcome.rejects
    listing = "mutation($i: ListingInput!) { listSubject(input: $i) { __typename ... on Refusal { code message } } }"
    for subject, list_code, basis, listing_id in (
        ({"uscc": FIRM}, "JOINT_PUNISHMENT", "R1", "LF"),
        ({"idNumber": HEIR}, "KEY_ATTENTION", "R3", "LP"),
    ):
        body = gql_as(
            api,
            ROLES["officer"],
            listing,
            i={
                "subject": subject,
                "list": list_code,
                "basis": [basis],
                "since": "2024-01-15",
                "rectifyBy": "2024-04-15",
                "id": listing_id,
            },
        )
        assert body["data"]["listSubject"]["__typename"] == "Listed", body
    repair = gql_as(
        api,
        ROLES["entity_own"],
        """mutation($i: RepairInput!) { applyForRepair(input: $i) {
        __typename ... on RepairApplication { id } ... on Refusal { code message } } }""",
        i={"target": {"listing": "LF"}, "methods": ["RECTIFICATION"], "evidence": ["整改报告"]},
    )["data"]["applyForRepair"]
    objection = gql_as(
        api,
        ROLES["entity_own"],
        """mutation($i: ObjectionInput!) { raiseObjection(input: $i) {
        __typename ... on Objection { id } ... on Refusal { code message } } }""",
        i={"target": {"record": "R1"}, "reason": "处罚过重"},
    )["data"]["raiseObjection"]
    tasks = gql_as(
        api,
        ROLES["admin"],
        "query($d: String!) { tasksToExecute(department: $d) { nodes { id: taskId executor } } }",
        d=DEPT,
    )["data"]["tasksToExecute"]["nodes"]
    assert "id" in repair and "id" in objection and tasks, (repair, objection, tasks)
    return {"repair": repair["id"], "objection": objection["id"], "task": tasks[0]["id"], "graph": module_graph}


@pytest.fixture(scope="module")
def matrix_graph(module_graph, api):
    return build_graph(module_graph, api)


def outcome(body: dict[str, Any], field: str) -> str:
    """The outcome class of one root field in a response (see the matrix)."""
    for error in body.get("errors") or []:
        ext = error.get("extensions") or {}
        if error.get("path", [None])[0] not in (field, None):
            continue
        if ext.get("code") == "UNAUTHENTICATED":
            return "UNAUTH"
        if ext.get("code") == "FORBIDDEN":
            return "PURPOSE" if ext.get("reason") == "PURPOSE_REQUIRED" else "FORBIDDEN"
        if ext.get("code") not in ("NOT_FOUND", "BAD_USER_INPUT"):
            return f"ERROR {ext.get('code')}: {error.get('message')}"
    value = (body.get("data") or {}).get(field)
    if isinstance(value, dict) and value.get("code") in ("NOT_YOUR_DEPARTMENT", "NOT_YOUR_SUBJECT"):
        return "NOT_YOURS"
    return "OK"


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


def schema_of_the_api():
    """The committed SDL (test_cli.py keeps it equal to the served schema)."""
    return build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))


def test_every_root_field_is_in_the_matrix():
    schema = schema_of_the_api()
    for root, cases in (
        (schema.query_type, QUERY_CASES),
        (schema.mutation_type, MUTATION_CASES),
        (schema.subscription_type, SUBSCRIPTION_CASES),
    ):
        declared = {field for _, field, *_ in cases}
        missing = sorted(set(root.fields) - declared)
        assert not missing, f"{root.name} fields missing from the permission matrix: {missing}"
        assert not declared - set(root.fields), (
            f"stale {root.name} fields in the matrix: {sorted(declared - set(root.fields))}"
        )
    for *_, row in QUERY_CASES + MUTATION_CASES + SUBSCRIPTION_CASES:
        assert len(row.split()) == len(ROLES)


@pytest.mark.parametrize("case", QUERY_CASES, ids=[c[0] for c in QUERY_CASES])
def test_query_field_by_role(api, matrix_graph, case):
    name, field, document, variables, expected = case
    got = {role: outcome(gql_as(api, headers, document, **variables), field) for role, headers in ROLES.items()}
    assert got == dict(zip(ROLES, expected.split(), strict=True)), name


@pytest.mark.parametrize("case", MUTATION_CASES, ids=[c[0] for c in MUTATION_CASES])
def test_mutation_field_by_role(api, matrix_graph, case):
    name, field, document, variables, expected = case
    graph = matrix_graph["graph"]
    got, successes = {}, {}
    for role, headers in ROLES.items():
        before = graph.counts()
        body = gql_as(api, headers, document, **_fill(variables, {**matrix_graph, "role": role}))
        got[role] = outcome(body, field)
        typename = None if "errors" in body else body["data"][field]["__typename"]
        if typename in (None, "Refusal"):  # denied, or refused: nothing written, not even an audit entry
            assert graph.counts() == before, (name, role, body)
        else:
            successes[role] = typename
    assert got == dict(zip(ROLES, expected.split(), strict=True)), name
    assert successes == SUCCESSES[name]


@pytest.fixture(scope="module")
def watched_alert(api, matrix_graph) -> None:
    """Every staff role watches WATCHED; then an import brings R4 about it: an alert to each of them."""
    graph = matrix_graph["graph"]
    entity = {"kind": "entity", "uscc": WATCHED, "name": "青岛矩阵订阅有限公司", "form": "COMPANY",
              "status": "ACTIVE", "region": "370200", "established": "2015-01-01"}  # fmt: skip
    assert graph.import_lines([entity]).code == 0
    watch = "mutation($i: WatchInput!) { watch(input: $i) { __typename } }"
    for role in ("officer", "officer_other", "investigator", "investigator_no_purpose", "sanctions", "admin"):
        body = gql_as(api, ROLES[role], watch, i={"subject": {"uscc": WATCHED}})
        assert body["data"]["watch"]["__typename"] == "Watch", (role, body)
    record = {"kind": "record", "id": "R4", "subject": {"entity": WATCHED}, "category": "PENALTY",
              "severity": "MINOR", "department": DEPT, "decidedOn": "2026-01-10", "publishedOn": "2026-01-12",
              "disclosure": "PUBLIC"}  # fmt: skip
    assert graph.import_lines([record]).code == 0


def subscription_outcome(api: Any, headers: dict[str, str], document: str, field: str, **variables: Any) -> str:
    """The outcome class of a subscription's first answer over a real WebSocket: UNAUTH when connection_init
    is refused (close 4403), else as `outcome` reads the first `next` (or `error`) message."""
    socket = Socket(api, {k: v for k, v in headers.items() if k == "authorization"})
    try:
        try:
            first = socket.receive()
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            return "UNAUTH" if code == 4403 else f"CLOSED {code}"
        assert first["type"] == "connection_ack", first
        socket.subscribe("1", document, **variables)
        message = socket.receive()
    finally:
        socket.close()
    if message["type"] == "error":  # an error before the stream opened
        return outcome({"errors": message["payload"]}, field)
    assert message["type"] == "next", message
    if "errors" not in message["payload"]:
        assert message["payload"]["data"][field]["causeIds"] == ["R4"], message
    return outcome(message["payload"], field)


@pytest.mark.parametrize("case", SUBSCRIPTION_CASES, ids=[c[0] for c in SUBSCRIPTION_CASES])
def test_subscription_field_by_role(api, watched_alert, case):
    name, field, document, variables, expected = case
    got = {role: subscription_outcome(api, headers, document, field, **variables) for role, headers in ROLES.items()}
    assert got == dict(zip(ROLES, expected.split(), strict=True)), name
