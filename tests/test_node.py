"""Relay object identification over HTTP: `interface Node`, `node(id:)`, `nodes(ids:)`, ids accepted wherever a
subject is asked for, and root lookups that are null (with NOT_FOUND) instead of nulling the whole answer.

Hand-built graph. Firm A (青岛节点测试有限公司) has the legal representative P, who is also legal
representative of firm C. Department D1 decided two penalty records on A: RP-OPEN (PUBLIC, published:
everyone sees it) and RX-CLOSED (RESTRICTED: A itself, D1's officers and the staff who see everything).
D1 lists A on the joint-punishment list (LN-1) on both, which pushes tasks to the executing department
CZJ. Worked out by hand: the public opens A, D1, the records it sees (RP-OPEN), LN-1 with basis [RP-OPEN]
and one undisclosed, no person (its role may not read personal data) and no task; an investigator who
states a purpose opens everything, P included, and every person it opens is in the audit trail."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from graph_api.api.graphql.global_id import GlobalIds
from graph_api.settings import Settings
from tests.conftest import gql, gql_as, investigator, officer, token
from tests.test_linkage import ric, uscc

D1, CZJ, D2 = "370200-SCJG", "370200-CZJ", "370200-SWJ"
A, C, MISSING = uscc(961), uscc(963), uscc(969)
P = ric(96)
TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
ADMIN = token("ADMIN", "admin-node")
IDS = GlobalIds(Settings().id_encryption_key.get_secret_value())  # the served settings are the tests'


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def _record(rid: str, **extra: str) -> dict:
    return {
        "kind": "record",
        "id": rid,
        "subject": {"entity": A},
        "category": "PENALTY",
        "severity": "SERIOUS",
        "department": D1,
        "decidedOn": _day(40),
        **extra,
    }


LIST = (
    """mutation($input: ListingInput!) { listSubject(input: $input) { __typename ... on Refusal { code message } } }"""
)
NODE = """query($id: ID!) { node(id: $id) { __typename id
  ... on Entity { uscc name } ... on Person { name idNumberMasked }
  ... on CreditRecord { recordId summary } ... on Listing { listingId basis undisclosedBasis }
  ... on Department { code name } ... on Measure { code } ... on Task { taskId executor } } }"""
NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Entity { uscc } ... on Person { name }
  ... on Department { code } ... on Measure { code } } }"""


@pytest.fixture(scope="module")
def nodes_graph(module_graph, api):
    lines = [
        {"kind": "department", "code": D1, "name": "青岛市市场监督管理局", "region": "370200"},
        {"kind": "department", "code": CZJ, "name": "青岛市财政局", "region": "370200"},
        {"kind": "department", "code": D2, "name": "青岛市税务局", "region": "370200"},
        {"kind": "entity", "uscc": A, "name": "青岛节点测试有限公司", "form": "COMPANY", "status": "ACTIVE"},
        {"kind": "entity", "uscc": C, "name": "青岛节点关联有限公司", "form": "COMPANY", "status": "ACTIVE"},
        {"kind": "person", "idNumber": P, "name": "节点人"},
        {"kind": "role", "person": P, "entity": A, "role": "LEGAL_REPRESENTATIVE", "since": "2019-05-01"},
        {"kind": "role", "person": P, "entity": C, "role": "LEGAL_REPRESENTATIVE", "since": "2019-05-01"},
        _record("RP-OPEN", summary="公开的处罚", publishedOn=_day(35)),
        _record("RX-CLOSED", summary="机密的处罚", disclosure="RESTRICTED"),
        {
            "kind": "listing",
            "id": "LN-1",
            "subject": {"entity": A},
            "list": "JOINT_PUNISHMENT",
            "department": D1,
            "basis": ["RP-OPEN", "RX-CLOSED"],
            "since": _day(10),
        },
    ]
    outcome = module_graph.import_lines(lines)
    assert outcome.code == 0, outcome.rejects
    # The task listSubject would push to CZJ (test_listings.py covers the pushing), built by hand.
    module_graph.query(
        """MATCH (l:Listing {id: 'LN-1'}), (m:Measure) WITH l, m ORDER BY m.code LIMIT 1
        CREATE (t:Task {id: 'TN-1', executor: $czj, region: '370200', executorKind: 'CZJ', status: 'PENDING',
                        measure: m.code, pushedOn: date($pushed), dueOn: date($due)})
        CREATE (t)-[:FOR]->(l), (t)-[:OF_MEASURE]->(m)""",
        czj=CZJ,
        pushed=_day(10),
        due=_day(-5),
    )
    return module_graph


