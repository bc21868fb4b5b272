"""The ``osi_`` schema: every column and table we add to Dataverse, defined once.

This module is the single source of truth for the metadata-API provisioning, the generated solution
under ``solution_assets/``, the emulator's view of a provisioned organisation, and the load step of
the sync (which column holds which computed value). It holds data only; the code that turns it into
metadata requests or XML lives in :mod:`connector.provision` and :mod:`connector.solution`.

Naming follows Dataverse: ``schema_name`` is the publisher-prefixed SchemaName (``osi_HealthScore``);
the logical name (used in Web API payloads) is its lowercase. Choice values start at the publisher's
option value prefix (10730 → 107300000).
"""

from __future__ import annotations

from connector.schema_types import MEMO_MAX as MEMO_MAX
from connector.schema_types import PREFIX as PREFIX
from connector.schema_types import ColumnDef as ColumnDef
from connector.schema_types import ColumnKind as ColumnKind
from connector.schema_types import KeyDef as KeyDef
from connector.schema_types import OptionSet as OptionSet
from connector.schema_types import TableDef as TableDef

KEY_FORBIDDEN_CHARACTERS = frozenset('/#<>*%&:\\?+')
"""Characters Dataverse refuses in an alternate-key value inside a URL (an upsert by such a key fails)."""
PUBLISHER_UNIQUE_NAME = "opensalesinsights"
PUBLISHER_DISPLAY_NAME = "Open Sales Insights"
OPTION_VALUE_PREFIX = 10730
SOLUTION_UNIQUE_NAME = "OpenSalesInsights"
SOLUTION_DISPLAY_NAME = "Open Sales Insights for Dataverse"
SOLUTION_VERSION = "0.1.0.0"
"""Version of the generated solution (Dataverse wants four parts: major.minor.build.revision)."""
APP_USER_ROLE_NAME = "Open Sales Insights application user"
"""The least-privilege security role the solution ships for the sync's application user."""


def _opt(index: int) -> int:
    return OPTION_VALUE_PREFIX * 10_000 + index


def _options(*labels: tuple[str, str]) -> OptionSet:
    return OptionSet(tuple((_opt(i), en, fr) for i, (en, fr) in enumerate(labels)))


ACTIVITY_TYPE = _options(("Email", "E-mail"), ("Phone call", "Appel"), ("Meeting", "Rendez-vous"),
                         ("Task", "Tâche"))
DIRECTION = _options(("Incoming", "Entrant"), ("Outgoing", "Sortant"))
HEALTH_STATE = _options(("Good", "Bonne"), ("Fair", "Moyenne"), ("Poor", "Faible"),
                        ("Not enough info", "Pas assez d'informations"),
                        ("Not applicable", "Sans objet"), ("Older than two years", "Plus de deux ans"))
TREND = _options(("Improving", "En amélioration"), ("Steady", "Stable"), ("Declining", "En baisse"),
                 ("Not enough info", "Pas assez d'informations"), ("Not applicable", "Sans objet"))
GRADE = _options(("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"))
SUGGESTION_TYPE = _options(("Appointment", "Rendez-vous"), ("Phone call", "Appel"), ("Task", "Tâche"),
                           ("New contact", "Nouveau contact"), ("Content request", "Demande de contenu"),
                           ("Issue", "Problème"))
SUGGESTION_STATUS = _options(("New", "Nouvelle"), ("Accepted", "Acceptée"), ("Dismissed", "Ignorée"),
                             ("Expired", "Expirée"))
TOPIC = _options(("Family", "Famille"), ("Sports", "Sport"), ("Vacation", "Vacances"), ("Health", "Santé"),
                 ("Entertainment", "Divertissement"), ("Food", "Cuisine"), ("Hobbies", "Loisirs"),
                 ("Celebrations", "Fêtes"))
MODEL_READINESS = _options(("Ready", "Prêt"), ("OK", "Correct"), ("Not ready", "Pas prêt"))
MODEL_STATUS = _options(("Trained", "Entraîné"), ("Published", "Publié"), ("Retired", "Retiré"),
                        ("Failed", "Échec"))
HEALTH_MODEL_KIND = _options(("Fitted", "Ajusté"), ("Set by an administrator", "Fixé par un administrateur"),
                             ("Default", "Par défaut"))
