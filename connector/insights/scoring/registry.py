"""The model registry rules (pure, no I/O): records, ``osi_scoringmodel`` rows, publish and retrain.

Rules (as Dynamics, spec §2.3):

- at most :data:`MAX_MODELS` models (published or not) per entity;
- a published model is retrained every :data:`RETRAIN_DAYS` days, or on demand;
- a retrained model replaces the live one only if its test AUC is at least
  :data:`PUBLISH_AUC_RATIO` of the live model's, or the live model is older than
  :data:`MAX_LIVE_AGE_DAYS` days (an old model is replaced even by a slightly worse one, because the
  business it learned has moved on);
- a candidate that missed that rule is not retrained on the same data: the live model waits until
  new closed records arrive or :data:`RETRAIN_DAYS` have passed since the candidate (otherwise every
  run would train and register one more version);
- the artifact of a version that is no longer live is deleted :data:`RETENTION_DAYS` days after a
  newer version replaced it (long enough for an admin to go back to it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from connector import schema
from connector.errors import RecordError

MAX_MODELS = 10
RETRAIN_DAYS = 15
PUBLISH_AUC_RATIO = 0.95
MAX_LIVE_AGE_DAYS = 90
RETENTION_DAYS = 30
TABLE = "osi_scoringmodel"


@dataclass(frozen=True)
class ModelRecord:
    """One model version in the registry.

    Attributes:
        entity: ``lead`` or ``opportunity``.
        version: increasing per entity and segment.
        kind: model kind (``boosted-blend``, ``bayes-cold-start``).
        status: ``Trained``, ``Published``, ``Retired`` or ``Failed``.
        readiness: ``Ready``, ``OK`` or ``Not ready``.
        metrics: test metrics (AUC, accuracy, ..., grades).
        features: ``{"used": [...], "dropped": {col: reason}}``.
        trained_on: training time (UTC).
        published_on: when it went live, if it did.
        artifact_sha256: checksum of the stored artifact.
        filter_column: segment column, or None for all records.
        filter_values: segment values.
    """

    entity: str
    version: int
    kind: str
    status: str
    readiness: str
    metrics: Mapping[str, Any]
    features: Mapping[str, Any]
    trained_on: datetime
    published_on: datetime | None = None
    artifact_sha256: str | None = None
    filter_column: str | None = None
    filter_values: tuple[str, ...] = field(default_factory=tuple)

    @property
    def segment(self) -> str:
        """``column=v1,v2`` or ``all``: the segment this model scores."""
        if not self.filter_column:
            return "all"
        return f"{self.filter_column}={','.join(sorted(self.filter_values))}"

    @property
    def key(self) -> str:
        """The ``osi_key`` alternate key: entity, segment and version.

        A segment whose values hold a character Dataverse refuses in a key ("Retail & Wholesale"), or
        too long to fit, is named by a digest instead, so the row can always be written and two
        segments never share a key.
        """
        segment = self.segment
        if len(segment) > 120 or schema.KEY_FORBIDDEN_CHARACTERS & set(segment):
            digest = hashlib.sha256(segment.encode()).hexdigest()[:16]
            column = "".join(ch for ch in (self.filter_column or "segment")[:60]
                             if ch not in schema.KEY_FORBIDDEN_CHARACTERS)
            segment = f"{column}~{digest}"
        return f"{self.entity}|{segment}|v{self.version}"

    @property
    def auc(self) -> float | None:
        """The test AUC, when known."""
        value = self.metrics.get("auc")
        return None if value is None else float(value)

    def to_row(self) -> dict[str, Any]:
        """The ``osi_scoringmodel`` row (logical names; option values from :mod:`connector.schema`)."""
        return {
            "osi_key": self.key,
            "osi_name": f"{self.entity} {self.segment} v{self.version}"[:200],
            "osi_entityname": self.entity,
            "osi_filtercolumn": self.filter_column,
            "osi_filtervalues": json.dumps(list(self.filter_values)),
            "osi_version": self.version,
            "osi_modelkind": self.kind,
            "osi_readiness": schema.MODEL_READINESS.value(self.readiness),
            "osi_modelstatus": schema.MODEL_STATUS.value(self.status),
            "osi_metrics": json.dumps(self.metrics, default=str, sort_keys=True),
            "osi_features": json.dumps(self.features, default=str, sort_keys=True),
            "osi_trainedon": _iso(self.trained_on),
            "osi_publishedon": _iso(self.published_on),
            "osi_artifactsha256": self.artifact_sha256,
        }

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ModelRecord:
        """Read an ``osi_scoringmodel`` row back.

        Raises:
            RecordError: a column is missing or malformed (names the row's key and the column).
        """
        key = str(row.get("osi_key") or "")
        field_name = "osi_entityname"
        try:
            entity = str(row["osi_entityname"])
            field_name = "osi_version"
            version = int(row["osi_version"])
            field_name = "osi_readiness"
            readiness = schema.MODEL_READINESS.label(int(row["osi_readiness"]))
            field_name = "osi_modelstatus"
            status = schema.MODEL_STATUS.label(int(row["osi_modelstatus"]))
            field_name = "osi_metrics"
            metrics = json.loads(_text(row.get("osi_metrics")) or "{}")
            field_name = "osi_features"
            features = json.loads(_text(row.get("osi_features")) or "{}")
            field_name = "osi_filtervalues"
            values = tuple(str(v) for v in json.loads(_text(row.get("osi_filtervalues")) or "[]"))
            field_name = "osi_trainedon"
            trained_on = _parse(row["osi_trainedon"])
            field_name = "osi_publishedon"
            published_on = _parse(row.get("osi_publishedon"))
        except (KeyError, ValueError, TypeError) as exc:
            raise RecordError(TABLE, key or None, field_name, f"malformed value ({type(exc).__name__})") from exc
        if trained_on is None:
            raise RecordError(TABLE, key or None, "osi_trainedon", "missing training time")
        return cls(
            entity=entity, version=version, kind=_text(row.get("osi_modelkind")) or "", status=status,
            readiness=readiness, metrics=metrics, features=features, trained_on=trained_on,
            published_on=published_on, artifact_sha256=_text(row.get("osi_artifactsha256")),
            filter_column=_text(row.get("osi_filtercolumn")), filter_values=values,
        )


def _text(value: Any) -> str | None:
    # A frame read back mixes None and NaN for empty text; neither is a value.
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return str(value)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else pd.Timestamp(value).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: Any) -> datetime | None:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    ts = pd.Timestamp(value)
    parsed: datetime = (ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")).to_pydatetime()
    return parsed


def live_model(records: Iterable[ModelRecord], entity: str, segment: str = "all") -> ModelRecord | None:
    """The published model of an entity and segment.

    If several are published (an admin published a version by hand), the most recently published
    one is live, then the highest version.
    """
    live = [r for r in records if r.entity == entity and r.segment == segment and r.status == "Published"]
    return max(live, key=lambda r: (pd.Timestamp(r.published_on or r.trained_on), r.version)) if live else None


def next_version(records: Iterable[ModelRecord], entity: str, segment: str = "all") -> int:
    """The version number a new model of this entity and segment gets."""
    versions = [r.version for r in records if r.entity == entity and r.segment == segment]
    return max(versions, default=0) + 1


def data_stamp(record_ids: pd.Series, closed_on: pd.Series) -> str:
    """What a model was trained on, as text: how many closed records, and the newest close.

    Raises:
        ValueError: the two series are not aligned.
    """
    if len(record_ids) != len(closed_on):
        raise ValueError("record ids and close times must be aligned")
    newest = pd.to_datetime(closed_on, utc=True).max()
    return f"{record_ids.nunique()} closed, newest {'none' if pd.isna(newest) else _iso(newest)}"


def waiting_candidate(records: Iterable[ModelRecord], entity: str, segment: str = "all") -> ModelRecord | None:
    """The newest version of an entity and segment if it was trained but not published (it missed the rule)."""
    mine = [r for r in records if r.entity == entity and r.segment == segment]
    newest = max(mine, key=lambda r: r.version, default=None)
    return newest if newest is not None and newest.status == "Trained" else None


def retrain_due(record: ModelRecord, *, now: datetime, on_demand: bool = False, every_days: int = RETRAIN_DAYS,
                waiting: ModelRecord | None = None, stamp: str | None = None) -> bool:
    """Whether a live model must be retrained now.

    On demand always; otherwise ``every_days`` after it was trained, unless a candidate trained
    since (``waiting``) missed the publish rule on the same data (``stamp`` equals the candidate's):
    then only ``every_days`` after that candidate, or as soon as the data changed.
    """
    if on_demand:
        return True
    if pd.Timestamp(now) - pd.Timestamp(record.trained_on) < timedelta(days=every_days):
        return False
    if waiting is not None and waiting.version > record.version and waiting.features.get("data") == stamp:
        return bool(pd.Timestamp(now) - pd.Timestamp(waiting.trained_on) >= timedelta(days=every_days))
    return True


def expired_artifacts(records: Iterable[ModelRecord], entity: str, *, now: datetime,
                      retention_days: int = RETENTION_DAYS) -> list[ModelRecord]:
    """Versions of ``entity`` whose artifact can go: not live, still holding one, and replaced long enough ago.

    A version is replaced when a newer version of its segment was published (or, for one never
    published, trained); it expires ``retention_days`` after that. Ordered by key.
    """
    mine = [r for r in records if r.entity == entity]
    out = []
    for r in mine:
        if r.status == "Published" or not r.artifact_sha256:
            continue
        later = [n for n in mine if n.segment == r.segment and n.version > r.version]
        # A retired version was replaced when a later one went live; a candidate never published, as
        # soon as a later one was trained.
        newer = [pd.Timestamp(n.published_on) for n in later if n.published_on is not None] \
            if r.status == "Retired" else [pd.Timestamp(n.published_on or n.trained_on) for n in later]
        if newer and pd.Timestamp(now) - min(newer) >= timedelta(days=retention_days):
            out.append(r)
    return sorted(out, key=lambda r: r.key)


def should_publish(candidate: ModelRecord, live: ModelRecord | None, *, now: datetime) -> bool:
    """Whether a retrained model replaces the live one.

    True when there is no live model, when the candidate's AUC is at least 95 % of the live model's,
    or when the live model was published (or trained) more than 90 days before ``now``. A candidate
    without an AUC never replaces a live model that has one, unless the live one is too old.
    """
    if live is None:
        return True
    since = live.published_on or live.trained_on
    if pd.Timestamp(now) - pd.Timestamp(since) > timedelta(days=MAX_LIVE_AGE_DAYS):
        return True
    if live.auc is None:
        return True
    if candidate.auc is None:
        return False
    return candidate.auc >= PUBLISH_AUC_RATIO * live.auc


def apply_publish(records: list[ModelRecord], candidate: ModelRecord, *, now: datetime) -> list[ModelRecord]:
    """The registry after offering ``candidate``: published (and the old live retired) or kept as Trained.

    Returns:
        A new list: the other records unchanged, the previous live model retired if replaced, and the
        candidate with its status and publication time set.
    """
    live = live_model(records, candidate.entity, candidate.segment)
    others = [r for r in records if r.key != candidate.key]
    if not should_publish(candidate, live, now=now):
        return [*others, replace(candidate, status="Trained")]
    out = [replace(r, status="Retired") if live is not None and r.key == live.key else r for r in others]
    return [*out, replace(candidate, status="Published", published_on=now)]


def record_for(model: Any, *, artifact_sha256: str | None = None, filter_column: str | None = None,
               filter_values: Iterable[str] = ()) -> ModelRecord:
    """A ``Trained`` registry record describing a :class:`~connector.insights.scoring.trained.TrainedModel`."""
    features = {
        "used": list(model.features.columns),
        "ignore_empty": sorted(model.features.ignore_empty),
        "dropped": dict(model.features.dropped),
        "influence": [[name, value] for name, value in model.influence],
        "low_confidence": model.low_confidence,
    }
    return ModelRecord(
        entity=model.entity, version=model.version, kind=model.kind, status="Trained",
        readiness=model.metrics.get("readiness", "Not ready"), metrics=dict(model.metrics), features=features,
        trained_on=model.trained_on, artifact_sha256=artifact_sha256, filter_column=filter_column,
        filter_values=tuple(str(v) for v in filter_values),
    )
