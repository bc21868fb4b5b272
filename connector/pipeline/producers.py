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


def _relationship(frames: Frames, now: datetime, admin: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    settings = RelationshipSettings.from_dict(_section(admin, "relationship"))
    out = compute_relationships(frames, now=now, settings=settings)
    return {table: df.rename_axis(_ID_COLUMNS[table]).reset_index() for table, df in out.items()}


def _settings_rows(frames: Frames, now: datetime, admin: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """Create the missing ``osi_setting`` rows with their defaults, so admins see what they can tune."""
    rows = [{"osi_key": name, "osi_name": name, "osi_value": json.dumps(value, sort_keys=True, indent=1),
             "osi_description": SETTING_DESCRIPTIONS.get(name, "")}
            for name, value in default_settings().items()]
    return {"osi_setting": pd.DataFrame(rows)}


REGISTRY: tuple[Producer, ...] = (
    Producer("settings", ("osi_setting",), _settings_rows, always_on=True),
    Producer("relationship", ("contact", "account", "lead", "opportunity"), _relationship),
)
