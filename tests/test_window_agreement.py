"""The responsibility window is one rule with two executions: `graph_api.domain.linkage.in_window`
decides a listing's bound persons (listingImpact, listSubject), and the Cypher fragment `@in_window`
(cypher/fragments.cypher) decides them where a read must filter in the database (exposure,
eligibility's related risk, the neighbourhood's `bound` marker). This test asks both, over GraphQL, on
roles placed on every boundary of the window, and requires the same answer from each.

    firm F, fined on 2024-03-01 (R1) and 2024-05-01 (R2), joint punishment from 2024-06-01.
    The window is [2024-03-01, 2024-06-01]: a role binds when it began by 2024-06-01 and had not ended
    by 2024-03-01 (worked out on paper, per person):
      P1 legal representative 2020-01-01..2024-03-01   ended the day the window opened  -> not bound
      P2 principal 2020-01-01..2024-03-02              ended a day into the window      -> bound
      P3 actual controller 2024-06-01..                began on the listing's first day -> bound
      P4 legal representative 2024-06-02..             began after the listing started  -> not bound
      P5 principal 2024-04-01..2024-04-15              held only between the decisions  -> bound
      P6 director 2020-01-01..                         not a responsible role           -> not bound
"""

from __future__ import annotations

import pytest

from tests.conftest import gql_reader as gql
from tests.test_linkage import ric, uscc

DEPT = "370200-SCJG"
F = uscc(701)
P = {n: ric(700 + n) for n in range(1, 7)}
ROLES = {
    1: ("LEGAL_REPRESENTATIVE", "2020-01-01", "2024-03-01"),
    2: ("PRINCIPAL", "2020-01-01", "2024-03-02"),
    3: ("ACTUAL_CONTROLLER", "2024-06-01", None),
    4: ("LEGAL_REPRESENTATIVE", "2024-06-02", None),
    5: ("PRINCIPAL", "2024-04-01", "2024-04-15"),
    6: ("DIRECTOR", "2020-01-01", None),
}
BOUND = {2, 3, 5}
AS_OF = "2024-07-01"

IMPACT = """query($asOf: Date) { listingImpact(listing: "LW", asOf: $asOf) { boundPersons { personKey } } }"""
EXPOSURE = """query($n: String!, $asOf: Date) {
  exposure(subject: {idNumber: $n}, asOf: $asOf) { subject { key } bindings { kind listing { id } } }
}"""


@pytest.fixture(scope="module")
def window_graph(module_graph):
    def record(rid, day):
        return {
            "kind": "record",
            "id": rid,
            "subject": {"entity": F},
            "category": "PENALTY",
            "severity": "SERIOUS",
            "department": DEPT,
            "decidedOn": day,
            "publishedOn": day,
        }

    lines = [
        {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
        {
            "kind": "entity",
            "uscc": F,
            "name": "窗口测试有限公司",
            "form": "COMPANY",
            "status": "ACTIVE",
            "region": "370200",
            "established": "2015-01-01",
        },
        *({"kind": "person", "idNumber": P[n], "name": f"窗口{n}"} for n in P),
        *(
            {"kind": "role", "person": P[n], "entity": F, "role": r, "since": s, "until": u}
            for n, (r, s, u) in ROLES.items()
        ),
        record("RW1", "2024-03-01"),
        record("RW2", "2024-05-01"),
        {
            "kind": "listing",
            "id": "LW",
            "subject": {"entity": F},
            "list": "JOINT_PUNISHMENT",
            "department": DEPT,
            "basis": ["RW2", "RW1"],
            "since": "2024-06-01",
        },
    ]
    outcome = module_graph.import_lines(lines)
    assert outcome.code == 0 and outcome.rejects == [], outcome.rejects
    return module_graph


def test_the_domain_and_the_cypher_fragment_bind_the_same_persons(api, window_graph):
    by_domain = {p["personKey"] for p in gql(api, IMPACT, asOf=AS_OF)["data"]["listingImpact"]["boundPersons"]}
    by_cypher, keys = set(), {}
    for n, number in P.items():
        exposure = gql(api, EXPOSURE, n=number, asOf=AS_OF)["data"]["exposure"]
        keys[n] = exposure["subject"]["key"]
        if any(b["kind"] == "RESPONSIBLE_PERSON" and b["listing"]["id"] == "LW" for b in exposure["bindings"]):
            by_cypher.add(keys[n])
    expected = {keys[n] for n in BOUND}
    assert by_domain == expected
    assert by_cypher == expected
