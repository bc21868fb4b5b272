"""The emulator's table catalog: which tables, columns, lookups and keys an organisation has.

A bare organisation holds the standard Dynamics tables below; the metadata API adds custom tables, columns
and alternate keys at run time. The catalog is plain data (dataclasses that round-trip through JSON) so
the store can persist it next to the rows and rebuild it when a database file is reopened.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

ColumnKind = str
"""One of: uniqueidentifier, string, memo, integer, bigint, decimal, money, double, datetime, dateonly,
boolean, picklist, state, status, lookup, entityname."""

NUMERIC_KINDS = frozenset({"integer", "bigint", "decimal", "money", "double", "picklist", "state", "status"})
INTEGER_KINDS = frozenset({"integer", "bigint", "picklist", "state", "status"})
STRING_KINDS = frozenset({"string", "memo", "entityname"})

ACTIVITY_TABLES = ("email", "phonecall", "appointment", "task")
REGARDING_TARGETS = ("account", "contact", "lead", "opportunity")
PARTY_TARGETS = ("systemuser", "contact", "lead", "account")

_NS = uuid.UUID("8f0e6c1a-2b7d-4c55-9e1f-3a6b5d4c2e10")


def metadata_id(*parts: str) -> str:
    """A stable MetadataId for a table, column or key, derived from its names."""
    return str(uuid.uuid5(_NS, "/".join(parts)))


@dataclass
class Column:
    """One attribute of a table."""

    logical: str
    kind: ColumnKind
    schema_name: str = ""
    targets: tuple[str, ...] = ()
    max_length: int | None = None
    options: dict[int, str] = field(default_factory=dict)
    read_only: bool = False
    custom: bool = False
    min_value: float | None = None
    max_value: float | None = None
    precision: int | None = None
    date_only: bool = False

    def __post_init__(self) -> None:
        self.schema_name = self.schema_name or self.logical
        self.targets = tuple(self.targets)
        self.options = {int(k): v for k, v in self.options.items()}

    @property
    def is_lookup(self) -> bool:
        """Whether the column is a lookup (stored as id + target table)."""
        return self.kind == "lookup"

    @property
    def type_column(self) -> str:
        """The SQLite column holding a lookup's target table."""
        return f"{self.logical}__lt"


@dataclass
class Table:
    """One table (entity) of the organisation."""

    logical: str
    entity_set: str
    primary_id: str
    primary_name: str | None
    columns: dict[str, Column]
    schema_name: str = ""
    is_activity: bool = False
    change_tracking: bool = True
    custom: bool = False
    readable_only: bool = False
    ownership: str = "UserOwned"
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)
    is_view: bool = False

    def __post_init__(self) -> None:
        self.schema_name = self.schema_name or self.logical

    @property
    def sql_name(self) -> str:
        """The SQLite table (or view) holding the rows."""
        return f"t_{self.logical}"

    @property
    def party_nav(self) -> str | None:
        """The activity-party collection navigation property, for activities."""
        return f"{self.logical}_activity_parties" if self.is_activity and not self.is_view else None

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable form (for persistence)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Table:
        """Rebuild a table saved with :meth:`to_json`."""
        cols = {k: Column(**v) for k, v in data.pop("columns").items()}
        return cls(columns=cols, **data)


def _c(logical: str, kind: ColumnKind, **kw: Any) -> Column:
    return Column(logical, kind, **kw)


def _lk(logical: str, *targets: str, schema_name: str = "") -> Column:
    return Column(logical, "lookup", targets=targets, schema_name=schema_name)


