"""Risk scans (issue 15, deliver 4): whole-graph patterns an investigator looks for, each finding with the
paths that explain it, ranked and paged by a keyset cursor. The patterns are cypher/risks.cypher; this
module checks a request's bounds, chooses the statement and turns its page into plain findings. The API
(api/graphql/risks.py) and `graph-api scan risks` (cli/scan.py) share it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graph_api.domain import paths
from graph_api.domain.grading import region_prefix
from graph_api.errors import BadUserInput
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import PageRow
from graph_api.store.statement import Statement


class RiskKind(Enum):
    """What a scan looks for; the value is what the finding's score counts (its rank, descending unless
    said)."""

    RESPONSIBLE_OF_LISTED = "listed entities the person is responsible for"
    LISTED_CLUSTER = "entities tied to the listed entity"
    BOUND_ELSEWHERE = "entities in other regions the bound person is tied to"
    CIRCULAR_HOLDING = "entities on the cycle (shortest first)"


class RegionLevel(Enum):
    """At which level two regions are 'other': the digits of the division code compared."""

    PROVINCE = 2
    CITY = 4
    DISTRICT = 6


# Beyond these a scan is not a screening question but a dump; the statements' literal bounds match.
MAX_HOPS = 4
MAX_CYCLE = 6
MAX_COUNT = 1_000
# Findings a scan ranks at most (every page of it re-ranks them): a whole city stays a bounded answer.
SCAN_LIMIT = 10_000

STATEMENTS: dict[RiskKind, Statement[PageRow]] = {
    RiskKind.RESPONSIBLE_OF_LISTED: queries.risk_responsible_of_listed,
    RiskKind.LISTED_CLUSTER: queries.risk_listed_clusters,
    RiskKind.BOUND_ELSEWHERE: queries.risk_bound_elsewhere,
    RiskKind.CIRCULAR_HOLDING: queries.risk_circular_holdings,
}


@dataclass(frozen=True)
class RiskScan:
    """One scan: its kind, the day it is as of, an optional region (a division code: 370200 covers its
    districts) and the kind's bounds."""

    kind: RiskKind
    as_of: dt.date
    region: str | None = None
    min_entities: int = 3
    min_listed: int = 2
    max_hops: int = 2
    max_length: int = MAX_CYCLE
    level: RegionLevel = RegionLevel.CITY

    def check(self) -> None:
        if self.region is not None and not (self.region.isdigit() and len(self.region) == 6):
            raise BadUserInput("region is a 6-digit division code such as 370200", field="region")
        if not 1 <= self.min_listed <= MAX_COUNT:
            raise BadUserInput(f"minListed must be between 1 and {MAX_COUNT}", field="minListed")
        if not self.min_listed <= self.min_entities <= MAX_COUNT:
            raise BadUserInput(f"minEntities must be between minListed and {MAX_COUNT}", field="minEntities")
        if not 1 <= self.max_hops <= MAX_HOPS:
            raise BadUserInput(f"maxHops must be between 1 and {MAX_HOPS}", field="maxHops")
        if not 2 <= self.max_length <= MAX_CYCLE:
            raise BadUserInput(f"maxLength must be between 2 and {MAX_CYCLE}", field="maxLength")

    def params(self, after: list[Any] | None, limit: int) -> dict[str, Any]:
        self.check()
        return {
            "asOf": self.as_of,
            "regionPrefix": region_prefix(self.region),
            "minEntities": self.min_entities,
            "minListed": self.min_listed,
            "maxHops": self.max_hops,
            "maxLength": self.max_length,
            "regionDigits": self.level.value,
            "scanLimit": SCAN_LIMIT,
            "after": after,
            "limit": limit,
        }

    @property
    def statement(self) -> Statement[PageRow]:
        return STATEMENTS[self.kind]


@dataclass(frozen=True)
class Finding:
    """One finding: its subject (the person, the listed entity, the cycle's first entity), its score (what
    `RiskKind` says), a second count (listed-responsible: entities in all; cluster: listed members;
    elsewhere: bindings; cycle: its length) and the paths that explain it."""

    kind: RiskKind
    subject: paths.Node
    score: int
    count: int
    paths: tuple[paths.Path, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.name,
            "subject": {"kind": self.subject.kind, "key": self.subject.key, "name": self.subject.name},
            "score": self.score,
            "count": self.count,
            "paths": [p.render() for p in self.paths],
        }


def _node(m: Mapping[str, Any]) -> paths.Node:
    key = paths.person_key(m["key"]) if m["kind"] == paths.PERSON else m["key"]
    return paths.Node(kind=m["kind"], key=key, name=m["name"])


def path_of(m: Mapping[str, Any]) -> paths.Path:
    """A statement's {nodes, steps} as a domain path: persons keyed by their opaque key."""
    given = [(n["key"], _node(n)) for n in m["nodes"]]
    keys = {raw: n.key for raw, n in given}
    # a cycle comes back to its first node: a path names each node once
    nodes = tuple(dict.fromkeys(n for _, n in given))
    steps = tuple(
        paths.Step(
            relation=s["relation"],
            from_key=keys.get(s["from"], s["from"]),
            to_key=keys.get(s["to"], s["to"]),
            since=_day(s["since"]),
            until=_day(s["until"]),
            ratio=s["ratio"],
        )
        for s in m["steps"]
    )
    return paths.Path(nodes=nodes, steps=steps)


def _day(v: Any) -> dt.date | None:
    return None if v is None else v.to_native() if hasattr(v, "to_native") else v


def findings(kind: RiskKind, page: Sequence[Mapping[str, Any]]) -> list[Finding]:
    return [
        Finding(
            kind=kind,
            subject=_node(f["subject"]),
            score=f["score"],
            count=f["count"],
            paths=tuple(path_of(p) for p in f["paths"]),
        )
        for f in page
    ]
