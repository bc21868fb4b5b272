"""Assistant insight cards (spec §1.6): timeline entries and panel cards a seller acts on today.

No activity for N days on an open opportunity or a key contact; a close date within N days or passed; a
customer e-mail unanswered for N hours; a meeting today; a score or health change beyond N points. Each
card comes from data the sync already reads (:mod:`assistant_rules`), has its own switch and threshold,
and is an ``osi_insight`` row regarding its record, keyed per card and occurrence (written once per
occurrence, an idempotent upsert on a rerun). A card expires: ``osi_expireson`` holds when (its natural end:
the meeting's end, the day after the close date, the answer to the e-mail...), and a card whose condition
ended early (an activity happened, the opportunity closed) gets ``osi_expireson`` = now at the next run.
Sellers dismiss a card for themselves (an ``osi_carddismissal`` row the panel writes); the sync never
writes the seller's side.

The card's subject is written once, in its record owner's language and time zone, from the message
catalogue, with absolute dates only; its details hold the facts, which the panel words at display time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd
from pydantic import Field

from connector import canonical, messages, schema
from connector.feature_settings import FeatureSettings
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext
from connector.pipeline.producers import assistant_rules as rules
from connector.record_types import RECORD_TYPES, RecordType

WRITTEN = "written"
HEALTH = "health"
REBASE = "health_rebase"
"""State present when the admin changed the relationship settings in the last run and the health was read
from Dataverse (relationship analytics did not compute it this run): the health Dataverse holds at the next
run moved because of the admin, so it becomes the baseline without raising cards."""
CARD_TYPES = ("no_activity", "close_soon", "close_missed", "email_unanswered", "meeting_today", "score_change",
              "health_change")
INSIGHT_TYPES = {"no_activity": "No activity", "close_soon": "Close date soon", "close_missed": "Close date missed",
                 "email_unanswered": "E-mail awaiting reply", "meeting_today": "Meeting today",
                 "score_change": "Score change", "health_change": "Health change"}


class AssistantSettings(FeatureSettings):
    """Each card's switch and threshold."""

    no_activity_opportunity: bool = Field(default=True, description="Card when an open opportunity has no "
                                                                    "activity for a while.")
    no_activity_opportunity_days: int = Field(default=14, ge=1, le=365, description="Days without activity on an "
                                                                                   "open opportunity.")
    no_activity_contact: bool = Field(default=True, description="Card when a key contact (an account's primary "
                                                                "contact, an open opportunity's contact) goes quiet.")
    no_activity_contact_days: int = Field(default=30, ge=1, le=365, description="Days without activity with a "
                                                                               "key contact.")
    close_date_soon: bool = Field(default=True, description="Card when an open opportunity's close date is near.")
    close_date_soon_days: int = Field(default=7, ge=1, le=90, description="Days before the estimated close date.")
    close_date_missed: bool = Field(default=True, description="Card when an open opportunity's close date passed.")
    email_unanswered: bool = Field(default=True, description="Card when a customer e-mail waits for a reply.")
    email_unanswered_hours: int = Field(default=24, ge=1, le=720, description="Hours without a reply.")
    email_max_age_days: int = Field(default=7, ge=1, le=90, description="Older unanswered e-mails raise no card.")
    meeting_today: bool = Field(default=True, description="Card on the day of a meeting.")
    score_change: bool = Field(default=True, description="Card when a predictive score jumps.")
    score_change_points: int = Field(default=15, ge=1, le=100, description="Points between two daily scores.")
    health_change: bool = Field(default=True, description="Card when relationship health jumps.")
    health_change_points: int = Field(default=15, ge=1, le=100, description="Points of health since last seen.")
    card_days: int = Field(default=7, ge=1, le=90, description="Days a card with no natural end stays (a missed "
                                                              "close date, a score or health change).")


def _owners(frames: Frames) -> dict[str, str]:
    out: dict[str, str] = {}
    for rt in RECORD_TYPES.values():
        df = frames.get(rt.frame, canonical.empty_frame(rt.frame))
        out.update({str(k): str(v) for k, v in zip(df[rt.frame_key], df["owner_id"], strict=True) if pd.notna(v)})
    return out


class _RecordOf(Mapping[str, tuple[str, str]]):
    """Activity id → ``(record type, record id)`` of the record it concerns, looked up on demand (the rules
    ask for a few hundred activities; a dict of every activity cost seconds at size M)."""

    def __init__(self, table: pd.DataFrame) -> None:
        self._types = pd.Series(table["type"].to_numpy(dtype=object), index=pd.Index(table["activity_id"]))
        self._ids = pd.Series(table["id"].to_numpy(dtype=object), index=self._types.index)

    def __getitem__(self, key: str) -> tuple[str, str]:
        return str(self._types[key]), str(self._ids[key])

    def __contains__(self, key: object) -> bool:
        return key in self._types.index

    def __iter__(self) -> Iterator[str]:
        return iter(self._types.index)

    def __len__(self) -> int:
        return len(self._types)


