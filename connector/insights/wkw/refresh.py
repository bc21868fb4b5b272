"""Reuse the saved pair aggregates between runs, so a run without new interactions reads none.

A pair's aggregates (:func:`~.strength.pair_aggregates`) change only when its interactions change or when
one of them dated after the last computation comes due (``upcoming``). So a run may keep the aggregates
it saved last time when nothing that feeds them changed (activities, their parties, Graph mail, our
users, the excluded users) and no pair's ``upcoming`` has passed; :func:`~.strength.strengths_at` then
turns them into strengths as of the new time, identical to a computation from all interactions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pandas as pd

from connector.insights.wkw.aggregates import AGGREGATE_COLUMNS


def aggregates_still_valid(saved: pd.DataFrame | None, *, now: datetime) -> bool:
    """Whether aggregates saved earlier hold for ``now`` given no change in their inputs.

    False when there are none, they lack a column (saved by another version), or an interaction dated
    after their computation has come due by ``now``.
    """
    if saved is None or any(c not in saved.columns for c in AGGREGATE_COLUMNS):
        return False
    due = pd.to_datetime(saved["upcoming"], utc=True).min()
    return bool(pd.isna(due) or due > pd.Timestamp(now))


def refresh_aggregates(
    saved: pd.DataFrame | None,
    *,
    now: datetime,
    inputs_changed: bool,
    compute: Callable[[], pd.DataFrame],
) -> tuple[pd.DataFrame, bool]:
    """The pair aggregates for ``now``: the saved ones when still valid, else ``compute()`` (all interactions).

    Args:
        saved: the aggregates saved by the last committed run (``None`` the first time).
        now: the run's time.
        inputs_changed: activities, parties, mail or users changed, or the settings (excluded users) did.
        compute: computes the aggregates from every interaction as of ``now``.

    Returns:
        ``(aggregates, recomputed)``.
    """
    if saved is not None and not inputs_changed and aggregates_still_valid(saved, now=now):
        return saved.reset_index(drop=True), False
    return compute(), True
