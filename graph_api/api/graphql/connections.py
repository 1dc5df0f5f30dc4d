"""Relay-style cursor connections, and the per-request loader that pages every parent of a request in
one round trip per (statement, arguments) — so a page of roles costs the same for one entity or fifty."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypedDict, TypeVar, cast

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from graph_api.api.graphql import cursors
from graph_api.api.graphql.enums import labelled
from graph_api.api.graphql.fields import field
from graph_api.errors import BadUserInput
from graph_api.services.reads import Read
from graph_api.store.rows import KeyedPageRow, Map
from graph_api.store.statement import Statement

MAX_PAGE = 100
T = TypeVar("T")
R = TypeVar("R")


class Keyed(TypedDict):
    """What a batched statement returns: at most one row per key of `$keys`, that key as `key`."""

    key: str


K = TypeVar("K", bound=Keyed)


@strawberry.type(description="Relay page information (the cursor connections specification).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    end_cursor: str | None = strawberry.field(description="The cursor of the page's last item: pass it as `after`.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page (it began after a cursor).")
    start_cursor: str | None = strawberry.field(description="The cursor of the page's first item.")

    @classmethod
    def of(cls, edges: Sequence[Any], before: int, more: bool) -> PageInfo:
        """The page information of `edges`, which `before` items precede; `more`: items follow."""
        return cls(
            has_next_page=more,
            end_cursor=_cursor_of(edges[-1]) if edges else None,
            has_previous_page=before > 0,
            start_cursor=_cursor_of(edges[0]) if edges else None,
        )


def _cursor_of(edge: Any) -> str:
    return edge.encoded_cursor() if isinstance(edge, Edge) else str(edge.cursor)


@strawberry.type(description="One item of a page and the cursor that resumes after it.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The item.")
    # The cursor is encoded when a query asks for it, not for every item of every page (most ask for nodes).
    list_kind: strawberry.Private[str]
    list_order: strawberry.Private[str]
    sort_key: strawberry.Private[Sequence[object]]

    def encoded_cursor(self) -> str:
        return cursors.encode(self.list_kind, self.list_order, self.sort_key)

    @field(description="Opaque: pass it as `after` to resume after this item, under the same orderBy.")
    def cursor(self) -> str:
        return self.encoded_cursor()


@strawberry.type(
    description="A page of items (`first` at most 100, resume with `after: pageInfo.endCursor`). A cursor "
    "carries its item's sort key: the next page starts strictly after it, so items added or removed before "
    "it neither shift nor repeat the next page."
)
class Connection(Generic[T]):
    total_count: int = strawberry.field(description="How many items match, over all pages.")
    edges: list[Edge[T]] = strawberry.field(
        description="The items of this page with their cursors, in the page's order."
    )
    page_info: PageInfo = strawberry.field(description="Where this page stands: the cursors to resume from.")

    @field(description="The items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]


@labelled
@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@dataclass(frozen=True)
class Window:
    """A requested page: the list it is of (`kind`, the statement's name), its order, the sort key it
    starts strictly after (None: from the first item) and its size. `params()` are the statement's
    `$after` and `$limit`."""

    kind: str
    order: str
    after: list[Any] | None
    limit: int

    def params(self) -> dict[str, Any]:
        return {"after": self.after, "limit": self.limit}


def window(first: int, after: str | None, kind: str, order: str = "") -> Window:
    """The requested page, refusing page sizes beyond the cap and cursors of another list or order."""
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInput(f"first must be between 1 and {MAX_PAGE}", field="first")
    return Window(kind, order, cursors.decode(after, kind, order), first)


def build(row: Mapping[str, Any] | None, w: Window, make: Callable[[Map], T]) -> Connection[T]:
    """The connection of a paging statement's row (totalCount, page, the page's keys, and `start`: how
    many items precede the page); no row is an empty list."""
    if row is None:
        return Connection(total_count=0, edges=[], page_info=PageInfo.of([], 0, more=False))
    edges = [
        Edge(node=make(m), list_kind=w.kind, list_order=w.order, sort_key=k)
        for m, k in zip(row["page"], row["keys"], strict=True)
    ]
    start, total = row["start"], row["totalCount"]
    return Connection(
        total_count=total, edges=edges, page_info=PageInfo.of(edges, start, more=start + len(edges) < total)
    )


def _frozen(value: object) -> Hashable:
    return tuple(value) if isinstance(value, list) else value


class BatchLoader:
    """Per request: rows of a statement keyed by parent key, batched. Loads of the same statement with
    the same arguments share one DataLoader, hence one round trip for every parent of a request.
    Each statement takes `$keys` and returns at most one row per key, with that key as `key`."""

    def __init__(self, read: Read):
        self._read = read
        # Rows of different statements side by side; the group names its statement, so a loader's rows
        # are always that statement's row type.
        self._loaders: dict[tuple[str, tuple[tuple[str, Hashable], ...]], DataLoader[str, Any]] = {}

    def _loader(self, statement: Statement[K], params: dict[str, Any]) -> DataLoader[str, Any]:
        group = (statement.name, tuple(sorted((k, _frozen(v)) for k, v in params.items())))
        loader = self._loaders.get(group)
        if loader is None:

            async def batch(keys: list[str]) -> list[K | None]:
                rows = await self._read(statement, keys=list(keys), **params)
                found = {r["key"]: r for r in rows}
                return [found.get(k) for k in keys]

            loader = self._loaders[group] = DataLoader(load_fn=batch)
        return loader

    async def row(self, statement: Statement[K], key: str, **params: Any) -> K | None:
        return cast(K | None, await self._loader(statement, params).load(key))

    def prime(self, statement: Statement[K], key: str, row: K | None, **params: Any) -> None:
        """The row `statement` would return for `key` with `params`, fetched by a statement that returns the
        same rows with more (compiled.py): a later `row` of that group finds it without a round trip."""
        self._loader(statement, params).prime(key, row)

    async def single(self, statement: Statement[K], key: str, **params: Any) -> K:
        """The row of a key that must have one (a task's details): none is a broken statement, not input."""
        row = await self.row(statement, key, **params)
        if row is None:
            raise LookupError(f"statement {statement.name} returned no row for key {key}")
        return row


async def paged(
    info: Info[Any, Any],
    statement: Statement[KeyedPageRow],
    key: str,
    first: int,
    after: str | None,
    make: Callable[[Map], T],
    **params: Any,
) -> Connection[T]:
    """A connection of one parent's items: window checked, page loaded in the request's batch. A cursor
    is valid under the order it was made in (`orderField`, `descending` of params)."""
    w, loaded = page_params(statement, first, after, params)
    batch: BatchLoader = info.context.batch
    return build(await batch.row(statement, key, **loaded), w, make)


def page_params(
    statement: Statement[KeyedPageRow], first: int, after: str | None, params: dict[str, Any]
) -> tuple[Window, dict[str, Any]]:
    """The window of a page and every parameter its statement is loaded with (the batch's group)."""
    order = f"{params['orderField']}:{'DESC' if params['descending'] else 'ASC'}" if "orderField" in params else ""
    w = window(first, after, statement.name, order)
    return w, {**w.params(), **params}
