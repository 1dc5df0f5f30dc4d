"""Credit grades A–E from the facts of an entity as of a day (DOMAIN.md, "Grades and inspection").

The graph gives the facts (cypher/grades.cypher): listings in force on the day or within the look-back
window, with any ban they apply, and the entity's positive and negative records that are active on the
day or were decided within the window. The rules that turn them into a grade are data
(data/grades.json, and the catalogue's publicity periods); this module only applies them, so a page of
a hundred thousand entities is graded in Python at the speed of a dictionary lookup per fact."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .catalogue import catalogue

GRADES_FILE = Path(__file__).with_name("data") / "grades.json"


@lru_cache
def rules() -> dict[str, Any]:
    return json.loads(GRADES_FILE.read_text(encoding="utf-8"))


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


def fact_params(as_of: dt.date) -> dict[str, Any]:
    """The parameters the fact statements take besides the keys or the page."""
    return {"asOf": as_of, "lookbackStart": lookback_start(as_of), "bans": list(rules()["banMeasures"])}


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


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _record_counts(r: dict[str, Any], as_of: dt.date) -> bool:
    """Active on the day and not past the catalogue's maximum publicity period (no period: no limit)."""
    if not r["active"]:
        return False
    months = max_publicity_months().get((r["category"], r["severity"]))
    return months is None or add_months(_native(r["decidedOn"]), months) > as_of


def _matches(rule: dict[str, Any], r: dict[str, Any], severity: str) -> bool:
    return rule.get("category", r["category"]) == r["category"] and rule.get("severity", severity) == severity


def grade_of(uscc: str, listings: list[dict[str, Any]], records: list[dict[str, Any]], as_of: dt.date) -> Graded:
    """The grade of one entity from its facts (as returned by grade_facts / grade_facts_page)."""
    g = rules()
    if not listings and not records:
        return Graded(uscc, g["default"]["grade"], [Reason(g["default"]["code"], g["default"]["message"])])
    order = {grade: i for i, grade in enumerate(g["grades"])}
    adverse: list[tuple[str, Reason]] = []
    positive: list[Reason] = []
    recent: list[Reason] = []
    since = lookback_start(as_of)
    pos = g["positive"]
    by_list = {rule["list"]: rule for rule in g["listRules"]}
    for listing in listings:
        rule = by_list.get(listing["list"])
        if listing["inForce"]:
            if rule:
                adverse.append((rule["grade"], Reason(rule["code"], rule["message"], listing_id=listing["id"])))
            if listing["bans"]:
                ban = g["banRule"]
                adverse.append((ban["grade"], Reason(ban["code"], f"{ban['message']}: {', '.join(sorted(listing['bans']))}",
                                                     listing_id=listing["id"])))
            if listing["list"] == pos["redList"]:
                positive.append(Reason(pos["code"], pos["redMessage"], listing_id=listing["id"]))
        if rule:  # a punishment listing in the window, in force or not
            recent.append(Reason(g["recentNegative"]["code"], g["recentNegative"]["message"], listing_id=listing["id"]))
    for r in records:
        decided = _native(r["decidedOn"])
        if r["polarity"] == "NEGATIVE":
            if decided > since:
                recent.append(Reason(g["recentNegative"]["code"], g["recentNegative"]["message"], record_id=r["id"]))
            if _record_counts(r, as_of):
                severity = r["severity"] or g["unknownSeverity"]
                matched = [rule for rule in g["recordRules"] if _matches(rule, r, severity)]
                if matched:
                    worst = max(matched, key=lambda rule: order[rule["grade"]])
                    adverse.append((worst["grade"], Reason(worst["code"], worst["message"], record_id=r["id"])))
        elif r["active"] and decided > add_months(as_of, -12 * g["positiveYears"]):
            positive.append(Reason(pos["code"], pos["recordMessage"], record_id=r["id"]))
    if adverse:
        worst_grade = max((grade for grade, _ in adverse), key=order.__getitem__)
        return Graded(uscc, worst_grade, [reason for grade, reason in adverse if grade == worst_grade])
    if positive and not recent:
        return Graded(uscc, pos["grade"], positive)
    default = Reason(g["default"]["code"], g["default"]["message"])
    return Graded(uscc, g["default"]["grade"], [default, *recent] if positive else [default])


def grade_page(usccs: list[str], with_facts: list[dict[str, Any]], as_of: dt.date) -> list[Graded]:
    """Grades of a page from grade_facts_page: entities without any fact are graded without a look."""
    facts = {f["uscc"]: f for f in with_facts}
    out = []
    for uscc in usccs:
        f = facts.get(uscc)
        out.append(grade_of(uscc, f["listings"], f["records"], as_of) if f else grade_of(uscc, [], [], as_of))
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
