"""Producers are isolated; health changes become one timeline entry each."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from connector import schema
from connector.errors import InsightError
from connector.pipeline.compute import compute_insights
from connector.pipeline.producers import Producer, health_changes
from connector.pipeline.writeback import plan_all_writes

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
GOOD, FAIR, POOR = (schema.HEALTH_STATE.value(s) for s in ("Good", "Fair", "Poor"))
NOT_ENOUGH = schema.HEALTH_STATE.value("Not enough info")
A, B, C, D = (f"00000000-0000-0000-0000-00000000000{i}" for i in "abcd")


def test_only_graded_to_graded_changes_make_timeline_entries() -> None:
    current = pd.DataFrame({"contact_id": [A, B, C, D], "osi_healthstate": [GOOD, FAIR, None, NOT_ENOUGH]})
    computed = pd.DataFrame({"contactid": [A, B, C, D], "osi_healthstate": [POOR, FAIR, GOOD, GOOD],
                             "osi_healthscore": [30, 50, 80, 70]})
    rows = health_changes("contact", computed, current, now=NOW)
    assert list(rows["osi_key"]) == [f"health|{A}|Good|Poor|20260301"]
    assert rows.loc[0, "regardingobjectid_contact_osi_insight@odata.bind"] == f"/contacts({A})"
    assert "Good → Poor" in rows.loc[0, "subject"]


def test_a_failing_insight_costs_neither_the_others_nor_its_own_rows() -> None:
    def boom(frames, ctx):
        raise InsightError("not enough closed leads")

    def fine(frames, ctx):
        return {"osi_talkingpoint": pd.DataFrame({"osi_key": ["c|family"], "osi_snippet": ["x"]})}

    registry = (Producer("broken", ("osi_connection",), boom), Producer("fine", ("osi_talkingpoint",), fine))
    result = compute_insights({}, now=NOW, admin={}, registry=registry)
    assert result.errors == ["broken: InsightError: not enough closed leads"]
    assert result.failed_tables == {"osi_connection"}
    result.frames["osi_connection"] = pd.DataFrame({"osi_key": pd.Series([], dtype="string")})
    frames = {"own_osi_connection": pd.DataFrame({"osi_key": ["k"], "osi_connectionid": [A]}),
              "own_osi_talkingpoint": pd.DataFrame(columns=["osi_key", "osi_talkingpointid", "osi_snippet"])}
    writes = plan_all_writes(result, frames)
    assert [(w.table, w.kind) for w in writes] == [("osi_talkingpoint", "upsert")]


def test_switched_off_insights_do_not_run() -> None:
    calls = []
    registry = (Producer("scoring", (), lambda f, ctx: calls.append(1) or {}),)
    compute_insights({}, now=NOW, admin={"features": {"scoring": False}}, registry=registry)
    assert calls == []
