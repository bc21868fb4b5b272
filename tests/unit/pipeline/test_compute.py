"""Producers are isolated, read their settings forgivingly, and get back what they saved."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pytest
from pydantic import Field

from connector.feature_settings import FeatureSettings
from connector.pipeline.compute import ComputeInputs, ProducerMemory, compute_insights
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext
from connector.pipeline.registry import Registry
from connector.pipeline.writeback import plan_all_writes

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
A = "00000000-0000-0000-0000-00000000000a"


class Toy(FeatureSettings):
    limit: int = Field(default=5, ge=1, le=10)
    label: str = "x"


def _producer(name: str, table: str, fn: Any, version: str = "1") -> Producer[Any]:
    return Producer(name, f"{name} insight", Toy, (Output(table),), fn, version=version)


def _rows(frames: Frames, ctx: RunContext[Toy]) -> Produced:
    return Produced(frames={"osi_talkingpoint": pd.DataFrame({"osi_key": ["c|family"], "osi_snippet": ["x"]})})


def test_a_failing_insight_costs_neither_the_others_nor_its_own_rows(caplog: pytest.LogCaptureFixture) -> None:
    def boom(frames: Frames, ctx: RunContext[Toy]) -> Produced:
        return Produced(frames={"x": pd.DataFrame()}) if 1 / 0 else Produced()  # a defect, not an OsiError

    registry = Registry((_producer("broken", "osi_connection", boom), _producer("fine", "osi_talkingpoint", _rows)))
    with caplog.at_level(logging.ERROR):
        result = compute_insights({}, ComputeInputs(now=NOW, admin={}), registry)
    assert result.errors == ["broken: ZeroDivisionError: division by zero"]
    assert "Traceback" in caplog.text and "ZeroDivisionError" in caplog.text
    assert result.failed_tables == {"osi_connection"}
    assert "broken" not in result.memory and "fine" in result.memory
    result.frames["osi_connection"] = pd.DataFrame({"osi_key": pd.Series([], dtype="string")})
    frames = {"own_osi_connection": pd.DataFrame({"osi_key": ["k"], "osi_connectionid": [A]}),
              "own_osi_talkingpoint": pd.DataFrame(columns=["osi_key", "osi_talkingpointid", "osi_snippet"])}
    writes = plan_all_writes(result, frames, now=NOW, registry=registry)
    assert [(w.table, w.kind) for w in writes if w.table != "osi_setting"] == [("osi_talkingpoint", "upsert")]


def test_switched_off_insights_do_not_run_even_when_switched_off_as_text() -> None:
    calls: list[str] = []

    def record(frames: Frames, ctx: RunContext[Toy]) -> Produced:
        calls.append(ctx.settings.label)
        return Produced()

    registry = Registry((_producer("scoring", "osi_connection", record),))
    compute_insights({}, ComputeInputs(now=NOW, admin={"features": {"scoring": "false"}}), registry)
    assert calls == []
    compute_insights({}, ComputeInputs(now=NOW, admin={"features": {"scoring": True}}), registry)
    assert calls == ["x"]


def test_a_bad_setting_keeps_its_default_is_reported_by_name_and_the_rest_applies() -> None:
    seen: list[Toy] = []

    def record(frames: Frames, ctx: RunContext[Toy]) -> Produced:
        seen.append(ctx.settings)
        return Produced()

    registry = Registry((_producer("toy", "osi_connection", record),))
    result = compute_insights({}, ComputeInputs(now=NOW, admin={"toy": {"limit": 99, "label": "y", "typo": 1}}),
                              registry)
    assert seen == [Toy(limit=5, label="y")]
    assert any(w.startswith("toy.limit: ") and "the default 5 applies" in w for w in result.warnings)
    assert any(w.startswith("toy.typo: not a setting of toy") for w in result.warnings)
    assert not result.errors


def test_saved_state_comes_back_unless_settings_or_version_changed() -> None:
    got: list[tuple[bool, dict[str, Any]]] = []

    def remember(frames: Frames, ctx: RunContext[Toy]) -> Produced:
        got.append((ctx.recompute_all, dict(ctx.state)))
        return Produced(state={"seen": pd.DataFrame({"n": [len(got)]})})

    registry = Registry((_producer("toy", "osi_connection", remember),))
    first = compute_insights({}, ComputeInputs(now=NOW, admin={}), registry)
    memory = first.memory
    compute_insights({}, ComputeInputs(now=NOW, admin={}, memory=memory), registry)
    compute_insights({}, ComputeInputs(now=NOW, admin={"toy": {"limit": 6}}, memory=memory), registry)
    newer = Registry((_producer("toy", "osi_connection", remember, version="2"),))
    compute_insights({}, ComputeInputs(now=NOW, admin={}, memory=memory), newer)
    compute_insights({}, ComputeInputs(now=NOW, admin={}, memory=memory, full=True), registry)
    assert [fresh for fresh, _ in got] == [True, False, True, True, True]
    assert list(got[1][1]) == ["seen"] and got[2][1] == {}


def test_a_settings_change_is_visible_to_the_producer() -> None:
    changed: list[bool] = []

    def record(frames: Frames, ctx: RunContext[Toy]) -> Produced:
        changed.append(ctx.settings_changed)
        return Produced()

    registry = Registry((_producer("toy", "osi_connection", record),))
    memory = {"toy": ProducerMemory(Toy().fingerprint(), "1")}
    compute_insights({}, ComputeInputs(now=NOW, admin={}, memory=memory), registry)
    compute_insights({}, ComputeInputs(now=NOW, admin={"toy": {"limit": 7}}, memory=memory), registry)
    assert changed == [False, True]


def test_settings_rows_and_defaults_derive_from_the_declarations() -> None:
    registry = Registry((_producer("toy", "osi_talkingpoint", _rows),))
    defaults = registry.default_settings()
    assert defaults == {"features": {"toy": True}, "toy": {"limit": 5, "label": "x"}}
    rows = compute_insights({}, ComputeInputs(now=NOW, admin={}), registry).frames["osi_setting"]
    assert sorted(rows["osi_key"]) == ["features", "toy"]
    assert registry.schemas()["toy"]["properties"]["limit"]["maximum"] == 10


def test_a_table_a_producer_did_not_declare_is_its_error() -> None:
    registry = Registry((_producer("toy", "osi_connection", _rows),))
    result = compute_insights({}, ComputeInputs(now=NOW, admin={}), registry)
    assert result.errors and result.errors[0].startswith("toy: TypeError: it returned table(s) ['osi_talkingpoint']")
