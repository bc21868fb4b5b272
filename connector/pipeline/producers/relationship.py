"""Relationship analytics: KPIs, health, trend and history on every customer record, and health-change
timeline entries (spec §1)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from connector.feature_settings import model_of_dataclass
from connector.insights.relationship import RelationshipSettings, compute_relationships
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext
from connector.pipeline.producers import health_timeline
from connector.record_types import RECORD_TYPES

Settings = model_of_dataclass(RelationshipSettings, name="relationship")

_VOLATILE_KEYS = ("as_of",)
"""Keys of ``osi_analytics`` that say when it was computed, not what happened."""


def same_analytics(held: Any, computed: Any, now: datetime) -> bool:
    """Whether two ``osi_analytics`` values show a seller the same thing.

    The panel shows the daily breakdown of the last ``history_days`` days counted back from today, so
    days that have since left that window, and the stamp of when the value was computed, change
    nothing on screen.
    """
    try:
        old, new = json.loads(held), json.loads(computed)
    except (TypeError, ValueError):
        return False
    if not isinstance(old, dict) or not isinstance(new, dict):
        return False
    shown_from = min(new.get("daily") or {None: None}, default=None)
    for value in (old, new):
        for key in _VOLATILE_KEYS:
            value.pop(key, None)
        daily = value.get("daily")
        if isinstance(daily, dict):
            # One day of margin: the window's first day depends on the time zone of the days.
            floor = (now - timedelta(days=int(value.get("history_days") or 90) - 1)).strftime("%Y-%m-%d")
            cut = max(floor, shown_from) if shown_from else floor
            value["daily"] = {d: v for d, v in daily.items() if d >= cut}
    return bool(old == new)


def _compute(frames: Frames, ctx: RunContext[Any]) -> Produced:
    settings = RelationshipSettings(**ctx.settings.model_dump())
    previous = {t: frames[rt.frame].set_index(rt.frame_key) for t, rt in RECORD_TYPES.items()
                if rt.frame in frames and "osi_healthtrend" in frames[rt.frame].columns}
    out = compute_relationships(frames, now=ctx.now, settings=settings, previous=previous)
    result = {table: df.rename_axis(RECORD_TYPES[table].primary_id).reset_index() for table, df in out.items()}
    committed = ctx.state.get(health_timeline.STATE_FRAME)
    if committed is None:
        committed = health_timeline.held_states(frames)
    timeline = health_timeline.decide(health_timeline.current_states(result), committed, now=ctx.now,
                                      admin_change=ctx.settings_changed)
    if not timeline.entries.empty:
        result["osi_insight"] = timeline.entries
    notes = []
    if ctx.settings_changed and timeline.moved:
        notes.append(f"relationship settings changed: {timeline.moved} health states moved (no timeline entries)")
    return Produced(frames=result, state={health_timeline.STATE_FRAME: timeline.state}, notes=notes,
                    evaluated=sum(len(df) for df in out.values()))


_STAMP = ("osi_insightscomputedon",)

PRODUCER = Producer(
    name="relationship",
    description="Relationship analytics: communication frequency, health cut-offs (good_min, fair_min), "
                "activity influence (-0.5..0.5), component weights, trend dead-band.",
    settings=Settings,
    outputs=(*(Output(t, stamp_columns=_STAMP, same_as_shown={"osi_analytics": same_analytics})
               for t in RECORD_TYPES),
             Output("osi_insight", delete_missing=False)),
    compute=_compute,
    version="2",
)
