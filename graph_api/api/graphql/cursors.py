"""Keyset cursors: an item's cursor carries its sort key (the ORDER BY values and a unique tiebreaker), so
the next page starts strictly after that key and items inserted before it neither shift nor repeat the
page. Opaque to clients: base64 of `k1:` and JSON naming the list, its order and the key."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from collections.abc import Sequence
from typing import Any

import neo4j.time

from graph_api.errors import BadUserInput

VERSION = "k1"
# Beyond every key a statement builds (the longest is four values); a longer one was made up by a client.
MAX_KEY = 8
MAX_TEXT = 1_000
# Longer than any cursor this API makes (a key of a few dates and ids): larger was made up by a client.
MAX_CURSOR = 4_096
_INT64 = 2**63
_OLDER = "after is a cursor from an older version; restart from the first page"
_FOREIGN = "after is not a cursor returned by this API"


def _value_out(v: object) -> object:
    # A date is the one key value JSON has no type for; a datetime is keyed by its epoch second and
    # nanosecond in Cypher, so none reaches here.
    if isinstance(v, neo4j.time.Date | dt.date):
        return {"date": v.iso_format() if isinstance(v, neo4j.time.Date) else v.isoformat()}
    return v


def _value_in(v: object) -> object:
    if v is None or (isinstance(v, bool | str) and len(str(v)) <= MAX_TEXT):
        return v
    if isinstance(v, int) and -_INT64 <= v < _INT64:
        return v
    if isinstance(v, float) and math.isfinite(v):
        return v
    if isinstance(v, dict) and set(v) == {"date"} and isinstance(v["date"], str):
        try:
            return dt.date.fromisoformat(v["date"])
        except ValueError:
            pass
    raise BadUserInput(_FOREIGN, field="after")


def encode(kind: str, order: str, key: Sequence[object]) -> str:
    body = json.dumps({"s": kind, "o": order, "k": [_value_out(v) for v in key]}, ensure_ascii=False)
    return base64.b64encode(f"{VERSION}:{body}".encode()).decode()


def decode(cursor: str | None, kind: str, order: str) -> list[Any] | None:
    """The key a page starts after (None: the first page), from a cursor of list `kind` in `order`."""
    if cursor is None:
        return None
    if len(cursor) > MAX_CURSOR:
        raise BadUserInput(_FOREIGN, field="after")
    try:
        text = base64.b64decode(cursor, validate=True).decode()
    except (binascii.Error, ValueError):
        raise BadUserInput(_FOREIGN, field="after") from None
    version, _, body = text.partition(":")
    if version == "offset":
        raise BadUserInput(_OLDER, field="after")
    try:
        data = json.loads(body) if version == VERSION else None
    except (ValueError, RecursionError):  # RecursionError: nesting beyond the parser's depth
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("k"), list) or not 1 <= len(data["k"]) <= MAX_KEY:
        raise BadUserInput(_FOREIGN, field="after")
    if data.get("s") != kind:
        raise BadUserInput("after is a cursor of another list", field="after")
    if data.get("o") != order:
        raise BadUserInput("after is a cursor made under another order: restart from the first page", field="after")
    return [_value_in(v) for v in data["k"]]