STATE_LABELS: dict[str, tuple[dict[int, str], dict[int, str]]] = {
    "account": ({0: "Active", 1: "Inactive"}, {1: "Active", 2: "Inactive"}),
    "contact": ({0: "Active", 1: "Inactive"}, {1: "Active", 2: "Inactive"}),
    "lead": ({0: "Open", 1: "Qualified", 2: "Disqualified"},
             {1: "New", 2: "Contacted", 3: "Qualified", 4: "Lost", 5: "Cannot Contact", 6: "No Longer Interested",
              7: "Canceled"}),
    "opportunity": ({0: "Open", 1: "Won", 2: "Lost"},
                    {1: "In Progress", 2: "On Hold", 3: "Won", 4: "Canceled", 5: "Out-Sold"}),
    "email": ({0: "Open", 1: "Completed", 2: "Canceled"},
              {1: "Draft", 2: "Completed", 3: "Sent", 4: "Received", 5: "Canceled", 6: "Pending Send", 7: "Sending",
               8: "Failed"}),
    "phonecall": ({0: "Open", 1: "Completed", 2: "Canceled"}, {1: "Open", 2: "Made", 3: "Canceled", 4: "Received"}),
    "appointment": ({0: "Open", 1: "Completed", 2: "Canceled", 3: "Scheduled"},
                    {1: "Free", 2: "Tentative", 3: "Completed", 4: "Canceled", 5: "Busy", 6: "Out of Office"}),
    "task": ({0: "Open", 1: "Completed", 2: "Canceled"},
             {2: "Not Started", 3: "In Progress", 4: "Waiting on someone else", 7: "Deferred", 5: "Completed",
              6: "Canceled"}),
}
PRIORITY = {0: "Low", 1: "Normal", 2: "High"}
INDUSTRY = {i + 1: name for i, name in enumerate((
    "Accounting", "Agriculture and Non-petrol Natural Resource Extraction", "Broadcasting Printing and Publishing",
    "Brokers", "Building Supply Retail", "Business Services", "Consulting", "Consumer Services",
    "Design, Direction and Creative Management", "Distributors, Dispatchers and Processors",
    "Doctor's Offices and Clinics",
    "Durable Manufacturing", "Eating and Drinking Places", "Entertainment Retail", "Equipment Rental and Leasing",
    "Financial", "Food and Tobacco Processing", "Inbound Capital Intensive Processing", "Inbound Repair and Services",
    "Insurance", "Legal Services", "Non-Durable Merchandise Retail", "Outbound Consumer Service",
    "Petrochemical Extraction and Distribution", "Service Retail", "SIG Affiliations", "Social Services",
    "Special Outbound Trade Contractors", "Specialty Realty", "Transportation", "Utility Creation and Distribution",
    "Vehicle Retail", "Wholesale"))}
LEAD_SOURCE = {1: "Advertisement", 2: "Employee Referral", 3: "External Referral", 4: "Partner", 5: "Public Relations",
               6: "Seminar", 7: "Trade Show", 8: "Web", 9: "Word of Mouth", 10: "Other"}
SALES_STAGE = {0: "Qualify", 1: "Develop", 2: "Propose", 3: "Close"}
STAGE_CATEGORY = {0: "Qualify", 1: "Develop", 2: "Propose", 3: "Close", 4: "Identify", 5: "Research", 6: "Resolve",
                  7: "Approval"}
TIMEFRAME = {0: "Immediate", 1: "This Quarter", 2: "Next Quarter", 3: "This Year", 4: "Unknown"}
BUDGET_STATUS = {0: "No Committed Budget", 1: "May Buy", 2: "Can Buy", 3: "Will Buy"}
NEED = {0: "Must have", 1: "Should have", 2: "Good to have", 3: "No need"}
PURCHASE_PROCESS = {0: "Individual", 1: "Committee", 2: "Unknown"}
CONTACT_METHOD = {1: "Any", 2: "Email", 3: "Phone", 4: "Fax", 5: "Mail"}
ACCOUNT_CATEGORY = {1: "Preferred Customer", 2: "Standard"}
CUSTOMER_TYPE = {1: "Competitor", 2: "Consultant", 3: "Customer", 4: "Investor", 5: "Partner", 6: "Influencer",
                 7: "Press", 8: "Prospect", 9: "Reseller", 10: "Supplier", 11: "Vendor", 12: "Other"}
PARTICIPATION = {1: "Sender", 2: "To Recipient", 3: "CC Recipient", 4: "BCC Recipient", 5: "Required attendee",
                 6: "Optional attendee", 7: "Organizer", 8: "Regarding", 9: "Owner", 10: "Resource", 11: "Customer",
                 12: "Chat Participant"}


