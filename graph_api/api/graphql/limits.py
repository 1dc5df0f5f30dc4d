"""Limits a hostile or careless query meets before it reaches the database (OWASP GraphQL cheat sheet):
depth, aliases and tokens (strawberry's limiters, run as validation rules so the validation cache keeps
their verdict), and a cost limit in the manner of GitHub's node limit: every connection or limited
list counts the items it may return, multiplied by the page sizes above it.

The page sizes are the argument values execution will use — graphql-core's own coercion of the request's
variables (operation defaults applied) and of each field's arguments (field defaults applied), through
aliases, fragments and `@skip`/`@include` — so a size given by a variable, a variable's default or a
fragment counts exactly as a literal does. The cost is worked out per request on the already parsed and
validated document: cheap, and no cache is bypassed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension

from graph_api.settings import Settings

SIZE_ARGUMENTS = ("first", "limit")


class _Uncostable(Exception):
    """The arguments or variables do not coerce: execution will refuse the request with graphql-core's own
    error, so the cost is not the client's problem to hear about first."""


def _arguments(definition: Any, node: Any, variables: VariableValues) -> dict[str, Any]:
    try:
        return get_argument_values(definition, node, variables)
    except GraphQLError as e:
        raise _Uncostable from e


def _included(node: FieldNode | FragmentSpreadNode | InlineFragmentNode, variables: VariableValues) -> bool:
    for directive in node.directives or ():
        name = directive.name.value
        if name == GraphQLSkipDirective.name and _arguments(GraphQLSkipDirective, directive, variables).get("if"):
            return False
        if name == GraphQLIncludeDirective.name and not _arguments(GraphQLIncludeDirective, directive, variables).get(
            "if"
        ):
            return False
    return True


def _size(node: FieldNode, field: GraphQLField, variables: VariableValues) -> int | None:
    """The page size the field will be executed with, None for a field that has none. A size that is not a
    positive number (the resolver refuses it) counts as one item."""
    if not any(name in field.args for name in SIZE_ARGUMENTS):
        return None
    values = _arguments(field, node, variables)
    for name in SIZE_ARGUMENTS:
        if name in field.args:
            value = values.get(field.args[name].out_name or name)
            return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1
    return None  # pragma: no cover - the any() above found one


def query_cost(schema: GraphQLSchema, document: Any, operation_name: str | None, variables: dict[str, Any]) -> int:
    """How many items the operation may return at most: Σ over sized fields of (page size × the page
    sizes of the sized fields above it), with the argument values execution will use. 0 when the request
    will not execute (no such operation, variables that do not coerce): its own error says why."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next(
        (o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)), None
    )
    root = schema.get_root_type(operation.operation) if operation is not None else None
    if operation is None or root is None:
        return 0
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if isinstance(coerced, list):
        return 0
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    # The cost of a selection is linear in the multiplier above it: a fragment's cost per unit is worked
    # out once per type, so a fragment spread many times over (a "fragment bomb") costs one walk.
    unit_costs: dict[tuple[str, str], int] = {}

    def walk(selection_set: SelectionSetNode, parent: Any) -> int:
        total = 0
        for sel in selection_set.selections:
            if not _included(sel, coerced):  # type: ignore[arg-type]  # the three selection node kinds
                continue
            if isinstance(sel, FieldNode):
                field = (getattr(parent, "fields", None) or {}).get(sel.name.value)
                if field is None:
                    continue  # __typename and the introspection fields: no items to count
                size = _size(sel, field, coerced)
                inner = walk(sel.selection_set, get_named_type(field.type)) if sel.selection_set else 0
                total += (size or 0) + (size or 1) * inner
            elif isinstance(sel, InlineFragmentNode):
                target = schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                total += walk(sel.selection_set, target)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in fragments:
                fragment = fragments[sel.name.value]
                key = (fragment.name.value, fragment.type_condition.name.value)
                if key not in unit_costs:
                    unit_costs[key] = walk(fragment.selection_set, schema.get_type(key[1]))
                total += unit_costs[key]
        return total

    try:
        return walk(operation.selection_set, root)
    except _Uncostable:
        return 0


def cost_limiter(settings: Settings) -> type[SchemaExtension]:
    class CostLimiter(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            ec = self.execution_context
            if ec.graphql_document is not None:
                cost = query_cost(ec.schema._schema, ec.graphql_document, ec.operation_name, ec.variables or {})
                if cost > settings.max_query_cost:
                    # A result set before execution replaces it: the resolvers never run.
                    ec.result = ExecutionResult(
                        data=None,
                        errors=[
                            GraphQLError(
                                f"the query may return {cost} items, more than the limit of {settings.max_query_cost}: "
                                "ask for smaller pages (first/limit) or fewer nested connections",
                                extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": settings.max_query_cost},
                            )
                        ],
                    )
            yield

    return CostLimiter


class ProductionIntrospection(ValidationRule):
    """Introspection off in production: `__schema` is refused, and `__type(name:)` may only say whether a
    type exists (its `name` and `kind`), never its fields. GraphQL-over-HTTP clients and the protocol's
    own checks ask exactly that much; a stranger learns no field names (suggestions are off too)."""

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        name = node.name.value
        if name == "__schema":
            self.report_error(GraphQLError("introspection is disabled: __schema cannot be queried", node))
        elif name == "__type" and node.selection_set is not None:
            for sel in node.selection_set.selections:
                if not (isinstance(sel, FieldNode) and sel.name.value in ("name", "kind", "__typename")):
                    self.report_error(GraphQLError("introspection is disabled: __type answers only name and kind", sel))
