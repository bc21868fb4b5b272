"""The insight producers: adapters from the canonical frames to each insight, and to their tables.

Each adapter picks what its insight needs from the frames, reads its admin settings (falling back
to the insight's own defaults), calls the pure computation with ``now`` and renames the result to
the target table's columns. Nothing here does I/O.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from connector import canonical, schema
from connector.errors import RecordError
from connector.insights.notes import analyze_notes
from connector.insights.relationship import RelationshipSettings, compute_relationships
from connector.insights.talking_points import TOPICS, find_talking_points
from connector.insights.wkw import connection_strengths
from connector.insights.wkw.connections import Person, build_connections
from connector.pipeline.interactions import interactions_from
from connector.pipeline.scoring_definition import default_scoring_setting
from connector.pipeline.scoring_producer import score_all

Frames = Mapping[str, pd.DataFrame]


@dataclass
class Context:
    """What every producer gets besides the frames: the run's time, admin settings, where to report."""

    now: datetime
    admin: Mapping[str, Any] = field(default_factory=dict)
    org_timezone: str = "UTC"
    errors: list[RecordError] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    models: Any = None
    retrain: frozenset[str] = frozenset()

    def section(self, name: str) -> Mapping[str, Any]:
        """One feature's admin settings (an empty mapping when absent or not an object)."""
        value = self.admin.get(name)
        return value if isinstance(value, Mapping) else {}


ProducerFn = Callable[[Frames, Context], dict[str, pd.DataFrame]]


@dataclass(frozen=True)
class Producer:
    """One insight: its name (the ``features`` switch), the tables it writes, how it computes."""

    name: str
    tables: tuple[str, ...]
    compute: ProducerFn
    always_on: bool = False


FEATURES = ("relationship", "scoring", "notes", "talking_points", "who_knows_whom")

SETTING_DESCRIPTIONS: dict[str, str] = {
    "features": "Which insights run: {\"relationship\": true, \"scoring\": true, ...}. false switches one off.",
    "relationship": "Relationship analytics: communication frequency, health cut-offs (good_min, fair_min), "
                    "activity influence (-0.5..0.5), component weights, trend dead-band.",
    "scoring": "Lead and opportunity scoring, per entity: include (columns to add), exclude (columns to remove), "
               "ignore_empty (columns whose blanks carry no information), grade_cutoffs ({\"A\": 70, \"B\": 40, "
               "\"C\": 20}; null = from the scores of converted records) and segments (up to 9 of "
               "{\"column\": \"industrycode\", \"values\": [\"Retail\"]}, each with a model of its own), "
               "retrain_requested_on (an ISO time: models trained before it are retrained once; the admin "
               "page's Retrain button sets it). A change retrains at the next run.",
    "notes": "Notes analysis: languages (en, fr) and intents (appointment, phone_call, task, new_contact, "
             "content_request, issue); null means all.",
    "talking_points": "Talking points: topics to detect, and contact ids that opted out of profiling.",
    "who_knows_whom": "Who knows whom: excluded_users (e-mail addresses or systemuser ids whose data is never "
                      "used), top_n colleagues kept per person.",
}


def default_settings() -> dict[str, Any]:
    """Every admin setting with its default value (what a new organisation's ``osi_setting`` rows hold)."""
    return {
        "features": {name: True for name in FEATURES},
        "relationship": asdict(RelationshipSettings()),
        "scoring": default_scoring_setting(),
        "notes": {"languages": ["en", "fr"], "intents": None},
        "talking_points": {"topics": sorted(TOPICS), "opted_out_contacts": []},
        "who_knows_whom": {"excluded_users": [], "top_n": 5},
    }


def _settings_rows(frames: Frames, ctx: Context) -> dict[str, pd.DataFrame]:
    """Create the missing ``osi_setting`` rows with their defaults, so admins see what they can tune."""
    rows = [{"osi_key": name, "osi_name": name, "osi_value": json.dumps(value, sort_keys=True, indent=1),
             "osi_description": SETTING_DESCRIPTIONS.get(name, "")}
            for name, value in default_settings().items()]
    return {"osi_setting": pd.DataFrame(rows)}


