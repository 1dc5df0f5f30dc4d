"""Alerts (预警提醒) as plain values: the kinds a watch may ask for, the cause of an alert as the one statement
that raises alerts takes it (cypher/watch.cypher `alerts_raise`: who is alerted is decided there), the path
kept with it, and the sentence that explains it to one reader. The path is kept with its records' ids;
each reader is shown it with the records it may not see as the one undisclosed node (domain/disclosure.py),
and the sentence is written from that path, so it tells no more than the path does."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Sequence
from typing import Any

from graph_api.domain import disclosure
from graph_api.domain.paths import PERSON, RECORD, Node, Path, Step, person_key, step
from graph_api.domain.vocabulary import RESPONSIBLE_ROLES

# A watched subject got a record, was listed, or was bound by a listing of an entity it is responsible for;
# a person bound by a listing in force took a role or a majority holding, or established a firm; an entity
# related to a watched one was listed (the watched one is flagged by that listing); a watched entity's grade
# changed; a deadline (publication, objection answer, task feedback, commitment) is near or lapsed.
ALERT_KINDS = (
    "RECORD",
    "LISTING",
    "BINDING",
    "REAPPEARANCE",
    "RELATED_LISTED",
    "GRADE",
    "DEADLINE_SOON",
    "DEADLINE_LAPSED",
)
# What a deadline alert is about: the thing's node kind on the path, and the relation from its subject.
OBJECTION, TASK, COMMITMENT = "OBJECTION", "TASK", "COMMITMENT"
DEADLINES = {
    "PUBLICATION": (RECORD, "HAS_RECORD", "the publication of a record"),
    "OBJECTION_ANSWER": (OBJECTION, "FILED", "the answer to an objection"),
    "TASK_FEEDBACK": (TASK, "BINDS", "the feedback on a task"),
    "COMMITMENT": (COMMITMENT, "COMMITTED", "a commitment"),
}
# A holding above this share is a majority holding (a reappearance when its holder is bound).
MAJORITY = 0.5

_SENTENCES = {
    "RECORD": "a record was made about a watched subject",
    "LISTING": "a watched subject was listed",
    "BINDING": "a watched person is bound by the listing of an entity it is responsible for",
    "REAPPEARANCE": "a person bound by a listing in force took a role or a majority holding",
    "RELATED_LISTED": "an entity related to a watched one was listed",
    "GRADE": "a watched entity's grade changed",
    "DEADLINE_SOON": "a deadline is near",
    "DEADLINE_LAPSED": "a deadline lapsed",
}
# The sentence of a reappearance where the bound person founded the firm (its role or majority holding
# begins on the day the firm was established, on or after the listing began).
ESTABLISHED = "a person bound by a listing in force established a firm"


def cause(
    kind: str,
    subject: str,
    path: Path,
    cause_ids: Sequence[str],
    listing: str | None = None,
    *,
    note: str | None = None,
    department: str | None = None,
    key: str | None = None,
) -> dict[str, Any]:
    """One cause for `alerts_raise`: its kind, the subject's key (a USCC or a person's key hash), the path
    that explains it, the ids of what caused it (a record, a listing, a role), and for a reappearance the
    listing that binds the person (its department and the watchers of its subject are alerted too).
    `note` replaces the kind's sentence (it must tell nothing the path does not); `department` is alerted
    besides the watchers (the one responsible for a deadline); `key` makes the alert once only: a cause
    with a key already raised for a recipient raises nothing for it again."""
    if kind not in ALERT_KINDS:
        raise ValueError(f"unknown alert kind {kind}")
    return {
        "note": note,
        "department": department,
        "key": key,
        "kind": kind,
        "subject": subject,
        "path": dump(path),
        "recordIds": sorted({n.key for n in path.nodes if n.kind == RECORD}),
        "causeIds": list(cause_ids),
        "listing": listing,
    }


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _native(value: Any) -> dt.date | None:
    if value is None:
        return None
    to_native = getattr(value, "to_native", None)
    return to_native() if to_native is not None else value  # type: ignore[no-any-return]


def dump(p: Path) -> str:
    """The path as the alert keeps it (JSON text)."""
    return json.dumps(
        {
            "nodes": [[n.kind, n.key, n.name] for n in p.nodes],
            "steps": [
                [s.relation, s.from_key, s.to_key, _day(_native(s.since)), _day(_native(s.until)), s.ratio]
                for s in p.steps
            ],
        },
        ensure_ascii=False,
    )


def load(text: str) -> Path:
    data = json.loads(text)
    return Path(
        nodes=tuple(Node(kind=k, key=key, name=name) for k, key, name in data["nodes"]),
        steps=tuple(
            Step(
                relation=r,
                from_key=a,
                to_key=b,
                since=dt.date.fromisoformat(since) if since else None,
                until=dt.date.fromisoformat(until) if until else None,
                ratio=ratio,
            )
            for r, a, b, since, until, ratio in data["steps"]
        ),
    )


def shown(text: str, hidden: Collection[str]) -> Path:
    """The kept path as a reader who may not see the records `hidden` is shown it."""
    return disclosure.path(load(text), hidden)


def reason(kind: str, p: Path, note: str | None = None) -> str:
    """Why the alert was raised, in a sentence, from the path as the reader is shown it."""
    return f"{note or _SENTENCES[kind]}: {p.render()}"


def established(row: dict[str, Any]) -> bool:
    """Whether a `reappearance_facts` row is the founding of a firm by the bound person: a responsible role
    or majority holding from the day the firm was established, the firm established on or after the day the
    binding listing began."""
    founded = _native(row["entity"].get("established"))
    since, begun = _native(row["since"]), _native(row["listing"]["since"])
    if founded is None or since is None or begun is None:
        return False
    responsible = row["relation"] in RESPONSIBLE_ROLES or row["relation"] == "HOLDS"
    return responsible and since <= founded and founded >= begun


def grade_note(old: str, new: str) -> str:
    return f"a watched entity's grade changed from {old} to {new}"


def grade_path(entity: Node, grade: str, reasons: Sequence[Any]) -> Path:
    """entity -HAS_RECORD→ each record, -LISTED_ON→ each listing its new grade rests on (grading.Reason)."""
    nodes: list[Node] = [entity]
    steps: list[Step] = []
    for r in reasons:
        if r.record_id:
            n = Node(kind=RECORD, key=r.record_id, name=r.code)
            nodes.append(n)
            steps.append(step("HAS_RECORD", entity, n))
        elif r.listing_id:
            n = Node(kind="LISTING", key=r.listing_id, name=r.code)
            nodes.append(n)
            steps.append(step("LISTED_ON", entity, n))
    return Path((), ()).then(nodes, steps)


def deadline_note(deadline: str, due: dt.date, lapsed: bool) -> str:
    what = DEADLINES[deadline][2]
    return f"{what} was due on {due} and is late" if lapsed else f"{what} is due on {due}"


def deadline_path(subject: Node, deadline: str, thing_id: str, thing_name: str, due: dt.date) -> Path:
    """subject -[relation, until the due day]→ the thing (record, objection, task or commitment)."""
    kind, relation, _ = DEADLINES[deadline]
    tn = Node(kind=kind, key=thing_id, name=thing_name)
    if relation == "BINDS":  # a task binds its subject: the relationship points from the task
        return Path((subject, tn), (step(relation, tn, subject, None, due),))
    return Path((subject, tn), (step(relation, subject, tn, None, due),))


def subject_node(p: Path, subject: str) -> Node | None:
    """The alert's subject (a USCC or a person's key hash) as it stands on its path."""
    keys = {subject, person_key(subject)}
    return next((n for n in p.nodes if n.key in keys), None)


def party_node(subject: dict[str, Any]) -> Node:
    """A record's or listing's subject (uscc or idHash, name) as a node on a path."""
    if subject.get("uscc"):
        return Node(kind="ENTITY", key=subject["uscc"], name=subject["name"])
    return Node(kind=PERSON, key=person_key(subject["idHash"]), name=subject["name"])


def record_path(subject: Node, record: dict[str, Any]) -> Path:
    """subject -HAS_RECORD→ record."""
    rn = Node(kind=RECORD, key=record["id"], name=record["category"])
    return Path((subject, rn), (step("HAS_RECORD", subject, rn, _native(record.get("decidedOn"))),))


def reappearance_path(row: dict[str, Any]) -> Path:
    """person -[new role or HOLDS]→ entity; person -[role]→ the listed entity -LISTED_ON→ listing -BASED_ON→
    records (or, for a listed person, person -LISTED_ON→ …), from a `reappearance_facts` row."""
    pn = Node(kind=PERSON, key=person_key(row["person"]["idHash"]), name=row["person"]["name"])
    en = Node(kind="ENTITY", key=row["entity"]["uscc"], name=row["entity"]["name"])
    path = Path((pn, en), (step(row["relation"], pn, en, _native(row["since"]), None, row["ratio"]),))
    listing = row["listing"]
    ln = Node(kind="LISTING", key=listing["id"], name=listing["list"])
    via = row["via"]
    if via is not None:
        vn = Node(kind="ENTITY", key=via["uscc"], name=via["name"])
        path = path.then((vn,), (step(via["role"], pn, vn, _native(via["since"]), _native(via["until"])),))
        start = vn
    else:
        start = pn
    path = path.then((ln,), (step("LISTED_ON", start, ln, _native(listing["since"]), _native(listing["until"])),))
    records = [Node(kind=RECORD, key=b["id"], name=b["category"]) for b in row["basis"]]
    return path.then(
        records,
        [step("BASED_ON", ln, rn, _native(b["decidedOn"])) for rn, b in zip(records, row["basis"], strict=True)],
    )
