"""Parsing one interchange line (ingest/interchange.py): a valid line becomes its model with
normalised identifiers; a bad one becomes a Rejection whose code and message name what to fix."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest

from graph_api.ingest.interchange import (
    EntityLine,
    HoldingLine,
    PersonLine,
    Rejection,
    canonical_json,
    check_line_rules,
    content_hash,
    parse_line,
)

UA = "91110108551385082Q"  # 小米科技有限责任公司's published code
UB = "914403001922038216"  # 华为技术有限公司's
RIC = "11010519491231002X"  # GB 11643's printed example
TODAY = dt.date(2026, 6, 30)


def line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


def rejected(raw: str) -> Rejection:
    result = parse_line(raw)
    assert isinstance(result, Rejection), result
    return result


def test_an_entity_line_is_parsed_with_its_code_normalised():
    parsed = parse_line(
        line(
            kind="entity",
            uscc=UA.lower(),
            name="小米",
            form="COMPANY",
            status="ACTIVE",
            established="2010-03-03",
            region="110108",
        )
    )
    assert isinstance(parsed, EntityLine)
    assert (parsed.uscc, parsed.established, parsed.region, parsed.address) == (UA, dt.date(2010, 3, 3), "110108", None)


def test_a_person_line_defaults_to_a_resident_identity_number_and_normalises_it():
    parsed = parse_line(line(kind="person", idNumber=RIC.lower(), name="标准示例"))
    assert isinstance(parsed, PersonLine)
    assert (parsed.idNumber, parsed.idType) == (RIC, "RIC")


def test_a_holding_by_a_person_is_parsed():
    parsed = parse_line(line(kind="holding", holder={"person": RIC}, entity=UA, ratio=0.25, since="2020-01-01"))
    assert isinstance(parsed, HoldingLine)
    assert (parsed.holder.person, parsed.holder.entity, parsed.ratio, parsed.until) == (RIC, None, 0.25, None)


@pytest.mark.parametrize(
    "raw,code",
    [
        ('{"kind": "entity", ', "INVALID_JSON"),
        ("[1, 2]", "NOT_AN_OBJECT"),
        ('{"uscc": "x"}', "MISSING_KIND"),
        ('{"kind": "company"}', "UNKNOWN_KIND"),
    ],
)
def test_lines_that_are_not_a_known_object_say_so(raw, code):
    assert rejected(raw).code == code


def test_an_unknown_kind_names_the_kinds_there_are():
    r = rejected('{"kind": "company"}')
    assert "'company'" in r.message
    assert "department, entity, person" in r.message


def test_a_missing_field_is_named():
    r = rejected(line(kind="entity", uscc=UA, form="COMPANY", status="ACTIVE"))
    assert (r.code, r.kind) == ("MISSING_FIELD", "entity")
    assert r.message == "entity line: required field 'name' is missing"


def test_a_field_outside_the_format_is_named():
    r = rejected(line(kind="department", code="D1", name="市场监管局", region="370200", head="x"))
    assert r.code == "UNEXPECTED_FIELD"
    assert "'head'" in r.message


def test_every_problem_of_a_line_is_in_one_message_and_the_code_is_the_first():
    r = rejected(line(kind="entity", uscc=UA, name="小米", form="LLC", status="OPEN"))
    assert r.code == "INVALID_VALUE"
    assert "form = 'LLC' is not allowed" in r.message
    assert "status = 'OPEN' is not allowed" in r.message


@pytest.mark.parametrize("value", ["2024-02-30", "2024/01/01", "20240101", 20240101])
def test_dates_must_be_real_and_written_yyyy_mm_dd(value):
    r = rejected(line(kind="role", person=RIC, entity=UA, role="DIRECTOR", since=value))
    assert r.code == "INVALID_DATE"
    assert "since" in r.message


@pytest.mark.parametrize("ratio", [0, 1.5, -0.1, "0.5"])
def test_a_ratio_is_a_number_above_zero_and_at_most_one(ratio):
    # "0.5" as a string too: the format is strict JSON types, a clerk's spreadsheet text is not a number.
    r = rejected(line(kind="holding", holder={"entity": UB}, entity=UA, ratio=ratio, since="2020-01-01"))
    assert r.code == "INVALID_RATIO"


def test_a_region_is_six_digits():
    r = rejected(line(kind="department", code="D1", name="局", region="3702"))
    assert r.code == "INVALID_REGION"


def test_a_corrupted_code_is_refused_with_the_identifier_reason():
    r = rejected(line(kind="entity", uscc=UA[:-1] + "R", name="小米", form="COMPANY", status="ACTIVE"))
    assert r.code == "INVALID_USCC"
    assert "check character" in r.message


@pytest.mark.parametrize("holder", [{}, {"entity": UB, "person": RIC}])
def test_a_party_names_exactly_one_of_entity_and_person(holder):
    r = rejected(line(kind="holding", holder=holder, entity=UA, ratio=0.5, since="2020-01-01"))
    assert r.code == "INVALID_PARTY"


def _rule(raw: str) -> Rejection | None:
    parsed = parse_line(raw)
    assert not isinstance(parsed, Rejection), parsed
    return check_line_rules(parsed, TODAY)


def test_a_line_that_breaks_no_cross_field_rule_passes():
    assert (
        _rule(line(kind="role", person=RIC, entity=UA, role="DIRECTOR", since="2020-01-01", until="2020-01-01")) is None
    )


@pytest.mark.parametrize(
    "raw,code",
    [
        (
            line(kind="role", person=RIC, entity=UA, role="DIRECTOR", since="2021-01-01", until="2020-12-31"),
            "INVALID_PERIOD",
        ),
        (
            line(
                kind="record",
                id="R1",
                subject={"entity": UA},
                category="PENALTY",
                department="D1",
                decidedOn="2026-05-01",
                publishedOn="2026-04-30",
            ),
            "INVALID_PERIOD",
        ),
        (line(kind="holding", holder={"entity": UB}, entity=UA, ratio=0.5, since="2026-07-01"), "FUTURE_DATE"),
        (
            line(kind="entity", uscc=UA, name="小米", form="COMPANY", status="ACTIVE", established="2026-07-01"),
            "FUTURE_DATE",
        ),
        (
            line(
                kind="record",
                id="R1",
                subject={"entity": UA},
                category="REWARD",
                department="D1",
                decidedOn="2026-05-01",
                severity="MINOR",
            ),
            "SEVERITY_NOT_ALLOWED",
        ),
        (line(kind="branch", entity=UA, parent=UA), "SELF_REFERENCE"),
        (line(kind="holding", holder={"entity": UA}, entity=UA, ratio=0.5, since="2020-01-01"), "SELF_REFERENCE"),
        (
            line(
                kind="listing",
                id="L1",
                subject={"entity": UA},
                list="RED",
                department="D1",
                basis=[],
                since="2026-01-01",
            ),
            "EMPTY_BASIS",
        ),
    ],
)
def test_rules_across_the_fields_of_a_line(raw, code):
    r = _rule(raw)
    assert r is not None
    assert r.code == code


def test_today_itself_is_not_the_future():
    assert _rule(line(kind="holding", holder={"entity": UB}, entity=UA, ratio=0.5, since="2026-06-30")) is None


def test_a_severity_on_a_positive_record_says_why_it_is_refused():
    r = _rule(
        line(
            kind="record",
            id="R1",
            subject={"entity": UA},
            category="REWARD",
            department="D1",
            decidedOn="2026-05-01",
            severity="MINOR",
        )
    )
    assert r is not None
    assert "REWARD is positive" in r.message


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_chinese():
    assert canonical_json({"b": 1, "a": "中", "c": dt.date(2026, 1, 2)}) == '{"a":"中","b":1,"c":"2026-01-02"}'


def test_content_hash_is_the_first_128_bits_of_sha256():
    # SHA-256 of "{}" is 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a.
    assert content_hash("{}") == "44136fa355b3678a1146ad16f7e8649e"
    assert content_hash("中") == hashlib.sha256("中".encode()).hexdigest()[:32]
