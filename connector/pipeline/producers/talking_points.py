"""Talking points: the latest personal topic each contact mentioned in their e-mails (spec §4).

A talking point belongs to the user whose mailbox the e-mail came from: the e-mail's owner and the
colleagues it was addressed to (To, Cc). Each gets their own row (the latest mention per contact, topic
and user), owned by them in Dataverse (``ownerid``), so a seller whose role reads talking points at user
level sees only those from their own mail, as Dynamics shows them; an administrator shares them with
every seller by giving sellers organisation-level read on the table.

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
from connector.insights.talking_points.points import talking_point_key, topic_value
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext

Topic = Literal["family", "sports", "vacation", "health", "entertainment", "food", "hobbies", "celebrations"]

POINTS = "points"
EMAILS = "emails"
SEP = "~"
OWNER_BIND = "ownerid@odata.bind"
TOPIC_BY_VALUE = {topic_value(t): t for t in TOPICS}


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


def with_readers(emails: pd.DataFrame, frames: Frames) -> pd.DataFrame:
    """One row per e-mail and user whose mail it is: its owner and the colleagues it was sent to (To, Cc)."""
    parties = frames.get("parties", canonical.empty_frame("parties"))
    to_us = parties[_is(parties["party_type"], "systemuser") & parties["participation"].isin([2, 3]).fillna(False)
                    .astype(bool)][["activity_id", "party_id"]].rename(columns={"party_id": "reader_id"})
    owner = emails["owner_id"] if "owner_id" in emails.columns else pd.Series(pd.NA, index=emails.index)
    owners = pd.DataFrame({"activity_id": emails["activity_id"], "reader_id": owner})
    readers = pd.concat([owners, to_us], ignore_index=True).dropna().drop_duplicates()
    users = frames.get("users")
    if users is not None and not users.empty:
        # Owned by a user, not by a team or queue: only users have a mailbox.
        readers = readers[readers["reader_id"].astype(str).isin(set(users["user_id"].astype(str)))]
    return emails.merge(readers, on="activity_id", how="inner")


def _per_reader(points: pd.DataFrame) -> pd.DataFrame:
    """Rows computed with ``contact|reader`` as the contact: back to the contact, owned by the reader."""
    if points.empty:
        return points.assign(**{OWNER_BIND: pd.Series(dtype="string")})
    parts = points["osi_contactid"].astype(str).str.split(SEP, n=1, regex=False, expand=True)
    contact, reader = parts[0], parts[1]
    out = points.assign(osi_contactid=contact.to_numpy())
    out["osi_key"] = [f"{talking_point_key(c, t)}|{r}" for c, t, r in
                      zip(contact, out["osi_topic"].map(_topic_key), reader, strict=True)]
    out[OWNER_BIND] = [f"/systemusers({r})" for r in reader]
    return out


def _topic_key(value: object) -> str:
    return TOPIC_BY_VALUE.get(int(value), str(value)) if pd.notna(value) else ""  # type: ignore[call-overload]


def _keys(emails: pd.DataFrame) -> pd.Series:
    """One 64-bit hash per e-mail and reader of what the analysis reads: id, reader, modified and sent times.
    (Hashed, not text: formatting 250,000 times as text cost seconds every run at size M.)"""
    parts = pd.DataFrame({"activity_id": emails["activity_id"].astype(str).to_numpy(dtype=object),
                          "contact_id": emails["contact_id"].astype(str).to_numpy(dtype=object),
                          "modified_on": emails["modified_on"], "occurred_on": emails["occurred_on"]})
    return pd.Series(pd.util.hash_pandas_object(parts, index=False).to_numpy(), index=emails.index)


def _compute(frames: Frames, ctx: RunContext[TalkingPointSettings]) -> Produced:
    emails = incoming_emails(frames)
    # An e-mail dated after now is not read yet: it is not marked as read either.
    emails = emails[(emails["occurred_on"] <= pd.Timestamp(ctx.now)).fillna(False)]
    opted_out = set(ctx.settings.opted_out_contacts)
    emails = with_readers(emails[~emails["contact_id"].astype(str).isin(opted_out)], frames)
    # The latest mention is per contact, topic and reader: the analysis groups by this compound contact.
    emails = emails.assign(person_id=emails["contact_id"].astype(str),
                           contact_id=emails["contact_id"].astype(str) + SEP + emails["reader_id"].astype(str))
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
        kept = old_points[~old_points["osi_contactid"].astype(str).isin({d.split(SEP)[0] for d in dirty})]
    dirty_people = {d.split(SEP)[0] for d in dirty}
    todo = emails[emails["person_id"].isin(dirty_people)]
    left: list[str] = []
    fresh = _per_reader(find_talking_points(todo, now=ctx.now, topics=ctx.settings.topics,
                                            budget_seconds=ctx.settings.time_budget_seconds, deferred=left))
    # A contact with an e-mail left for later keeps its previous rows and stays to be recomputed.
    waiting = set(todo.loc[todo["activity_id"].astype(str).isin(set(left)), "person_id"].astype(str))
    fresh = fresh[~fresh["osi_contactid"].astype(str).isin(waiting)]
    held = old_points[old_points["osi_contactid"].astype(str).isin(waiting)] if old_points is not None else None
    parts = [p for p in (kept, held, fresh) if p is not None and not p.empty]
    points = pd.concat(parts, ignore_index=True) if parts else fresh
    points = points.sort_values("osi_key", kind="stable").reset_index(drop=True)
    done = ~emails["person_id"].isin(waiting).to_numpy()
    seen = pd.DataFrame({"key": keys[done].to_numpy(),
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
    version="5",
)
