"""Strengths are piecewise constant in time: nothing moves with the clock before a pair's ``valid_until``."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from connector.errors import InsightError
from connector.insights.wkw import (
    aggregates_still_valid,
    build_connections,
    connection_strengths,
    pair_aggregates,
    refresh_aggregates,
    strengths_at,
)

NOW = datetime(2025, 6, 2, 9, tzinfo=UTC)
US = [f"u{i}@us.example" for i in range(4)]
PEOPLE = {f"p{i}@them.example": (f"c{i}", "contact", None) for i in range(40)}
USERS = {a: f"id-{a[:2]}" for a in US}


def history(seed: int = 3, n: int = 400, future: int = 0) -> pd.DataFrame:
    """Random mail, meetings and calls between our four people and forty customers over 300 days."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n + future):
        ours, theirs = US[rng.integers(len(US))], list(PEOPLE)[rng.integers(len(PEOPLE))]
        outgoing = bool(rng.integers(2))
        ago = timedelta(minutes=int(rng.integers(0, 300 * 1440)))
        when = NOW - ago if k < n else NOW + timedelta(hours=int(rng.integers(2, 96)))
        rows.append({"timestamp": pd.Timestamp(when), "sender": ours if outgoing else theirs,
                     "recipients": [theirs if outgoing else ours], "cc": [],
                     "channel": ["email", "email", "email", "meeting", "call"][rng.integers(5)],
                     "subject": "hello", "message_id": f"m{k}", "in_reply_to": None})
    return pd.DataFrame(rows)


def at(frame: pd.DataFrame, when: datetime, **kw: object) -> pd.DataFrame:
    return connection_strengths(frame, now=when, internal=set(US), **kw).set_index(["internal", "external"])


def test_an_hour_later_nothing_changes() -> None:
    frame = history()
    pd.testing.assert_frame_equal(at(frame, NOW), at(frame, NOW + timedelta(hours=1)))
    rows = [build_connections(at(frame, t).reset_index(), people=PEOPLE, users=USERS)
            for t in (NOW, NOW + timedelta(hours=1), NOW + timedelta(hours=14))]
    pd.testing.assert_frame_equal(rows[0], rows[1])
    pd.testing.assert_frame_equal(rows[0], rows[2])


def test_every_value_holds_until_valid_until_and_steps_then() -> None:
    frame = history(future=30)
    times = [NOW + timedelta(hours=6 * k) for k in range(8)] + [NOW + timedelta(days=2 + k) for k in range(32)]
    computed = [at(frame, t) for t in times]
    stepped = 0
    for before, after, a, b in zip(times, times[1:], computed, computed[1:], strict=False):
        common = a.index.intersection(b.index)
        holds = a.loc[common, "valid_until"] > pd.Timestamp(after)
        pd.testing.assert_frame_equal(a.loc[common][holds], b.loc[common][holds])
        # New pairs only appear when an interaction dated in the future comes due.
        assert set(b.index) - set(a.index) <= set(a.index[a["valid_until"] <= pd.Timestamp(after)]) | set(
            b.index[b["first_interaction"] > pd.Timestamp(before)])
        stepped += int((a.loc[common][~holds]["raw"] != b.loc[common][~holds]["raw"]).sum())
    assert stepped > 0


def test_a_day_later_only_a_small_share_moves() -> None:
    frame = history(n=3000)
    aggregates = pair_aggregates(frame, now=NOW, internal=set(US))
    days = [strengths_at(aggregates, now=NOW + timedelta(days=d)).set_index(["internal", "external"])
            for d in range(31)]
    shares = [(a["strength"] != b["strength"].reindex(a.index)).mean() for a, b in zip(days, days[1:], strict=False)]
    # Each customer steps once every 30 days, on a day of its own: about 1/30 of the pairs per day.
    assert max(shares) < 0.15 and 0.01 < float(np.mean(shares)) < 0.06


def test_colleagues_of_one_person_step_together_and_keep_their_order() -> None:
    frame = history(n=1500)
    first = at(frame, NOW).reset_index()
    for person, group in first[first["strength"] > 0].groupby("external"):
        assert group["valid_until"].nunique() == 1, person
    later = at(frame, NOW + timedelta(days=29)).reset_index()
    # The same interactions, evaluated 29 days later: every person stepped once, the order within stays.
    order = lambda f: f.sort_values(["external", "raw"]).groupby("external")["internal"].agg(tuple)  # noqa: E731
    assert order(first).equals(order(later))


def test_steps_fall_on_midnight_of_the_organisations_zone() -> None:
    frame = history()
    for zone in ("Pacific/Auckland", "America/Los_Angeles", "UTC"):
        due = at(frame, NOW, timezone=zone)["valid_until"].dropna().dt.tz_convert(zone)
        assert ((due.dt.hour == 0) & (due.dt.minute == 0)).all()
    with pytest.raises(InsightError, match="time zone"):
        at(frame, NOW, timezone="Mars/Olympus")


def test_an_interaction_dated_later_bounds_valid_until() -> None:
    frame = history(n=0, future=1)
    meeting_time = frame["timestamp"].iloc[0]
    past = frame.assign(timestamp=pd.Timestamp(NOW - timedelta(days=3)), message_id="early")
    both = pd.concat([past, frame], ignore_index=True)
    assert (at(both, NOW)["valid_until"] <= meeting_time).all()
    assert at(both, meeting_time)["email_count"].sum() + at(both, meeting_time)["meeting_count"].sum() + at(
        both, meeting_time)["call_count"].sum() == 2


def test_saved_aggregates_give_the_strengths_of_a_full_computation() -> None:
    frame = history(future=10)
    saved = pair_aggregates(frame, now=NOW, internal=set(US))
    buffer = io.BytesIO()
    saved.to_parquet(buffer)
    loaded = pd.read_parquet(io.BytesIO(buffer.getvalue()))
    for hours in (0, 1, 2):
        when = NOW + timedelta(hours=hours)
        assert aggregates_still_valid(loaded, now=when)
        again = strengths_at(loaded[loaded["last_interaction"].notna()], now=when)
        pd.testing.assert_frame_equal(again.set_index(["internal", "external"]), at(frame, when),
                                      check_dtype=False)
    due = loaded["upcoming"].min()
    assert not aggregates_still_valid(loaded, now=due)
    kept, recomputed = refresh_aggregates(loaded, now=NOW, inputs_changed=False, compute=lambda: saved.iloc[0:0])
    assert not recomputed and len(kept) == len(loaded)
    assert refresh_aggregates(loaded, now=due, inputs_changed=False, compute=lambda: saved)[1]
    assert refresh_aggregates(loaded, now=NOW, inputs_changed=True, compute=lambda: saved)[1]
    assert refresh_aggregates(None, now=NOW, inputs_changed=False, compute=lambda: saved)[1]
