"""Per-pair running aggregates: what a pair's strength needs, with nothing that moves with the clock.

Exponential decay factors: ``Σ wᵢ·2^(−(now − tᵢ)/h) = 2^(−(now − t_last)/h) · Σ wᵢ·2^(−(t_last − tᵢ)/h)``.
So a pair is summed up once, as of its own last interaction (``out``, ``inn``, ``meet``: e-mail weight
each way and meeting/call weight, decayed to ``last``), and its strength at any later time needs only
these sums and how long ago ``last`` was (:func:`~.strength.strengths_at`). The aggregates change only
when the pair's interactions change (or an interaction dated in the future comes due: ``upcoming``).

A new interaction after ``last`` updates the sums without the history: ``sum·2^(−(t − last)/h) + w``.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from connector.insights.wkw.edges import CHANNEL_CODES, Edges
from connector.insights.wkw.messages import run_starts

NS_PER_DAY = 86_400 * 10**9
AGGREGATE_COLUMNS = ("internal", "external", "out", "inn", "meet", "emails_sent", "emails_received",
                     "meeting_count", "call_count", "replies", "first_interaction", "last_interaction",
                     "last_channel", "upcoming")
"""``out``/``inn``/``meet`` are decayed to ``last_interaction``; ``upcoming`` is the pair's next interaction
dated after the computation time (``NaT`` when none): from then on the aggregates are out of date."""

_CHANNEL_NAMES = np.array(sorted(CHANNEL_CODES, key=CHANNEL_CODES.__getitem__), dtype=object)


def _segments(keys: np.ndarray) -> np.ndarray:
    """Start of each run of equal keys in a sorted array."""
    return np.flatnonzero(run_starts(keys))


def _past(e: Edges, take: np.ndarray, half_life_days: float) -> pd.DataFrame:
    """The aggregates of the edges at positions ``take`` (sorted by pair, then message order)."""
    if not len(take):
        return pd.DataFrame({"key": np.zeros(0, dtype=np.int64), "internal_code": np.zeros(0, dtype=np.int64),
                             "external_code": np.zeros(0, dtype=np.int64)})
    key = e.internal[take].astype(np.int64) * (len(e.addresses) + 1) + e.external[take]
    starts = _segments(key)
    ends = np.append(starts[1:], len(take)) - 1
    stamp = e.timestamp[take]
    last = np.maximum.reduceat(stamp, starts)
    age_days = (np.repeat(last, np.diff(np.append(starts, len(take)))) - stamp) / NS_PER_DAY
    decayed = e.weight[take] * np.exp2(-age_days / half_life_days)
    email = e.channel[take] == CHANNEL_CODES["email"]
    outgoing = e.outgoing[take]

    def total(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts)

    return pd.DataFrame({
        "key": key[starts], "internal_code": e.internal[take][starts], "external_code": e.external[take][starts],
        "out": total(np.where(email & outgoing, decayed, 0.0)), "inn": total(np.where(email & ~outgoing, decayed, 0.0)),
        "meet": total(np.where(email, 0.0, decayed)),
        "emails_sent": total((email & outgoing).astype(np.int64)),
        "emails_received": total((email & ~outgoing).astype(np.int64)),
        "meeting_count": total((e.channel[take] == CHANNEL_CODES["meeting"]).astype(np.int64)),
        "call_count": total((e.channel[take] == CHANNEL_CODES["call"]).astype(np.int64)),
        "replies": total(e.is_reply[take].astype(np.int64)),
        "first_interaction": np.minimum.reduceat(stamp, starts), "last_interaction": last,
        "last_channel": _CHANNEL_NAMES[e.channel[take][ends]],
    })


def _upcoming(e: Edges, take: np.ndarray) -> pd.DataFrame:
    if not len(take):
        return pd.DataFrame({"key": np.zeros(0, dtype=np.int64), "internal_code": np.zeros(0, dtype=np.int64),
                             "external_code": np.zeros(0, dtype=np.int64)})
    key = e.internal[take].astype(np.int64) * (len(e.addresses) + 1) + e.external[take]
    starts = _segments(key)
    return pd.DataFrame({"key": key[starts], "internal_code": e.internal[take][starts],
                         "external_code": e.external[take][starts],
                         "upcoming": np.minimum.reduceat(e.timestamp[take], starts)})


def aggregate_edges(e: Edges, *, now_ns: int, half_life_days: float,
                    people: Collection[str] | None = None) -> pd.DataFrame:
    """Pair aggregates (:data:`AGGREGATE_COLUMNS`) from edges, sorted by (internal, external).

    Edges dated after ``now_ns`` only set ``upcoming``. Sums run over each pair's edges in message
    order, so the same edges always give the same floats, whatever else is in ``e``. With ``people``
    (lower-case addresses), only the pairs with one of them on either side.
    """
    key = e.internal.astype(np.int64) * (len(e.addresses) + 1) + e.external
    order = np.lexsort((e.message, key))
    if people is not None:
        chosen = np.fromiter((a in people for a in e.addresses), dtype=bool, count=len(e.addresses))
        order = order[chosen[e.internal[order]] | chosen[e.external[order]]]
    future = e.timestamp[order] > now_ns
    past = _past(e, order[~future], half_life_days)
    ahead = _upcoming(e, order[future])
    merged = past.merge(ahead, on=["key", "internal_code", "external_code"], how="outer", sort=False)
    merged["internal"] = e.addresses[merged["internal_code"].to_numpy(dtype=np.int64)]
    merged["external"] = e.addresses[merged["external_code"].to_numpy(dtype=np.int64)]
    return _typed(merged)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"internal": frame["internal"].astype("string"), "external": frame["external"].astype("string")})
    for column in ("out", "inn", "meet"):
        out[column] = frame[column].fillna(0.0).to_numpy(dtype=float) if column in frame else 0.0
    for column in ("emails_sent", "emails_received", "meeting_count", "call_count", "replies"):
        out[column] = frame[column].fillna(0).to_numpy(dtype=np.int64) if column in frame else 0
    for column in ("first_interaction", "last_interaction", "upcoming"):
        values = frame[column] if column in frame else pd.Series(pd.NA, index=frame.index)
        out[column] = pd.to_datetime(values.astype("Int64"), unit="ns", utc=True)
    out["last_channel"] = frame["last_channel"].astype("string") if "last_channel" in frame else pd.NA
    return out.sort_values(["internal", "external"], kind="stable").reset_index(drop=True)
