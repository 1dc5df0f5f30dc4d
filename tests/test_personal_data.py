"""Personal data, type by type (README, "Access, privacy and audit"), on the graph of
test_permission_matrix.py: BOSS 欧阳矩阵 (legal representative of FIRM and FIRM2, 60% holder of FIRM, bound by
FIRM's joint-punishment listing LF, so a task subject and a warning in FIRM2's eligibility check) and HEIR
司马测验 (listed on KEY_ATTENTION, interview overdue).

Every object type is classified as able to carry a person's name or identity number or not (PERSONAL_TYPES),
and each personal type is shown by one of the queries in REACH, asking for everything it can show about
persons. Worked by hand: the public never sees BOSS's or HEIR's full name nor their identity numbers — only
欧*** and 司***; no reader but the investigator and the sanctions officer with a purpose sees a clear
identity number, and they see both numbers, only in `idNumber` fields, each read in the audit trail.
Which records each role sees by disclosure level is test_access.py's; here, that working lists and change
logs keep to the same levels.

The alerts subscription (over a real WebSocket) is exercised as the inbox is: every staff role watches FIRM,
then BOSS, bound by LF, becomes a director of ELSEWHERE (青岛矩阵另任有限公司) — a REAPPEARANCE alert to FIRM's
watchers and to LF's department. Worked by hand from the visibility policy: only staff may subscribe (the
public is refused at connection_init, close 4403; entity users are FORBIDDEN), so no subscriber reads a
masked name: each staff role — the investigator without a purpose too, since the subscription names no
person by number — gets the one alert with BOSS's full name on its path, in its text and in its reason, the
path BOSS → ELSEWHERE, BOSS → FIRM → LF → R1 (PUBLIC: disclosed to all), and no identity number anywhere.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLObjectType, TypeInfo, TypeInfoVisitor, Visitor, get_named_type, parse, visit
from websockets.exceptions import ConnectionClosed

from tests.conftest import gql_as
from tests.test_linkage import uscc
from tests.test_permission_matrix import (
    BOSS,
    BOSS_MASKED_NAME,
    BOSS_NAME,
    DEPT,
    FIRM,
    FIRM2,
    HEIR,
    HEIR_MASKED_NAME,
    HEIR_NAME,
    PURPOSE_READERS,
    ROLES,
    build_graph,
    schema_of_the_api,
)
from tests.test_subscriptions import Socket


@pytest.fixture(scope="module")
def matrix_graph(module_graph, api):
    return build_graph(module_graph, api)


# Object types that can carry a person's name or identity number (directly, or in free text: a path's
# text, a warning's message, a change's before/after) — and, for the audit trail, persons by key hash.
PERSONAL_TYPES = {
    "Person",
    "PersonSummary",
    "SearchHit",
    "TaskSubject",
    "PathNode",
    "GraphNode",
    "Path",
    "RiskWarning",
    "ChangeEntry",
    "AuditEntry",
    "ExportDocument",
    "Alert",  # its reason is the path's text
    "ScreenSubject",  # echoes the identity number sent (masked) and the name sent
    "ChecksCertificate",  # names the parties checked, in its parts and its printable text
    "CheckedParty",
    "CertificateGap",
}
# Object types that carry neither (entities, records, listings, measures, departments, workflow objects,
# connections and results — these reach persons only through a type above).
NON_PERSONAL_TYPES = {
    "DrawExclusion",  # its persons are on its Path
    "InspectorLinked",
    "RelativeDeclared",
    "IndustryScheme",
    "IndustrySchemeDefined",
    "IndustryEvaluation",
    "IndustryEvaluated",
    "IndustryEvaluationPublished",
    "IndustryGradeCount",
    "IndustryGrade",
    "IndustryGradeReason",
    "RiskFinding",  # reaches persons through PathNode and Path
    "RiskFindingConnection",
    "RiskFindingEdge",
    "SubjectChange",  # through ScreenSubject and PathNode
    "ScreenCandidate",  # reaches persons through PersonSummary
    "ScreenError",
    "ScreenItem",
    "ScreenMatchDecided",  # the caller's own decision on a name it sent
    "Viewer",  # what the credential says: user id, role, department, purpose
    "AlertConnection",
    "AlertEdge",
    "Watch",
    "WatchConnection",
    "WatchEdge",
    # a department's webhooks and their delivery log: URLs, alert ids, states, HTTP codes and the address a
    # refused attempt resolved to (the alerts' bodies go to the receiver, never into the log)
    "Webhook",
    "WebhookConnection",
    "WebhookEdge",
    "RegisteredWebhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookDeliveryConnection",
    "WebhookDeliveryEdge",
    "AuditEntryConnection",
    "AuditEntryEdge",
    "Binding",
    "ChangeEntryConnection",
    "ChangeEntryEdge",
    "Commitment",
    "CommitmentBreached",
    "CommitmentConnection",
    "CommitmentEdge",
    "CommitmentFulfilled",
    "CommitmentMade",
    "Controllers",
    "CreditRecord",
    "CreditRecordConnection",
    "CreditRecordEdge",
    "DecidingMeasure",
    "DecisionRecorded",
    "Department",
    "Draw",
    "DrawConnection",
    "DrawEdge",
    "DrawMade",
    "DrawSelection",
    "DrawVerification",
    "Eligibility",
    "Entity",
    "EntityRef",
    "EntityRefConnection",
    "EntityRefEdge",
    "Exposure",
    "Grade",
    "GradeCount",
    "GradeDistribution",
    "GradeRatio",
    "GradeReason",
    "Holding",
    "HoldingConnection",
    "HoldingEdge",
    "Inspector",
    "InspectorRegistered",
    "InterviewDue",
    "InterviewDueConnection",
    "InterviewDueEdge",
    "InterviewRecorded",
    "Listed",
    "ListingPreview",
    "PlannedTask",  # persons by opaque key only
    "CheckReason",
    "CertificateVerification",
    "CertificatePage",
    "Listing",
    "ListingConnection",
    "ListingEdge",
    "ListingEnded",
    "ListingImpact",
    "ListingSummary",
    "Measure",
    "Neighborhood",
    "Objection",
    "ObjectionAnswered",
    "ObjectionConnection",
    "ObjectionEdge",
    "OwnershipParty",
    "PageInfo",
    "PathStep",
    "PersonRole",
    "PersonRoleConnection",
    "PersonRoleEdge",
    "RecordPublished",
    "Refusal",
    "RelatedEntity",
    "RelatedFlag",
    "RepairApplication",
    "RepairApplicationConnection",
    "RepairApplicationEdge",
    "RepairDecided",
    "ResponsiblePerson",
    "Role",
    "RoleConnection",
    "RoleEdge",
    "SearchConnection",
    "SearchEdge",
    "TargetRef",
    "Task",
    "TaskConnection",
    "TaskDetails",
    "TaskEdge",
}

PS = "name idNumberMasked idNumber idType"
PATH = "path { text nodes { kind key name } }"
# Queries that reach every personal type, each with the whole of what it can show about persons.
REACH: list[tuple[str, str, dict[str, Any]]] = [
    (
        "certificates",
        """query($d: String!) { certificates(decision: $d) { items { subjectName printable
        parts { name key } gaps { name reason } } } }""",
        {"d": "M-officer"},
    ),
    (
        "entity view",
        f"""query($u: USCC!) {{ entity(uscc: $u) {{ name roles {{ nodes {{ role person {{ {PS} }} }} }}
        holders {{ nodes {{ ratio person {{ {PS} }} entity {{ name }} }} }} }} }}""",
        {"u": FIRM},
    ),
    (
        "person view",
        f"""query($n: String!) {{ person(idNumber: $n) {{ {PS} roles {{ nodes {{ role entity {{ name }} }} }}
        holdings {{ nodes {{ ratio person {{ {PS} }} entity {{ name }} }} }} }} }}""",
        {"n": BOSS},
    ),
    (
        "search",
        """{ search(query: "矩阵") { edges { node { kind key name idNumberMasked idNumber } } }
        h: search(query: "测验") { edges { node { kind key name idNumberMasked idNumber } } } }""",
        {},
    ),
    (
        "paths",
        """query($a: SubjectInput!, $b: SubjectInput!) { paths(from: $a, to: $b) { text nodes { kind key name }
        steps { relation fromKey toKey } } }""",
        {"a": {"uscc": FIRM}, "b": {"uscc": FIRM2}},
    ),
    (
        "neighborhood",
        """query($s: SubjectInput!) { neighborhood(node: $s) { center nodes { kind key name listed bound }
        edges { relation fromKey toKey } } }""",
        {"s": {"uscc": FIRM}},
    ),
    (
        "exposure",
        f"""query($s: SubjectInput!) {{ exposure(subject: $s) {{ subject {{ kind key name }}
        bindings {{ kind {PATH} }} }} }}""",
        {"s": {"idNumber": BOSS}},
    ),
    (
        "listingImpact",
        f"""{{ listingImpact(listing: "LF") {{ subject {{ kind key name }}
        boundPersons {{ person {{ {PS} }} personKey {PATH} }} currentRepresentatives {{ person {{ {PS} }} {PATH} }}
        relatedEntities {{ entity {{ name }} flags {{ reason {PATH} }} }} }}
        p: listingImpact(listing: "LP") {{ subject {{ kind key name }} listing {{ id }} }} }}""",
        {},
    ),
    (
        "controllers",
        f"""query($u: USCC!) {{ controllers(uscc: $u) {{ declared {{ {PS} }}
        inferred {{ party {{ kind key name }} paths {{ text nodes {{ name }} }} }}
        beneficialOwners {{ party {{ kind key name }} paths {{ text nodes {{ name }} }} }} }} }}""",
        {"u": FIRM2},
    ),
    (
        "eligibility",
        f"""query($s: SubjectInput!) {{ eligibility(subject: $s, scenario: BIDDING) {{ subject {{ name }}
        warnings {{ code message {PATH} }} decidingMeasures {{ binding {{ {PATH} }} }} }} }}""",
        {"s": {"uscc": FIRM2}},
    ),
    (
        "tasks",
        """query($d: String!) { tasksToExecute(department: $d, first: 50) { nodes { details {
        subjects { kind key name idNumberMasked idNumber } } } }
        openTasks(department: $d, first: 50) { nodes { details {
        subjects { kind key name idNumberMasked idNumber } } } } }""",
        {"d": DEPT},
    ),
    (
        "interviews due",
        f"""query($d: String!) {{ interviewsDue(department: $d) {{ nodes {{ listing entity {{ name }}
        person {{ {PS} }} }} }} }}""",
        {"d": DEPT},
    ),
    (
        "change log",
        """query($s: SubjectInput!) { changeLog(subject: $s) { nodes { summary before after } } }""",
        {"s": {"uscc": FIRM}},
    ),
    (
        "screen",
        f"""query($s: [ScreenSubjectInput!]!) {{ screen(subjects: $s, scenario: BIDDING) {{
        subject {{ uscc idNumberMasked }} error {{ message }}
        eligibility {{ subject {{ name }} warnings {{ message {PATH} }} }}
        candidates {{ person {{ {PS} }} entity {{ name }} }} }} }}""",
        {"s": [{"uscc": FIRM}, {"uscc": FIRM2}, {"idNumber": BOSS}]},
    ),
    (
        "risk scans",
        """{ r: riskScan(kind: RESPONSIBLE_OF_LISTED, minEntities: 1, minListed: 1) {
        nodes { subject { kind key name } paths { text nodes { name } } } }
        b: riskScan(kind: BOUND_ELSEWHERE) { nodes { subject { name } paths { text } } } }""",
        {},
    ),
    (
        "changed since",
        """query($s: [ScreenSubjectInput!]!) { changedSince(since: "2020-01-01T00:00:00Z", subjects: $s) {
        subject { uscc idNumberMasked } node { kind key name } error { message } } }""",
        {"s": [{"uscc": FIRM}, {"idNumber": BOSS}]},
    ),
    ("alerts", "{ alerts { nodes { reason subject { name } path { text } } } }", {}),
    ("audit log", "{ auditLog(first: 100) { nodes { user role operation kind subjects purpose } } }", {}),
    (
        "ownership export",
        "query($u: USCC!) { bods: ownershipExport(uscc: $u, format: BODS) { content } "
        "ftm: ownershipExport(uscc: $u, format: FTM) { content } }",
        {"u": FIRM},
    ),
]


# The subscription's root field, with everything an alert can show about persons (its own test: WebSocket).
SUBSCRIPTION_REACH = f"""subscription {{ alerts(afterSeq: 0) {{ kind reason causeIds subject {{ kind key name }}
  {PATH} }} }}"""


def test_every_object_type_is_classified_and_every_personal_one_reached():
    schema = schema_of_the_api()
    objects = {n for n, t in schema.type_map.items() if isinstance(t, GraphQLObjectType) and not n.startswith("__")} - {
        "Query",
        "Mutation",
        "Subscription",  # its one field, alerts, streams the inbox's Alert (SUBSCRIPTION_REACH reads it)
    }
    assert not PERSONAL_TYPES & NON_PERSONAL_TYPES
    assert not objects - PERSONAL_TYPES - NON_PERSONAL_TYPES, (
        f"object types not classified as personal or not: {sorted(objects - PERSONAL_TYPES - NON_PERSONAL_TYPES)}"
    )
    assert not (PERSONAL_TYPES | NON_PERSONAL_TYPES) - objects, "stale names in the classification"
    with_numbers = {n for n in objects if {"idNumber", "idNumberMasked"} & set(schema.type_map[n].fields)}
    assert with_numbers <= PERSONAL_TYPES, sorted(with_numbers - PERSONAL_TYPES)
    reached: set[str] = set()

    class Collect(Visitor):
        def __init__(self, type_info: TypeInfo) -> None:
            super().__init__()
            self.type_info = type_info

        def enter_field(self, *_: Any) -> None:
            reached.add(get_named_type(self.type_info.get_type()).name)

    for document in [d for _, d, _ in REACH] + [SUBSCRIPTION_REACH]:
        type_info = TypeInfo(schema)
        visit(parse(document), TypeInfoVisitor(type_info, Collect(type_info)))
    assert not PERSONAL_TYPES - reached, f"personal types no reach query shows: {sorted(PERSONAL_TYPES - reached)}"


def _strings(value: Any, key: str | None = None):
    """(the key it stands under, string) for every string in a response."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


