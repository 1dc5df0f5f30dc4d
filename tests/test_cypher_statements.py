"""Every statement in cypher/ is named, parameterised and accepted by the live Neo4j (EXPLAIN); a
statement Neo4j refuses is reported at its file:line."""

from __future__ import annotations

import asyncio
import re
import time

import neo4j
import pytest

from graph_api.store.cypher_loader import CYPHER_DIR, load, queries
from graph_api.store.db import async_driver
from graph_api.store.run import run, run_sync
from graph_api.store.warmup import is_warmed, sample_parameters, warm_plans, warmed_statements

STATEMENTS = queries.all()
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def params_of(statement) -> dict[str, object]:
    """The warm-up's typed parameters for a read statement the service sends (a name missing from its
    table fails here), else nulls."""
    if is_warmed(statement):
        return sample_parameters(statement)
    return {name: None for name in _PARAM.findall(statement.text)}


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
    with driver.session() as session:
        try:
            session.run("EXPLAIN " + statement.text, params_of(statement)).consume()
        except (neo4j.exceptions.Neo4jError, KeyError) as err:
            pytest.fail(f"{statement.locate(str(err))}: {statement.name}: {err}", pytrace=False)


def test_values_are_parameters_not_interpolated():
    for statement in STATEMENTS:
        assert "{0}" not in statement.text and "%s" not in statement.text and "{}" not in statement.text, statement.name


def test_a_statement_neo4j_refuses_is_reported_at_its_file_and_line(driver, tmp_path):
    (tmp_path / "broken.cypher").write_text(
        "// A file.\n\n// name: fine\nRETURN 1 AS one\n\n// name: broken\nMATCH (n)\nRETRUN n\n", encoding="utf-8"
    )
    broken = load(tmp_path).broken
    with driver.session() as session, pytest.raises(neo4j.exceptions.CypherSyntaxError) as caught:
        run_sync(session, broken)
    assert "in Cypher statement broken at broken.cypher:8" in "\n".join(caught.value.__notes__)
    assert run_sync(driver, load(tmp_path).fine) == [{"one": 1}]


def test_run_gives_typed_rows_from_a_driver_a_session_and_a_transaction(driver, settings):
    with driver.session() as session:
        assert run_sync(session, queries.admin_ping) == [{"ok": 1}]
        assert session.execute_read(lambda tx: run_sync(tx, queries.admin_ping)) == [{"ok": 1}]
        with pytest.raises(TypeError, match="database_ and bookmarks_ are for a driver"):
            run_sync(session, queries.admin_ping, database_=settings.neo4j_database)
        with pytest.raises(TypeError, match="timeout_ for a driver or a session"):
            session.execute_read(lambda tx: run_sync(tx, queries.admin_ping, timeout_=1.0))
    assert run_sync(
        driver,
        queries.admin_ping,
        database_=settings.neo4j_database,
        bookmarks_=False,
        routing_=neo4j.RoutingControl.READ,
        timeout_=5.0,
    ) == [{"ok": 1}]

    async def reads() -> list[object]:
        async with async_driver(settings) as d:
            async with d.session(database=settings.neo4j_database) as session:
                in_tx = await session.execute_read(lambda tx: run(tx, queries.admin_ping))
                in_session = await run(session, queries.admin_ping, timeout_=5.0)
            return [in_tx, in_session, await run(d, queries.admin_ping, database_=settings.neo4j_database)]

    assert asyncio.run(reads()) == [[{"ok": 1}]] * 3


def test_the_warm_up_compiles_every_read_statement_and_serve_says_when_it_is_done(neo4j_server_running, api):
    async def warm():
        async with async_driver(neo4j_server_running) as d:
            return await warm_plans(d, neo4j_server_running.neo4j_database)

    warmed = asyncio.run(warm())
    assert (warmed.statements, warmed.failed) == (len(warmed_statements()), 0)
    assert warmed.statements >= 60 and not any(s.source == "import.cypher" for s in warmed_statements())
    deadline = time.monotonic() + 120
    while (ready := api.get("/readyz").json())["plans"] == "warming" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert ready["status"] == "ready" and ready["plans"] == "warm"
