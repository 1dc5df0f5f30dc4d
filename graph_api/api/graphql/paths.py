"""Paths that explain an answer: the nodes and dated relationships from a subject to what binds it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from graph_api.api.graphql.enums import NodeKind
from graph_api.api.graphql.masking import PersonName, for_public, mask_name
from graph_api.api.graphql.types import _date


@strawberry.type(description="A node on a path. Persons are keyed by an opaque stable key, never their identity number.")
class PathNode:
    kind: NodeKind
    key: str = strawberry.field(description="USCC, opaque person key, listing id, record id or department code.")
    name: str = strawberry.field(description="Entity or person name (a person's masked for the public), list code, "
                                             "or record category.", extensions=[PersonName()])


@strawberry.type(description="One relationship on a path, with its validity dates and (for holdings) its ratio.")
class PathStep:
    relation: str = strawberry.field(description="LEGAL_REPRESENTATIVE, HOLDS, LISTED_ON, BASED_ON, ...")
    from_key: str
    to_key: str
    since: dt.date | None = None
    until: dt.date | None = None
    ratio: float | None = None


@strawberry.type(description="Why an answer holds: nodes in order and the steps between them.")
class Path:
    nodes: list[PathNode]
    steps: list[PathStep]

    @strawberry.field(description="The path as readable text; a step that branches off an earlier node starts a new clause after '; '.")
    def text(self, info: strawberry.Info) -> str:
        return self.render(mask_persons=for_public(info))

    def render(self, mask_persons: bool = False) -> str:
        names = {n.key: (mask_name(n.name) if mask_persons and n.kind == NodeKind.PERSON else n.name)
                 if n.kind in (NodeKind.ENTITY, NodeKind.PERSON) else f"{n.name} {n.key}" for n in self.nodes}
        if not self.steps:
            return names[self.nodes[0].key] if self.nodes else ""
        out, at = [], None
        for s in self.steps:
            if s.from_key != at:
                out.append(("; " if out else "") + names.get(s.from_key, s.from_key))
            when = f" {s.since or ''}..{s.until or ''}" if s.since or s.until else ""
            share = f" {s.ratio:.2%}" if s.ratio is not None else ""
            out.append(f" -[{s.relation}{share}{when}]-> {names.get(s.to_key, s.to_key)}")
            at = s.to_key
        return "".join(out)


def person_key(id_hash: str) -> str:
    return "P" + id_hash[:24]


def entity_node(m: dict[str, Any]) -> PathNode:
    return PathNode(kind=NodeKind.ENTITY, key=m["uscc"], name=m["name"])


def person_node(m: dict[str, Any]) -> PathNode:
    return PathNode(kind=NodeKind.PERSON, key=person_key(m["idHash"]) if m.get("idHash") else m["idMasked"], name=m["name"])


def listing_node(m: dict[str, Any]) -> PathNode:
    return PathNode(kind=NodeKind.LISTING, key=m["id"], name=m["list"])


def record_node(m: dict[str, Any]) -> PathNode:
    return PathNode(kind=NodeKind.RECORD, key=m["id"], name=m["category"])


def step(relation: str, a: PathNode, b: PathNode, since: Any = None, until: Any = None, ratio: float | None = None) -> PathStep:
    return PathStep(relation=relation, from_key=a.key, to_key=b.key, since=_date(since), until=_date(until), ratio=ratio)


def listing_path(prefix_nodes: list[PathNode], prefix_steps: list[PathStep], subject: PathNode,
                 listing: dict[str, Any], basis: list[dict[str, Any]]) -> Path:
    """… → subject -LISTED_ON→ listing -BASED_ON→ each basis record."""
    ln = listing_node(listing)
    nodes, steps = [*prefix_nodes, subject, ln], [*prefix_steps, step("LISTED_ON", subject, ln, listing["since"], listing["until"])]
    for record in basis:
        rn = record_node(record)
        nodes.append(rn)
        steps.append(step("BASED_ON", ln, rn, record["decidedOn"]))
    return Path(nodes=nodes, steps=steps)
