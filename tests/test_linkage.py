"""Linkage through GraphQL on a hand-built graph whose answers were worked out on paper.

The listed firm A (海岳商贸) was fined on 2023-10-10 (basis record R1) and put on the joint-punishment
list on 2024-01-15 until 2026-01-15. So the responsibility window is 2023-10-10 .. 2024-01-15.

    legal representatives of A:  OLD 2015-01-01..2023-09-01   left before the window  -> not bound
                                 MID 2023-09-01..2023-12-01   replaced between violation and listing -> bound
                                 NEW 2023-12-01..2024-03-01   appointed before the listing -> bound
                                 LATE 2024-03-01..            appointed after the listing -> not bound, current
    actual controller of A:      CTRL 2015-01-01..            bound, current
    director of A:               DIR 2015-01-01..             officers are not bound
    CTRL is also director of M (since 2019) and founded N on 2024-08-01 as its legal representative.
    A holds 60% of O1, O1 holds 51% of O2, A holds 30% of O3.
    Q holds 70% of X1, X1 80% of X2, X2 60% of X3: Q controls X3 and owns 0.7*0.8*0.6 = 33.6% of it.
"""

from __future__ import annotations

import pytest

from graph_api.domain.identifiers import ric_check_char, uscc_check_char
from tests.conftest import gql_after_own_audit, investigator
from tests.conftest import gql_reader as gql


def uscc(n: int) -> str:
    body = f"91370200MA{n:07d}"
    return body + uscc_check_char(body)


def ric(n: int) -> str:
    body = f"37020219800101{n:03d}"
    return body + ric_check_char(body)


A, O1, O2, O3, M, N, X1, X2, X3 = (uscc(i) for i in range(1, 10))
OLD, MID, NEW, LATE, CTRL, DIR, Q, Z = (ric(i) for i in range(11, 19))
DEPT = "370200-SCJG"


def build() -> list[dict]:
    def entity(code, name, established="2015-01-01"):
        return {
            "kind": "entity",
            "uscc": code,
            "name": name,
            "form": "COMPANY",
            "status": "ACTIVE",
            "region": "370200",
            "established": established,
        }

    def person(number, name):
        return {"kind": "person", "idNumber": number, "name": name}

    def role(number, code, kind, since, until=None):
        return {"kind": "role", "person": number, "entity": code, "role": kind, "since": since, "until": until}

    def holding(holder, code, ratio, since="2016-01-01"):
        key = "person" if len(holder) == 18 and holder[:2] == "37" else "entity"
        return {"kind": "holding", "holder": {key: holder}, "entity": code, "ratio": ratio, "since": since}

    return [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        entity(A, "青岛海岳商贸有限公司"),
        entity(O1, "青岛海岳物流有限公司"),
        entity(O2, "青岛海岳冷藏有限公司"),
        entity(O3, "青岛参股科技有限公司"),
        entity(M, "青岛明德贸易有限公司"),
        entity(N, "青岛新岳商贸有限公司", "2024-08-01"),
        entity(X1, "甲控股有限公司"),
        entity(X2, "乙实业有限公司"),
        entity(X3, "丙制造有限公司"),
        person(OLD, "老张"),
        person(MID, "中李"),
        person(NEW, "新王"),
        person(LATE, "晚赵"),
        person(CTRL, "控刘"),
        person(DIR, "董陈"),
        person(Q, "钱总"),
        person(Z, "申报人"),
        role(OLD, A, "LEGAL_REPRESENTATIVE", "2015-01-01", "2023-09-01"),
        role(MID, A, "LEGAL_REPRESENTATIVE", "2023-09-01", "2023-12-01"),
        role(NEW, A, "LEGAL_REPRESENTATIVE", "2023-12-01", "2024-03-01"),
        role(LATE, A, "LEGAL_REPRESENTATIVE", "2024-03-01"),
        role(CTRL, A, "ACTUAL_CONTROLLER", "2015-01-01"),
        role(DIR, A, "DIRECTOR", "2015-01-01"),
        role(CTRL, M, "DIRECTOR", "2019-01-01"),
        role(CTRL, N, "LEGAL_REPRESENTATIVE", "2024-08-01"),
        role(Z, X3, "ACTUAL_CONTROLLER", "2016-01-01"),
        holding(A, O1, 0.6),
        holding(O1, O2, 0.51),
        holding(A, O3, 0.3),
        holding(Q, X1, 0.7),
        holding(X1, X2, 0.8),
        holding(X2, X3, 0.6),
        {
            "kind": "record",
            "id": "R1",
            "subject": {"entity": A},
            "category": "PENALTY",
            "severity": "SERIOUS",
            "department": DEPT,
            "decidedOn": "2023-10-10",
            "publishedOn": "2023-10-16",
        },
        {
            "kind": "listing",
            "id": "L1",
            "subject": {"entity": A},
            "list": "JOINT_PUNISHMENT",
            "department": DEPT,
            "basis": ["R1"],
            "since": "2024-01-15",
            "until": "2026-01-15",
        },
    ]


