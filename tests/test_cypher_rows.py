"""Every statement declares the shape of its rows (graph_api/store/rows.py), and the columns the live
Neo4j reports for it (EXPLAIN) are exactly the declared TypedDict's keys."""

from __future__ import annotations

import re

import pytest

from graph_api.store.cypher_loader import queries
from graph_api.store.rows import ROWS, NoRow

STATEMENTS = queries.all()
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def test_every_statement_declares_its_rows_and_every_declaration_is_a_statement():
    loaded = {s.name for s in STATEMENTS}
    assert sorted(loaded - set(ROWS)) == [], "statements without a row type in rows.Statements"
    assert sorted(set(ROWS) - loaded) == [], "rows.Statements names statements that cypher/ does not define"
    assert all(s.row is ROWS[s.name] for s in STATEMENTS)


def test_schema_commands_return_no_rows():
    for s in STATEMENTS:
        if re.match(r"m\d{3}_", s.name):
            assert s.row is NoRow, s.name


@pytest.mark.parametrize("statement", [s for s in STATEMENTS if not re.match(r"m\d{3}_", s.name)], ids=lambda s: s.name)
def test_declared_columns_are_the_columns_neo4j_reports(driver, statement):
    with driver.session() as session:
        result = session.run("EXPLAIN " + statement.text, {n: None for n in _PARAM.findall(statement.text)})
        columns = list(result.keys())
        result.consume()
    declared = list(statement.row.__annotations__)
    assert sorted(columns) == sorted(declared), (
        f"{statement.where}: {statement.name} returns {columns}, {statement.row.__name__} declares {declared}"
    )
