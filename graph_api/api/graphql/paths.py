"""Paths that explain an answer, as GraphQL types: the domain's path values (graph_api/domain/paths.py)
mapped to strawberry, and the helpers the resolvers use to build them from statement rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import strawberry

from graph_api.api.graphql.enums import NodeKind
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.global_id import NODE_ID_DESCRIPTION, PERSON, global_id, id_of_node
from graph_api.api.graphql.masking import PersonName, for_public, mask_name
from graph_api.api.graphql.types import _date
from graph_api.domain import paths
from graph_api.store.cypher_loader import queries

# A person's key on a path (domain/paths.py person_key); a person known only masked has none.
_PERSON_KEY = re.compile(r"P[0-9a-f]{24}")


@strawberry.type(
    description="A node on a path. Persons are keyed by an opaque stable key, never their identity number."
)
class PathNode:
    kind: NodeKind = strawberry.field(description="What the node is.")
    key: str = strawberry.field(
        description="USCC, opaque person key, listing id, record id or department code; UNDISCLOSED for the "
        "records the reader may not see (one node for all of them, neither named nor counted)."
    )
    name: str = strawberry.field(
        description="Entity or person name (a person's masked for the public), list code, or record category; "
        "'a record not disclosed to you' for the UNDISCLOSED node.",
        extensions=[PersonName()],
    )

    @field(description=NODE_ID_DESCRIPTION)
    async def id(self, info: strawberry.Info) -> strawberry.ID | None:
        if self.kind is NodeKind.PERSON:
            if not _PERSON_KEY.fullmatch(self.key):
                return None
            # The key holds the first characters of the key hash; the id needs all of it (batched per request).
            row = await info.context.batch.row(queries.person_hash_by_key, self.key[1:])
            return global_id(info, PERSON, row["idHash"]) if row else None
        return None if self.key == paths.UNDISCLOSED_KEY else id_of_node(info, self.kind, self.key)


@strawberry.type(description="One relationship on a path, with its validity dates and (for holdings) its ratio.")
class PathStep:
    relation: str = strawberry.field(description="LEGAL_REPRESENTATIVE, HOLDS, LISTED_ON, BASED_ON, ...")
    from_key: str = strawberry.field(description="The key of the node the step starts from (as `PathNode.key`).")
    to_key: str = strawberry.field(description="The key of the node it leads to.")
    since: dt.date | None = strawberry.field(
        default=None, description="First day the relationship holds; null when it has no date."
    )
    until: dt.date | None = strawberry.field(
        default=None, description="First day it no longer holds; null while it still does."
    )
    ratio: float | None = strawberry.field(
        default=None, description="For a holding, the share held (0..1); null otherwise."
    )


@strawberry.type(description="Why an answer holds: nodes in order and the steps between them.")
class Path:
    nodes: list[PathNode] = strawberry.field(description="The nodes in order, from the subject.")
    steps: list[PathStep] = strawberry.field(
        description="The relationships between consecutive nodes: one fewer than the nodes."
    )

    @field(
        description="The path as readable text; a step that branches off an earlier node starts a new clause "
        "after '; '."
    )
    def text(self, info: strawberry.Info) -> str:
        return self.render(mask_persons=for_public(info))

    def render(self, mask_persons: bool = False) -> str:
        return self.to_domain().render(mask=mask_name if mask_persons else None)

    def to_domain(self) -> paths.Path:
        return paths.Path(
            nodes=tuple(paths.Node(kind=n.kind.value, key=n.key, name=n.name) for n in self.nodes),
            steps=tuple(
                paths.Step(
                    relation=s.relation,
                    from_key=s.from_key,
                    to_key=s.to_key,
                    since=s.since,
                    until=s.until,
                    ratio=s.ratio,
                )
                for s in self.steps
            ),
        )

    @classmethod
    def of(cls, p: paths.Path) -> Path:
        return cls(
            nodes=[node_of(n) for n in p.nodes],
            steps=[
                PathStep(
                    relation=s.relation,
                    from_key=s.from_key,
                    to_key=s.to_key,
                    since=s.since,
                    until=s.until,
                    ratio=s.ratio,
                )
                for s in p.steps
            ],
        )


def node_of(n: paths.Node) -> PathNode:
    return PathNode(kind=NodeKind(n.kind), key=n.key, name=n.name)


person_key = paths.person_key


def entity_node(m: Mapping[str, Any]) -> PathNode:
    return node_of(paths.entity_node(m))


def person_node(m: Mapping[str, Any]) -> PathNode:
    return node_of(paths.person_node(m))


def listing_node(m: Mapping[str, Any]) -> PathNode:
    return node_of(paths.listing_node(m))


def record_node(m: Mapping[str, Any]) -> PathNode:
    return node_of(paths.record_node(m))


def step(
    relation: str, a: PathNode, b: PathNode, since: Any = None, until: Any = None, ratio: float | None = None
) -> PathStep:
    return PathStep(
        relation=relation, from_key=a.key, to_key=b.key, since=_date(since), until=_date(until), ratio=ratio
    )


def listing_path(
    prefix_nodes: list[PathNode],
    prefix_steps: list[PathStep],
    subject: PathNode,
    listing: Mapping[str, Any],
    basis: Sequence[Mapping[str, Any]],
) -> Path:
    """… → subject -LISTED_ON→ listing -BASED_ON→ each basis record (those the reader may not see, as the
    row marks them, are one undisclosed node: domain/disclosure.py)."""
    ln = listing_node(listing)
    nodes, steps = (
        [*prefix_nodes, subject, ln],
        [*prefix_steps, step("LISTED_ON", subject, ln, listing["since"], listing["until"])],
    )
    # the records the reader sees first: where a hidden one stands in the order would tell its date
    for record in sorted(basis, key=lambda r: r.get("disclosed", True) is False):
        rn = record_node(record)
        if rn.key == paths.UNDISCLOSED_KEY:
            if any(n.key == rn.key for n in nodes):
                continue
            steps.append(step("BASED_ON", ln, rn))
        else:
            steps.append(step("BASED_ON", ln, rn, record["decidedOn"]))
        nodes.append(rn)
    return Path(nodes=nodes, steps=steps)
