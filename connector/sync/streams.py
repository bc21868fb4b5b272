"""What the sync reads: every stream declared as data.

A stream is one change-tracked entity set read into one canonical frame (several activity streams
feed the one ``activities`` frame). ``select`` always names its columns: never select all. Activity
parties are not change-tracked by Dataverse; they are re-read for the activities a delta touched
(see :mod:`connector.sync.extract`). The small reference tables behind users' time zones
(:data:`REFERENCE_STREAMS`) are read in full on every run instead, since Dataverse does not document
them as change-tracked.
"""

from __future__ import annotations

from dataclasses import dataclass

from connector import schema

_ACTIVITY_COMMON = (
    "subject", "statecode", "_ownerid_value", "_regardingobjectid_value", "scheduledstart", "scheduledend",
    "actualend", "actualdurationminutes", "createdon", "modifiedon",
)


def _osi(table: str) -> tuple[str, ...]:
    return tuple(c.logical_name for c in schema.EXTENDED_TABLES[table])


@dataclass(frozen=True)
class StreamSpec:
    """One change-tracked read.

    Attributes:
        name: the stream's name (also its checkpoint key).
        entity_set: the Web API entity set.
        table: the table's logical name.
        key: the primary key attribute.
        select: the columns read (the key is always returned too).
        frame: the canonical frame it feeds.
        osi_columns: our own columns on this table, read back so the load can diff against them.
        choice_columns: choice columns whose label (the formatted value) replaces the number, so
            scoring's reasons can say "Lead source is Web" rather than "leadsourcecode is 8".
        tracked: whether the table is read through change tracking; an untracked stream is read in
            full (plain paged ``GET``, no ``Prefer: odata.track-changes``) on every run.
    """

    name: str
    entity_set: str
    table: str
    key: str
    select: tuple[str, ...]
    frame: str
    osi_columns: tuple[str, ...] = ()
    choice_columns: tuple[str, ...] = ()
    tracked: bool = True

    @property
    def all_columns(self) -> tuple[str, ...]:
        """Everything to ``$select``: the stream's columns and our columns on the table."""
        return (self.key, *self.select, *self.osi_columns)


LEAD_ATTRIBUTES = (
    "subject", "fullname", "companyname", "emailaddress1", "telephone1", "mobilephone", "jobtitle", "websiteurl",
    "leadsourcecode", "industrycode", "numberofemployees", "revenue", "budgetamount", "budgetstatus",
    "purchasetimeframe", "need", "address1_country", "donotemail", "_parentaccountid_value",
    "_parentcontactid_value", "_ownerid_value", "statecode", "statuscode", "createdon", "modifiedon",
)
OPPORTUNITY_ATTRIBUTES = (
    "name", "estimatedvalue", "estimatedclosedate", "actualvalue", "actualclosedate", "closeprobability",
    "salesstage", "stepname", "budgetamount", "purchasetimeframe", "purchaseprocess", "need", "_customerid_value",
    "_parentaccountid_value", "_parentcontactid_value", "_originatingleadid_value", "_ownerid_value", "statecode",
    "statuscode", "createdon", "modifiedon",
)

ACCOUNT_ATTRIBUTES = ("industrycode", "numberofemployees", "revenue", "address1_country", "accountcategorycode",
                      "customertypecode")
"""Account columns scoring may learn from for the account's leads and opportunities."""
CONTACT_ATTRIBUTES = ("jobtitle", "preferredcontactmethodcode", "donotemail")
"""Contact columns scoring may learn from for the contact's leads and opportunities."""

STAGE_STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec("processstages", "processstages", "processstage", "processstageid",
               ("stagename", "stagecategory", "primaryentitytypecode"), "process_stages", tracked=False),
    StreamSpec("opportunitysalesprocesses", "opportunitysalesprocesses", "opportunitysalesprocess",
               "businessprocessflowinstanceid",
               ("_bpf_opportunityid_value", "_activestageid_value", "activestagestartedon", "traversedpath",
                "completedon", "statecode", "createdon", "modifiedon"), "stage_paths", tracked=False),
)
"""The opportunity sales process (business process flow): its stages and one instance per opportunity,
which stages it passed and since when it is at its current one. Scoring samples each closed
opportunity at every stage it passed. Read in full each run (one row per opportunity), so a missing
privilege or a process flow the organisation does not use costs only the per-stage view, not the run."""

STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec("systemusers", "systemusers", "systemuser", "systemuserid",
               ("fullname", "internalemailaddress", "azureactivedirectoryobjectid", "isdisabled", "modifiedon"),
               "users"),
    StreamSpec("accounts", "accounts", "account", "accountid",
               ("name", "emailaddress1", "websiteurl", "_ownerid_value", "_primarycontactid_value", "statecode",
                "createdon", "modifiedon", *ACCOUNT_ATTRIBUTES),
               "accounts", _osi("account"), ("industrycode", "accountcategorycode", "customertypecode")),
    StreamSpec("contacts", "contacts", "contact", "contactid",
               ("fullname", "emailaddress1", "_parentcustomerid_value", "_ownerid_value", "statecode", "createdon",
                "modifiedon", *CONTACT_ATTRIBUTES),
               "contacts", _osi("contact"), ("preferredcontactmethodcode",)),
    StreamSpec("leads", "leads", "lead", "leadid", LEAD_ATTRIBUTES, "leads", _osi("lead"),
               ("leadsourcecode", "industrycode", "budgetstatus", "purchasetimeframe", "need")),
    StreamSpec("opportunities", "opportunities", "opportunity", "opportunityid", OPPORTUNITY_ATTRIBUTES,
               "opportunities", _osi("opportunity"), ("purchasetimeframe", "purchaseprocess", "need")),
    StreamSpec("emails", "emails", "email", "activityid",
               (*_ACTIVITY_COMMON, "description", "directioncode", "senton", "messageid", "inreplyto",
                "_parentactivityid_value"),
               "activities"),
    StreamSpec("phonecalls", "phonecalls", "phonecall", "activityid", (*_ACTIVITY_COMMON, "directioncode"),
               "activities"),
    StreamSpec("appointments", "appointments", "appointment", "activityid", _ACTIVITY_COMMON, "activities"),
    StreamSpec("tasks", "tasks", "task", "activityid", _ACTIVITY_COMMON, "activities"),
    StreamSpec("annotations", "annotations", "annotation", "annotationid",
               ("subject", "notetext", "_objectid_value", "_ownerid_value", "createdon", "modifiedon"), "notes"),
)
"""The Dataverse streams, in the order they are read (users and records before activities)."""

REFERENCE_STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec("usersettings", "usersettingscollection", "usersettings", "systemuserid",
               ("timezonecode", "uilanguageid"), "user_settings", tracked=False),
    StreamSpec("timezonedefinitions", "timezonedefinitions", "timezonedefinition", "timezonedefinitionid",
               ("timezonecode", "standardname"), "timezone_definitions", tracked=False),
)
"""Each user's Dataverse time-zone code, and the code's Windows time-zone id: they give the users frame's
``timezone`` (see :func:`connector.sync.transform.user_timezones`). One row per user and about 140
definitions, so a full read each run costs two or three requests."""


PARTY_SELECT = ("activitypartyid", "_activityid_value", "_partyid_value", "participationtypemask", "addressused")
"""Columns read from ``activityparties``."""

ACTIVITY_STREAMS = frozenset(s.name for s in STREAMS if s.frame == "activities")


def own_table_stream(table: schema.TableDef) -> StreamSpec:
    """The stream that reads back one of our tables, so the load can diff against what it holds."""
    cols = tuple(c.logical_name for c in (table.primary_name, *table.columns))
    return StreamSpec(table.entity_set_name, table.entity_set_name, table.logical_name, table.primary_id, (),
                      f"own_{table.logical_name}", cols)


OWN_STREAMS: tuple[StreamSpec, ...] = tuple(
    own_table_stream(t) for t in schema.TABLES if not t.is_activity and t.logical_name != "osi_syncrun"
)
"""Our tables the sync reads back: the settings, and those it diffs against before writing (run rows are
only upserted, and ``osi_insight`` timeline entries only created)."""
