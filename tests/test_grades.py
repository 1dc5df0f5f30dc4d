"""Credit grades A–E as of a day, with reasons (data/grades.json; publicity periods from the catalogue).

Hand-built graph, worked by hand (department 370200-SCJG; entities G1..G10; as of 2026-06-30 unless said):
- G1: PENALTY SERIOUS R1 decided 2025-01-10 (max publicity 36 months: counts until 2028-01-10), and the
  JOINT_PUNISHMENT listing LJP since 2025-03-01 based on it -> E, reasons JOINT_PUNISHMENT_LISTED (LJP) and
  SERIOUS_RECORD (R1). As of 2025-02-01 (record, no listing yet) -> E with SERIOUS_RECORD only; as of
  2025-01-09 -> B.
- G2: KEY_ATTENTION listing LKA 2025-06-01..2026-06-01 based on PENALTY MINOR R2 of 2025-01-02 (publicity
  over on 2025-04-02) -> as of 2025-05-31 B, as of 2025-06-01 D (KEY_ATTENTION_LISTED, LKA), as of
  2026-06-01 (ended) B.
- G3: PENALTY GENERAL R3 decided 2025-08-01 (max 12 months) -> as of 2026-06-30 D (GENERAL_RECORD R3);
  as of 2026-08-01 past its publicity period -> B.
- G4: COMPLAINT MINOR R4 2026-01-15 (no publicity period in the catalogue: counts while active) -> C.
- G5: HONOR R5 2025-04-01 and RED listing LRED since 2025-05-01 -> A, reasons POSITIVE_EVIDENCE for R5 and LRED.
- G6: HONOR R6 2025-04-01 and PENALTY MINOR R6N 2024-03-01 (publicity over on 2024-06-01) -> as of
  2026-06-30 a negative within three years (after 2023-06-30): B, reasons NO_ADVERSE_FACTS and
  RECENT_NEGATIVE (R6N); as of 2027-03-02 (window after 2024-03-02) -> A (R6).
- G7: KEY_ATTENTION listing LBAN applying MARKET_BAN, based on PENALTY MINOR R7 of 2025-01-02 (publicity
  over) -> E, only BANNED (the D of the list is not the worst).
- G8: COMMITMENT_BREACH MINOR R8 2026-02-01 -> D (COMMITMENT_BREACH: worse than MINOR's C).
- G9: PENALTY SERIOUS R9 2025-02-01, repaired: status REPAIRED, publicationEndedOn 2026-03-01 -> as of
  2026-02-28 E (SERIOUS_RECORD R9), as of 2026-06-30 B.
- G10: nothing -> B (NO_ADVERSE_FACTS). G10 is in district 370211, the others in 370202.
Distribution as of 2026-06-30, region 370200: A1 (G5) B4 (G2 G6 G9 G10) C1 (G4) D2 (G3 G8) E2 (G1 G7);
region 370211: B1.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from graph_api.domain.identifiers import uscc_check_char
from graph_api.services.grade_batch import grade_pages
from graph_api.store.db import sync_driver
from tests.conftest import gql, gql_reader
from tests.test_linkage import uscc

DEPT = "370200-SCJG"
G = {i: uscc(700 + i) for i in range(1, 11)}

GRADE = """query($u: USCC!, $d: Date) {
  grade(uscc: $u, asOf: $d) { uscc grade asOf reasons { code recordId listingId } } }"""


def _rec(rid, n, category, decided, severity=None):
    line = {
        "kind": "record",
        "id": rid,
        "subject": {"entity": G[n]},
        "category": category,
        "department": DEPT,
        "decidedOn": decided,
    }
    return {**line, "severity": severity} if severity else line


def _listing(lid, n, lst, basis, since, until=None, measures=None):
    line = {
        "kind": "listing",
        "id": lid,
        "subject": {"entity": G[n]},
        "list": lst,
        "department": DEPT,
        "basis": basis,
        "since": since,
    }
    if until:
        line["until"] = until
    if measures:
        line["measures"] = measures
    return line


LINES = [
    {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
    *(
        {
            "kind": "entity",
            "uscc": G[i],
            "name": f"等级测试{i}有限公司",
            "form": "COMPANY",
            "status": "ACTIVE",
            "region": "370211" if i == 10 else "370202",
            "established": "2010-01-01",
        }
        for i in range(1, 11)
    ),
    _rec("R1", 1, "PENALTY", "2025-01-10", "SERIOUS"),
    _listing("LJP", 1, "JOINT_PUNISHMENT", ["R1"], "2025-03-01"),
    _rec("R2", 2, "PENALTY", "2025-01-02", "MINOR"),
    _listing("LKA", 2, "KEY_ATTENTION", ["R2"], "2025-06-01", "2026-06-01"),
    _rec("R3", 3, "PENALTY", "2025-08-01", "GENERAL"),
    _rec("R4", 4, "COMPLAINT", "2026-01-15", "MINOR"),
    _rec("R5", 5, "HONOR", "2025-04-01"),
    _listing("LRED", 5, "RED", ["R5"], "2025-05-01"),
    _rec("R6", 6, "HONOR", "2025-04-01"),
    _rec("R6N", 6, "PENALTY", "2024-03-01", "MINOR"),
    _rec("R7", 7, "PENALTY", "2025-01-02", "MINOR"),
    _listing("LBAN", 7, "KEY_ATTENTION", ["R7"], "2025-06-01", measures=["MARKET_BAN", "KEY_SUPERVISION"]),
    _rec("R8", 8, "COMMITMENT_BREACH", "2026-02-01", "MINOR"),
    _rec("R9", 9, "PENALTY", "2025-02-01", "SERIOUS"),
]


@pytest.fixture(scope="module")
def graded(module_graph):
    outcome = module_graph.import_lines(LINES)
    assert outcome.code == 0, outcome.rejects
    module_graph.query(
        "MATCH (r:Record {id: 'R9'}) SET r.status = 'REPAIRED', r.publicationEndedOn = date('2026-03-01')"
    )
    return module_graph


def grade(api, n, as_of):
    # as a reader who sees every record: the records here are never published, so the public would read
    # their reasons as UNDISCLOSED_RECORD (tests/test_hidden_by_reference.py)
    body = gql_reader(api, GRADE, u=G[n], d=as_of)
    assert "errors" not in body, body
    g = body["data"]["grade"]
    assert g["uscc"] == G[n] and g["asOf"] == as_of
    reasons = [(r["code"], r["recordId"], r["listingId"]) for r in g["reasons"]]
    return g["grade"], sorted(reasons, key=lambda t: tuple(x or "" for x in t))


def test_a_grade_of_each_class_with_reasons(api, graded):
    day = "2026-06-30"
    assert grade(api, 1, day) == ("E", [("JOINT_PUNISHMENT_LISTED", None, "LJP"), ("SERIOUS_RECORD", "R1", None)])
    assert grade(api, 3, day) == ("D", [("GENERAL_RECORD", "R3", None)])
    assert grade(api, 4, day) == ("C", [("MINOR_RECORD", "R4", None)])
    assert grade(api, 5, day) == ("A", [("POSITIVE_EVIDENCE", None, "LRED"), ("POSITIVE_EVIDENCE", "R5", None)])
    assert grade(api, 6, day) == ("B", [("NO_ADVERSE_FACTS", None, None), ("RECENT_NEGATIVE", "R6N", None)])
    assert grade(api, 7, day) == ("E", [("BANNED", None, "LBAN")])
    assert grade(api, 8, day) == ("D", [("COMMITMENT_BREACH", "R8", None)])
    assert grade(api, 10, day) == ("B", [("NO_ADVERSE_FACTS", None, None)])


def test_grades_follow_the_day_asked(api, graded):
    assert grade(api, 1, "2025-01-09")[0] == "B"
    assert grade(api, 1, "2025-02-01") == ("E", [("SERIOUS_RECORD", "R1", None)])
    assert grade(api, 2, "2025-05-31")[0] == "B"
    assert grade(api, 2, "2025-06-01") == ("D", [("KEY_ATTENTION_LISTED", None, "LKA")])
    assert grade(api, 2, "2026-06-01") == ("B", [("NO_ADVERSE_FACTS", None, None)])
    assert grade(api, 3, "2026-07-31")[0] == "D"
    assert grade(api, 3, "2026-08-01")[0] == "B"
    assert grade(api, 6, "2027-03-02") == ("A", [("POSITIVE_EVIDENCE", "R6", None)])
    assert grade(api, 9, "2026-02-28") == ("E", [("SERIOUS_RECORD", "R9", None)])
    assert grade(api, 9, "2026-06-30")[0] == "B"


def test_entity_grades_are_batched_and_unknown_entities_not_found(api, graded):
    fields = " ".join(
        f'e{i}: entity(uscc: "{G[i]}") {{ uscc grade(asOf: "2026-06-30") {{ grade }} }}' for i in range(1, 11)
    )
    body = gql(api, "{ " + fields + " }")
    assert "errors" not in body, body
    assert "".join(body["data"][f"e{i}"]["grade"]["grade"] for i in range(1, 11)) == "EBDCABEDBB"
    assert body["extensions"]["dbRoundTrips"] == 2  # the entities, then all their grades
    missing = gql(api, GRADE, u=uscc(799), d="2026-06-30")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_grade_distribution_by_region(api, graded):
    q = """query($r: String) { gradeDistribution(region: $r, asOf: "2026-06-30") { total counts { grade count } } }"""
    city = gql(api, q, r="370200")["data"]["gradeDistribution"]
    assert city["total"] == 10
    assert {c["grade"]: c["count"] for c in city["counts"]} == {"A": 1, "B": 4, "C": 1, "D": 2, "E": 2}
    district = gql(api, q, r="370211")["data"]["gradeDistribution"]
    assert (district["total"], [c["count"] for c in district["counts"]]) == (1, [0, 1, 0, 0, 0])


def test_cli_grades_all_entities_in_pages(graded, cli, tmp_path):
    out = tmp_path / "grades.jsonl"
    result = cli("grades", "--as-of", "2026-06-30", "--out", str(out), "--page-size", "3", "--json")
    assert result.code == 0, result.stderr
    summary = result.json()
    assert summary["total"] == 10 and summary["counts"] == {"A": 1, "B": 4, "C": 1, "D": 2, "E": 2}
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["uscc"] for x in lines] == sorted(G.values())
    assert {x["uscc"]: x["grade"] for x in lines}[G[7]] == "E"
    # pages of 3 and 4: keyset paging loses nobody
    small = cli("grades", "--as-of", "2026-06-30", "--page-size", "4", "--region", "370202", "--json")
    assert small.json()["total"] == 9


def test_pages_side_by_side_grade_an_entity_added_meanwhile_once(graded, neo4j_server_running):
    """The batch behind `graph-api grades` cuts the key into ranges as it goes (ends read from the index) and
    reads several at once. With pages of 3 and one lane: ranges G1–G3, G4–G6, G7–G9, then the rest. Two
    entities imported after the first page came back, X between G9 and G10 and Y after G10 (both without
    facts: B), are graded once each, and every other entity once."""
    body = "91370200MA000070A"  # sorts after G9 (…0000709) and before G10 (…0000710)
    x, y = body + uscc_check_char(body), uscc(720)
    assert G[9] < x < G[10] < y
    graded_once: list[tuple[str, str]] = []
    with sync_driver(neo4j_server_running) as driver:
        try:
            pages = grade_pages(driver, neo4j_server_running.neo4j_database, dt.date(2026, 6, 30), page_size=3, lanes=1)
            graded_once += [(g.uscc, g.grade) for g in next(pages)]
            added = graded.import_lines([_entity(x, "青岛插页甲有限公司"), _entity(y, "青岛插页乙有限公司")])
            assert added.code == 0, added.rejects
            graded_once += [(g.uscc, g.grade) for page in pages for g in page]
        finally:
            graded.query("MATCH (e:Entity) WHERE e.uscc IN $keys DETACH DELETE e", keys=[x, y])
    keys = [u for u, _ in graded_once]
    assert sorted(keys) == sorted([*G.values(), x, y]) and len(keys) == len(set(keys)), keys
    assert dict(graded_once)[x] == dict(graded_once)[y] == "B"


def _entity(key: str, name: str) -> dict[str, str]:
    return {
        "kind": "entity",
        "uscc": key,
        "name": name,
        "form": "COMPANY",
        "status": "ACTIVE",
        "region": "370202",
        "established": "2020-01-01",
    }
