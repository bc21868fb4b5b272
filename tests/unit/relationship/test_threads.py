"""Threads, turns and the subject fallback."""

from __future__ import annotations

import pandas as pd
import pytest

from connector.insights.relationship.threads import assign_threads, normalise_subject

from .builders import at


def test_normalise_subject() -> None:
    norm, reply = normalise_subject(pd.Series(["Re: RE[2]: Fwd:  Budget  Q3", "Fw: Budget q3", "Budget Q3", None]))
    assert list(norm) == ["budget q3", "budget q3", "budget q3", ""]
    assert list(reply) == [True, False, False, False]


def _msgs(rows: list[tuple]) -> pd.DataFrame:
    cols = ["activity_id", "when", "side", "subject", "counterpart", "message_id", "in_reply_to"]
    df = pd.DataFrame(rows, columns=cols)
    df["when"] = df["when"].map(at)
    df["parent_activity_id"] = pd.NA
    df["conversation_id"] = pd.NA
    return df


def test_subject_fallback_answers_the_latest_thread_of_the_same_counterpart() -> None:
    m = assign_threads(_msgs([
        (1, "2001-01-01 09:00", "team", "Status", 7, None, None),
        (2, "2001-01-08 09:00", "team", "Status", 7, None, None),  # no "Re:": a new thread
        (3, "2001-01-08 10:00", "customer", "Re: status", 7, None, None),
        (4, "2001-01-08 11:00", "customer", "Re: status", 8, None, None),  # other counterpart: own thread
    ])).set_index("activity_id")
    assert m.loc[1, "thread"] != m.loc[2, "thread"]
    assert m.loc[2, "thread"] == m.loc[3, "thread"]
    assert m.loc[2, "answered_at"] == at("2001-01-08 10:00")
    assert pd.isna(m.loc[1, "answered_at"])  # unanswered: no response time at all
    assert m.loc[4, "thread"] not in {m.loc[1, "thread"], m.loc[2, "thread"]}


def test_turns_measure_from_the_first_unanswered_message() -> None:
    m = assign_threads(_msgs([
        (1, "2001-01-01 09:00", "customer", "Help", 7, "<1>", None),
        (2, "2001-01-01 10:00", "customer", "Re: Help", 7, "<2>", "<1>"),
        (3, "2001-01-01 15:00", "team", "Re: Help", 7, "<3>", "<2>"),
    ])).set_index("activity_id")
    assert m.loc[1, "turn"] == m.loc[2, "turn"] != m.loc[3, "turn"]
    hours = (m.loc[1, "answered_at"] - m.loc[1, "turn_time"]).total_seconds() / 3600
    assert hours == pytest.approx(6.0)
    assert m.loc[3, "thread_side"] == "customer" and m.loc[3, "first_other_at"] == at("2001-01-01 15:00")


def test_explicit_links_beat_subjects_and_never_point_forward() -> None:
    m = assign_threads(_msgs([
        (1, "2001-01-01 09:00", "team", "A", 7, "<1>", "<2>"),  # claims to answer a later message: ignored
        (2, "2001-01-01 10:00", "customer", "B", 7, "<2>", "<1>"),  # explicit reply despite another subject
    ])).set_index("activity_id")
    assert m.loc[1, "thread"] == m.loc[2, "thread"]
    assert m.loc[1, "answered_at"] == at("2001-01-01 10:00")
