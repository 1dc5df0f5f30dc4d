"""Keyset cursors (graph_api/api/graphql/cursors.py) in-process: a cursor gives back the key it was made
from, with its types, and is refused for another list, another order, or when it is not one of ours."""

from __future__ import annotations

import base64
import datetime as dt

import neo4j.time
import pytest

from graph_api.api.graphql import cursors
from graph_api.errors import BadUserInput


def test_a_cursor_gives_back_its_key_with_its_types():
    key = [neo4j.time.Date(2024, 2, 29), "LEGAL_REPRESENTATIVE", None, 0.35, 17, "9137020061336684"]
    cursor = cursors.encode("entity_roles_page", "SINCE:DESC", key)
    assert cursors.decode(cursor, "entity_roles_page", "SINCE:DESC") == [
        dt.date(2024, 2, 29),
        "LEGAL_REPRESENTATIVE",
        None,
        0.35,
        17,
        "9137020061336684",
    ]
    assert cursors.decode(None, "entity_roles_page", "SINCE:DESC") is None


def test_a_cursor_is_opaque_and_versioned():
    cursor = cursors.encode("audit_page", "", [42])
    assert base64.b64decode(cursor).decode().startswith("k1:")


@pytest.mark.parametrize(
    ("kind", "order", "says"),
    [("entity_holders_page", "SINCE:DESC", "another list"), ("entity_roles_page", "SINCE:ASC", "another order")],
)
def test_a_cursor_of_another_list_or_order_is_refused(kind, order, says):
    cursor = cursors.encode("entity_roles_page", "SINCE:DESC", ["x"])
    with pytest.raises(BadUserInput, match=says):
        cursors.decode(cursor, kind, order)


def test_an_offset_cursor_asks_to_restart():
    with pytest.raises(BadUserInput, match="older version; restart from the first page"):
        cursors.decode(base64.b64encode(b"offset:20").decode(), "audit_page", "")