# --- relationship analytics ---------------------------------------------------------------------------

_ID_COLUMNS = {"contact": "contactid", "account": "accountid", "lead": "leadid", "opportunity": "opportunityid"}
_FRAMES = {"contact": "contacts", "account": "accounts", "lead": "leads", "opportunity": "opportunities"}
_GRADED = {schema.HEALTH_STATE.value(s) for s in ("Good", "Fair", "Poor")}


def health_changes(table: str, computed: pd.DataFrame, current: pd.DataFrame | None, *,
                   now: datetime) -> pd.DataFrame:
    """``osi_insight`` timeline entries for records whose graded health state changed.

    Only a change between two graded states (Good, Fair, Poor) is news to a seller; a record's first
    score is not. The key holds the record, the two states and the day, so a rerun the same day
    writes the same entry and never a second one.
    """
    id_col = _ID_COLUMNS[table]
    if current is None or current.empty or "osi_healthstate" not in current.columns:
        return pd.DataFrame()
    before = current.set_index(canonical.KEYS[_FRAMES[table]])["osi_healthstate"]
    after = computed.set_index(id_col)["osi_healthstate"]
    old = before.reindex(after.index)
    changed = old.notna() & after.notna() & old.isin(_GRADED) & after.isin(_GRADED) & (old != after)
    rows = []
    scores = computed.set_index(id_col)["osi_healthscore"]
    for record_id in after.index[changed.fillna(False).to_numpy(dtype=bool)]:
        was = schema.HEALTH_STATE.label(int(old[record_id]))
        now_state = schema.HEALTH_STATE.label(int(after[record_id]))
        rows.append({
            # Dataverse rejects / # < > * % & : \ ? + in alternate-key values used in a URL.
            "osi_key": f"health|{record_id}|{was}|{now_state}|{now:%Y%m%d}",
            "subject": f"Relationship health: {was} → {now_state}",
            "osi_insighttype": schema.INSIGHT_TYPE.value("Health change"),
            "osi_details": json.dumps({"before": was, "after": now_state,
                                       "score": None if pd.isna(scores[record_id]) else int(scores[record_id])}),
            f"regardingobjectid_{table}_osi_insight@odata.bind": f"/{_FRAMES[table]}({record_id})",
        })
    return pd.DataFrame(rows)


def _relationship(frames: Frames, ctx: Context) -> dict[str, pd.DataFrame]:
    settings = RelationshipSettings.from_dict(ctx.section("relationship"))
    # What Dataverse holds from the last run (read back with the records) steadies the trend.
    previous = {t: frames[f].set_index(canonical.KEYS[f]) for t, f in _FRAMES.items()
                if f in frames and "osi_healthtrend" in frames[f].columns}
    out = compute_relationships(frames, now=ctx.now, settings=settings, previous=previous)
    result = {table: df.rename_axis(_ID_COLUMNS[table]).reset_index() for table, df in out.items()}
    changes = [health_changes(t, df, frames.get(_FRAMES[t]), now=ctx.now) for t, df in result.items()]
    changes = [c for c in changes if not c.empty]
    if changes:
        result["osi_insight"] = pd.concat(changes, ignore_index=True)
    return result


# --- notes analysis -----------------------------------------------------------------------------------

def _notes(frames: Frames, ctx: Context) -> dict[str, pd.DataFrame]:
    notes = frames.get("notes", canonical.empty_frame("notes"))
    users = frames.get("users", canonical.empty_frame("users"))
    zones = {u: z for u, z in zip(users["user_id"], users["timezone"], strict=True) if isinstance(z, str)}
    cfg = ctx.section("notes")
    out = analyze_notes(notes, now=ctx.now, org_timezone=ctx.org_timezone, user_timezones=zones,
                        languages=cfg.get("languages") or ("en", "fr"), intents=cfg.get("intents"),
                        errors=ctx.errors)
    return {"osi_notesuggestion": out}