def _people(frames: Frames, since: pd.Timestamp) -> _RecordOf:
    """Activity id → the record it concerns: its regarding record, else the contact or lead who sent it (e-mail)
    or was invited to it (meeting); for the activities that happened or start after ``since`` (the only ones
    a card is raised about)."""
    acts = frames.get("activities", canonical.empty_frame("activities"))
    recent = (acts["occurred_on"] >= since).fillna(False) | (acts["scheduled_start"] >= since).fillna(False)
    acts = acts.loc[recent.to_numpy(dtype=bool), ["activity_id", "regarding_type", "regarding_id"]]
    parties = frames.get("parties", canonical.empty_frame("parties"))
    parties = parties[["activity_id", "party_type", "party_id", "participation"]]
    parties = parties[parties["activity_id"].isin(acts["activity_id"]).to_numpy(dtype=bool)]
    people = parties[parties["party_type"].isin(["contact", "lead"]).fillna(False).astype(bool)
                     & parties["participation"].isin([1, 5]).fillna(False).astype(bool)]
    people = people.sort_values(["activity_id", "participation", "party_id"], kind="stable")
    people = people.drop_duplicates("activity_id", keep="first")
    regarding = acts[acts["regarding_type"].isin(list(RECORD_TYPES)).fillna(False).astype(bool)]
    table = pd.concat([
        pd.DataFrame({"activity_id": people["activity_id"].astype(str).to_numpy(),
                      "type": people["party_type"].to_numpy(), "id": people["party_id"].to_numpy()}),
        pd.DataFrame({"activity_id": regarding["activity_id"].astype(str).to_numpy(),
                      "type": regarding["regarding_type"].to_numpy(), "id": regarding["regarding_id"].to_numpy()}),
    ], ignore_index=True)
    # The regarding record wins over a person (it comes last).
    return _RecordOf(table.drop_duplicates("activity_id", keep="last"))


def _health(frames: Frames, earlier: Frames, owners: Mapping[str, str]) -> pd.DataFrame:
    """Each record's health: what relationship analytics computed this run when it did (so a jump is seen in
    the run that makes it, and a run cut off before its load sees it again), else what Dataverse holds."""
    parts = []
    for table, rt in RECORD_TYPES.items():
        now = earlier.get(table)
        if now is not None and "osi_healthscore" in now.columns:
            ids, score = now[rt.primary_id].astype("string"), now["osi_healthscore"]
        else:
            df = frames.get(rt.frame)
            if df is None or "osi_healthscore" not in df.columns:
                continue
            ids, score = df[rt.frame_key].astype("string"), df["osi_healthscore"]
        parts.append(pd.DataFrame({"record_type": table, "record_id": ids, "owner_id": ids.map(owners),
                                   "score": pd.to_numeric(score, errors="coerce")}))
    if not parts:
        return pd.DataFrame(columns=["record_type", "record_id", "owner_id", "score"])
    return pd.concat(parts, ignore_index=True)


def _score_history(frames: Frames, earlier: Frames) -> pd.DataFrame | None:
    """The score history Dataverse holds, then the rows scoring computed this run (so a jump raises its card in
    the run that scores it, not one run later)."""
    parts = [f for f in (frames.get("own_osi_scorehistory"), earlier.get("osi_scorehistory"))
             if f is not None and not f.empty]
    columns = ["osi_recordid", "osi_entityname", "osi_day", "osi_score"]
    if not parts:
        return None
    return pd.concat([p[columns].assign(osi_day=pd.to_datetime(p["osi_day"], utc=True, errors="coerce"))
                      for p in parts], ignore_index=True)


def _computed_this_run(frames: Frames, earlier: Frames) -> bool:
    """Whether no health :func:`_health` reads was taken from Dataverse (all computed this run)."""
    def held(rt: RecordType) -> bool:
        df = frames.get(rt.frame)
        return df is not None and "osi_healthscore" in df.columns
    return not any(held(rt) for t, rt in RECORD_TYPES.items()
                   if t not in earlier or "osi_healthscore" not in earlier[t].columns)


def _graded_by(rows: pd.DataFrame | None) -> dict[str, Any]:
    """Record type → what its health model grades with (weights and cut-offs) in ``osi_healthmodel`` rows."""
    if rows is None or rows.empty or "osi_weights" not in rows.columns:
        return {}
    out: dict[str, Any] = {}
    for key, weights, good, fair in zip(rows["osi_key"], rows["osi_weights"], rows["osi_goodmin"],
                                        rows["osi_fairmin"], strict=True):
        try:
            out[str(key)] = (json.loads(weights), float(good), float(fair))
        except (TypeError, ValueError):
            out[str(key)] = None  # unreadable: compares unequal to any model
    return out


