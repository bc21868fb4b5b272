"""Activity features never see what happened after a record's cutoff (no leakage into training)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from connector import canonical
from connector.insights.activity_features import activity_features


def _acts(rows: list[tuple[str, str, str | None, str]]) -> pd.DataFrame:
    df = pd.DataFrame([{"activity_id": f"a{i}", "regarding_id": r, "activity_type": t, "direction": d,
                        "occurred_on": w, "state_code": 1} for i, (r, t, d, w) in enumerate(rows)])
    return canonical.conform(df, "activities")


def test_counts_and_recency_stop_at_the_cutoff() -> None:
    acts = _acts([
        ("L1", "email", "outgoing", "2026-01-10T00:00:00Z"),
        ("L1", "email", "incoming", "2026-01-20T00:00:00Z"),
        ("L1", "email", "incoming", "2026-03-01T00:00:00Z"),  # after L1 closed: must not count
        ("L2", "phonecall", "outgoing", "2026-02-01T00:00:00Z"),
    ])
    records = pd.DataFrame({"lead_id": ["L1", "L2", "L3"],
                            "cutoff": pd.to_datetime(["2026-02-01", "2026-02-11", "2026-02-11"], utc=True)})
    out = activity_features(acts, records, id_column="lead_id", cutoff_column="cutoff")
    l1, l2, l3 = out.iloc[0], out.iloc[1], out.iloc[2]
    assert (l1["act_emails_outgoing_90d"], l1["act_emails_incoming_90d"], l1["act_total_before"]) == (1, 1, 2)
    assert l1["act_days_since_incoming"] == 12
    assert l2["act_phonecalls_outgoing_90d"] == 1 and l2["act_days_since_outgoing"] == 10
    assert l3["act_total_before"] == 0 and np.isnan(l3["act_days_since_incoming"])


def test_customer_reply_rate_and_time_come_from_threads_before_the_cutoff() -> None:
    rows = [
        {"activity_id": "s1", "regarding_id": "L1", "activity_type": "email", "direction": "outgoing",
         "occurred_on": "2026-01-10T08:00:00Z", "message_id": "<m1>", "in_reply_to": None},
        {"activity_id": "r1", "regarding_id": "L1", "activity_type": "email", "direction": "incoming",
         "occurred_on": "2026-01-10T12:00:00Z", "message_id": "<m2>", "in_reply_to": "<m1>"},
        {"activity_id": "s2", "regarding_id": "L1", "activity_type": "email", "direction": "outgoing",
         "occurred_on": "2026-01-20T08:00:00Z", "message_id": "<m3>", "in_reply_to": None},
        {"activity_id": "r2", "regarding_id": "L1", "activity_type": "email", "direction": "incoming",
         "occurred_on": "2026-03-01T08:00:00Z", "message_id": "<m4>", "in_reply_to": "<m3>"},  # after the cutoff
    ]
    acts = canonical.conform(pd.DataFrame([{**r, "state_code": 1} for r in rows]), "activities")
    records = pd.DataFrame({"lead_id": ["L1"], "cutoff": pd.to_datetime(["2026-02-01"], utc=True)})
    out = activity_features(acts, records, id_column="lead_id", cutoff_column="cutoff").iloc[0]
    assert out["act_customer_reply_rate"] == 0.5
    assert out["act_customer_reply_hours"] == 4.0


def test_reply_share_is_missing_before_our_first_email_and_zero_when_none_was_answered() -> None:
    acts = _acts([
        ("L1", "email", "outgoing", "2026-01-10T00:00:00Z"),     # sent, never answered: 0 %
        ("L2", "email", "incoming", "2026-01-10T00:00:00Z"),     # only the customer wrote: no share yet
        ("L3", "email", "outgoing", "2026-03-01T00:00:00Z"),     # our first e-mail comes after the cutoff
    ])
    records = pd.DataFrame({"lead_id": ["L1", "L2", "L3"], "cutoff": pd.to_datetime(["2026-02-01"] * 3, utc=True)})
    rate = activity_features(acts, records, id_column="lead_id", cutoff_column="cutoff")["act_customer_reply_rate"]
    assert rate.iloc[0] == 0.0
    assert np.isnan(rate.iloc[1]) and np.isnan(rate.iloc[2])


def test_activities_per_week_of_life_up_to_the_cutoff() -> None:
    acts = _acts([
        ("L1", "email", "outgoing", "2026-01-10T00:00:00Z"),
        ("L1", "phonecall", "incoming", "2026-01-12T00:00:00Z"),
        ("L1", "email", "incoming", "2026-03-01T00:00:00Z"),  # after the cutoff
        ("L2", "email", "outgoing", "2026-01-01T12:00:00Z"),
    ])
    records = pd.DataFrame({"lead_id": ["L1", "L2", "L3"],
                            "created_on": pd.to_datetime(["2026-01-08", "2026-01-01", None], utc=True),
                            "cutoff": pd.to_datetime(["2026-01-22T00:00", "2026-01-01T13:00", "2026-02-01T00:00"],
                                                     utc=True)})
    out = activity_features(acts, records, id_column="lead_id", cutoff_column="cutoff", created_column="created_on")
    assert out["act_per_week"].iloc[0] == 1.0  # 2 activities in 2 weeks
    assert out["act_per_week"].iloc[1] == 7.0  # under a day old counts as one day
    assert pd.isna(out["act_per_week"].iloc[2])  # unknown creation: unknown rate
    plain = activity_features(acts, records, id_column="lead_id", cutoff_column="cutoff")
    assert "act_per_week" not in plain.columns


def test_the_90_day_window_moves_once_a_day() -> None:
    """An activity leaves the window at midnight (UTC), not at the hour it happened 90 days earlier."""
    acts = _acts([("O1", "email", "outgoing", "2026-01-01T14:00:00Z")])

    def count(cutoff: str) -> int:
        records = pd.DataFrame({"opportunity_id": ["O1"], "cutoff": pd.to_datetime([cutoff], utc=True)})
        out = activity_features(acts, records, id_column="opportunity_id", cutoff_column="cutoff")
        return int(out.iloc[0]["act_emails_outgoing_90d"])

    # 2026-04-01 is 90 days after 2026-01-01: all that day the e-mail still counts, the next day it does not.
    assert [count("2026-04-01T09:00:00Z"), count("2026-04-01T15:00:00Z"), count("2026-04-02T00:30:00Z")] == [1, 1, 0]
