"""Calendar days of the organisation's time zone: the only clock relationship insights read.

Every time-dependent input of the stored relationship values is a whole number of local days (an
activity's age, a window, a band), so a stored value can only change at a local midnight, and a run an
hour later computes exactly the same values (see :mod:`.validity`). A day is an integer: days since
1970-01-01 in the zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

EPOCH = date(1970, 1, 1)


def local_days(times: pd.Series, tz: str) -> pd.Series:
    """The local calendar day (integer) of each UTC time; missing times stay missing (``Int64``)."""
    values = pd.to_datetime(times, utc=True)
    wall = values.dt.tz_localize(None) if tz == "UTC" else values.dt.tz_convert(tz).dt.tz_localize(None)
    ns = wall.to_numpy(dtype="datetime64[ns]").view(np.int64)
    missing = wall.isna().to_numpy()
    days = np.floor_divide(ns, 86_400_000_000_000)
    return pd.Series(pd.array(np.where(missing, 0, days), dtype="Int64").copy(), index=times.index).mask(missing)


def day_of(ts: pd.Timestamp, tz: str) -> int:
    """The local calendar day (integer) of one UTC time."""
    return int((ts.tz_convert(tz).date() - EPOCH).days)


def day_start(day: int, tz: str) -> pd.Timestamp:
    """The UTC instant at which local ``day`` begins (the local midnight; DST gaps resolved forwards)."""
    local = datetime.combine(EPOCH + timedelta(days=int(day)), time(0), tzinfo=ZoneInfo(tz))
    return pd.Timestamp(local).tz_convert("UTC")


def day_text(day: int) -> str:
    """ISO date of a day number (``YYYY-MM-DD``)."""
    return (EPOCH + timedelta(days=int(day))).isoformat()


def month_start(day: int, months_back: int = 0) -> int:
    """The first day of the calendar month ``months_back`` months before the month of ``day`` (−1: the next)."""
    d = EPOCH + timedelta(days=int(day))
    index = d.year * 12 + (d.month - 1) - months_back
    return (date(index // 12, index % 12 + 1, 1) - EPOCH).days


def week_start(day: int) -> int:
    """The Monday of the week of ``day`` (1970-01-01 was a Thursday)."""
    return int(day) - (int(day) + 3) % 7


