"""Relationship analytics: KPIs, health, trend and history on every customer record, and health-change
timeline entries (spec §1)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from connector.errors import InsightError
from connector.feature_settings import model_of_dataclass
from connector.insights.relationship import (
    HealthModel,
    RelationshipResult,
    RelationshipSettings,
    compute_relationships,
    relationship_insights,
)
from connector.insights.relationship.clock import day_of
from connector.insights.relationship.registry import TABLE as REGISTRY_TABLE
from connector.insights.relationship.registry import fit_period, registry_rows
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


TABLES = "tables"
"""State: the last values of every record (all record types, ``record_type`` and ``record_id`` columns) and
``valid_until``, the instant before which none of them can change without new data."""
MODELS = "models"
"""State: the health model of each record type and the first local day of the period it was fitted for
(column ``month``: periods are calendar months, :func:`~connector.insights.relationship.registry.fit_period`)."""
LINKS = "links"
"""State: which records each activity was counted for (``activity_id, record_type, record_id``)."""

_RECORD_FRAMES = tuple(rt.frame for rt in RECORD_TYPES.values())
_FULL_SHARE = 0.3
"""Above this share of records to recompute, one full computation is cheaper than a subset."""


def _held_models(state: Frames, month: int) -> dict[str, HealthModel] | None:
    """The stored models when they were fitted for this period (a new period fits new ones)."""
    frame = state.get(MODELS)
    if frame is None or frame.empty or set(frame["month"]) != {month}:
        return None
    try:
        return {str(t): HealthModel.from_dict(json.loads(v)) for t, v in zip(frame["record_type"], frame["model"],
                                                                               strict=True)}
    except (InsightError, ValueError):
        return None


def _related_ids(frames: Frames, changed: dict[str, set[str]]) -> None:
    """Add to ``changed`` the accounts and contacts a changed record points to (their rollups include it)."""
    for rtype, rt in RECORD_TYPES.items():
        ids = changed.get(rtype)
        frame = frames.get(rt.frame)
        if not ids or frame is None:
            continue
        rows = frame[frame[rt.frame_key].isin(ids)]
        for column, target in (("parent_account_id", "account"), ("account_id", "account"),
                               ("parent_contact_id", "contact"), ("contact_id", "contact")):
            if column in rows.columns:
                changed.setdefault(target, set()).update(str(v) for v in rows[column].dropna())


def _subset(frames: Frames, ctx: RunContext[Any], held: pd.DataFrame) -> dict[str, set[str]] | None:
    """Records to recompute (record type → ids), or ``None`` when everything must be.

    A record's values depend on its own fields, the activities linked to it, the team, the settings, the
    month's models and the day: so a changed record, a changed activity's records (found when linking)
    and the records whose ``valid_until`` has passed. Deletions and changed users recompute everything
    (links and sides move); so does a change to most records.
    """
    relevant = (*_RECORD_FRAMES, "activities", "parties", "users")
    links = ctx.state.get(LINKS)
    if (ctx.changes.full & set(relevant) or any(ctx.changes.deleted.get(f) for f in _RECORD_FRAMES)
            or ctx.changes.touched("users") or links is None):
        return None
    changed: dict[str, set[str]] = {rtype: set(ctx.changes.changed.get(rt.frame, ()))
                                     for rtype, rt in RECORD_TYPES.items()}
    _related_ids(frames, changed)
    # The records an activity counted for until now: it may be deleted, or moved to another record.
    was = links[links["activity_id"].isin(_touched_activities(ctx) | set(ctx.changes.deleted.get("activities", ())))]
    for rtype, rid in zip(was["record_type"], was["record_id"], strict=True):
        changed[str(rtype)].add(str(rid))
    due = held[held["valid_until"].notna() & (held["valid_until"] <= pd.Timestamp(ctx.now))]
    for rtype, rid in zip(due["record_type"], due["record_id"], strict=True):
        changed[str(rtype)].add(str(rid))
    total = sum(len(frames[rt.frame]) for rt in RECORD_TYPES.values() if rt.frame in frames)
    if sum(map(len, changed.values())) > _FULL_SHARE * max(total, 1):
        return None
    return changed


def _touched_activities(ctx: RunContext[Any]) -> set[str]:
    # Parties are re-read per activity: their changed ids are activity ids.
    return set(ctx.changes.changed.get("activities", ())) | set(ctx.changes.changed.get("parties", ()))


def _stack(result: RelationshipResult) -> pd.DataFrame:
    parts = []
    for rtype, table in result.tables.items():
        part = table.rename_axis("record_id").reset_index()
        part.insert(0, "record_type", rtype)
        part["valid_until"] = result.valid_until[rtype].reindex(table.index).to_numpy()
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["record_id"] = out["record_id"].astype(str)
    out["valid_until"] = pd.to_datetime(out["valid_until"], utc=True)
    return out


def _tables(stacked: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Record type → its output frame (the primary id column and our columns)."""
    out = {}
    for rtype, rt in RECORD_TYPES.items():
        part = stacked[stacked["record_type"] == rtype].drop(columns=["record_type", "valid_until"])
        out[rtype] = part.rename(columns={"record_id": rt.primary_id}).reset_index(drop=True)
    return out


