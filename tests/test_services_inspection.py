"""The inspection draw's services run in-process (no HTTP, no GraphQL) on the real test Neo4j.

As tests/test_inspection.py works it out by hand: 40 entities with no fact (grade B), one listed on
JOINT_PUNISHMENT (E), one with an active general penalty (D), all under 370200-SCJG; ratios B 3%, D 10%,
E 20% rounded up draw 2 B, 1 D and 1 E, each with a team of two from the roster."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_api.domain.refusals import Refused
from graph_api.errors import BadUserInput
from graph_api.services.inspection import DrawRequest, InspectorRequest, draw_inspection, register_inspector
from tests.service_calls import call, officer
from tests.test_inspection import DEPT, EVIL, GENERAL, PLAIN, city  # noqa: F401  (the fixture)

AS_OF = dt.date(2026, 6, 30)
DRAWS = "MATCH (n) WHERE n:Draw OR (n:Change AND n.operation = 'drawInspection') RETURN count(n) AS n"


def count(graph, cypher: str) -> int:
    return int(graph.query(cypher)[0]["n"])


def test_a_draw_is_made_and_refused_without_graphql(settings, city):  # noqa: F811
    added = call(settings, register_inspector, officer(DEPT), InspectorRequest(id="I1", name=" 检查员一 "))
    assert added == {"id": "I1", "name": "检查员一"}
    with pytest.raises(Refused) as small:
        call(settings, draw_inspection, officer(DEPT), DrawRequest(period="2026-Q3", seed="s", as_of=AS_OF))
    assert small.value.code == "ROSTER_TOO_SMALL"
    assert count(city, DRAWS) == 0

    call(settings, register_inspector, officer(DEPT), InspectorRequest(id="I2", name="检查员二"))
    made = call(settings, draw_inspection, officer(DEPT), DrawRequest(period="2026-Q3", seed="s", as_of=AS_OF))
    assert (made["id"], made["region"], made["seed"], made["asOf"]) == (
        f"DRAW-{DEPT}-2026-Q3-370200",
        "370200",
        "s",
        AS_OF,
    )
    selected = city.query(
        """MATCH (:Draw {id: $id})-[s:SELECTED]->(e:Entity)
                             RETURN e.uscc AS uscc, s.grade AS grade, s.inspectors AS team ORDER BY grade, uscc""",
        id=made["id"],
    )
    assert [s["grade"] for s in selected] == ["B", "B", "D", "E"]
    assert (selected[2]["uscc"], selected[3]["uscc"]) == (GENERAL, EVIL)
    assert all(s["uscc"] in PLAIN for s in selected[:2]) and all(sorted(s["team"]) == ["I1", "I2"] for s in selected)

    with pytest.raises(Refused) as again:
        call(settings, draw_inspection, officer(DEPT), DrawRequest(period="2026-Q3", seed="t", as_of=AS_OF))
    assert (again.value.code, again.value.field) == ("ALREADY_DRAWN", "period")
    with pytest.raises(Refused) as unknown:  # refused before the write: nothing to roll back, nothing audited
        call(settings, draw_inspection, officer("370200-NONE"), DrawRequest(period="2026-Q3", as_of=AS_OF))
    assert unknown.value.code == "UNKNOWN_DEPARTMENT"
    with pytest.raises(BadUserInput):
        call(settings, draw_inspection, officer(DEPT), DrawRequest(period="Q3-2026"))
    with pytest.raises(Refused) as taken:
        call(settings, register_inspector, officer(DEPT), InspectorRequest(id="I1", name="重复"))
    assert (taken.value.code, taken.value.field) == ("DUPLICATE_ID", "id")
    assert count(city, DRAWS) == 2  # the draw and its one history entry
    assert count(city, "MATCH (i:Inspector) RETURN count(i) AS n") == 2