RUN_STATUS = _options(("Running", "En cours"), ("Succeeded", "Réussie"), ("Partial", "Partielle"),
                      ("Failed", "Échec"))
INSIGHT_TYPE = _options(("Health change", "Changement de santé"), ("Score change", "Changement de score"),
                        ("No activity", "Aucune activité"), ("Close date soon", "Date de clôture proche"),
                        ("Close date missed", "Date de clôture dépassée"),
                        ("E-mail awaiting reply", "E-mail en attente de réponse"),
                        ("Meeting today", "Rendez-vous aujourd'hui"))


def _s(name: str, label: str, desc: str, max_length: int = 100) -> ColumnDef:
    return ColumnDef(f"{PREFIX}_{name}", "string", label, desc, max_length=max_length)


def _memo(name: str, label: str, desc: str, max_length: int = 100_000) -> ColumnDef:
    return ColumnDef(f"{PREFIX}_{name}", "memo", label, desc, max_length=max_length)


def _int(name: str, label: str, desc: str, lo: int = 0, hi: int = 2_147_483_647) -> ColumnDef:
    return ColumnDef(f"{PREFIX}_{name}", "integer", label, desc, min_value=lo, max_value=hi)


def _dec(name: str, label: str, desc: str, lo: float = 0, hi: float = 1_000_000_000, precision: int = 2) -> ColumnDef:
    return ColumnDef(f"{PREFIX}_{name}", "decimal", label, desc, min_value=lo, max_value=hi, precision=precision)


def _dt(name: str, label: str, desc: str, kind: ColumnKind = "datetime") -> ColumnDef:
    return ColumnDef(f"{PREFIX}_{name}", kind, label, desc)


def _pick(name: str, label: str, desc: str, options: OptionSet) -> ColumnDef:
    return ColumnDef(f"{PREFIX}_{name}", "picklist", label, desc, options=options)


KEY_COLUMN = _s("Key", "Key", "Stable natural key of the row; the alternate key that makes writes idempotent", 200)

# --- columns added to contact, account, lead and opportunity -------------------------------------------

RELATIONSHIP_COLUMNS: tuple[ColumnDef, ...] = (
    _int("EmailsSent", "E-mails sent", "E-mails from our team to the customer"),
    _int("EmailsReceived", "E-mails received", "E-mails from the customer to our team"),
    _int("MeetingsSent", "Meetings sent", "Meetings organised by our team"),
    _int("MeetingsReceived", "Meetings received", "Meetings organised by the customer"),
    _int("CallsMade", "Calls made", "Phone calls made by our team"),
    _int("CallsReceived", "Calls received", "Phone calls received from the customer"),
    _int("InitiatedByTeam", "Interactions started by team", "Threads and activities our team started"),
    _int("InitiatedByCustomer", "Interactions started by customer", "Threads and activities the customer started"),
    _dec("ResponseHoursTeam", "Team response time (h)", "Average hours our team takes to answer a customer e-mail"),
    _dec("ResponseHoursCustomer", "Customer response time (h)", "Average hours the customer takes to answer us"),
    _dec("ResponseRateTeam", "Team response rate", "Share of customer e-mails our team answered", 0, 1, 4),
    _dec("ResponseRateCustomer", "Customer response rate", "Share of our e-mails the customer answered", 0, 1, 4),
    _int("TimeSpentTeam", "Time spent by team (min)", "Minutes our team spent (meetings x internal attendees)"),
    _int("TimeSpentCustomer", "Time spent by customer (min)", "Minutes the customer spent with us"),
    _dt("LastActivityOn", "Last activity by team", "Date of the last completed activity"),
    _pick("LastActivityType", "Last activity type", "Type of the last completed activity", ACTIVITY_TYPE),
    _pick("LastActivityDirection", "Last activity direction", "Direction of the last activity", DIRECTION),
    _s("LastActivityId", "Last activity id", "Id of the last completed activity", 36),
    _dt("NextActivityOn", "Next activity by team", "Date of the next scheduled activity"),
    _pick("NextActivityType", "Next activity type", "Type of the next scheduled activity", ACTIVITY_TYPE),
    _pick("NextActivityDirection", "Next activity direction", "Direction of the next activity", DIRECTION),
    _s("NextActivityId", "Next activity id", "Id of the next scheduled activity", 36),
    _int("HealthScore", "Relationship health", "Relationship health score 0-100", 0, 100),
    _pick("HealthState", "Relationship health state", "Good, Fair, Poor or why there is no score", HEALTH_STATE),
    _pick("HealthTrend", "Relationship health trend", "Improving, Steady or Declining", TREND),
    _memo("HealthReasons", "Health explanation", "JSON: the components of the health score and their reasons"),
    _memo("Analytics", "Relationship analytics", "JSON: 90-day daily activity, KPIs by year, most contacted"),
    _dt("InsightsComputedOn", "Insights computed on", "When these insights were last computed"),
)

