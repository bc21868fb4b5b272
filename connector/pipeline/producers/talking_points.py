"""Talking points: the latest personal topic each contact mentioned in their e-mails (spec §4).

Each contact's talking points depend only on that contact's incoming e-mails, so a run recomputes the
contacts whose e-mails were added, changed or deleted since the last committed run and reuses the
others' rows.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
from pydantic import Field

from connector import canonical
from connector.feature_settings import FeatureSettings
from connector.insights.talking_points import TOPICS, find_talking_points
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext

Topic = Literal["family", "sports", "vacation", "health", "entertainment", "food", "hobbies", "celebrations"]

POINTS = "points"
EMAILS = "emails"


class TalkingPointSettings(FeatureSettings):
    """Which topics are looked for, and who asked not to be profiled."""

    topics: list[Topic] = Field(default=sorted(TOPICS), description="Topics to detect.")  # type: ignore[arg-type]
    opted_out_contacts: list[str] = Field(default=[], description="Contact ids that asked not to be profiled.")
    time_budget_seconds: float = Field(default=300.0, gt=0, le=3600,
                                       description="Time one run may spend reading e-mails; the e-mails left "
                                                   "over are read by the next run.")


def _is(column: pd.Series, value: object) -> pd.Series:
    """``column == value`` with missing values counted as no (merged snapshots hold NA)."""
    return (column == value).fillna(False).astype(bool)


def incoming_emails(frames: Frames) -> pd.DataFrame:
    """Customers' e-mails to us with the sending contact: the talking points' input."""
    activities = frames.get("activities", canonical.empty_frame("activities"))
    parties = frames.get("parties", canonical.empty_frame("parties"))
    incoming = activities[_is(activities["activity_type"], "email") & _is(activities["direction"], "incoming")]
    senders = parties[_is(parties["participation"], 1) & _is(parties["party_type"], "contact")]
    senders = senders.sort_values(["activity_id", "party_id"]).drop_duplicates("activity_id")
    senders = senders[["activity_id", "party_id"]].rename(columns={"party_id": "contact_id"})
    return incoming.merge(senders, on="activity_id", how="inner")


def _keys(emails: pd.DataFrame) -> pd.Series:
    return (emails["activity_id"].astype("string") + "|" + emails["contact_id"].astype("string") + "|"
            + emails["modified_on"].astype("string").fillna("") + "|" + emails["occurred_on"].astype("string"))


def _compute(frames: Frames, ctx: RunContext[TalkingPointSettings]) -> Produced:
    emails = incoming_emails(frames)
    # An e-mail dated after now is not read yet: it is not marked as read either.
    emails = emails[(emails["occurred_on"] <= pd.Timestamp(ctx.now)).fillna(False)]
    keys = _keys(emails)
    old_points, old_keys = ctx.state.get(POINTS), ctx.state.get(EMAILS)
    if ctx.recompute_all or old_points is None or old_keys is None:
        dirty = set(emails["contact_id"].astype(str))
        kept = None
    else:
        known = old_keys.set_index("key")["contact_id"]
        # Contacts with a new or changed e-mail, and contacts one of whose e-mails is gone or changed.
        dirty = set(emails.loc[~keys.isin(known.index).to_numpy(), "contact_id"].astype(str))
        dirty |= set(known[~known.index.isin(set(keys))].astype(str))
        kept = old_points[~old_points["osi_contactid"].astype(str).isin(dirty)]
    todo = emails[emails["contact_id"].astype(str).isin(dirty)]
    left: list[str] = []
    fresh = find_talking_points(todo, now=ctx.now, topics=ctx.settings.topics,
                                opted_out_contacts=ctx.settings.opted_out_contacts,
                                budget_seconds=ctx.settings.time_budget_seconds, deferred=left)
    # A contact with an e-mail left for later keeps its previous rows and stays to be recomputed.
    waiting = set(todo.loc[todo["activity_id"].astype(str).isin(set(left)), "contact_id"].astype(str))
    fresh = fresh[~fresh["osi_contactid"].astype(str).isin(waiting)]
    held = old_points[old_points["osi_contactid"].astype(str).isin(waiting)] if old_points is not None else None
    parts = [p for p in (kept, held, fresh) if p is not None and not p.empty]
    points = pd.concat(parts, ignore_index=True) if parts else fresh
    points = points.sort_values("osi_key", kind="stable").reset_index(drop=True)
    done = ~emails["contact_id"].astype(str).isin(waiting).to_numpy()
    seen = pd.DataFrame({"key": keys[done].astype(str).to_numpy(),
                         "contact_id": emails.loc[done, "contact_id"].astype(str).to_numpy()})
    notes = [f"talking points: {len(waiting)} contacts' e-mails left for the next run (time budget of "
             f"{ctx.settings.time_budget_seconds:g} s)"] if waiting else []
    return Produced(frames={"osi_talkingpoint": points}, state={POINTS: points, EMAILS: seen},
                    evaluated=len(todo) - len(left), notes=notes)


PRODUCER: Producer[Any] = Producer(
    name="talking_points",
    description="Talking points: topics to detect, and contact ids that opted out of profiling.",
    settings=TalkingPointSettings,
    outputs=(Output("osi_talkingpoint"),),
    compute=_compute,
    version="2",
)
