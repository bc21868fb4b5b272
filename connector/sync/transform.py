"""Turn raw Web API rows into canonical frames (pure functions, one per stream kind).

Each function takes the rows of one stream as returned by the Web API (dicts keyed by logical names,
lookups as ``_x_value``) and returns a frame with the canonical columns of
:mod:`connector.canonical` plus, for streams that have them, our own ``osi_`` columns (kept so the
load can diff against what Dataverse holds). The type of a polymorphic lookup (regarding, party,
customer) is resolved by the caller from the ids it knows, see :func:`resolve_types`; so is each
user's time zone, which needs two more tables (see :func:`user_timezones`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from tzlocal.windows_tz import win_tz

from connector import canonical
from connector.sync.streams import ACCOUNT_ATTRIBUTES, CONTACT_ATTRIBUTES, StreamSpec

log = logging.getLogger(__name__)

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
    raw = raw.reset_index(drop=True)
    base = pd.DataFrame({
        "account_id": raw["accountid"], "name": raw["name"], "owner_id": raw["_ownerid_value"],
        "primary_contact_id": raw["_primarycontactid_value"],
        "email_domain": _domain(raw["emailaddress1"], raw["websiteurl"]), "state_code": raw["statecode"],
        "created_on": raw["createdon"], "modified_on": raw["modifiedon"],
    })
    return _with_attributes(base, raw, spec, rows, only=ACCOUNT_ATTRIBUTES)


def _contacts(raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    raw = raw.reset_index(drop=True)
    # parentcustomerid may point at an account or a contact; the caller keeps only account ids.
    base = pd.DataFrame({
        "contact_id": raw["contactid"], "fullname": raw["fullname"], "email": _lower(raw["emailaddress1"]),
        "parent_account_id": raw["_parentcustomerid_value"], "owner_id": raw["_ownerid_value"],
        "state_code": raw["statecode"], "created_on": raw["createdon"], "modified_on": raw["modifiedon"],
    })
    return _with_attributes(base, raw, spec, rows, only=CONTACT_ATTRIBUTES)


FORMATTED = "@OData.Community.Display.V1.FormattedValue"


def _with_attributes(base: pd.DataFrame, raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row], *,
                     only: Sequence[str] | None = None) -> pd.DataFrame:
    """``base`` plus the stream's other selected columns (or only those named), choices as labels."""
    names = [c for c in spec.select if c not in base.columns and not c.startswith("_") and (only is None or c in only)]
    extra = raw.reindex(columns=names).reset_index(drop=True)
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


def _process_stages(raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    return pd.DataFrame({"stage_id": _lower(raw["processstageid"]), "name": raw["stagename"],
                         "category": raw["stagecategory"], "entity": raw["primaryentitytypecode"]})


def _stage_paths(raw: pd.DataFrame, spec: StreamSpec, rows: Sequence[Row]) -> pd.DataFrame:
    return pd.DataFrame({
        "instance_id": raw["businessprocessflowinstanceid"], "opportunity_id": raw["_bpf_opportunityid_value"],
        "active_stage_id": _lower(raw["_activestageid_value"]), "active_stage_started_on": raw["activestagestartedon"],
        "traversed_path": _lower(raw["traversedpath"]), "completed_on": raw["completedon"],
        "state_code": raw["statecode"], "created_on": raw["createdon"], "modified_on": raw["modifiedon"],
    })


_BUILDERS = {
    "users": _users, "accounts": _accounts, "contacts": _contacts, "leads": _leads,
    "opportunities": _opportunities, "activities": _activities, "notes": _notes,
    "process_stages": _process_stages, "stage_paths": _stage_paths,
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


def iana_zone(windows_id: object) -> str | None:
    """The IANA time zone of a Windows time-zone id (``Romance Standard Time`` → ``Europe/Paris``).

    Dataverse names a zone by its Windows id (``timezonedefinition.standardname``). The mapping is CLDR's
    ``windowsZones`` table as shipped in ``tzlocal`` (the zone CLDR gives for territory ``001``).

    Returns:
        the IANA name, or ``None`` for an id CLDR does not map (retired ids such as ``Mid-Atlantic Standard
        Time``), a value that is not text, or a zone missing from this machine's time-zone database.
    """
    if not isinstance(windows_id, str):
        return None
    name = win_tz.get(windows_id.strip())
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _codes(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("Float64")


def user_timezones(user_ids: pd.Series, settings: pd.DataFrame, definitions: pd.DataFrame | None) -> pd.Series:
    """Each user's IANA time zone: ``usersettings.timezonecode`` → ``timezonedefinitions.standardname`` → IANA.

    A user with a code that cannot be turned into an IANA zone (undefined code, a Windows id with no IANA
    equivalent, a malformed value) gets ``NA``, so the organisation default applies, and a warning naming the
    user id (never the name or address) is logged. A user without a settings row or without a code gets
    ``NA`` silently: that is Dataverse's "not set".

    Args:
        user_ids: the users frame's ``user_id`` column.
        settings: rows of the ``usersettings`` stream (``systemuserid``, ``timezonecode``).
        definitions: rows of the ``timezonedefinitions`` stream (``timezonecode``, ``standardname``); ``None``
            when they could not be read (every code is then unknown).

    Returns:
        A ``string`` series aligned with ``user_ids``.
    """
    out = pd.Series(pd.NA, index=user_ids.index, dtype="string")
    if settings.empty or "timezonecode" not in settings.columns:
        return out
    ids = settings["systemuserid"].astype("string").str.lower()
    raw_codes = settings["timezonecode"]
    codes = _codes(raw_codes)
    code_of = {u: (raw, c) for u, raw, c in zip(ids, raw_codes, codes, strict=True) if isinstance(u, str)}
    zone_of: dict[float, str | None] = {}
    if definitions is not None and not definitions.empty and "standardname" in definitions.columns:
        for code, name in zip(_codes(definitions["timezonecode"]), definitions["standardname"], strict=True):
            if not pd.isna(code):
                zone_of.setdefault(float(code), iana_zone(name))
    for index, user in user_ids.items():
        key = str(user).lower() if isinstance(user, str) else None
        if key not in code_of:
            continue
        raw, code = code_of[key]
        if pd.isna(code):
            if not _blank(raw):
                log.warning("usersettings(%s).timezonecode: not a number; organisation default used", key)
            continue
        zone = zone_of.get(float(code))
        if zone is None:
            why = "is not a defined time zone" if float(code) not in zone_of else "has no IANA equivalent"
            log.warning("usersettings(%s).timezonecode: %d %s; organisation default used", key, int(code), why)
            continue
        out[index] = zone
    return out