def _answer(body: dict) -> dict:
    """The response without its extensions (the round-trip count)."""
    return {k: v for k, v in body.items() if k != "extensions"}


def _hash(graph) -> str:
    [row] = graph.query("MATCH (p:Person {name: '节点人'}) RETURN p.idHash AS h")
    return row["h"]


def test_global_ids_are_opaque_stable_and_open_their_object(api, nodes_graph):
    body = gql_as(
        api,
        investigator(),
        """query($u: USCC!, $n: String!, $d: String!) { entity(uscc: $u) { id uscc }
        person(idNumber: $n) { id } department(code: $d) { id } }""",
        u=A,
        n=P,
        d=D1,
    )
    assert "errors" not in body, body
    entity_id, person_id = body["data"]["entity"]["id"], body["data"]["person"]["id"]
    # the person's id carries neither the number nor its key hash (nor a piece of either) in clear
    key_hash = _hash(nodes_graph)
    for secret in (P, key_hash, key_hash[:24], P[-6:]):
        assert secret not in person_id
    assert A not in entity_id
    # the same object has the same id in every answer (a client's cache normalises by it)
    again = gql(api, "query($u: USCC!) { entity(uscc: $u) { id } }", u=A)["data"]["entity"]["id"]
    assert again == entity_id
    opened = _answer(gql(api, NODE, id=entity_id))
    assert opened == {
        "data": {"node": {"__typename": "Entity", "id": entity_id, "uscc": A, "name": "青岛节点测试有限公司"}}
    }
    person = gql_as(api, investigator(), NODE, id=person_id)["data"]["node"]
    assert person == {
        "__typename": "Person",
        "id": person_id,
        "name": "节点人",
        "idNumberMasked": P[:4] + "*" * 10 + P[-4:],
    }
    department = gql(api, NODE, id=body["data"]["department"]["id"])["data"]["node"]
    assert department == {
        "__typename": "Department",
        "id": body["data"]["department"]["id"],
        "code": D1,
        "name": "青岛市市场监督管理局",
    }


def test_an_id_not_made_here_or_edited_is_null_without_error(api, nodes_graph):
    entity_id = IDS.encode("Entity", A)
    person_id = IDS.encode("Person", _hash(nodes_graph))
    edited = [
        entity_id[:-2] + ("AA" if entity_id[-2:] != "AA" else "BB"),
        person_id[:5] + ("x" if person_id[5] != "x" else "y") + person_id[6:],
        "",
        "not an id",
        "RP-OPEN",
        A,
        "%%%%",
        "A" * 5000,
        GlobalIds("MDEyMzQ1Njc4OWFiY2RlZg==").encode("Entity", A),  # another key's: forged
    ]
    for bad in edited:
        assert _answer(gql_as(api, investigator(), NODE, id=bad)) == {"data": {"node": None}}, bad


