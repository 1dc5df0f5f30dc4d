"""The closed sets of api/graphql/codes.py agree with where their codes are declared or used: the refusal
table, the error hierarchy, the measure catalogue, the services' change kinds, the grade rules; and the
schema serves them where the strings were (the SDL documents ErrorCode though no field has that type)."""

from __future__ import annotations

import ast
from enum import Enum
from pathlib import Path

from graphql import GraphQLEnumType, GraphQLList, GraphQLNonNull, GraphQLType, print_schema

from graph_api.api.graphql import codes
from graph_api.api.graphql.error_mapping import ERROR_CODES
from graph_api.api.graphql.schema import schema
from graph_api.domain.catalogue import catalogue
from graph_api.domain.disclosure import UNDISCLOSED_CODE
from graph_api.domain.grading import rules
from graph_api.domain.permissions import ROLES
from graph_api.domain.refusals import REFUSALS
from graph_api.errors import error_classes

SERVICES = Path(__file__).parents[2] / "graph_api" / "services"


def _names(enum: type[Enum]) -> set[str]:
    return {m.name for m in enum}


def _named(t: GraphQLType) -> GraphQLType:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


def test_refusal_codes_are_the_refusal_table_each_described_by_its_meaning():
    assert _names(codes.RefusalCode) == set(REFUSALS)
    values = codes.RefusalCode.__strawberry_definition__.values  # type: ignore[attr-defined]
    for value in values:
        assert REFUSALS[value.name][1:] in value.description, value.name


def test_error_codes_are_the_hierarchy_and_the_request_layer_codes():
    assert _names(codes.ErrorCode) == ERROR_CODES
    assert {c.code for c in error_classes()} <= ERROR_CODES
    # each class says what its code means, not its parent's meaning
    assert [c.__name__ for c in error_classes() if "meaning" not in vars(c)] == []
    assert len({c.code for c in error_classes()}) == len(error_classes())


def test_measure_kinds_and_bindings_are_those_of_the_catalogue():
    measures = catalogue()["measures"]
    assert {m["kind"] for m in measures} == _names(codes.MeasureKind)
    assert {m["binds"] for m in measures} == _names(codes.MeasureBinds)


def _grade_rule_codes(node: object) -> set[str]:
    if isinstance(node, dict):
        own = {node["code"]} if isinstance(node.get("code"), str) else set()
        return own.union(*(_grade_rule_codes(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_grade_rule_codes(v) for v in node))
    return set()


def test_grade_reason_codes_are_the_rules_codes_and_the_undisclosed_record():
    assert _names(codes.GradeReasonCode) == _grade_rule_codes(rules()) | {UNDISCLOSED_CODE}


def test_actor_roles_are_the_permission_table_roles():
    assert [m.name for m in codes.ActorRole] == list(ROLES)


def _change_kinds_the_services_record() -> set[str]:
    """The kind (second argument) of every `tx.changed(...)` call in graph_api/services."""
    kinds = set()
    for source in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "changed":
                kind = node.args[1] if len(node.args) > 1 else next(k.value for k in node.keywords if k.arg == "kind")
                assert isinstance(kind, ast.Constant), f"{source.name}:{node.lineno}: a change kind is a literal"
                kinds.add(kind.value)
    return kinds


def test_every_change_kind_the_services_record_is_in_the_enum():
    recorded = _change_kinds_the_services_record()
    assert len(recorded) >= 8
    assert recorded == set(codes.CHANGE_KINDS.values())
    assert {m.value for m in codes.ChangeKind} == recorded


def test_the_schema_types_the_closed_sets_as_enums():
    graphql = schema._schema
    expected = {
        ("Refusal", "code"): "RefusalCode",
        ("AuditEntry", "kind"): "AuditKind",
        ("AuditEntry", "role"): "ActorRole",
        ("ChangeEntry", "kind"): "ChangeKind",
        ("Commitment", "type"): "CommitmentType",
        ("Commitment", "status"): "CommitmentStatus",
        ("ListingEnded", "status"): "ListingStatus",
        ("Measure", "kind"): "MeasureKind",
        ("Measure", "binds"): "MeasureBinds",
        ("Measure", "scenarios"): "Scenario",
        ("Objection", "filedBy"): "FiledBy",
        ("RepairApplication", "filedBy"): "FiledBy",
        ("GradeReason", "code"): "GradeReasonCode",
        ("RiskWarning", "code"): "RiskCode",
    }
    for (type_name, field_name), enum_name in expected.items():
        field_type = _named(graphql.get_type(type_name).fields[field_name].type)  # type: ignore[union-attr]
        assert isinstance(field_type, GraphQLEnumType) and field_type.name == enum_name, (type_name, field_name)


def test_the_sdl_documents_every_error_code():
    sdl = print_schema(schema._schema)
    assert "enum ErrorCode {" in sdl
    error_code = schema._schema.get_type("ErrorCode")
    assert isinstance(error_code, GraphQLEnumType)
    assert set(error_code.values) == ERROR_CODES
    assert all(v.description for v in error_code.values.values())


def test_custom_scalars_name_their_specification():
    for name in ("Date", "DateTime", "USCC", "JSON"):
        scalar = schema._schema.get_type(name)
        assert scalar is not None and scalar.specified_by_url, name  # type: ignore[union-attr]