def _is(column: pd.Series, value: object) -> pd.Series:
    """``column == value`` with missing values counted as no (merged snapshots hold NA)."""
    return (column == value).fillna(False).astype(bool)


# --- talking points -----------------------------------------------------------------------------------

def _talking_points(frames: Frames, ctx: Context) -> dict[str, pd.DataFrame]:
    activities = frames.get("activities", canonical.empty_frame("activities"))
    parties = frames.get("parties", canonical.empty_frame("parties"))
    incoming = activities[_is(activities["activity_type"], "email") & _is(activities["direction"], "incoming")]
    senders = parties[_is(parties["participation"], 1) & _is(parties["party_type"], "contact")]
    senders = senders.drop_duplicates("activity_id")[["activity_id", "party_id"]]
    emails = incoming.merge(senders.rename(columns={"party_id": "contact_id"}), on="activity_id", how="inner")
    cfg = ctx.section("talking_points")
    out = find_talking_points(emails, now=ctx.now, topics=cfg.get("topics") or TOPICS,
                              opted_out_contacts=cfg.get("opted_out_contacts") or ())
    return {"osi_talkingpoint": out}


# --- who knows whom -----------------------------------------------------------------------------------

def _who_knows_whom(frames: Frames, ctx: Context) -> dict[str, pd.DataFrame]:
    cfg = ctx.section("who_knows_whom")
    users = frames.get("users", canonical.empty_frame("users"))
    user_by_address = {e: u for e, u in zip(users["email"], users["user_id"], strict=True) if isinstance(e, str)}
    excluded = {str(x).lower() for x in cfg.get("excluded_users") or ()}
    excluded_addresses = {a for a, u in user_by_address.items() if a in excluded or u in excluded}
    people: dict[str, Person] = {}
    for frame, kind, id_col, account_col in (("leads", "lead", "lead_id", "parent_account_id"),
                                             ("contacts", "contact", "contact_id", "parent_account_id")):
        df = frames.get(frame, canonical.empty_frame(frame))
        for email, pid, acc in zip(df["email"], df[id_col], df[account_col], strict=True):
            if isinstance(email, str) and email:
                people[email] = Person(str(pid), kind, None if pd.isna(acc) else str(acc))
    interactions = interactions_from(frames)
    strengths = connection_strengths(interactions, now=ctx.now, internal=set(user_by_address),
                                     excluded_users=excluded_addresses)
    out = build_connections(strengths, people=people, users=user_by_address, top_n=int(cfg.get("top_n") or 5),
                            excluded_users=excluded | excluded_addresses)
    names = _names(frames)
    out["osi_name"] = [f"{names.get(p, p)} — known by {names.get(u, u)}"[:200]
                       for p, u in zip(out["osi_personid"], out["osi_userid"], strict=True)]
    return {"osi_connection": out}


def _names(frames: Frames) -> dict[str, str]:
    names: dict[str, str] = {}
    for frame, key in (("users", "user_id"), ("contacts", "contact_id"), ("leads", "lead_id")):
        df = frames.get(frame)
        if df is not None:
            names.update({str(k): str(v) for k, v in zip(df[key], df["fullname"], strict=True) if isinstance(v, str)})
    return names


def _scoring(frames: Frames, ctx: Context) -> dict[str, pd.DataFrame]:
    return score_all(frames, now=ctx.now, models=ctx.models, errors=ctx.problems, retrain=ctx.retrain,
                     setting=ctx.section("scoring"))


REGISTRY: tuple[Producer, ...] = (
    Producer("settings", ("osi_setting",), _settings_rows, always_on=True),
    Producer("relationship", ("contact", "account", "lead", "opportunity", "osi_insight"), _relationship),
    Producer("scoring", ("lead", "opportunity", "osi_scorehistory", "osi_scoringmodel"), _scoring),
    Producer("notes", ("osi_notesuggestion",), _notes),
    Producer("talking_points", ("osi_talkingpoint",), _talking_points),
    Producer("who_knows_whom", ("osi_connection",), _who_knows_whom),
)
