"""What sits under every request: the auto-commit read (store/run.py `read`) and the verified-token cache
(api/auth.py).

- `read` gives the rows `run` gives through a managed transaction, honours the statement timeout, and an
  error Neo4j will give again (a syntax error, a parameter missing) is raised at once with the note naming
  the statement, never retried; a database that cannot be reached is retried for `retry_for_` seconds, then
  raised as the driver's ServiceUnavailable.
- A verified token is served from the cache only to settings with the same key, issuer and algorithm, and
  never after its expiry.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import neo4j
import pytest

from graph_api.api.auth import Claims, InvalidCredentials, issue_token, verify_token
from graph_api.settings import Settings
from graph_api.store.cypher_loader import load, queries
from graph_api.store.db import async_driver
from graph_api.store.run import read, run
from tests.conftest import _free_port


def test_read_gives_the_rows_a_managed_transaction_gives(neo4j_server_running: Settings):
    settings = neo4j_server_running

    async def both() -> tuple[object, object]:
        async with async_driver(settings) as d:
            managed = await run(d, queries.admin_ping, database_=settings.neo4j_database, bookmarks_=False)
            auto = await read(d, queries.admin_ping, database_=settings.neo4j_database, timeout_=5.0, retry_for_=1.0)
            return managed, auto

    managed, auto = asyncio.run(both())
    assert auto == managed == [{"ok": 1}]


def test_an_error_neo4j_will_repeat_is_raised_at_once_with_the_statement_named(neo4j_server_running, tmp_path):
    settings = neo4j_server_running
    (tmp_path / "bad.cypher").write_text("// name: needs_x\nRETURN $x + 1 AS y\n", encoding="utf-8")
    needs_x = load(tmp_path).needs_x

    async def missing_parameter() -> neo4j.exceptions.Neo4jError:
        async with async_driver(settings) as d:
            with pytest.raises(neo4j.exceptions.ClientError) as caught:
                await read(d, needs_x, database_=settings.neo4j_database, retry_for_=600.0)
            return caught.value

    err = asyncio.run(missing_parameter())  # retried, it would take the 600 s and then some
    assert not err.is_retryable()
    assert err.__notes__ == ["in Cypher statement needs_x at bad.cypher:2"]


def test_an_unreachable_database_is_retried_then_reported_unavailable():
    nowhere = Settings(neo4j_uri=f"bolt://127.0.0.1:{_free_port()}", neo4j_connection_timeout=1.0)

    async def unreachable() -> None:
        async with async_driver(nowhere) as d:
            with pytest.raises(neo4j.exceptions.ServiceUnavailable):
                await read(d, queries.admin_ping, database_=nowhere.neo4j_database, retry_for_=0.5)

    asyncio.run(unreachable())


def test_a_cached_token_is_served_only_to_the_same_key_and_never_after_it_expires():
    settings = Settings()
    claims = Claims(user="lin", role="INVESTIGATOR")
    token = issue_token(settings, claims, dt.timedelta(seconds=2))
    assert verify_token(settings, token) == claims
    assert verify_token(settings, token) == claims  # from the cache
    other = settings.model_copy(update={"jwt_issuer": "someone-else"})
    with pytest.raises(InvalidCredentials, match="not valid"):
        verify_token(other, token)
    time.sleep(2.5)
    with pytest.raises(InvalidCredentials, match="expired"):
        verify_token(settings, token)
