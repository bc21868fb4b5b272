"""Where each computed frame goes, and the admin settings read back from ``osi_setting``.

Computed frames arrive keyed by table logical name. Our columns on standard records are diffed
against the snapshot's copy of those records; rows of our own tables against the snapshot's copy of
those tables (read back by change tracking every run).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from connector import canonical, schema
from connector.pipeline.compute import ComputeResult
from connector.sync.diff import Target, Write, plan_writes

log = logging.getLogger(__name__)

_STANDARD = {"contact": ("contacts", "contacts"), "account": ("accounts", "accounts"),
             "lead": ("leads", "leads"), "opportunity": ("opportunities", "opportunities")}
"""Standard table → (entity set, canonical frame)."""

_ACCEPTED_OR_DISMISSED = (schema.SUGGESTION_STATUS.value("Accepted"), schema.SUGGESTION_STATUS.value("Dismissed"))

_OVERRIDES: dict[str, dict[str, Any]] = {
    # A seller's Accepted/Dismissed survives reruns, and such a suggestion is kept when its note changes.
    "osi_notesuggestion": {"create_only": ("osi_suggestionstatus",),
                           "keep_values": ("osi_suggestionstatus", _ACCEPTED_OR_DISMISSED)},
    # Admins edit settings in the app: the sync only creates missing rows with the defaults.
    "osi_setting": {"create_only": ("osi_value",), "delete_missing": False},
    # History, timeline entries and the model registry are append-only from the sync's point of view.
    "osi_insight": {"delete_missing": False},
    "osi_scorehistory": {"delete_missing": False},
    "osi_scoringmodel": {"delete_missing": False},
}

TARGETS: dict[str, Target] = {
    **{t: Target(t, es, "update", f"{t}id", stamp_columns=("osi_insightscomputedon", "osi_scoredon"))
       for t, (es, _frame) in _STANDARD.items()},
    **{t.logical_name: Target(t.logical_name, t.entity_set_name, "upsert", "osi_key",
                              **_OVERRIDES.get(t.logical_name, {})) for t in schema.TABLES},
}


def read_admin_settings(frames: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """Setting name → value (parsed JSON) from the ``osi_setting`` rows in the snapshot.

    A row whose value is not valid JSON is skipped with a warning naming the setting (its
    defaults apply), so one typo in the app never stops a run.
    """
    rows = frames.get("own_osi_setting")
    out: dict[str, Any] = {}
    if rows is None or rows.empty:
        return out
    for key, value in zip(rows["osi_key"], rows["osi_value"], strict=True):
        if pd.isna(key):
            continue
        try:
            out[str(key)] = json.loads(value) if isinstance(value, str) and value.strip() else None
        except ValueError:
            log.warning("osi_setting %r does not hold valid JSON; its defaults apply", key)
    return out


def plan_all_writes(computed: ComputeResult, frames: Mapping[str, pd.DataFrame]) -> list[Write]:
    """Every write of this run: changed columns, new or changed rows of ours, rows no longer computed.

    Tables a failed producer writes get no deletes this run: what it did not compute must not
    remove good rows.
    """
    writes: list[Write] = []
    for table, frame in computed.frames.items():
        target = TARGETS[table]
        if table in _STANDARD:
            current = frames.get(_STANDARD[table][1])
            current_id = canonical.KEYS[_STANDARD[table][1]]
            writes.extend(plan_writes(target, frame, current, current_id_column=current_id))
        else:
            td = schema.table(table)
            current = frames.get(f"own_{table}")
            writes.extend(plan_writes(target, frame, current, primary_id=td.primary_id,
                                      allow_deletes=table not in computed.failed_tables))
    return writes
