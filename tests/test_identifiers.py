"""Identifiers by their national standards: codes of real public registrations are accepted, every
registration-authority code the standard allows (letters included) is accepted, and corrupted codes
are refused — by the validators and through the importer."""

from __future__ import annotations

import pytest

from graph_api.domain.identifiers import (
    USCC_ALPHABET,
    InvalidIdentifier,
    ric_check_char,
    uscc_check_char,
    validate_ric,
    validate_uscc,
)

# Unified social credit codes of well-known registrants, as published on their business licences.
PUBLIC_USCCS = [
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 腾讯科技（深圳）有限公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "91110000710925462X",  # 中国石油天然气股份有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "12100000400000624D",  # 北京大学 (public institution, authority 1 category 2)
    "91350100M000100Y43",  # a Fuzhou registration whose organisation part has letters
]
# The two worked examples printed in GB 11643-1999 itself (not real persons).
STANDARD_RICS = ["11010519491231002X", "440524188001010014"]


def _with_check(first17: str) -> str:
    return first17 + uscc_check_char(first17)


@pytest.mark.parametrize("code", PUBLIC_USCCS)
def test_public_registrations_are_accepted(code):
    assert validate_uscc(code) == code
    assert validate_uscc(code.lower()) == code


@pytest.mark.parametrize("prefix", ["11", "12", "13", "19", "21", "31", "32", "33", "34", "35", "41", "51", "52", "53",
                                    "59", "61", "62", "71", "72", "81", "91", "92", "93", "A1", "A9", "N1", "N2", "N3",
                                    "N9", "Y1"])
def test_every_registration_authority_and_category_code_is_accepted(prefix):
    code = _with_check(prefix + "370200" + "MA3C5XXX1")
    assert validate_uscc(code) == code


@pytest.mark.parametrize("code", PUBLIC_USCCS)
def test_any_single_corrupted_character_is_refused(code):
    for position in range(18):
        for replacement in USCC_ALPHABET:
            if replacement == code[position]:
                continue
            corrupted = code[:position] + replacement + code[position + 1:]
            with pytest.raises(InvalidIdentifier) as info:
                validate_uscc(corrupted)
            assert info.value.code == "INVALID_USCC"


@pytest.mark.parametrize("code,reason", [
    ("91440300192203821", "18 characters"),
    ("91440300I92203821X", "'I'"),
    ("9144O300192203821X", "'O'"),
    ("9144030A192203821" + "X", "administrative division"),
])
def test_malformed_codes_say_what_is_wrong(code, reason):
    with pytest.raises(InvalidIdentifier) as info:
        validate_uscc(code)
    assert reason in info.value.message


@pytest.mark.parametrize("number", STANDARD_RICS)
def test_standard_identity_numbers_are_accepted_and_corruptions_refused(number):
    assert validate_ric(number) == number
    assert validate_ric(number.lower()) == number
    for position in range(17):
        digit = number[position]
        corrupted = number[:position] + str((int(digit) + 1) % 10) + number[position + 1:]
        with pytest.raises(InvalidIdentifier):
            validate_ric(corrupted)


@pytest.mark.parametrize("birth,ok", [("19000101", True), ("20000229", True), ("19000229", False), ("20231301", False),
                                      ("29990101", False)])
def test_identity_number_birth_date_is_checked(birth, ok):
    body = "370202" + birth + "012"
    number = body + ric_check_char(body)
    if ok:
        assert validate_ric(number) == number
    else:
        with pytest.raises(InvalidIdentifier, match="birth date"):
            validate_ric(number)


def test_importer_accepts_public_codes_and_refuses_corrupted_ones(graph):
    lines = [{"kind": "entity", "uscc": code, "name": f"公示主体{i}", "form": "COMPANY", "status": "ACTIVE"}
             for i, code in enumerate(PUBLIC_USCCS)]
    lines += [{"kind": "entity", "uscc": _with_check("N2370200MA3C5XXX1"), "name": "某村股份经济合作社",
               "form": "RURAL_COLLECTIVE", "status": "ACTIVE"}]
    lines += [{"kind": "person", "idNumber": n, "name": "标准示例"} for n in STANDARD_RICS]
    corrupted_uscc = PUBLIC_USCCS[0][:10] + "9" + PUBLIC_USCCS[0][11:]
    corrupted_ric = STANDARD_RICS[1][:-1] + "5"
    lines += [{"kind": "entity", "uscc": corrupted_uscc, "name": "篡改", "form": "COMPANY", "status": "ACTIVE"},
              {"kind": "person", "idNumber": corrupted_ric, "name": "篡改"}]
    outcome = graph.import_lines(lines)
    assert outcome.counts["entity"]["created"] == len(PUBLIC_USCCS) + 1
    assert outcome.counts["person"]["created"] == 2
    assert sorted(r["code"] for r in outcome.rejects) == ["INVALID_ID_NUMBER", "INVALID_USCC"]