def test_the_public_opens_what_it_sees_and_no_more(api, nodes_graph):
    # hidden and missing answer the same: null, no error
    for hidden in ("RX-CLOSED", "NO-SUCH-RECORD"):
        assert _answer(gql(api, NODE, id=IDS.encode("CreditRecord", hidden))) == {"data": {"node": None}}
    record = gql(api, NODE, id=IDS.encode("CreditRecord", "RP-OPEN"))["data"]["node"]
    assert record["recordId"] == "RP-OPEN" and record["summary"] == "公开的处罚"
    listing = gql(api, NODE, id=IDS.encode("Listing", "LN-1"))["data"]["node"]
    assert (listing["listingId"], listing["basis"], listing["undisclosedBasis"]) == ("LN-1", ["RP-OPEN"], 1)
    # a task is for staff, and for officers of its executing or listing department
    task_id = IDS.encode("Task", "TN-1")
    for reader in ({}, token("ENTITY", "entity-node", uscc=A), officer(D2, "officer-d2")):
        assert _answer(gql_as(api, reader, NODE, id=task_id)) == {"data": {"node": None}}
    for reader in (officer(CZJ, "officer-czj"), officer(D1, "officer-d1"), ADMIN):
        assert gql_as(api, reader, NODE, id=task_id)["data"]["node"]["taskId"] == "TN-1"
    # a person needs the rights of person(idNumber:): the public is refused on that id alone
    person_id = IDS.encode("Person", _hash(nodes_graph))
    body = gql(api, NODE, id=person_id)
    assert body["data"] == {"node": None}
    [error] = body["errors"]
    assert error["path"] == ["node"] and error["extensions"]["code"] == "UNAUTHENTICATED"
    body = gql(api, NODES, ids=[IDS.encode("Entity", A), person_id, "junk", IDS.encode("Department", D1)])
    assert body["data"]["nodes"] == [
        {"__typename": "Entity", "id": IDS.encode("Entity", A), "uscc": A},
        None,
        None,
        {"__typename": "Department", "id": IDS.encode("Department", D1), "code": D1},
    ]
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["nodes", 1], "UNAUTHENTICATED")]


def test_an_investigator_opens_persons_and_restricted_records_audited(api, nodes_graph):
    key_hash = _hash(nodes_graph)
    record = gql_as(api, investigator(), NODE, id=IDS.encode("CreditRecord", "RX-CLOSED"))["data"]["node"]
    assert (record["recordId"], record["summary"]) == ("RX-CLOSED", "机密的处罚")
    listing = gql_as(api, investigator(), NODE, id=IDS.encode("Listing", "LN-1"))["data"]["node"]
    assert (listing["basis"], listing["undisclosedBasis"]) == (["RP-OPEN", "RX-CLOSED"], 0)
    # without the purpose its role must state: refused, as person(idNumber:) is
    no_purpose = token("INVESTIGATOR", "investigator-np")
    body = gql_as(api, no_purpose, NODE, id=IDS.encode("Person", key_hash))
    assert body["data"] == {"node": None}
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN", "reason": "PURPOSE_REQUIRED"}
    # with it: the person, in the audit trail by key hash, as a lookup by number
    before = _reads(api)
    assert gql_as(api, investigator("investigator-node"), NODE, id=IDS.encode("Person", key_hash))["data"]["node"]
    [entry] = [e for seq, e in _reads(api).items() if seq not in before]
    assert (entry["user"], entry["kind"], entry["subjects"]) == ("investigator-node", "READ_PERSONAL", [key_hash])


def _reads(api) -> dict[int, dict]:
    query = '{ auditLog(operation: "node", first: 100) { nodes { seq user kind subjects } } }'
    return {e["seq"]: e for e in gql_as(api, ADMIN, query)["data"]["auditLog"]["nodes"]}


def test_nodes_batches_one_round_trip_per_kind_and_caps_the_ids(api, nodes_graph):
    ids = [IDS.encode("Entity", A), IDS.encode("Entity", C), IDS.encode("Entity", MISSING)]
    ids += [IDS.encode("Department", D1), IDS.encode("Department", D2), IDS.encode("Measure", "NO-SUCH-MEASURE")]
    body = gql(api, NODES, ids=ids * 3)
    assert "errors" not in body, body
    found = [n and (n.get("uscc") or n.get("code")) for n in body["data"]["nodes"]]
    assert found == [A, C, None, D1, D2, None] * 3
    assert body["extensions"]["dbRoundTrips"] == 3  # entities, departments, measures
    body = gql(api, NODES, ids=[IDS.encode("Entity", A)] * 101)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