@pytest.mark.parametrize("role", list(ROLES))
def test_personal_data_type_by_type(api, matrix_graph, role):
    shown, refused = [], 0
    for name, document, variables in REACH:
        body = gql_as(api, ROLES[role], document, **variables)
        codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or []}
        assert codes <= {"UNAUTHENTICATED", "FORBIDDEN"}, (name, body)
        for error in body.get("errors") or []:
            if error["path"][-1] == "idNumber":  # the field alone is refused (the rest: see the clear-number test)
                assert role not in PURPOSE_READERS, error
                assert error["extensions"].get("reason") == (
                    "PURPOSE_REQUIRED" if role == "investigator_no_purpose" else None
                ), error
                refused += 1
        for key, text in _strings(body):
            shown.append((name, key, text))
    assert (refused > 0) == (role not in PURPOSE_READERS), refused
    texts = " ".join(t for *_, t in shown)
    if role == "public":
        assert BOSS_MASKED_NAME in texts and HEIR_MASKED_NAME in texts
        leaks = [(n, k, t) for n, k, t in shown if any(x in t for x in (BOSS_NAME, HEIR_NAME, BOSS, HEIR))]
        assert not leaks, leaks
    clear = [(n, k, t) for n, k, t in shown if BOSS in t or HEIR in t]
    if role in PURPOSE_READERS:
        # an export states a number inside its document (ExportDocument.content), audited as idNumber is
        numbers = [(n, k, t) for n, k, t in clear if k != "content"]
        assert {t for *_, t in numbers} == {BOSS, HEIR}, "the clear numbers are shown"
        assert all(k == "idNumber" and t in (BOSS, HEIR) for _, k, t in numbers), clear
        assert {n for n, k, _ in clear if k == "content"} == {"ownership export"}, clear
    else:
        assert not clear, clear


