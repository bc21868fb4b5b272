"""The canonical frames: the one description of the data the insights compute on.

The sync turns Dataverse (and Graph) rows into these pandas frames; every insight reads them and
nothing else. Columns are listed here once, with their dtype and meaning, so the extract, the local
snapshot, the insights and their tests agree. All datetimes are timezone-aware UTC
(``datetime64[ns, UTC]``); ids are lowercase GUID strings; a missing value is ``NA``/``NaT``.

Frames (name → one row per):

- ``users``          internal Dataverse system user (our team)
- ``accounts``       account
- ``contacts``       contact
- ``leads``          lead
- ``opportunities``  opportunity
- ``activities``     e-mail, phone call, appointment or task (one frame, ``activity_type`` says which)
- ``parties``        activity party: one participant of one activity in one role
- ``notes``          annotation (timeline note)
- ``process_stages`` stage of a business process flow (processstage)
- ``stage_paths``    opportunity sales process instance: the stages an opportunity passed
- ``mail``           Microsoft Graph message metadata from internal users' mailboxes (optional)

Leads and opportunities also carry every other column the extract selected, under its Dataverse
logical name (for example ``leadsourcecode``), so that scoring can discover features from the data;
accounts and contacts carry the attributes scoring may borrow for their leads and opportunities
(``connector.sync.streams.ACCOUNT_ATTRIBUTES`` and ``CONTACT_ATTRIBUTES``), choices as labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from connector.errors import RecordError

UTC_DT: Final = "datetime64[ns, UTC]"
EARLIEST = pd.Timestamp("1753-01-01T00:00:00Z")
"""The earliest date Dataverse holds; anything earlier is stored as this."""
LATEST = pd.Timestamp("2200-01-01T00:00:00Z")
"""The latest date the insights compute with. Dataverse accepts dates up to 9999-12-31, but nanosecond
timestamps end in 2262 and date arithmetic needs room: a later date (an ``estimatedclosedate`` of
9999-12-31 meaning "some day") is stored as this one, and :func:`check_dates` names the record."""
_ISO_DAY = r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"


@dataclass(frozen=True)
class Column:
    """One canonical column: name, pandas dtype and what it holds."""

    name: str
    dtype: str
    doc: str


def _cols(*spec: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(n, t, d) for n, t, d in spec)


FRAMES: dict[str, tuple[Column, ...]] = {
    "users": _cols(
        ("user_id", "string", "systemuserid"),
        ("fullname", "string", "display name"),
        ("email", "string", "internalemailaddress, lowercased"),
        ("aad_object_id", "string", "azureactivedirectoryobjectid = Graph user id"),
        ("is_disabled", "boolean", "isdisabled"),
        ("timezone", "string", "IANA time zone of the user: usersettings.timezonecode → timezonedefinitions."
                               "standardname (a Windows id) → IANA by CLDR's mapping; NA when not set or not "
                               "mappable (the organisation default, OSI_ORG_TIMEZONE, applies)"),
    ),
    "accounts": _cols(
        ("account_id", "string", "accountid"),
        ("name", "string", "name"),
        ("owner_id", "string", "_ownerid_value"),
        ("primary_contact_id", "string", "_primarycontactid_value"),
        ("email_domain", "string", "domain of emailaddress1 or websiteurl, lowercased"),
        ("state_code", "Int64", "statecode (0 active, 1 inactive)"),
        ("created_on", UTC_DT, "createdon"),
        ("modified_on", UTC_DT, "modifiedon"),
    ),
    "contacts": _cols(
        ("contact_id", "string", "contactid"),
        ("fullname", "string", "fullname"),
        ("email", "string", "emailaddress1, lowercased"),
        ("parent_account_id", "string", "_parentcustomerid_value when it is an account"),
        ("owner_id", "string", "_ownerid_value"),
        ("state_code", "Int64", "statecode"),
        ("created_on", UTC_DT, "createdon"),
        ("modified_on", UTC_DT, "modifiedon"),
    ),
    "leads": _cols(
        ("lead_id", "string", "leadid"),
        ("fullname", "string", "fullname"),
        ("subject", "string", "subject (topic)"),
        ("email", "string", "emailaddress1, lowercased"),
        ("company", "string", "companyname"),
        ("owner_id", "string", "_ownerid_value"),
        ("parent_account_id", "string", "_parentaccountid_value"),
        ("parent_contact_id", "string", "_parentcontactid_value"),
        ("state_code", "Int64", "statecode: 0 open, 1 qualified, 2 disqualified"),
        ("status_code", "Int64", "statuscode"),
        ("created_on", UTC_DT, "createdon"),
        ("modified_on", UTC_DT, "modifiedon"),
        ("closed_on", UTC_DT, "when the lead left the open state (modifiedon of the closing change), else NaT"),
    ),
    "opportunities": _cols(
        ("opportunity_id", "string", "opportunityid"),
        ("name", "string", "name"),
        ("owner_id", "string", "_ownerid_value"),
        ("account_id", "string", "_parentaccountid_value, else _customerid_value when it is an account"),
        ("contact_id", "string", "_parentcontactid_value, else _customerid_value when it is a contact"),
        ("state_code", "Int64", "statecode: 0 open, 1 won, 2 lost"),
        ("status_code", "Int64", "statuscode"),
        ("sales_stage", "Int64", "salesstage: 0 qualify, 1 develop, 2 propose, 3 close"),
        ("estimated_value", "Float64", "estimatedvalue"),
        ("estimated_close_date", UTC_DT, "estimatedclosedate"),
        ("actual_close_date", UTC_DT, "actualclosedate (outcome: never a scoring input)"),
        ("created_on", UTC_DT, "createdon"),
        ("modified_on", UTC_DT, "modifiedon"),
    ),
    "activities": _cols(
        ("activity_id", "string", "activityid"),
        ("activity_type", "string", "email | phonecall | appointment | task"),
        ("subject", "string", "subject"),
        ("description", "string", "description (e-mail body, HTML allowed); NA when not extracted"),
        ("direction", "string", "outgoing | incoming | NA (appointments, tasks)"),
        ("state_code", "Int64", "statecode (0 open, 1 completed, 2 canceled, 3 scheduled)"),
        ("owner_id", "string", "_ownerid_value"),
        ("regarding_id", "string", "_regardingobjectid_value"),
        ("regarding_type", "string", "logical name of the regarding record (contact, account, lead, opportunity)"),
        ("occurred_on", UTC_DT, "when it happened: actualend, else senton, else scheduledstart, else createdon"),
        ("scheduled_start", UTC_DT, "scheduledstart"),
        ("scheduled_end", UTC_DT, "scheduledend"),
        ("duration_minutes", "Float64", "actualdurationminutes, else scheduled duration; NA when unknown"),
        ("parent_activity_id", "string", "_parentactivityid_value (e-mail threading)"),
        ("message_id", "string", "messageid (internet Message-ID)"),
        ("in_reply_to", "string", "inreplyto (Message-ID of the message answered)"),
        ("conversation_id", "string", "conversation id when known (Graph conversationId or derived)"),
        ("created_on", UTC_DT, "createdon"),
        ("modified_on", UTC_DT, "modifiedon"),
    ),
    "parties": _cols(
        ("activity_id", "string", "_activityid_value"),
        ("party_id", "string", "_partyid_value; NA for an unresolved address"),
        ("party_type", "string", "systemuser | contact | lead | account | unresolved"),
        ("participation", "Int64", "participationtypemask: 1 from, 2 to, 3 cc, 4 bcc, 5 required, "
                                    "6 optional, 7 organizer"),
        ("address", "string", "addressused, lowercased"),
    ),
    "notes": _cols(
        ("note_id", "string", "annotationid"),
        ("object_id", "string", "_objectid_value (the record the note is on)"),
        ("object_type", "string", "logical name of that record"),
        ("subject", "string", "subject"),
        ("text", "string", "notetext (may hold HTML)"),
        ("owner_id", "string", "_ownerid_value"),
        ("created_on", UTC_DT, "createdon"),
        ("modified_on", UTC_DT, "modifiedon"),
    ),
    "process_stages": _cols(
        ("stage_id", "string", "processstageid"),
        ("name", "string", "stagename"),
        ("category", "Int64", "stagecategory (0 qualify, 1 develop, 2 propose, 3 close, ...)"),
        ("entity", "string", "primaryentitytypecode (the table the process runs on)"),
    ),
    "stage_paths": _cols(
        ("instance_id", "string", "businessprocessflowinstanceid of the opportunity sales process"),
        ("opportunity_id", "string", "_bpf_opportunityid_value"),
        ("active_stage_id", "string", "_activestageid_value: the stage it is at (or ended at)"),
        ("active_stage_started_on", UTC_DT, "activestagestartedon"),
        ("traversed_path", "string", "traversedpath: comma-separated stage ids passed, in order"),
        ("completed_on", UTC_DT, "completedon"),
        ("state_code", "Int64", "statecode (0 active, 1 inactive)"),
        ("created_on", UTC_DT, "createdon"),
        ("modified_on", UTC_DT, "modifiedon"),
    ),
    "mail": _cols(
        ("message_id", "string", "Graph message id"),
        ("mailbox_user_id", "string", "aad object id of the mailbox owner"),
        ("internet_message_id", "string", "internetMessageId"),
        ("conversation_id", "string", "conversationId"),
        ("sender", "string", "from address, lowercased"),
        ("to", "object", "list of to addresses, lowercased"),
        ("cc", "object", "list of cc addresses, lowercased"),
        ("sent_on", UTC_DT, "sentDateTime"),
        ("subject", "string", "subject"),
    ),
}

KEYS: dict[str, str] = {
    "users": "user_id",
    "accounts": "account_id",
    "contacts": "contact_id",
    "leads": "lead_id",
    "opportunities": "opportunity_id",
    "activities": "activity_id",
    "notes": "note_id",
    "mail": "message_id",
    "process_stages": "stage_id",
    "stage_paths": "instance_id",
}
"""Primary key column of each frame (``parties`` has none: it is keyed by its activity)."""


def column_names(frame: str) -> list[str]:
    """The canonical column names of ``frame``, in order.

    Raises:
        KeyError: ``frame`` is not a canonical frame.
    """
    return [c.name for c in FRAMES[frame]]


def empty_frame(frame: str) -> pd.DataFrame:
    """An empty frame with the canonical columns and dtypes of ``frame``.

    Raises:
        KeyError: ``frame`` is not a canonical frame.
    """
    return conform(pd.DataFrame({c.name: [] for c in FRAMES[frame]}), frame)


def conform(df: pd.DataFrame, frame: str) -> pd.DataFrame:
    """Return ``df`` with every canonical column of ``frame`` present and cast to its dtype.

    Extra columns are kept (leads and opportunities carry discovered attributes). Missing canonical
    columns are added as all-missing. Dates are clipped to [:data:`EARLIEST`, :data:`LATEST`] (never an
    overflow, whatever Dataverse held); a value that is not a date becomes ``NaT``.

    Raises:
        KeyError: ``frame`` is not a canonical frame.
    """
    out = df.copy()
    for col in FRAMES[frame]:
        if col.name not in out.columns:
            out[col.name] = pd.Series([pd.NA] * len(out), index=out.index, dtype="object")
        if col.dtype == UTC_DT:
            out[col.name] = to_utc(out[col.name])
        elif col.dtype != "object":
            out[col.name] = out[col.name].astype(pd.api.types.pandas_dtype(col.dtype))
    return out


def to_utc(values: pd.Series) -> pd.Series:
    """``values`` as ``datetime64[ns, UTC]``, clipped to [:data:`EARLIEST`, :data:`LATEST`]; non-dates → ``NaT``."""
    textual = pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)
    # Web API date-times are ISO 8601; saying so avoids pandas' slow per-value guessing.
    fmt = "ISO8601" if textual else None
    parsed: pd.Series = pd.to_datetime(values, utc=True, errors="coerce", format=fmt)
    if textual and parsed.dt.unit == "ns" and (parsed.isna() & values.notna()).any():
        # Parsed at nanoseconds (older pandas), 9999-12-31 became NaT: clip the text, then parse again.
        parsed = pd.to_datetime(_clip_iso_text(values), utc=True, errors="coerce", format=fmt)
    clipped = parsed.mask(parsed > LATEST, LATEST).mask(parsed < EARLIEST, EARLIEST)
    return clipped.astype(UTC_DT)


def _clip_iso_text(values: pd.Series) -> pd.Series:
    """ISO dates beyond the range replaced by the bound's text before parsing (a year of four digits sorts as
    text like time), so no pandas version turns 9999-12-31 into an overflow or a silent ``NaT``."""
    text = values.astype("string")
    day = text.str.slice(0, 10)
    iso = text.str.match(_ISO_DAY).fillna(False)
    late = iso & (day > LATEST.strftime("%Y-%m-%d")).fillna(False)
    early = iso & (day < EARLIEST.strftime("%Y-%m-%d")).fillna(False)
    if not (late.any() or early.any()):
        return values
    return values.mask(late, LATEST.isoformat()).mask(early, EARLIEST.isoformat())


def check_dates(table: str, key: str, rows: Sequence[Mapping[str, Any]], columns: Iterable[str]) -> list[RecordError]:
    """Name every date in ``rows`` that the canonical frames cannot hold as it is.

    A value that is not an ISO 8601 date-time becomes missing; one outside [:data:`EARLIEST`,
    :data:`LATEST`] (valid in Dataverse up to 9999-12-31) is kept as the nearest bound. Either way the
    record stays and the problem names it: ``table(id).column``.

    Args:
        table: the logical name of the table (``opportunity``).
        key: the primary-key column of the rows (``opportunityid``).
        rows: the rows as read from the Web API.
        columns: the date-time columns to check.

    Returns:
        One :class:`RecordError` per bad value, column by column, in row order.
    """
    problems: list[RecordError] = []
    for col in columns:
        texts = pd.Series([row.get(col) for row in rows], dtype="object")
        texts = texts[texts.map(lambda v: isinstance(v, str))]
        if texts.empty:
            continue
        parsed = pd.to_datetime(texts, utc=True, errors="coerce", format="ISO8601")
        suspect = parsed.isna() | (parsed < EARLIEST) | (parsed > LATEST)
        for idx in texts.index[suspect.to_numpy()]:
            kept = to_utc(texts.loc[[idx]]).iloc[0]
            if pd.isna(kept):
                problem = "not a valid date-time"
            else:
                problem = f"{texts[idx][:40]} is beyond the dates the insights compute with; kept as {kept:%Y-%m-%d}"
            problems.append(RecordError(table, str(rows[idx].get(key)), col, problem))
    return problems
