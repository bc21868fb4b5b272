"""Stored values over real time (issue #14): the clock alone changes nothing before ``valid_until``;
row order changes nothing; a subset of records computes exactly what the full run does for them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from connector import schema
from connector.insights.relationship import RelationshipResult, relationship_insights

from .builders import random_org

STORED = [c.logical_name for c in schema.RELATIONSHIP_COLUMNS if c.logical_name != "osi_insightscomputedon"]
MONDAY = pd.Timestamp("2026-11-02 12:00", tz="UTC")
"""A Monday noon: a whole week before the trend's reference moves and the month turns (data runs to NOW)."""


@pytest.fixture(scope="module")
def org_frames() -> dict[str, pd.DataFrame]:
    return random_org(3).frames()


@pytest.fixture(scope="module")
def first(org_frames: dict[str, pd.DataFrame]) -> RelationshipResult:
    return relationship_insights(org_frames, now=MONDAY)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a[STORED], b[STORED].reindex(a.index))


def test_an_hour_later_nothing_stored_changes(org_frames, first) -> None:
    later = relationship_insights(org_frames, now=MONDAY + pd.Timedelta(hours=1), models=first.models,
                                  previous=first.tables)
    for rtype, table in first.tables.items():
        _same(table, later.tables[rtype])


@pytest.mark.parametrize("hours", [5, 13, 30, 49, 75, 24 * 4 + 7, 24 * 5 + 23, 24 * 6 + 11])
def test_nothing_changes_before_valid_until(org_frames, first, hours: int) -> None:
    """Every record whose ``valid_until`` is still ahead keeps every stored value; the others may move.

    The data runs to three weeks after the first computation: completed activities dated after it come
    due at their time, which ``valid_until`` must foresee too.
    """
    at = MONDAY + pd.Timedelta(hours=hours)
    later = relationship_insights(org_frames, now=at, models=first.models, previous=first.tables)
    kept = 0
    for rtype, table in first.tables.items():
        until = first.valid_until[rtype]
        still = until.isna() | (until > at)
        kept += int(still.sum())
        _same(table[still.to_numpy()], later.tables[rtype])
    assert kept  # the test compares something at every step


def test_valid_until_is_a_midnight_or_an_activity(first) -> None:
    until = pd.concat(first.valid_until.values()).dropna()
    assert (until > MONDAY).all()
    assert (until.dt.tz_convert("UTC").dt.floor("D") == until).mean() > 0.9  # UTC is the settings' zone


def test_shuffled_rows_give_identical_output(org_frames, first) -> None:
    rng = np.random.default_rng(0)
    shuffled = {name: frame.sample(frac=1.0, random_state=int(rng.integers(1 << 30))).reset_index(drop=True)
                for name, frame in org_frames.items()}
    again = relationship_insights(shuffled, now=MONDAY)
    for rtype, table in first.tables.items():
        pd.testing.assert_frame_equal(table.sort_index(), again.tables[rtype].sort_index())
    assert {k: m.to_dict() for k, m in first.models.items()} == {k: m.to_dict() for k, m in again.models.items()}


def test_a_subset_computes_what_the_full_run_does(org_frames, first) -> None:
    only = {"contact": ["c1", "c5", "missing"], "opportunity": ["o2"], "account": ["a0"]}
    part = relationship_insights(org_frames, now=MONDAY, models=first.models, only=only)
    for rtype, ids in only.items():
        known = [i for i in ids if i in first.tables[rtype].index]
        assert list(part.tables[rtype].index) == known
        pd.testing.assert_frame_equal(part.tables[rtype], first.tables[rtype].loc[known])
        pd.testing.assert_series_equal(part.valid_until[rtype], first.valid_until[rtype].loc[known])
    assert part.tables["lead"].empty
