"""The scoring producer: train when due, publish by the registry's rule, score open records, keep history.

For each of lead and opportunity: the closed records (qualified vs disqualified, won vs lost) are
featurised as of their close, the open ones as of ``now``. The live model comes from the registry
(``osi_scoringmodel`` rows read back by the sync) and the model store; a new one is trained when
there is none, when it is 15 days old, or when its artifact is missing. A retrained model replaces
the live one only under the registry's publish rule. Every run writes today's score per open record
into ``osi_scorehistory``, from which the trend is computed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pandas as pd

from connector import canonical
from connector.errors import InsightError
from connector.insights.activity_features import activity_features
from connector.insights.scoring import score_records, score_trend, train_model
from connector.insights.scoring.registry import (
    ModelRecord,
    apply_publish,
    live_model,
    next_version,
    record_for,
    retrain_due,
)
from connector.insights.scoring.trained import TrainedModel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EntitySpec:
    """How one entity is scored: frame, ids, the outcome column and its positive value."""

    entity: str
    frame: str
    id_column: str
    dataverse_id: str
    positive_state: int
    closed_column: str


ENTITIES = (
    EntitySpec("lead", "leads", "lead_id", "leadid", 1, "closed_on"),
    EntitySpec("opportunity", "opportunities", "opportunity_id", "opportunityid", 1, "actual_close_date"),
)

# Never inputs: outcomes and what is only known at or after the close, our own outputs, identities.
OUTCOME_COLUMNS = (
    "state_code", "status_code", "closed_on", "actual_close_date", "actualvalue", "actualclosedate", "statecode",
    "statuscode", "modified_on", "modifiedon", "closeprobability", "stepname", "customer_id",
)


LABELS = {
    "leadsourcecode": "Lead source", "industrycode": "Industry", "numberofemployees": "Employees",
    "revenue": "Annual revenue", "budgetamount": "Budget", "budgetstatus": "Budget status",
    "purchasetimeframe": "Purchase timeframe", "purchaseprocess": "Purchase process", "need": "Need",
    "address1_country": "Country", "donotemail": "Do not e-mail", "jobtitle": "Job title",
    "companyname": "Company", "websiteurl": "Website", "estimatedvalue": "Est. revenue",
    "estimated_value": "Est. revenue", "estimatedclosedate": "Est. close date", "salesstage": "Sales stage",
    "sales_stage": "Sales stage",
    "act_emails_outgoing_90d": "E-mails sent in the last 90 days",
    "act_emails_incoming_90d": "E-mails received in the last 90 days",
    "act_phonecalls_outgoing_90d": "Calls made in the last 90 days",
    "act_phonecalls_incoming_90d": "Calls received in the last 90 days",
    "act_appointments_all_90d": "Meetings in the last 90 days", "act_tasks_all_90d": "Tasks in the last 90 days",
    "act_days_since_incoming": "Days since the customer last wrote or called",
    "act_days_since_outgoing": "Days since we last wrote or called",
    "act_next_scheduled": "Next activity scheduled", "act_total_before": "Activities so far",
    "act_customer_reply_rate": "Share of our e-mails the customer answered",
    "act_customer_reply_hours": "Hours the customer takes to answer",
    "act_per_week": "Activities per week", "eng_job_level": "Job level",
    "eng_has_parent_account_id": "Existing account", "eng_has_parent_contact_id": "Existing contact",
}
"""Display labels for reason sentences (Dataverse display names of the standard columns we read)."""


def _record_name(record: ModelRecord) -> str:
    return f"{record.entity}-{record.kind}-v{record.version}.joblib"


def _featurised(frames: Mapping[str, pd.DataFrame], spec: EntitySpec, now: datetime) -> pd.DataFrame:
    records = frames.get(spec.frame, canonical.empty_frame(spec.frame)).copy()
    closed = records["state_code"].fillna(0) != 0
    cutoff = records[spec.closed_column].where(closed, pd.Timestamp(now))
    # A closed record without a close date is featurised at its last modification.
    records["_cutoff"] = pd.to_datetime(cutoff.fillna(records["modified_on"]), utc=True)
    acts = frames.get("activities", canonical.empty_frame("activities"))
    features = activity_features(acts, records, id_column=spec.id_column, cutoff_column="_cutoff",
                                 created_column="created_on")
    own = [c for c in records.columns if c.startswith("osi_")]
    return pd.concat([records.drop(columns=own), features], axis=1)


def _load(models: Any, record: ModelRecord, entity: str) -> TrainedModel | None:
    """The stored model of a registry row, or None when it is missing or cannot be trusted or read."""
    if models is None or not record.artifact_sha256:
        return None
    try:
        return models.load(_record_name(record), record.artifact_sha256)
    except InsightError as exc:
        # Never score with a model we cannot trust or read; a new one is trained from the data.
        log.warning("the live %s model v%s cannot be used (%s); training a new one", entity, record.version, exc)
        return None


def _live(frames: Mapping[str, pd.DataFrame], spec: EntitySpec, data: pd.DataFrame, now: datetime,
          models: Any, on_demand: bool) -> tuple[TrainedModel, list[ModelRecord]]:
    rows = frames.get("own_osi_scoringmodel")
    registry = [ModelRecord.from_row(r) for r in rows.to_dict("records")] if rows is not None else []
    live = live_model(registry, spec.entity)
    due = live is None or retrain_due(live, now=now, on_demand=on_demand)
    if live is not None and not due:
        model = _load(models, live, spec.entity)
        if model is not None:
            return model, []
    closed = data[data["state_code"].fillna(0) != 0].copy()
    closed["outcome"] = (closed["state_code"] == spec.positive_state).astype(int)
    model = train_model(
        closed, entity=spec.entity, target="outcome", positive=1, now=pd.Timestamp(now), time_column="_cutoff",
        id_column=spec.id_column, created_column="created_on", closed_column="_cutoff",
        drop=[c for c in OUTCOME_COLUMNS if c in closed.columns], version=next_version(registry, spec.entity),
        labels=LABELS)
    sha = models.save(model)[1] if models is not None else None
    candidate = record_for(model, artifact_sha256=sha)
    after = apply_publish(registry, candidate, now=now)
    published = live_model(after, spec.entity)
    if published is not None and published.key != candidate.key:
        kept = _load(models, published, spec.entity)
        if kept is not None:
            return kept, [r for r in after if r not in registry]
        # The model the rule would keep cannot be loaded: the new one replaces it whatever its AUC.
        retired = [replace(r, status="Retired") if r.key == published.key else r for r in registry]
        after = apply_publish(retired, candidate, now=now)
    return model, [r for r in after if r not in registry]


def score_entity(frames: Mapping[str, pd.DataFrame], spec: EntitySpec, *, now: datetime,
                 models: Any, retrain: bool = False) -> dict[str, pd.DataFrame]:
    """Scores, history rows and registry changes for one entity.

    Raises:
        InsightError: too few closed records of each outcome to train any model.
    """
    data = _featurised(frames, spec, now)
    model, registry_changes = _live(frames, spec, data, now, models, retrain)
    open_records = data[data["state_code"].fillna(0) == 0]
    scores = score_records(model, open_records, now=pd.Timestamp(now), id_column=spec.id_column)
    scores = scores.rename(columns={spec.id_column: spec.dataverse_id})
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
        out["osi_scoringmodel"] = pd.DataFrame([{**r.to_row(), "osi_name": f"{r.entity} model v{r.version}"}
                                                for r in registry_changes])
    return out


def score_all(frames: Mapping[str, pd.DataFrame], *, now: datetime, models: Any,
              errors: list[str], retrain: frozenset[str] = frozenset()) -> dict[str, pd.DataFrame]:
    """Score leads and opportunities; an entity that cannot be trained is reported, the other goes on."""
    out: dict[str, pd.DataFrame] = {}
    for spec in ENTITIES:
        try:
            part = score_entity(frames, spec, now=now, models=models, retrain=spec.entity in retrain)
        except InsightError as exc:
            errors.append(f"scoring {spec.entity}: {exc}")
            continue
        for table, frame in part.items():
            out[table] = pd.concat([out[table], frame], ignore_index=True) if table in out else frame
    return out

