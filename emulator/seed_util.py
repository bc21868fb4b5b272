"""Vectorised helpers of the demo generator: seeded ids, epoch-second times, ISO strings, business hours.

Times inside the generator are ``int64`` epoch seconds (UTC) in numpy arrays; they become Web API strings
(``YYYY-MM-DDTHH:MM:SSZ``) only when rows are built. ``-1`` stands for "no value" in a time array.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

DAY = 86_400
HOUR = 3_600
NONE_T = -1
"""Marker for a missing time in an epoch-seconds array."""


def guids(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` random (version 4) GUID strings drawn from ``rng`` (so they repeat for a seed)."""
    if n <= 0:
        return []
    b = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    b[:, 6] = (b[:, 6] & 0x0F) | 0x40
    b[:, 8] = (b[:, 8] & 0x3F) | 0x80
    h = b.tobytes().hex()
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-{h[i + 12:i + 16]}-{h[i + 16:i + 20]}-{h[i + 20:i + 32]}"
            for i in range(0, 32 * n, 32)]


def tokens(rng: np.random.Generator, n: int, nbytes: int, prefix: str = "") -> list[str]:
    """``n`` opaque URL-safe base64 tokens of ``nbytes`` random bytes (Graph ids, conversation ids)."""
    if n <= 0:
        return []
    raw = rng.integers(0, 256, size=(n, nbytes), dtype=np.uint8).tobytes()
    return [prefix + base64.urlsafe_b64encode(raw[i:i + nbytes]).decode().rstrip("=")
            for i in range(0, n * nbytes, nbytes)]


def hexes(rng: np.random.Generator, n: int, nbytes: int) -> list[str]:
    """``n`` random lowercase hex strings of ``nbytes`` bytes (Message-ID local parts)."""
    if n <= 0:
        return []
    h = rng.integers(0, 256, size=(n, nbytes), dtype=np.uint8).tobytes().hex()
    w = 2 * nbytes
    return [h[i:i + w] for i in range(0, n * w, w)]


def epoch(dt: datetime) -> int:
    """Whole epoch seconds of an aware datetime (naive means UTC)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())


def iso_list(ts: np.ndarray | Sequence[int]) -> list[str | None]:
    """Web API datetime strings for epoch seconds; ``None`` where the value is :data:`NONE_T`."""
    arr = np.asarray(ts, dtype=np.int64)
    if arr.size == 0:
        return []
    text = np.datetime_as_string(arr.astype("datetime64[s]"), unit="s").tolist()
    missing = (arr == NONE_T).tolist()
    return [None if m else s + "Z" for s, m in zip(text, missing, strict=True)]


def iso(ts: int) -> str:
    """One epoch-seconds value as a Web API datetime string."""
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def date_list(ts: np.ndarray) -> list[str | None]:
    """Date-only strings (``YYYY-MM-DD``, UTC) for epoch seconds; ``None`` for :data:`NONE_T`."""
    arr = np.asarray(ts, dtype=np.int64)
    if arr.size == 0:
        return []
    text = np.datetime_as_string(arr.astype("datetime64[s]").astype("datetime64[D]"), unit="D").tolist()
    return [None if t == NONE_T else s for s, t in zip(text, arr.tolist(), strict=True)]


def business_time(rng: np.random.Generator, ts: np.ndarray, utc_offset_h: np.ndarray,
                  start_h: float = 8.0, end_h: float = 18.5) -> np.ndarray:
    """Move each time to a working day and a working hour in its owner's local time.

    The day of ``ts`` (local) is kept unless it falls on a weekend, which moves to the Friday before or
    the Monday after; the time of day is drawn in ``[start_h, end_h)`` local. ``utc_offset_h`` is each
    owner's standard offset (daylight saving is ignored: a demo does not need minute-exact office hours).
    """
    ts = np.asarray(ts, dtype=np.int64)
    off = (np.asarray(utc_offset_h, dtype=np.float64) * HOUR).astype(np.int64)
    local_day = (ts + off) // DAY
    weekday = (local_day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    local_day = np.where(weekday == 5, local_day - 1, local_day)
    local_day = np.where(weekday == 6, local_day + 1, local_day)
    hours = rng.uniform(start_h, end_h, size=ts.shape)
    # Round to 5 minutes: people book and log activities on round times.
    secs = (np.round(hours * 12) * 300).astype(np.int64)
    return local_day * DAY + secs - off


def choice_idx(rng: np.random.Generator, weights: Sequence[float], n: int) -> np.ndarray:
    """``n`` indices drawn with the given (unnormalised) weights."""
    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(p), size=n, p=p / p.sum())


def lookup(record_id: str | None, logicalname: str) -> dict[str, Any] | None:
    """A lookup value in the hand-over format, or ``None``."""
    return None if record_id is None else {"id": record_id, "logicalname": logicalname}


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function."""
    return 1.0 / (1.0 + np.exp(-x))


_DAYS: dict[int, str] = {}


def fast_iso(ts: int) -> str:
    """:func:`iso` for the hot loops: the date part is cached per day."""
    d, r = divmod(int(ts), DAY)
    day = _DAYS.get(d)
    if day is None:
        day = _DAYS[d] = datetime.fromtimestamp(d * DAY, UTC).strftime("%Y-%m-%d")
    return f"{day}T{r // 3600:02d}:{r % 3600 // 60:02d}:{r % 60:02d}Z"


_V4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_V4_SET = (0x4000 << 64) | (0x8000 << 48)


def rnd_guid(rnd: Any) -> str:
    """A version-4 GUID string from a :class:`random.Random` (faster than :mod:`uuid` in the hot loops)."""
    h = f"{(rnd.getrandbits(128) & _V4_CLEAR) | _V4_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def pick(rnd: Any, seq: Sequence[Any]) -> Any:
    """One element of ``seq`` (``random.choice`` without its overhead)."""
    return seq[int(rnd.random() * len(seq))]
