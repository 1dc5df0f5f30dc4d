"""`screen` of subjects by name alone, over HTTP, on a hand-built graph whose answers were worked out by hand.

The graph (region codes: 110108 Beijing Haidian, 310000 Shanghai, 370200 Qingdao, 440300 Shenzhen):
    B1 北京某某科技有限公司 (110108), on the joint-punishment list L9 from 2024-01-15 (basis R9, a serious
       penalty decided 2023-12-01), so on 2024-06-01 it may not bid (RESTRICT_BIDDING)
    B2 上海某某贸易有限公司 (310000), shares only 某某 with B1's name
    B3 青岛(黄岛)矩阵实业有限公司 (370200), with half-width brackets
    B4 深圳某某网络有限公司 (440300), the candidate a sanctions officer rules out
    P1 欧阳某某, a person born 1980 (resident identity number 370202198001010xx), no roles
    F1..F25 杭州{two brand characters}科技有限公司, 25 firms sharing only 科技 (and the suffix) with B1's name

Worked out with domain/name_matching.py's rules (score of the name signal, then region and birth year):
- 北京某某科技有限责任公司: normalised to 北京某某科技有限公司 = B1's name -> B1, 0.97, [NORMALISED];
  B2's core 上海某某贸易 shares 2 of 6 characters and little pinyin -> under 0.75, not proposed.
- 青岛（黄岛）矩阵实业有限公司 (full-width brackets) -> B3, 0.97, [NORMALISED].
- BJ某某科技有限公司 with region 11: initials bjmmkj = B1's (北京某某科技) -> B1, 0.8, [INITIALS, REGION].
- 北京谋谋科技有限公司: 谋 and 某 are both mou -> B1, 0.9, [PINYIN].
- 欧阳某某 with birth year 1980: the investigator gets P1, 1.0, [EXACT, BIRTH_YEAR]; with 1975 the score is
  1.0 x 0.7 = 0.7 < 0.75, no candidate; the public gets no person and the item's note.
- B4 for 深圳某某网络有限责任公司: proposed (0.97) until decided NOT_A_MATCH; then not, for the same name
  written either way, while B1 is still proposed for its own name.
- 北京某某技有限公司 (科 dropped): its terms 北京 京某 某某 某技 are not all in B1's name (某技 is not), all but
  one are -> B1 from the second tier; cores of 5 and 6 characters with 5 in common: ratio 2x5/11 = 90.9, pinyin
  beijingmoumouji (15) in beijingmoumoukeji (17): 2x15/32 = 93.75 -> 0.9375 x 0.9 = 0.844, [FUZZY].
- 北京某某科技有限公司's search: all of its terms (北京 京某 某某 某科 科技) are in B1's name alone, so the search
  stops there with one hit; any one of them would have hit B1, B2, B4 (某某) and the 25 F firms (科技)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from graph_api.domain import name_matching as nm
from graph_api.domain.identifiers import ric_check_char, uscc_check_char
from graph_api.services.screening import lucene
from graph_api.store.cypher_loader import queries
from tests.conftest import gql, gql_after_own_audit, gql_as, investigator, token

DEPT = "370200-SCJG"


def _uscc(n: int) -> str:
    body = f"91110108MA{n:07d}"
    return body + uscc_check_char(body)


def _ric(n: int) -> str:
    body = f"37020219800101{n:03d}"
    return body + ric_check_char(body)


B1, B2, B3, B4 = (_uscc(i) for i in range(1, 5))
P1 = _ric(21)
FLOOD = [_uscc(100 + i) for i in range(25)]
BRANDS = "华鑫盛鼎恒泰昌隆兴瑞祥宏达永康信诚金源丰正嘉和润博创新远航佳安宁益美德天宇星辰光明中合"

SCREEN = """query($subjects: [ScreenSubjectInput!]!, $asOf: Date) {
  screen(subjects: $subjects, scenario: BIDDING, asOf: $asOf) {
    index subject { name region birthYear }
    error { code reason }
    note
    candidates { id score matched entity { uscc name } person { name idNumberMasked } eligibility { allowed } }
  }
}"""

DECIDE = """mutation($name: String!, $candidate: ID!, $decision: ScreenMatchDecision!) {
  decideScreenMatch(name: $name, candidate: $candidate, decision: $decision) {
    __typename
    ... on ScreenMatchDecided { name candidate decision }
    ... on Refusal { code }
  }
}"""


def sanctions() -> dict[str, str]:
    return {**token("SANCTIONS", "sanctions-1"), "x-purpose": quote("投标审查 automated test")}


def build() -> list[dict]:
    def entity(code, name, region):
        return {
            "kind": "entity",
            "uscc": code,
            "name": name,
            "form": "COMPANY",
            "status": "ACTIVE",
            "region": region,
            "established": "2015-01-01",
        }

    return [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        entity(B1, "北京某某科技有限公司", "110108"),
        entity(B2, "上海某某贸易有限公司", "310000"),
        entity(B3, "青岛(黄岛)矩阵实业有限公司", "370200"),
        entity(B4, "深圳某某网络有限公司", "440300"),
        {"kind": "person", "idNumber": P1, "name": "欧阳某某"},
        *(entity(code, f"杭州{BRANDS[2 * i : 2 * i + 2]}科技有限公司", "330100") for i, code in enumerate(FLOOD)),
        {
            "kind": "record",
            "id": "R9",
            "subject": {"entity": B1},
            "category": "PENALTY",
            "severity": "SERIOUS",
            "department": DEPT,
            "decidedOn": "2023-12-01",
            "publishedOn": "2023-12-05",
        },
        {
            "kind": "listing",
            "id": "L9",
            "subject": {"entity": B1},
            "list": "JOINT_PUNISHMENT",
            "department": DEPT,
            "basis": ["R9"],
            "since": "2024-01-15",
            "until": "2026-01-15",
        },
    ]


@pytest.fixture(scope="module")
def named(module_graph):
    outcome = module_graph.import_lines(build())
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


def screen(api, subjects, actor=None):
    body = gql_as(api, actor if actor is not None else investigator(), SCREEN, subjects=subjects, asOf="2024-06-01")
    assert "errors" not in body, body
    return body["data"]["screen"]


def found(item):
    return [(c["entity"]["uscc"] if c["entity"] else "person", c["score"], c["matched"]) for c in item["candidates"]]


def test_a_suffix_variant_is_the_same_name_and_the_candidate_has_its_answer(api, named):
    [item] = screen(api, [{"name": "北京某某科技有限责任公司"}])
    assert found(item) == [(B1, 0.97, ["NORMALISED"])]
    assert item["candidates"][0]["entity"]["name"] == "北京某某科技有限公司"
    assert item["candidates"][0]["eligibility"] == {"allowed": False}
    assert item["note"] is None and item["error"] is None


def test_full_width_brackets_are_the_same_name(api, named):
    [item] = screen(api, [{"name": "青岛（黄岛）矩阵实业有限公司"}])
    assert found(item) == [(B3, 0.97, ["NORMALISED"])]
    assert item["candidates"][0]["eligibility"] == {"allowed": True}


def test_pinyin_initials_and_the_region_match(api, named):
    [item] = screen(api, [{"name": "BJ某某科技有限公司", "region": "11"}])
    assert found(item) == [(B1, 0.8, ["INITIALS", "REGION"])]
    assert item["subject"] == {"name": "BJ某某科技有限公司", "region": "11", "birthYear": None}


def test_a_homophone_matches_by_pinyin(api, named):
    [item] = screen(api, [{"name": "北京谋谋科技有限公司"}])
    assert found(item) == [(B1, 0.9, ["PINYIN"])]


def test_a_person_by_name_and_birth_year_for_an_investigator(api, named):
    matching, other_year = screen(
        api, [{"name": "欧阳某某", "birthYear": 1980}, {"name": "欧阳某某", "birthYear": 1975}]
    )
    assert found(matching) == [("person", 1.0, ["EXACT", "BIRTH_YEAR"])]
    assert matching["candidates"][0]["person"] == {"name": "欧阳某某", "idNumberMasked": P1[:4] + "*" * 10 + P1[-4:]}
    assert matching["candidates"][0]["eligibility"] == {"allowed": True}
    assert other_year["candidates"] == [] and other_year["note"] is None


def test_the_public_is_matched_no_person_and_told_so(api, named):
    body = gql(api, SCREEN, subjects=[{"name": "欧阳某某"}, {"name": "北京某某科技有限公司"}], asOf="2024-06-01")
    assert "errors" not in body, body
    person, firm = body["data"]["screen"]
    assert person["candidates"] == []
    assert "persons" in person["note"] and "entities only" in person["note"]
    assert found(firm) == [(B1, 1.0, ["EXACT"])]
    assert firm["note"] == person["note"]


def test_bad_name_items_are_errors_of_their_items(api, named):
    items = screen(
        api,
        [
            {"name": "   "},
            {"name": "北京某某科技有限公司", "uscc": B1},
            {"uscc": B1, "region": "11"},
            {"name": "x" * 201},
        ],
    )
    assert [i["error"]["code"] for i in items] == ["BAD_USER_INPUT"] * 4
    assert all(i["candidates"] is None for i in items)


def test_a_decision_not_a_match_suppresses_the_candidate_for_that_name(api, named):
    [before] = screen(api, [{"name": "深圳某某网络有限责任公司"}])
    assert found(before) == [(B4, 0.97, ["NORMALISED"])]
    candidate = before["candidates"][0]["id"]

    refused = gql(api, DECIDE, name="深圳某某网络有限责任公司", candidate=candidate, decision="NOT_A_MATCH")
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", refused
    by_investigator = gql_as(
        api, investigator(), DECIDE, name="深圳某某网络有限责任公司", candidate=candidate, decision="NOT_A_MATCH"
    )
    assert by_investigator["errors"][0]["extensions"]["code"] == "FORBIDDEN", by_investigator

    body = gql_as(
        api, sanctions(), DECIDE, name="深圳某某网络有限责任公司", candidate=candidate, decision="NOT_A_MATCH"
    )
    assert body["data"]["decideScreenMatch"] == {
        "__typename": "ScreenMatchDecided",
        "name": "深圳某某网络有限公司",
        "candidate": candidate,
        "decision": "NOT_A_MATCH",
    }, body
    [entry] = named.query("MATCH (a:AuditEntry {operation: 'decideScreenMatch'}) RETURN a.user AS user, a.kind AS kind")
    assert entry == {"user": "sanctions-1", "kind": "CHANGE"}

    after = screen(
        api, [{"name": "深圳某某网络有限责任公司"}, {"name": "深圳 某某网络有限公司"}, {"name": "北京某某科技有限公司"}]
    )
    assert [found(i) for i in after] == [[], [], [(B1, 1.0, ["EXACT"])]]


def test_deciding_again_replaces_the_decision_and_an_unknown_candidate_is_not_found(api, named):
    [first] = screen(api, [{"name": "青岛黄岛矩阵实业有限公司"}])
    candidate = first["candidates"][0]["id"]
    for decision in ("NOT_A_MATCH", "MATCH"):
        body = gql_as(api, sanctions(), DECIDE, name="青岛黄岛矩阵实业有限公司", candidate=candidate, decision=decision)
        assert body["data"]["decideScreenMatch"]["decision"] == decision, body
    [again] = screen(api, [{"name": "青岛黄岛矩阵实业有限公司"}])
    assert [c["entity"]["uscc"] for c in again["candidates"]] == [B3]
    [row] = named.query("MATCH (d:ScreenDecision {candidate: $c}) RETURN d.decision AS decision, count(d) AS n", c=B3)
    assert row == {"decision": "MATCH", "n": 1}

    unknown = gql_as(api, sanctions(), DECIDE, name="青岛黄岛矩阵实业有限公司", candidate="nonsense", decision="MATCH")
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND", unknown


def test_round_trips_do_not_grow_with_the_names(api, named):
    """Codes and names read in one round (a statement each), the candidates' facts in a second (one a kind):
    the same for 3 subjects as for 101: 4 reads, and 1 for the audit entry the person candidate makes (as in
    test_screen.py)."""
    query = "query($s: [ScreenSubjectInput!]!) { screen(subjects: $s, scenario: BIDDING) { index } }"
    small = gql_after_own_audit(
        api, investigator(), query, s=[{"name": "北京某某科技有限公司"}, {"name": "欧阳某某"}, {"uscc": B2}]
    )
    names = [
        "北京某某科技有限公司",
        "青岛（黄岛）矩阵实业有限公司",
        "欧阳某某",
        "深圳某某网络有限公司",
        "无此公司",
    ] * 20
    big = gql_as(api, investigator(), query, s=[{"name": n} for n in names] + [{"uscc": B2}])
    assert "errors" not in small and "errors" not in big, (small, big)
    assert small["extensions"]["dbRoundTrips"] == big["extensions"]["dbRoundTrips"] == 5


def test_a_name_with_a_character_dropped_is_found_by_all_but_one_of_its_terms(api, named):
    [item] = screen(api, [{"name": "北京某某技有限公司"}])
    assert found(item) == [(B1, 0.844, ["FUZZY"])]


def search(graph, name: str) -> dict:
    key = nm.normalise(name)
    names = [{"key": key, "tiers": [lucene(t) for t in nm.search_tiers(key)]}]
    [row] = graph.query(queries.screen_name_candidates.text, names=names, withPersons=True, cap=nm.CANDIDATE_CAP)
    return {"tier": row["tier"], "hits": sorted(h["key"] for h in row["hits"])}


def test_a_name_whose_terms_are_common_does_not_flood_the_search(named):
    assert search(named, "北京某某科技有限公司") == {"tier": 1, "hits": [B1]}
    assert search(named, "北京某某技有限公司") == {"tier": 2, "hits": [B1]}
    # what any one term finds (the search before the tiers): the 25 F firms for 科技 alone, capped
    any_term = [{"key": "k", "tiers": [lucene(nm.search_tiers("北京某某科技有限公司")[-1])]}]
    [row] = named.query(queries.screen_name_candidates.text, names=any_term, withPersons=False, cap=50)
    assert sorted(h["key"] for h in row["hits"]) == sorted([B1, B2, B4, *FLOOD])
