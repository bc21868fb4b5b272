"""Activity features of leads and opportunities as of a cutoff: what scoring learns engagement from.

Pure. Each row has its own cutoff: its close time for a closed lead, the sampled moment of a stage
for a closed opportunity (one row per stage it passed, so one record may give several rows), and
``now`` for an open record; nothing that happened after the cutoff is counted. Activities are
linked by their regarding record. "Never" (no e-mail from the customer yet, no answer) is a missing
value, not a capped number: a reason then says "never", and the models treat missing as its own case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WINDOW_DAYS = 90
PREFIX = "act_"


def activity_features(activities: pd.DataFrame, records: pd.DataFrame, *, id_column: str,
                      cutoff_column: str, created_column: str | None = None) -> pd.DataFrame:
    """Per record: activity counts in the 90 days before its cutoff, days since the last inbound and
    outbound activity, whether something is scheduled after the cutoff, the total before it, how the
    customer answers our e-mails, and (with ``created_column``) activities per week of its life.

    Args:
        activities: canonical ``activities`` frame.
        records: one row per record with ``id_column`` and ``cutoff_column`` (aware UTC).
        created_column: the record's creation time, for the weekly rate.

    Returns:
        a frame indexed like ``records`` with ``act_*`` columns (whole calendar days and true hours, never capped: a
        capped value would read as a fact; missing when it never happened).
    """
    rec = records[[id_column, cutoff_column]].rename(columns={id_column: "rid", cutoff_column: "cutoff"})
    # Rows are told apart by position: one record may have several rows (one per stage it passed).
    rec = rec.reset_index(drop=True).rename_axis("row").reset_index()
    act = activities[["regarding_id", "activity_type", "direction", "occurred_on", "scheduled_start", "state_code",
                      "message_id", "in_reply_to"]]
    joined = act.merge(rec, left_on="regarding_id", right_on="rid", how="inner")
    before = joined[joined["occurred_on"] <= joined["cutoff"]]
    # The window starts at a UTC day boundary, so an activity leaves it at midnight, not at the hour it
    # happened 90 days ago: a score scored again an hour later is the same score.
    start = pd.to_datetime(before["cutoff"], utc=True).dt.floor("D") - pd.Timedelta(days=WINDOW_DAYS)
    recent = before[before["occurred_on"] > start]
    out = pd.DataFrame(index=pd.Index(rec["row"], name="row"))
    for kind, direction in (("email", "outgoing"), ("email", "incoming"), ("phonecall", "outgoing"),
                            ("phonecall", "incoming"), ("appointment", None), ("task", None)):
        mask = (recent["activity_type"] == kind).fillna(False)
        if direction:
            mask &= (recent["direction"] == direction).fillna(False)
        name = f"{PREFIX}{kind}s_{direction or 'all'}_90d"
        out[name] = recent[mask].groupby("row").size().reindex(out.index, fill_value=0).to_numpy()
    for direction in ("incoming", "outgoing"):
        last = before[(before["direction"] == direction).fillna(False)].groupby("row")["occurred_on"].max()
        cutoff = rec.set_index("row")["cutoff"]
        days = _calendar_days(last.reindex(cutoff.index), cutoff)
        out[f"{PREFIX}days_since_{direction}"] = days.to_numpy(dtype=float, na_value=np.nan)
    future = joined[(joined["scheduled_start"] > joined["cutoff"]) & (joined["state_code"].isin([0, 3]))]
    # A yes/no fact, so a reason reads "Next activity scheduled: Yes", not "is 1".
    out[f"{PREFIX}next_scheduled"] = out.index.isin(set(future["row"]))
    out[f"{PREFIX}total_before"] = before.groupby("row").size().reindex(out.index, fill_value=0).to_numpy()
    for name, values in _replies(before, out.index).items():
        out[name] = values
    if created_column is not None:
        # A count alone favours old records; per week of life, a busy new lead is not behind an old quiet one.
        created = pd.to_datetime(records[created_column], utc=True, errors="coerce").set_axis(rec.index)
        weeks = (_calendar_days(created, rec["cutoff"]) / 7).clip(lower=1 / 7)
        out[f"{PREFIX}per_week"] = out[f"{PREFIX}total_before"].to_numpy() / weeks.to_numpy(dtype=float)
    return out.set_axis(records.index)


def _calendar_days(start: pd.Series, end: pd.Series) -> pd.Series:
    """Whole calendar days (UTC) between two times: constant all day, so an open record scored again an hour
    later gets the same features, and its score moves at most once a day."""
    days = pd.to_datetime(end, utc=True).dt.floor("D") - pd.to_datetime(start, utc=True).dt.floor("D")
    return days.dt.days.astype(float)


def _replies(before: pd.DataFrame, index: pd.Index) -> dict[str, np.ndarray]:
    """How the customer answers us: share of our e-mails answered (missing before our first e-mail), and median
    hours to answer (capped)."""
    mails = before[(before["activity_type"] == "email").fillna(False)]
    sent = mails[(mails["direction"] == "outgoing").fillna(False)]
    answers = mails[(mails["direction"] == "incoming").fillna(False) & mails["in_reply_to"].notna()]
    pairs = answers.merge(sent[["row", "message_id", "occurred_on"]], left_on=["row", "in_reply_to"],
                          right_on=["row", "message_id"], suffixes=("", "_sent"))
    hours = (pairs["occurred_on"] - pairs["occurred_on_sent"]).dt.total_seconds() / 3600
    sent_count = sent.groupby("row").size()
    answered = pairs.drop_duplicates(["row", "in_reply_to"]).groupby("row").size()
    # No e-mail of ours yet is not "answered 0 %": the share stays missing, worded "no e-mail sent yet".
    rate = (answered.reindex(sent_count.index, fill_value=0) / sent_count).reindex(index)
    median = hours.groupby(pairs["row"]).median().reindex(index)
    return {f"{PREFIX}customer_reply_rate": rate.clip(0, 1).to_numpy(dtype=float, na_value=np.nan),
            f"{PREFIX}customer_reply_hours": median.to_numpy(dtype=float, na_value=np.nan)}
