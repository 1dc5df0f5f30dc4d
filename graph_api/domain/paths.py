"""Paths that explain an answer, as plain values: the nodes and dated relationships from a subject to
what binds or flags it, and their text. The GraphQL layer maps them to its types; a stored flag keeps
the text (docs/domain-rules.md, "Linkage")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

ENTITY, PERSON, LISTING, RECORD = "ENTITY", "PERSON", "LISTING", "RECORD"
# A record the reader may not see stands on a path as this one node (domain/disclosure.py).
UNDISCLOSED_KEY = "UNDISCLOSED"
UNDISCLOSED_NAME = "a record not disclosed to you (未向您公开的记录)"


@dataclass(frozen=True)
class Node:
    kind: str
    key: str
    name: str


@dataclass(frozen=True)
class Step:
    relation: str
    from_key: str
    to_key: str
    since: dt.date | None = None
    until: dt.date | None = None
    ratio: float | None = None


@dataclass(frozen=True)
class Path:
    nodes: tuple[Node, ...]
    steps: tuple[Step, ...]

    def then(self, nodes: Iterable[Node], steps: Iterable[Step]) -> Path:
        """This path continued by more steps; a node already on it is not repeated."""
        known = {n.key for n in self.nodes}
        extra = []
        for n in nodes:
            if n.key not in known:
                known.add(n.key)
                extra.append(n)
        return Path(nodes=(*self.nodes, *extra), steps=(*self.steps, *steps))

    def render(self, mask: Callable[[str], str] | None = None) -> str:
        """The path as text; a step that does not continue from the previous one starts a new clause
        after '; '. `mask` hides person names (for the public)."""

        def label(n: Node) -> str:
            if n.kind == PERSON:
                return mask(n.name) if mask else n.name
            return n.name if n.kind == ENTITY or n.key == UNDISCLOSED_KEY else f"{n.name} {n.key}"

        names = {n.key: label(n) for n in self.nodes}
        if not self.steps:
            return names[self.nodes[0].key] if self.nodes else ""
        out: list[str] = []
        at = None
        for s in self.steps:
            if s.from_key != at:
                out.append(("; " if out else "") + names.get(s.from_key, s.from_key))
            when = f" {s.since or ''}..{s.until or ''}" if s.since or s.until else ""
            share = f" {s.ratio:.2%}" if s.ratio is not None else ""
            out.append(f" -[{s.relation}{share}{when}]-> {names.get(s.to_key, s.to_key)}")
            at = s.to_key
        return "".join(out)


def person_key(id_hash: str) -> str:
    """The opaque key of a person on a path: never the identity number, stable across answers."""
    return "P" + id_hash[:24]


def entity_node(m: Mapping[str, Any]) -> Node:
    return Node(kind=ENTITY, key=m["uscc"], name=m["name"])


def person_node(m: Mapping[str, Any]) -> Node:
    return Node(kind=PERSON, key=person_key(m["idHash"]) if m.get("idHash") else m["idMasked"], name=m["name"])


def listing_node(m: Mapping[str, Any]) -> Node:
    return Node(kind=LISTING, key=m["id"], name=m["list"])


def record_node(m: Mapping[str, Any]) -> Node:
    """A record of a statement's row; one the row marks `disclosed: false` (@record_visible) is the
    undisclosed node, whatever the row holds."""
    if m.get("disclosed", True) is False:
        return Node(kind=RECORD, key=UNDISCLOSED_KEY, name=UNDISCLOSED_NAME)
    return Node(kind=RECORD, key=m["id"], name=m["category"])


def step(
    relation: str,
    a: Node,
    b: Node,
    since: dt.date | None = None,
    until: dt.date | None = None,
    ratio: float | None = None,
) -> Step:
    return Step(relation=relation, from_key=a.key, to_key=b.key, since=since, until=until, ratio=ratio)


def listing_path(
    prefix: Path | None, subject: Node, listing: Mapping[str, Any], basis: Iterable[Mapping[str, Any]]
) -> Path:
    """… → subject -LISTED_ON→ listing -BASED_ON→ each basis record."""
    ln = listing_node(listing)
    nodes = [subject, ln]
    steps = [step("LISTED_ON", subject, ln, listing["since"], listing["until"])]
    # the records the reader sees first: where a hidden one stands in the order would tell its date
    for record in sorted(basis, key=lambda r: r.get("disclosed", True) is False):
        rn = record_node(record)
        if rn.key == UNDISCLOSED_KEY:
            if rn in nodes:  # hidden records are one node, not counted
                continue
            steps.append(step("BASED_ON", ln, rn))
        else:
            steps.append(step("BASED_ON", ln, rn, record["decidedOn"]))
        nodes.append(rn)
    return (prefix or Path((), ())).then(nodes, steps)
