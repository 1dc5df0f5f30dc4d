"""The control rule and the readings of docs/domain-rules.md end to end: GraphQL over HTTP on the real
Neo4j, on a hand-built graph whose answers were worked out on paper. Each case is one that the rule
written twice used to answer wrongly, or one of the readings the project decided.

    listed firm LA (joint punishment from 2024-01-15, fined 2023-10-10), actual controller BOSS.
      LA holds 30% of Y on two lines (2016, 2018): 60%, OWNED (the per-line test missed it).
      LA holds 60% of B and B holds 60% of LA: B is OWNED, LA is never its own related entity.
      BOSS holds 30% of Z on two lines: SHARED_RESPONSIBLE_PERSON by control.
      BOSS: legal representative of W1 from 2024-01-15 (the listing's first day)     -> REAPPEARANCE
            principal of N1, founded 2024-01-15                                     -> REAPPEARANCE
            legal representative of W2 2024-02-01..2024-05-01 (left since)          -> REAPPEARANCE, not shared
            60% of W3 until 2024-03-01, re-recorded 60% from 2024-03-01            -> shared only, no takeover
            40% of W4 since 2016, 20% more from 2024-03-01 (takes control)          -> REAPPEARANCE
    TOP holds 100% of C1, C1 of C2, ... C11 of C12: twelve holdings, TOP controls and owns 100% of C12.
    FAR holds 100% of D1, ... D69 of D70: seventy holdings, past the 64 followed: the answer says truncated.
    firm KA (key attention) holds 60% of KO: OWNED, no one bound. Firm RD (red list) holds 60% of RO: nothing.
    firm LB, unlisted, holds 30% + 30% of YB: listing it through the API stores an OWNED flag for YB.
"""

from __future__ import annotations

import pytest

from tests.conftest import gql_as, officer
from tests.conftest import gql_reader as gql
from tests.test_linkage import ric, uscc

DEPT = "370200-SCJG"
LA, Y, B, Z, W1, N1, W2, W3, W4, KA, KO, RD, RO, LB, YB = (uscc(100 + i) for i in range(15))
C = [uscc(200 + i) for i in range(1, 13)]
LONG = [uscc(300 + i) for i in range(1, 71)]
BOSS, TOP, FAR = ric(101), ric(102), ric(103)
DAY = "2024-01-15"

IMPACT = """query($listing: String!, $asOf: Date) {
  listingImpact(listing: $listing, asOf: $asOf) {
    inForce boundPersons { person { name } }
    relatedEntities { entity { uscc } flags { reason path { steps { relation ratio since until } text } } }
  }
}"""

CONTROLLED = """query($uscc: USCC!, $asOf: Date) {
  controllers(uscc: $uscc, asOf: $asOf) { truncated inferred { party { kind name } share paths { steps { ratio } } }
                                          beneficialOwners { party { name } share } }
}"""

