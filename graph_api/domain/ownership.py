"""Control and effective ownership from shareholdings (docs/domain-rules.md, Linkage 3;
"Control"). One rule, used by `controllers`, the OWNED and SHARED_RESPONSIBLE_PERSON flags and
REAPPEARANCE alike:

- the simultaneous stakes of one holder in one entity add up (two lines of 30% are 60%);
- X controls Y when X's own stakes in Y plus the stakes of the entities X controls exceed 50%;
- so control passes through controlled entities to any depth; a cross-holding cycle ends because an
  entity is added to X's controlled set at most once, and X is never its own controlled entity.

Effective ownership is the sum over all simple ownership paths of the product of the ratios. Paths are
enumerated up to MAX_PATHS, and an answer that hit the cap says so (`truncated`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

MAJORITY = 0.5
_EPSILON = 1e-9
MAX_PATHS = 20_000  # a web of cross-holdings can have exponentially many paths


def valid(since: dt.date | None, until: dt.date | None, day: dt.date) -> bool:
    """Half-open validity: `since` is the first day a fact holds, `until` the first day it no longer does."""
    return (since is None or since <= day) and (until is None or day < until)


@dataclass(frozen=True, eq=False)  # two identical lines are still two stakes: compared by identity
class Holding:
    holder: str
    entity: str
    ratio: float
    since: dt.date | None = None
    until: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        """Half-open: `since` is the first day the stake is held, `until` the first day it is not."""
        return valid(self.since, self.until, day)


def valid_on(holdings: Iterable[Holding], day: dt.date) -> list[Holding]:
    return [h for h in holdings if h.valid_on(day)]


@dataclass(frozen=True)
class Control:
    """Everything `party` controls. `level[y]` is 1 when y is controlled by the party's own stakes
    alone and n when it also needs the stakes of entities of level below n; `lines[y]` are the
    holdings counted for y at that level."""

    party: str
    level: dict[str, int] = field(default_factory=dict)
    lines: dict[str, tuple[Holding, ...]] = field(default_factory=dict)

    def controls(self, entity: str) -> bool:
        return entity in self.level

    def explanation(self, entity: str) -> list[Holding]:
        """The holdings that make `entity` controlled, from the party down: the party's own lines first,
        then for each line of a controlled holder that holder's explanation and the line, so that a
        chain reads in order; lines of one holder by start date, whatever order the graph gave them."""
        out: list[Holding] = []
        seen: set[int] = set()

        def visit(node: str) -> None:
            counted = sorted(
                self.lines[node], key=lambda h: (h.holder != self.party, h.holder, h.since or dt.date.min, -h.ratio)
            )
            for line in counted:
                if line.holder != self.party:
                    visit(line.holder)
                if id(line) not in seen:
                    seen.add(id(line))
                    out.append(line)

        if self.controls(entity):
            visit(entity)
        return out


def control_of(party: str, holdings: Iterable[Holding]) -> Control:
    """The entities `party` controls through `holdings` (all taken as valid: filter them by day first)."""
    out_of: dict[str, list[Holding]] = defaultdict(list)
    for h in holdings:
        out_of[h.holder].append(h)
    result = Control(party)
    rank = 0
    while True:
        rank += 1
        counting = [party, *result.level]
        stakes: dict[str, float] = defaultdict(float)
        used: dict[str, list[Holding]] = defaultdict(list)
        for holder in counting:
            for line in out_of.get(holder, []):
                if line.entity != party and line.entity not in result.level:
                    stakes[line.entity] += line.ratio
                    used[line.entity].append(line)
        gained = [e for e, s in stakes.items() if s > MAJORITY + _EPSILON]
        if not gained:
            return result
        for e in gained:
            result.level[e] = rank
            result.lines[e] = tuple(used[e])


@dataclass(frozen=True)
class Ownership:
    share: float
    paths: list[list[Holding]]


class OwnershipGraph:
    """The holdings above one entity (valid on one day), and the questions asked of them."""

    def __init__(self, holdings: Iterable[Holding]):
        # in a stable order, so that paths come out the same whatever order the graph returned
        self.holdings = sorted(holdings, key=lambda h: (h.entity, h.holder, h.since or dt.date.min, -h.ratio))
        self.holders_of: dict[str, list[Holding]] = defaultdict(list)
        for h in self.holdings:
            self.holders_of[h.entity].append(h)
        self._control: dict[str, Control] = {}
        self.truncated = False  # set when path enumeration hit MAX_PATHS

    def control(self, party: str) -> Control:
        if party not in self._control:
            self._control[party] = control_of(party, self.holdings)
        return self._control[party]

    def controllers(self, entity: str) -> list[str]:
        """Every party that controls `entity`, directly or through entities it controls."""
        parties = sorted({h.holder for h in self.holdings} - {entity})
        return [p for p in parties if self.control(p).controls(entity)]

    def ultimate_controller(self, entity: str) -> str | None:
        """The controller of `entity` that no other controller controls. When the top controllers
        control one another (a ring of cross-holdings with no one above), the one nearest the entity
        is shown, the lowest key on a tie."""
        parties = self.controllers(entity)
        top = [p for p in parties if not any(q != p and self.control(q).controls(p) for q in parties)]
        candidates = top or parties
        if not candidates:
            return None
        return min(candidates, key=lambda p: (self.control(p).level[entity], p))

    def paths_to(self, entity: str, within: set[str] | None = None) -> list[list[Holding]]:
        """Every simple ownership path ending at `entity`, each as holdings from the top holder down;
        with `within`, only paths whose holders all lie in it."""
        found: list[list[Holding]] = []

        def climb(node: str, below: list[Holding], seen: frozenset[str]) -> None:
            for h in self.holders_of.get(node, []):
                if h.holder in seen or (within is not None and h.holder not in within):
                    continue
                if len(found) >= MAX_PATHS:
                    self.truncated = True
                    return
                path = [h, *below]
                found.append(path)
                climb(h.holder, path, seen | {h.holder})

        climb(entity, [], frozenset({entity}))
        return found

    def effective_ownership(self, entity: str) -> dict[str, Ownership]:
        by_party: dict[str, list[list[Holding]]] = defaultdict(list)
        for path in self.paths_to(entity):
            by_party[path[0].holder].append(path)
        return {party: Ownership(sum(_product(p) for p in paths), paths) for party, paths in by_party.items()}

    def control_paths(self, controller: str, entity: str) -> list[list[Holding]]:
        """The ownership paths from `controller` to `entity` whose every intermediate holder is an
        entity `controller` controls: the chains through which it controls."""
        within = {controller, *self.control(controller).level}
        return [p for p in self.paths_to(entity, within) if p[0].holder == controller]


@dataclass(frozen=True)
class Controllers:
    """Who controls an entity: the inferred ultimate controller with its effective share and the chains
    through which it controls, and the beneficial owners (persons at the threshold or above)."""

    inferred: str | None
    inferred_share: float
    inferred_paths: list[list[Holding]]
    beneficial_owners: list[tuple[str, Ownership]]
    truncated: bool


def controllers_of(
    entity: str, holdings: Iterable[Holding], persons: set[str], reached: set[str] | None, threshold: float
) -> Controllers:
    """The answer over the holdings above `entity`. `reached` is the set of parties the search found
    (None: all of them); a holding whose holder is not among them shows that the search was cut."""
    graph = OwnershipGraph(holdings)
    owned = graph.effective_ownership(entity)
    top = graph.ultimate_controller(entity)
    owners = sorted(
        ((k, o) for k, o in owned.items() if k in persons and o.share >= threshold - _EPSILON),
        key=lambda x: (-x[1].share, x[0]),
    )
    cut = reached is not None and any(h.holder not in reached for h in graph.holdings)
    return Controllers(
        inferred=top,
        inferred_share=owned[top].share if top in owned else 0.0,
        inferred_paths=graph.control_paths(top, entity) if top is not None else [],
        beneficial_owners=owners,
        truncated=graph.truncated or cut,
    )


def _product(path: list[Holding]) -> float:
    product = 1.0
    for h in path:
        product *= h.ratio
    return product
