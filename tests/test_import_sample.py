"""Importing docs/interchange/sample.jsonl gives exactly the graph it describes, in any line
order, and a second import changes nothing. The expected graph below was read off the sample by hand."""

from __future__ import annotations

import datetime as dt
import json

from graph_api.domain.catalogue import list_defaults
from graph_api.store.pii import IdProtector
from tests.conftest import SAMPLE

SHUICHAN, LENGLIAN, LANWAN, XIEHUI, FUMANJIA = (
    "91370202613366849K",
    "91370211499653587T",
    "913702031995045470",
    "51370202105979606D",
    "923702126489173801",
)
D = dt.date

EXPECTED_ROLES = {
    ("陈海", "LEGAL_REPRESENTATIVE", SHUICHAN, D(2018, 3, 1), D(2024, 7, 1)),
    ("吴敏", "LEGAL_REPRESENTATIVE", SHUICHAN, D(2024, 7, 1), None),
    ("刘韵", "ACTUAL_CONTROLLER", SHUICHAN, D(2018, 3, 1), None),
    ("陈海", "LEGAL_REPRESENTATIVE", LANWAN, D(2020, 1, 1), None),
    ("高翔", "PRINCIPAL", XIEHUI, D(2021, 5, 1), None),
}
EXPECTED_HOLDINGS = {
    ("刘韵", SHUICHAN, 0.9, D(2018, 3, 1), None),
    ("青岛海韵水产有限公司", LENGLIAN, 0.55, D(2019, 8, 15), None),
    ("陈海", LANWAN, 0.3, D(2020, 1, 1), None),
}
EXPECTED_RECORDS = {
    ("QD-SCJG-2024-0031", SHUICHAN, "PENALTY", "NEGATIVE", "SERIOUS", "370200-SCJG", D(2024, 2, 20), D(2024, 2, 26)),
    (
        "QD-FY-2024-0410",
        SHUICHAN,
        "JUDGMENT_DEFAULT",
        "NEGATIVE",
        "SERIOUS",
        "370200-ZJFY",
        D(2024, 4, 10),
        D(2024, 4, 12),
    ),
    ("QD-SCJG-2023-H07", FUMANJIA, "HONOR", "POSITIVE", None, "370200-SCJG", D(2023, 6, 1), D(2023, 6, 5)),
    ("QD-SCJG-2020-L88", LANWAN, "LICENSE", "NEUTRAL", None, "370200-SCJG", D(2020, 1, 10), D(2020, 1, 14)),
}


def _roles(graph):
    rows = graph.query(
        "MATCH (p:Person)-[r]->(e:Entity) WHERE type(r) <> 'HOLDS' "
        "RETURN p.name AS name, type(r) AS role, e.uscc AS uscc, r.since AS since, r.until AS until"
    )
    return {(r["name"], r["role"], r["uscc"], _d(r["since"]), _d(r["until"])) for r in rows}


def _d(value):
    return value.to_native() if value is not None else None


