"""One statement per root field: `entity(uscc:)` looks ahead at the lists its selection asks for (roles,
holders, holdings) and, when their arguments are ones it reads, fetches the entity and those first pages in
one statement (entity_with_relations), priming the request's batch with each page's row under the exact
group its field resolver will ask for, so that resolver finds it without a round trip. The rows are those
the page statements return (the same fragments build both), so the answer is the same either way. A list
it does not compile (a filter it does not read, directives, the same list twice under aliases, inside a
fragment) is left to its field's own statement, as before."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode
from strawberry.types import Info
from strawberry.types.nodes import convert_arguments

from graph_api.api.graphql.connections import OrderDirection, page_params
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import RoleType
from graph_api.api.graphql.views import (
    HoldingOrder,
    HoldingOrderField,
    RoleFilter,
    RoleOrder,
    RoleOrderField,
    holding_params,
    role_params,
)
from graph_api.errors import BadUserInput
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import EntityWithRelationsRow, KeyedPageRow
from graph_api.store.statement import Statement


@dataclass(frozen=True)
class Prefill:
    """One list fetched with the entity: its slot in entity_with_relations and its page statement's group."""

    slot: str  # roles, holders or holdings: the field's name and the combined statement's prefix
    statement: Statement[KeyedPageRow]
    params: dict[str, Any]  # the page statement's parameters, as its field resolver computes them


class _NotCompiled(Exception):
    """An argument this look-ahead does not read: the field keeps its own statement."""


def _first(args: dict[str, Any]) -> int:
    value = args.get("first", 20)
    return int(value)  # an Int literal arrives as its text; the document is validated already


def _order(raw: Any, order_type: Callable[..., Any], field_type: Callable[[str], Any]) -> Any:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not set(raw) <= {"field", "direction"}:
        raise _NotCompiled
    order = order_type()
    if "field" in raw:
        order.field = field_type(raw["field"])
    if "direction" in raw:
        order.direction = OrderDirection(raw["direction"])
    return order


def _roles(args: dict[str, Any]) -> dict[str, Any]:
    where = args.get("where")
    if where is not None and (not isinstance(where, dict) or not set(where) <= {"roles"}):
        raise _NotCompiled
    roles = None if where is None or where.get("roles") is None else [RoleType(r) for r in where["roles"]]
    return role_params(RoleFilter(roles=roles), _order(args.get("orderBy"), RoleOrder, RoleOrderField))


def _holdings(args: dict[str, Any]) -> dict[str, Any]:
    if args.get("where") is not None:
        raise _NotCompiled
    return holding_params(None, _order(args.get("orderBy"), HoldingOrder, HoldingOrderField))


_SLOTS: dict[str, tuple[Statement[KeyedPageRow], Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "roles": (queries.entity_roles_page, _roles),
    "holders": (queries.entity_holders_page, _holdings),
    "holdings": (queries.subject_holdings_page, _holdings),
}
_PREFIXED = {
    "roles": ("roles", "activeOn", "orderField", "descending", "after", "limit"),
    "holders": ("activeOn", "minRatio", "orderField", "descending", "after", "limit"),
    "holdings": ("activeOn", "minRatio", "orderField", "descending", "after", "limit"),
}


def plan(info: Info[Context, None]) -> list[Prefill]:
    """The lists of the entity field being resolved that one statement can fetch with it."""
    prefills: list[Prefill] = []
    taken: set[str] = set()
    raw = info._raw_info
    # The field nodes' direct children only: info.selected_fields would convert the whole selection below.
    for root in raw.field_nodes:
        for child in root.selection_set.selections if root.selection_set else ():
            if not isinstance(child, FieldNode) or child.name.value not in _SLOTS or child.name.value in taken:
                continue
            if child.directives:
                continue
            name = child.name.value
            statement, params_of = _SLOTS[name]
            try:
                arguments = convert_arguments(raw, child.arguments)
                params = params_of(arguments)
                _, loaded = page_params(statement, _first(arguments), arguments.get("after"), params)
            except (_NotCompiled, BadUserInput, ValueError, TypeError):
                continue  # its own resolver reads (and refuses) these arguments as before
            taken.add(name)
            prefills.append(Prefill(name, statement, loaded))
    return prefills


# A list not asked for still gets its default page's parameters, not nulls: Neo4j caches a plan per
# statement text and parameter types, so with nulls each choice of lists compiled (seconds, on a cold
# server) a plan of its own; with these, every choice shares the default page's plan.
_DEFAULTS = {slot: page_params(st, 20, None, params_of({}))[1] for slot, (st, params_of) in _SLOTS.items()}


def parameters(prefills: list[Prefill]) -> dict[str, Any]:
    """entity_with_relations's parameters: each slot's page parameters under its prefix, with$<slot>."""
    out: dict[str, Any] = {}
    chosen = {p.slot: p.params for p in prefills}
    for slot, names in _PREFIXED.items():
        out["with" + slot.capitalize()] = slot in chosen
        params = chosen.get(slot, _DEFAULTS[slot])
        for name in names:
            out[slot + name[0].upper() + name[1:]] = params.get(name)
    return out


def prime(info: Info[Context, None], row: EntityWithRelationsRow, prefills: list[Prefill]) -> None:
    batch = info.context.batch
    for p in prefills:
        page: KeyedPageRow | None = row[p.slot]  # type: ignore[literal-required]
        batch.prime(p.statement, row["key"], page, **p.params)