CLEAR = f"""query ClearNumbers($u: USCC!) {{ entity(uscc: $u) {{ name roles {{ nodes {{ person {{ {PS} }} }} }} }} }}"""
LOOKUP = "query MatrixLookup($n: String!) { person(idNumber: $n) { name } }"
AUDIT = "query($op: String) { auditLog(operation: $op, first: 50) { nodes { seq user role kind subjects purpose } } }"


def test_clear_identity_numbers_for_investigators_and_sanctions_officers_audited(api, matrix_graph):
    def entity_reads() -> list[dict]:
        return gql_as(api, ROLES["admin"], AUDIT, op="entity")["data"]["auditLog"]["nodes"]

    earlier = {e["seq"] for e in entity_reads()}  # other tests of the module read entities too
    for role in PURPOSE_READERS:
        body = gql_as(api, ROLES[role], CLEAR, u=FIRM)
        assert "errors" not in body, body
        person = body["data"]["entity"]["roles"]["nodes"][0]["person"]
        assert person == {
            "name": BOSS_NAME,
            "idNumberMasked": BOSS[:4] + "*" * 10 + BOSS[-4:],
            "idNumber": BOSS,
            "idType": "RIC",
        }
    # the person by key hash, as a lookup by number names them
    gql_as(api, ROLES["admin"], LOOKUP, n=BOSS)
    admin = ROLES["admin"]
    # the audit names what was read by its root field (person, entity), never the client's operation name
    boss_key = gql_as(api, admin, AUDIT, op="person")["data"]["auditLog"]["nodes"][0]["subjects"]
    entries = [e for e in entity_reads() if e["seq"] not in earlier]
    assert sorted((e["role"], e["kind"], e["subjects"] == boss_key, e["purpose"]) for e in entries) == [
        ("INVESTIGATOR", "READ_PERSONAL", True, "矩阵 案件核查"),
        ("SANCTIONS", "READ_PERSONAL", True, "惩戒决定前核查"),
    ]
    assert BOSS not in str(entries)

    # without a purpose: PURPOSE_REQUIRED on the field; every other role: FORBIDDEN on it; the rest stands
    for role in ROLES:
        if role in PURPOSE_READERS:
            continue
        body = gql_as(api, ROLES[role], CLEAR, u=FIRM)
        person = body["data"]["entity"]["roles"]["nodes"][0]["person"]
        assert person["idNumber"] is None and person["idNumberMasked"] == BOSS[:4] + "*" * 10 + BOSS[-4:], role
        assert person["name"] == (BOSS_MASKED_NAME if role == "public" else BOSS_NAME)
        [error] = body["errors"]
        assert error["path"] == ["entity", "roles", "nodes", 0, "person", "idNumber"]
        expected = (
            {"code": "FORBIDDEN", "reason": "PURPOSE_REQUIRED"}
            if role == "investigator_no_purpose"
            else {"code": "FORBIDDEN"}
        )
        assert error["extensions"] == expected, (role, error)
    # refused reads of the number are not reads: no entry more
    assert len([e for e in entity_reads() if e["seq"] not in earlier]) == 2
    assert BOSS not in api.log_path.read_text(encoding="utf-8")  # never logged


