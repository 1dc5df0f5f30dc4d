"""Identifiers by their national standards (domain/identifiers.py): codes of real public registrations
are accepted, every registration-authority code the standard allows (letters included) is accepted,
and corrupted codes are refused. The importer's side is in tests/test_identifiers.py."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_api.domain.identifiers import (
    USCC_ALPHABET,
    InvalidIdentifier,
    looks_like_ric,
    normalize_person_ref,
    ric_check_char,
    uscc_check_char,
    validate_person_id,
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


def with_check(first17: str) -> str:
    return first17 + uscc_check_char(first17)


@pytest.mark.parametrize("code", PUBLIC_USCCS)
def test_public_registrations_are_accepted(code):
    assert validate_uscc(code) == code
    assert validate_uscc(code.lower()) == code


@pytest.mark.parametrize(
    "prefix",
    [
        "11",
        "12",
        "13",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "41",
        "51",
        "52",
        "53",
        "59",
        "61",
        "62",
        "71",
        "72",
        "81",
        "91",
        "92",
        "93",
        "A1",
        "A9",
        "N1",
        "N2",
        "N3",
        "N9",
        "Y1",
    ],
)
def test_every_registration_authority_and_category_code_is_accepted(prefix):
    code = with_check(prefix + "370200" + "MA3C5XXX1")
    assert validate_uscc(code) == code


@pytest.mark.parametrize("code", PUBLIC_USCCS)
def test_any_single_corrupted_character_is_refused(code):
    for position in range(18):
        for replacement in USCC_ALPHABET:
            if replacement == code[position]:
                continue
            corrupted = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(InvalidIdentifier) as info:
                validate_uscc(corrupted)
            assert info.value.code == "INVALID_USCC"


@pytest.mark.parametrize(
    "code,reason",
    [
        ("91440300192203821", "18 characters"),
        ("91440300I92203821X", "'I'"),
        ("9144O300192203821X", "'O'"),
        ("9144030A192203821" + "X", "administrative division"),
    ],
)
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
        corrupted = number[:position] + str((int(digit) + 1) % 10) + number[position + 1 :]
        with pytest.raises(InvalidIdentifier):
            validate_ric(corrupted)


@pytest.mark.parametrize(
    "birth,ok", [("19000101", True), ("20000229", True), ("19000229", False), ("20231301", False), ("29990101", False)]
)
def test_identity_number_birth_date_is_checked(birth, ok):
    body = "370202" + birth + "012"
    number = body + ric_check_char(body)
    if ok:
        assert validate_ric(number) == number
    else:
        with pytest.raises(InvalidIdentifier, match="birth date"):
            validate_ric(number)


def test_check_characters_of_the_printed_examples():
    # The last character of a licence-printed code and of GB 11643's own example, from the first 17.
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert uscc_check_char("91440300192203821") == "6"
    assert ric_check_char("11010519491231002") == "X"
    assert ric_check_char("44052418800101001") == "4"


def test_surrounding_spaces_are_dropped_and_lower_case_raised():
    assert validate_uscc("  91110108551385082q ") == "91110108551385082Q"
    assert validate_ric(" 11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    "code,reason",
    [
        ("01440300192203821X", "cannot be 0"),
        ("90440300192203821X", "cannot be 0"),
        ("914403001922038217", "check character"),
    ],
)
def test_authority_zero_and_a_wrong_check_character_say_so(code, reason):
    with pytest.raises(InvalidIdentifier) as info:
        validate_uscc(code)
    assert info.value.code == "INVALID_USCC"
    assert reason in info.value.message


def test_a_non_string_is_a_clear_refusal_not_a_crash():
    with pytest.raises(InvalidIdentifier, match="18 characters, got 0"):
        validate_uscc(None)  # what a JSON null would bring


def test_an_identity_number_born_before_1880_is_not_plausible():
    body = "370202" + "18791231" + "012"
    with pytest.raises(InvalidIdentifier, match="not plausible"):
        validate_ric(body + ric_check_char(body))


def test_an_identity_number_born_after_today_is_not_plausible():
    body = "370202" + "20300101" + "012"
    with pytest.raises(InvalidIdentifier, match="not plausible"):
        validate_ric(body + ric_check_char(body), today=dt.date(2026, 6, 30))


@pytest.mark.parametrize(
    "value,id_type,expected",
    [
        ("e12345678", "PASSPORT", "E12345678"),
        ("ab-12", "OTHER", "AB-12"),
    ],
)
def test_other_identity_documents_keep_letters_digits_and_dashes(value, id_type, expected):
    assert validate_person_id(value, id_type) == expected


@pytest.mark.parametrize("value", ["", "A B", "Ä1", "X" * 65])
def test_other_identity_documents_refuse_anything_else(value):
    with pytest.raises(InvalidIdentifier) as info:
        validate_person_id(value, "PASSPORT")
    assert info.value.code == "INVALID_ID_NUMBER"


def test_a_person_reference_shaped_like_an_identity_number_is_held_to_the_standard():
    assert looks_like_ric("11010519491231002x")
    assert normalize_person_ref("11010519491231002x") == "11010519491231002X"
    with pytest.raises(InvalidIdentifier):
        normalize_person_ref("110105194912310021")  # the right shape, a wrong check digit
    assert normalize_person_ref("p-0042") == "P-0042"  # not that shape: looked up as given
