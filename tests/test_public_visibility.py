"""What the public sees of persons and records, over HTTP (GraphQL and /report), checked on the raw
response bytes.

Hand-built graph, dated from today (the server's day): entity F (青岛公示测试有限公司) whose legal
representative is 李明杰 and whose supervisor is 李红 (both shown to the public as 李**, 李*); a second
entity G has the manager 王李. F has five PUBLIC penalty records: RP published 10 days ago (the only one the
public sees), RU not yet published, RR revoked and RC corrected (an upheld objection, status set as the
objection's use case sets it), and RE whose publication ended by repair. An officer sees all five.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import gql, gql_as, officer
from tests.test_linkage import ric, uscc

DEPT = "370200-SCJG"
F, G = uscc(911), uscc(912)
LI_MINGJIE, LI_HONG, WANG_LI = ric(71), ric(72), ric(73)
TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
DECIDED, PUBLISHED = TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=10)
FULL_NAMES = ("李明杰", "李红", "王李")
HIDDEN = ("明杰", "明", "杰", "红")  # the characters masking hides


def _record(rid: str, **extra: str) -> dict:
    line = {
        "kind": "record",
        "id": rid,
        "subject": {"entity": F},
        "category": "PENALTY",
        "severity": "GENERAL",
        "department": DEPT,
        "decidedOn": DECIDED.isoformat(),
        "summary": f"摘要{rid}",
    }
    return {**line, **extra}


@pytest.fixture()
def published(graph):
    lines = [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        {"kind": "entity", "uscc": F, "name": "青岛公示测试有限公司", "form": "COMPANY", "status": "ACTIVE"},
        {"kind": "entity", "uscc": G, "name": "青岛另一测试有限公司", "form": "COMPANY", "status": "ACTIVE"},
        {"kind": "person", "idNumber": LI_MINGJIE, "name": "李明杰"},
        {"kind": "person", "idNumber": LI_HONG, "name": "李红"},
        {"kind": "person", "idNumber": WANG_LI, "name": "王李"},
        {"kind": "role", "person": LI_MINGJIE, "entity": F, "role": "LEGAL_REPRESENTATIVE", "since": "2019-05-01"},
        {"kind": "role", "person": LI_HONG, "entity": F, "role": "SUPERVISOR", "since": "2019-05-01"},
        {"kind": "role", "person": WANG_LI, "entity": G, "role": "MANAGER", "since": "2019-05-01"},
        _record("RP", publishedOn=PUBLISHED.isoformat()),
        _record("RU"),
        _record("RR", publishedOn=PUBLISHED.isoformat()),
        _record("RC", publishedOn=PUBLISHED.isoformat()),
        _record("RE", publishedOn=PUBLISHED.isoformat()),
    ]
    outcome = graph.import_lines(lines)
    assert outcome.code == 0, outcome.rejects
    yesterday = TODAY - dt.timedelta(days=1)
    graph.query(
        "MATCH (r:Record {id: 'RR'}) SET r.status = 'REVOKED', r.revokedOn = $d, r.publicationEndedOn = $d", d=yesterday
    )
    graph.query("MATCH (r:Record {id: 'RC'}) SET r.status = 'CORRECTED', r.correctedOn = $d", d=yesterday)
    graph.query("MATCH (r:Record {id: 'RE'}) SET r.status = 'REPAIRED', r.publicationEndedOn = $d", d=yesterday)
    return graph


ENTITY_RECORDS = """query($uscc: USCC!) { entity(uscc: $uscc) {
  roles { edges { node { person { name } } } }
  records(first: 50) { totalCount edges { node { id: recordId summary } } } } }"""


def _raw(api, query: str, headers: dict[str, str] | None = None, **variables) -> str:
    response = api.post("/graphql", json={"query": query, "variables": variables}, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.content.decode("utf-8")


def test_the_report_masks_responsible_persons_as_graphql_does(api, published):
    page = api.get(f"/report/{F}").content.decode("utf-8")
    assert "李**" in page and "李*" in page
    for name in FULL_NAMES:
        assert name not in page
    names = {e["node"]["person"]["name"] for e in gql(api, ENTITY_RECORDS, uscc=F)["data"]["entity"]["roles"]["edges"]}
    assert names == {"李**", "李*"}


def test_the_public_sees_only_published_records(api, published):
    raw = _raw(api, ENTITY_RECORDS, uscc=F)
    records = gql(api, ENTITY_RECORDS, uscc=F)["data"]["entity"]["records"]
    assert [e["node"]["id"] for e in records["edges"]] == ["RP"] and records["totalCount"] == 1
    for hidden in ("RU", "RR", "RC", "RE"):
        assert f'"{hidden}"' not in raw and f"摘要{hidden}" not in raw
    page = api.get(f"/report/{F}").content.decode("utf-8")
    assert "摘要RP" in page
    for hidden in ("RU", "RR", "RC", "RE"):
        assert f"摘要{hidden}" not in page


def test_an_officer_sees_every_record_whatever_its_publication(api, published):
    data = gql_as(api, officer(DEPT), ENTITY_RECORDS, uscc=F)["data"]["entity"]
    assert {e["node"]["id"] for e in data["records"]["edges"]} == {"RP", "RU", "RR", "RC", "RE"}
    assert {e["node"]["person"]["name"] for e in data["roles"]["edges"]} == {"李明杰", "李红"}


SEARCH = """query($q: String!) { search(query: $q, first: 50) { edges { node { kind key name } } } }"""


@pytest.mark.parametrize("query", ["明", "杰", "红", "明杰", "李明", "李红", "李明杰"])
def test_public_search_does_not_match_hidden_characters(api, published, query):
    raw = _raw(api, SEARCH, q=query)
    hits = gql(api, SEARCH, q=query)["data"]["search"]["edges"]
    assert [h for h in hits if h["node"]["kind"] == "PERSON"] == []
    for name in FULL_NAMES:
        assert name not in raw


def test_public_search_matches_the_visible_character_in_an_order_that_hides_the_rest(api, published):
    hits = gql(api, SEARCH, q="李")["data"]["search"]["edges"]
    persons = [h["node"] for h in hits if h["node"]["kind"] == "PERSON"]
    # 李明杰 and 李红 show 李; 王李 shows 王* and must not be found by its hidden 李
    assert sorted(p["name"] for p in persons) == ["李*", "李**"]
    raw = _raw(api, SEARCH, q="李")
    for name in FULL_NAMES:
        assert name not in raw
    assert persons[0]["name"] == "李*"  # shorter name first, then nothing that depends on hidden characters
    wang = gql(api, SEARCH, q="王")["data"]["search"]["edges"]
    assert [h["node"]["name"] for h in wang if h["node"]["kind"] == "PERSON"] == ["王*"]


def test_a_reader_with_a_credential_searches_full_names(api, published):
    hits = gql_as(api, officer(DEPT), SEARCH, q="明杰")["data"]["search"]["edges"]
    assert [h["node"]["name"] for h in hits if h["node"]["kind"] == "PERSON"] == ["李明杰"]
    one = gql_as(api, officer(DEPT), SEARCH, q="李")["data"]["search"]["edges"]
    assert {h["node"]["name"] for h in one if h["node"]["kind"] == "PERSON"} == {"李明杰", "李红", "王李"}
