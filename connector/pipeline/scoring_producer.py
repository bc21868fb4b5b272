"""The scoring producer: train when due, publish by the registry's rule, score open records, keep history.

For each of lead and opportunity: the closed records (qualified vs disqualified, won vs lost) are
featurised as of their close, the open ones as of ``now``. The live model comes from the registry
(``osi_scoringmodel`` rows read back by the sync) and the model store; a new one is trained when
there is none, when it is 15 days old, or when its artifact is missing. A retrained model replaces
the live one only under the registry's publish rule. Every run writes today's score per open record
into ``osi_scorehistory``, from which the trend is computed.
"""

from __future__ import annotations

import hashlib
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
from connector.pipeline.scoring_definition import ModelDefinition, Segment, parse_definition
from connector.sync.streams import ACCOUNT_ATTRIBUTES, CONTACT_ATTRIBUTES

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
    account_column: str
    contact_column: str


ENTITIES = (
    EntitySpec("lead", "leads", "lead_id", "leadid", 1, "closed_on", "parent_account_id", "parent_contact_id"),
    EntitySpec("opportunity", "opportunities", "opportunity_id", "opportunityid", 1, "actual_close_date",
               "account_id", "contact_id"),
)

RELATED = (("accounts", "account", ACCOUNT_ATTRIBUTES), ("contacts", "contact", CONTACT_ATTRIBUTES))
"""Related tables whose attributes join each lead and opportunity, as ``<table>_<column>`` features."""

# Never inputs: outcomes and what is only known at or after the close, our own outputs, identities.
OUTCOME_COLUMNS = (
    "state_code", "status_code", "closed_on", "actual_close_date", "actualvalue", "actualclosedate", "statecode",
    "statuscode", "modified_on", "modifiedon", "closeprobability", "stepname", "customer_id",
)


LABELS = {
    "owner_id": "Owner", "leadsourcecode": "Lead source", "industrycode": "Industry", "numberofemployees": "Employees",
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
    "account_industrycode": "Account industry", "account_numberofemployees": "Account employees",
    "account_revenue": "Account annual revenue", "account_address1_country": "Account country",
    "account_accountcategorycode": "Account category", "account_customertypecode": "Account relationship type",
    "contact_jobtitle": "Contact job title", "contact_preferredcontactmethodcode": "Contact's preferred method",
    "contact_donotemail": "Contact does not allow e-mail",
}
"""Display labels for reason sentences (Dataverse display names of the standard columns we read)."""


def _record_name(record: ModelRecord) -> str:
    if record.segment == "all":
        return f"{record.entity}-{record.kind}-v{record.version}.joblib"
    # Segment names hold "=" and "," and any admin text: the file name gets a digest of it instead.
    digest = hashlib.sha256(record.segment.encode()).hexdigest()[:12]
    return f"{record.entity}-{record.kind}-{digest}-v{record.version}.joblib"


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
    related = _related(frames, spec, records)
    records = records.drop(columns=own)
    users = frames.get("users")
    if users is not None and "owner_id" in records.columns:
        # A reason must say "Owner is Marie Dupont", never a GUID: the owner is learned by name.
        names = users.drop_duplicates("user_id").set_index("user_id")["fullname"]
        owner = records["owner_id"].astype("string")
        records["owner_id"] = owner.map(names).fillna(owner)
    return pd.concat([records, related, features], axis=1)


def _related(frames: Mapping[str, pd.DataFrame], spec: EntitySpec, records: pd.DataFrame) -> pd.DataFrame:
    """The account's and the contact's attributes of each record (their current values).

    An attribute the record holds itself (a lead's own industry or job title) is not borrowed: the
    record's value is the one its seller maintains, and a second copy only adds noise.
    """
    out = pd.DataFrame(index=records.index)
    for frame, prefix, attributes in RELATED:
        table = frames.get(frame)
        link = spec.account_column if prefix == "account" else spec.contact_column
        if table is None or link not in records.columns:
            continue
        key = canonical.KEYS[frame]
        present = [c for c in attributes if c in table.columns and c not in records.columns]
        lookup = table.drop_duplicates(key).set_index(key)[present]
        joined = lookup.reindex(records[link].astype("string").to_numpy())
        for col in present:
            out[f"{prefix}_{col}"] = joined[col].to_numpy()
    return out


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


