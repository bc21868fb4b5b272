"""Health state changes worth a timeline entry (``osi_insight``), one per change, idempotently keyed."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from connector import schema

_NOTEWORTHY = {schema.HEALTH_STATE.value(label) for label in ("Good", "Fair", "Poor")}


def health_changes(previous: Mapping[str, pd.DataFrame] | None, current: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Records whose graded health state changed since the last run.

    A change into or out of "Not enough info" or "Not applicable" is not news for a seller; a change
    between Good, Fair and Poor is. The key names the record, the new state and the day of the
    computation, so writing the same run twice upserts the same timeline entry.

    Args:
        previous: the last run's outputs of :func:`compute_relationships` (``None`` on the first run:
            nothing has changed yet).
        current: this run's outputs.

    Returns:
        one row per change: ``osi_key, record_type, record_id, subject, osi_details`` (JSON with before,
        after, score and the reasons).
    """
    rows = []
    for rtype, now in current.items():
        before = (previous or {}).get(rtype)
        if before is None or now.empty or "osi_healthstate" not in before.columns:
            continue
        old = before["osi_healthstate"].reindex(now.index)
        new = now["osi_healthstate"]
        changed = old.isin(_NOTEWORTHY) & new.isin(_NOTEWORTHY) & old.ne(new).fillna(False)
        for rid in now.index[changed.to_numpy(dtype=bool)]:
            after = schema.HEALTH_STATE.label(int(new[rid]))
            was = schema.HEALTH_STATE.label(int(old[rid]))
            day = pd.Timestamp(now.at[rid, "osi_insightscomputedon"]).strftime("%Y-%m-%d")
            reasons = json.loads(now.at[rid, "osi_healthreasons"])
            rows.append({
                "osi_key": f"health|{rtype}|{rid}|{day}|{after}", "record_type": rtype, "record_id": rid,
                "subject": f"Relationship health changed from {was} to {after}",
                "osi_details": json.dumps({"before": was, "after": after, "score": reasons["score"],
                                           "components": reasons["components"]}, ensure_ascii=False),
            })
    return pd.DataFrame(rows, columns=["osi_key", "record_type", "record_id", "subject", "osi_details"])