PATHS = """query($a: SubjectInput!, $c: SubjectInput!) { paths(from: $a, to: $c) { nodes { kind key id } } }"""
EXPOSURE = """query($s: SubjectInput!) { exposure(subject: $s) { subject { kind key } bindings { listing { id } } } }"""


def test_a_person_reached_through_a_path_is_opened_by_its_id(api, nodes_graph):
    a, c = IDS.encode("Entity", A), IDS.encode("Entity", C)
    body = gql_as(api, investigator(), PATHS, a={"id": a}, c={"uscc": C})
    assert "errors" not in body, body
    [path] = body["data"]["paths"]
    assert [(n["kind"], n["id"]) for n in path["nodes"]] == [
        ("ENTITY", a),
        ("PERSON", IDS.encode("Person", _hash(nodes_graph))),
        ("ENTITY", c),
    ]
    person_id = path["nodes"][1]["id"]
    # the same id as Person.id, and usable wherever a subject is asked for
    assert (
        gql_as(api, investigator(), "query($n: String!) { person(idNumber: $n) { id } }", n=P)["data"]["person"]["id"]
        == person_id
    )
    by_id = gql_as(api, investigator(), EXPOSURE, s={"id": person_id})
    by_number = gql_as(api, investigator(), EXPOSURE, s={"idNumber": P})
    assert "errors" not in by_id and by_id["data"] == by_number["data"], by_id
    assert by_id["data"]["exposure"]["bindings"] == [{"listing": {"id": "LN-1"}}]
    drawing = gql_as(
        api,
        investigator(),
        "query($s: SubjectInput!) { neighborhood(node: $s, hops: 1) { nodes { kind id } } }",
        s={"id": person_id},
    )
    assert sorted(n["id"] for n in drawing["data"]["neighborhood"]["nodes"]) == sorted([a, c, person_id])
    # a person's id is a personal read like a number: the public is refused
    public = gql(api, EXPOSURE, s={"id": person_id})
    assert public["data"] is None and public["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # an entity's id is open to everyone
    assert gql(api, EXPOSURE, s={"id": a})["data"]["exposure"]["subject"] == {"kind": "ENTITY", "key": A}


def test_an_id_that_names_no_party_is_the_callers_error(api, nodes_graph):
    for bad in ("junk", IDS.encode("Listing", "LN-1"), IDS.encode("Department", D1)):
        body = gql_as(api, investigator(), EXPOSURE, s={"id": bad})
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and "id" in error["message"], body
    # an id and a code at once break the one-of rule
    body = gql(api, EXPOSURE, s={"id": IDS.encode("Entity", A), "uscc": A})
    assert body["data"] is None and "errors" in body


def test_a_missing_entity_person_or_department_does_not_null_its_siblings(api, nodes_graph):
    body = gql_as(
        api,
        investigator(),
        """query($m: USCC!, $u: USCC!, $n: String!) { gone: entity(uscc: $m) { name } here: entity(uscc: $u) { name }
        nobody: person(idNumber: $n) { name } noDepartment: department(code: "000000-NONE") { name } }""",
        m=MISSING,
        u=A,
        n=ric(97),
    )
    assert body["data"] == {
        "gone": None,
        "here": {"name": "青岛节点测试有限公司"},
        "nobody": None,
        "noDepartment": None,
    }
    assert sorted((e["path"][0], e["extensions"]["code"]) for e in body["errors"]) == [
        ("gone", "NOT_FOUND"),
        ("noDepartment", "NOT_FOUND"),
        ("nobody", "NOT_FOUND"),
    ]
