"""Reading streams at once a page ahead, adaptive to throttling; staging pages so a cut-off read resumes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pandas as pd
import pytest

from connector.errors import RecordError, ThrottledError
from connector.sync.reader import AdaptiveLimit, read_streams
from connector.sync.staging import MemoryStore, Staging


def _pages(name: str, n: int, fail_at: dict[str, list[int]]):
    def walk(link: str | None) -> Iterator[tuple[int, str | None]]:
        for i in range(int(link or 0), n):
            if i in fail_at.get(name, []):
                fail_at[name].remove(i)
                raise ThrottledError("throttled", status_code=429, retry_after=7)
            yield i, str(i + 1) if i + 1 < n else None
    return walk


def test_every_page_of_every_stream_arrives_once_in_order_and_throttling_halves_the_streams_read_at_once() -> None:
    waits: list[float] = []
    limit = AdaptiveLimit(4, sleep=waits.append)
    fail_at = {"b": [3], "c": [0, 5]}
    got: dict[str, list[int]] = defaultdict(list)
    ended = []
    walks = [(name, _pages(name, 8, fail_at), None) for name in "abcd"]
    for stream, page in read_streams(walks, next_link=lambda p: p[1], workers=4, limit=limit):
        if page is None:
            ended.append(stream)
        else:
            got[stream].append(page[0])
    # A throttled stream goes on from the page that failed: nothing lost, nothing twice.
    assert {s: pages for s, pages in got.items()} == {s: list(range(8)) for s in "abcd"}
    assert sorted(ended) == list("abcd")
    assert limit.throttled == 3 and waits == [7, 7, 7]
    assert limit.limit < 4


def test_a_failing_stream_stops_the_read_with_its_error() -> None:
    def broken(link: str | None) -> Iterator[tuple[int, None]]:
        yield 0, None
        raise KeyboardInterrupt("killed")

    with pytest.raises(KeyboardInterrupt):
        for _ in read_streams([("x", broken, None), ("y", _pages("y", 50, {}), None)], next_link=lambda p: p[1]):
            pass


def _frame(*ids: str) -> pd.DataFrame:
    return pd.DataFrame({"contact_id": list(ids)})


def test_staged_pages_survive_the_process_and_resume_from_the_last_link() -> None:
    store = MemoryStore()
    first = Staging(store, generation=3, flush_rows=1)
    first.stage("contacts", _frame("a", "b"), deleted=[], next_link="L2", delta_link=None,
                errors=[RecordError("contact", "b", "modifiedon", "not a valid date-time")], full=True)
    again = Staging(store, generation=3, flush_rows=1)
    assert again.resumed
    state = again.stream("contacts")
    assert (state.link, state.pages, state.done, state.full) == ("L2", 1, False, True)
    again.stage("contacts", _frame("c"), deleted=["z"], next_link=None, delta_link="D", errors=[], full=True)
    assert list(again.frame("contacts")["contact_id"]) == ["a", "b", "c"]
    assert again.stream("contacts").done and again.stream("contacts").delta_link == "D"
    assert [e.record_id for e in again.errors("contacts")] == ["b"]
    again.clear()
    assert store.objects == {}


def test_staging_of_another_snapshot_generation_is_discarded_with_its_pages() -> None:
    store = MemoryStore()
    Staging(store, generation=1, flush_rows=1).stage("contacts", _frame("a"), deleted=[], next_link="L",
                                                     delta_link=None, errors=[], full=True)
    later = Staging(store, generation=2)
    assert not later.resumed and later.frame("contacts") is None
    assert store.objects == {}


def test_a_restart_forgets_the_staged_pages() -> None:
    store = MemoryStore()
    staging = Staging(store, generation=0, flush_rows=1)
    staging.stage("tasks", _frame("a"), deleted=["x"], next_link="L", delta_link=None, errors=[], full=False)
    staging.restart("tasks", full=True)
    state = staging.stream("tasks")
    assert (state.pages, state.full, state.started, state.deleted) == (0, True, True, [])
    assert staging.frame("tasks") is None


def test_pages_are_written_together_once_enough_rows_are_kept() -> None:
    store = MemoryStore()
    staging = Staging(store, generation=0, flush_rows=3)
    staging.stage("contacts", _frame("a", "b"), deleted=[], next_link="L2", delta_link=None, errors=[], full=True)
    assert store.objects == {} and not Staging(store, generation=0).resumed  # a run cut off here reads it again
    staging.stage("contacts", _frame("c"), deleted=[], next_link="L3", delta_link=None, errors=[], full=True)
    assert sorted(store.objects) == ["staging/contacts/0.parquet", "staging/progress.json"]
    assert Staging(store, generation=0).stream("contacts").link == "L3"
    staging.stage("contacts", _frame("d"), deleted=[], next_link=None, delta_link="D", errors=[], full=True)
    assert list(staging.frame("contacts")["contact_id"]) == ["a", "b", "c", "d"]
    # Another process reads the same rows from the store.
    assert list(Staging(store, generation=0).frame("contacts")["contact_id"]) == ["a", "b", "c", "d"]
