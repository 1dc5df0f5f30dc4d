"""The permission table (domain/permissions.py) on the schema: `guard` gives every root field of Query,
Mutation and Subscription a `Permission` extension when the schema is built, so no resolver has to remember
its check, and refuses to build a schema whose root fields and table disagree. A subscription is checked as
it is subscribed to, before its stream opens."""

from __future__ import annotations

import inspect
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.schema.name_converter import NameConverter
from strawberry.types import Info
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField

from graph_api.api.graphql.inputs import entity_of
from graph_api.domain.permissions import EVERYONE, ROOTS, Call, Condition, Rule, check_rule


class PermissionTableMismatch(Exception):
    """The schema's root fields and the permission table disagree."""


def _names_person(info: Info, value: Any) -> bool:
    # As subject_params reads a party: an entity when it has a USCC (or an entity's id), otherwise a person.
    return value is not None and entity_of(info, value) is None


class Permission(FieldExtension):
    """The table's check of one root field, from the actor and the call's arguments, before its resolver."""

    def __init__(self, root: str, name: str, rule: Rule, python_names: dict[str, str]):
        self.root, self.name, self.rule = root, name, rule
        self.python_names = python_names  # the rule's arguments, GraphQL name -> resolver keyword

    def _argument(self, kwargs: dict[str, Any], name: str | None) -> Any:
        """The value of an argument the rule reads (None for one it does not)."""
        python_name = self.python_names.get(name) if name else None
        return kwargs.get(python_name) if python_name else None

    def check(self, info: Info, kwargs: dict[str, Any]) -> None:
        rule = self.rule
        person = any(_names_person(info, self._argument(kwargs, a)) for a in rule.person_arguments)
        if rule.roles == EVERYONE and not rule.conditions and not rule.personal and not person:
            return  # nobody to refuse: the credential is read only where a field's answer depends on it
        department = self._argument(kwargs, Condition.OWN_DEPARTMENT.argument)
        entity = entity_of(info, self._argument(kwargs, Condition.OWN_ENTITY.argument))
        context = info.context
        check_rule(
            context.actor(), rule, Call(department=department, entity=entity, person=person, purpose=context.purpose)
        )

    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        self.check(info, kwargs)
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        self.check(info, kwargs)
        result = next_(source, info, **kwargs)
        # a subscription's resolver returns its stream (an async generator), which graphql-core iterates
        return await result if inspect.isawaitable(result) else result


def guard(root: str, root_type: type, names: NameConverter) -> None:
    """Attach the table's check to every field of `root_type` (once: the schema is built per settings);
    PermissionTableMismatch when a field is missing from the table, the table names a field that does not
    exist, or a rule reads an argument its field does not have."""
    table = ROOTS[root]
    definition = get_object_definition(root_type, strict=True)
    fields: dict[str, StrawberryField] = {names.from_field(f): f for f in definition.fields}
    if missing := sorted(set(fields) - set(table)):
        raise PermissionTableMismatch(f"{root} fields missing from the permission table: {missing}")
    if stale := sorted(set(table) - set(fields)):
        raise PermissionTableMismatch(f"the permission table names {root} fields that do not exist: {stale}")
    for name, f in fields.items():
        if any(isinstance(e, Permission) for e in f.extensions):
            continue
        rule = table[name]
        arguments = {names.from_argument(a): a.python_name for a in f.arguments}
        if absent := [a for a in rule.arguments if a not in arguments]:
            raise PermissionTableMismatch(f"the permission rule of {root}.{name} reads arguments it lacks: {absent}")
        # Last: strawberry nests a field's extensions so that the last one is outermost and runs first.
        f.extensions.append(Permission(root, name, rule, {a: arguments[a] for a in rule.arguments}))
