"""The arguments many fields share — a page's `first` and `after`, the day `asOf`, a change's `on`, an
entity's `uscc`, a person's `idNumber`, a connection's `where` and `orderBy` — described once here, not at
each of their thirty-odd resolvers. `describe_shared` fills in the description of every such argument left
without one when the schema is built; a resolver whose argument means something else describes it itself
(strawberry.argument), and that description is kept."""

from __future__ import annotations

from graphql import GraphQLObjectType, GraphQLSchema

from graph_api.api.graphql.connections import MAX_PAGE

SHARED: dict[str, str] = {
    "first": f"How many items this page holds, from 1 to {MAX_PAGE}.",
    "after": "A cursor returned by this API (`pageInfo.endCursor` or an edge's `cursor`): the page begins after "
    "that item. Null for the first page.",
    "asOf": "The day the answer is as of (RFC 3339 full-date, e.g. 2026-06-30); null for today (Asia/Shanghai).",
    "where": "Filters; every one given must hold. Null for all items.",
    "on": "The day it was done (RFC 3339 full-date); null for today. Not in the future.",
    "uscc": "The entity's unified social credit code (18 characters, checked).",
    "idNumber": "The person's identity number. Looking a person up is a personal read: permission-checked, audited, "
    "and for investigators and sanctions officers only with a stated purpose (`x-purpose`).",
    "orderBy": "The order of the items; null for the defaults of the order input's `field` and `direction`.",
}


def describe_shared(schema: GraphQLSchema) -> None:
    """Give each shared argument without a description its description from SHARED."""
    for named in schema.type_map.values():
        if isinstance(named, GraphQLObjectType) and not named.name.startswith("__"):
            for graphql_field in named.fields.values():
                for name, argument in graphql_field.args.items():
                    if argument.description is None and name in SHARED:
                        argument.description = SHARED[name]
