"""A party's neighbourhood, ready for a graph drawing: nodes flagged listed or bound, dated edges, and a
marker when the limit cut it short."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import NodeKind
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.global_id import node_id_field
from graph_api.api.graphql.inputs import SubjectInput, subject_params
from graph_api.api.graphql.masking import PersonName
from graph_api.api.graphql.paths import PathStep, person_key
from graph_api.api.graphql.types import _date
from graph_api.domain.clock import today
from graph_api.errors import BadUserInput, NotFound
from graph_api.store.cypher_loader import queries

MAX_LIMIT = 500


@strawberry.type(description="A node of a drawing, with the flags a frontend colours it by.")
class GraphNode:
    kind: NodeKind = strawberry.field(description="Whether the node is an entity or a person.")
    key: str = strawberry.field(description="USCC for an entity, the opaque person key for a person.")
    name: str = strawberry.field(description="A person's masked for the public.", extensions=[PersonName()])
    listed: bool = strawberry.field(description="On a joint-punishment or key-attention list in force.")
    bound: bool = strawberry.field(description="A person bound by a joint-punishment listing in force.")
    id: strawberry.ID | None = node_id_field()
    ref: strawberry.Private[str | None] = None  # the natural key: USCC, or the person's key hash


@strawberry.type(description="Nodes and edges around a party.")
class Neighborhood:
    center: str = strawberry.field(description="The key of the party asked about.")
    nodes: list[GraphNode] = strawberry.field(description="The parties within reach, the center included.")
    edges: list[PathStep] = strawberry.field(
        description="Roles, holdings and branch ties between them, valid on the day asked."
    )
    truncated: bool = strawberry.field(description="True when the limit cut relationships off.")


def _key(raw: str, kind: str) -> str:
    return raw if kind == "ENTITY" else person_key(raw)


def neighborhood(row: Any) -> Neighborhood:
    kinds = {n["key"]: n["kind"] for n in row["nodes"]}
    nodes = [
        GraphNode(
            kind=NodeKind(n["kind"]),
            key=_key(n["key"], n["kind"]),
            name=n["name"],
            listed=n["listed"],
            bound=n["bound"],
            ref=n["key"],
        )
        for n in row["nodes"]
    ]
    edges = [
        PathStep(
            relation=e["relation"],
            from_key=_key(e["from"], kinds[e["from"]]),
            to_key=_key(e["to"], kinds[e["to"]]),
            since=_date(e["since"]),
            until=_date(e["until"]),
            ratio=e["ratio"],
        )
        for e in row["edges"]
    ]
    center = row["centerKey"]
    return Neighborhood(center=_key(center, kinds[center]), nodes=nodes, edges=edges, truncated=row["truncated"])


@strawberry.type
class NeighborhoodQueries:
    @field(
        description="Nodes and edges within `hops` of a party as of a date (default today), at most "
        "`limit` relationships, flagged listed and bound — ready for a graph drawing."
    )
    async def neighborhood(
        self,
        info: Info[Context, None],
        node: Annotated[SubjectInput, strawberry.argument(description="The party at the center.")],
        hops: Annotated[int, strawberry.argument(description="How many relationships away, from 1 to 3.")] = 2,
        limit: Annotated[
            int,
            strawberry.argument(
                description="How many relationships at most, from 1 to 500; beyond it `truncated` is true."
            ),
        ] = 200,
        as_of: dt.date | None = None,
    ) -> Neighborhood:
        if not 1 <= hops <= 3:
            raise BadUserInput("hops must be between 1 and 3", field="hops")
        if not 1 <= limit <= MAX_LIMIT:
            raise BadUserInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
        rows = await info.context.read(
            queries.neighborhood,
            hops=hops,
            limitPlusOne=limit + 1,
            asOf=as_of or today(),
            **subject_params(info, node, "center"),
        )
        if not rows:
            raise NotFound("no such entity or person")
        return neighborhood(rows[0])