SCORE_COLUMNS: tuple[ColumnDef, ...] = (
    _int("Score", "Predictive score", "Probability of a positive outcome x 100", 0, 100),
    _pick("Grade", "Grade", "A (best) to D", GRADE),
    _pick("ScoreTrend", "Score trend", "Improving, Steady or Declining over the score history", TREND),
    _memo("ScoreReasons", "Score reasons", "JSON: top positive and negative reasons with evidence"),
    _dt("ScoredOn", "Scored on", "When the score was computed"),
    _s("ModelVersion", "Model version", "Scoring model and version that produced the score", 100),
)

LEAD_COLUMNS: tuple[ColumnDef, ...] = (
    _dt("ClosedOn", "Closed on", "When the lead was first seen qualified or disqualified (Dataverse keeps no close "
                                 "date on leads); kept from then on"),
)

EXTENDED_TABLES: dict[str, tuple[ColumnDef, ...]] = {
    "contact": RELATIONSHIP_COLUMNS,
    "account": RELATIONSHIP_COLUMNS,
    "lead": RELATIONSHIP_COLUMNS + SCORE_COLUMNS + LEAD_COLUMNS,
    "opportunity": RELATIONSHIP_COLUMNS + SCORE_COLUMNS,
}
"""Standard tables and the columns we add to each (logical table name → columns)."""


def _key(table: str) -> KeyDef:
    return KeyDef(f"{PREFIX}_{table}_key", (KEY_COLUMN.logical_name,), "Natural key")