def _state(table: str) -> list[Column]:
    state, status = STATE_LABELS[table]
    return [_c("statecode", "state", options=state), _c("statuscode", "status", options=status)]


def _stamps() -> list[Column]:
    return [_c("createdon", "datetime", read_only=True), _c("modifiedon", "datetime", read_only=True)]


def _table(logical: str, entity_set: str, primary_name: str | None, cols: list[Column], **kw: Any) -> Table:
    pk = kw.pop("primary_id", f"{logical}id")
    columns = {pk: Column(pk, "uniqueidentifier")}
    columns.update({c.logical: c for c in cols})
    return Table(logical, entity_set, pk, primary_name, columns, **kw)


def activity_columns(table: str, regarding: tuple[str, ...] = REGARDING_TARGETS) -> list[Column]:
    """The columns every activity table shares (Dataverse's activitypointer attributes)."""
    state = _state(table) if table in STATE_LABELS else [
        _c("statecode", "state", options={0: "Open", 1: "Completed", 2: "Canceled"}),
        _c("statuscode", "status", options={1: "Open", 2: "Completed", 3: "Canceled"})]
    return [
        _c("activitytypecode", "entityname", read_only=True), _c("subject", "string", max_length=400),
        _c("description", "memo", max_length=1_048_576), _lk("regardingobjectid", *regarding),
        _lk("ownerid", "systemuser"), *state,
        _c("scheduledstart", "datetime"), _c("scheduledend", "datetime"), _c("actualstart", "datetime"),
        _c("actualend", "datetime"), _c("actualdurationminutes", "integer"),
        _c("prioritycode", "picklist", options=PRIORITY), *_stamps(),
    ]


POINTER_COLUMNS = tuple(c.logical for c in activity_columns("task"))
"""Columns of the activitypointer union view (besides activityid)."""