@pytest.fixture(scope="module")
def linked(module_graph):
    outcome = module_graph.import_lines(build())
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


EXPOSURE = """
query($subject: SubjectInput!, $asOf: Date) {
  exposure(subject: $subject, asOf: $asOf) {
    subject { kind name }
    bindings { kind role windowStart via { uscc } listing { id list }
               measures { code binds } path { nodes { kind key name } steps { relation since until } text } }
    measuresInForce { code }
  }
}"""

IMPACT = """
query($listing: String!, $maxHops: Int, $asOf: Date) {
  listingImpact(listing: $listing, maxHops: $maxHops, asOf: $asOf) {
    inForce windowStart
    boundPersons { person { name } role since until bound current path { text } }
    currentRepresentatives { person { name } role bound }
    relatedEntities { entity { uscc name } flags { reason path { nodes { key } steps { relation ratio } text } } }
  }
}"""

CONTROLLERS = """
query($uscc: USCC!, $asOf: Date, $threshold: Float) {
  controllers(uscc: $uscc, asOf: $asOf, threshold: $threshold) {
    declared { name }
    inferred { party { kind name } share paths { steps { relation ratio } } }
    beneficialOwners { party { name } share paths { text } }
  }
}"""


def _data(body):
    assert "errors" not in body, body["errors"]
    return body["data"]


def bindings(api, number=None, code=None, as_of="2024-06-01"):
    subject = {"idNumber": number} if number else {"uscc": code}
    return _data(gql(api, EXPOSURE, subject=subject, asOf=as_of))["exposure"]["bindings"]


def test_exposure_binds_exactly_the_persons_of_the_window(api, linked):
    [mid] = bindings(api, MID)
    assert (mid["kind"], mid["role"], mid["windowStart"], mid["via"]["uscc"], mid["listing"]["id"]) == (
        "RESPONSIBLE_PERSON",
        "LEGAL_REPRESENTATIVE",
        "2023-10-10",
        A,
        "L1",
    )
    assert [n["kind"] for n in mid["path"]["nodes"]] == ["PERSON", "ENTITY", "LISTING", "RECORD"]
    assert [(s["relation"], s["since"], s["until"]) for s in mid["path"]["steps"]] == [
        ("LEGAL_REPRESENTATIVE", "2023-09-01", "2023-12-01"),
        ("LISTED_ON", "2024-01-15", "2026-01-15"),
        ("BASED_ON", "2023-10-10", None),
    ]
    assert {m["binds"] for m in mid["measures"]} <= {"PERSONS", "BOTH"}
    assert "RESTRICT_APPOINTMENT" in {m["code"] for m in mid["measures"]}
    assert "RESTRICT_TAX_INCENTIVES" not in {m["code"] for m in mid["measures"]}  # binds the entity only
    assert MID not in str(mid)

    assert [b["role"] for b in bindings(api, NEW)] == ["LEGAL_REPRESENTATIVE"]
    assert [b["role"] for b in bindings(api, CTRL)] == ["ACTUAL_CONTROLLER"]
    assert bindings(api, OLD) == []  # left before the window
    assert bindings(api, LATE) == []  # appointed after the listing
    assert bindings(api, DIR) == []  # an officer


def test_exposure_as_of_before_the_listing_and_after_it_ends(api, linked):
    assert bindings(api, MID, as_of="2024-01-14") == []
    assert len(bindings(api, MID, as_of="2024-01-15")) == 1
    assert len(bindings(api, MID, as_of="2026-01-14")) == 1
    assert bindings(api, MID, as_of="2026-01-15") == []
    assert bindings(api, code=A, as_of="2026-02-01") == []


def test_exposure_of_the_listed_entity(api, linked):
    [direct] = bindings(api, code=A)
    assert direct["kind"] == "DIRECT" and direct["via"] is None
    assert {m["binds"] for m in direct["measures"]} <= {"ENTITY", "BOTH"}
    assert "RESTRICT_TAX_INCENTIVES" in {m["code"] for m in direct["measures"]}
    assert [n["kind"] for n in direct["path"]["nodes"]] == ["ENTITY", "LISTING", "RECORD"]


