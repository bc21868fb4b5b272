"""Notes analysis: suggested activities, contacts, content requests and issues from timeline notes (spec §3).

A note's suggestions depend only on the note (its text and its own timestamps) and its owner's time
zone, so each note is analysed once and its result kept until the note or its owner's zone changes.
Whether a suggestion is still live depends on the run's clock, so expiry is decided when the output is
assembled, never inside the cached per-note result: a suggestion whose time has passed becomes Expired
at the next run, and a seller's Accepted or Dismissed is never overwritten.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

import pandas as pd
from pydantic import Field

from connector import canonical, schema
from connector.feature_settings import FeatureSettings
from connector.insights.notes import analyze_notes
from connector.pipeline import item_cache
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext

Intent = Literal["appointment", "phone_call", "task", "new_contact", "content_request", "issue"]

NEW = schema.SUGGESTION_STATUS.value("New")
EXPIRED = schema.SUGGESTION_STATUS.value("Expired")
SELLER_CHOICES = (schema.SUGGESTION_STATUS.value("Accepted"), schema.SUGGESTION_STATUS.value("Dismissed"))
_TIMED = (schema.SUGGESTION_TYPE.value("Appointment"), schema.SUGGESTION_TYPE.value("Phone call"))


class NotesSettings(FeatureSettings):
    """Which languages notes are read in, which suggestions are made, and when they stop being offered."""

    languages: list[Literal["en", "fr"]] = Field(default=["en", "fr"], min_length=1,
                                                 description="Languages notes are written in.")
    intents: list[Intent] | None = Field(default=None, description="Suggestions to make; null means all.")
    expire_tasks_after_days: int = Field(default=7, ge=0, le=365,
                                         description="A task (or content request, or issue) whose due date passed "
                                                     "more than this many days ago is no longer offered.")
    expire_undated_after_days: int | None = Field(
        default=30, ge=1, le=3650, description="A suggestion with no date (a new contact, an undated task) is no "
                                               "longer offered this many days after its note; null keeps it.")
    time_budget_seconds: float = Field(default=300.0, gt=0, le=3600,
                                       description="Time one run may spend analysing notes; the notes left over "
                                                   "are analysed by the next run.")


def _zones(frames: Frames) -> pd.Series:
    users = frames.get("users", canonical.empty_frame("users"))
    return users.drop_duplicates("user_id").set_index("user_id")["timezone"]


def _payload_times(payloads: pd.Series) -> pd.DataFrame:
    """End of the suggested activity as the payload states it (``end``, or ``all_day``), per row."""
    ends, all_day = [], []
    for text in payloads:
        value = item_payload(text)
        ends.append(value.get("end"))
        all_day.append(bool(value.get("all_day")))
    return pd.DataFrame({"end": pd.to_datetime(pd.Series(ends, dtype="object"), utc=True, errors="coerce"),
                         "all_day": all_day}, index=payloads.index)


def item_payload(text: object) -> dict[str, Any]:
    """The decoded quick-create payload of a suggestion (empty when missing or malformed)."""
    if not isinstance(text, str):
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def live_until(rows: pd.DataFrame, noted_on: pd.Series, settings: NotesSettings) -> pd.Series:
    """When each suggestion stops being offered (``NaT``: never).

    An appointment or call is offered until it ends (its end, else its start; an all-day one until the
    day is over); a task, content request or issue until ``expire_tasks_after_days`` after it is due; a
    suggestion with no date ``expire_undated_after_days`` after its note was written.
    """
    start = pd.to_datetime(rows["osi_start"], utc=True)
    due = pd.to_datetime(rows["osi_due"], utc=True)
    times = _payload_times(rows["osi_payload"])
    timed = rows["osi_suggestiontype"].isin(_TIMED).fillna(False).to_numpy()
    event_end = times["end"].where(times["end"].notna(), start)
    event_end = event_end.where(~times["all_day"], start + pd.Timedelta(days=1))
    task_due = due.where(due.notna(), start) + pd.Timedelta(days=settings.expire_tasks_after_days)
    until = task_due.where(~timed, event_end)
    undated = start.isna() & due.isna()
    if settings.expire_undated_after_days is None:
        return until
    aged = pd.to_datetime(noted_on, utc=True) + pd.Timedelta(days=settings.expire_undated_after_days)
    return until.where(~undated, aged)


def with_status(rows: pd.DataFrame, notes: pd.DataFrame, settings: NotesSettings, now: datetime) -> pd.DataFrame:
    """``rows`` with the status of each suggestion as of ``now``: New while it is live, else Expired."""
    out = rows.copy()
    if out.empty:
        return out
    created = notes.drop_duplicates("note_id").set_index("note_id")["created_on"]
    noted_on = out["osi_noteid"].map(created)
    until = live_until(out, noted_on, settings)
    expired = (until <= pd.Timestamp(now)).fillna(False).to_numpy()
    out["osi_suggestionstatus"] = pd.array([EXPIRED if e else NEW for e in expired], dtype="Int64")
    return out


def seller_choice_wins(held: Any, computed: Any, now: datetime) -> bool:
    """A status a seller chose (Accepted, Dismissed) looks the same as anything the sync computes."""
    return held in SELLER_CHOICES


def _compute(frames: Frames, ctx: RunContext[NotesSettings]) -> Produced:
    notes = frames.get("notes", canonical.empty_frame("notes"))
    zones = _zones(frames)
    owner_zone = notes["owner_id"].map(zones).astype("string").fillna(ctx.org_timezone)
    settings = ctx.settings

    def analyse(todo: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        user_zones = {str(u): str(z) for u, z in zones.items() if isinstance(z, str)}
        left: list[str] = []
        rows = analyze_notes(todo, org_timezone=ctx.org_timezone, user_timezones=user_zones,
                             languages=settings.languages, intents=settings.intents, errors=ctx.problems,
                             budget_seconds=settings.time_budget_seconds, deferred=left)
        return rows, left

    cached = item_cache.refresh(
        notes, id_column="note_id", row_item_column="osi_noteid", state=ctx.state,
        recompute_all=ctx.recompute_all, analyse=analyse, sort_by="osi_key",
        fingerprint=pd.DataFrame({"modified": notes["modified_on"], "created": notes["created_on"],
                                  "zone": owner_zone}))
    rows = with_status(cached.rows, notes, settings, ctx.now)
    notes_left = [f"notes: {cached.deferred} notes left for the next run (time budget of "
                  f"{settings.time_budget_seconds:g} s)"] if cached.deferred else []
    return Produced(frames={"osi_notesuggestion": rows}, state=cached.state, evaluated=cached.evaluated,
                    notes=notes_left)


PRODUCER: Producer[Any] = Producer(
    name="notes",
    description="Notes analysis: languages (en, fr) and intents (appointment, phone_call, task, new_contact, "
                "content_request, issue); null means all. Past suggestions expire (tasks "
                "expire_tasks_after_days after they are due, undated ones expire_undated_after_days after the note).",
    settings=NotesSettings,
    # A seller's Accepted/Dismissed survives reruns (the sync sees it as unchanged), and such a suggestion
    # is kept when its note changes; New becomes Expired once the suggestion's time has passed.
    outputs=(Output("osi_notesuggestion", keep_values=("osi_suggestionstatus", SELLER_CHOICES),
                    same_as_shown={"osi_suggestionstatus": seller_choice_wins}),),
    compute=_compute,
    version="3",
)
