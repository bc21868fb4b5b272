"""Health-change timeline entries, decided from our own last committed health states.

An entry says that something happened with a customer: the graded health state of a record moved
(Good → Fair). It is decided against the states the producer saved at the end of its last committed
run, not against what Dataverse holds: a run killed after updating a record but before writing the
entry left the saved state as it was, so the rerun decides the same entry again. The entry's key
holds the record, both states and the time the record entered the old state, so the rerun writes the
same row (an idempotent upsert) and a later, real change gets a new one.

A change the admin caused (new relationship settings) is not news about a customer, nor is a change the
monthly refit of the health models caused: that run writes no entry, and the run row says how many states
the new settings or models moved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from connector import canonical, schema
from connector.record_types import RECORD_TYPES

STATE_FRAME = "health"
"""Name of the producer-state frame: one row per record with its committed state and since when."""

_GRADED = frozenset(schema.HEALTH_STATE.value(s) for s in ("Good", "Fair", "Poor"))
_STATE_COLUMNS = {"record_type": "string", "record_id": "string", "state": "Int64", "score": "Int64",
                  "since": canonical.UTC_DT}


@dataclass(frozen=True)
class Timeline:
    """The entries to write, the states to commit with them, and how many states moved."""

    entries: pd.DataFrame
    state: pd.DataFrame
    moved: int


def current_states(result: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Record type, id, state and displayed score of every record in the producer's result."""
    parts = []
    for table, frame in result.items():
        if table not in RECORD_TYPES or "osi_healthstate" not in frame.columns:
            continue
        parts.append(pd.DataFrame({
            "record_type": table, "record_id": frame[RECORD_TYPES[table].primary_id].astype("string"),
            "state": frame["osi_healthstate"].astype("Int64"), "score": frame["osi_healthscore"].astype("Int64")}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _STATE_COLUMNS.items() if c != "since"})
    return pd.concat(parts, ignore_index=True)


def held_states(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The states Dataverse holds (read back with the records): the fallback when nothing was saved."""
    parts = []
    for table, rt in RECORD_TYPES.items():
        frame = frames.get(rt.frame)
        if frame is None or "osi_healthstate" not in frame.columns:
            continue
        parts.append(pd.DataFrame({"record_type": table, "record_id": frame[rt.frame_key].astype("string"),
                                   "state": pd.to_numeric(frame["osi_healthstate"]).astype("Int64"),
                                   "score": pd.NA, "since": pd.NaT}))
    return _typed(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(_STATE_COLUMNS)))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column, dtype in _STATE_COLUMNS.items():
        if column == "since":
            out[column] = pd.to_datetime(out[column], utc=True)
        out[column] = out[column].astype(dtype)
    return out[list(_STATE_COLUMNS)]


def decide(current: pd.DataFrame, previous: pd.DataFrame, *, now: datetime, admin_change: bool) -> Timeline:
    """The timeline entries for graded states that moved since ``previous``, and the states to commit.

    Args:
        current: this run's states (:func:`current_states`).
        previous: the committed states (saved state, or :func:`held_states` when there is none).
        now: the run's reference time: when a record entered its new state.
        admin_change: the admin changed the settings, or the health models were refitted, this run: no entry
            is written.
    """
    prev = _typed(previous).drop_duplicates(["record_type", "record_id"], keep="last")
    prev = prev.rename(columns={"state": "state_was", "score": "score_was", "since": "since_was"})
    merged = current.merge(prev, on=["record_type", "record_id"], how="left")
    moved = merged["state_was"].notna() & merged["state"].ne(merged["state_was"]).fillna(True)
    graded = merged["state"].isin(_GRADED) & merged["state_was"].isin(_GRADED)
    kept = ~moved & merged["state_was"].notna() & merged["since_was"].notna()
    since = merged["since_was"].where(kept, pd.Timestamp(now))
    state = _typed(merged.assign(since=since))
    news = merged[moved & graded] if not admin_change else merged.iloc[0:0]
    entries = pd.DataFrame([_entry(r) for r in news.itertuples(index=False)])
    return Timeline(entries, state, int((moved & graded).sum()))


def _entry(r: object) -> dict[str, object]:
    rt = RECORD_TYPES[str(r.record_type)]  # type: ignore[attr-defined]
    was = schema.HEALTH_STATE.label(int(r.state_was))  # type: ignore[attr-defined]
    now_state = schema.HEALTH_STATE.label(int(r.state))  # type: ignore[attr-defined]
    entered = r.since_was  # type: ignore[attr-defined]
    # The time the record entered the old state makes the key unique per change and equal on a rerun.
    stamp = "held" if pd.isna(entered) else pd.Timestamp(entered).strftime("%Y%m%dT%H%M%S")
    score = None if pd.isna(r.score) else int(r.score)  # type: ignore[attr-defined]
    return {
        # Dataverse refuses / # < > * % & : \ ? + in alternate-key values used in a URL.
        "osi_key": f"health|{r.record_id}|{was}|{now_state}|{stamp}",  # type: ignore[attr-defined]
        "subject": f"Relationship health: {was} → {now_state}" + (f" (score {score})" if score is not None else ""),
        "osi_insighttype": schema.INSIGHT_TYPE.value("Health change"),
        "osi_details": json.dumps({"before": was, "after": now_state, "score": score}),
        f"regardingobjectid_{rt.table}_osi_insight@odata.bind": f"/{rt.entity_set}({r.record_id})",  # type: ignore[attr-defined]
    }