def test_listing_impact_bound_current_and_related(api, linked):
    impact = _data(gql(api, IMPACT, listing="L1", maxHops=2, asOf="2024-09-01"))["listingImpact"]
    assert impact["inForce"] is True and impact["windowStart"] == "2023-10-10"
    assert sorted((p["person"]["name"], p["role"]) for p in impact["boundPersons"]) == sorted(
        [("中李", "LEGAL_REPRESENTATIVE"), ("新王", "LEGAL_REPRESENTATIVE"), ("控刘", "ACTUAL_CONTROLLER")]
    )
    assert sorted((p["person"]["name"], p["role"], p["bound"]) for p in impact["currentRepresentatives"]) == sorted(
        [("控刘", "ACTUAL_CONTROLLER", True), ("晚赵", "LEGAL_REPRESENTATIVE", False)]
    )
    related = {r["entity"]["uscc"]: sorted(f["reason"] for f in r["flags"]) for r in impact["relatedEntities"]}
    assert related == {
        O1: ["OWNED"],
        O2: ["OWNED"],
        M: ["SHARED_RESPONSIBLE_PERSON"],
        N: ["REAPPEARANCE", "SHARED_RESPONSIBLE_PERSON"],
    }
    o2 = next(r for r in impact["relatedEntities"] if r["entity"]["uscc"] == O2)
    assert [(s["relation"], s["ratio"]) for s in o2["flags"][0]["path"]["steps"]] == [("HOLDS", 0.6), ("HOLDS", 0.51)]
    n = next(r for r in impact["relatedEntities"] if r["entity"]["uscc"] == N)
    phoenix = next(f for f in n["flags"] if f["reason"] == "REAPPEARANCE")
    assert [s["relation"] for s in phoenix["path"]["steps"]] == [
        "ACTUAL_CONTROLLER",
        "LISTED_ON",
        "BASED_ON",
        "LEGAL_REPRESENTATIVE",
    ]
    assert phoenix["path"]["nodes"][-1]["key"] == N

    one_hop = _data(gql(api, IMPACT, listing="L1", maxHops=1, asOf="2024-09-01"))["listingImpact"]
    assert O2 not in {r["entity"]["uscc"] for r in one_hop["relatedEntities"]}


def test_listing_impact_outside_its_period_binds_no_one(api, linked):
    for as_of in ("2024-01-14", "2026-01-15"):
        impact = _data(gql(api, IMPACT, listing="L1", asOf=as_of))["listingImpact"]
        assert impact["inForce"] is False
        assert impact["boundPersons"] == [] and impact["relatedEntities"] == []


def test_controllers_chain_is_control_but_one_third_ownership(api, linked):
    c = _data(gql(api, CONTROLLERS, uscc=X3, asOf="2024-01-01"))["controllers"]
    assert [d["name"] for d in c["declared"]] == ["申报人"]
    assert c["inferred"]["party"] == {"kind": "PERSON", "name": "钱总"}
    assert abs(c["inferred"]["share"] - 0.336) < 1e-9
    assert [[s["ratio"] for s in p["steps"]] for p in c["inferred"]["paths"]] == [[0.7, 0.8, 0.6]]
    [owner] = c["beneficialOwners"]
    assert owner["party"]["name"] == "钱总" and abs(owner["share"] - 0.336) < 1e-9
    assert (
        _data(gql(api, CONTROLLERS, uscc=X3, asOf="2024-01-01", threshold=0.4))["controllers"]["beneficialOwners"] == []
    )
    before = _data(gql(api, CONTROLLERS, uscc=X3, asOf="2015-06-01"))["controllers"]
    assert before["inferred"] is None and before["beneficialOwners"] == [] and before["declared"] == []


