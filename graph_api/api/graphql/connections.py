"""Relay-style cursor connections, and the per-request loader that pages every parent of a request in
one round trip per (statement, arguments) — so a page of roles costs the same for one entity or fifty."""

from __future__ import annotations

import base64
from collections.abc import Callable, Hashable, Sequence
from enum import Enum
from typing import Any, Generic, TypedDict, TypeVar, cast

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from graph_api.api.graphql.enums import labelled
from graph_api.api.graphql.fields import field
from graph_api.errors import BadUserInput
from graph_api.services.reads import Read
from graph_api.store.rows import KeyedPageRow, Map
from graph_api.store.statement import Statement

MAX_PAGE = 100
# Beyond any list this graph holds (a city of millions of entities), and well inside the database's
# 64-bit SKIP: a larger offset in a cursor was made up by the client, not returned by this API.
MAX_OFFSET = 100_000_000
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
    def of(cls, edges: Sequence[Any], skip: int, more: bool) -> PageInfo:
        """The page information of `edges`, which begin after `skip` items; `more`: items follow."""
        return cls(
            has_next_page=more,
            end_cursor=edges[-1].cursor if edges else None,
            has_previous_page=skip > 0,
            start_cursor=edges[0].cursor if edges else None,
        )


@strawberry.type(description="One item of a page and the cursor that resumes after it.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The item.")
    cursor: str = strawberry.field(description="Opaque: pass it as `after` to get the items that follow this one.")


@strawberry.type(description="A page of items (`first` at most 100, resume with `after: pageInfo.endCursor`).")
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


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        kind, _, value = base64.b64decode(cursor, validate=True).decode().partition(":")
        if kind == "offset" and value.isascii() and value.isdigit() and int(value) <= MAX_OFFSET:
            return int(value)
    except ValueError:
        pass
    raise BadUserInput("after is not a cursor returned by this API", field="after")


def window(first: int, after: str | None) -> tuple[int, int]:
    """(skip, limit) of a requested page, refusing page sizes beyond the cap."""
    if not 1 <= first <= MAX_PAGE:
        raise BadUserInput(f"first must be between 1 and {MAX_PAGE}", field="first")
    return decode_cursor(after), first


def build(total: int, page: list[Map], skip: int, make: Callable[[Map], T]) -> Connection[T]:
    edges = [Edge(node=make(m), cursor=encode_cursor(skip + i + 1)) for i, m in enumerate(page)]
    return Connection(
        total_count=total,
        edges=edges,
        page_info=PageInfo.of(edges, skip, more=skip + len(page) < total),
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

    async def row(self, statement: Statement[K], key: str, **params: Any) -> K | None:
        group = (statement.name, tuple(sorted((k, _frozen(v)) for k, v in params.items())))
        loader = self._loaders.get(group)
        if loader is None:

            async def batch(keys: list[str]) -> list[K | None]:
                rows = await self._read(statement, keys=list(keys), **params)
                found = {r["key"]: r for r in rows}
                return [found.get(k) for k in keys]

            loader = self._loaders[group] = DataLoader(load_fn=batch)
        return cast(K | None, await loader.load(key))

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
    """A connection of one parent's items: window checked, page loaded in the request's batch."""
    skip, limit = window(first, after)
    batch: BatchLoader = info.context.batch
    row = await batch.row(statement, key, skip=skip, limit=limit, **params)
    return build(row["totalCount"], row["page"], skip, make) if row else build(0, [], skip, make)
