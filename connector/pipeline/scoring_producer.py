"""The scoring producer: train when due, publish by the registry's rule, score open records, keep history.

For each of lead and opportunity, the closed records train as of the moment the model will be used
(:mod:`connector.pipeline.scoring_data`: an opportunity once per stage it passed), the open ones are
scored as of ``now``. The live model comes from the registry (``osi_scoringmodel`` rows read back by
the sync) and the model store; a new one is trained when there is none, when it is 15 days old, or
when its artifact is missing or refused (then the refusal is reported on the run). A retrained model
replaces the live one only under the registry's publish rule; one that missed it waits for new
closed records or the next period instead of being retrained every run, and artifacts of retired
versions are deleted after the retention period. Every run writes today's score per open record into
``osi_scorehistory``, from which the trend is computed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import pandas as pd

from connector.errors import InsightError
from connector.insights.scoring import Columns, ScoringEstimator, score_records, score_trend
from connector.insights.scoring.registry import (
    ModelRecord,
    apply_publish,
    data_stamp,
    expired_artifacts,
    live_model,
    next_version,
    record_for,
    retrain_due,
    waiting_candidate,
)
from connector.insights.scoring.stages import MOMENT, STAGE_STARTED
from connector.insights.scoring.trained import TrainedModel
from connector.pipeline.scoring_data import (
    ENTITIES,
    OUTCOME_COLUMNS,
    TIME,
    VOCABULARY,
    EntitySpec,
    excluded,
    open_rows,
    training_rows,
)
from connector.pipeline.scoring_definition import ModelDefinition, ScoringSettings, Segment

log = logging.getLogger(__name__)

__all__ = ["ENTITIES", "EntitySpec", "score_all", "score_entity"]


def _record_name(record: ModelRecord) -> str:
    if record.segment == "all":
        return f"{record.entity}-{record.kind}-v{record.version}.skops"
    # Segment names hold "=" and "," and any admin text: the file name gets a digest of it instead.
    digest = hashlib.sha256(record.segment.encode()).hexdigest()[:12]
    return f"{record.entity}-{record.kind}-{digest}-v{record.version}.skops"


def _load(models: Any, record: ModelRecord, entity: str, problems: list[str]) -> TrainedModel | None:
    """The stored model of a registry row, or None when it is missing or cannot be trusted or read.

    A refused artifact (not ours, altered, or of an unsafe type) is reported in ``problems``: the run
    row then says why a new model was trained.
    """
    if models is None or not record.artifact_sha256:
        return None
    try:
        loaded: TrainedModel | None = models.load(_record_name(record), record.artifact_sha256)
        return loaded
    except InsightError as exc:
        # Never score with a model we cannot trust or read; a new one is trained from the data.
        log.warning("the live %s model v%s cannot be used (%s); training a new one", entity, record.version, exc)
        problems.append(f"scoring {entity}: the stored model v{record.version} ({record.segment}) was refused: "
                        f"{exc}; a new model was trained")
        return None


def _train(spec: EntitySpec, train: pd.DataFrame, now: datetime, definition: ModelDefinition,
           version: int) -> TrainedModel:
    """A new model of ``spec`` from its training rows, under the admin's definition.

    Raises:
        InsightError: too few closed records of each outcome, or no usable feature.
    """
    drop = [c for c in (*excluded(definition.include), *definition.exclude) if c in train.columns]
    columns = Columns(id=spec.id_column, time=TIME, created="created_on", closed=MOMENT,
                      stage_started=STAGE_STARTED if spec.staged else None, group=spec.id_column)
    estimator = ScoringEstimator(
        entity=spec.entity, columns=columns, drop=tuple(drop),
        include=tuple(c for c in definition.include if c in train.columns and c not in drop),
        ignore_empty=definition.ignore_empty, cutoffs=definition.cutoffs, vocabulary=VOCABULARY, version=version)
    return estimator.fit(train.drop(columns=["outcome"]), train["outcome"].to_numpy(), now=pd.Timestamp(now)).model_


def _live(registry: list[ModelRecord], spec: EntitySpec, train: pd.DataFrame, now: datetime, models: Any,
          on_demand: bool, definition: ModelDefinition, problems: list[str], segment: Segment | None = None,
          ) -> tuple[TrainedModel, list[ModelRecord]]:
    """The model that scores ``segment`` (all records when None), trained and published as the rules say.

    Raises:
        InsightError: too few closed records of each outcome in the segment to train a model.
    """
    name = segment.name if segment else "all"
    fingerprint = definition.fingerprint()
    stamp = data_stamp(train[spec.id_column], train[TIME])
    live = live_model(registry, spec.entity, name)
    redefined = live is not None and live.features.get("definition") != fingerprint
    requested = definition.retrain_requested_on
    on_demand = on_demand or (live is not None and requested is not None
                              and pd.Timestamp(live.trained_on) < pd.Timestamp(requested) <= pd.Timestamp(now))
    waiting = waiting_candidate(registry, spec.entity, name)
    due = live is None or redefined or retrain_due(live, now=now, on_demand=on_demand, waiting=waiting, stamp=stamp)
    if live is not None and not due:
        model = _load(models, live, spec.entity, problems)
        if model is not None:
            return model, []
    model = _train(spec, train, now, definition, next_version(registry, spec.entity, name))
    candidate = record_for(model, filter_column=segment.column if segment else None,
                           filter_values=segment.values if segment else ())
    sha = models.save(model, _record_name(candidate))[1] if models is not None else None
    candidate = replace(candidate, artifact_sha256=sha,
                        features={**candidate.features, "definition": fingerprint, "data": stamp})
    after = apply_publish(registry, candidate, now=now)
    published = live_model(after, spec.entity, name)
    if published is not None and published.key != candidate.key:
        kept = None if redefined else _load(models, published, spec.entity, problems)
        if kept is not None:
            return kept, [r for r in after if r not in registry]
        # The admin changed the definition, or the model the rule would keep cannot be loaded: the new
        # one replaces it whatever its AUC (otherwise every run would retrain and never publish).
        retired = [replace(r, status="Retired") if r.key == published.key else r for r in registry]
        after = apply_publish(retired, candidate, now=now)
    return model, [r for r in after if r not in registry]


def _segment_models(registry: list[ModelRecord], spec: EntitySpec, train: pd.DataFrame, open_records: pd.DataFrame,
                    now: datetime, models: Any, retrain: bool, definition: ModelDefinition, problems: list[str],
                    ) -> tuple[list[tuple[TrainedModel, Segment | None, pd.Series]], list[ModelRecord]]:
    """Each admin segment's model and the open records it scores (first segment first); registry changes.

    A segment that cannot be trained is reported in ``problems`` and its records keep the model of all records.
    """
    registry_changes: list[ModelRecord] = []
    assigned: list[tuple[TrainedModel, Segment | None, pd.Series]] = []
    taken = pd.Series(False, index=open_records.index)
    for segment in definition.segments:
        try:
            if segment.column not in train.columns:
                raise InsightError(f"the segment column {segment.column!r} is not a {spec.entity} column")
            if segment.column in OUTCOME_COLUMNS or segment.column.startswith("osi_"):
                # A segment by outcome (status reason, close date) would train each model on one outcome.
                raise InsightError(f"the segment column {segment.column!r} is an outcome or one of our outputs")
            members = train[segment.column].astype("string").isin(list(segment.values)).fillna(False)
            seg_model, changes = _live(registry, spec, train[members], now, models, retrain, definition, problems,
                                       segment)
        except InsightError as exc:
            problems.append(f"scoring {spec.entity} segment {segment.name}: {exc}; its records use the model "
                            "of all records")
            continue
        registry_changes += changes
        in_open = open_records[segment.column].astype("string").isin(list(segment.values)).fillna(False) \
            if segment.column in open_records.columns else pd.Series(False, index=open_records.index)
        mine = in_open & ~taken
        taken |= mine
        assigned.append((seg_model, segment, mine))
    return assigned, registry_changes


def _expire(registry: list[ModelRecord], changes: list[ModelRecord], spec: EntitySpec, now: datetime,
            models: Any) -> list[ModelRecord]:
    """Delete the artifacts of versions superseded longer than the retention period; their rows lose the checksum.

    Idempotent: a deleted artifact's row has no checksum, so it is never expired again; a crash
    between the delete and the row update only deletes a missing file next time.
    """
    if models is None:
        return []
    changed = {r.key for r in changes}
    current = [*[r for r in registry if r.key not in changed], *changes]
    out = []
    for record in expired_artifacts(current, spec.entity, now=now):
        models.delete(_record_name(record))
        out.append(replace(record, artifact_sha256=None))
    return out


def _model_version(model: TrainedModel, segment: Segment | None) -> str:
    if segment is None:
        return model.model_version
    return f"{model.entity}-{model.kind}-{segment.name}-v{model.version}"[:100]


def score_entity(frames: Mapping[str, pd.DataFrame], spec: EntitySpec, *, now: datetime,
                 models: Any, retrain: bool = False, definition: ModelDefinition | None = None,
                 problems: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Scores, history rows and registry changes for one entity.

    The model of all records scores every open record; a segment's own model then rescores the
    open records of its segment. A segment that cannot be trained (too few closed records, unknown
    column) is reported in ``problems`` and its records keep the model of all records.

    Raises:
        InsightError: too few closed records of each outcome to train the model of all records.
    """
    definition = definition or ModelDefinition()
    problems = problems if problems is not None else []
    train = training_rows(frames, spec)
    open_records = open_rows(frames, spec, now)
    rows = frames.get("own_osi_scoringmodel")
    registry = [ModelRecord.from_row(r) for r in rows.to_dict("records")] if rows is not None else []
    model, registry_changes = _live(registry, spec, train, now, models, retrain, definition, problems)
    assigned, changes = _segment_models(registry, spec, train, open_records, now, models, retrain, definition,
                                        problems)
    registry_changes += changes
    taken = pd.Series(False, index=open_records.index)
    for _, _, mask in assigned:
        taken |= mask
    assigned.append((model, None, ~taken))
    # A segment the admin removed no longer scores anything: its model is retired, not left "live";
    # and when the admin published another version by hand, the one it replaced is retired.
    defined = {"all", *(seg.name for seg in definition.segments)}
    changed = {r.key for r in registry_changes}
    registry_changes += [replace(r, status="Retired") for r in registry
                         if r.entity == spec.entity and r.status == "Published" and r.key not in changed
                         and (r.segment not in defined or r != live_model(registry, spec.entity, r.segment))]
    registry_changes += _expire(registry, registry_changes, spec, now, models)
    parts = []
    for used, seg, mask in assigned:
        part = score_records(used, open_records[mask], now=pd.Timestamp(now), id_column=spec.id_column)
        parts.append(part.assign(osi_modelversion=_model_version(used, seg)) if len(part) else part)
    scores = pd.concat(parts, ignore_index=True).rename(columns={spec.id_column: spec.dataverse_id})
    day = pd.Timestamp(now).strftime("%Y-%m-%d")
    history_today = pd.DataFrame({
        "osi_key": scores[spec.dataverse_id].astype(str) + f"|{day}",
        "osi_name": f"{spec.entity} score {day}",
        "osi_recordid": scores[spec.dataverse_id], "osi_entityname": spec.entity, "osi_day": day,
        "osi_score": scores["osi_score"], "osi_grade": scores["osi_grade"],
        "osi_modelversion": scores["osi_modelversion"],
    })
    past = frames.get("own_osi_scorehistory")
    history = pd.concat([past[past["osi_entityname"] == spec.entity] if past is not None and not past.empty
                         else None, history_today], ignore_index=True)
    history = history.drop_duplicates("osi_key", keep="last")
    trend = score_trend(history, now=pd.Timestamp(now))
    scores["osi_scoretrend"] = scores[spec.dataverse_id].map(trend.set_index("osi_recordid")["osi_scoretrend"])
    out = {spec.entity: scores, "osi_scorehistory": history_today}
    if registry_changes:
        out["osi_scoringmodel"] = pd.DataFrame([
            {**r.to_row(), "osi_name": f"{r.entity} model v{r.version}" if r.segment == "all"
             else f"{r.entity} model {r.segment} v{r.version}"[:200]} for r in registry_changes])
    return out


def score_all(frames: Mapping[str, pd.DataFrame], *, now: datetime, models: Any, errors: list[str],
              retrain: frozenset[str] = frozenset(), setting: Mapping[str, Any] | None = None,
              ) -> dict[str, pd.DataFrame]:
    """Score leads and opportunities; an entity that cannot be trained is reported, the other goes on.

    ``setting`` is the admin's ``scoring`` setting (model definitions per entity); its problems are
    reported in ``errors`` and the rest of it applies.
    """
    out: dict[str, pd.DataFrame] = {}
    settings, problems = ScoringSettings.parse(setting)
    errors.extend(problems)
    for spec in ENTITIES:
        definition = settings.for_entity(spec.entity)
        try:
            part = score_entity(frames, spec, now=now, models=models, retrain=spec.entity in retrain,
                                definition=definition, problems=errors)
        except InsightError as exc:
            errors.append(f"scoring {spec.entity}: {exc}")
            continue
        for table, frame in part.items():
            out[table] = pd.concat([out[table], frame], ignore_index=True) if table in out else frame
    return out
