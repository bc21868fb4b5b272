"""Scoring's view of the canonical frames: which rows train, which are scored, and what their columns say.

For each of lead and opportunity: closed records train (qualified vs disqualified, won vs lost),
each featurised as of the moment the model will be used on open ones. A lead is featurised at its
close. An opportunity gives one row per sales stage it passed through, featurised half-way through
that stage (:mod:`connector.insights.scoring.stages`); an open one is scored at its current stage,
now. Fields that closing sets (the final stage, close probability, actual values, status) are never
inputs at their final values, each underlying column is one feature (no canonical alias beside
its logical name), and the record owner is not a factor unless the admin includes it (sellers read
"Owner is Marie" as blame).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from connector import canonical
from connector.insights.activity_features import activity_features
from connector.insights.scoring import Vocabulary
from connector.insights.scoring.stages import MOMENT, STAGE, STAGE_STARTED, current_stages, stage_samples
from connector.insights.scoring.wording import DAYS, HOURS, SHARE
from connector.sync.streams import ACCOUNT_ATTRIBUTES, CONTACT_ATTRIBUTES


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
    staged: bool = False


ENTITIES = (
    EntitySpec("lead", "leads", "lead_id", "leadid", 1, "closed_on", "parent_account_id", "parent_contact_id"),
    EntitySpec("opportunity", "opportunities", "opportunity_id", "opportunityid", 1, "actual_close_date",
               "account_id", "contact_id", staged=True),
)

RELATED = (("accounts", "account", ACCOUNT_ATTRIBUTES), ("contacts", "contact", CONTACT_ATTRIBUTES))
"""Related tables whose attributes join each lead and opportunity, as ``<table>_<column>`` features."""

OUTCOME_COLUMNS = (
    "state_code", "status_code", "closed_on", "actual_close_date", "actualvalue", "actualclosedate", "statecode",
    "statuscode", "modified_on", "modifiedon", "closeprobability", "customer_id",
    # The final stage: replaced by the as-of stage (``bpf_stage``) of each sampled moment.
    "salesstage", "sales_stage", "stepname",
)
"""Never inputs: outcomes, what is only known at or after the close, and the final stage."""

ALIASES = ("estimated_value", "createdon", "estimatedclosedate")
"""Copies of a column present twice: the canonical ``estimated_value`` beside its logical name
``estimatedvalue``, and the raw text of dates the canonical frame already holds as dates (a date is
never an input; record age and time in stage are engineered instead)."""

OWNER = "owner_id"
"""Not a factor unless the admin includes it."""

TIME = "_closed_at"
"""The record's close: orders the train/test split (all rows of one record on one side)."""

VOCABULARY = Vocabulary(
    labels={
        "owner_id": "Owner", "leadsourcecode": "Lead source", "industrycode": "Industry",
        "numberofemployees": "Employees", "revenue": "Annual revenue", "budgetamount": "Budget",
        "budgetstatus": "Budget status", "purchasetimeframe": "Purchase timeframe",
        "purchaseprocess": "Purchase process", "need": "Need", "address1_country": "Country",
        "donotemail": "Do not e-mail", "jobtitle": "Job title", "companyname": "Company", "websiteurl": "Website",
        "estimatedvalue": "Est. revenue", STAGE: "Sales stage",
        "act_emails_outgoing_90d": "E-mails sent in the last 90 days",
        "act_emails_incoming_90d": "E-mails received in the last 90 days",
        "act_phonecalls_outgoing_90d": "Calls made in the last 90 days",
        "act_phonecalls_incoming_90d": "Calls received in the last 90 days",
        "act_appointments_all_90d": "Meetings in the last 90 days", "act_tasks_all_90d": "Tasks in the last 90 days",
        "act_days_since_incoming": "Since the customer last wrote or called",
        "act_days_since_outgoing": "Since we last wrote or called",
        "act_next_scheduled": "Next activity scheduled", "act_total_before": "Activities so far",
        "act_customer_reply_rate": "Share of our e-mails the customer answered",
        "act_customer_reply_hours": "Customer's usual reply time",
        "act_per_week": "Activities per week", "eng_job_level": "Job level",
        "eng_has_parent_account_id": "Existing account", "eng_has_parent_contact_id": "Existing contact",
        "eng_has_account_id": "Existing account", "eng_has_contact_id": "Existing contact",
        "account_industrycode": "Account industry", "account_numberofemployees": "Account employees",
        "account_revenue": "Account annual revenue", "account_address1_country": "Account country",
        "account_accountcategorycode": "Account category", "account_customertypecode": "Account relationship type",
        "contact_jobtitle": "Contact job title", "contact_preferredcontactmethodcode": "Contact's preferred method",
        "contact_donotemail": "Contact does not allow e-mail",
    },
    units={"act_days_since_incoming": DAYS, "act_days_since_outgoing": DAYS, "act_customer_reply_hours": HOURS,
           "act_customer_reply_rate": SHARE},
    missing={"act_days_since_incoming": "never", "act_days_since_outgoing": "never",
             "act_customer_reply_hours": "never_answered", "act_customer_reply_rate": "never_emailed"},
)
"""Display labels (Dataverse display names of the standard columns we read), units and "never" words."""


