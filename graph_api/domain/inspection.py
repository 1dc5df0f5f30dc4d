"""The random inspection draw (双随机一公开), reproducible from its seed for audit.

The rule, so anyone can redo it: `random.Random(seed)` (a string seed, hashed by Python's version-2
seeding, stable across runs and machines) is used in this order —
1. for each grade A to E, the entities of that grade sorted by uscc; k = ceil(n × ratio) of them are
   drawn with `rng.sample`, and the drawn ones are sorted by uscc;
2. the roster's inspectors sorted by id; every unordered team of `inspectorsPerEntity` (two) of them
   is listed in lexicographic order (itertools.combinations) and shuffled with the same rng;
3. the drawn entities, grade by grade and by uscc, take the teams in that shuffled order; when the
   teams run out the list is reshuffled and dealt again.
So no team is used twice before every team was used once: no pair of inspectors is favoured, and the
entity-to-team matching is as random as the draw of entities.

Conflicts (回避): before any team is dealt, and without touching the rng, each drawn entity gets the set
of roster inspectors that must stand aside from it (an inspector whose person is connected to the entity
within the draw's maxHops through roles, holdings or declared relatives; the graph computes them, one
shortest path per pair kept as the evidence). Step 3 then reads precisely: the teams of the current
round are the shuffled list, each dealt at most once; a drawn entity takes the first team of the round,
in shuffled order, with no excluded member, and that team leaves the round; when the round is empty
at an entity's turn, the list is reshuffled (the same rng, in place) into a new round. If every team of
the round that fits was dealt already, the entity takes the first fitting team of the shuffled list
(dealt twice in this round; the round is not consumed). If no team at all fits, the entity stays drawn
with no team and is reported as unassigned. Without exclusions this is exactly the rule above."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

INSPECTION_FILE = Path(__file__).parents[1] / "data" / "inspection.json"
GRADES = "ABCDE"


@lru_cache
def settings() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(INSPECTION_FILE.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Selection:
    uscc: str
    grade: str
    inspectors: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"uscc": self.uscc, "grade": self.grade, "inspectors": list(self.inspectors)}


def sample_size(n: int, ratio: float) -> int:
    # round() first: 100 × 0.03 is 3.0000000000000004 in floating point, which must stay 3.
    return min(n, math.ceil(round(n * ratio, 9)))


def sample(rng: random.Random, by_grade: dict[str, list[str]], ratios: dict[str, float]) -> list[tuple[str, str]]:
    """Step 1: the drawn (uscc, grade) pairs, grade by grade and by uscc."""
    chosen: list[tuple[str, str]] = []
    for grade in GRADES:
        pool = sorted(by_grade.get(grade, []))
        chosen += [(u, grade) for u in sorted(rng.sample(pool, sample_size(len(pool), ratios.get(grade, 0.0))))]
    return chosen


def drawn(by_grade: dict[str, list[str]], ratios: dict[str, float], seed: str) -> list[str]:
    """The usccs step 1 draws from the seed (what exclusions are computed for, before dealing)."""
    return [u for u, _ in sample(random.Random(seed), by_grade, ratios)]


def excluded_by(exclusions: list[Exclusion]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in exclusions:
        out.setdefault(e.uscc, set()).add(e.inspector)
    return out


def draw(
    by_grade: dict[str, list[str]],
    ratios: dict[str, float],
    roster: list[str],
    seed: str,
    per_entity: int,
    excluded: Mapping[str, set[str]] | None = None,
) -> list[Selection]:
    """The draw; `excluded` gives, per drawn uscc, the inspectors standing aside (computed before dealing,
    from `drawn`). A selection with no inspectors is an entity no team could take."""
    rng = random.Random(seed)
    chosen = sample(rng, by_grade, ratios)
    banned = excluded or {}
    teams = list(itertools.combinations(sorted(roster), per_entity))
    round_: list[tuple[str, ...]] = []
    out = []
    for uscc, grade in chosen:
        if not round_:
            rng.shuffle(teams)
            round_ = list(teams)
        aside = banned.get(uscc, set())
        fits = [t for t in round_ if not aside & set(t)]
        if fits:
            round_.remove(fits[0])
            out.append(Selection(uscc, grade, fits[0]))
        else:
            reuse = [t for t in teams if not aside & set(t)]
            out.append(Selection(uscc, grade, reuse[0] if reuse else ()))
    return out


def digest(
    department: str,
    period: str,
    region: str,
    seed: str,
    as_of: str,
    ratios: dict[str, float],
    selections: list[Selection],
    conflicts: dict[str, Any] | None = None,
) -> str:
    """SHA-256 of the draw's inputs and outcome in canonical JSON: any later change to either shows.
    `conflicts` (maxHops, the exclusions, the grade scheme) is absent from the draws made before 回避,
    so their digests stay what they were."""
    extra = {"conflicts": conflicts} if conflicts is not None else {}
    canonical = json.dumps(
        {
            **extra,
            "department": department,
            "period": period,
            "region": region,
            "seed": seed,
            "asOf": as_of,
            "ratios": ratios,
            "selections": sorted(f"{s.uscc}|{s.grade}|{','.join(s.inspectors)}" for s in selections),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def compare(stored: list[Selection], recomputed: list[Selection]) -> list[str]:
    """What differs between the stored selection and the recomputed one, entity by entity."""
    a = {s.uscc: s for s in stored}
    b = {s.uscc: s for s in recomputed}
    out = []
    for uscc in sorted(a.keys() | b.keys()):
        x, y = a.get(uscc), b.get(uscc)
        if y is None:
            out.append(f"{uscc} is selected in the stored draw but not in the recomputation")
        elif x is None:
            out.append(f"{uscc} is selected by the recomputation but not in the stored draw")
        elif x.grade != y.grade:
            out.append(f"{uscc}: stored grade {x.grade}, recomputed {y.grade}")
        elif sorted(x.inspectors) != sorted(y.inspectors):
            out.append(f"{uscc}: stored inspectors {', '.join(x.inspectors)}, recomputed {', '.join(y.inspectors)}")
    return out


@dataclass(frozen=True)
class Exclusion:
    """An inspector standing aside from a drawn entity, and the connection that makes them: the keys of
    the path's nodes (person key hashes and usccs, from the inspector's person to the entity) and its
    relations."""

    inspector: str
    uscc: str
    keys: tuple[str, ...]
    relations: tuple[str, ...]
    # for showing the path only (the relations' ratios, and whether each runs in the path's direction)
    ratios: tuple[float | None, ...] = ()
    forward: tuple[bool, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "inspector": self.inspector,
            "uscc": self.uscc,
            "keys": list(self.keys),
            "relations": list(self.relations),
            "ratios": json.dumps(list(self.ratios)),  # JSON text: a stored list cannot hold the nulls of non-holdings
            "forward": list(self.forward),
        }

    def line(self) -> str:
        return f"{self.inspector}|{self.uscc}|{'/'.join(self.keys)}|{'/'.join(self.relations)}"


def pick_path(candidates: list[Exclusion]) -> Exclusion:
    """One of a pair's shortest paths, the same every time: the smallest by node keys, then relations
    (the database gives ties in no fixed order)."""
    return min(candidates, key=lambda e: (e.keys, e.relations))


def compare_exclusions(stored: list[Exclusion], recomputed: list[Exclusion]) -> list[str]:
    a, b = {e.line() for e in stored}, {e.line() for e in recomputed}
    out = [f"exclusion {x} is stored but not recomputed" for x in sorted(a - b)]
    return out + [f"exclusion {x} is recomputed but not stored" for x in sorted(b - a)]
