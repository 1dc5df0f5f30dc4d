"""One statement per root field: `entity(uscc:)` looks ahead at the lists its selection asks for (roles,
holders, holdings, listings, and one level down the holdings of each held entity and the roles of each
role's person) and, when their arguments are ones it reads, fetches the entity and those pages in one
statement, priming the request's batch with each page's row under the exact group its field resolver will
ask for, so that resolver finds it without a round trip. Roles, holders and holdings alone are sent
entity_with_relations; anything more, entity_with_relations_deep (cypher/entity.cypher), so the commonest
questions pay nothing for the rest. The rows are those the page statements return (the same fragments
build both), so the answer is the same either way. A primed row is only data in the batch: the field's
resolver still runs and checks the reader's rights (Person.roles's open_person) before any of it is shown.
A list it does not compile (a filter it does not read, directives, the same list twice under aliases,
inside a fragment) is left to its field's own statement, as before."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode
from strawberry.types import Info
from strawberry.types.nodes import convert_arguments

from graph_api.api.graphql.connections import OrderDirection, page_params
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import ListCode, ListingStatus, RoleType
from graph_api.api.graphql.views import (
    HoldingOrder,
    HoldingOrderField,
    ListingFilter,
    ListingOrder,
    ListingOrderField,
    RoleFilter,
    RoleOrder,
    RoleOrderField,
    holding_params,
    listing_params,
    role_params,
)
from graph_api.domain.clock import today
from graph_api.errors import BadUserInput
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import EntityWithRelationsRow, KeyedPageRow
from graph_api.store.statement import Statement


@dataclass(frozen=True)
class Prefill:
    """One list fetched with the entity: its slot in the combined statement and its page statement's group."""

    slot: str  # the combined statement's column and parameter prefix (_PREFIXED)
    statement: Statement[KeyedPageRow]
    params: dict[str, Any]  # the page statement's parameters, as its field resolver computes them
    nested: bool = False  # one level down: the column is a list of page rows, one per child key


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


def _roles(args: dict[str, Any], info: Info[Context, None]) -> dict[str, Any]:
    where = args.get("where")
    if where is not None and (not isinstance(where, dict) or not set(where) <= {"roles"}):
        raise _NotCompiled
    roles = None if where is None or where.get("roles") is None else [RoleType(r) for r in where["roles"]]
    return role_params(RoleFilter(roles=roles), _order(args.get("orderBy"), RoleOrder, RoleOrderField))


def _holdings(args: dict[str, Any], info: Info[Context, None]) -> dict[str, Any]:
    if args.get("where") is not None:
        raise _NotCompiled
    return holding_params(None, _order(args.get("orderBy"), HoldingOrder, HoldingOrderField))


def _listings(args: dict[str, Any], info: Info[Context, None]) -> dict[str, Any]:
    where = args.get("where")
    if where is not None and (not isinstance(where, dict) or not set(where) <= {"lists", "statuses"}):
        raise _NotCompiled
    where = where or {}
    lists = None if where.get("lists") is None else [ListCode(x) for x in where["lists"]]
    statuses = None if where.get("statuses") is None else [ListingStatus(x) for x in where["statuses"]]
    order = _order(args.get("orderBy"), ListingOrder, ListingOrderField)
    return listing_params(info.context.actor(), today(), ListingFilter(lists=lists, statuses=statuses), order)


ParamsOf = Callable[[dict[str, Any], Info[Context, None]], dict[str, Any]]

_SLOTS: dict[str, tuple[Statement[KeyedPageRow], ParamsOf]] = {
    "roles": (queries.entity_roles_page, _roles),
    "holders": (queries.entity_holders_page, _holdings),
    "holdings": (queries.subject_holdings_page, _holdings),
    "listings": (queries.subject_listings_page, _listings),
}
# One level down, under a slot's items: (slot, the item's object field, its list field) -> the nested slot.
_NESTED: dict[tuple[str, str, str], tuple[str, Statement[KeyedPageRow], ParamsOf]] = {
    ("holdings", "entity", "holdings"): ("subHoldings", queries.subject_holdings_page, _holdings),
    ("roles", "person", "roles"): ("personRoles", queries.person_roles_page, _roles),
}
_PAGE = ("orderField", "descending", "after", "limit")
_PREFIXED = {
    "roles": ("roles", "activeOn", *_PAGE),
    "holders": ("activeOn", "minRatio", *_PAGE),
    "holdings": ("activeOn", "minRatio", *_PAGE),
    "listings": ("lists", "statuses", "activeOn", *_PAGE),
    "subHoldings": ("activeOn", "minRatio", *_PAGE),
    "personRoles": ("roles", "activeOn", *_PAGE),
}


def _fields(selections: Any, name: str) -> list[FieldNode]:
    """The plain fields called `name` among `selections` (no directives: they may skip the field)."""
    return [s for s in selections or () if isinstance(s, FieldNode) and s.name.value == name and not s.directives]


