"""Today's date where the graph's dates live: validity dates are Chinese calendar dates, whatever the
server's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    return dt.datetime.now(CHINA).date()
