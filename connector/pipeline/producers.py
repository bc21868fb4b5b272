"""The insight producers: adapters from the canonical frames to each insight, and to their tables.

Each adapter picks what its insight needs from the frames, reads its admin settings (falling back
to the insight's own defaults), calls the pure computation with ``now`` and renames the result to
the target table's columns. Nothing here does I/O.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from connector import canonical, schema
from connector.insights.relationship import RelationshipSettings, compute_relationships

Frames = Mapping[str, pd.DataFrame]
ProducerFn = Callable[[Frames, datetime, Mapping[str, Any]], dict[str, pd.DataFrame]]


@dataclass(frozen=True)
class Producer:
    """One insight: its name (the ``features`` switch), the tables it writes, how it computes."""

    name: str
    tables: tuple[str, ...]
    compute: ProducerFn
    always_on: bool = False


FEATURES = ("relationship", "scoring", "notes", "talking_points", "who_knows_whom")

SETTING_DESCRIPTIONS: dict[str, str] = {
    "features": "Which insights run: {\"relationship\": true, \"scoring\": true, ...}. false switches one off.",
    "relationship": "Relationship analytics: communication frequency, health cut-offs (good_min, fair_min), "
                    "activity influence (-0.5..0.5), component weights, trend dead-band.",
}


def default_settings() -> dict[str, Any]:
    """Every admin setting with its default value (what a new organisation's ``osi_setting`` rows hold)."""
    return {
        "features": {name: True for name in FEATURES},
        "relationship": asdict(RelationshipSettings()),
    }


def _section(admin: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = admin.get(name)
    return value if isinstance(value, Mapping) else {}


_ID_COLUMNS = {"contact": "contactid", "account": "accountid", "lead": "leadid", "opportunity": "opportunityid"}


_FRAMES = {"contact": "contacts", "account": "accounts", "lead": "leads", "opportunity": "opportunities"}
_ENTITY_SETS = {"contact": "contacts", "account": "accounts", "lead": "leads", "opportunity": "opportunities"}
_GRADED = {schema.HEALTH_STATE.value(s) for s in ("Good", "Fair", "Poor")}


def health_changes(table: str, computed: pd.DataFrame, current: pd.DataFrame | None, *,
                   now: datetime) -> pd.DataFrame:
    """``osi_insight`` timeline entries for records whose graded health state changed.

    Only a change between two graded states (Good, Fair, Poor) is news to a seller; a record's first
    score is not. The key holds the record, the two states and the day, so a rerun the same day
    writes the same entry and never a second one.
    """
    id_col = _ID_COLUMNS[table]
    if current is None or current.empty or "osi_healthstate" not in current.columns:
        return pd.DataFrame()
    before = current.set_index(canonical.KEYS[_FRAMES[table]])["osi_healthstate"]
    after = computed.set_index(id_col)["osi_healthstate"]
    old = before.reindex(after.index)
    changed = old.notna() & after.notna() & old.isin(_GRADED) & after.isin(_GRADED) & (old != after)
    rows = []
    scores = computed.set_index(id_col)["osi_healthscore"]
    for record_id in after.index[changed.fillna(False).to_numpy(dtype=bool)]:
        was = schema.HEALTH_STATE.label(int(old[record_id]))
        now_state = schema.HEALTH_STATE.label(int(after[record_id]))
        rows.append({
            # Dataverse rejects / # < > * % & : \ ? + in alternate-key values used in a URL.
            "osi_key": f"health|{record_id}|{was}|{now_state}|{now:%Y%m%d}",
            "subject": f"Relationship health: {was} → {now_state}",
            "osi_insighttype": schema.INSIGHT_TYPE.value("Health change"),
            "osi_details": json.dumps({"before": was, "after": now_state,
                                       "score": None if pd.isna(scores[record_id]) else int(scores[record_id])}),
            f"regardingobjectid_{table}_osi_insight@odata.bind": f"/{_ENTITY_SETS[table]}({record_id})",
        })
    return pd.DataFrame(rows)


def _relationship(frames: Frames, now: datetime, admin: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    settings = RelationshipSettings.from_dict(_section(admin, "relationship"))
    out = compute_relationships(frames, now=now, settings=settings)
    result = {table: df.rename_axis(_ID_COLUMNS[table]).reset_index() for table, df in out.items()}
    changes = [health_changes(t, df, frames.get(_FRAMES[t]), now=now) for t, df in result.items()]
    changes = [c for c in changes if not c.empty]
    if changes:
        result["osi_insight"] = pd.concat(changes, ignore_index=True)
    return result


def _settings_rows(frames: Frames, now: datetime, admin: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """Create the missing ``osi_setting`` rows with their defaults, so admins see what they can tune."""
    rows = [{"osi_key": name, "osi_name": name, "osi_value": json.dumps(value, sort_keys=True, indent=1),
             "osi_description": SETTING_DESCRIPTIONS.get(name, "")}
            for name, value in default_settings().items()]
    return {"osi_setting": pd.DataFrame(rows)}


REGISTRY: tuple[Producer, ...] = (
    Producer("settings", ("osi_setting",), _settings_rows, always_on=True),
    Producer("relationship", ("contact", "account", "lead", "opportunity", "osi_insight"), _relationship),
)
