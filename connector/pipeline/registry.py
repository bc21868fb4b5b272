"""The registry: every producer, and everything derived from their declarations.

The ``features`` switch, the ``osi_setting`` rows with their defaults and descriptions, the write
targets and their rules all come from the producers listed in :data:`PRODUCERS`; nothing about an
insight is written anywhere else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
from pydantic import Field, create_model

from connector import schema
from connector.feature_settings import FeatureSettings, json_schema
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext
from connector.pipeline.producers import (
    assistant,
    lead_close,
    notes,
    relationship,
    scoring,
    similar_deals,
    talking_points,
    who_knows_whom,
)
from connector.record_types import RECORD_TYPES
from connector.sync.diff import Target

PRODUCERS: tuple[Producer[Any], ...] = (
    lead_close.PRODUCER, relationship.PRODUCER, scoring.PRODUCER, notes.PRODUCER, talking_points.PRODUCER,
    who_knows_whom.PRODUCER, assistant.PRODUCER, similar_deals.PRODUCER,
)
"""The insights, in the order they run."""

FEATURES = "features"
SETTINGS_PRODUCER = "settings"


class _NoSettings(FeatureSettings):
    """The settings rows themselves have no settings."""


@dataclass(frozen=True)
class Registry:
    """A set of producers and what derives from them (the production one is :data:`REGISTRY`)."""

    producers: tuple[Producer[Any], ...]
    core_outputs: tuple[Output, ...] = field(default=(
        # Admins edit settings in the app: the sync only creates missing rows with the defaults.
        Output("osi_setting", create_only=("osi_value",), delete_missing=False),))

    @cached_property
    def features(self) -> type[FeatureSettings]:
        """The ``features`` setting: one switch per insight that may be switched off (all on by default)."""
        switches: dict[str, Any] = {p.name: (bool, Field(default=True, description=p.description))
                                    for p in self.producers if p.switchable}
        return create_model("Features", __base__=FeatureSettings, **switches)

    def settings_models(self) -> dict[str, type[FeatureSettings]]:
        """Setting name → its model: ``features`` and one per producer that has settings."""
        return {FEATURES: self.features, **{p.name: p.settings for p in self.producers if p.settings.model_fields}}

    def descriptions(self) -> dict[str, str]:
        """Setting name → what its row tells the admin."""
        return {FEATURES: "Which insights run: {\"relationship\": true, \"scoring\": true, ...}. false switches "
                          "one off.", **{p.name: p.description for p in self.producers if p.settings.model_fields}}

    def default_settings(self) -> dict[str, Any]:
        """Every setting with its default value (what a new organisation's ``osi_setting`` rows hold)."""
        return {name: model().model_dump(mode="json") for name, model in self.settings_models().items()}

    def schemas(self) -> dict[str, dict[str, Any]]:
        """Setting name → JSON schema of its value (the admin page's form validates with it)."""
        return {name: json_schema(model) for name, model in self.settings_models().items()}

    @cached_property
    def settings_producer(self) -> Producer[Any]:
        """The always-on producer that creates every missing ``osi_setting`` row with its defaults."""
        def rows(frames: Frames, ctx: RunContext[Any]) -> Produced:
            described = self.descriptions()
            table = pd.DataFrame([
                {"osi_key": name, "osi_name": name, "osi_value": model().as_json(), "osi_description": described[name]}
                for name, model in self.settings_models().items()])
            return Produced(frames={"osi_setting": table})

        return Producer(SETTINGS_PRODUCER, "", _NoSettings, self.core_outputs, rows, switchable=False)

    def all(self) -> tuple[Producer[Any], ...]:
        """Every producer, the settings rows first."""
        return (self.settings_producer, *self.producers)

    def targets(self) -> dict[str, Target]:
        """Table → where and how its computed frame is written (rules of every producer writing it)."""
        outputs: dict[str, list[Output]] = {}
        for producer in self.all():
            for output in producer.outputs:
                outputs.setdefault(output.table, []).append(output)
        tables = {t.logical_name: t for t in self.tables()}
        return {table: _target(table, outs, tables) for table, outs in outputs.items()}

    def tables(self) -> tuple[schema.TableDef, ...]:
        """Our tables: the core schema's and any a producer declares."""
        return (*schema.TABLES, *(t for p in self.producers for t in p.tables))

    def extended_columns(self) -> dict[str, tuple[schema.ColumnDef, ...]]:
        """Standard table → our columns on it: the core schema's and any a producer declares."""
        out = dict(schema.EXTENDED_TABLES)
        for producer in self.producers:
            for table, columns in producer.columns.items():
                out[table] = (*out.get(table, ()), *columns)
        return out


def _target(table: str, outputs: Sequence[Output], tables: Mapping[str, schema.TableDef]) -> Target:
    stamps = tuple(dict.fromkeys(c for o in outputs for c in o.stamp_columns))
    same: dict[str, Any] = {}
    for o in outputs:
        same.update(o.same_as_shown)
    if table in RECORD_TYPES:
        rt = RECORD_TYPES[table]
        return Target(table, rt.entity_set, "update", rt.primary_id, stamp_columns=stamps, same_as_shown=same)
    first = outputs[0]
    return Target(table, tables[table].entity_set_name, "upsert", "osi_key", create_only=first.create_only,
                  keep_values=first.keep_values, delete_missing=first.delete_missing, stamp_columns=stamps,
                  same_as_shown=same)


REGISTRY = Registry(PRODUCERS)
"""The production registry."""


def read_admin_settings(frames: Mapping[str, pd.DataFrame]) -> tuple[dict[str, Any], list[str]]:
    """Setting name → decoded JSON value of the ``osi_setting`` rows in the snapshot, and the rows whose
    value is not JSON (named; their defaults apply)."""
    rows = frames.get("own_osi_setting")
    out: dict[str, Any] = {}
    problems: list[str] = []
    if rows is None or rows.empty:
        return out, problems
    for key, value in zip(rows["osi_key"], rows["osi_value"], strict=True):
        if pd.isna(key):
            continue
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            out[str(key)] = json.loads(value)
        except json.JSONDecodeError as exc:
            problems.append(f"{key}: the value is not valid JSON ({exc.msg} at character {exc.pos}); "
                            "its defaults apply")
    return out, problems


def produce(name: str, frames: Frames, *, now: Any, org_timezone: str = "UTC",
            registry: Registry = REGISTRY) -> Produced:
    """Run one producer from scratch with its default settings (for evaluations and tests).

    Raises:
        KeyError: no producer is named ``name``.
        Exception: whatever the producer raises (nothing is isolated here).
    """
    producer = next((p for p in registry.all() if p.name == name), None)
    if producer is None:
        raise KeyError(name)
    return producer.compute(frames, RunContext(now=now, settings=producer.settings(), org_timezone=org_timezone))
