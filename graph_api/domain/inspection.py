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
entity-to-team matching is as random as the draw of entities."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
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


def draw(
    by_grade: dict[str, list[str]], ratios: dict[str, float], roster: list[str], seed: str, per_entity: int
) -> list[Selection]:
    rng = random.Random(seed)
    chosen: list[tuple[str, str]] = []
    for grade in GRADES:
        pool = sorted(by_grade.get(grade, []))
        chosen += [(u, grade) for u in sorted(rng.sample(pool, sample_size(len(pool), ratios.get(grade, 0.0))))]
    teams = list(itertools.combinations(sorted(roster), per_entity))
    out = []
    for i, (uscc, grade) in enumerate(chosen):
        if i % len(teams) == 0:
            rng.shuffle(teams)
        out.append(Selection(uscc, grade, teams[i % len(teams)]))
    return out


def digest(
    department: str,
    period: str,
    region: str,
    seed: str,
    as_of: str,
    ratios: dict[str, float],
    selections: list[Selection],
) -> str:
    """SHA-256 of the draw's inputs and outcome in canonical JSON: any later change to either shows."""
    canonical = json.dumps(
        {
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
