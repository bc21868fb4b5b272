"""The scoring producer's live model: trained once, reused, and replaced when its artifact is unusable."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd

from connector import canonical
from connector.insights.scoring.registry import ModelRecord
from connector.pipeline.models import PREFIX, ModelStore
from connector.pipeline.scoring_producer import ENTITIES, _featurised, _live
from connector.sync.state import LocalStateStore
from tests.unit.scoring.conftest import NOW, read_leads

LEAD = ENTITIES[0]


def _frames(registry: list[ModelRecord]) -> dict[str, pd.DataFrame]:
    raw = read_leads()
    leads = raw.rename(columns={"leadid": "lead_id", "statecode": "state_code", "statuscode": "status_code",
                                "closedon": "closed_on", "createdon": "created_on"})
    leads["modified_on"] = leads["closed_on"]
    frames = {"leads": leads.drop(columns=["salesnote"]), "activities": canonical.empty_frame("activities")}
    if registry:
        frames["own_osi_scoringmodel"] = pd.DataFrame([r.to_row() for r in registry])
    return frames


def _run(store: ModelStore, registry: list[ModelRecord], now: pd.Timestamp) -> tuple[object, list[ModelRecord]]:
    frames = _frames(registry)
    data = _featurised(frames, LEAD, now.to_pydatetime())
    return _live(frames, LEAD, data, now.to_pydatetime(), store, on_demand=False)


def _merge(registry: list[ModelRecord], changes: list[ModelRecord]) -> list[ModelRecord]:
    keys = {r.key for r in changes}
    return [*[r for r in registry if r.key not in keys], *changes]


def test_the_live_model_is_trained_once_then_loaded(tmp_path: Path) -> None:
    store = ModelStore(LocalStateStore(tmp_path))
    first, changes = _run(store, [], NOW)
    assert [(r.version, r.status) for r in changes] == [(1, "Published")]
    again, none = _run(store, changes, NOW + timedelta(days=1))
    assert none == []
    assert again.version == first.version and again.kind == first.kind


def test_an_unusable_live_artifact_is_replaced_by_a_new_model(tmp_path: Path) -> None:
    state = LocalStateStore(tmp_path)
    store = ModelStore(state)
    _, registry = _run(store, [], NOW)
    live = registry[0]
    name = f"{PREFIX}{live.entity}-{live.kind}-v{live.version}.joblib"
    assert state.read(name) is not None
    state.write(name, b"not the bytes that were trained")  # checksum no longer matches
    model, changes = _run(store, registry, NOW + timedelta(days=1))
    registry = _merge(registry, changes)
    status = {r.version: r.status for r in registry}
    assert status == {1: "Retired", 2: "Published"}
    assert model.version == 2