OVERDUE = 'query($d: String!) { overduePublications(department: $d, asOf: "2026-02-01") { nodes { id: recordId } } }'
CHANGES = "query($s: SubjectInput!) { changeLog(subject: $s) { nodes { key } } }"
DECIDE = "mutation($i: DecisionInput!) { recordDecision(input: $i) { __typename } }"


def test_working_lists_show_records_by_disclosure(api, matrix_graph):
    """Records reach staff through working lists and change logs too. R2 (RESTRICTED, decided 2026-01-05 by
    DEPT, never published) is overdue on 2026-02-01: DEPT's list shows it to DEPT's officer and to the roles
    that look across departments, and is refused to the officer of OTHER (NOT_YOUR_DEPARTMENT). The officer
    of DEPT records DR (RESTRICTED) and DS (SHARED) about FIRM2: as in the entity view (test_access.py),
    FIRM2's change log shows the officer of OTHER only DS."""
    for record_id, disclosure in (("DR", "RESTRICTED"), ("DS", "SHARED")):
        decided = gql_as(
            api,
            ROLES["officer"],
            DECIDE,
            i={
                "subject": {"uscc": FIRM2},
                "category": "PENALTY",
                "severity": "MINOR",
                "decidedOn": "2026-02-02",
                "disclosure": disclosure,
                "id": record_id,
            },
        )
        assert decided["data"]["recordDecision"]["__typename"] == "DecisionRecorded", decided
    expected = {
        "officer": (["R2"], ["DR", "DS"]),
        "officer_other": ("NOT_YOUR_DEPARTMENT", ["DS"]),
        "investigator": (["R2"], ["DR", "DS"]),
        "sanctions": (["R2"], ["DR", "DS"]),
        "admin": (["R2"], ["DR", "DS"]),
    }
    for role, (overdue, changes) in expected.items():
        answer = gql_as(api, ROLES[role], OVERDUE, d=DEPT)
        # DEPT's working list is not the officer of OTHER's to read at all (Actor.department_staff)
        listed = (
            [n["id"] for n in answer["data"]["overduePublications"]["nodes"]]
            if answer["data"]
            else answer["errors"][0]["extensions"]["reason"]
        )
        log = gql_as(api, ROLES[role], CHANGES, s={"uscc": FIRM2})["data"]["changeLog"]["nodes"]
        assert (listed, sorted(n["key"] for n in log)) == (overdue, changes), role