def standard_tables() -> dict[str, Table]:
    """The tables of a bare organisation, keyed by logical name."""
    email_cols = activity_columns("email") + [
        _c("directioncode", "boolean", options={0: "Incoming", 1: "Outgoing"}), _c("sender", "string", max_length=250),
        _c("torecipients", "string", max_length=500), _c("messageid", "string", max_length=320),
        _c("inreplyto", "string", max_length=320, read_only=True),
        _c("conversationindex", "string", max_length=2048, read_only=True),
        _lk("parentactivityid", "email"), _c("senton", "datetime", read_only=True)]
    email_cols[1] = _c("subject", "string", max_length=800)
    tables = [
        _table("businessunit", "businessunits", "name", [_c("name", "string", max_length=160)],
               ownership="BusinessOwned"),
        _table("systemuser", "systemusers", "fullname", [
            _c("fullname", "string", max_length=200, read_only=True), _c("firstname", "string", max_length=256),
            _c("lastname", "string", max_length=256), _c("internalemailaddress", "string", max_length=100),
            _c("domainname", "string", max_length=1024), _c("azureactivedirectoryobjectid", "uniqueidentifier"),
            _c("isdisabled", "boolean", options={0: "Enabled", 1: "Disabled"}), _c("title", "string", max_length=128),
            _lk("businessunitid", "businessunit"), *_stamps()], ownership="BusinessOwned"),
        _table("account", "accounts", "name", [
            _c("name", "string", max_length=160), _c("emailaddress1", "string", max_length=100),
            _c("websiteurl", "string", max_length=200), _c("telephone1", "string", max_length=50),
            _c("address1_city", "string", max_length=80), _c("address1_country", "string", max_length=80),
            _c("industrycode", "picklist", options=INDUSTRY), _c("numberofemployees", "integer"),
            _c("revenue", "money"), _c("accountcategorycode", "picklist", options=ACCOUNT_CATEGORY),
            _c("customertypecode", "picklist", options=CUSTOMER_TYPE), _c("description", "memo", max_length=2000),
            _lk("primarycontactid", "contact"), _lk("parentaccountid", "account"), _lk("ownerid", "systemuser"),
            *_state("account"), *_stamps()]),
        _table("contact", "contacts", "fullname", [
            _c("firstname", "string", max_length=50), _c("lastname", "string", max_length=50),
            _c("fullname", "string", max_length=160, read_only=True), _c("emailaddress1", "string", max_length=100),
            _c("telephone1", "string", max_length=50), _c("mobilephone", "string", max_length=50),
            _c("jobtitle", "string", max_length=100), _c("description", "memo", max_length=2000),
            _c("preferredcontactmethodcode", "picklist", options=CONTACT_METHOD),
            _c("donotemail", "boolean", options={0: "Allow", 1: "Do Not Allow"}),
            _lk("parentcustomerid", "account", "contact"), _lk("ownerid", "systemuser"), *_state("contact"),
            *_stamps()]),
        _table("lead", "leads", "fullname", [
            _c("subject", "string", max_length=300), _c("firstname", "string", max_length=50),
            _c("lastname", "string", max_length=50), _c("fullname", "string", max_length=160, read_only=True),
            _c("companyname", "string", max_length=100), _c("emailaddress1", "string", max_length=100),
            _c("telephone1", "string", max_length=50), _c("mobilephone", "string", max_length=20),
            _c("jobtitle", "string", max_length=100), _c("websiteurl", "string", max_length=200),
            _c("leadsourcecode", "picklist", options=LEAD_SOURCE), _c("industrycode", "picklist", options=INDUSTRY),
            _c("numberofemployees", "integer"), _c("revenue", "money"), _c("budgetamount", "money"),
            _c("budgetstatus", "picklist", options=BUDGET_STATUS),
            _c("purchasetimeframe", "picklist", options=TIMEFRAME), _c("need", "picklist", options=NEED),
            _c("address1_country", "string", max_length=80),
            _c("donotemail", "boolean", options={0: "Allow", 1: "Do Not Allow"}),
            _c("description", "memo", max_length=2000), _lk("parentaccountid", "account"),
            _lk("parentcontactid", "contact"), _lk("ownerid", "systemuser"), *_state("lead"), *_stamps()]),
        _table("opportunity", "opportunities", "name", [
            _c("name", "string", max_length=300), _c("description", "memo", max_length=2000),
            _c("estimatedvalue", "money"), _c("estimatedclosedate", "datetime"),
            _c("actualvalue", "money"), _c("actualclosedate", "datetime"),
            _c("closeprobability", "integer"), _c("salesstage", "picklist", options=SALES_STAGE),
            _c("stepname", "string", max_length=200), _c("budgetamount", "money"),
            _c("purchasetimeframe", "picklist", options=TIMEFRAME),
            _c("purchaseprocess", "picklist", options=PURCHASE_PROCESS), _c("need", "picklist", options=NEED),
            _lk("customerid", "account", "contact"), _lk("parentaccountid", "account"),
            _lk("parentcontactid", "contact"), _lk("originatingleadid", "lead"), _lk("ownerid", "systemuser"),
            *_state("opportunity"), *_stamps()]),
        _table("email", "emails", "subject", email_cols, primary_id="activityid", is_activity=True),
        _table("phonecall", "phonecalls", "subject", activity_columns("phonecall") + [
            _c("directioncode", "boolean", options={0: "Incoming", 1: "Outgoing"}),
            _c("phonenumber", "string", max_length=200)], primary_id="activityid", is_activity=True),
        _table("appointment", "appointments", "subject", activity_columns("appointment") + [
            _c("location", "string", max_length=200), _c("scheduleddurationminutes", "integer", read_only=True),
            _c("isalldayevent", "boolean", options={0: "No", 1: "Yes"})], primary_id="activityid", is_activity=True),
        _table("task", "tasks", "subject", activity_columns("task"), primary_id="activityid", is_activity=True),
        _table("activitypointer", "activitypointers", "subject", activity_columns("task"), primary_id="activityid",
               is_activity=True, is_view=True, readable_only=True, change_tracking=False),
        _table("activityparty", "activityparties", None, [
            _lk("activityid", *ACTIVITY_TABLES), _lk("partyid", *PARTY_TARGETS),
            _c("participationtypemask", "picklist", options=PARTICIPATION),
            _c("addressused", "string", max_length=320)], readable_only=True, change_tracking=False),
        # Dataverse keeps one usersettings row per user (keyed by the user's id) and a fixed list of time-zone
        # definitions. Whether either is change-tracked is not documented; the emulator tracks neither.
        _table("usersettings", "usersettingscollection", None, [
            _c("timezonecode", "integer"), _c("uilanguageid", "integer"),
            *_stamps()], primary_id="systemuserid", schema_name="UserSettings", ownership="BusinessOwned",
               change_tracking=False),
        _table("timezonedefinition", "timezonedefinitions", "userinterfacename", [
            _c("timezonecode", "integer"), _c("standardname", "string", max_length=100),
            _c("userinterfacename", "string", max_length=100), _c("bias", "integer")],
               schema_name="TimeZoneDefinition", ownership="None", change_tracking=False, readable_only=True),
        # The opportunity sales process (a business process flow): its stages, and one instance per
        # opportunity saying which stages it passed (traversedpath), where it is and since when.
        _table("processstage", "processstages", "stagename", [
            _c("stagename", "string", max_length=100), _c("stagecategory", "picklist", options=STAGE_CATEGORY),
            _c("primaryentitytypecode", "string", max_length=100), _c("processid", "uniqueidentifier")],
               ownership="None", change_tracking=False, readable_only=True),
        _table("opportunitysalesprocess", "opportunitysalesprocesses", "name", [
            _c("name", "string", max_length=200), _lk("bpf_opportunityid", "opportunity"),
            _lk("activestageid", "processstage"), _c("activestagestartedon", "datetime"),
            _c("traversedpath", "string", max_length=1250), _c("completedon", "datetime"),
            _c("statecode", "state", options={0: "Active", 1: "Inactive"}),
            _c("statuscode", "status", options={1: "Active", 2: "Finished", 3: "Aborted"}), *_stamps()],
               primary_id="businessprocessflowinstanceid", change_tracking=False),
        _table("annotation", "annotations", "subject", [
            _c("subject", "string", max_length=500), _c("notetext", "memo", max_length=100_000),
            _c("isdocument", "boolean", options={0: "No", 1: "Yes"}), _c("filename", "string", max_length=255),
            _c("mimetype", "string", max_length=256), _lk("objectid", *REGARDING_TARGETS),
            _lk("ownerid", "systemuser"), *_stamps()]),
        # Solution-aware customisation: MSCRM.SolutionUniqueName must name a solution, whose publisher's
        # prefix every new schema name must carry (emulator/metadata.py enforces both).
        _table("publisher", "publishers", "friendlyname", [
            _c("uniquename", "string", max_length=256), _c("friendlyname", "string", max_length=256),
            _c("customizationprefix", "string", max_length=8),
            _c("customizationoptionvalueprefix", "integer", min_value=10000, max_value=99999),
            _c("description", "memo", max_length=2000), *_stamps()],
               schema_name="Publisher", ownership="OrganizationOwned", change_tracking=False),
        _table("webresource", "webresourceset", "name", [
            _c("name", "string", max_length=256), _c("displayname", "string", max_length=200),
            _c("webresourcetype", "integer", min_value=1, max_value=12), _c("content", "memo", max_length=1_048_576),
            *_stamps()], schema_name="WebResource", ownership="OrganizationOwned", change_tracking=False),
        _table("solution", "solutions", "friendlyname", [
            _c("uniquename", "string", max_length=65), _c("friendlyname", "string", max_length=256),
            _c("version", "string", max_length=256), _c("ismanaged", "boolean", options={0: "No", 1: "Yes"}),
            _c("description", "memo", max_length=2000), _lk("publisherid", "publisher"),
            _lk("configurationpageid", "webresource"), *_stamps()],
               schema_name="Solution", ownership="OrganizationOwned", change_tracking=False),
    ]
    return {t.logical: t for t in tables}
