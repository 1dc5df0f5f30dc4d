"""Days and moments of a row's map as Python values. A map's values are untyped (rows.py `Map`) and come
either from Neo4j (`neo4j.time.Date`, `DateTime`) or from a service (already `datetime.date`); a GraphQL
field that is never null takes `day`, which refuses a missing value here rather than a null in the answer."""

from __future__ import annotations

import datetime as dt
from typing import Any


def day_or_none(value: Any) -> dt.date | None:
    if value is None:
        return None
    native = value.to_native() if hasattr(value, "to_native") else value
    if not isinstance(native, dt.date):
        raise TypeError(f"expected a date, got {type(value).__name__}")
    return native


def day(value: Any) -> dt.date:
    native = day_or_none(value)
    if native is None:
        raise TypeError("expected a date, got nothing: the statement must return one")
    return native


def moment(value: Any) -> dt.datetime:
    native = value.to_native() if hasattr(value, "to_native") else value
    if not isinstance(native, dt.datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    return native
