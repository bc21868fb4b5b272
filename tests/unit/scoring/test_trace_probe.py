"""The trace probe's candidate signals are as of each row's moment: nothing after it counts."""

from __future__ import annotations

import pandas as pd

from benchmarks.scoring_trace_probe import conversations, pace, plan, reply_missing, reply_smoothed
from connector.insights.scoring.stages import MOMENT, STAGE

T0 = pd.Timestamp("2026-01-05T09:00:00Z")


def _activity(aid: str, kind: str, direction: str | None, days: float,
              reply_to: str | None = None) -> dict[str, object]:
    return {"activity_id": aid, "activity_type": kind, "direction": direction, "regarding_id": "o1",
            "occurred_on": T0 + pd.Timedelta(days=days), "message_id": f"<{aid}>", "in_reply_to": reply_to}


def _frames(activities: list[dict[str, object]]) -> dict[str, pd.DataFrame]:
    acts = pd.DataFrame(activities)
    acts["occurred_on"] = pd.to_datetime(acts["occurred_on"], utc=True)
    stages = pd.DataFrame({"stage_id": ["s0", "s1"], "name": ["Qualify", "Develop"], "category": [0, 1]})
    return {"activities": acts, "process_stages": stages}


def _rows() -> pd.DataFrame:
    """One closed opportunity sampled at its two stages (day 5 and day 15), 1 of 2 e-mails answered by then."""
    return pd.DataFrame({
        "opportunity_id": ["o1", "o1"], "created_on": [T0, T0], MOMENT: [T0 + pd.Timedelta(days=5),
                                                                          T0 + pd.Timedelta(days=15)],
        STAGE: ["Qualify", "Develop"], "estimated_close_date": [T0 + pd.Timedelta(days=20)] * 2,
        "act_customer_reply_rate": [0.5, 0.5]})


def test_an_activity_after_the_early_stage_moment_does_not_change_its_signals() -> None:
    early = [_activity("a", "email", "outgoing", 1), _activity("b", "email", "incoming", 2, "<a>"),
             _activity("c", "email", "outgoing", 3), _activity("d", "phonecall", "outgoing", 4)]
    later = [*early, _activity("e", "email", "outgoing", 10), _activity("f", "appointment", None, 12)]
    rows = _rows()
    for candidate in (conversations, reply_missing, reply_smoothed):
        before = candidate(_frames(early), rows, "opportunity_id")
        after = candidate(_frames(later), rows, "opportunity_id")
        for name, values in before.items():
            assert pd.Series(values).iloc[0] == pd.Series(after[name]).iloc[0], (candidate.__name__, name)
    # The reply "b" continues thread "a": two conversations and a call by day 5, in 5 days.
    assert conversations(_frames(early), rows, "opportunity_id")["probe_conversations_per_week"][0] == 3 / (5 / 7)


def test_plan_and_pace_are_read_at_the_moment() -> None:
    rows = _rows()
    assert list(plan({}, rows, "opportunity_id")["probe_plan_elapsed"]) == [5 / 20, 15 / 20]
    assert list(pace(_frames([_activity("a", "task", None, 1)]), rows, "opportunity_id")["probe_days_per_stage"]) \
        == [5.0, 7.5]
