"""Industry credit evaluations (行业信用评价, `002…`): a supervising department's own grade rule set, as data.

A scheme is a JSON document (graph_api/data/industry_scheme_example.json is one), validated here:
- `industries`: the GB/T 4754 codes (or their prefixes) of the entities it covers; besides those, it
  covers every entity of the department's region with a record the department decided;
- `lookbackYears`: facts count when they happened within that many years up to the day evaluated;
- `start`: the score every entity starts from;
- `conditions`: each a fact the graph has — a record (by category, severity, polarity; counted while
  ACTIVE), a listing in force on the day (by list), a commitment kept or breached (closed in the
  window) — with a `weight` added to the score once per matching fact, and optionally `atMost`, the
  best grade an entity with such a fact can have;
- `levels`: grades in order A to E (a subset, each once), each with the lowest score (`min`) it needs;
  the last one has `min` null and takes every score below.
The grade is the first level whose min the score reaches, made no better than any `atMost` of a matched
condition; the reasons are the conditions that matched, with their counts. Grades are the public
scheme's letters, so a draw can sample by them (domain/inspection.py)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graph_api.domain.grading import add_months
from graph_api.errors import BadUserInput

GRADES = "ABCDE"
EXAMPLE_FILE = Path(__file__).parents[1] / "data" / "industry_scheme_example.json"
Grade = Literal["A", "B", "C", "D", "E"]
Fact = Literal["RECORD", "LISTING", "COMMITMENT_KEPT", "COMMITMENT_BREACHED"]


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{0,39}$")
    message: str = Field(min_length=1, max_length=200)
    fact: Fact
    category: str | None = Field(default=None, pattern=r"^[A-Z_]{1,40}$")
    severity: Literal["SERIOUS", "GENERAL", "MINOR"] | None = None
    polarity: Literal["NEGATIVE", "POSITIVE"] | None = None
    list: str | None = Field(default=None, pattern=r"^[A-Z_]{1,40}$")
    weight: int = Field(ge=-1000, le=1000)
    atMost: Grade | None = None

    @model_validator(mode="after")
    def _filters_fit_the_fact(self) -> Condition:
        if self.fact != "RECORD" and (self.category or self.severity or self.polarity):
            raise ValueError("category, severity and polarity filter records only (fact RECORD)")
        if self.fact != "LISTING" and self.list:
            raise ValueError("list filters listings only (fact LISTING)")
        return self


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    grade: Grade
    min: int | None = Field(ge=-100000, le=100000)


class Scheme(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=100)
    industries: list[str] = Field(max_length=50)
    lookbackYears: int = Field(ge=1, le=10)
    start: int = Field(ge=-100000, le=100000)
    conditions: list[Condition] = Field(min_length=1, max_length=100)
    levels: list[Level] = Field(min_length=2, max_length=5)

    @model_validator(mode="after")
    def _levels_in_order(self) -> Scheme:
        grades = [lv.grade for lv in self.levels]
        if grades != sorted(set(grades), key=GRADES.index):
            raise ValueError("levels must name grades in order A to E, each at most once")
        mins = [lv.min for lv in self.levels]
        if mins[-1] is not None or any(m is None for m in mins[:-1]):
            raise ValueError("every level but the last needs a min; the last has min null")
        if any(a <= b for a, b in itertools.pairwise(mins) if a is not None and b is not None):
            raise ValueError("the levels' mins must decrease from the first level to the last")
        codes = [c.code for c in self.conditions]
        if len(set(codes)) != len(codes):
            raise ValueError("condition codes must be distinct")
        for code in self.industries:
            if not (1 <= len(code) <= 5 and code[0].isalpha() and code[0].isupper() and code[1:].isdigit()):
                raise ValueError(f"industry {code!r} is not a GB/T 4754 code or prefix (a letter, up to 4 digits)")
        return self


def _path(loc: Sequence[int | str]) -> str:
    out = "rules"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def parse(text: str) -> Scheme:
    """The scheme of a JSON text, or BadUserInput naming each wrong field by its path (rules.levels[2].min)."""
    try:
        return Scheme.model_validate_json(text)
    except ValidationError as e:
        errors = e.errors(include_url=False)
        paths = [_path([p for p in err["loc"] if p != "__root__"]) for err in errors]
        messages = "; ".join(f"{p}: {err['msg']}" for p, err in zip(paths, errors, strict=True))
        raise BadUserInput(f"the scheme is not valid: {messages}", field=paths[0]) from None


def canonical(scheme: Scheme) -> str:
    """The scheme as stored: canonical JSON, so that a version's digest names its rules exactly."""
    return json.dumps(scheme.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def example() -> str:
    return EXAMPLE_FILE.read_text(encoding="utf-8")


def window_start(scheme: Scheme, as_of: dt.date) -> dt.date:
    """The first excluded day of the look-back window."""
    return add_months(as_of, -12 * scheme.lookbackYears)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    count: int
    points: int

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "count": self.count, "points": self.points}


@dataclass
class Evaluated:
    uscc: str
    grade: str
    score: int
    reasons: list[Reason] = field(default_factory=list)


def _count(c: Condition, facts: Mapping[str, Any]) -> int:
    if c.fact == "RECORD":
        return sum(
            1
            for r in facts["records"]
            if (c.category is None or r["category"] == c.category)
            and (c.severity is None or r["severity"] == c.severity)
            and (c.polarity is None or r["polarity"] == c.polarity)
        )
    if c.fact == "LISTING":
        return sum(1 for x in facts["listings"] if c.list is None or x["list"] == c.list)
    wanted = "FULFILLED" if c.fact == "COMMITMENT_KEPT" else "BREACHED"
    return sum(1 for x in facts["commitments"] if x["status"] == wanted)


def evaluate(scheme: Scheme, uscc: str, facts: Mapping[str, Any]) -> Evaluated:
    """One entity's grade under the scheme from its facts (records, listings, commitments as the statement
    industry_facts_page gives them)."""
    score, reasons, ceiling = scheme.start, [], 0
    for c in scheme.conditions:
        n = _count(c, facts)
        if n:
            score += n * c.weight
            reasons.append(Reason(c.code, c.message, n, n * c.weight))
            if c.atMost:
                ceiling = max(ceiling, GRADES.index(c.atMost))
    found = next(lv.grade for lv in scheme.levels if lv.min is None or score >= lv.min)
    return Evaluated(uscc, GRADES[max(GRADES.index(found), ceiling)], score, reasons)
