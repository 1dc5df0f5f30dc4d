"""A lighter executor for the read questions that make most of the traffic: a query whose selection is plain
fields on object types (no fragments, no directives, no abstract types), rooted at a field of
COMPILED_ROOTS, is planned once per document and answered by walking that plan, instead of by
graphql-core's general completion (collect_fields, execute_field and complete_value for every field of
every item, about 60 % of a request's CPU in the profiles of BENCHMARKS.md §15 and §23).

What stays the same is everything that decides an answer: every field with a resolver (root fields with
their permission check, the lists, masked names, anything with a field extension) is called through the
very function graphql-core would call, with the GraphQLResolveInfo graphql-core would build for it; a
field without one is read as strawberry reads it (the attribute); leaves are coerced by their own types.
Only the walk is new. Whatever the walk cannot finish as graphql-core would (any exception, a null in a
non-null position, a value of the wrong type) is answered by graphql-core from the start instead, so that
errors, their paths and partial data stay exactly graphql-core's. Rows already loaded are not read again:
the request's batch (connections.BatchLoader) keeps them, failures included.

No library does this: graphql-core has no compiled execution (graphql-jit is JavaScript only).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph_api.ops import metrics

# Root fields whose answers are reads without side effects beyond the request's own audit set (which is a
# set: a field that runs again after a fallback adds nothing twice).
COMPILED_ROOTS = frozenset({"entity", "person", "search"})
_PLAN_CACHE_SIZE = 512  # operations; a plan is small, and a document not planned is remembered as None too


class _NotPlanned(Exception):
    """The selection uses something the plan does not walk: graphql-core answers it."""


class _Abandon(Exception):
    """The walk met what graphql-core would report as an error: graphql-core answers instead."""


@dataclass
class _Field:
    key: str  # the response key (alias or name)
    node: FieldNode
    definition: GraphQLField | None  # None for __typename
    attribute: str | None  # a field without resolver: strawberry reads this attribute
    has_arguments: bool
    object_plan: _Object | None  # the selection below, for object (or list of object) types


@dataclass
class _Object:
    type_: GraphQLObjectType
    fields: list[_Field] = field(default_factory=list)


def _plan_object(type_: GraphQLObjectType, selection_set: SelectionSetNode | None) -> _Object:
    if selection_set is None:
        raise _NotPlanned
    plan = _Object(type_)
    keys: set[str] = set()
    for node in selection_set.selections:
        if not isinstance(node, FieldNode) or node.directives:
            raise _NotPlanned  # fragments and @skip/@include: graphql-core collects those
        key = node.alias.value if node.alias else node.name.value
        if key in keys:
            raise _NotPlanned  # the same key twice is field merging: graphql-core's
        keys.add(key)
        name = node.name.value
        if name == "__typename":
            plan.fields.append(_Field(key, node, None, None, False, None))
            continue
        if name.startswith("__"):
            raise _NotPlanned
        definition = type_.fields.get(name)
        if definition is None:
            raise _NotPlanned
        plan.fields.append(
            _Field(
                key,
                node,
                definition,
                _attribute(definition),
                bool(definition.args or node.arguments),
                _plan_below(definition.type, node),
            )
        )
    return plan


def _plan_below(type_: GraphQLOutputType, node: FieldNode) -> _Object | None:
    inner = type_.of_type if is_non_null_type(type_) else type_
    if is_list_type(inner):
        inner = inner.of_type
        inner = inner.of_type if is_non_null_type(inner) else inner
        if is_list_type(inner):
            raise _NotPlanned  # lists of lists: none in this schema
    if is_leaf_type(inner):
        if node.selection_set is not None:
            raise _NotPlanned
        return None
    if not is_object_type(inner):
        raise _NotPlanned  # interfaces and unions need their runtime type resolved
    return _plan_object(inner, node.selection_set)


def _attribute(definition: GraphQLField) -> str | None:
    """The attribute strawberry reads for a field without resolver nor extension; None: call its resolver."""
    resolve = definition.resolve
    strawberry_field = definition.extensions.get("strawberry-definition")
    if (
        strawberry_field is not None
        and getattr(resolve, "_is_default", False)
        and strawberry_field.is_basic_field
        and not strawberry_field.extensions
    ):
        return str(strawberry_field.python_name)
    return None


def plan_operation(operation: OperationDefinitionNode, root: GraphQLObjectType) -> _Object | None:
    """The plan of a query whose every root field is one of COMPILED_ROOTS; None when there is none."""
    if operation.operation is not OperationType.QUERY or operation.directives:
        return None
    try:
        plan = _plan_object(root, operation.selection_set)
    except _NotPlanned:
        return None
    if not plan.fields or any(f.node.name.value not in COMPILED_ROOTS for f in plan.fields):
        return None
    return plan


class _Plans:
    """Plans by operation node: the parse cache hands the same node to every request of a document. The node
    and the root type are kept with the plan, so that an id reused after an entry went, or the same node run
    on another schema of the process (each has its own parse cache), never finds a plan not made for it."""

    def __init__(self, size: int):
        self.size = size
        self._plans: OrderedDict[int, tuple[OperationDefinitionNode, GraphQLObjectType, _Object | None]] = OrderedDict()

    def get(self, operation: OperationDefinitionNode, root: GraphQLObjectType) -> _Object | None:
        entry = self._plans.get(id(operation))
        if entry is not None and entry[0] is operation and entry[1] is root:
            self._plans.move_to_end(id(operation))
            return entry[2]
        plan = plan_operation(operation, root)
        self._plans[id(operation)] = (operation, root, plan)
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return plan


_plans = _Plans(_PLAN_CACHE_SIZE)


class CompiledExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, answering a planned query by its plan (see the module's docstring)."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        root = self.schema.query_type
        if self.abort_signal is not None or root is None or serially:
            return super().execute_operation(serially)
        plan = _plans.get(self.operation, root)
        if plan is None:
            metrics.EXECUTIONS.labels("general").inc()
            return super().execute_operation(serially)
        return self._answer(plan, serially)

    async def _answer(self, plan: _Object, serially: bool | None) -> Any:
        try:
            data = self._object(plan, self.root_value, None)
            if isinstance(data, Awaitable):
                data = await data
        except Exception:  # graphql-core answers, with its errors and partial data
            metrics.EXECUTIONS.labels("fallback").inc()
            result = super().execute_operation(serially)
            return await result if self.is_awaitable(result) else result
        metrics.EXECUTIONS.labels("compiled").inc()
        return self.build_response(data)

    def _object(self, plan: _Object, source: Any, path: Path | None) -> Any:
        out: dict[str, Any] = {}
        pending: list[Awaitable[None]] = []
        type_ = plan.type_
        for f in plan.fields:
            definition = f.definition
            if definition is None:
                out[f.key] = type_.name
                continue
            field_path = Path(path, f.key, type_.name)
            if f.attribute is not None:
                value = getattr(source, f.attribute)
            else:
                info = self.build_resolve_info(definition, [f.node], type_, field_path)
                args = get_argument_values(definition, f.node, self.variable_values) if f.has_arguments else {}
                value = definition.resolve(source, info, **args)  # type: ignore[misc]  # resolve is set
            if self.is_awaitable(value):
                out[f.key] = None
                pending.append(self._later(out, f, definition.type, value, field_path))
                continue
            completed = self._complete(definition.type, f, value, field_path)
            if self.is_awaitable(completed):
                out[f.key] = None
                pending.append(self._settle(out, f.key, completed))
            else:
                out[f.key] = completed
        if pending:
            return self._gathered(out, pending)
        return out

    async def _gathered(self, out: dict[str, Any], pending: list[Awaitable[None]]) -> dict[str, Any]:
        await (pending[0] if len(pending) == 1 else asyncio.gather(*pending))
        return out

    async def _later(
        self, out: dict[str, Any], f: _Field, type_: GraphQLOutputType, value: Any, path: Path | None
    ) -> None:
        completed = self._complete(type_, f, await value, path)
        out[f.key] = await completed if self.is_awaitable(completed) else completed

    async def _settle(self, out: dict[str, Any], key: str, completed: Any) -> None:
        out[key] = await completed

    def _complete(self, type_: GraphQLOutputType, f: _Field, value: Any, path: Path | None) -> Any:
        if isinstance(value, Exception):
            raise _Abandon
        if isinstance(type_, GraphQLNonNull):
            if value is None or value is Undefined:
                raise _Abandon  # graphql-core nulls the parent and reports it
            type_ = type_.of_type
        elif value is None or value is Undefined:
            return None
        if isinstance(type_, GraphQLList):
            if not isinstance(value, list | tuple):
                raise _Abandon
            item_type = type_.of_type
            items = [self._complete(item_type, f, item, Path(path, i, None)) for i, item in enumerate(value)]
            if any(self.is_awaitable(i) for i in items):
                return self._items(items)
            return items
        if f.object_plan is None:
            coerced = type_.coerce_output_value(value)  # type: ignore[union-attr]  # a leaf type
            if coerced is Undefined or coerced is None:
                raise _Abandon
            return coerced
        object_type = f.object_plan.type_
        if object_type.is_type_of is not None:
            check = object_type.is_type_of(value, None)  # type: ignore[arg-type]  # strawberry's reads no info
            if check is not True:
                raise _Abandon
        return self._object(f.object_plan, value, path)

    async def _items(self, items: list[Any]) -> list[Any]:
        return list(await asyncio.gather(*(i if self.is_awaitable(i) else _ready(i) for i in items)))


async def _ready(value: Any) -> Any:
    return value
