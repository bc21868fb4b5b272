"""``OSI_PARTITION_RECORDS`` (issue #21): an organisation synced with relationship analytics computed a part of the
records at a time holds exactly what one synced with every record at once holds — every ``osi_`` column of every
record and every row of our tables, timeline entries included — on a first run and on a run three weeks later
that moves health states."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from connector.insights.relationship import compute as relationship_compute
from connector.pipeline import service
from connector.pipeline.run import RunSummary, run_sync
from connector.provision import provision
from connector.settings import Settings
from emulator.server import Emulator
from tests.chaos.harness import differences, read_state
from tests.integration.pipeline.seeded import started_emulator

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PART = 37
"""Records per part: an odd size, so parts cut across record types and accounts."""


@pytest.fixture
def part_sizes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many parts each relationship computation was split into."""
    seen: list[int] = []
    original = relationship_compute.partitions

    def spy(records: pd.DataFrame, size: int) -> list[pd.DataFrame]:
        parts = original(records, size)
        seen.append(len(parts))
        return parts

    monkeypatch.setattr(relationship_compute, "partitions", spy)
    yield seen


def _org(tmp_path: Path, name: str) -> Emulator:
    return started_emulator(tmp_path / f"{name}.db", seed=11, now=NOW)


def _sync(em: Emulator, state: Path, now: datetime, env: dict[str, str]) -> RunSummary:
    """One run configured as the function app is, by its app settings."""
    settings = Settings.from_env({"OSI_DATAVERSE_URL": em.url, "OSI_STATIC_TOKEN": em.token,
                                  "OSI_GRAPH_ENABLED": "true", "OSI_GRAPH_URL": em.url, "OSI_STATE_DIR": str(state),
                                  "OSI_PAGE_SIZE": "2000", "OSI_BATCH_SIZE": "50", **env})
    svc = service.services(settings)
    provision(svc.dataverse)
    summary = run_sync(svc.dataverse, svc.state, now=now, graph=svc.graph,
                       options=service.run_options(settings, trigger="cli"))
    assert summary.status == "Succeeded" and not summary.errors and not summary.failed, summary.as_dict()
    return summary


def test_parts_of_the_records_write_what_all_at_once_writes(tmp_path: Path, part_sizes: list[int]) -> None:
    whole_em, parts_em = _org(tmp_path, "whole"), _org(tmp_path, "parts")
    try:
        for now in (NOW, NOW + timedelta(days=21)):
            _sync(whole_em, tmp_path / "whole_state", now, {})
            assert part_sizes and set(part_sizes) == {1}, part_sizes
            part_sizes.clear()
            _sync(parts_em, tmp_path / "parts_state", now, {"OSI_PARTITION_RECORDS": str(PART)})
            assert part_sizes and max(part_sizes) > 3, f"the records were not split into parts: {part_sizes}"
            part_sizes.clear()
            whole, parts = read_state(tmp_path / "whole.db"), read_state(tmp_path / "parts.db")
            compared, problems = differences(whole, parts, limit=20)
            assert not problems, problems
            assert compared > 500, f"only {compared} rows compared: the test proves nothing"
        assert whole["osi_insight"], "no timeline entry three weeks later: the test proves nothing"
        health = [r for r in whole["contact"].values() if r.get("osi_healthscore") is not None]
        assert health, "no health score written: the test proves nothing"
    finally:
        whole_em.__exit__(None, None, None)
        parts_em.__exit__(None, None, None)