def test_linkage_input_errors(api, linked):
    bad_id = gql(api, EXPOSURE, subject={"idNumber": MID[:-1] + ("0" if MID[-1] != "0" else "1")})
    assert bad_id["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    unknown = gql(api, EXPOSURE, subject={"idNumber": ric(99)})
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    both = gql(api, EXPOSURE, subject={"idNumber": MID, "uscc": A})
    assert both["errors"]
    hops = gql(api, IMPACT, listing="L1", maxHops=9)
    assert hops["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert gql(api, IMPACT, listing="NOPE")["errors"][0]["extensions"]["code"] == "NOT_FOUND"


SEARCH = """query($q: String!, $first: Int, $after: String) {
  search(query: $q, first: $first, after: $after) {
    edges { node { kind key name idNumberMasked } cursor } pageInfo { hasNextPage endCursor } }
}"""


def test_search_finds_chinese_fragments_ranked_and_paged(api, linked):
    page = _data(gql(api, SEARCH, q="海岳", first=2))["search"]
    assert len(page["edges"]) == 2 and page["pageInfo"]["hasNextPage"] is True
    rest = _data(gql(api, SEARCH, q="海岳", first=10, after=page["pageInfo"]["endCursor"]))["search"]
    keys = {e["node"]["key"] for e in page["edges"] + rest["edges"]}
    assert keys == {A, O1, O2} and rest["pageInfo"]["hasNextPage"] is False
    [person] = _data(gql(api, SEARCH, q="控刘"))["search"]["edges"]
    assert person["node"]["kind"] == "PERSON" and person["node"]["idNumberMasked"] == CTRL[:4] + "*" * 10 + CTRL[-4:]
    assert CTRL not in str(person)
    [single] = _data(gql(api, SEARCH, q="钱"))["search"]["edges"]
    assert single["node"]["name"] == "钱总"
    # Lucene syntax in the input is escaped: no field query, no wildcard over every name, no error.
    injected = _data(gql(api, SEARCH, q='海岳" OR name:*'))["search"]["edges"]
    assert {e["node"]["key"] for e in injected} == {A, O1, O2}
    assert gql(api, SEARCH, q="海岳", first=1000)["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


PATHS = """query($from: SubjectInput!, $to: SubjectInput!, $asOf: Date, $maxHops: Int) {
  paths(from: $from, to: $to, asOf: $asOf, maxHops: $maxHops) { nodes { kind key name } steps { relation ratio } text }
}"""


def test_paths_between_parties_as_of_a_date(api, linked):
    [p] = _data(gql(api, PATHS, **{"from": {"idNumber": CTRL}, "to": {"uscc": O1}, "asOf": "2024-06-01"}))["paths"]
    assert [s["relation"] for s in p["steps"]] == ["ACTUAL_CONTROLLER", "HOLDS"]
    assert [n["key"] for n in p["nodes"]][1:] == [A, O1]
    assert (
        _data(gql(api, PATHS, **{"from": {"idNumber": MID}, "to": {"uscc": O1}, "asOf": "2024-06-01"}))["paths"] == []
    )
    [then] = _data(gql(api, PATHS, **{"from": {"idNumber": MID}, "to": {"uscc": O1}, "asOf": "2023-10-01"}))["paths"]
    assert [s["relation"] for s in then["steps"]] == ["LEGAL_REPRESENTATIVE", "HOLDS"]
    assert (
        _data(gql(api, PATHS, **{"from": {"idNumber": CTRL}, "to": {"uscc": O2}, "asOf": "2024-06-01", "maxHops": 2}))[
            "paths"
        ]
        == []
    )


ELIGIBILITY = """query($subject: SubjectInput!, $scenario: Scenario!, $asOf: Date) {
  eligibility(subject: $subject, scenario: $scenario, asOf: $asOf) {
    allowed decidingMeasures { measure { code } binding { kind listing { id } path { text } } }
    warnings { code message path { steps { relation } } }
  }
}"""


def eligible(api, subject, scenario, as_of="2024-06-01"):
    return _data(gql(api, ELIGIBILITY, subject=subject, scenario=scenario, asOf=as_of))["eligibility"]


def test_eligibility_refuses_with_the_deciding_measures(api, linked):
    bidding = eligible(api, {"uscc": A}, "BIDDING")
    assert bidding["allowed"] is False
    assert {d["measure"]["code"] for d in bidding["decidingMeasures"]} == {"RESTRICT_BIDDING"}
    assert bidding["decidingMeasures"][0]["binding"]["listing"]["id"] == "L1"
    appoint = eligible(api, {"idNumber": MID}, "APPOINTMENT_LEGAL_REP")
    assert appoint["allowed"] is False
    assert appoint["decidingMeasures"][0]["binding"]["kind"] == "RESPONSIBLE_PERSON"
    assert eligible(api, {"idNumber": MID}, "TAX_INCENTIVE")["allowed"] is True  # binds the entity only
    assert eligible(api, {"idNumber": LATE}, "BIDDING")["allowed"] is True
    assert eligible(api, {"uscc": A}, "BIDDING", as_of="2026-02-01")["allowed"] is True


def test_eligibility_warns_about_bound_responsible_persons(api, linked):
    check = eligible(api, {"uscc": N}, "BIDDING", as_of="2024-09-01")
    assert check["allowed"] is True
    [warning] = check["warnings"]
    assert warning["code"] == "RESPONSIBLE_PERSON_BOUND" and "L1" in warning["message"]
    assert [s["relation"] for s in warning["path"]["steps"]] == [
        "LEGAL_REPRESENTATIVE",
        "ACTUAL_CONTROLLER",
        "LISTED_ON",
    ]


NESTED = """query($uscc: USCC!, $person: SubjectInput!) {
  entity(uscc: $uscc) {
    roles { nodes { person { name } } } holders { nodes { person { name } entity { name } } }
    holdings { nodes { entity { name } } } records { nodes { department { name } } }
    listings { nodes { department { name } measures { code scenarios } } } branches { nodes { name } } parent { name }
  }
  exposure(subject: $person) {
    bindings { listing { department { name } } measures { code } path { nodes { name } steps { relation } } } }
  listingImpact(listing: "L1", asOf: "2024-09-01") {
    boundPersons { path { text } } relatedEntities { flags { path { text } } } }
  controllers(uscc: $uscc) { inferred { paths { text } } beneficialOwners { paths { text } } }
}"""


def test_round_trips_do_not_grow_with_nesting(api, linked):
    body = gql_after_own_audit(api, investigator(), NESTED, uscc=A, person={"idNumber": CTRL})
    assert "errors" not in body, body
    # entity 1 with its roles, holders, holdings and listings in the same statement (compiled.py) + its two
    # other pages (records, branches) 2 + exposure 2 (the person, their bindings) + listingImpact 2 (the
    # listing's reach, which of its basis records the reader sees) + controllers 1 + the audit entry for
    # reading a person, 1 (chained after the server's own last entry)
    assert body["extensions"]["dbRoundTrips"] == 9


def _trips(api, query: str, **variables) -> int:
    body = api.post("/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in body, body
    return body["extensions"]["dbRoundTrips"]


def test_pages_of_many_parents_share_one_round_trip(api, linked):
    fields = "roles(first: 2) { totalCount nodes { role } } holdings { nodes { ratio } } records { totalCount }"
    one = _trips(api, f"query($a: USCC!) {{ a: entity(uscc: $a) {{ {fields} }} }}", a=A)
    four = _trips(
        api,
        f"""query($a: USCC!, $b: USCC!, $c: USCC!, $d: USCC!) {{
        a: entity(uscc: $a) {{ {fields} }} b: entity(uscc: $b) {{ {fields} }}
        c: entity(uscc: $c) {{ {fields} }} d: entity(uscc: $d) {{ {fields} }} }}""",
        a=A,
        b=X1,
        c=X2,
        d=O1,
    )
    # the entities with their roles and holdings in one batch (compiled.py), then one batch per other kind of
    # page, whatever the number of entities
    assert one == four == 2
    # different arguments are a different page: another combined statement, one more round trip
    assert (
        _trips(
            api,
            "query($a: USCC!, $b: USCC!) { a: entity(uscc: $a) { roles(first: 2) { totalCount } } "
            "b: entity(uscc: $b) { roles(first: 3) { totalCount } } }",
            a=A,
            b=X1,
        )
        == 2
    )


NEIGHBORHOOD = """query($node: SubjectInput!, $hops: Int, $limit: Int, $asOf: Date) {
  neighborhood(node: $node, hops: $hops, limit: $limit, asOf: $asOf) {
    center truncated nodes { kind key name listed bound } edges { relation fromKey toKey ratio }
  }
}"""


def test_neighborhood_for_a_drawing(api, linked):
    n = _data(gql(api, NEIGHBORHOOD, node={"uscc": A}, hops=1, asOf="2024-09-01"))["neighborhood"]
    assert n["center"] == A and n["truncated"] is False
    names = {x["name"]: (x["listed"], x["bound"]) for x in n["nodes"]}
    assert names == {
        "青岛海岳商贸有限公司": (True, False),
        "晚赵": (False, False),
        "控刘": (False, True),
        "董陈": (False, False),
        "青岛海岳物流有限公司": (False, False),
        "青岛参股科技有限公司": (False, False),
    }
    assert sorted(e["relation"] for e in n["edges"]) == [
        "ACTUAL_CONTROLLER",
        "DIRECTOR",
        "HOLDS",
        "HOLDS",
        "LEGAL_REPRESENTATIVE",
    ]
    keys = {x["key"] for x in n["nodes"]}
    assert all(e["fromKey"] in keys and e["toKey"] in keys for e in n["edges"])
    cut = _data(gql(api, NEIGHBORHOOD, node={"uscc": A}, hops=1, limit=3, asOf="2024-09-01"))["neighborhood"]
    assert cut["truncated"] is True and len(cut["edges"]) == 3
    two = _data(gql(api, NEIGHBORHOOD, node={"uscc": A}, hops=2, asOf="2024-09-01"))["neighborhood"]
    assert {O2, M, N} <= {x["key"] for x in two["nodes"]}