def _health_refitted(frames: Frames, earlier: Frames) -> bool:
    """Whether relationship analytics graded this run with other models than those Dataverse's registry holds.

    Health a refit moved is a new baseline, not a jump: the relationship producer writes no health-change
    entry for it either. Without registry rows held (first run, or a solution without the table) there is
    nothing to compare, and the run is taken as no refit.
    """
    held = _graded_by(frames.get("own_osi_healthmodel"))
    computed = _graded_by(earlier.get("osi_healthmodel"))
    return bool(held) and bool(computed) and any(held.get(k) != v for k, v in computed.items())


def live_cards(frames: Frames, ctx: RunContext[AssistantSettings]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every card live at ``ctx.now`` (sorted by key), and the health baseline to remember."""
    s = ctx.settings
    users = frames.get("users", canonical.empty_frame("users"))
    zones = {str(u): str(z) for u, z in zip(users["user_id"], users["timezone"], strict=True) if isinstance(z, str)}
    clock = rules.Clock(pd.Timestamp(ctx.now), zones, ctx.org_timezone)
    owners = _owners(frames)
    # A card is about an e-mail at most email_max_age_days old or a meeting of today.
    about = _people(frames, pd.Timestamp(ctx.now) - pd.Timedelta(days=s.email_max_age_days + 2))
    parts = [
        rules.no_activity(frames, clock, opportunity_days=s.no_activity_opportunity_days if s.no_activity_opportunity
                          else None, contact_days=s.no_activity_contact_days if s.no_activity_contact else None),
        rules.close_date(frames, clock, soon_days=s.close_date_soon_days if s.close_date_soon else None,
                         missed=s.close_date_missed, lifetime_days=s.card_days),
        rules.unanswered_emails(frames, clock, hours=s.email_unanswered_hours if s.email_unanswered else None,
                                max_age_days=s.email_max_age_days, record_of=about),
        rules.meetings_today(frames, clock, record_of=about) if s.meeting_today else rules.cards_frame([]),
        rules.score_jumps(_score_history(frames, ctx.earlier), clock,
                          points=s.score_change_points if s.score_change else None,
                          lifetime_days=s.card_days, owners=owners),
    ]
    current = _health(frames, ctx.earlier, owners)
    # A health moved by the admin's change of the relationship settings, or by the models' refit, is a new
    # baseline, not a jump.
    admin = ("relationship" in ctx.admin_changed or REBASE in ctx.state
             or _health_refitted(frames, ctx.earlier))
    health, baseline = rules.health_jumps(current, None if admin else ctx.state.get(HEALTH), ctx.now,
                                          points=s.health_change_points if s.health_change else None,
                                          lifetime_days=s.card_days)
    kept = ctx.state.get(WRITTEN)
    if kept is not None and not kept.empty:
        # A health card is raised once, at the run that saw the jump: carry it while it lasts.
        earlier = kept[kept["card"].eq("health_change") & (kept["expires_on"] > pd.Timestamp(ctx.now))]
        parts.append(earlier[list(rules.CARD_COLUMNS)].assign(facts=earlier["facts"].map(json.loads)))
    parts.append(health)
    cards = pd.concat([p for p in parts if not p.empty] or [rules.cards_frame([])], ignore_index=True)
    cards = cards[cards["record_type"].isin(list(RECORD_TYPES))]
    cards = cards.assign(key=_keys(cards)).drop_duplicates("key").sort_values("key", kind="stable")
    return cards.reset_index(drop=True), baseline


def _keys(cards: pd.DataFrame) -> pd.Series:
    # Dataverse refuses / # < > * % & : \ ? + in alternate-key values used in a URL: none appear here.
    return ("card|" + cards["card"].astype(str) + "|" + cards["record_id"].astype(str) + "|"
            + cards["occurrence"].astype(str))


def _language_and_zone(frames: Frames, org_timezone: str) -> tuple[dict[str, str], dict[str, str]]:
    users = frames.get("users", canonical.empty_frame("users"))
    zones = {str(u): str(z) for u, z in zip(users["user_id"], users["timezone"], strict=True) if isinstance(z, str)}
    settings = frames.get("user_settings")
    langs: dict[str, str] = {}
    if settings is not None and "uilanguageid" in settings.columns:
        langs = {str(u).lower(): messages.language_of(code)
                 for u, code in zip(settings["systemuserid"], settings["uilanguageid"], strict=True)}
    return langs, zones


def subject(card: str, facts: Mapping[str, Any], lang: str, zone: str) -> str:
    """The timeline subject of a card, in ``lang`` with dates in ``zone``: absolute facts only."""
    values = dict(facts)
    for name in ("since", "received_on", "start"):
        if isinstance(values.get(name), str):
            values[name + "_text"] = messages.date_time_text(lang, values[name], zone)
            values[name + "_date"] = messages.date_text(lang, values[name], zone)
    if isinstance(values.get("start"), str):
        values["start_time"] = messages.time_text(lang, values["start"], zone)
    if isinstance(values.get("close_date"), str):
        values["close_date_text"] = messages.date_text(lang, values["close_date"] + "T12:00:00Z", "UTC")
    return messages.message(lang, f"cards.{card}.subject", **values)[:200]


def rows_for(cards: pd.DataFrame, frames: Frames, org_timezone: str) -> pd.DataFrame:
    """The ``osi_insight`` rows of ``cards``."""
    langs, zones = _language_and_zone(frames, org_timezone)
    rows = []
    for c in cards.itertuples(index=False):
        owner = str(c.owner_id).lower() if isinstance(c.owner_id, str) else ""
        lang, zone = langs.get(owner, "en"), zones.get(owner, org_timezone)
        rt = RECORD_TYPES[str(c.record_type)]
        details = {"card": c.card, "facts": c.facts, "raised_on": rules._iso(c.raised_on),
                   "record": {"type": c.record_type, "id": c.record_id}}
        rows.append({
            "osi_key": c.key, "subject": subject(str(c.card), c.facts, lang, zone),
            "osi_insighttype": schema.INSIGHT_TYPE.value(INSIGHT_TYPES[str(c.card)]),
            "osi_details": json.dumps(details, sort_keys=True, ensure_ascii=False),
            "osi_raisedon": c.raised_on, "osi_expireson": c.expires_on,
            f"regardingobjectid_{rt.table}_osi_insight@odata.bind": f"/{rt.entity_set}({c.record_id})"})
    return pd.DataFrame(rows, columns=["osi_key", "subject", "osi_insighttype", "osi_details", "osi_raisedon",
                                       "osi_expireson"] + sorted({k for r in rows for k in r if k.endswith("bind")}))


def _to_write(live: pd.DataFrame, written: pd.DataFrame | None, now: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cards to write this run (new, moved, or ended early) and what is written after it."""
    live = live.assign(facts_json=live["facts"].map(lambda f: json.dumps(f, sort_keys=True)))
    if written is None or written.empty:
        return live, live
    was = written.set_index("key")
    same = live["key"].isin(was.index) & live.apply(
        lambda r: r["key"] in was.index and was.at[r["key"], "expires_on"] == r["expires_on"], axis=1).astype(bool)
    changed = live[~same.to_numpy()]
    gone = written[~written["key"].isin(live["key"]) & (written["expires_on"] > now)]
    ended = gone.assign(expires_on=now, facts=gone["facts"].map(json.loads), facts_json=gone["facts"])
    keep = written[written["key"].isin(live["key"]) | (written["expires_on"] > now - pd.Timedelta(days=1))]
    keep = keep[~keep["key"].isin(live["key"]) & ~keep["key"].isin(ended["key"])]
    remembered = pd.concat([live, ended, keep.assign(facts_json=keep["facts"])], ignore_index=True)
    return pd.concat([changed, ended], ignore_index=True), remembered


def _compute(frames: Frames, ctx: RunContext[AssistantSettings]) -> Produced:
    cards, baseline = live_cards(frames, ctx)
    now = pd.Timestamp(ctx.now)
    todo, remembered = _to_write(cards, ctx.state.get(WRITTEN), now)
    state = remembered[[*rules.CARD_COLUMNS, "key"]].assign(facts=remembered["facts_json"])
    out = rows_for(todo.sort_values("key", kind="stable"), frames, ctx.org_timezone)
    counts = cards["card"].value_counts().to_dict()
    notes = [f"assistant: {len(cards)} live cards ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}), "
             f"{len(todo)} written"] if len(cards) else []
    remember = {WRITTEN: state.reset_index(drop=True), HEALTH: baseline.reset_index(drop=True)}
    if "relationship" in ctx.admin_changed and not _computed_this_run(frames, ctx.earlier):
        # Read from Dataverse, the moved health only shows at the next run: rebase then too.
        remember[REBASE] = pd.DataFrame({"since": [now]})
    return Produced(frames={"osi_insight": out} if not out.empty else {}, notes=notes, evaluated=len(cards),
                    state=remember)


PRODUCER: Producer[Any] = Producer(
    name="assistant",
    description="Assistant cards: no activity on an open opportunity or key contact, close date soon or missed, "
                "customer e-mail awaiting a reply, meeting today, score or health jump; each on/off with its "
                "threshold.",
    settings=AssistantSettings,
    outputs=(Output("osi_insight", delete_missing=False),),
    compute=_compute,
)
