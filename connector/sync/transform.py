"""Turn raw Web API rows into canonical frames (pure functions, one per stream kind).

Each function takes the rows of one stream as returned by the Web API (dicts keyed by logical names,
lookups as ``_x_value``) and returns a frame with the canonical columns of
:mod:`connector.canonical` plus, for streams that have them, our own ``osi_`` columns (kept so the
load can diff against what Dataverse holds). The type of a polymorphic lookup (regarding, party,
customer) is resolved by the caller from the ids it knows, see :func:`resolve_types`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from connector import canonical
from connector.sync.streams import StreamSpec

Row = Mapping[str, Any]

ACTIVITY_TYPES = {"emails": "email", "phonecalls": "phonecall", "appointments": "appointment", "tasks": "task"}


def _frame(rows: Sequence[Row], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=list(dict.fromkeys(columns)))


def _lower(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.lower()


def _domain(email: pd.Series, website: pd.Series) -> pd.Series:
    from_mail = _lower(email).str.extract(r"@([^@\s>]+)$", expand=False)
    from_site = _lower(website).str.extract(r"^(?:https?://)?(?:www\.)?([^/:\s]+)", expand=False)
    return from_mail.fillna(from_site)


def to_frame(spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    """The canonical frame rows of one stream.

    Returns:
        a frame with the canonical columns of ``spec.frame``, our ``osi_`` columns for the stream, and
        (leads and opportunities) every other selected attribute under its logical name.
    """
    raw = _frame(rows, spec.all_columns)
    osi = raw[list(spec.osi_columns)] if spec.osi_columns else pd.DataFrame(index=raw.index)
    builder = _BUILDERS.get(spec.frame)
    if builder:
        out = builder(raw, spec, rows)
    else:
        out = raw.rename(columns={spec.key: canonical.KEYS.get(spec.frame, spec.key)})
    if spec.osi_columns and builder:
        out = pd.concat([out.reset_index(drop=True), osi.reset_index(drop=True)], axis=1)
    return canonical.conform(out, spec.frame) if spec.frame in canonical.FRAMES else out


def _users(raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    return pd.DataFrame({
        "user_id": raw["systemuserid"], "fullname": raw["fullname"], "email": _lower(raw["internalemailaddress"]),
        "aad_object_id": _lower(raw["azureactivedirectoryobjectid"]), "is_disabled": raw["isdisabled"],
        "timezone": pd.NA,
    })


def _accounts(raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    return pd.DataFrame({
        "account_id": raw["accountid"], "name": raw["name"], "owner_id": raw["_ownerid_value"],
        "primary_contact_id": raw["_primarycontactid_value"],
        "email_domain": _domain(raw["emailaddress1"], raw["websiteurl"]), "state_code": raw["statecode"],
        "created_on": raw["createdon"], "modified_on": raw["modifiedon"],
    })


def _contacts(raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    # parentcustomerid may point at an account or a contact; the caller keeps only account ids.
    return pd.DataFrame({
        "contact_id": raw["contactid"], "fullname": raw["fullname"], "email": _lower(raw["emailaddress1"]),
        "parent_account_id": raw["_parentcustomerid_value"], "owner_id": raw["_ownerid_value"],
        "state_code": raw["statecode"], "created_on": raw["createdon"], "modified_on": raw["modifiedon"],
    })


FORMATTED = "@OData.Community.Display.V1.FormattedValue"


def _with_attributes(base: pd.DataFrame, raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    extra = raw[[c for c in spec.select if c not in base.columns and not c.startswith("_")]].reset_index(drop=True)
    for col in spec.choice_columns:
        # The label a seller knows ("Web") rather than the option number; the number when no label came.
        labels = pd.Series([r.get(col + FORMATTED) for r in rows], dtype="object")
        if col in extra.columns and len(labels) == len(extra):
            extra[col] = labels.where(labels.notna(), extra[col].astype("object"))
    return pd.concat([base, extra], axis=1)


def _leads(raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    raw = raw.reset_index(drop=True)
    base = pd.DataFrame({
        "lead_id": raw["leadid"], "fullname": raw["fullname"], "subject": raw["subject"],
        "email": _lower(raw["emailaddress1"]), "company": raw["companyname"], "owner_id": raw["_ownerid_value"],
        "parent_account_id": raw["_parentaccountid_value"], "parent_contact_id": raw["_parentcontactid_value"],
        "state_code": raw["statecode"], "status_code": raw["statuscode"], "created_on": raw["createdon"],
        "modified_on": raw["modifiedon"], "closed_on": pd.NaT,
    })
    return _with_attributes(base, raw, spec, rows)


def _opportunities(raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    raw = raw.reset_index(drop=True)
    base = pd.DataFrame({
        "opportunity_id": raw["opportunityid"], "name": raw["name"], "owner_id": raw["_ownerid_value"],
        "account_id": raw["_parentaccountid_value"], "contact_id": raw["_parentcontactid_value"],
        "customer_id": raw["_customerid_value"], "state_code": raw["statecode"], "status_code": raw["statuscode"],
        "sales_stage": raw["salesstage"], "estimated_value": raw["estimatedvalue"],
        "estimated_close_date": raw["estimatedclosedate"], "actual_close_date": raw["actualclosedate"],
        "created_on": raw["createdon"], "modified_on": raw["modifiedon"],
    })
    return _with_attributes(base, raw, spec, rows)


def _activities(raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    n = len(raw)

    def col(name: str) -> pd.Series:
        return raw[name] if name in raw.columns else pd.Series([pd.NA] * n, index=raw.index, dtype="object")

    direction = col("directioncode").map({True: "outgoing", False: "incoming"}, na_action="ignore")
    when = (
        pd.to_datetime(col("actualend"), utc=True, errors="coerce", format="ISO8601")
        .fillna(pd.to_datetime(col("senton"), utc=True, errors="coerce", format="ISO8601"))
        .fillna(pd.to_datetime(col("scheduledstart"), utc=True, errors="coerce", format="ISO8601"))
        .fillna(pd.to_datetime(col("createdon"), utc=True, errors="coerce", format="ISO8601"))
    )
    start = pd.to_datetime(col("scheduledstart"), utc=True, errors="coerce", format="ISO8601")
    end = pd.to_datetime(col("scheduledend"), utc=True, errors="coerce", format="ISO8601")
    scheduled_minutes = (end - start).dt.total_seconds() / 60
    duration = pd.to_numeric(col("actualdurationminutes"), errors="coerce").fillna(scheduled_minutes)
    return pd.DataFrame({
        "activity_id": raw["activityid"], "activity_type": ACTIVITY_TYPES[spec.name], "subject": col("subject"),
        "description": col("description"), "direction": direction, "state_code": col("statecode"),
        "owner_id": col("_ownerid_value"), "regarding_id": col("_regardingobjectid_value"), "regarding_type": pd.NA,
        "occurred_on": when, "scheduled_start": start, "scheduled_end": end, "duration_minutes": duration,
        "parent_activity_id": col("_parentactivityid_value"), "message_id": col("messageid"),
        "in_reply_to": col("inreplyto"), "conversation_id": pd.NA, "created_on": col("createdon"),
        "modified_on": col("modifiedon"),
    })


def _notes(raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    return pd.DataFrame({
        "note_id": raw["annotationid"], "object_id": raw["_objectid_value"], "object_type": pd.NA,
        "subject": raw["subject"], "text": raw["notetext"], "owner_id": raw["_ownerid_value"],
        "created_on": raw["createdon"], "modified_on": raw["modifiedon"],
    })


_BUILDERS = {
    "users": _users, "accounts": _accounts, "contacts": _contacts, "leads": _leads,
    "opportunities": _opportunities, "activities": _activities, "notes": _notes,
}


def parties_frame(rows: Sequence[Row]) -> pd.DataFrame:
    """The canonical ``parties`` frame from ``activityparties`` rows (party types resolved later)."""
    raw = _frame(rows, ("activitypartyid", "_activityid_value", "_partyid_value", "participationtypemask",
                        "addressused"))
    out = pd.DataFrame({
        "activity_id": raw["_activityid_value"], "party_id": raw["_partyid_value"], "party_type": pd.NA,
        "participation": raw["participationtypemask"], "address": _lower(raw["addressused"]),
    })
    return canonical.conform(out, "parties")


def resolve_types(ids: pd.Series, known: Mapping[str, pd.Index]) -> pd.Series:
    """The table of each id, found among known ids (GUIDs are unique across tables).

    Args:
        ids: lookup values (GUID strings or NA).
        known: table logical name → index of the ids of that table.

    Returns:
        the logical name per id; ``"unresolved"`` where the id is NA, ``NA`` where it is unknown.
    """
    out = pd.Series(pd.NA, index=ids.index, dtype="string")
    for table, index in known.items():
        out = out.mask(ids.isin(index), table)
    return out.mask(ids.isna(), "unresolved")
