"""Custom scalars: identifiers and dates that validate themselves on the way in."""

from __future__ import annotations

import dataclasses
import datetime as dt
from operator import methodcaller
from typing import NewType

import strawberry
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

from graph_api.domain.identifiers import validate_uscc

USCC = NewType("USCC", str)

# The dates the credit graph can mean: the rules count years and working days back and forth from a
# date, and Python's calendar ends at years 1 and 9999 — a date near either end would overflow there.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


def parse_date(value: object) -> dt.date:
    if not isinstance(value, str):
        raise StrawberryInputCoercionError(f'Value cannot represent a Date: "{value}". Expected a string.')
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as e:
        raise StrawberryInputCoercionError(f'Value cannot represent a Date: "{value}". {e}') from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise StrawberryInputCoercionError(
            f'Value cannot represent a Date: "{value}" is outside {EARLIEST_DATE} to {LATEST_DATE}.'
        )
    return day


SCALARS: dict[object, ScalarDefinition] = {
    USCC: strawberry.scalar(
        name="USCC",
        description="统一社会信用代码 (unified social credit code): 18 characters, GB 32100-2015 check character.",
        # The standard's page in the national standards public system (全国标准信息公共服务平台).
        specified_by_url="https://openstd.samr.gov.cn/bzgk/gb/std_list?p.p2=GB%2032100-2015",
        serialize=str,
        parse_value=validate_uscc,
    ),
    dt.date: strawberry.scalar(
        name="Date",
        description=f"A calendar day, RFC 3339 full-date (YYYY-MM-DD), from {EARLIEST_DATE} to {LATEST_DATE}.",
        specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
        serialize=methodcaller("isoformat"),  # as strawberry's own Date: dates and the driver's dates alike
        parse_value=parse_date,
    ),
    # strawberry's own DateTime, with the specification it follows named.
    dt.datetime: dataclasses.replace(
        DateTimeDefinition,
        description="An instant, RFC 3339 date-time with its offset (e.g. 2026-06-30T08:15:00+00:00).",
        specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    ),
}
