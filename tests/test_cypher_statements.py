"""Every statement in cypher/ is named, parameterised and accepted by the live Neo4j (EXPLAIN)."""

from __future__ import annotations

import re

import pytest

from graph_api.store.cypher_loader import CYPHER_DIR, load, parse, queries

STATEMENTS = queries.all()
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def test_there_are_statements_and_names_are_unique():
    assert len(STATEMENTS) >= 20
    assert len({s.name for s in STATEMENTS}) == len(STATEMENTS)
    assert {p.name for p in CYPHER_DIR.glob("*.cypher")} >= {"schema.cypher", "import.cypher", "entity.cypher"}


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s.name)
def test_statement_passes_explain(driver, statement):
    if statement.name.startswith("m"):
        # Schema commands cannot be EXPLAINed; they run at every start, which the import tests exercise.
        assert re.search(r"IF NOT EXISTS", statement.text), "schema statements must be idempotent"
        return
    params = {name: None for name in _PARAM.findall(statement.text)}
    with driver.session() as session:
        session.run("EXPLAIN " + statement.text, params).consume()


def test_values_are_parameters_not_interpolated():
    for statement in STATEMENTS:
        assert "{0}" not in statement.text and "%s" not in statement.text and "{}" not in statement.text, statement.name


def test_loader_rejects_duplicates_and_empty_statements(tmp_path):
    (tmp_path / "a.cypher").write_text("// name: one\nRETURN 1\n// name: two\n")
    with pytest.raises(ValueError, match="empty"):
        load(tmp_path)
    (tmp_path / "a.cypher").write_text("// name: one\nRETURN 1\n")
    (tmp_path / "b.cypher").write_text("// name: one\nRETURN 2\n")
    with pytest.raises(ValueError, match="defined in"):
        load(tmp_path)
    assert [s.name for s in parse("// why\n// name: x\nRETURN 1;\n", "t")] == ["x"]
