"""Per GraphQL operation: its metrics (count, latency, round trips, errors by code) and its name and type
for the request's log line. First in the schema's extensions, so it finishes last and sees the errors
as MapErrors left them, each with its `extensions.code`.

Metric labels come from closed sets (graph_api.ops.metrics): the root field selected, not the client's
operation name, and a code outside the API's codes counts as "other"."""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import FieldNode, GraphQLObjectType
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.error_mapping import ERROR_CODES
from graph_api.ops import metrics
from graph_api.ops.logging_setup import operation


class Observe(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        # Known once parsed: for the lines logged meanwhile, and for a request cut short by its deadline (http.py).
        name = metrics.operation_label(self.execution_context.operation_name)
        operation.set(name)
        context = self.execution_context.context
        if isinstance(context, Context) and context.request is not None:
            state = context.request.scope.setdefault("state", {})
            state.update(graphql_operation=name, graphql_operation_type=self._kind())
        yield

    def _kind(self) -> str:
        try:
            return self.execution_context.operation_type.value
        except RuntimeError:  # unparseable, or the named operation is not in the document
            return "unknown"

    def _label(self) -> str:
        ec = self.execution_context
        document = ec.graphql_document
        definition = get_operation_ast(document, ec.operation_name) if document is not None else None
        if definition is None:
            return "other"
        root = ec.schema._schema.get_root_type(definition.operation)
        known = root.fields if isinstance(root, GraphQLObjectType) else {}
        selections = definition.selection_set.selections
        # A fragment at the root is not looked into: such an operation counts as "other".
        fields = [s.name.value for s in selections if isinstance(s, FieldNode)]
        return metrics.root_fields_label(fields, known) if len(fields) == len(selections) else "other"

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        ec = self.execution_context
        kind = self._kind()
        name = metrics.operation_label(ec.operation_name)
        label = self._label()
        errors = getattr(ec.result, "errors", None) or ec.pre_execution_errors or []
        codes = sorted({_code(e.extensions) for e in errors})
        metrics.OPERATIONS.labels(label, kind, "error" if errors else "ok").inc()
        metrics.OPERATION_LATENCY.labels(label, kind).observe(elapsed)
        for e in errors:
            metrics.ERRORS.labels(_code(e.extensions)).inc()
        context = ec.context
        if isinstance(context, Context):
            metrics.ROUND_TRIPS.labels(label, kind).observe(context.round_trips)
            if context.request is not None:  # read back by the request's log line (graph_api/middleware.py)
                state = context.request.scope.setdefault("state", {})
                state.update(
                    graphql_operation=name,
                    graphql_operation_type=kind,
                    db_round_trips=context.round_trips,
                    graphql_error_codes=codes or None,
                )
        operation.set(name)


def _code(extensions: dict[str, object] | None) -> str:
    code = str((extensions or {}).get("code", "INTERNAL_SERVER_ERROR"))
    return code if code in ERROR_CODES else "other"
