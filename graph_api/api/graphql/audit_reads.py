"""Every read of personal data is registered (docs/domain-rules.md: "who read which person is recorded"): after a
query that looked persons up by identity number, one audit entry names the reader, the operation,
the persons (by their key hash, never the number) and the stated purpose. If the entry cannot be
written, the answer is withheld. The entry is written by the process's appender, batched with those of
concurrent reads (store/audit_appender.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

from graph_api.api.graphql.context import Context
from graph_api.store.audit_appender import AuditNotWritten


def read_fields(document: DocumentNode | None, operation_name: str | None) -> str:
    """The server's own name for what an operation read: its root field names (not aliases), sorted and
    comma-separated. The client's operation name is its own choice and could say anything."""
    if document is None:
        return "unknown"
    definitions = document.definitions
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    operation = next(
        (
            d
            for d in definitions
            if isinstance(d, OperationDefinitionNode)
            and (operation_name is None or (d.name is not None and d.name.value == operation_name))
        ),
        None,
    )
    names: set[str] = set()
    seen: set[str] = set()  # fragments already walked (validation forbids cycles; this keeps it finite anyway)

    def walk(selections: SelectionSetNode) -> None:
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    walk(fragment.selection_set)

    if operation is not None:
        walk(operation.selection_set)
    names.discard("__typename")
    return ",".join(sorted(names)) or "unknown"


class AuditPersonalReads(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if not isinstance(context, Context) or not context.personal_reads or context.audited:
            return
        actor = context.actor()
        operation = read_fields(self.execution_context.graphql_document, self.execution_context.operation_name)

        try:
            appended = await context.audit.append(
                user=actor.user,
                role=actor.role,
                department=actor.department,
                entity=actor.uscc,
                operation=operation,
                kind="READ_PERSONAL",
                subjects=sorted(context.personal_reads),
                purpose=context.purpose(),
            )
            context.round_trips += appended.statements  # those of the batch this entry was written in
        except AuditNotWritten:
            # Raised, not set on the result: strawberry returns the execution's result as it was before
            # this hook resumed, but answers an exception from it with the error alone.
            raise GraphQLError(
                "the read could not be registered in the audit trail; retry shortly",
                extensions={"code": "DATABASE_UNAVAILABLE"},
            ) from None
