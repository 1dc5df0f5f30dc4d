"""`riskScan`: the risk scans of services/risks.py as a paged GraphQL query for investigators, each
finding with its paths (the Path type of every other explained answer)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.connections import Connection, build, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import labelled
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.paths import Path, PathNode, node_of
from graph_api.domain.clock import today
from graph_api.services import risks
from graph_api.store.rows import Map


@labelled
@strawberry.enum(description="What a risk scan looks for (风险扫描); see riskScan for each kind's rule and rank.")
class RiskKind(Enum):
    RESPONSIBLE_OF_LISTED = "RESPONSIBLE_OF_LISTED"
    LISTED_CLUSTER = "LISTED_CLUSTER"
    BOUND_ELSEWHERE = "BOUND_ELSEWHERE"
    CIRCULAR_HOLDING = "CIRCULAR_HOLDING"


@labelled
@strawberry.enum(description="At which level two regions differ: the first 2, 4 or 6 digits of the division code.")
class RegionLevel(Enum):
    PROVINCE = "PROVINCE"
    CITY = "CITY"
    DISTRICT = "DISTRICT"


@strawberry.type(description="One finding of a risk scan, with the paths that explain it.")
class RiskFinding:
    kind: RiskKind = strawberry.field(description="The scan it was found by.")
    subject: PathNode = strawberry.field(
        description="The person (RESPONSIBLE_OF_LISTED, BOUND_ELSEWHERE), the listed entity (LISTED_CLUSTER) or "
        "the cycle's entity with the smallest USCC (CIRCULAR_HOLDING)."
    )
    score: int = strawberry.field(
        description="What the finding is ranked by: listed entities the person is responsible for; entities tied "
        "to the listed one; entities in other regions; the cycle's length (ranked shortest first)."
    )
    count: int = strawberry.field(
        description="The second rank key: entities the person is responsible for in all; listed entities among "
        "the tied ones; listings binding the person; the cycle's length again."
    )
    paths: list[Path] = strawberry.field(
        description="Why: person → role → entity → listing; listed entity → ties → member (the shortest tie to "
        "each, at most 50); person → role → listed entity → listing and person → role or holding → entity "
        "elsewhere; the cycle itself."
    )


def _finding(f: risks.Finding) -> RiskFinding:
    return RiskFinding(
        kind=RiskKind[f.kind.name],
        subject=node_of(f.subject),
        score=f.score,
        count=f.count,
        paths=[Path.of(p) for p in f.paths],
    )


@strawberry.type
class RiskQueries:
    @field(
        description="Risk scans over the whole graph (or a region), as of a day (default today), ranked by "
        "`score` then `count` (both descending; cycles shortest first), paged (`first` at most 100). "
        "RESPONSIBLE_OF_LISTED: persons who hold or held a legal representative, principal or actual controller "
        "role at ≥ minListed entities on a punishing list in force (of the region) and at ≥ minEntities entities "
        "in all. LISTED_CLUSTER: per listed entity (of the region), the entities tied to it within maxHops "
        "relationships through shared responsible persons and majority holdings (> 50%, either way), at most 200. "
        "BOUND_ELSEWHERE: persons bound by a joint-punishment listing in force (of the region's entities) with a "
        "responsible role or a majority holding on that day in an entity whose region differs at `level` from "
        "every listed entity binding them (region: the entity's, else its USCC's area code). CIRCULAR_HOLDING: "
        "cycles of holdings valid on the day through 2..maxLength entities (of which one in the region). At most "
        f"{risks.SCAN_LIMIT} findings are ranked."
    )
    async def risk_scan(
        self,
        info: Info[Context, None],
        kind: Annotated[RiskKind, strawberry.argument(description="What to look for.")],
        region: Annotated[
            str | None, strawberry.argument(description="A 6-digit division code (370200 covers its districts).")
        ] = None,
        as_of: dt.date | None = None,
        min_entities: Annotated[
            int, strawberry.argument(description="RESPONSIBLE_OF_LISTED: entities in all, minListed..1000.")
        ] = 3,
        min_listed: Annotated[
            int, strawberry.argument(description="RESPONSIBLE_OF_LISTED: listed entities, 1..1000.")
        ] = 2,
        max_hops: Annotated[
            int,
            strawberry.argument(
                description=f"LISTED_CLUSTER: relationships from the listed entity, 1..{risks.MAX_HOPS}."
            ),
        ] = 2,
        max_length: Annotated[
            int,
            strawberry.argument(description=f"CIRCULAR_HOLDING: entities on a cycle at most, 2..{risks.MAX_CYCLE}."),
        ] = risks.MAX_CYCLE,
        level: Annotated[
            RegionLevel, strawberry.argument(description="BOUND_ELSEWHERE: the level at which regions differ.")
        ] = RegionLevel.CITY,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[RiskFinding]:
        scan = risks.RiskScan(
            kind=risks.RiskKind[kind.name],
            as_of=as_of or today(),
            region=region,
            min_entities=min_entities,
            min_listed=min_listed,
            max_hops=max_hops,
            max_length=max_length,
            level=risks.RegionLevel[level.name],
        )
        scan.check()
        # the cursor is of this scan alone: a cursor of another kind, day or bound would start anywhere
        order = f"{scan.as_of}|{region}|{min_entities}|{min_listed}|{max_hops}|{max_length}|{level.name}"
        w = window(first, after, f"riskScan.{kind.name}", order)
        rows = await info.context.read(scan.statement, **scan.params(w.after, w.limit))

        def make(m: Map) -> RiskFinding:
            return _finding(risks.findings(scan.kind, [m])[0])

        return build(rows[0] if rows else None, w, make)