def test_sample_gives_exactly_the_graph_it_describes(graph, settings):
    outcome = graph.import_file(SAMPLE)
    assert outcome.code == 0 and outcome.rejects == []
    assert {k: c["created"] for k, c in outcome.counts.items()} == {
        "department": 3,
        "entity": 5,
        "person": 4,
        "role": 5,
        "holding": 3,
        "record": 4,
        "listing": 2,
        "commitment": 1,
    }

    counts = graph.counts()
    data_labels = {
        k: counts.get(k, 0) for k in ("Department", "Entity", "Person", "Record", "Listing", "Commitment", "Revision")
    }
    assert data_labels == {
        "Department": 3,
        "Entity": 5,
        "Person": 4,
        "Record": 4,
        "Listing": 2,
        "Commitment": 1,
        "Revision": 0,
    }
    jp_defaults, red_defaults = list_defaults()["JOINT_PUNISHMENT"], list_defaults()["RED"]
    assert {
        k: counts.get(k, 0)
        for k in (
            "LEGAL_REPRESENTATIVE",
            "ACTUAL_CONTROLLER",
            "PRINCIPAL",
            "DIRECTOR",
            "HOLDS",
            "BRANCH_OF",
            "HAS_RECORD",
            "DECIDED_BY",
            "LISTED_ON",
            "BASED_ON",
            "APPLIES",
            "COMMITTED",
            "MADE_TO",
        )
    } == {
        "LEGAL_REPRESENTATIVE": 3,
        "ACTUAL_CONTROLLER": 1,
        "PRINCIPAL": 1,
        "DIRECTOR": 0,
        "HOLDS": 3,
        "BRANCH_OF": 0,
        "HAS_RECORD": 4,
        "DECIDED_BY": 6,
        "LISTED_ON": 2,
        "BASED_ON": 3,
        "APPLIES": len(jp_defaults) + len(red_defaults),
        "COMMITTED": 1,
        "MADE_TO": 1,
    }

    entity = graph.query("MATCH (e:Entity {uscc: $u}) RETURN e", u=SHUICHAN)[0]["e"]
    assert (
        entity["name"],
        entity["form"],
        entity["status"],
        entity["region"],
        entity["industry"],
        _d(entity["established"]),
        entity["registeredCapital"],
    ) == ("青岛海韵水产有限公司", "COMPANY", "ACTIVE", "370202", "C13", D(2018, 3, 1), 10000000)
    assert graph.query("MATCH (e:Entity {uscc: $u}) RETURN e.industry AS i, e.established AS d", u=XIEHUI) == [
        {"i": None, "d": None}
    ]

    assert _roles(graph) == EXPECTED_ROLES
    holdings = graph.query(
        "MATCH (h)-[r:HOLDS]->(e:Entity) RETURN h.name AS h, e.uscc AS u, r.ratio AS ratio, "
        "r.since AS since, r.until AS until"
    )
    assert {(r["h"], r["u"], r["ratio"], _d(r["since"]), _d(r["until"])) for r in holdings} == EXPECTED_HOLDINGS
    records = graph.query(
        "MATCH (s)-[:HAS_RECORD]->(r:Record)-[:DECIDED_BY]->(d:Department) "
        "RETURN r.id AS id, s.uscc AS s, r.category AS c, r.polarity AS p, r.severity AS sev, "
        "d.code AS d, r.decidedOn AS dec, r.publishedOn AS pub, r.disclosure AS disc, r.status AS st"
    )
    assert {
        (r["id"], r["s"], r["c"], r["p"], r["sev"], r["d"], _d(r["dec"]), _d(r["pub"])) for r in records
    } == EXPECTED_RECORDS
    assert {(r["disc"], r["st"]) for r in records} == {("PUBLIC", "ACTIVE")}

    listings = graph.query(
        "MATCH (s)-[:LISTED_ON]->(l:Listing)-[:DECIDED_BY]->(d:Department) "
        "RETURN l.id AS id, s.uscc AS s, l.list AS list, d.code AS d, l.since AS since, l.until AS until, "
        "COLLECT { MATCH (l)-[:BASED_ON]->(r) RETURN r.id ORDER BY r.id } AS basis, "
        "COLLECT { MATCH (l)-[:APPLIES]->(m) RETURN m.code ORDER BY m.code } AS measures"
    )
    assert sorted(
        (r["id"], r["s"], r["list"], r["d"], _d(r["since"]), _d(r["until"]), r["basis"], r["measures"])
        for r in listings
    ) == [
        (
            "QD-JP-2024-005",
            SHUICHAN,
            "JOINT_PUNISHMENT",
            "370200-SCJG",
            D(2024, 5, 1),
            None,
            ["QD-FY-2024-0410", "QD-SCJG-2024-0031"],
            sorted(jp_defaults),
        ),
        (
            "QD-RED-2023-012",
            FUMANJIA,
            "RED",
            "370200-SCJG",
            D(2023, 7, 1),
            D(2026, 7, 1),
            ["QD-SCJG-2023-H07"],
            sorted(red_defaults),
        ),
    ]
    commitment = graph.query(
        "MATCH (e:Entity)-[:COMMITTED]->(c:Commitment)-[:MADE_TO]->(d:Department) "
        "RETURN e.uscc AS e, c.id AS id, c.type AS t, c.status AS st, c.madeOn AS m, c.dueOn AS due, d.code AS d"
    )
    assert [(c["e"], c["id"], c["t"], c["st"], _d(c["m"]), _d(c["due"]), c["d"]) for c in commitment] == [
        (LANWAN, "QD-CM-2020-0007", "APPROVAL_SUBSTITUTION", "FULFILLED", D(2020, 1, 5), D(2020, 7, 5), "370200-SCJG")
    ]


