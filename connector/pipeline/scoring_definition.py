"""The admin's model definition for lead and opportunity scoring, read from the ``scoring`` setting.

Per entity an admin may add columns the discovery would drop, remove columns, mark columns whose
blanks carry no information, fix the grade cut-offs, and define up to nine segments (a column and
its values) that get a model of their own, as in Dynamics' per-segment models (spec §2). A part of
the setting that is malformed is skipped with a problem naming it; the rest still applies, so one
typo in the app never stops scoring.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connector.errors import ConfigurationError
from connector.insights.scoring.grades import GradeCutoffs
from connector.insights.scoring.registry import MAX_MODELS

MAX_SEGMENTS = MAX_MODELS - 1
"""Segments per entity: with the model of all records, at most ``MAX_MODELS`` models."""


@dataclass(frozen=True)
class Segment:
    """Records whose ``column`` holds one of ``values`` (labels, as the canonical frames hold them)."""

    column: str
    values: tuple[str, ...]

    @property
    def name(self) -> str:
        """``column=v1,v2``: the segment's name in the registry."""
        return f"{self.column}={','.join(sorted(self.values))}"


@dataclass(frozen=True)
class ModelDefinition:
    """What the admin decided for one entity's models (all empty: everything discovered).

    ``retrain_requested_on`` (the admin page's "Retrain now") retrains every model of the entity
    trained before that time, once.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    ignore_empty: tuple[str, ...] = ()
    cutoffs: GradeCutoffs | None = None
    segments: tuple[Segment, ...] = field(default_factory=tuple)
    retrain_requested_on: datetime | None = None

    def fingerprint(self) -> str:
        """The parts that change a trained model, as stable text (stored with each model)."""
        return json.dumps({"include": sorted(self.include), "exclude": sorted(self.exclude),
                           "ignore_empty": sorted(self.ignore_empty),
                           "cutoffs": self.cutoffs.to_dict() if self.cutoffs else None}, sort_keys=True)


def default_scoring_setting() -> dict[str, Any]:
    """The ``scoring`` setting a new organisation gets: nothing added, removed or segmented."""
    empty: dict[str, Any] = {"include": [], "exclude": [], "ignore_empty": [], "grade_cutoffs": None, "segments": [],
             "retrain_requested_on": None}
    return {"lead": dict(empty), "opportunity": dict(empty)}


def _names(value: Any, path: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"setting {path} must be a list of column names; ignored")
        return ()
    return tuple(v.strip() for v in value)


def _cutoffs(value: Any, path: str, problems: list[str]) -> GradeCutoffs | None:
    if value is None:
        return None
    try:
        return GradeCutoffs(int(value["A"]), int(value["B"]), int(value["C"]))
    except (TypeError, KeyError, ValueError):
        problems.append(f'setting {path} must be {{"A": …, "B": …, "C": …}} with whole numbers; '
                        "the default cut-offs apply")
    except ConfigurationError as exc:
        problems.append(f"setting {path}: {exc.problems[0]}; the default cut-offs apply")
    return None


def _segments(value: Any, path: str, problems: list[str]) -> tuple[Segment, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"setting {path} must be a list of {{\"column\", \"values\"}}; ignored")
        return ()
    out: list[Segment] = []
    for i, item in enumerate(value):
        where = f"{path}[{i}]"
        column = item.get("column") if isinstance(item, Mapping) else None
        values = item.get("values") if isinstance(item, Mapping) else None
        if not isinstance(column, str) or not column.strip() or not isinstance(values, list) or not values:
            problems.append(f"setting {where} needs a column name and a non-empty list of values; ignored")
            continue
        segment = Segment(column.strip(), tuple(sorted({str(v) for v in values})))
        if any(s.name == segment.name for s in out):
            problems.append(f"setting {where} repeats segment {segment.name}; ignored")
            continue
        if len(out) == MAX_SEGMENTS:
            problems.append(f"setting {path} has more than {MAX_SEGMENTS} segments; {segment.name} and later "
                            "ones are ignored")
            break
        out.append(segment)
    return tuple(out)


def _when(value: Any, path: str, problems: list[str]) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        problems.append(f"setting {path} must be an ISO date and time; ignored")
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_definition(setting: Mapping[str, Any], entity: str) -> tuple[ModelDefinition, list[str]]:
    """The model definition of ``entity`` from the ``scoring`` setting, and the problems found in it.

    Never raises: a malformed part is reported (naming ``scoring.<entity>.<part>``) and skipped.
    """
    problems: list[str] = []
    raw = setting.get(entity) if isinstance(setting, Mapping) else None
    if raw is None:
        return ModelDefinition(), problems
    if not isinstance(raw, Mapping):
        return ModelDefinition(), [f"setting scoring.{entity} must be an object; the defaults apply"]
    base = f"scoring.{entity}"
    return ModelDefinition(
        include=_names(raw.get("include"), f"{base}.include", problems),
        exclude=_names(raw.get("exclude"), f"{base}.exclude", problems),
        ignore_empty=_names(raw.get("ignore_empty"), f"{base}.ignore_empty", problems),
        cutoffs=_cutoffs(raw.get("grade_cutoffs"), f"{base}.grade_cutoffs", problems),
        segments=_segments(raw.get("segments"), f"{base}.segments", problems),
        retrain_requested_on=_when(raw.get("retrain_requested_on"), f"{base}.retrain_requested_on", problems),
    ), problems


@dataclass(frozen=True)
class ScoringSettings:
    """The whole ``scoring`` setting: one model definition per entity (the producer's settings type)."""

    lead: ModelDefinition = field(default_factory=ModelDefinition)
    opportunity: ModelDefinition = field(default_factory=ModelDefinition)

    @classmethod
    def parse(cls, raw: Any) -> tuple[ScoringSettings, list[str]]:
        """The settings from the raw ``scoring`` value, and the problems found in it.

        Never raises: a malformed field keeps its default and is reported by its name
        (``scoring.<entity>.<field>``); every other field still applies.
        """
        problems: list[str] = []
        if raw is not None and not isinstance(raw, Mapping):
            return cls(), ["setting scoring must be an object with lead and opportunity; the defaults apply"]
        parts = {}
        for entity in ("lead", "opportunity"):
            parts[entity], found = parse_definition(raw or {}, entity)
            problems.extend(found)
        return cls(**parts), problems

    def for_entity(self, entity: str) -> ModelDefinition:
        """The definition of ``entity`` (the defaults for an entity without one)."""
        return getattr(self, entity, ModelDefinition()) if entity in ("lead", "opportunity") else ModelDefinition()