def _children(field: FieldNode, object_field: str) -> list[FieldNode]:
    """The object field of a connection's items: under nodes { … } or edges { node { … } }."""
    items = _fields(field.selection_set.selections if field.selection_set else (), "nodes")
    for edges in _fields(field.selection_set.selections if field.selection_set else (), "edges"):
        items += _fields(edges.selection_set.selections if edges.selection_set else (), "node")
    return [c for i in items if i.selection_set for c in _fields(i.selection_set.selections, object_field)]


def _prefill(
    info: Info[Context, None], field: FieldNode, slot: str, statement: Statement[KeyedPageRow], params_of: ParamsOf
) -> Prefill | None:
    try:
        arguments = convert_arguments(info._raw_info, field.arguments)
        params = params_of(arguments, info)
        _, loaded = page_params(statement, _first(arguments), arguments.get("after"), params)
    except (_NotCompiled, BadUserInput, ValueError, TypeError):
        return None  # its own resolver reads (and refuses) these arguments as before
    return Prefill(slot, statement, loaded)


def plan(info: Info[Context, None]) -> list[Prefill]:
    """The lists of the entity field being resolved that one statement can fetch with it."""
    prefills: list[Prefill] = []
    taken: set[str] = set()
    # The field nodes' children only: info.selected_fields would convert the whole selection below.
    for root in info._raw_info.field_nodes:
        for child in root.selection_set.selections if root.selection_set else ():
            if not isinstance(child, FieldNode) or child.name.value not in _SLOTS or child.name.value in taken:
                continue
            if child.directives:
                continue
            name = child.name.value
            prefill = _prefill(info, child, name, *_SLOTS[name])
            if prefill is None:
                continue
            taken.add(name)
            prefills.append(prefill)
            for (parent, object_field, list_field), (slot, statement, params_of) in _NESTED.items():
                if parent != name or slot in taken:
                    continue
                for item in _children(child, object_field):
                    nested = _fields(item.selection_set.selections if item.selection_set else (), list_field)
                    found = _prefill(info, nested[0], slot, statement, params_of) if nested else None
                    if found is not None:
                        taken.add(slot)
                        prefills.append(Prefill(slot, statement, found.params, nested=True))
                        break
    return prefills


# A list not asked for still gets its default page's parameters, not nulls: Neo4j caches a plan per
# statement text and parameter types, so with nulls each choice of lists compiled (seconds, on a cold
# server) a plan of its own; with these, every choice shares the default page's plan. The listings' default
# depends on the reader (its @record_visible parameters), so it is made per request.
_STATIC = {
    **{slot: (st, of) for slot, (st, of) in _SLOTS.items() if slot != "listings"},
    **{slot: (st, of) for slot, st, of in _NESTED.values()},
}
_DEFAULTS = {slot: page_params(st, 20, None, of({}, None))[1] for slot, (st, of) in _STATIC.items()}  # type: ignore[arg-type]
# The slots of entity_with_relations; a query that asks for any other is sent entity_with_relations_deep,
# which has them all (a statement of its own, so that the commonest questions pay nothing for the rest).
_SHALLOW = ("roles", "holders", "holdings")


def statement(prefills: list[Prefill], info: Info[Context, None]) -> tuple[Statement[Any], dict[str, Any]]:
    """The combined statement for these lists and its parameters: each slot's page parameters under its
    prefix, with<Slot>, and (in the deep one) @record_visible's, of the listings' basis, unprefixed."""
    asked = {p.slot: p.params for p in prefills}
    deep = not set(asked) <= set(_SHALLOW)
    out: dict[str, Any] = {}
    record: dict[str, Any] = {}
    if deep:
        listings, of = _SLOTS["listings"]
        record = asked.get("listings") or page_params(listings, 20, None, of({}, info))[1]
        out |= {k: v for k, v in record.items() if k not in _PREFIXED["listings"]}
    for slot, names in _PREFIXED.items():
        if not deep and slot not in _SHALLOW:
            continue
        out["with" + slot[0].upper() + slot[1:]] = slot in asked
        params = asked.get(slot) or (record if slot == "listings" else _DEFAULTS[slot])
        for name in names:
            out[slot + name[0].upper() + name[1:]] = params.get(name)
    return (queries.entity_with_relations_deep if deep else queries.entity_with_relations), out


def prime(info: Info[Context, None], row: EntityWithRelationsRow, prefills: list[Prefill]) -> None:
    """Each page of `row` (either combined statement's) under the group its field resolver asks for."""
    batch = info.context.batch
    for p in prefills:
        if p.nested:
            pages: list[KeyedPageRow] = row[p.slot]  # type: ignore[literal-required]
            for page in pages:
                batch.prime(p.statement, page["key"], page, **p.params)
        else:
            one: KeyedPageRow | None = row[p.slot]  # type: ignore[literal-required]
            batch.prime(p.statement, row["key"], one, **p.params)
