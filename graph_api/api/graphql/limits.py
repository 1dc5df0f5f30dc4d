"""Limits a hostile or careless query meets before it reaches the database (OWASP GraphQL cheat sheet):
depth, aliases and tokens (strawberry's limiters, run as validation rules so the validation cache keeps
their verdict), and a cost limit in the manner of GitHub's node limit: every connection or limited
list counts the items it may return, multiplied by the page sizes above it. Page sizes come from the
request's variables, so the cost is worked out per request, on the already parsed and validated
document — cheap, and no cache is bypassed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from graph_api.settings import Settings

SIZE_ARGUMENTS = ("first", "limit")


def _size(node: FieldNode, field: Any, variables: dict[str, Any]) -> int | None:
    for name in SIZE_ARGUMENTS:
        if name not in field.args:
            continue
        value = field.args[name].default_value
        for arg in node.arguments or ():
            if arg.name.value != name:
                continue
            if isinstance(arg.value, VariableNode):
                value = variables.get(arg.value.name.value, value)
            elif isinstance(arg.value, IntValueNode):
                value = int(arg.value.value)
        return value if isinstance(value, int) and value > 0 else 1
    return None


def query_cost(schema: GraphQLSchema, document: Any, operation_name: str | None, variables: dict[str, Any]) -> int:
    """How many items the operation may return at most: Σ over sized fields of (page size × the page
    sizes of the sized fields above it)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next(
        (o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)), None
    )
    if operation is None:
        return 0
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    root = schema.get_root_type(operation.operation)

    def walk(selection_set: SelectionSetNode, parent: Any, multiplier: int) -> int:
        total = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                fields = (
                    getattr(parent, "fields", {})
                    if isinstance(parent, GraphQLObjectType) or hasattr(parent, "fields")
                    else {}
                )
                field = fields.get(sel.name.value)
                if field is None:
                    continue
                size = _size(sel, field, variables)
                inner = multiplier
                if size is not None:
                    total += multiplier * size
                    inner = multiplier * size
                if sel.selection_set is not None:
                    total += walk(sel.selection_set, get_named_type(field.type), inner)
            elif isinstance(sel, InlineFragmentNode):
                target = schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                total += walk(sel.selection_set, target, multiplier)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in fragments:
                fragment = fragments[sel.name.value]
                total += walk(fragment.selection_set, schema.get_type(fragment.type_condition.name.value), multiplier)
        return total

    return walk(operation.selection_set, root, 1) if root is not None else 0


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
