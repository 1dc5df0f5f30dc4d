"""The daily scan (`graph-api scan deadlines`): deadlines near or lapsed, and grade changes of watched entities,
raised as alerts through the one rule `alerts_raise` (cypher/watch.cypher), one write transaction per batch.

Deadlines: a record's publication (`publishDueOn`), an objection's answer (`dueOn`, 7 working days), a task's
feedback (`dueOn`), a commitment's due day. One due within `soon` working days of the day is DEADLINE_SOON, one
past is DEADLINE_LAPSED; each alerts the responsible department and the watchers of its subject, once per
(thing, due day, state) and recipient (the alert's key, unique in the graph): a re-run the same or the next day
raises nothing new, and a lapse is told once more after its warning.

Grades are computed as of a day, never stored, so the scan remembers the grade it last saw of each watched entity
(a `:GradeSeen` node per entity, shared by its watchers) and raises GRADE with old → new and the reasons of the
new grade when they differ; the first sight of an entity is its baseline and raises nothing. The key holds the
day and both grades, so a second scan of the day raises nothing again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import neo4j

from graph_api.domain import alerts
from graph_api.domain.grading import fact_params, grade_of
from graph_api.domain.workdays import add_working_days
from graph_api.store.cypher_loader import queries
from graph_api.store.rows import DeadlineFactRow, GradeWatchedRow
from graph_api.store.run import run_sync

BATCH = 500


@dataclass(frozen=True)
class ScanResult:
    deadlines: int  # deadlines found near or lapsed
    grades_changed: int
    raised: int  # alerts raised (a re-run raises 0)

    def as_dict(self) -> dict[str, int]:
        return {"deadlines": self.deadlines, "gradesChanged": self.grades_changed, "raised": self.raised}


def deadline_cause(row: DeadlineFactRow, as_of: dt.date) -> dict[str, Any]:
    due = _day(row["due"])
    lapsed = due < as_of
    kind = "DEADLINE_LAPSED" if lapsed else "DEADLINE_SOON"
    subject = dict(row["subject"])
    path = alerts.deadline_path(alerts.party_node(subject), row["deadline"], row["id"], row["name"], due)
    return alerts.cause(
        kind,
        subject.get("uscc") or subject["idHash"],
        path,
        [row["id"]],
        note=alerts.deadline_note(row["deadline"], due, lapsed),
        department=row["department"],
        key=f"{kind}|{row['deadline']}|{row['id']}|{due}",
    )


def _day(value: Any) -> dt.date:
    to_native = getattr(value, "to_native", None)
    return to_native() if to_native is not None else value  # type: ignore[no-any-return]


def _batches(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), BATCH):
        yield items[i : i + BATCH]


def _raise(
    driver: neo4j.Driver, database: str, causes: Sequence[dict[str, Any]], seen: Sequence[Any], day: dt.date
) -> int:
    def work(tx: neo4j.ManagedTransaction) -> int:
        if seen:
            run_sync(tx, queries.grade_seen_set, rows=list(seen), asOf=day)
        if not causes:
            return 0
        return int(run_sync(tx, queries.alerts_raise, causes=list(causes))[0]["raised"])

    with driver.session(database=database) as session:
        return session.execute_write(work)


def _grade_changes(
    driver: neo4j.Driver, database: str, watched: Sequence[GradeWatchedRow], as_of: dt.date
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The GRADE causes of a batch of watched entities, and the grades to remember."""
    facts = run_sync(
        driver,
        queries.grade_facts,
        database_=database,
        routing_=neo4j.RoutingControl.READ,
        keys=[w["uscc"] for w in watched],
        **fact_params(as_of),  # for no reader: the alerts' paths are disclosed per reader when read
    )
    by_key = {f["key"]: f for f in facts}
    causes, seen = [], []
    for w in watched:
        f = by_key.get(w["uscc"])
        graded = grade_of(w["uscc"], f["listings"] if f else [], f["records"] if f else [], as_of)
        if w["seen"] != graded.grade:
            seen.append({"uscc": w["uscc"], "grade": graded.grade})
        if w["seen"] is None or w["seen"] == graded.grade:
            continue
        node = alerts.party_node({"uscc": w["uscc"], "name": w["name"]})
        causes.append(
            alerts.cause(
                "GRADE",
                w["uscc"],
                alerts.grade_path(node, graded.grade, graded.reasons),
                [key for r in graded.reasons if (key := r.record_id or r.listing_id)],
                note=alerts.grade_note(w["seen"], graded.grade),
                key=f"GRADE|{w['uscc']}|{as_of}|{w['seen']}>{graded.grade}",
            )
        )
    return causes, seen


def scan(driver: neo4j.Driver, database: str, as_of: dt.date, soon: int) -> ScanResult:
    """Raise the day's deadline and grade alerts; `soon` working days after `as_of` count as near."""
    if soon < 0:
        raise ValueError("soon must not be negative")
    until = add_working_days(as_of, soon).due
    rows = run_sync(
        driver, queries.deadline_facts, database_=database, routing_=neo4j.RoutingControl.READ, asOf=as_of, until=until
    )
    raised = 0
    for batch in _batches(rows):
        raised += _raise(driver, database, [deadline_cause(r, as_of) for r in batch], [], as_of)
    watched = run_sync(driver, queries.grade_watched, database_=database, routing_=neo4j.RoutingControl.READ)
    changed = 0
    for batch in _batches(watched):
        causes, seen = _grade_changes(driver, database, batch, as_of)
        changed += len(causes)
        if causes or seen:
            raised += _raise(driver, database, causes, seen, as_of)
    return ScanResult(deadlines=len(rows), grades_changed=changed, raised=raised)
