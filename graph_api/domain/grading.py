"""Credit grades A–E from the facts of an entity as of a day (docs/domain-rules.md, "Grades and inspection").

The graph gives the facts (cypher/grades.cypher): listings in force on the day or within the look-back
window, with any ban they apply, and the entity's positive and negative records that are active on the
day or were decided within the window. The rules that turn them into a grade are data
(data/grades.json, and the catalogue's publicity periods); this module only applies them, so a page of
a hundred thousand entities is graded in Python at the speed of a dictionary lookup per fact."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph_api.domain.catalogue import catalogue

GRADES_FILE = Path(__file__).parents[1] / "data" / "grades.json"


@lru_cache
def rules() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GRADES_FILE.read_text(encoding="utf-8"))
    return data


@lru_cache
def max_publicity_months() -> dict[tuple[str, str], int | None]:
    return {(p["category"], p["severity"]): p["maxMonths"] for p in catalogue()["publicityPeriods"]}


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def lookback_start(as_of: dt.date) -> dt.date:
    """The first excluded day of the look-back window: facts after it are 'in the last N years'."""
    return add_months(as_of, -12 * rules()["lookbackYears"])


# The parameters of @record_visible for a batch graded for no reader (the city's grades, a deadline scan): it
# asks nothing about disclosure ($askDisclosed false), so these only fill the statement's parameters.
_NO_READER: dict[str, Any] = {"disclosures": [], "ownKey": None, "ownDepartment": None, "publishedAsOf": None}


def fact_params(as_of: dt.date, seen: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The parameters the fact statements take besides the keys or the page (lists, not maps, so that
    the request's batch loader can group by them). `seen`: a reader's record_params
    (domain/permissions.py), when each record should say whether that reader sees it; None for no reader."""
    periods = sorted(max_publicity_months().items())
    return {
        "asOf": as_of,
        "lookbackStart": lookback_start(as_of),
        "bans": list(rules()["banMeasures"]),
        "positiveStart": add_months(as_of, -12 * rules()["positiveYears"]),
        "unknownSeverity": rules()["unknownSeverity"],
        "periodKeys": [f"{c}|{s}" for (c, s), _ in periods],
        "periodMonths": [m for _, m in periods],
        "askDisclosed": seen is not None,
        **(_NO_READER if seen is None else seen),
    }


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    record_id: str | None = None
    listing_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "recordId": self.record_id, "listingId": self.listing_id}


@dataclass
class Graded:
    uscc: str
    grade: str
    reasons: list[Reason] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"uscc": self.uscc, "grade": self.grade, "reasons": [r.as_dict() for r in self.reasons]}


def _matches(rule: dict[str, Any], r: dict[str, Any]) -> bool:
    return bool(
        rule.get("category", r["category"]) == r["category"] and rule.get("severity", r["severity"]) == r["severity"]
    )


class Grader:
    """The rules prepared for one day: a page of entities is graded without recomputing the windows."""

    def __init__(self, as_of: dt.date):
        g = self.g = rules()
        self.as_of = as_of
        self.order = {grade: i for i, grade in enumerate(g["grades"])}
        self.by_list = {rule["list"]: rule for rule in g["listRules"]}
        self.default = [Reason(g["default"]["code"], g["default"]["message"])]

    def grade(self, uscc: str, listings: list[dict[str, Any]], records: list[dict[str, Any]]) -> Graded:
        g = self.g
        if not listings and not records:
            return Graded(uscc, g["default"]["grade"], self.default)
        adverse: list[tuple[str, Reason]] = []
        positive: list[Reason] = []
        recent: list[Reason] = []
        pos, neg = g["positive"], g["recentNegative"]
        for listing in listings:
            rule = self.by_list.get(listing["list"])
            if listing["inForce"]:
                if rule:
                    adverse.append((rule["grade"], Reason(rule["code"], rule["message"], listing_id=listing["id"])))
                if listing["bans"]:
                    ban = g["banRule"]
                    message = f"{ban['message']}: {', '.join(sorted(listing['bans']))}"
                    adverse.append((ban["grade"], Reason(ban["code"], message, listing_id=listing["id"])))
                if listing["list"] == pos["redList"]:
                    positive.append(Reason(pos["code"], pos["redMessage"], listing_id=listing["id"]))
            if rule:  # a punishment listing in the window, in force or not
                recent.append(Reason(neg["code"], neg["message"], listing_id=listing["id"]))
        for r in records:
            if r["polarity"] == "NEGATIVE":
                if r["recent"]:
                    recent.append(Reason(neg["code"], neg["message"], record_id=r["id"]))
                if r["counts"]:
                    matched = [rule for rule in g["recordRules"] if _matches(rule, r)]
                    if matched:
                        worst = max(matched, key=lambda rule: self.order[rule["grade"]])
                        adverse.append((worst["grade"], Reason(worst["code"], worst["message"], record_id=r["id"])))
            elif r["active"] and r["positiveRecent"]:
                positive.append(Reason(pos["code"], pos["recordMessage"], record_id=r["id"]))
        if adverse:
            worst_grade = max((grade for grade, _ in adverse), key=self.order.__getitem__)
            return Graded(uscc, worst_grade, [reason for grade, reason in adverse if grade == worst_grade])
        if positive and not recent:
            return Graded(uscc, pos["grade"], positive)
        return Graded(uscc, g["default"]["grade"], [*self.default, *recent] if positive else self.default)


def grade_of(uscc: str, listings: list[dict[str, Any]], records: list[dict[str, Any]], as_of: dt.date) -> Graded:
    """The grade of one entity from its facts (as returned by grade_facts / grade_facts_page)."""
    return Grader(as_of).grade(uscc, listings, records)


def grade_page(usccs: list[str], with_facts: Sequence[Mapping[str, Any]], as_of: dt.date) -> list[Graded]:
    """Grades of a page from grade_facts_page: entities without any fact are graded without a look."""
    grader = Grader(as_of)
    facts = {f["uscc"]: f for f in with_facts}
    out = []
    for uscc in usccs:
        f = facts.get(uscc)
        out.append(grader.grade(uscc, f["listings"], f["records"]) if f else grader.grade(uscc, [], []))
    return out


def region_prefix(region: str | None) -> str | None:
    """Entities carry district codes (370202), departments and filters may name a city (370200) or a
    province (370000): a division covers every code that starts with its code without trailing 00s."""
    if region is None:
        return None
    code = region.strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code