def _live(registry: list[ModelRecord], spec: EntitySpec, data: pd.DataFrame, now: datetime, models: Any,
          on_demand: bool, definition: ModelDefinition, segment: Segment | None = None,
          ) -> tuple[TrainedModel, list[ModelRecord]]:
    """The model that scores ``segment`` (all records when None), trained and published as the rules say.

    Raises:
        InsightError: too few closed records of each outcome in the segment to train a model.
    """
    name = segment.name if segment else "all"
    fingerprint = definition.fingerprint()
    live = live_model(registry, spec.entity, name)
    redefined = live is not None and live.features.get("definition") != fingerprint
    requested = definition.retrain_requested_on
    on_demand = on_demand or (live is not None and requested is not None
                              and pd.Timestamp(live.trained_on) < pd.Timestamp(requested) <= pd.Timestamp(now))
    due = live is None or redefined or retrain_due(live, now=now, on_demand=on_demand)
    if live is not None and not due:
        model = _load(models, live, spec.entity)
        if model is not None:
            return model, []
    closed = data[data["state_code"].fillna(0) != 0].copy()
    closed["outcome"] = (closed["state_code"] == spec.positive_state).astype(int)
    drop = [c for c in (*OUTCOME_COLUMNS, *definition.exclude) if c in closed.columns]
    model = train_model(
        closed, entity=spec.entity, target="outcome", positive=1, now=pd.Timestamp(now), time_column="_cutoff",
        id_column=spec.id_column, created_column="created_on", closed_column="_cutoff", drop=drop,
        include=[c for c in definition.include if c in closed.columns and c not in drop],
        ignore_empty=definition.ignore_empty, cutoffs=definition.cutoffs,
        version=next_version(registry, spec.entity, name), labels=LABELS)
    candidate = record_for(model, filter_column=segment.column if segment else None,
                           filter_values=segment.values if segment else ())
    sha = models.save(model, _record_name(candidate))[1] if models is not None else None
    candidate = replace(candidate, artifact_sha256=sha, features={**candidate.features, "definition": fingerprint})
    after = apply_publish(registry, candidate, now=now)
    published = live_model(after, spec.entity, name)
    if published is not None and published.key != candidate.key:
        kept = None if redefined else _load(models, published, spec.entity)
        if kept is not None:
            return kept, [r for r in after if r not in registry]
        # The admin changed the definition, or the model the rule would keep cannot be loaded: the new
        # one replaces it whatever its AUC (otherwise every run would retrain and never publish).
        retired = [replace(r, status="Retired") if r.key == published.key else r for r in registry]
        after = apply_publish(retired, candidate, now=now)
    return model, [r for r in after if r not in registry]


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
    data = _featurised(frames, spec, now)
    rows = frames.get("own_osi_scoringmodel")
    registry = [ModelRecord.from_row(r) for r in rows.to_dict("records")] if rows is not None else []
    model, registry_changes = _live(registry, spec, data, now, models, retrain, definition)
    open_records = data[data["state_code"].fillna(0) == 0]
    assigned: list[tuple[TrainedModel, Segment | None, pd.Series]] = []
    taken = pd.Series(False, index=open_records.index)
    for segment in definition.segments:
        try:
            if segment.column not in data.columns:
                raise InsightError(f"the segment column {segment.column!r} is not a {spec.entity} column")
            if segment.column in OUTCOME_COLUMNS or segment.column.startswith("osi_"):
                # A segment by outcome (status reason, close date) would train each model on one outcome.
                raise InsightError(f"the segment column {segment.column!r} is an outcome or one of our outputs")
            members = data[segment.column].astype("string").isin(list(segment.values)).fillna(False)
            seg_model, changes = _live(registry, spec, data[members], now, models, retrain, definition, segment)
        except InsightError as exc:
            problems.append(f"scoring {spec.entity} segment {segment.name}: {exc}; its records use the model "
                            "of all records")
            continue
        registry_changes += changes
        mine = members.reindex(open_records.index, fill_value=False) & ~taken
        taken |= mine
        assigned.append((seg_model, segment, mine))
    assigned.append((model, None, ~taken))
    # A segment the admin removed no longer scores anything: its model is retired, not left "live";
    # and when the admin published another version by hand, the one it replaced is retired.
    defined = {"all", *(seg.name for seg in definition.segments)}
    changed = {r.key for r in registry_changes}
    registry_changes += [replace(r, status="Retired") for r in registry
                         if r.entity == spec.entity and r.status == "Published" and r.key not in changed
                         and (r.segment not in defined or r != live_model(registry, spec.entity, r.segment))]
    parts = []
    for used, segment, mask in assigned:
        part = score_records(used, open_records[mask], now=pd.Timestamp(now), id_column=spec.id_column)
        parts.append(part.assign(osi_modelversion=_model_version(used, segment)) if len(part) else part)
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
    for spec in ENTITIES:
        definition, problems = parse_definition(setting or {}, spec.entity)
        errors.extend(problems)
        try:
            part = score_entity(frames, spec, now=now, models=models, retrain=spec.entity in retrain,
                                definition=definition, problems=errors)
        except InsightError as exc:
            errors.append(f"scoring {spec.entity}: {exc}")
            continue
        for table, frame in part.items():
            out[table] = pd.concat([out[table], frame], ignore_index=True) if table in out else frame
    return out
