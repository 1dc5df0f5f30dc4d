"""Backup and restore round trip with Neo4j's own dump/load (`graph-api db backup` / `db restore`).

The graph: department 370200-SCJG, two entities (BAK1 青岛备份一有限公司, BAK2 青岛备份二有限公司) and one
person (王备份) who is the legal representative of BAK1 since 2020-01-01. Counted by hand: 4 nodes
that `admin_counts` reports by label (1 Department, 2 Entity, 1 Person) and the one role. The dump is
taken, the database wiped (no entity left: entity(BAK1) is NOT_FOUND), the dump loaded: the counts and
the GraphQL answer are again exactly what they were, served by the same running service.
"""

from __future__ import annotations

import time

from tests.conftest import gql_reader as gql
from tests.test_linkage import ric, uscc

BAK1, BAK2, PERSON = uscc(71), uscc(72), ric(71)
DEPT = "370200-SCJG"
ENTITY = """query Backup($u: USCC!) { entity(uscc: $u) { name roles { nodes { role since person { name } } } } }"""
EXPECTED = {
    "entity": {
        "name": "青岛备份一有限公司",
        "roles": {"nodes": [{"role": "LEGAL_REPRESENTATIVE", "since": "2020-01-01", "person": {"name": "王备份"}}]},
    }
}


def entity(code: str, name: str) -> dict:
    return {
        "kind": "entity",
        "uscc": code,
        "name": name,
        "form": "COMPANY",
        "status": "ACTIVE",
        "region": "370200",
        "established": "2015-01-01",
    }


def answer(api) -> dict:
    """The service's answer, once it answers again after the server's restart."""
    deadline = time.monotonic() + 60
    while True:
        body = gql(api, ENTITY, u=BAK1)
        codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or ()]
        if codes != ["DATABASE_UNAVAILABLE"] or time.monotonic() > deadline:
            return body
        time.sleep(0.5)


def test_backup_wipe_restore_round_trip(api, graph, cli, tmp_path):
    outcome = graph.import_lines(
        [
            {"kind": "department", "code": DEPT, "name": "青岛市市场监督管理局", "region": "370200"},
            entity(BAK1, "青岛备份一有限公司"),
            entity(BAK2, "青岛备份二有限公司"),
            {"kind": "person", "idNumber": PERSON, "name": "王备份"},
            {"kind": "role", "person": PERSON, "entity": BAK1, "role": "LEGAL_REPRESENTATIVE", "since": "2020-01-01"},
        ]
    )
    assert outcome.code == 0, outcome.rejects
    before = graph.counts()
    assert (before.get("Department"), before.get("Entity"), before.get("Person")) == (1, 2, 1), before
    assert answer(api)["data"] == EXPECTED

    result = cli("db", "backup", "--to", str(tmp_path / "backups"))
    assert result.code == 0, result.stderr
    dump = tmp_path / "backups" / "neo4j.dump"
    assert result.stdout.strip() == str(dump) and dump.stat().st_size > 0
    assert answer(api)["data"] == EXPECTED  # the server is back after the dump

    assert cli("db", "backup", "--to", str(dump)).code == 1  # never overwrites a backup

    assert cli("db", "wipe", "--yes").code == 0
    assert graph.counts().get("Entity", 0) == 0
    gone = answer(api)
    assert [e["extensions"]["code"] for e in gone["errors"]] == ["NOT_FOUND"], gone

    result = cli("db", "restore", "--from", str(dump), "--yes")
    assert result.code == 0, result.stderr
    assert graph.counts() == before
    assert answer(api)["data"] == EXPECTED
