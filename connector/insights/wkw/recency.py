"""Calendar days in the organisation's time zone: recency counts them, and steps happen at their start."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from connector.errors import InsightError


def _zone(timezone: str) -> str:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InsightError(f"who knows whom: unknown time zone {timezone!r}") from exc
    return timezone


def calendar_days(times: pd.Series, timezone: str) -> np.ndarray:
    """The local calendar day of each time, as whole days since 1970-01-01 (0 for a missing time).

    Raises:
        InsightError: ``timezone`` is not an IANA zone name.
    """
    stamps = pd.to_datetime(times, utc=True).dt.tz_convert(_zone(timezone)).dt.tz_localize(None)
    days = stamps.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    return np.where(stamps.isna().to_numpy(dtype=bool), 0, days)


def day_starts(days: np.ndarray, timezone: str) -> pd.DatetimeIndex:
    """The UTC instant each local calendar day begins (after a DST gap at midnight: the first valid time).

    Raises:
        InsightError: ``timezone`` is not an IANA zone name.
    """
    local = pd.DatetimeIndex(np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]"))
    # A midnight that occurs twice (clocks back at midnight) begins at its first occurrence.
    start = local.tz_localize(_zone(timezone), ambiguous=np.ones(len(local), dtype=bool), nonexistent="shift_forward")
    return start.tz_convert("UTC")
