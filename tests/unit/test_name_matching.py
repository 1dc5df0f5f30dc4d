"""The name-matching rules of domain/name_matching.py, case by case (scores worked out by hand from its
weights: EXACT 1.0, NORMALISED 0.97, PINYIN 0.9, INITIALS 0.8, a region that differs x0.8, a birth year x0.7)."""

from __future__ import annotations

import pytest

from graph_api.domain import name_matching as nm


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
