"""Free memory is handed back between the run's phases and after each insight, without changing a result."""

from __future__ import annotations

import platform

import pytest

from connector import memory as release
from connector.pipeline.run import _Releasing


def test_free_memory_is_released_through_arrow_and_glibc(monkeypatch) -> None:
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        pytest.skip("malloc_trim is glibc's (this C library has none)")
    assert release._malloc_trim() is not None
    calls = []
    monkeypatch.setattr(release, "_malloc_trim", lambda: lambda pad: calls.append(pad) or 1)
    release.release_free_memory()
    assert calls == [0]


def test_each_saved_result_is_followed_by_a_release(monkeypatch) -> None:
    released, saved = [], []

    class Checkpoint:
        def saved(self, producer):
            return None

        def save(self, producer, produced, problems):
            saved.append(producer)
            assert len(released) == len(saved) - 1  # released after the save, not before

    monkeypatch.setattr("connector.pipeline.run.release_free_memory", lambda: released.append(1))
    wrapper = _Releasing(Checkpoint())
    assert wrapper.saved("notes") is None
    wrapper.save("notes", object(), [])
    wrapper.save("relationship", object(), [])
    assert saved == ["notes", "relationship"] and len(released) == 2
