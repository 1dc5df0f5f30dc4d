"""Control and effective ownership from shareholdings (DOMAIN.md, Linkage 3), computed over the
ownership subgraph above one entity.

- Control: X controls Y when X holds more than 50% of Y, directly or through entities X controls
  (their stakes count as X's). The ultimate controller is found by climbing while a controller exists.
- Effective ownership: the sum over all ownership paths of the product of the ratios."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

_EPSILON = 1e-9
MAX_DEPTH = 10
MAX_PATHS = 20_000  # a cap on enumerated paths, so a pathological cross-holding web stays bounded


@dataclass(frozen=True)
class Edge:
    holder: str
    entity: str
    ratio: float
    raw: dict[str, Any] = field(compare=False, hash=False)


@dataclass
class OwnershipPath:
    edges: list[Edge]

    @property
    def share(self) -> float:
        product = 1.0
        for e in self.edges:
            product *= e.ratio
        return product


class OwnershipGraph:
    def __init__(self, edges: list[dict[str, Any]]):
        self.holders_of: dict[str, list[Edge]] = defaultdict(list)
        self.kind: dict[str, str] = {}
        for raw in edges:
            edge = Edge(raw["holder"], raw["entity"], raw["ratio"], raw)
            self.holders_of[edge.entity].append(edge)
            self.kind[edge.holder] = raw["holderKind"]
            self.kind.setdefault(edge.entity, "ENTITY")
        self._controller: dict[str, str | None] = {}

    def controller(self, node: str, _visiting: frozenset[str] = frozenset()) -> str | None:
        """The immediate controller of `node`: the lowest party whose own and controlled stakes exceed 50%."""
        if node in self._controller:
            return self._controller[node]
        if node in _visiting or len(_visiting) > MAX_DEPTH:
            return None  # a cross-holding cycle: no one controls through it
        stakes: dict[str, float] = defaultdict(float)
        rank: dict[str, int] = {}
        for edge in self.holders_of.get(node, []):
            for height, party in enumerate(self.chain(edge.holder, _visiting | {node})):
                stakes[party] += edge.ratio
                rank[party] = min(rank.get(party, height), height)
        candidates = [p for p, s in stakes.items() if s > 0.5 + _EPSILON]
        result = min(candidates, key=lambda p: rank[p]) if candidates else None
        self._controller[node] = result
        return result

    def chain(self, party: str, _visiting: frozenset[str] = frozenset()) -> list[str]:
        """`party`, its controller, that one's controller, ... up to the top."""
        out = [party]
        while len(out) <= MAX_DEPTH:
            above = self.controller(out[-1], _visiting | set(out[:-1]))
            if above is None or above in out:
                break
            out.append(above)
        return out

    def ultimate_controller(self, entity: str) -> str | None:
        direct = self.controller(entity)
        return self.chain(direct)[-1] if direct else None

    def paths_from(self, party: str, entity: str) -> list[OwnershipPath]:
        return [p for p in self.paths_to(entity) if p.edges[0].holder == party]

    def paths_to(self, entity: str) -> list[OwnershipPath]:
        """Every simple ownership path ending at `entity`, each as edges from the top holder down."""
        found: list[OwnershipPath] = []

        def climb(node: str, below: list[Edge], seen: frozenset[str]) -> None:
            for edge in self.holders_of.get(node, []):
                if edge.holder in seen or len(found) >= MAX_PATHS:
                    continue
                path = [edge, *below]
                found.append(OwnershipPath(path))
                if len(path) < MAX_DEPTH:
                    climb(edge.holder, path, seen | {edge.holder})

        climb(entity, [], frozenset({entity}))
        return found

    def effective_ownership(self, entity: str) -> dict[str, tuple[float, list[OwnershipPath]]]:
        by_party: dict[str, list[OwnershipPath]] = defaultdict(list)
        for path in self.paths_to(entity):
            by_party[path.edges[0].holder].append(path)
        return {party: (sum(p.share for p in paths), paths) for party, paths in by_party.items()}

    def control_paths(self, controller: str, entity: str) -> list[OwnershipPath]:
        """The ownership paths through which `controller` controls `entity`: those whose every
        intermediate holder is itself controlled by `controller`."""
        out = []
        for path in self.paths_from(controller, entity):
            if all(controller in self.chain(e.holder) for e in path.edges[1:]):
                out.append(path)
        return out
