"""Every type, field, argument, enum value and input field of the schema is described — what the schema
lint (`make schema-lint`, graphql-schema-linter over schema.graphql) checks, here in seconds and without
Node; and the shared arguments (api/graphql/arguments.py) read the same wherever they appear."""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from graph_api.api.graphql.arguments import SHARED
from graph_api.api.graphql.schema import schema


def _undescribed() -> list[str]:
    missing = []
    for name, t in schema._schema.type_map.items():
        if name.startswith("__"):
            continue
        if not t.description:
            missing.append(name)
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, f in t.fields.items():
                missing += [f"{name}.{field_name}"] if not f.description else []
                missing += [f"{name}.{field_name}({a})" for a, arg in f.args.items() if not arg.description]
        elif isinstance(t, GraphQLInputObjectType):
            missing += [f"{name}.{field_name}" for field_name, f in t.fields.items() if not f.description]
        elif isinstance(t, GraphQLEnumType):
            missing += [f"{name}.{value}" for value, v in t.values.items() if not v.description]
    return missing


def test_everything_in_the_schema_is_described():
    assert _undescribed() == []


def test_a_shared_argument_reads_the_same_wherever_a_resolver_does_not_say_otherwise():
    pages = [
        f.args["first"].description
        for t in schema._schema.type_map.values()
        if isinstance(t, GraphQLObjectType)
        for f in t.fields.values()
        if "first" in f.args
    ]
    assert len(pages) >= 20
    assert set(pages) == {SHARED["first"]}