def _relationships(frames: Frames, ctx: RunContext[Any],
                   settings: RelationshipSettings) -> tuple[pd.DataFrame, dict[str, HealthModel], pd.DataFrame, int]:
    """Every record's values (stacked), the models used, the activity links and how many records were
    computed."""
    month = fit_period(day_of(pd.Timestamp(ctx.now), settings.timezone))
    held, models = ctx.state.get(TABLES), _held_models(ctx.state, month)
    subset = None if ctx.recompute_all or held is None or models is None else _subset(frames, ctx, held)
    touched = _touched_activities(ctx) if subset is not None else set()
    if subset is not None and held is not None and models is not None:
        if not any(subset.values()) and not touched:
            # nothing changed and nothing came due: the values still hold
            return held, models, ctx.state.get(LINKS, result_links_empty()), 0
    previous = {t: frames[rt.frame].set_index(rt.frame_key) for t, rt in RECORD_TYPES.items()
                if rt.frame in frames and "osi_healthtrend" in frames[rt.frame].columns}
    result = relationship_insights(frames, now=ctx.now, settings=settings, previous=previous, models=models,
                                   only=subset, touched_activities=touched if subset is not None else None)
    computed = _stack(result)
    if subset is None or held is None:
        return computed, result.models, result.links, len(computed)
    keep = ~(held["record_type"] + "|" + held["record_id"]).isin(computed["record_type"] + "|" + computed["record_id"])
    old_links = ctx.state.get(LINKS, result_links_empty())
    kept_links = ~(old_links["record_type"] + "|" + old_links["record_id"]).isin(
        computed["record_type"] + "|" + computed["record_id"])
    links = pd.concat([old_links[kept_links], result.links], ignore_index=True)
    return pd.concat([held[keep], computed], ignore_index=True), result.models, links, len(computed)


def result_links_empty() -> pd.DataFrame:
    """No activity links (the shape of :attr:`RelationshipResult.links`)."""
    return pd.DataFrame({c: pd.Series(dtype=str) for c in ("activity_id", "record_type", "record_id")})


def _model_state(models: dict[str, HealthModel], now: datetime, timezone: str) -> pd.DataFrame:
    month = fit_period(day_of(pd.Timestamp(now), timezone))
    return pd.DataFrame({"record_type": list(models), "month": [month] * len(models),
                         "model": [json.dumps(m.to_dict(), sort_keys=True) for m in models.values()]})


def _refitted(state: Frames, models: dict[str, HealthModel]) -> bool:
    """Whether the models differ from those of the last committed run: states the refit moved are not news
    about a customer, so that run writes no health-change entry (like a settings change)."""
    frame = state.get(MODELS)
    if frame is None or frame.empty:
        return False
    held = dict(zip(frame["record_type"].astype(str), frame["model"], strict=True))
    return held != {t: json.dumps(m.to_dict(), sort_keys=True) for t, m in models.items()}


def _compute(frames: Frames, ctx: RunContext[Any]) -> Produced:
    settings = RelationshipSettings(**ctx.settings.model_dump())
    if not settings.enabled:
        out = compute_relationships(frames, now=ctx.now, settings=settings)
        return Produced(frames={t: df.rename_axis(RECORD_TYPES[t].primary_id).reset_index() for t, df in out.items()})
    stacked, models, links, evaluated = _relationships(frames, ctx, settings)
    result = _tables(stacked)
    committed = ctx.state.get(health_timeline.STATE_FRAME)
    if committed is None:
        committed = health_timeline.held_states(frames)
    refit = _refitted(ctx.state, models)
    timeline = health_timeline.decide(health_timeline.current_states(result), committed, now=ctx.now,
                                      admin_change=ctx.settings_changed or refit)
    if not timeline.entries.empty:
        result["osi_insight"] = timeline.entries
    result[REGISTRY_TABLE] = registry_rows(models, period=fit_period(day_of(pd.Timestamp(ctx.now),
                                                                               settings.timezone)), s=settings)
    notes = []
    if ctx.settings_changed and timeline.moved:
        notes.append(f"relationship settings changed: {timeline.moved} health states moved (no timeline entries)")
    elif refit and timeline.moved:
        notes.append(f"health models refitted: {timeline.moved} health states moved (no timeline entries)")
    state = {health_timeline.STATE_FRAME: timeline.state, TABLES: stacked, LINKS: links,
             MODELS: _model_state(models, ctx.now, settings.timezone)}
    return Produced(frames=result, state=state, notes=notes, evaluated=evaluated)


_STAMP = ("osi_insightscomputedon",)

PRODUCER = Producer(
    name="relationship",
    description="Relationship analytics: communication frequency, activity influence (-0.5..0.5), trend dead-band. "
                "Health is fitted monthly on the organisation's history (health_fit; see the health models "
                "below); with health_fit false, the component weights and cut-offs (good_min, fair_min) here "
                "are used as they are.",
    settings=Settings,
    outputs=(*(Output(t, stamp_columns=_STAMP, same_as_shown={"osi_analytics": same_analytics})
               for t in RECORD_TYPES),
             Output("osi_insight", delete_missing=False),
             # One row per record type, always all four: nothing to delete.
             Output(REGISTRY_TABLE, delete_missing=False)),
    compute=_compute,
    version="4",
)
