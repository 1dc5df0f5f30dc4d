"""Per GraphQL operation: its metrics (count, latency, round trips, errors by code) and its name and type
for the request's log line. First in the schema's extensions, so it finishes last and sees the errors
as MapErrors left them, each with its `extensions.code`."""

from __future__ import annotations

import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from graph_api.api.graphql.context import Context
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

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        ec = self.execution_context
        kind = self._kind()
        name = metrics.operation_label(ec.operation_name)
        errors = getattr(ec.result, "errors", None) or ec.pre_execution_errors or []
        codes = sorted({str((e.extensions or {}).get("code", "INTERNAL_SERVER_ERROR")) for e in errors})
        metrics.OPERATIONS.labels(name, kind, "error" if errors else "ok").inc()
        metrics.OPERATION_LATENCY.labels(name, kind).observe(elapsed)
        for e in errors:
            metrics.ERRORS.labels(str((e.extensions or {}).get("code", "INTERNAL_SERVER_ERROR"))).inc()
        context = ec.context
        if isinstance(context, Context):
            metrics.ROUND_TRIPS.labels(name, kind).observe(context.round_trips)
            if context.request is not None:  # read back by the request's log line (graph_api/middleware.py)
                state = context.request.scope.setdefault("state", {})
                state.update(
                    graphql_operation=name,
                    graphql_operation_type=kind,
                    db_round_trips=context.round_trips,
                    graphql_error_codes=codes or None,
                )
        operation.set(name)