TABLES: tuple[TableDef, ...] = (
    TableDef(
        f"{PREFIX}_scorehistory", "Score history", "Score history",
        "One score per record per day, for the score-over-time chart and the trend",
        (KEY_COLUMN, _s("RecordId", "Record id", "Scored lead or opportunity", 36),
         _s("EntityName", "Table", "lead or opportunity", 50), _dt("Day", "Day", "Day of the score", "dateonly"),
         _int("Score", "Score", "Score 0-100", 0, 100), _pick("Grade", "Grade", "A to D", GRADE),
         _s("ModelVersion", "Model version", "Model that produced the score", 100)),
        (_key("scorehistory"),),
    ),
    TableDef(
        f"{PREFIX}_scoringmodel", "Scoring model", "Scoring models",
        "Model registry: entity, segment filter, version, metrics, features and status",
        (KEY_COLUMN, _s("EntityName", "Table", "lead or opportunity", 50),
         _s("FilterColumn", "Filter column", "Segment column, empty for all records", 100),
         _memo("FilterValues", "Filter values", "JSON list of segment values", 4000),
         _int("Version", "Version", "Model version, increasing"), _s("ModelKind", "Model kind", "Estimator", 100),
         _pick("Readiness", "Readiness", "Ready, OK or Not ready from the test AUC", MODEL_READINESS),
         _pick("ModelStatus", "Status", "Trained, Published, Retired or Failed", MODEL_STATUS),
         _memo("Metrics", "Metrics", "JSON: AUC, accuracy, precision, recall, F1, threshold, confusion"),
         _memo("Features", "Features", "JSON: features used and ignored, with reasons"),
         _dt("TrainedOn", "Trained on", "When the model was trained"),
         _dt("PublishedOn", "Published on", "When the model went live"),
         _s("ArtifactSha256", "Artifact checksum", "SHA-256 of the stored model artifact", 64)),
        (_key("scoringmodel"),),
    ),
    TableDef(
        f"{PREFIX}_healthmodel", "Health model", "Health models",
        "Relationship health registry: per record type, the weights and cut-offs in use, fitted or why not, and "
        "their evaluation",
        (KEY_COLUMN, _s("EntityName", "Table", "contact, account, lead or opportunity", 50),
         _pick("HealthModelKind", "Model kind", "Fitted, set by an administrator, or the default", HEALTH_MODEL_KIND),
         _s("Target", "Target", "What the calibrated probability is the probability of", 200),
         _s("Note", "Note", "Why the model is what it is (the fallback's reason)", 400),
         _int("Examples", "Examples", "Examples found in the organisation's history"),
         _int("MinExamples", "Minimum examples", "Fewer examples than this: the default weights"),
         _dt("FittedOn", "Fitted on", "First day after the history it was fitted on", "dateonly"),
         _dt("NextFitOn", "Next fit on", "When it is fitted again (empty: never, fitting is off)", "dateonly"),
         _int("GoodMin", "Good from", "Lowest score graded Good", 0, 101),
         _int("FairMin", "Fair from", "Lowest score graded Fair", 0, 101),
         _dec("GoodProbability", "Good means", "Probability of the target a Good score stands for", 0, 1, 4),
         _memo("Weights", "Weights", "JSON: points per component and per step", 20_000),
         _memo("Metrics", "Metrics", "JSON: held-out AUC against the default and the baselines; calibration", 20_000)),
        (_key("healthmodel"),),
    ),
    TableDef(
        f"{PREFIX}_notesuggestion", "Note suggestion", "Note suggestions",
        "An activity, contact, content request or issue suggested from a timeline note",
        (KEY_COLUMN, _s("NoteId", "Note id", "The analysed note", 36),
         _s("RegardingId", "Regarding id", "Record the note is on", 36),
         _s("RegardingType", "Regarding table", "Logical name of that record", 50),
         _pick("SuggestionType", "Suggestion type", "What is suggested", SUGGESTION_TYPE),
         _pick("SuggestionStatus", "Suggestion status", "New, Accepted, Dismissed or Expired",
               SUGGESTION_STATUS),
         _int("SpanStart", "Span start", "First character of the evidence in the note text"),
         _int("SpanEnd", "Span end", "Character after the evidence"),
         _dec("Confidence", "Confidence", "0 to 1", 0, 1, 4),
         _dt("Start", "Suggested start", "Start of the suggested activity (UTC)"),
         _dt("Due", "Suggested due date", "Due date of the suggested task (UTC)"),
         _memo("Payload", "Quick-create payload", "JSON: subject, start/end, regarding, participants")),
        (_key("notesuggestion"),),
    ),
    TableDef(
        f"{PREFIX}_talkingpoint", "Talking point", "Talking points",
        "The latest personal topic a contact mentioned, as a conversation starter",
        (KEY_COLUMN, _s("ContactId", "Contact id", "The contact", 36),
         _pick("Topic", "Topic", "Personal topic", TOPIC),
         _s("Snippet", "Snippet", "The sentence that mentions it (at most 200 characters)", 200),
         _s("SourceEmailId", "Source e-mail", "The e-mail it comes from", 36),
         _dt("MentionedOn", "Mentioned on", "When the e-mail was sent"),
         _dec("Confidence", "Confidence", "0 to 1", 0, 1, 4)),
        (_key("talkingpoint"),),
    ),
    TableDef(
        f"{PREFIX}_connection", "Connection", "Connections",
        "Who knows whom: strength of the relationship between a colleague and a customer person",
        (KEY_COLUMN, _s("UserId", "Colleague id", "systemuserid of the colleague", 36),
         _s("PersonId", "Person id", "contactid or leadid", 36),
         _s("PersonType", "Person table", "contact or lead", 20),
         _s("AccountId", "Account id", "Account of the person, for the company roll-up", 36),
         _int("Strength", "Strength", "Connection strength 0-100", 0, 100),
         _int("Rank", "Rank", "Rank of this colleague for this person (1 = strongest)"),
         _dt("LastInteractionOn", "Last interaction", "Date of the last interaction"),
         _pick("LastInteractionType", "Last interaction type", "Type of the last interaction", ACTIVITY_TYPE),
         _int("EmailCount", "E-mails", "E-mails exchanged"), _int("MeetingCount", "Meetings", "Meetings together"),
         _int("CallCount", "Calls", "Phone calls"),
         _memo("Components", "Strength components", "JSON: frequency, recency, reciprocity, channel, age")),
        (_key("connection"),),
    ),
    TableDef(
        f"{PREFIX}_syncrun", "Sync run", "Sync runs",
        "One row per sync run: timings, counts read/written/failed per table, errors",
        (KEY_COLUMN, _dt("StartedOn", "Started on", "Start of the run"), _dt("EndedOn", "Ended on", "End of the run"),
         _pick("RunStatus", "Status", "Running, Succeeded, Partial or Failed", RUN_STATUS),
         _s("Trigger", "Trigger", "timer, http or cli", 20),
         _int("RecordsRead", "Records read", "Rows read"), _int("RecordsWritten", "Records written", "Rows written"),
         _int("RecordsFailed", "Records failed", "Rows that failed to write"),
         _memo("Counts", "Counts", "JSON: per table counts and timings"),
         _memo("Errors", "Errors", "JSON: failed records with id, field and error")),
        (_key("syncrun"),),
    ),
    TableDef(
        f"{PREFIX}_setting", "Insights setting", "Insights settings",
        "Administrator settings of Open Sales Insights (one row per setting, value as JSON)",
        (KEY_COLUMN, _memo("Value", "Value", "JSON value of the setting", 20_000),
         _memo("Description", "Description", "What the setting does", 4000)),
        (_key("setting"),),
    ),
    TableDef(
        f"{PREFIX}_insight", "Insight", "Insights",
        "Timeline entry: a change of relationship health or score, or an assistant card, worth a seller's attention",
        (KEY_COLUMN, _pick("InsightType", "Insight type", "What changed, or which assistant card", INSIGHT_TYPE),
         _memo("Details", "Details", "JSON: before, after and the reasons; a card's facts", 20_000),
         ColumnDef(f"{PREFIX}_RaisedOn", "datetime", "Raised on", "When the assistant card's condition began",
                   label_fr="Levée le"),
         ColumnDef(f"{PREFIX}_ExpiresOn", "datetime", "Expires on", "When the assistant card stops being shown",
                   label_fr="Expire le")),
        (_key("insight"),),
        is_activity=True,
        primary_name=ColumnDef("Subject", "string", "Subject", "Subject", max_length=200),
    ),
    TableDef(
        f"{PREFIX}_similardeal", "Similar won deal", "Similar won deals",
        "A won opportunity close to an open one, with what it had at the same point",
        (KEY_COLUMN, _s("OpportunityId", "Opportunity id", "The open opportunity", 36),
         _s("SimilarId", "Similar deal id", "The won opportunity", 36),
         _int("Rank", "Rank", "1 = the most similar"), _dec("Similarity", "Similarity", "0 to 1", 0, 1, 4),
         _memo("Details", "Details", "JSON: size, industry, days to close, activities at the same age", 4000)),
        (_key("similardeal"),),
    ),
    TableDef(
        f"{PREFIX}_carddismissal", "Card dismissal", "Card dismissals",
        "A seller dismissed an assistant card for themselves (written by the panel, never by the sync)",
        (KEY_COLUMN, _s("CardKey", "Card key", "osi_key of the dismissed osi_insight card", 200),
         _s("UserId", "User id", "systemuserid of the seller who dismissed it", 36)),
        (_key("carddismissal"),),
    ),
)


def table(logical_name: str) -> TableDef:
    """The table we create with this logical name.

    Raises:
        KeyError: no such table in the schema.
    """
    for t in TABLES:
        if t.logical_name == logical_name:
            return t
    raise KeyError(logical_name)


def all_columns() -> dict[str, tuple[ColumnDef, ...]]:
    """Every table (standard or ours) → every column of ours on it, primary name included."""
    out: dict[str, tuple[ColumnDef, ...]] = dict(EXTENDED_TABLES)
    for t in TABLES:
        out[t.logical_name] = (t.primary_name, *t.columns)
    return out