def test_identity_numbers_are_stored_encrypted_hashed_and_masked(graph, settings):
    graph.import_file(SAMPLE)
    protector = IdProtector.from_settings(settings)
    clear = {
        json.loads(x)["idNumber"]: json.loads(x)["name"]
        for x in SAMPLE.read_text(encoding="utf-8").splitlines()
        if '"kind": "person"' in x
    }
    persons = graph.query("MATCH (p:Person) RETURN properties(p) AS p")
    for row in persons:
        flat = json.dumps(row["p"], default=str, ensure_ascii=False)
        assert not any(number in flat for number in clear), "a clear identity number reached the graph"
    for number, name in clear.items():
        found = graph.query(
            "MATCH (p:Person {idHash: $h}) RETURN p.name AS name, p.idMasked AS masked, p.idCipher AS c",
            h=protector.hash(number),
        )
        assert len(found) == 1 and found[0]["name"] == name
        assert found[0]["masked"] == number[:4] + "*" * 10 + number[-4:]
        assert protector.decrypt(found[0]["c"]) == number
    leaks = graph.query(
        "MATCH ()-[r]->() WHERE any(k IN keys(r) WHERE any(n IN $numbers WHERE toString(r[k]) CONTAINS n)) "
        "RETURN count(r) AS n",
        numbers=list(clear),
    )
    assert leaks == [{"n": 0}]


def _dump(graph):
    """The whole data graph in a form independent of import order and import time."""
    volatile = {"recordedAt", "idCipher", "appliedAt"}
    nodes = graph.query("MATCH (n) WHERE NOT n:Revision RETURN labels(n) AS l, properties(n) AS p")
    rels = graph.query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, properties(r) AS p, "
        "coalesce(a.uscc, a.idHash, a.id, a.code) AS a, coalesce(b.uscc, b.idHash, b.id, b.code) AS b"
    )

    def norm(p):
        return json.dumps(
            {k: v for k, v in p.items() if k not in volatile}, sort_keys=True, default=str, ensure_ascii=False
        )

    return (
        sorted((sorted(n["l"]), norm(n["p"])) for n in nodes),
        sorted((r["t"], r["a"], r["b"], norm(r["p"])) for r in rels),
    )


def test_any_line_order_gives_the_same_graph(graph):
    graph.import_file(SAMPLE)
    forward = _dump(graph)
    assert graph.cli("db", "wipe", "--yes").code == 0
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    outcome = graph.import_file(graph.write_lines(list(reversed(lines))))
    assert outcome.code == 0 and outcome.rejects == []
    assert _dump(graph) == forward


def test_second_import_changes_nothing(graph):
    first = graph.import_file(SAMPLE)
    before = _dump(graph)
    second = graph.import_file(SAMPLE)
    assert second.code == 0
    assert second.total("created") == 0 and second.total("updated") == 0
    assert second.total("unchanged") == first.total("created") == 27
    assert _dump(graph) == before
    assert graph.counts().get("Revision", 0) == 0
