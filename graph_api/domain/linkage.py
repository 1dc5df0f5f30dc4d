"""Whom a listing reaches (DOMAIN.md, "Linkage"; the readings in docs/domain-rules.md): the
responsibility window and the persons it binds, and the related entities with their reasons
(OWNED, SHARED_RESPONSIBLE_PERSON, REAPPEARANCE), each with the path that explains it.

Input is plain data: the `listing_impact` statement's row with its dates as `datetime.date`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graph_api.domain.ownership import Holding, control_of, valid_on
from graph_api.domain.paths import ENTITY, Node, Path, entity_node, listing_path, person_key, person_node, step
from graph_api.domain.vocabulary import RESPONSIBLE_ROLES, ROLES

# Which lists reach beyond their subject: a joint-punishment listing binds the responsible persons and
# flags related entities; a key-attention listing flags related entities and binds no one; a red-list
# listing is an incentive and reaches no one else.
BINDING_LISTS = frozenset({"JOINT_PUNISHMENT"})
FLAGGING_LISTS = frozenset({"JOINT_PUNISHMENT", "KEY_ATTENTION"})

OWNED, SHARED_RESPONSIBLE_PERSON, REAPPEARANCE = "OWNED", "SHARED_RESPONSIBLE_PERSON", "REAPPEARANCE"

Row = Mapping[str, Any]


def valid(since: dt.date | None, until: dt.date | None, day: dt.date) -> bool:
    """Half-open validity: `since` is the first day a fact holds, `until` the first day it no longer does."""
    return (since is None or since <= day) and (until is None or day < until)


def window_start(decided_on: Iterable[dt.date | None]) -> dt.date | None:
    """The responsibility window starts at the decision of the earliest basis record."""
    days = [d for d in decided_on if d is not None]
    return min(days) if days else None


def in_window(since: dt.date | None, until: dt.date | None, start: dt.date | None, listing_since: dt.date) -> bool:
    """A role held at any time in the window [earliest basis decision, listing start]: taken up by the
    listing's first day and not given up before the window opened. Someone appointed after the listing
    started is not bound, someone replaced after the violation still is."""
    if since is not None and since > listing_since:
        return False
    if until is None:
        return True
    return start is not None and until > start


@dataclass(frozen=True)
class Responsible:
    """A responsible person of the listed entity in one role, whether the listing binds them, and the path."""

    person: Row
    role: str
    since: dt.date | None
    until: dt.date | None
    bound: bool
    current: bool
    path: Path

    @property
    def key(self) -> str:
        return person_key(self.person["idHash"])


@dataclass(frozen=True)
class Flag:
    entity: Row  # uscc, name
    reason: str
    path: Path


@dataclass(frozen=True)
class Impact:
    subject: Node
    listing: Row
    department: Row
    in_force: bool
    window_start: dt.date | None
    responsible: tuple[Responsible, ...]
    flags: tuple[Flag, ...]

    @property
    def bound_persons(self) -> list[Responsible]:
        return [r for r in self.responsible if r.bound]

    @property
    def current_representatives(self) -> list[Responsible]:
        return [r for r in self.responsible if r.current]

    def bound_roles(self) -> dict[str, list[str]]:
        """idHash → the roles through which the listing binds that person."""
        out: dict[str, list[str]] = {}
        for r in self.bound_persons:
            out.setdefault(r.person["idHash"], []).append(r.role)
        return out

    def related(self) -> list[tuple[Row, list[Flag]]]:
        """The flagged entities in order of first flag, each with its flags."""
        out: dict[str, tuple[Row, list[Flag]]] = {}
        for f in self.flags:
            out.setdefault(f.entity["uscc"], (f.entity, []))[1].append(f)
        return list(out.values())


def decide_impact(row: Row, as_of: dt.date, max_hops: int) -> Impact:
    """Whom the listing in `row` reaches as of `as_of`; related entities within `max_hops` levels of
    control (docs/domain-rules.md, "Control")."""
    listing, basis = row["listing"], row["basis"]
    subject_map = row["subject"]
    is_entity = subject_map["kind"] == ENTITY
    subject = entity_node(subject_map) if is_entity else Node(kind="PERSON", key=subject_map["idMasked"],
                                                               name=subject_map["name"])
    in_force = valid(listing["since"], listing["until"], as_of)
    start = window_start(b["decidedOn"] for b in basis)
    responsible: list[Responsible] = []
    if is_entity and listing["list"] in BINDING_LISTS:
        for r in row["responsible"]:
            pn = person_node(r["person"])
            path = listing_path(Path((pn,), (step(r["role"], pn, subject, r["since"], r["until"]),)), subject, listing, basis)
            responsible.append(Responsible(
                person=r["person"], role=r["role"], since=r["since"], until=r["until"], current=valid(r["since"], r["until"], as_of),
                bound=in_force and in_window(r["since"], r["until"], start, listing["since"]), path=path))
    flags: list[Flag] = []
    if in_force and is_entity and listing["list"] in FLAGGING_LISTS:
        graph = _Subgraph(row["holdings"])
        flags += _owned(graph, subject, as_of, max_hops)
        bindings: dict[str, Responsible] = {}
        for r in responsible:
            if r.bound:
                bindings.setdefault(r.person["idHash"], r)
        ties = [t for t in row["ties"] if t["entity"]["uscc"] != subject.key]
        for id_hash, binding in bindings.items():
            mine = [t for t in ties if t["person"] == id_hash]
            flags += _shared(graph, id_hash, binding, mine, subject.key, as_of, max_hops)
            flags += _reappearances(graph, id_hash, binding, mine, subject.key, listing["since"], as_of, max_hops)
    return Impact(subject=subject, listing=listing, department=row["department"], in_force=in_force, window_start=start,
                  responsible=tuple(responsible), flags=tuple(flags))


class _Subgraph:
    """The holdings below the listed entity and its responsible persons, with the names of their parties."""

    def __init__(self, rows: Iterable[Row]):
        self.holdings: list[Holding] = []
        self.nodes: dict[str, Node] = {}
        self.entities: dict[str, Row] = {}
        for r in rows:
            self.holdings.append(Holding(r["holder"], r["entity"], r["ratio"], r["since"], r["until"]))
            kind = r["holderKind"]
            self.nodes.setdefault(r["holder"], Node(kind=kind, key=r["holder"] if kind == ENTITY else person_key(r["holder"]),
                                                    name=r["holderName"]))
            self.nodes.setdefault(r["entity"], Node(kind=ENTITY, key=r["entity"], name=r["entityName"]))
            self.entities.setdefault(r["entity"], {"uscc": r["entity"], "name": r["entityName"],
                                                   "established": r.get("established")})
            if kind == ENTITY:
                self.entities.setdefault(r["holder"], {"uscc": r["holder"], "name": r["holderName"],
                                                       "established": r.get("holderEstablished")})

    def on(self, day: dt.date) -> list[Holding]:
        return valid_on(self.holdings, day)

    def explain(self, start: Path, lines: list[Holding]) -> Path:
        nodes = [self.nodes[h.entity] for h in lines]
        steps = [step("HOLDS", self.nodes[h.holder], self.nodes[h.entity], h.since, h.until, h.ratio) for h in lines]
        return start.then(nodes, steps)

    def entity(self, uscc: str) -> Row:
        e = self.entities[uscc]
        return {"uscc": e["uscc"], "name": e["name"]}


def _owned(graph: _Subgraph, subject: Node, as_of: dt.date, max_hops: int) -> list[Flag]:
    """OWNED: the entities the listed entity controls, never the listed entity itself."""
    control = control_of(subject.key, graph.on(as_of))
    start = Path((subject,), ())
    return [Flag(graph.entity(e), OWNED, graph.explain(start, control.explanation(e)))
            for e, level in sorted(control.level.items(), key=lambda x: (x[1], x[0])) if level <= max_hops]


def _shared(graph: _Subgraph, id_hash: str, binding: Responsible, ties: list[Row], listed: str, as_of: dt.date,
            max_hops: int) -> list[Flag]:
    """SHARED_RESPONSIBLE_PERSON: entities where a bound person now holds a responsible role, is an
    officer, or which they control; one flag per entity and person."""
    flags: dict[str, Flag] = {}
    pn = binding.path.nodes[0]
    for t in sorted(ties, key=lambda t: (t["since"] or dt.date.min, t["relation"])):
        if t["relation"] in ROLES and valid(t["since"], t["until"], as_of) and t["entity"]["uscc"] not in flags:
            en = entity_node(t["entity"])
            path = binding.path.then([en], [step(t["relation"], pn, en, t["since"], t["until"])])
            flags[en.key] = Flag({"uscc": en.key, "name": en.name}, SHARED_RESPONSIBLE_PERSON, path)
    control = control_of(id_hash, graph.on(as_of))
    for e, level in sorted(control.level.items(), key=lambda x: (x[1], x[0])):
        if level <= max_hops and e != listed and e not in flags:
            flags[e] = Flag(graph.entity(e), SHARED_RESPONSIBLE_PERSON, graph.explain(binding.path, control.explanation(e)))
    return list(flags.values())


def _standing(graph: _Subgraph, id_hash: str, ties: list[Row], day: dt.date, max_hops: int | None) -> set[str]:
    """The entities where the person holds a responsible role or control on `day`."""
    roles = {t["entity"]["uscc"] for t in ties if t["relation"] in RESPONSIBLE_ROLES and valid(t["since"], t["until"], day)}
    control = control_of(id_hash, graph.on(day))
    return roles | {e for e, level in control.level.items() if max_hops is None or level <= max_hops}


def _reappearances(graph: _Subgraph, id_hash: str, binding: Responsible, ties: list[Row], listed: str,
                   listing_since: dt.date, as_of: dt.date, max_hops: int) -> list[Flag]:
    """REAPPEARANCE: an entity established on or after the listing's first day where the bound person
    holds a responsible role or control, or one the person takes over on or after that day. Taking
    over is gaining a responsible role or control that the person did not hold the day before, so a
    majority or a role merely re-recorded is not a takeover. The event is the evidence: the flag stays
    while the listing is in force even after the person has left that entity."""
    days = sorted({d for d in [*(t["since"] for t in ties), *(h.since for h in graph.holdings)]
                   if d is not None and d <= as_of})
    events: dict[str, dt.date] = {}
    established = {t["entity"]["uscc"]: t["entity"].get("established") for t in ties}
    established.update({k: e.get("established") for k, e in graph.entities.items()})
    for day in days:
        now = _standing(graph, id_hash, ties, day, max_hops) - {listed} - set(events)
        if not now:
            continue
        before = _standing(graph, id_hash, ties, day - dt.timedelta(days=1), None) if day >= listing_since else set()
        for e in sorted(now):
            founded = established.get(e)
            if (day >= listing_since and e not in before) or (founded is not None and founded >= listing_since):
                events[e] = day
    flags = []
    for e, day in events.items():
        flags.append(Flag(_entity_of(graph, ties, e), REAPPEARANCE, _standing_path(graph, id_hash, binding, ties, e, day)))
    return flags


def _entity_of(graph: _Subgraph, ties: list[Row], uscc: str) -> Row:
    for t in ties:
        if t["entity"]["uscc"] == uscc:
            return {"uscc": uscc, "name": t["entity"]["name"]}
    return graph.entity(uscc)


def _standing_path(graph: _Subgraph, id_hash: str, binding: Responsible, ties: list[Row], entity: str,
                   day: dt.date) -> Path:
    """The dated tie that gives the person standing at `entity` on `day`: a responsible role (the one
    taken up that day first), else the holdings through which they control it."""
    pn = binding.path.nodes[0]
    roles = [t for t in ties if t["entity"]["uscc"] == entity and t["relation"] in RESPONSIBLE_ROLES
             and valid(t["since"], t["until"], day)]
    if roles:
        t = min(roles, key=lambda t: (t["since"] != day, t["relation"]))
        en = entity_node(t["entity"])
        return binding.path.then([en], [step(t["relation"], pn, en, t["since"], t["until"])])
    control = control_of(id_hash, graph.on(day))
    return graph.explain(binding.path, control.explanation(entity))
