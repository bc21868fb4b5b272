"""Notes analysis: suggested activities, contacts, content requests and issues from timeline notes (spec §3).

A note's suggestions depend only on the note (its text and its own timestamps) and its owner's time
zone, so each note is analysed once and its result kept until the note or its owner's zone changes.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
from pydantic import Field

from connector import canonical, schema
from connector.feature_settings import FeatureSettings
from connector.insights.notes import analyze_notes
from connector.pipeline import item_cache
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext

Intent = Literal["appointment", "phone_call", "task", "new_contact", "content_request", "issue"]


class NotesSettings(FeatureSettings):
    """Which languages notes are read in, and which suggestions are made."""

    languages: list[Literal["en", "fr"]] = Field(default=["en", "fr"], min_length=1,
                                                 description="Languages notes are written in.")
    intents: list[Intent] | None = Field(default=None, description="Suggestions to make; null means all.")
    time_budget_seconds: float = Field(default=300.0, gt=0, le=3600,
                                       description="Time one run may spend analysing notes; the notes left over "
                                                   "are analysed by the next run.")


def _zones(frames: Frames) -> pd.Series:
    users = frames.get("users", canonical.empty_frame("users"))
    return users.drop_duplicates("user_id").set_index("user_id")["timezone"]


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
    notes_left = [f"notes: {cached.deferred} notes left for the next run (time budget of "
                  f"{settings.time_budget_seconds:g} s)"] if cached.deferred else []
    return Produced(frames={"osi_notesuggestion": cached.rows}, state=cached.state, evaluated=cached.evaluated,
                    notes=notes_left)


_KEPT = (schema.SUGGESTION_STATUS.value("Accepted"), schema.SUGGESTION_STATUS.value("Dismissed"))

PRODUCER: Producer[Any] = Producer(
    name="notes",
    description="Notes analysis: languages (en, fr) and intents (appointment, phone_call, task, new_contact, "
                "content_request, issue); null means all.",
    settings=NotesSettings,
    # A seller's Accepted/Dismissed survives reruns, and such a suggestion is kept when its note changes.
    outputs=(Output("osi_notesuggestion", create_only=("osi_suggestionstatus",),
                    keep_values=("osi_suggestionstatus", _KEPT)),),
    compute=_compute,
    version="2",
)
