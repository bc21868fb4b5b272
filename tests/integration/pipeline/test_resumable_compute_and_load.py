"""A first run cut off after each insight it computes, then during its load, converges to what one uninterrupted
run writes, without duplicates; so does a later run (timeline entries written) cut off during its load.

Each invocation starts later by the wall clock; the compute goes on from the insights already checkpointed, as
of the first invocation's time (never mixing two times), and the load skips what Dataverse already holds.
Dataverse's state is compared, table by table and value by value, with an organisation seeded the same and
synced once without interruption as of the same time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from connector.commands.demo import demo_settings
from connector.pipeline import service
from connector.pipeline.compute_checkpoint import MANIFEST, ComputeCheckpoint
from connector.pipeline.registry import REGISTRY
from connector.pipeline.run import RunOptions, RunSummary, run_sync
from connector.provision import provision
from emulator.server import Emulator
from tests.chaos.harness import differences, duplicates, read_state
from tests.integration.pipeline.seeded import started_emulator

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LOAD_KILLS = 3


class Killed(BaseException):
    """The host stopped the process."""


class KilledAfterBatches:
    """The real client, except that the process dies right after Dataverse answered its ``batches``-th ``$batch``
    (the writes are in Dataverse; the run has committed nothing about them)."""

    def __init__(self, inner: Any, batches: int | None) -> None:
        self._inner, self._left = inner, batches

    def submit_batch(self, *args: Any, **kwargs: Any) -> Any:
        outcomes = self._inner.submit_batch(*args, **kwargs)
        if self._left is not None:
            self._left -= 1
            if self._left <= 0:
                raise Killed("the host stopped the run during the load")
        return outcomes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class Kills:
    """The insights checkpointed, in order; while ``armed``, the process dies right after each checkpoint."""

    def __init__(self) -> None:
        self.saved: list[str] = []
        self.armed = True


@pytest.fixture
def kills(monkeypatch: pytest.MonkeyPatch) -> Iterator[Kills]:
    out = Kills()
    original = ComputeCheckpoint.save

    def save(self: ComputeCheckpoint, producer: str, *args: Any, **kwargs: Any) -> None:
        original(self, producer, *args, **kwargs)
        out.saved.append(producer)
        if out.armed:
            raise Killed(f"the host stopped the run after {producer}")

    monkeypatch.setattr(ComputeCheckpoint, "save", save)
    yield out


def _org(tmp_path: Path, name: str) -> Emulator:
    return started_emulator(tmp_path / f"{name}.db", seed=11, now=NOW)


def _assert_clean(summary: RunSummary) -> None:
    assert summary.status == "Succeeded" and not summary.errors and not summary.failed, summary.as_dict()


def test_a_first_run_killed_after_each_insight_and_in_its_load_converges(
        tmp_path: Path, kills: Kills) -> None:
    em, clean_em = _org(tmp_path, "org"), _org(tmp_path, "clean")
    try:
        settings = demo_settings(em.url, em.token, tmp_path / "state")
        svc = service.services(settings)
        provision(svc.dataverse)
        opts = RunOptions(page_size=2000, batch_size=20)
        producers = [p.name for p in REGISTRY.all()]
        invocations, load_kills, summary = 0, 0, None
        for _ in range(len(producers) + LOAD_KILLS + 2):
            # The wall clock moves on between invocations; the run must stay as of the first one's time.
            now = NOW + timedelta(minutes=7 * invocations)
            invocations += 1
            computing = len(kills.saved) < len(producers)
            client = KilledAfterBatches(svc.dataverse, None if computing or load_kills == LOAD_KILLS else 1)
            try:
                summary = run_sync(client, svc.state, now=now, graph=svc.graph, options=opts)
                break
            except Killed:
                if not computing:
                    load_kills += 1
        assert summary is not None, f"the run never converged ({kills.saved}, {load_kills} kills in the load)"
        _assert_clean(summary)
        # Each insight was computed once: every resumed invocation took the others from the checkpoint.
        assert sorted(kills.saved) == sorted(producers), kills.saved
        assert load_kills == LOAD_KILLS and invocations == len(producers) + LOAD_KILLS + 1
        assert summary.as_of == NOW
        assert any("interrupted run computed as of 2026-11-02T09:00:00+00:00" in n for n in summary.notes)
        assert svc.state.read(MANIFEST) is None, "the checkpoint outlived the run that committed"

        kills.armed = False
        clean_svc = service.services(demo_settings(clean_em.url, clean_em.token, tmp_path / "clean_state"))
        provision(clean_svc.dataverse)
        _assert_clean(run_sync(clean_svc.dataverse, clean_svc.state, now=NOW, graph=clean_svc.graph, options=opts))

        assert duplicates(tmp_path / "org.db") == {}
        resumed, clean = read_state(tmp_path / "org.db"), read_state(tmp_path / "clean.db")
        compared, problems = differences(clean, resumed, limit=20)
        assert not problems, problems
        assert compared > 500, f"only {compared} rows compared: the test proves nothing"
        assert clean["osi_insight"] or clean["osi_notesuggestion"], "nothing to compare: the test proves nothing"

        # Three weeks later health states move and timeline entries are created (upserted by their osi_key): that
        # run, killed twice in its load after Dataverse took a batch, reads back what it wrote and resumes.
        later, load_kills = NOW + timedelta(days=21), 0
        _assert_clean(run_sync(clean_svc.dataverse, clean_svc.state, now=later, graph=clean_svc.graph, options=opts))
        for n in range(LOAD_KILLS):
            try:
                run_sync(KilledAfterBatches(svc.dataverse, 1), svc.state, now=later + timedelta(minutes=7 * n),
                         graph=svc.graph, options=opts)
            except Killed:
                load_kills += 1
        summary = run_sync(svc.dataverse, svc.state, now=later + timedelta(hours=1), graph=svc.graph, options=opts)
        _assert_clean(summary)
        assert load_kills == LOAD_KILLS and summary.as_of == later
        assert duplicates(tmp_path / "org.db") == {}
        clean = read_state(tmp_path / "clean.db")
        assert clean["osi_insight"], "no timeline entry three weeks later: the test proves nothing"
        compared, problems = differences(clean, read_state(tmp_path / "org.db"), limit=20)
        assert not problems, problems
    finally:
        em.__exit__(None, None, None)
        clean_em.__exit__(None, None, None)
