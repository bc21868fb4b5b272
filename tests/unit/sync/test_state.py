"""Local state: atomic writes, a lease that refuses a second run, snapshots that survive a crash."""

from __future__ import annotations

import pandas as pd
import pytest

from connector.errors import RunInProgressError
from connector.sync.snapshot import Snapshot, load_snapshot, save_snapshot
from connector.sync.state import LocalStateStore


def test_read_write_delete(tmp_path) -> None:
    store = LocalStateStore(tmp_path)
    assert store.read("a/b.json") is None
    store.write("a/b.json", b"1")
    store.write("a/b.json", b"2")
    assert store.read("a/b.json") == b"2"
    store.delete("a/b.json")
    store.delete("a/b.json")
    assert store.read("a/b.json") is None


def test_names_cannot_escape_the_state_directory(tmp_path) -> None:
    with pytest.raises(ValueError, match="escapes"):
        LocalStateStore(tmp_path / "s").write("../x", b"")


def test_second_run_is_refused_while_the_first_holds_the_lease(tmp_path) -> None:
    store = LocalStateStore(tmp_path)
    with store.lease("sync"):
        with pytest.raises(RunInProgressError):
            with LocalStateStore(tmp_path).lease("sync"):
                pass
    with store.lease("sync"):
        pass


def test_snapshot_round_trip_and_a_crash_while_saving_keeps_the_previous_generation(tmp_path) -> None:
    store = LocalStateStore(tmp_path)
    snap = Snapshot({"contacts": pd.DataFrame({"contact_id": ["a"], "n": [1]})}, {"contacts": "link-1"})
    save_snapshot(store, snap)
    loaded = load_snapshot(store)
    assert loaded.checkpoints == {"contacts": "link-1"}
    assert loaded.frames["contacts"].to_dict("records") == [{"contact_id": "a", "n": 1}]

    class Crashing(LocalStateStore):
        def write(self, name: str, data: bytes) -> None:
            if name.endswith("manifest.json"):
                raise OSError("disk gone")
            super().write(name, data)

    loaded.frames["contacts"] = pd.DataFrame({"contact_id": ["b"], "n": [2]})
    loaded.checkpoints["contacts"] = "link-2"
    with pytest.raises(OSError):
        save_snapshot(Crashing(tmp_path), loaded)
    again = load_snapshot(store)
    assert again.checkpoints == {"contacts": "link-1"}
    assert list(again.frames["contacts"]["contact_id"]) == ["a"]


def test_an_unreadable_snapshot_means_a_full_read_not_a_crash(tmp_path) -> None:
    store = LocalStateStore(tmp_path)
    store.write("snapshot/manifest.json", b"{not json")
    assert load_snapshot(store).frames == {}