LIST = """mutation($input: ListingInput!) { listSubject(input: $input) {
  __typename ... on Listed { entitiesFlagged } ... on Refusal { code message } } }"""


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

    def role(number, code, kind, since, until=None):
        return {"kind": "role", "person": number, "entity": code, "role": kind, "since": since, "until": until}

    def holding(holder, code, ratio, since="2016-01-01", until=None, person=False):
        return {
            "kind": "holding",
            "holder": {"person" if person else "entity": holder},
            "entity": code,
            "ratio": ratio,
            "since": since,
            "until": until,
        }

    def record(rid, subject, category="PENALTY", severity="SERIOUS"):
        line = {
            "kind": "record",
            "id": rid,
            "subject": {"entity": subject},
            "category": category,
            "department": DEPT,
            "decidedOn": "2023-10-10",
            "publishedOn": "2023-10-16",
        }
        return {**line, "severity": severity} if severity else line

    def listing(lid, subject, code, basis):
        return {
            "kind": "listing",
            "id": lid,
            "subject": {"entity": subject},
            "list": code,
            "department": DEPT,
            "basis": [basis],
            "since": DAY,
            "until": "2026-01-15",
        }

    firms = [
        (LA, "甲失信商贸有限公司"),
        (Y, "乙参股有限公司"),
        (B, "丙交叉持股有限公司"),
        (Z, "丁实业有限公司"),
        (W1, "戊商贸有限公司"),
        (W2, "己贸易有限公司"),
        (W3, "庚制造有限公司"),
        (W4, "辛物流有限公司"),
        (KA, "壬重点关注有限公司"),
        (KO, "癸子公司有限公司"),
        (RD, "红名单有限公司"),
        (RO, "红名单子公司有限公司"),
        (LB, "待列入有限公司"),
        (YB, "待列入参股有限公司"),
    ]
    return [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        *(entity(code, name) for code, name in firms),
        entity(N1, "新设商贸有限公司", DAY),
        *(entity(code, f"链条{i + 1}号有限公司") for i, code in enumerate(C)),
        {"kind": "person", "idNumber": BOSS, "name": "老板"},
        {"kind": "person", "idNumber": TOP, "name": "顶层"},
        role(BOSS, LA, "ACTUAL_CONTROLLER", "2015-01-01"),
        holding(LA, Y, 0.3),
        holding(LA, Y, 0.3, "2018-01-01"),
        holding(LA, B, 0.6),
        holding(B, LA, 0.6),
        holding(BOSS, Z, 0.3, person=True),
        holding(BOSS, Z, 0.3, "2017-01-01", person=True),
        role(BOSS, W1, "LEGAL_REPRESENTATIVE", DAY),
        role(BOSS, N1, "PRINCIPAL", DAY),
        role(BOSS, W2, "LEGAL_REPRESENTATIVE", "2024-02-01", "2024-05-01"),
        holding(BOSS, W3, 0.6, "2016-01-01", "2024-03-01", person=True),
        holding(BOSS, W3, 0.6, "2024-03-01", person=True),
        holding(BOSS, W4, 0.4, person=True),
        holding(BOSS, W4, 0.2, "2024-03-01", person=True),
        *(entity(code, f"长链{i + 1}号有限公司") for i, code in enumerate(LONG)),
        {"kind": "person", "idNumber": FAR, "name": "远端"},
        holding(FAR, LONG[0], 1.0, person=True),
        *(holding(LONG[i], LONG[i + 1], 1.0) for i in range(69)),
        holding(TOP, C[0], 1.0, person=True),
        *(holding(C[i], C[i + 1], 1.0) for i in range(11)),
        holding(KA, KO, 0.6),
        holding(RD, RO, 0.6),
        holding(LB, YB, 0.3),
        holding(LB, YB, 0.3, "2018-01-01"),
        record("RA", LA),
        record("RK", KA, severity="GENERAL"),
        record("RR", RD, "HONOR", None),
        record("RB", LB),
        listing("LA1", LA, "JOINT_PUNISHMENT", "RA"),
        listing("KA1", KA, "KEY_ATTENTION", "RK"),
        listing("RD1", RD, "RED", "RR"),
    ]


@pytest.fixture(scope="module")
def ruled(module_graph):
    outcome = module_graph.import_lines(build())
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


def _data(body):
    assert "errors" not in body, body["errors"]
    return body["data"]


def impact(api, listing, as_of="2024-09-01"):
    return _data(gql(api, IMPACT, listing=listing, asOf=as_of))["listingImpact"]


def reasons(api, listing, as_of="2024-09-01") -> dict[str, list[str]]:
    return {
        r["entity"]["uscc"]: sorted(f["reason"] for f in r["flags"])
        for r in impact(api, listing, as_of)["relatedEntities"]
    }


def flag(api, listing, uscc_, reason, as_of="2024-09-01"):
    [found] = [
        f
        for r in impact(api, listing, as_of)["relatedEntities"]
        if r["entity"]["uscc"] == uscc_
        for f in r["flags"]
        if f["reason"] == reason
    ]
    return found


def test_joint_punishment_flags_by_the_one_control_rule_and_the_readings(api, ruled):
    assert reasons(api, "LA1") == {
        Y: ["OWNED"],  # 30% + 30%
        B: ["OWNED"],  # and not LA itself through the cross-holding
        Z: ["SHARED_RESPONSIBLE_PERSON"],  # BOSS's 30% + 30%
        W1: ["REAPPEARANCE", "SHARED_RESPONSIBLE_PERSON"],  # a tie from the listing's first day
        N1: ["REAPPEARANCE", "SHARED_RESPONSIBLE_PERSON"],  # founded that day
        W2: ["REAPPEARANCE"],  # left since: the event stays, the sharing does not
        W3: ["SHARED_RESPONSIBLE_PERSON"],  # a majority re-recorded is not a takeover
        W4: ["REAPPEARANCE", "SHARED_RESPONSIBLE_PERSON"],  # 40% + 20% from 2024-03-01: taken over
    }
    y = flag(api, "LA1", Y, "OWNED")
    assert [(s["relation"], s["ratio"]) for s in y["path"]["steps"]] == [("HOLDS", 0.3), ("HOLDS", 0.3)]
    w2 = flag(api, "LA1", W2, "REAPPEARANCE")["path"]["steps"][-1]
    assert (w2["relation"], w2["since"], w2["until"]) == ("LEGAL_REPRESENTATIVE", "2024-02-01", "2024-05-01")
    w4 = flag(api, "LA1", W4, "REAPPEARANCE")["path"]["steps"]
    assert [(s["ratio"], s["since"]) for s in w4 if s["relation"] == "HOLDS"] == [
        (0.4, "2016-01-01"),
        (0.2, "2024-03-01"),
    ]


