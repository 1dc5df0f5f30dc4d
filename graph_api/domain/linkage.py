"""Whom a listing reaches (docs/domain-rules.md, "Linkage"): which lists
reach beyond their subject, the responsibility window and the persons it binds, and the related
entities flagged for the reasons of graph_api/domain/related.py, each with the path that explains it.

Input is plain data: the `listing_impact` statement's row with its dates as `datetime.date`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graph_api.domain import related
from graph_api.domain.ownership import valid
from graph_api.domain.paths import ENTITY, Node, Path, entity_node, listing_path, person_key, person_node, step
from graph_api.domain.related import Flag

# Which lists reach beyond their subject: a joint-punishment listing binds the responsible persons and
# flags related entities; a key-attention listing flags related entities and binds no one; a red-list
# listing is an incentive and reaches no one else.
BINDING_LISTS = frozenset({"JOINT_PUNISHMENT"})
FLAGGING_LISTS = frozenset({"JOINT_PUNISHMENT", "KEY_ATTENTION"})

Row = Mapping[str, Any]


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
    subject = (
        entity_node(subject_map)
        if is_entity
        else Node(kind="PERSON", key=subject_map["idMasked"], name=subject_map["name"])
    )
    in_force = valid(listing["since"], listing["until"], as_of)
    start = window_start(b["decidedOn"] for b in basis)
    responsible: list[Responsible] = []
    if is_entity and listing["list"] in BINDING_LISTS:
        for r in row["responsible"]:
            pn = person_node(r["person"])
            path = listing_path(
                Path((pn,), (step(r["role"], pn, subject, r["since"], r["until"]),)), subject, listing, basis
            )
            responsible.append(
                Responsible(
                    person=r["person"],
                    role=r["role"],
                    since=r["since"],
                    until=r["until"],
                    current=valid(r["since"], r["until"], as_of),
                    bound=in_force and in_window(r["since"], r["until"], start, listing["since"]),
                    path=path,
                )
            )
    flags: list[Flag] = []
    if in_force and is_entity and listing["list"] in FLAGGING_LISTS:
        graph = related.Subgraph(row["holdings"])
        flags += related.owned(graph, subject, as_of, max_hops)
        bindings: dict[str, Responsible] = {}
        for r in responsible:
            if r.bound:
                bindings.setdefault(r.person["idHash"], r)
        ties = [t for t in row["ties"] if t["entity"]["uscc"] != subject.key]
        for id_hash, binding in bindings.items():
            mine = [t for t in ties if t["person"] == id_hash]
            flags += related.shared_responsible_person(graph, id_hash, binding.path, mine, subject.key, as_of, max_hops)
            flags += related.reappearances(
                graph, id_hash, binding.path, mine, subject.key, listing["since"], as_of, max_hops
            )
    return Impact(
        subject=subject,
        listing=listing,
        department=row["department"],
        in_force=in_force,
        window_start=start,
        responsible=tuple(responsible),
        flags=tuple(flags),
    )
