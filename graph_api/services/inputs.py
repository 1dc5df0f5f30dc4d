"""Checks of a request's codes against the domain's vocabulary. GraphQL enums already hold them to
it; a CLI or a job calling a service gets the same clear BAD_USER_INPUT instead of a failure deep in
the work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from graph_api.domain.clock import today
from graph_api.errors import BadUserInput


def one_of(value: str | None, allowed: Collection[str], field: str) -> None:
    """BAD_USER_INPUT naming `field` unless `value` is None or one of `allowed`."""
    if value is not None and value not in allowed:
        raise BadUserInput(f"{field} {value!r} is not one of {', '.join(sorted(allowed))}", field=field)


def day_done(value: dt.date | None, field: str) -> dt.date:
    """The day something was done (default today): a report of what happened cannot be dated in the future."""
    day = value or today()
    if day > today():
        raise BadUserInput(f"{field} {day} is in the future", field=field)
    return day
