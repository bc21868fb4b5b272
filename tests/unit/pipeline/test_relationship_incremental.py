"""The relationship producer recomputes only what changed or came due, and gives what a full run gives."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from connector.pipeline.contract import Changes, Produced, RunContext
from connector.pipeline.producers import relationship
from connector.record_types import RECORD_TYPES
from tests.unit.relationship.builders import NOW, random_org

SETTINGS = relationship.PRODUCER.settings()
HOUR, DAY = pd.Timedelta(hours=1), pd.Timedelta(days=1)


def _run(frames: dict[str, pd.DataFrame], now: pd.Timestamp, before: Produced | None = None,
         changes: Changes | None = None) -> Produced:
    ctx: RunContext[Any] = RunContext(now=now.to_pydatetime(), settings=SETTINGS, changes=changes or Changes(),
                                      state=before.state if before else {}, recompute_all=before is None)
    return relationship.PRODUCER.compute(frames, ctx)


def _same(incremental: Produced, full: Produced) -> None:
    """Every value equal, but the "computed on" stamp (a reused row keeps the time it was computed)."""
    stamps = list(relationship.PRODUCER.outputs[0].stamp_columns)
    for table, rt in RECORD_TYPES.items():
        got = incremental.frames[table].drop(columns=stamps).sort_values(rt.primary_id).reset_index(drop=True)
        want = full.frames[table].drop(columns=stamps).sort_values(rt.primary_id).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=table)


@pytest.fixture(scope="module")
def org() -> Any:
    return random_org(11, contacts=24)


def test_nothing_changed_and_nothing_due_computes_nothing(org: Any) -> None:
    frames = org.frames()
    first = _run(frames, NOW)
    assert first.evaluated == sum(len(first.frames[t]) for t in RECORD_TYPES)
    held = first.state[relationship.TABLES]
    due = held["valid_until"].dropna()
    assert not due.empty and (due > pd.Timestamp(NOW)).all()  # every stored value holds for a while
    # Just before the earliest record comes due: nothing to compute, the values are the last run's.
    quiet = _run(frames, min(due) - pd.Timedelta(seconds=1), first)
    assert quiet.evaluated == 0
    _same(quiet, first)


def test_records_that_came_due_are_recomputed_alone_and_match_a_full_run(org: Any) -> None:
    frames = org.frames()
    first = _run(frames, NOW)
    later = NOW + DAY + HOUR
    incremental = _run(frames, later, first)
    held = first.state[relationship.TABLES]
    due = int((held["valid_until"] <= later).sum())
    assert 0 < incremental.evaluated == due < len(held)
    _same(incremental, _run(frames, later))


def test_a_new_activity_recomputes_its_records_and_matches_a_full_run(org: Any) -> None:
    first = _run(org.frames(), NOW)
    org.email("new-mail", str((NOW + HOUR).tz_localize(None)), "c3", ["u1"])
    frames = org.frames()
    later = NOW + 2 * HOUR
    changes = Changes(changed={"activities": frozenset({"new-mail"}), "parties": frozenset({"new-mail"})})
    incremental = _run(frames, later, first, changes)
    assert 0 < incremental.evaluated < len(first.state[relationship.TABLES])
    _same(incremental, _run(frames, later))


def test_a_deleted_record_or_a_new_month_recomputes_everything(org: Any) -> None:
    frames = org.frames()
    first = _run(frames, NOW)
    total = len(first.state[relationship.TABLES])
    deleted = _run(frames, NOW + HOUR, first, Changes(deleted={"contacts": frozenset({"gone"})}))
    assert deleted.evaluated == total
    next_month = pd.Timestamp("2026-12-01 00:30", tz="UTC")
    assert _run(frames, next_month, first).evaluated == total


def test_a_deleted_activity_recomputes_the_records_it_counted_for_and_matches_a_full_run() -> None:
    org = random_org(5, contacts=24)
    first = _run(org.frames(), NOW)
    links = first.state[relationship.LINKS]
    gone = str(links["activity_id"].iloc[0])
    counted = links[links["activity_id"] == gone]
    org.activities = [a for a in org.activities if a["activity_id"] != gone]
    org.parties = [p for p in org.parties if p["activity_id"] != gone]
    frames = org.frames()
    later = NOW + HOUR
    incremental = _run(frames, later, first, Changes(deleted={"activities": frozenset({gone})}))
    assert len(counted) <= incremental.evaluated < len(first.state[relationship.TABLES])
    _same(incremental, _run(frames, later))
