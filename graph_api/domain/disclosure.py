"""What a reader is told of a record it may not see (permissions.record_params; in Cypher @record_visible):
nothing that names it — not its id, category, severity, dates or text. An answer that rests on such a
record still says so truthfully: a path through it passes one node "a record not disclosed to you", a grade
reason becomes UNDISCLOSED_RECORD, once however many hidden records stand behind it, and a listing's basis
gives the records the reader sees with the number of the others (Listing.undisclosedBasis)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from graph_api.domain.grading import Reason
from graph_api.domain.paths import RECORD, UNDISCLOSED_KEY, UNDISCLOSED_NAME, Node, Path, Step

UNDISCLOSED_CODE = "UNDISCLOSED_RECORD"
UNDISCLOSED_MESSAGE = "rests on a record not disclosed to you (依据未向您公开的记录)"

UNDISCLOSED_NODE = Node(kind=RECORD, key=UNDISCLOSED_KEY, name=UNDISCLOSED_NAME)


def grade_reasons(reasons: Iterable[Reason], hidden: Collection[str]) -> list[Reason]:
    """The reasons of a grade as a reader sees them: one that names a hidden record becomes the one
    UNDISCLOSED_RECORD reason (its rule's code and message would tell the record's category or severity)."""
    out: list[Reason] = []
    for r in reasons:
        if r.record_id is not None and r.record_id in hidden:
            r = Reason(UNDISCLOSED_CODE, UNDISCLOSED_MESSAGE)
        if r not in out:
            out.append(r)
    return out


def path(p: Path, hidden: Collection[str]) -> Path:
    """The path with its hidden record nodes replaced by the one undisclosed node, placed after the records
    the reader sees (its place in the basis's order would tell when it was decided), and reached by one
    undated step (a step's date is the record's decision)."""
    if not any(n.kind == RECORD and n.key in hidden for n in p.nodes):
        return p
    nodes = [n for n in p.nodes if not (n.kind == RECORD and n.key in hidden)]
    steps = [s for s in p.steps if s.to_key not in hidden and s.from_key not in hidden]
    after_records = max((i + 1 for i, n in enumerate(nodes) if n.kind == RECORD), default=len(nodes))
    nodes.insert(after_records, UNDISCLOSED_NODE)
    for s in p.steps:
        if s.to_key in hidden and Step(s.relation, s.from_key, UNDISCLOSED_KEY) not in steps:
            at = max((i + 1 for i, t in enumerate(steps) if t.from_key == s.from_key), default=len(steps))
            steps.insert(at, Step(relation=s.relation, from_key=s.from_key, to_key=UNDISCLOSED_KEY))
    return Path(nodes=tuple(nodes), steps=tuple(steps))
