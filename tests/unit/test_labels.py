"""One vocabulary of Chinese labels (domain/labels.py) for every code a person reads: every value of every
enum the schema serves has one and is described by it in the SDL, and the table names no code the schema
does not have (a renamed code would otherwise keep a dead label)."""

from __future__ import annotations

import re

from graphql import GraphQLEnumType

from graph_api.api.graphql.schema import schema
from graph_api.domain.labels import LABELS, label

CJK = re.compile(r"[\u4e00-\u9fff]")


def _enums() -> dict[str, GraphQLEnumType]:
    return {
        name: t
        for name, t in schema._schema.type_map.items()
        if isinstance(t, GraphQLEnumType) and not name.startswith("__")
    }


def test_every_enum_value_of_the_schema_has_a_chinese_label_as_its_description():
    missing = [
        f"{name}.{value}"
        for name, t in _enums().items()
        for value, v in t.values.items()
        if name not in LABELS or value not in LABELS[name] or not v.description
    ]
    assert missing == []
    for name, t in _enums().items():
        for value, v in t.values.items():
            assert CJK.search(LABELS[name][value]), f"{name}.{value}: {LABELS[name][value]!r} is not Chinese"
            assert LABELS[name][value] in (v.description or ""), f"{name}.{value} is not described by its label"


def test_the_table_names_only_codes_that_exist():
    """Every closed set is an enum of the schema (grade reasons and actor roles too, api/graphql/codes.py)."""
    enums = _enums()
    stray = [
        f"{kind}.{code}"
        for kind, codes in LABELS.items()
        for code in codes
        if kind not in enums or code not in enums[kind].values
    ]
    assert stray == []


def test_an_unknown_code_reads_as_itself():
    assert label("ListCode", "JOINT_PUNISHMENT") == "失信联合惩戒对象名单"
    assert label("ListCode", "NEW_LIST") == "NEW_LIST"
    assert label("NoSuchKind", "X") == "X"
