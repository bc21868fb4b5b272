"""The assistant's card rules: pure functions of the frames we already read and the run's clock.

Each rule returns the cards live at ``now`` (or ended within the last day, with their exact end) as a
frame of :data:`CARD_COLUMNS`: the record a card is about, its type, the occurrence that makes it unique
(the last activity it counts from, the close date, the e-mail, the meeting, the day of the jump), when
it was raised and when it expires, and its facts (absolute times and numbers, worded by the panel at
display time). Times of day ("today", a close date) are calendar days in the record owner's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from connector import canonical

CARD_COLUMNS = ("record_type", "record_id", "owner_id", "card", "occurrence", "raised_on", "expires_on", "facts")
"""One row per live card; ``facts`` is a dict of JSON values."""

OPEN, WON = 0, 1
_RECENT = pd.Timedelta(days=1)
"""A card that ended within this long is still returned with its exact end, so that end gets written."""
_COMPLETED = 1
_CANCELED = 2


@dataclass(frozen=True)
class Clock:
    """The run's time, and each owner's time zone (the organisation's for anyone unknown)."""

    now: pd.Timestamp
    zones: Mapping[str, str]
    org_timezone: str

    def zone(self, owner: object) -> str:
        """The IANA zone of ``owner``."""
        return self.zones.get(str(owner), self.org_timezone) if isinstance(owner, str) else self.org_timezone

    def day_start(self, when: pd.Timestamp, owner: object) -> pd.Timestamp:
        """The start (UTC) of the calendar day holding ``when`` in the owner's zone."""
        local = when.tz_convert(self.zone(owner))
        return local.normalize().tz_convert("UTC")


def _frame(frames: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    return frames.get(name, canonical.empty_frame(name))


def _iso(value: pd.Timestamp) -> str:
    return str(value.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"))


def cards_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows of :data:`CARD_COLUMNS` as a frame with UTC times."""
    out = pd.DataFrame(rows, columns=list(CARD_COLUMNS))
    for column in ("raised_on", "expires_on"):
        out[column] = pd.to_datetime(out[column], utc=True).astype(canonical.UTC_DT)
    return out


def done_activities(frames: Mapping[str, pd.DataFrame], now: pd.Timestamp) -> pd.DataFrame:
    """Completed e-mails, calls, meetings and tasks that happened by ``now``: id, regarding record and time."""
    # Only the columns the rules read: filtering every column of the activities cost seconds at size M.
    acts = _frame(frames, "activities")[["activity_id", "regarding_id", "occurred_on", "state_code"]]
    happened = (acts["occurred_on"] <= now).fillna(False) & acts["state_code"].eq(_COMPLETED).fillna(False)
    return acts[happened.astype(bool)]


def _last_by(keys: pd.Series, when: pd.Series) -> pd.Series:
    frame = pd.DataFrame({"key": keys.astype("string"), "when": pd.to_datetime(when, utc=True)}).dropna()
    return frame.groupby("key")["when"].max().astype(canonical.UTC_DT)


def no_activity(frames: Mapping[str, pd.DataFrame], clock: Clock, *, opportunity_days: int | None,
                contact_days: int | None) -> pd.DataFrame:
    """Open opportunities and key contacts with no completed activity for N days.

    A key contact is an account's primary contact or the contact of an open opportunity. The card counts
    from the last completed activity (else the record's creation) and is raised again every N days while
    nothing happens, each time a new occurrence that expires when the next one is due or an activity
    happens.
    """
    done = done_activities(frames, clock.now)
    rows: list[dict[str, Any]] = []
    opps = _frame(frames, "opportunities")
    if opportunity_days is not None:
        open_opps = opps[opps["state_code"].eq(OPEN).fillna(False).astype(bool)]
        last = _last_by(done["regarding_id"], done["occurred_on"])
        rows += _idle_cards("opportunity", open_opps["opportunity_id"], open_opps["owner_id"],
                            open_opps["created_on"], last, opportunity_days, clock)
    if contact_days is not None:
        contacts = _frame(frames, "contacts")
        accounts = _frame(frames, "accounts")
        open_opps = opps[opps["state_code"].eq(OPEN).fillna(False).astype(bool)]
        key_ids = set(accounts["primary_contact_id"].dropna().astype(str)) | set(
            open_opps["contact_id"].dropna().astype(str))
        key = contacts[contacts["contact_id"].astype(str).isin(key_ids)]
        parties = _frame(frames, "parties")
        occurred = done.drop_duplicates("activity_id")[["activity_id", "occurred_on"]]
        involved = parties[["activity_id", "party_id"]].dropna().merge(occurred, on="activity_id")
        last = pd.concat([_last_by(involved["party_id"], involved["occurred_on"]),
                          _last_by(done["regarding_id"], done["occurred_on"])])
        last = last.groupby(level=0).max()
        rows += _idle_cards("contact", key["contact_id"], key["owner_id"], key["created_on"], last, contact_days,
                            clock)
    return cards_frame(rows)


def _idle_cards(record_type: str, ids: pd.Series, owners: pd.Series, created: pd.Series, last: pd.Series,
                days: int, clock: Clock) -> list[dict[str, Any]]:
    period = pd.Timedelta(days=days)
    rows = []
    for rid, owner, born in zip(ids.astype(str), owners, created, strict=True):
        since = last.get(rid, pd.NaT)
        since = born if pd.isna(since) else since
        if pd.isna(since) or clock.now - since < period:
            continue
        periods = int((clock.now - since) / period)
        raised = since + periods * period
        rows.append({"record_type": record_type, "record_id": rid, "owner_id": owner, "card": "no_activity",
                     "occurrence": raised.strftime("%Y%m%dT%H%M%S"), "raised_on": raised,
                     "expires_on": raised + period,
                     "facts": {"since": _iso(since), "days": days * periods, "threshold_days": days,
                               "never": pd.isna(last.get(rid, pd.NaT))}})
    return rows


def close_date(frames: Mapping[str, pd.DataFrame], clock: Clock, *, soon_days: int | None, missed: bool,
               lifetime_days: int) -> pd.DataFrame:
    """Open opportunities whose estimated close date is within N days (coming soon) or has passed (missed)."""
    opps = _frame(frames, "opportunities")
    opps = opps[opps["state_code"].eq(OPEN).fillna(False).astype(bool) & opps["estimated_close_date"].notna()]
    rows = []
    for rid, owner, close in zip(opps["opportunity_id"].astype(str), opps["owner_id"], opps["estimated_close_date"],
                                 strict=True):
        # A close date is a calendar date: the day it names, in the owner's zone.
        day = close.tz_convert("UTC").strftime("%Y-%m-%d")
        starts = pd.Timestamp(day).tz_localize(clock.zone(owner)).tz_convert("UTC")
        ends = starts + pd.Timedelta(days=1)
        facts = {"close_date": day}
        if soon_days is not None and starts - pd.Timedelta(days=soon_days) <= clock.now < ends:
            rows.append({"record_type": "opportunity", "record_id": rid, "owner_id": owner, "card": "close_soon",
                         "occurrence": day.replace("-", ""), "raised_on": starts - pd.Timedelta(days=soon_days),
                         "expires_on": ends, "facts": {**facts, "threshold_days": soon_days}})
        if missed and ends <= clock.now < ends + pd.Timedelta(days=lifetime_days):
            rows.append({"record_type": "opportunity", "record_id": rid, "owner_id": owner, "card": "close_missed",
                         "occurrence": day.replace("-", ""), "raised_on": ends,
                         "expires_on": ends + pd.Timedelta(days=lifetime_days), "facts": facts})
    return cards_frame(rows)


def unanswered_emails(frames: Mapping[str, pd.DataFrame], clock: Clock, *, hours: int | None,
                      max_age_days: int, record_of: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """Customers' e-mails nobody on our team answered within N hours (received in the last ``max_age_days``).

    An answer is an outgoing e-mail that replies to it (``inreplyto``, the parent activity, or the same
    conversation) sent after it; the card expires when the answer is sent, or ``max_age_days`` after the
    e-mail. The card is on the e-mail's regarding record, else on the contact or lead who sent it.
    """
    if hours is None:
        return cards_frame([])
    acts = _frame(frames, "activities")
    emails = acts[acts["activity_type"].eq("email").fillna(False).astype(bool)]
    incoming = emails[emails["direction"].eq("incoming").fillna(False).astype(bool)
                      & (emails["occurred_on"] > clock.now - pd.Timedelta(days=max_age_days)).fillna(False)
                      & (emails["occurred_on"] <= clock.now - pd.Timedelta(hours=hours)).fillna(False)]
    outgoing = emails[emails["direction"].eq("outgoing").fillna(False).astype(bool) & emails["occurred_on"].notna()]
    answers = _answer_times(incoming, outgoing)
    rows = []
    for e in incoming.itertuples(index=False):
        answered = answers.get(str(e.activity_id), pd.NaT)
        raised = e.occurred_on + pd.Timedelta(hours=hours)
        if not pd.isna(answered) and answered <= raised:
            continue
        where = record_of.get(str(e.activity_id))
        if where is None:
            continue
        expires = e.occurred_on + pd.Timedelta(days=max_age_days)
        expires = min(expires, answered) if not pd.isna(answered) else expires
        if expires <= clock.now - _RECENT:  # ended a while ago: written when it ended (or never seen live)
            continue
        rows.append({"record_type": where[0], "record_id": where[1], "owner_id": e.owner_id,
                     "card": "email_unanswered", "occurrence": str(e.activity_id), "raised_on": raised,
                     "expires_on": expires, "facts": {"received_on": _iso(e.occurred_on), "threshold_hours": hours,
                                                      "subject": str(e.subject)[:200] if isinstance(e.subject, str)
                                                      else None}})
    return cards_frame(rows)


def _answer_times(incoming: pd.DataFrame, outgoing: pd.DataFrame) -> dict[str, pd.Timestamp]:
    """E-mail id → when our first reply to it was sent."""
    out: dict[str, pd.Timestamp] = {}
    links = (("message_id", "in_reply_to"), ("activity_id", "parent_activity_id"),
             ("conversation_id", "conversation_id"))
    for mine, theirs in links:
        left = pd.DataFrame({"activity_id": incoming["activity_id"], "link": incoming[mine],
                             "occurred_on": incoming["occurred_on"]}).dropna()
        right = pd.DataFrame({"link": outgoing[theirs], "sent": outgoing["occurred_on"]}).dropna()
        pairs = left.merge(right, on="link")
        pairs = pairs[pairs["sent"] > pairs["occurred_on"]]
        for aid, sent in pairs.groupby("activity_id")["sent"].min().items():
            key = str(aid)
            out[key] = min(out.get(key, sent), sent)
    return out


def meetings_today(frames: Mapping[str, pd.DataFrame], clock: Clock, *,
                   record_of: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    """Meetings (not canceled) that start today in their owner's zone, until they end."""
    acts = _frame(frames, "activities")
    meetings = acts[acts["activity_type"].eq("appointment").fillna(False).astype(bool)
                    & acts["scheduled_start"].notna() & acts["state_code"].ne(_CANCELED).fillna(True).astype(bool)]
    window = (meetings["scheduled_start"] > clock.now - pd.Timedelta(days=1)) & (
        meetings["scheduled_start"] < clock.now + pd.Timedelta(days=1))
    rows = []
    for m in meetings[window.fillna(False).astype(bool)].itertuples(index=False):
        day = clock.day_start(m.scheduled_start, m.owner_id)
        ends = m.scheduled_end if not pd.isna(m.scheduled_end) else m.scheduled_start + pd.Timedelta(hours=1)
        where = record_of.get(str(m.activity_id))
        if where is None or not (day <= clock.now < ends + _RECENT):
            continue
        rows.append({"record_type": where[0], "record_id": where[1], "owner_id": m.owner_id, "card": "meeting_today",
                     "occurrence": str(m.activity_id), "raised_on": day, "expires_on": ends,
                     "facts": {"start": _iso(m.scheduled_start), "end": _iso(ends),
                               "subject": str(m.subject)[:200] if isinstance(m.subject, str) else None}})
    return cards_frame(rows)


def score_jumps(history: pd.DataFrame | None, clock: Clock, *, points: int | None, lifetime_days: int,
                owners: Mapping[str, str]) -> pd.DataFrame:
    """Scores that moved by at least N points from one day's score to the next (``osi_scorehistory`` rows:
    what Dataverse holds and what scoring wrote this run)."""
    if points is None or history is None or history.empty:
        return cards_frame([])
    h = pd.DataFrame({"record_id": history["osi_recordid"].astype("string"),
                      "record_type": history["osi_entityname"].astype("string"),
                      "day": pd.to_datetime(history["osi_day"], utc=True, errors="coerce"),
                      "score": pd.to_numeric(history["osi_score"], errors="coerce")}).dropna()
    # A day's row written this run (last) replaces the one Dataverse held for that day.
    h = h.drop_duplicates(["record_id", "day"], keep="last").sort_values(["record_id", "day"], kind="stable")
    h["before"] = h.groupby("record_id")["score"].shift(1)
    recent = h[(h["day"] > clock.now - pd.Timedelta(days=lifetime_days)) & (h["day"] <= clock.now)
               & ((h["score"] - h["before"]).abs() >= points)]
    rows = []
    for r in recent.itertuples(index=False):
        rows.append({"record_type": r.record_type, "record_id": r.record_id, "owner_id": owners.get(r.record_id),
                     "card": "score_change", "occurrence": r.day.strftime("%Y%m%d"), "raised_on": r.day,
                     "expires_on": r.day + pd.Timedelta(days=lifetime_days),
                     "facts": {"before": int(r.before), "after": int(r.score), "day": r.day.strftime("%Y-%m-%d"),
                               "threshold_points": points}})
    return cards_frame(rows)


def health_jumps(held: pd.DataFrame, baseline: pd.DataFrame | None, now: datetime, *, points: int | None,
                 lifetime_days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Health scores that moved by at least N points from the baseline; the new baseline.

    ``held``: ``record_type``, ``record_id``, ``owner_id``, ``score`` (the health Dataverse holds). The
    baseline is each record's score when it was last seen moving (or first seen); a record without one is
    only remembered. A jump raises a card and becomes the new baseline.
    """
    stamp = pd.Timestamp(now)
    current = held.dropna(subset=["score"]).drop_duplicates(["record_type", "record_id"])
    if baseline is None or baseline.empty:
        return cards_frame([]), current.assign(since=stamp)[["record_type", "record_id", "score", "since"]]
    merged = current.merge(baseline.rename(columns={"score": "was", "since": "was_since"}),
                           on=["record_type", "record_id"], how="left")
    moved = (merged["score"] - merged["was"]).abs()
    jumped = merged["was"].notna() & (moved >= points if points is not None else False)
    rows = []
    for r in merged[jumped].itertuples(index=False):
        since = pd.Timestamp(r.was_since)
        rows.append({"record_type": r.record_type, "record_id": r.record_id, "owner_id": r.owner_id,
                     "card": "health_change", "occurrence": since.strftime("%Y%m%dT%H%M%S"), "raised_on": stamp,
                     "expires_on": stamp + pd.Timedelta(days=lifetime_days),
                     "facts": {"before": int(r.was), "after": int(r.score), "threshold_points": points}})
    keep = ~jumped & merged["was"].notna()
    since = merged["was_since"].where(keep, stamp)
    score = merged["was"].where(keep, merged["score"])
    new_baseline = pd.DataFrame({"record_type": merged["record_type"], "record_id": merged["record_id"],
                                 "score": score, "since": pd.to_datetime(since, utc=True)})
    return cards_frame(rows), new_baseline
