"""The related-entity reasons of a listing (docs/domain-rules.md, Linkage 2; "Related
entities"): OWNED, SHARED_RESPONSIBLE_PERSON and REAPPEARANCE, one function each, every flag with the
path that explains it. Control is `ownership.control_of`, the one rule; the listed entity is never its
own related entity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graph_api.domain.ownership import Holding, control_of, valid, valid_on
from graph_api.domain.paths import ENTITY, Node, Path, entity_node, person_key, step
from graph_api.domain.vocabulary import RESPONSIBLE_ROLES, ROLES

OWNED, SHARED_RESPONSIBLE_PERSON, REAPPEARANCE = "OWNED", "SHARED_RESPONSIBLE_PERSON", "REAPPEARANCE"
# Every reason, in the order the API documents them (api/graphql/enums.py RelatedReason must equal it).
REASONS = (OWNED, SHARED_RESPONSIBLE_PERSON, REAPPEARANCE)

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Flag:
    entity: Row  # uscc, name
    reason: str
    path: Path


class Subgraph:
    """The holdings below the listed entity and its responsible persons (since <= the day asked, ended or
    not), with the names of their parties."""

    def __init__(self, rows: Iterable[Row]):
        self.holdings: list[Holding] = []
        self.nodes: dict[str, Node] = {}
        self.entities: dict[str, Row] = {}
        for r in rows:
            self.holdings.append(Holding(r["holder"], r["entity"], r["ratio"], r["since"], r["until"]))
            kind = r["holderKind"]
            self.nodes.setdefault(
                r["holder"],
                Node(kind=kind, key=r["holder"] if kind == ENTITY else person_key(r["holder"]), name=r["holderName"]),
            )
            self.nodes.setdefault(r["entity"], Node(kind=ENTITY, key=r["entity"], name=r["entityName"]))
            self.entities.setdefault(
                r["entity"], {"uscc": r["entity"], "name": r["entityName"], "established": r.get("established")}
            )
            if kind == ENTITY:
                self.entities.setdefault(
                    r["holder"],
                    {"uscc": r["holder"], "name": r["holderName"], "established": r.get("holderEstablished")},
                )

    def on(self, day: dt.date) -> list[Holding]:
        return valid_on(self.holdings, day)

    def explain(self, start: Path, lines: list[Holding]) -> Path:
        nodes = [self.nodes[h.entity] for h in lines]
        steps = [step("HOLDS", self.nodes[h.holder], self.nodes[h.entity], h.since, h.until, h.ratio) for h in lines]
        return start.then(nodes, steps)

    def reach_of(self, listed: str, day: dt.date) -> set[str]:
        """The listed entity and everything it controls on `day` (at any level)."""
        return {listed, *control_of(listed, self.on(day)).level}

    def entity(self, uscc: str) -> Row:
        e = self.entities[uscc]
        return {"uscc": e["uscc"], "name": e["name"]}


def owned(graph: Subgraph, subject: Node, as_of: dt.date, max_hops: int) -> list[Flag]:
    """OWNED: the entities the listed entity controls, never the listed entity itself."""
    control = control_of(subject.key, graph.on(as_of))
    start = Path((subject,), ())
    return [
        Flag(graph.entity(e), OWNED, graph.explain(start, control.explanation(e)))
        for e, level in sorted(control.level.items(), key=lambda x: (x[1], x[0]))
        if level <= max_hops
    ]


def shared_responsible_person(
    graph: Subgraph, id_hash: str, binding: Path, ties: list[Row], listed: str, as_of: dt.date, max_hops: int
) -> list[Flag]:
    """SHARED_RESPONSIBLE_PERSON: entities where a bound person now holds a responsible role or is an
    officer (a flag per role, as held), or which they control (one flag, the holdings as its path).
    What the listed entity itself controls is its own reach, flagged OWNED: a person's control through
    it adds no flag. `binding` is the path that binds the person (it starts at them); `ties` are their
    roles at other entities."""
    flags: list[Flag] = []
    pn = binding.nodes[0]
    for t in sorted(ties, key=lambda t: (t["entity"]["uscc"], t["since"] or dt.date.min, t["relation"])):
        if t["relation"] in ROLES and valid(t["since"], t["until"], as_of):
            en = entity_node(t["entity"])
            path = binding.then([en], [step(t["relation"], pn, en, t["since"], t["until"])])
            flags.append(Flag({"uscc": en.key, "name": en.name}, SHARED_RESPONSIBLE_PERSON, path))
    control = control_of(id_hash, graph.on(as_of))
    own = graph.reach_of(listed, as_of)
    for e, level in sorted(control.level.items(), key=lambda x: (x[1], x[0])):
        if level <= max_hops and e not in own:
            flags.append(
                Flag(graph.entity(e), SHARED_RESPONSIBLE_PERSON, graph.explain(binding, control.explanation(e)))
            )
    return flags


def _standing(
    graph: Subgraph, id_hash: str, ties: list[Row], listed: str, day: dt.date, max_hops: int | None
) -> set[str]:
    """The entities other than the listed entity's own where the person holds a responsible role or
    control on `day`."""
    roles = {
        t["entity"]["uscc"] for t in ties if t["relation"] in RESPONSIBLE_ROLES and valid(t["since"], t["until"], day)
    }
    control = control_of(id_hash, graph.on(day))
    held = {e for e, level in control.level.items() if max_hops is None or level <= max_hops}
    return (roles | (held - graph.reach_of(listed, day))) - {listed}


def reappearances(
    graph: Subgraph,
    id_hash: str,
    binding: Path,
    ties: list[Row],
    listed: str,
    listing_since: dt.date,
    as_of: dt.date,
    max_hops: int,
) -> list[Flag]:
    """REAPPEARANCE: an entity established on or after the listing's first day where the bound person
    holds a responsible role or control, or one the person takes over on or after that day. Taking
    over is gaining a responsible role or control that the person did not hold the day before, so a
    majority or a role merely re-recorded is not a takeover. The event is the evidence: the flag stays
    while the listing is in force even after the person has left that entity. A flag for each tie that
    gives the standing on the day of the event (a role, the control)."""
    # Standing can only begin on a day a tie or a holding begins, so those days (and the listing's
    # first, for standing held from before it at a firm founded since) are the only ones to look at.
    starts = [*(t["since"] for t in ties), *(h.since for h in graph.holdings)]
    days = sorted({listing_since, *(d for d in starts if d is not None and listing_since < d <= as_of)})
    events: dict[str, dt.date] = {}
    established = {t["entity"]["uscc"]: t["entity"].get("established") for t in ties}
    established.update({k: e.get("established") for k, e in graph.entities.items()})
    for day in days:
        now = _standing(graph, id_hash, ties, listed, day, max_hops) - set(events)
        if not now:
            continue
        before = _standing(graph, id_hash, ties, listed, day - dt.timedelta(days=1), None)
        for e in sorted(now):
            founded = established.get(e)
            if e not in before or (founded is not None and founded >= listing_since):
                events[e] = day
    return [
        Flag(_entity_of(graph, ties, e), REAPPEARANCE, path)
        for e, day in events.items()
        for path in _standing_paths(graph, id_hash, binding, ties, listed, e, day, max_hops)
    ]


def _entity_of(graph: Subgraph, ties: list[Row], uscc: str) -> Row:
    for t in ties:
        if t["entity"]["uscc"] == uscc:
            return {"uscc": uscc, "name": t["entity"]["name"]}
    return graph.entity(uscc)


def _standing_paths(
    graph: Subgraph, id_hash: str, binding: Path, ties: list[Row], listed: str, entity: str, day: dt.date, max_hops: int
) -> list[Path]:
    """The dated ties that give the person standing at `entity` on `day`, one path each: every
    responsible role they hold there that day, and the holdings through which they control it."""
    pn = binding.nodes[0]
    paths = []
    for t in sorted(ties, key=lambda t: (t["since"] or dt.date.min, t["relation"])):
        if t["entity"]["uscc"] == entity and t["relation"] in RESPONSIBLE_ROLES and valid(t["since"], t["until"], day):
            en = entity_node(t["entity"])
            paths.append(binding.then([en], [step(t["relation"], pn, en, t["since"], t["until"])]))
    control = control_of(id_hash, graph.on(day))
    if control.level.get(entity, max_hops + 1) <= max_hops and entity not in graph.reach_of(listed, day):
        paths.append(graph.explain(binding, control.explanation(entity)))
    return paths