def excluded(include: tuple[str, ...]) -> list[str]:
    """Columns never offered to discovery: outcomes, aliases and (unless the admin includes it) the owner."""
    return [*OUTCOME_COLUMNS, *ALIASES, *([] if OWNER in include else [OWNER])]


def _records(frames: Mapping[str, pd.DataFrame], spec: EntitySpec) -> pd.DataFrame:
    records = frames.get(spec.frame, canonical.empty_frame(spec.frame)).copy()
    records = records.drop(columns=[c for c in records.columns if c.startswith("osi_")])
    users = frames.get("users")
    if users is not None and OWNER in records.columns:
        # An admin who includes the owner reads "Owner is Marie Dupont", never a GUID.
        names = users.drop_duplicates("user_id").set_index("user_id")["fullname"]
        owner = records[OWNER].astype("string")
        records[OWNER] = owner.map(names).fillna(owner)
    return records


def training_rows(frames: Mapping[str, pd.DataFrame], spec: EntitySpec) -> pd.DataFrame:
    """Closed records as of the moment the model will be used (one row per stage for a staged entity).

    Columns: the record's own, related account/contact attributes, ``act_*`` activity features as of
    :data:`MOMENT`, :data:`TIME` (the close), ``outcome`` (1 positive, 0 negative) and, for a staged
    entity, :data:`STAGE` and :data:`STAGE_STARTED`.
    """
    records = _records(frames, spec)
    closed = records[records["state_code"].fillna(0) != 0].copy()
    # A closed record without a close date is taken at its last modification.
    close = pd.to_datetime(closed[spec.closed_column], utc=True).fillna(
        pd.to_datetime(closed["modified_on"], utc=True))
    closed[TIME] = close
    closed["outcome"] = (closed["state_code"] == spec.positive_state).astype(int)
    if spec.staged:
        rows = stage_samples(closed.reset_index(drop=True), _frame(frames, "stage_paths"),
                             _frame(frames, "process_stages"), id_column=spec.id_column,
                             created_column="created_on", closed_column=TIME)
    else:
        rows = closed.assign(**{MOMENT: close}).reset_index(drop=True)
    return _with_context(frames, spec, rows)


def open_rows(frames: Mapping[str, pd.DataFrame], spec: EntitySpec, now: datetime) -> pd.DataFrame:
    """Open records as of ``now`` (at their current stage for a staged entity), with the same columns."""
    records = _records(frames, spec)
    opened = records[records["state_code"].fillna(0) == 0].reset_index(drop=True)
    if spec.staged:
        rows = current_stages(opened, _frame(frames, "stage_paths"), _frame(frames, "process_stages"),
                              id_column=spec.id_column, now=pd.Timestamp(now))
    else:
        rows = opened.assign(**{MOMENT: pd.Timestamp(now)})
    return _with_context(frames, spec, rows.assign(**{TIME: pd.NaT}))


def _frame(frames: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    return frames[name] if name in frames else canonical.empty_frame(name)


def _with_context(frames: Mapping[str, pd.DataFrame], spec: EntitySpec, rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.reset_index(drop=True)
    rows[MOMENT] = pd.to_datetime(rows[MOMENT], utc=True)
    acts = frames.get("activities", canonical.empty_frame("activities"))
    features = activity_features(acts, rows, id_column=spec.id_column, cutoff_column=MOMENT,
                                 created_column="created_on")
    return pd.concat([rows, related(frames, spec, rows), features], axis=1)


def related(frames: Mapping[str, pd.DataFrame], spec: EntitySpec, records: pd.DataFrame) -> pd.DataFrame:
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


__all__ = ["ENTITIES", "MOMENT", "STAGE", "STAGE_STARTED", "TIME", "VOCABULARY", "EntitySpec", "excluded",
           "open_rows", "related", "training_rows"]