def test_on_the_listings_first_day(api, ruled):
    first = reasons(api, "LA1", DAY)
    assert first[W1] == ["REAPPEARANCE", "SHARED_RESPONSIBLE_PERSON"] and first[N1] == [
        "REAPPEARANCE",
        "SHARED_RESPONSIBLE_PERSON",
    ]
    assert W2 not in first and W4 not in first  # not yet


def test_key_attention_flags_owned_entities_and_binds_no_one(api, ruled):
    ka = impact(api, "KA1")
    assert ka["inForce"] is True and ka["boundPersons"] == []
    assert reasons(api, "KA1") == {KO: ["OWNED"]}


def test_a_red_listing_reaches_no_one_else(api, ruled):
    rd = impact(api, "RD1")
    assert rd["inForce"] is True and rd["boundPersons"] == [] and rd["relatedEntities"] == []


def test_a_chain_of_twelve_holdings_is_not_cut(api, ruled):
    c = _data(gql(api, CONTROLLED, uscc=C[-1], asOf="2024-09-01"))["controllers"]
    assert c["truncated"] is False
    assert c["inferred"]["party"] == {"kind": "PERSON", "name": "顶层"} and c["inferred"]["share"] == 1.0
    assert [[s["ratio"] for s in p["steps"]] for p in c["inferred"]["paths"]] == [[1.0] * 12]
    assert [(o["party"]["name"], o["share"]) for o in c["beneficialOwners"]] == [("顶层", 1.0)]


def test_a_chain_longer_than_the_search_is_reported_as_truncated(api, ruled):
    c = _data(gql(api, CONTROLLED, uscc=LONG[-1], asOf="2024-09-01"))["controllers"]
    assert c["truncated"] is True
    # the 64 holdings followed end at D6, held by D5: the highest party seen, not the person above it
    assert c["inferred"]["party"] == {"kind": "ENTITY", "name": "长链5号有限公司"} and c["inferred"]["share"] == 1.0
    assert c["beneficialOwners"] == []


def test_controllers_add_simultaneous_stakes_and_end_cycles(api, ruled):
    y = _data(gql(api, CONTROLLED, uscc=Y, asOf="2024-09-01"))["controllers"]
    assert y["inferred"]["party"]["name"] == "甲失信商贸有限公司" and abs(y["inferred"]["share"] - 0.6) < 1e-9
    # LA and B hold 60% of each other: the cycle ends; B is LA's only controller
    la = _data(gql(api, CONTROLLED, uscc=LA, asOf="2024-09-01"))["controllers"]
    assert la["truncated"] is False and la["inferred"]["party"]["name"] == "丙交叉持股有限公司"


def test_listing_through_the_api_stores_the_flags_the_domain_decides(api, ruled):
    body = gql_as(
        api,
        officer(DEPT),
        LIST,
        input={
            "subject": {"uscc": LB},
            "list": "JOINT_PUNISHMENT",
            "basis": ["RB"],
            "since": DAY,
            "until": "2026-01-15",
            "id": "LB1",
        },
    )
    assert body["data"]["listSubject"] == {"__typename": "Listed", "entitiesFlagged": 1}, body
    [stored] = ruled.query(
        "MATCH (:Listing {id: 'LB1'})-[f:FLAGS]->(e:Entity) RETURN e.uscc AS uscc, f.reason AS reason, f.path AS path"
    )
    assert (stored["uscc"], stored["reason"]) == (YB, "OWNED")
    assert stored["path"] == (
        "待列入有限公司 -[HOLDS 30.00% 2016-01-01..]-> 待列入参股有限公司; "
        "待列入有限公司 -[HOLDS 30.00% 2018-01-01..]-> 待列入参股有限公司"
    )