ELSEWHERE = uscc(405)


def _alert_over_websocket(socket: Socket) -> dict[str, Any] | str:
    """The first alert of a subscription, or the code of the error that ended it."""
    message = socket.receive()
    errors = message["payload"] if message["type"] == "error" else message["payload"].get("errors")
    if errors:
        return str(errors[0]["extensions"]["code"])
    assert message["type"] == "next", message
    return dict(message["payload"]["data"]["alerts"])


def test_the_alerts_subscription_shows_a_bound_persons_reappearance_by_role(api, matrix_graph):
    staff = ("officer", "officer_other", "investigator", "investigator_no_purpose", "sanctions", "admin")
    watch = "mutation($i: WatchInput!) { watch(input: $i) { __typename } }"
    for role in staff:
        assert gql_as(api, ROLES[role], watch, i={"subject": {"uscc": FIRM}})["data"]["watch"]["__typename"] == "Watch"
    sockets: dict[str, Socket] = {}
    got: dict[str, Any] = {}
    for role, headers in ROLES.items():
        socket = Socket(api, {k: v for k, v in headers.items() if k == "authorization"})
        try:
            first = socket.receive()
        except ConnectionClosed as closed:
            got[role] = f"closed {closed.rcvd.code if closed.rcvd else None}"
            continue
        assert first["type"] == "connection_ack", first
        socket.subscribe("1", SUBSCRIPTION_REACH)
        sockets[role] = socket
    graph = matrix_graph["graph"]
    lines = [
        {"kind": "entity", "uscc": ELSEWHERE, "name": "青岛矩阵另任有限公司", "form": "COMPANY", "status": "ACTIVE",
         "region": "370200", "established": "2015-01-01"},
        {"kind": "role", "person": BOSS, "entity": ELSEWHERE, "role": "DIRECTOR", "since": "2026-03-01"},
    ]  # fmt: skip
    outcome = graph.import_lines(lines)
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    for role, socket in sockets.items():
        got[role] = _alert_over_websocket(socket)
        socket.close()
    refused = {"public": "closed 4403", "entity_own": "FORBIDDEN", "entity_other": "FORBIDDEN"}
    assert {r: got[r] for r in refused} == refused
    for role in staff:
        alert = got[role]
        assert isinstance(alert, dict), (role, alert)
        assert alert["kind"] == "REAPPEARANCE" and alert["subject"]["name"] == BOSS_NAME, (role, alert)
        assert [(n["kind"], n["name"]) for n in alert["path"]["nodes"]] == [
            ("PERSON", BOSS_NAME),
            ("ENTITY", "青岛矩阵另任有限公司"),
            ("ENTITY", "青岛矩阵测试有限公司"),
            ("LISTING", "JOINT_PUNISHMENT"),
            ("RECORD", "PENALTY"),
        ], (role, alert)
        assert BOSS_NAME in alert["path"]["text"] and BOSS_NAME in alert["reason"], (role, alert)
        texts = " ".join(t for _, t in _strings(alert))
        assert BOSS not in texts and HEIR not in texts and BOSS_MASKED_NAME not in texts, (role, alert)
