"""The name-matching rules of domain/name_matching.py, case by case (scores worked out by hand from its
weights: EXACT 1.0, NORMALISED 0.97, PINYIN 0.9, INITIALS 0.8, a region that differs x0.8, a birth year x0.7)."""

from __future__ import annotations

import pytest

from graph_api.domain import name_matching as nm
from graph_api.errors import BadUserInput


@pytest.mark.parametrize(
    ("sent", "normalised"),
    [
        ("北京某某科技有限责任公司", "北京某某科技有限公司"),
        ("北京某某科技股份有限公司", "北京某某科技有限公司"),
        ("青岛（黄岛）矩阵有限公司", "青岛(黄岛)矩阵有限公司"),
        ("青岛【黄岛】矩阵有限公司", "青岛(黄岛)矩阵有限公司"),
        (" \uff21\uff22\uff23 科技\u3000有限公司 ", "abc科技有限公司"),  # full-width letters, an ideographic space
    ],
)
def test_normalise(sent, normalised):
    assert nm.normalise(sent) == normalised


@pytest.mark.parametrize(
    ("sent", "found", "score", "matched"),
    [
        ("北京某某科技有限公司", "北京某某科技有限公司", 1.0, ("EXACT",)),
        ("北京某某科技有限责任公司", "北京某某科技有限公司", 0.97, ("NORMALISED",)),
        ("北京谋谋科技有限公司", "北京某某科技有限公司", 0.9, ("PINYIN",)),
        ("beijing moumou keji", "北京某某科技有限公司", 0.9, ("PINYIN",)),
        ("BJMMKJ", "北京某某科技有限公司", 0.8, ("INITIALS",)),
    ],
)
def test_name_signals(sent, found, score, matched):
    assert nm.match(sent, nm.Candidate(found)) == nm.NameMatch(score, matched)


def test_a_different_firm_scores_under_the_threshold():
    assert nm.match("上海某某贸易有限公司", nm.Candidate("北京某某科技有限公司")).score < nm.MIN_SCORE


def test_region_and_birth_year_confirm_or_lower():
    firm = nm.Candidate("北京某某科技有限公司", region="110108")
    assert nm.match("北京某某科技有限公司", firm, region="11") == nm.NameMatch(1.0, ("EXACT", "REGION"))
    assert nm.match("北京某某科技有限公司", firm, region="31") == nm.NameMatch(0.8, ("EXACT",))
    person = nm.Candidate("欧阳某某", birth_year=1980)
    assert nm.match("欧阳某某", person, birth_year=1980) == nm.NameMatch(1.0, ("EXACT", "BIRTH_YEAR"))
    assert nm.match("欧阳某某", person, birth_year=1975) == nm.NameMatch(0.7, ("EXACT",))
    assert nm.match("欧阳某某", nm.Candidate("欧阳某某"), birth_year=1975) == nm.NameMatch(1.0, ("EXACT",))


def test_birth_year_of_a_resident_number_only():
    assert nm.birth_year_of("370202198001010214", "RIC") == 1980
    assert nm.birth_year_of("E12345678", "PASSPORT") is None


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("北京某某科技", ["北京", "京某", "某某", "某科", "科技"]),  # overlapping bigrams, as the CJK analyser
        ("bj某某科技", ["bj", "某某", "某科", "科技"]),  # a run of letters is one term
        ("某某某", ["某某"]),  # distinct
        ("华", ["华"]),  # a lone character is its own term
        ("a-b3d打印", ["a", "b3d", "打印"]),  # other characters (Lucene's syntax among them) separate terms
    ],
)
def test_index_terms(text, terms):
    assert nm.index_terms(text) == terms


def test_search_tiers_all_then_all_but_one_then_any():
    assert nm.search_tiers("欧阳某某") == [
        [["欧阳", "阳某", "某某"]],
        [["阳某", "某某"], ["欧阳", "某某"], ["欧阳", "阳某"]],
        [["欧阳"], ["阳某"], ["某某"]],
    ]
    assert nm.search_tiers("王小明") == [[["王小", "小明"]], [["王小"], ["小明"]]]  # two terms: no middle tier
    assert nm.search_tiers("王伟") == [[["王伟"]]]
    assert nm.search_tiers("有限公司") == []  # nothing but the suffix: nothing to search for


def test_the_middle_tier_of_a_long_name_leaves_out_one_of_its_first_terms():
    key = nm.normalise("一二三四五六七八九十甲乙丙丁戊有限公司")  # 15 characters: 14 terms
    everything, middle, _ = nm.search_tiers(key)
    assert len(everything[0]) == 14
    assert len(middle) == nm.TIER_TERMS == 12 and all(len(terms) == 11 for terms in middle)
    # terms 一二 … 乙丙 are the first twelve: the first alternative leaves out 一二, the last 乙丙
    assert middle[0][0] == "二三" and middle[-1][-1] == "甲乙"
    assert all("丙丁" not in terms for terms in middle)


def test_the_shortlist_ranks_drops_and_caps():
    q = nm.name_query(" 北京某某科技有限公司 ", region="11")
    found = [
        nm.Candidate("上海某某贸易有限公司"),  # under MIN_SCORE
        nm.Candidate("北京某某科技有限责任公司", region="310000"),  # 0.97 x 0.8
        nm.Candidate("北京某某科技有限公司", region="110108"),  # 1.0, REGION
        nm.Candidate("贝晶谋谋柯基有限公司"),  # all pinyin the same, no character: not close enough, never scored
    ]
    assert nm.match(q.name, found[3]) == nm.NameMatch(0.9, ("PINYIN",))
    assert nm.shortlist(q, found) == [
        (2, nm.NameMatch(1.0, ("EXACT", "REGION"))),
        (1, nm.NameMatch(0.776, ("NORMALISED",))),
    ]
    many = [nm.Candidate("北京某某科技有限公司")] * 12
    assert [i for i, _ in nm.shortlist(q, many)] == list(range(nm.MAX_CANDIDATES))  # equal scores: in order found


def test_name_query_checks_its_input():
    assert nm.name_query(" 北京 ", " ", 1980) == nm.NameQuery("北京", None, 1980)
    for bad in ({"name": "  "}, {"name": "x" * 201}, {"name": "北京", "birth_year": 80}):
        with pytest.raises(BadUserInput):
            nm.name_query(**bad)


def test_a_search_asks_for_no_suffix_and_no_bigram_across_a_bracket():
    # the index has 煌祺（合肥）电器有限公司 as 煌祺 | 合肥 | 电器 有限 …: no 祺合 or 肥电 to find
    assert nm.search_tiers(nm.normalise("煌祺（合肥）电器有限责任公司"))[0] == [["煌祺", "合肥", "电器"]]
    # a branch's name has a suffix inside: 有限责任公司 there is 有限公司 in the index
    branch = nm.normalise("上海满隆集团股份有限责任公司杨浦分公司")
    terms = ["上海", "海满", "满隆", "隆集", "集团", "团股", "股份", "杨浦", "浦分", "分公", "公司"]
    assert nm.search_tiers(branch)[0] == [terms]  # each in the index's 上海满隆集团股份有限公司杨浦分公司
