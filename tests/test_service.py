"""The service over real HTTP: health, readiness, and enough GraphQL to look at imported data."""

from __future__ import annotations

from tests.conftest import SAMPLE
from tests.conftest import gql_reader as gql

ENTITY_QUERY = """
query Entity($uscc: USCC!) {
  entity(uscc: $uscc) {
    uscc name form status region industry established registeredCapital
    roles { totalCount nodes { role since until person { name idNumberMasked idType } } }
    holders { nodes { ratio since person { name } entity { uscc } } }
    holdings { nodes { ratio entity { uscc name } } }
    records { nodes { id: recordId category polarity severity decidedOn publishedOn status department { code name } } }
    listings { nodes { id: listingId list since until status basis measures { code binds } } }
    parent { uscc } branches { totalCount nodes { uscc } }
  }
}
"""


def test_health_and_readiness(api):
    assert api.get("/healthz").json() == {"status": "alive"}
    ready = api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and ready.json()["schemaVersion"] >= 1


def test_graphiql_is_served_to_a_browser(api):
    page = api.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_entity_with_roles_holdings_records_and_listings(api, graph):
    graph.import_file(SAMPLE)
    body = gql(api, ENTITY_QUERY, uscc="91370202613366849K")
    assert "errors" not in body, body
    e = body["data"]["entity"]
    assert (e["name"], e["form"], e["region"], e["established"], e["registeredCapital"]) == (
        "青岛海韵水产有限公司",
        "COMPANY",
        "370202",
        "2018-03-01",
        10000000.0,
    )
    # newest first; equal start dates by role name
    assert e["roles"]["totalCount"] == 3
    assert [(r["role"], r["person"]["name"], r["since"], r["until"]) for r in e["roles"]["nodes"]] == [
        ("LEGAL_REPRESENTATIVE", "吴敏", "2024-07-01", None),
        ("ACTUAL_CONTROLLER", "刘韵", "2018-03-01", None),
        ("LEGAL_REPRESENTATIVE", "陈海", "2018-03-01", "2024-07-01"),
    ]
    assert {r["person"]["idNumberMasked"] for r in e["roles"]["nodes"]} == {
        "3702**********0223",
        "3702**********0172",
        "3702**********0489",
    }
    assert e["holders"]["nodes"] == [{"ratio": 0.9, "since": "2018-03-01", "person": {"name": "刘韵"}, "entity": None}]
    assert e["holdings"]["nodes"] == [
        {"ratio": 0.55, "entity": {"uscc": "91370211499653587T", "name": "青岛海韵冷链物流有限公司"}}
    ]
    assert [(r["id"], r["severity"], r["department"]["code"]) for r in e["records"]["nodes"]] == [
        ("QD-FY-2024-0410", "SERIOUS", "370200-ZJFY"),
        ("QD-SCJG-2024-0031", "SERIOUS", "370200-SCJG"),
    ]
    [listing] = e["listings"]["nodes"]
    assert (listing["id"], listing["list"], listing["status"], listing["basis"]) == (
        "QD-JP-2024-005",
        "JOINT_PUNISHMENT",
        "ACTIVE",
        ["QD-FY-2024-0410", "QD-SCJG-2024-0031"],
    )
    assert e["parent"] is None and e["branches"] == {"totalCount": 0, "nodes": []}
    assert {"RESTRICT_BIDDING", "RESTRICT_APPOINTMENT"} <= {m["code"] for m in listing["measures"]}
    assert "370202198503120172" not in str(body)


def test_errors_carry_a_code_and_a_reason(api, graph):
    graph.import_file(SAMPLE)
    missing = gql(api, ENTITY_QUERY, uscc="91110000710925462X")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert missing["data"] == {"entity": None}  # entity is nullable: null with its error
    invalid = gql(api, ENTITY_QUERY, uscc="91370202613366849A")
    error = invalid["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "reason": "INVALID_USCC"}
    assert "expected 'K'" in error["message"]
    unknown = gql(api, '{ entity(uscc: "91370202613366849K") { nonsense } }')
    assert unknown["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Traceback" not in str(unknown)


RECORD_PAGE = """query($uscc: USCC!, $first: Int, $after: String, $where: RecordFilter) {
  entity(uscc: $uscc) { records(first: $first, after: $after, where: $where) {
    totalCount edges { cursor node { id: recordId category decidedOn department { code } } }
    pageInfo { hasNextPage endCursor } } }
}"""


def test_records_are_paged_and_filtered(api, graph):
    graph.import_file(SAMPLE)
    first = gql(api, RECORD_PAGE, uscc="91370202613366849K", first=1)["data"]["entity"]["records"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["id"] for e in first["edges"]] == ["QD-FY-2024-0410"]
    second = gql(api, RECORD_PAGE, uscc="91370202613366849K", first=1, after=first["pageInfo"]["endCursor"])["data"][
        "entity"
    ]["records"]
    assert [e["node"]["id"] for e in second["edges"]] == ["QD-SCJG-2024-0031"]
    assert second["pageInfo"]["hasNextPage"] is False
    penalties = gql(api, RECORD_PAGE, uscc="91370202613366849K", where={"categories": ["PENALTY"]})
    assert [e["node"]["id"] for e in penalties["data"]["entity"]["records"]["edges"]] == ["QD-SCJG-2024-0031"]
    recent = gql(api, RECORD_PAGE, uscc="91370202613366849K", where={"decidedFrom": "2024-03-01"})
    assert recent["data"]["entity"]["records"]["totalCount"] == 1
    too_many = gql(api, RECORD_PAGE, uscc="91370202613366849K", first=1000)
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    bad_cursor = gql(api, RECORD_PAGE, uscc="91370202613366849K", after="nonsense")
    assert bad_cursor["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    commitments = gql(
        api, '{ entity(uscc: "913702031995045470") { commitments { id type status department { code } } } }'
    )
    assert commitments["data"]["entity"]["commitments"] == [
        {
            "id": "QD-CM-2020-0007",
            "type": "APPROVAL_SUBSTITUTION",
            "status": "FULFILLED",
            "department": {"code": "370200-SCJG"},
        }
    ]


def test_person_by_identity_number_masked(api, graph):
    graph.import_file(SAMPLE)
    body = gql(
        api,
        "query($n: String!) { person(idNumber: $n) { name idNumberMasked roles { nodes { role entity { uscc } } } "
        "holdings { nodes { ratio entity { uscc } } } records { totalCount } listings { totalCount } } }",
        n="370202198503120172",
    )
    person = body["data"]["person"]
    assert person["name"] == "陈海" and person["idNumberMasked"] == "3702**********0172"
    assert sorted(r["entity"]["uscc"] for r in person["roles"]["nodes"]) == ["91370202613366849K", "913702031995045470"]
    assert person["holdings"]["nodes"] == [{"ratio": 0.3, "entity": {"uscc": "913702031995045470"}}]
    assert person["records"]["totalCount"] == 0 and person["listings"]["totalCount"] == 0
    assert "370202198503120172" not in str(body)
    wrong = gql(api, "query($n: String!) { person(idNumber: $n) { name } }", n="370202198503120173")
    assert wrong["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
