"""A compute checkpoint is reused only by the same run on the same inputs, as of that run's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from connector.errors import RecordError
from connector.feature_settings import FeatureSettings
from connector.pipeline.compute import ComputeInputs, compute_insights
from connector.pipeline.compute_checkpoint import MANIFEST, ComputeCheckpoint
from connector.pipeline.contract import Changes, Frames, Output, Produced, Producer, RunContext
from connector.pipeline.registry import Registry
from connector.sync.snapshot import Pending
from connector.sync.staging import MemoryStore

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
LATER = NOW + timedelta(minutes=10)
C1, C2 = "00000000-0000-0000-0000-0000000000c1", "00000000-0000-0000-0000-0000000000c2"


def _frames(**changes: Any) -> dict[str, pd.DataFrame]:
    contacts = pd.DataFrame({"contact_id": [C1, C2], "fullname": ["Ann", "Bob"], "osi_healthscore": [None, None],
                             "modified_on": pd.to_datetime(["2026-02-01", "2026-02-02"], utc=True)})
    for column, values in changes.items():
        contacts[column] = values
    return {"contacts": contacts, "own_osi_insight": pd.DataFrame({"osi_key": ["a"]})}


def _pending() -> Pending:
    return Pending(changed={"notes": {"n1"}}, full={"contacts"})


def _open(store: MemoryStore, frames: dict[str, pd.DataFrame], *, key: str = "k", now: datetime = NOW,
          pending: Pending | None = None) -> ComputeCheckpoint:
    return ComputeCheckpoint.open(store, key=key, frames=frames, pending=pending or _pending(), now=now)


def _produced() -> Produced:
    return Produced(frames={"contact": pd.DataFrame({"contactid": [C1], "osi_healthscore": [70]})},
                    state={"scores": pd.DataFrame({"id": [C1], "score": [70.5]})}, notes=["n"], evaluated=1)


def test_a_resumed_run_gets_the_interrupted_runs_results_time_and_changes() -> None:
    store = MemoryStore()
    first = _open(store, _frames())
    assert not first.resumed and first.now == NOW
    first.save("health", _produced(), [RecordError("contact", C2, "fullname", "too long")])

    later = Pending(changed={"notes": {"n1", "n2"}}, full={"contacts"})
    resumed = _open(store, _frames(), now=LATER, pending=later)
    assert resumed.resumed and resumed.now == NOW
    assert resumed.pending.to_json() == _pending().to_json()
    assert resumed.left_pending.to_json() == {"full": [], "changed": {"notes": ["n2"]}, "deleted": {}}
    saved = resumed.saved("health")
    assert saved is not None and resumed.saved("scoring") is None
    produced, problems = saved
    pd.testing.assert_frame_equal(produced.frames["contact"], _produced().frames["contact"])
    pd.testing.assert_frame_equal(produced.state["scores"], _produced().state["scores"])
    assert (produced.notes, produced.evaluated) == (["n"], 1)
    assert [(e.table, e.record_id, e.field, e.problem) for e in problems] == [("contact", C2, "fullname", "too long")]


def test_what_our_own_load_wrote_is_not_new_input() -> None:
    store = MemoryStore()
    _open(store, _frames()).save("health", _produced(), [])
    written = _frames(osi_healthscore=[70, None],
                      modified_on=pd.to_datetime(["2026-03-01T12:05", "2026-02-02T00:00"], utc=True))
    written["own_osi_insight"] = pd.DataFrame({"osi_key": ["a", "b"]})
    resumed = _open(store, written, now=LATER)
    assert resumed.resumed and resumed.now == NOW
    assert resumed.left_pending.to_json() == {"full": [], "changed": {}, "deleted": {}}


@pytest.mark.parametrize("change", ["input", "key", "committed"])
def test_anything_else_discards_the_checkpoint_and_the_run_is_computed_as_of_now(change: str) -> None:
    store = MemoryStore()
    _open(store, _frames()).save("health", _produced(), [])
    frames, key, pending = _frames(), "k", _pending()
    if change == "input":
        frames = _frames(fullname=["Ann", "Robert"])
    elif change == "key":
        key = "other settings"
    else:
        pending = Pending(changed={"notes": {"n2"}})  # the changes the checkpoint was computed from are gone
    fresh = _open(store, frames, key=key, now=LATER, pending=pending)
    assert not fresh.resumed and fresh.now == LATER and fresh.saved("health") is None
    assert not [name for name in store.objects if name.startswith("compute/health/")]


def test_rows_in_another_order_are_the_same_input() -> None:
    store = MemoryStore()
    _open(store, _frames()).save("health", _produced(), [])
    reordered = {name: df.iloc[::-1].reset_index(drop=True) for name, df in _frames().items()}
    assert _open(store, reordered, now=LATER).resumed


def test_clear_leaves_nothing_behind() -> None:
    store = MemoryStore()
    checkpoint = _open(store, _frames())
    checkpoint.save("health", _produced(), [])
    checkpoint.clear()
    assert store.objects == {}
    assert store.read(MANIFEST) is None


def test_a_result_parquet_cannot_hold_is_computed_again_rather_than_lost() -> None:
    store = MemoryStore()
    checkpoint = _open(store, _frames())
    # Saved one object at a time: the good frame written before the one Parquet refuses is not left behind.
    odd = Produced(frames={"account": pd.DataFrame({"accountid": [C1], "osi_x": [1]}),
                           "contact": pd.DataFrame({"contactid": [C1, C2], "osi_x": [{"a": 1}, 3]})})
    checkpoint.save("odd", odd, [])
    assert checkpoint.saved("odd") is None
    assert _open(store, _frames(), now=LATER).saved("odd") is None
    assert not [name for name in store.objects if "/odd/" in name]


class _Toy(FeatureSettings):
    pass


def test_compute_runs_only_the_producers_without_a_saved_result() -> None:
    calls: list[str] = []

    def producer(name: str) -> Producer[Any]:
        def compute(frames: Frames, ctx: RunContext[_Toy]) -> Produced:
            calls.append(name)
            ctx.problems.append(RecordError("contact", C1, name, "odd"))
            return Produced(frames={"osi_talkingpoint": pd.DataFrame({"osi_key": [name], "osi_snippet": ["x"]})},
                            notes=[f"{name} ran as of {ctx.now.isoformat()}"])
        return Producer(name, name, _Toy, (Output("osi_talkingpoint"),), compute)

    registry = Registry((producer("first"), producer("second")))
    store = MemoryStore()
    checkpoint = _open(store, _frames())
    checkpoint.save("first", producer("first").compute({}, RunContext(now=NOW, settings=_Toy())), [
        RecordError("contact", C1, "first", "odd")])
    calls.clear()
    resumed = _open(store, _frames(), now=LATER)
    result = compute_insights({}, ComputeInputs(now=resumed.now, admin={}, changes=Changes()), registry, resumed)
    assert calls == ["second"]
    assert sorted(result.frames["osi_talkingpoint"]["osi_key"]) == ["first", "second"]
    assert [e.field for e in result.record_errors] == ["first", "second"]
    assert {"first", "second"} <= set(result.memory)
    assert {"first", "second"} <= set(_open(store, _frames(), now=LATER).producers)
