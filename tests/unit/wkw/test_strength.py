"""Connection strength: discounts, exclusions, components, monotonicity."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from connector.errors import InsightError
from connector.insights.wkw import StrengthParams, connection_strengths, is_automated
from connector.insights.wkw.connections import components_json

NOW = datetime(2025, 6, 1, tzinfo=UTC)
US = {"ann@us.example", "bob@us.example"}


def log(*rows: tuple) -> pd.DataFrame:
    """Rows of (days_ago, sender, recipients, cc[, channel[, subject]])."""
    out = []
    for i, row in enumerate(rows):
        days, sender, to, cc, *rest = row
        out.append({"timestamp": pd.Timestamp(NOW - timedelta(days=days)), "sender": sender, "recipients": list(to),
                    "cc": list(cc), "channel": rest[0] if rest else "email",
                    "subject": rest[1] if len(rest) > 1 else "hello", "message_id": f"m{i}", "in_reply_to": None})
    columns = ["timestamp", "sender", "recipients", "cc", "channel", "subject", "message_id", "in_reply_to"]
    return pd.DataFrame(out, columns=columns)


def strength(frame: pd.DataFrame, internal: str = "ann@us.example", external: str = "cat@them.example",
             **kw: object) -> int:
    out = connection_strengths(frame, now=NOW, internal=US, **kw)
    row = out[(out["internal"] == internal) & (out["external"] == external)]
    return int(row["strength"].iloc[0]) if len(row) else 0


def test_two_way_beats_one_way_and_meetings_beat_mail() -> None:
    two_way = log((5, "ann@us.example", ["cat@them.example"], []), (4, "cat@them.example", ["ann@us.example"], []))
    one_way = log((5, "ann@us.example", ["cat@them.example"], []), (4, "ann@us.example", ["cat@them.example"], []))
    meeting = log((5, "ann@us.example", ["cat@them.example"], [], "meeting"))
    mail = log((5, "ann@us.example", ["cat@them.example"], []))
    assert strength(two_way) > strength(one_way) > 0
    assert strength(meeting) > strength(mail)


def test_recent_beats_old() -> None:
    assert strength(log((2, "ann@us.example", ["cat@them.example"], []))) > strength(
        log((200, "ann@us.example", ["cat@them.example"], [])))


def test_mass_mailing_is_discounted() -> None:
    crowd = [f"p{i}@them.example" for i in range(40)]
    direct = log(*[(d, "ann@us.example", ["cat@them.example"], []) for d in range(1, 6)])
    blast = log(*[(d, "ann@us.example", ["cat@them.example", *crowd], []) for d in range(1, 6)])
    assert strength(blast) < strength(direct) / 3
    cc = log(*[(d, "ann@us.example", ["dan@them.example"], ["cat@them.example"]) for d in range(1, 6)])
    assert strength(cc) < strength(direct)


@pytest.mark.parametrize("robot", ["no-reply@them.example", "newsletter@them.example", "notifications@x.example",
                                   "noreply+abc@them.example", "news@bounce.example", "x@mcsv.net",
                                   "mailer-daemon@them.example"])
def test_automated_senders_make_no_connection(robot: str) -> None:
    assert is_automated(robot)
    frame = log(*[(d, robot, ["ann@us.example"], []) for d in range(1, 20)],
                (1, "ann@us.example", [robot], []))
    out = connection_strengths(frame, now=NOW, internal=US)
    assert robot not in set(out["external"])


def test_people_are_not_mistaken_for_robots() -> None:
    for person in ("nora@them.example", "newton@them.example", "sysadmin.joe@them.example", "ann@us.example"):
        assert not is_automated(person)


def test_excluded_users_leave_no_trace() -> None:
    frame = log((1, "ann@us.example", ["cat@them.example"], ["bob@us.example"]),
                (2, "bob@us.example", ["cat@them.example"], []), (3, "cat@them.example", ["bob@us.example"], []))
    out = connection_strengths(frame, now=NOW, internal=US, excluded_users=["BOB@us.example"])
    assert "bob@us.example" not in out.to_string()
    assert set(out["internal"]) == {"ann@us.example"}


def test_internal_pairs_and_future_messages_are_left_out() -> None:
    frame = log((1, "ann@us.example", ["bob@us.example"], []), (-3, "ann@us.example", ["cat@them.example"], []))
    assert connection_strengths(frame, now=NOW, internal=US).empty


def test_predicate_and_symmetric_modes() -> None:
    frame = log((1, "ann@us.example", ["cat@them.example"], []), (1, "zed@them.example", ["cat@them.example"], []))
    by_predicate = connection_strengths(frame, now=NOW, internal=lambda a: a.endswith("@us.example"))
    assert list(zip(by_predicate["internal"], by_predicate["external"], strict=True)) == [
        ("ann@us.example", "cat@them.example")]
    symmetric = connection_strengths(frame, now=NOW, internal=None)
    assert len(symmetric) == 2 and (symmetric["internal"] < symmetric["external"]).all()


def test_components_add_up_and_explain() -> None:
    frame = log((30, "ann@us.example", ["cat@them.example"], []), (29, "cat@them.example", ["ann@us.example"], []),
                (400, "ann@us.example", ["cat@them.example"], [], "meeting"),
                (3, "ann@us.example", ["cat@them.example"], [], "call", "Re: hello"))
    out = connection_strengths(frame, now=NOW, internal=US)
    row, comp = out.iloc[0], json.loads(components_json(out)[0])
    assert row[[c for c in out.columns if c.startswith("part_")]].sum() == pytest.approx(row["raw"])
    assert sum(comp["points"].values()) == row["strength"]
    assert set(comp["points"]) == {"messages", "reciprocity", "meetings_calls", "relationship_age"}
    assert comp["points"]["relationship_age"] > 0 and comp["points"]["meetings_calls"] > 0
    assert (comp["emails_sent"], comp["emails_received"], comp["meetings"], comp["calls"]) == (1, 1, 1, 1)
    assert comp["reciprocity"] == 1.0 and comp["replies"] == 1
    assert row["last_channel"] == "call" and row["email_count"] == 2


def test_thread_depth_adds_weight() -> None:
    plain = log((3, "ann@us.example", ["cat@them.example"], []), (2, "cat@them.example", ["ann@us.example"], []))
    replies = plain.assign(subject=["hello", "RE: Re: hello"])
    assert connection_strengths(replies, now=NOW, internal=US)["raw"].iloc[0] > connection_strengths(
        plain, now=NOW, internal=US)["raw"].iloc[0]
    chained = plain.assign(in_reply_to=[None, "m0"])
    assert connection_strengths(chained, now=NOW, internal=US)["replies"].iloc[0] == 1
    conversation = plain.assign(conversation_id=["c1", "c1"])
    assert connection_strengths(conversation, now=NOW, internal=US)["replies"].iloc[0] == 1


def test_bad_input_raises_clear_errors() -> None:
    with pytest.raises(InsightError, match="sender"):
        connection_strengths(pd.DataFrame({"timestamp": []}), now=NOW, internal=US)
    with pytest.raises(InsightError, match="carrier pigeon"):
        connection_strengths(log((1, "ann@us.example", ["cat@them.example"], [], "carrier pigeon")), now=NOW,
                             internal=US)
    with pytest.raises(InsightError, match="half_lif"):
        StrengthParams.of({"half_lif": 3})
    for bad in ({"recency_step_days": 0}, {"recency_step_days": 2.5}, {"half_life_days": 0}):
        with pytest.raises(InsightError, match=next(iter(bad))):
            StrengthParams.of(bad)


def test_malformed_cells_are_tolerated() -> None:
    frame = log((1, "ann@us.example", ["cat@them.example"], []), (1, "ann@us.example", ["dan@them.example"], []))
    frame["cc"] = [None, "not-a-list"]
    frame.loc[1, "timestamp"] = pd.NaT
    out = connection_strengths(frame, now=NOW, internal=US)
    assert list(out["external"]) == ["cat@them.example"]


EVENT = st.tuples(
    st.integers(min_value=0, max_value=700),            # days ago
    st.sampled_from(["out", "in", "meeting", "call"]),  # kind
    st.integers(min_value=0, max_value=40),             # other recipients
    st.booleans(),                                      # reply subject
)


def _frame(events: list[tuple[int, str, int, bool]]) -> pd.DataFrame:
    rows = []
    for days, kind, extra, reply in events:
        others = [f"x{i}@them.example" for i in range(extra)]
        sender, to = (("cat@them.example", ["ann@us.example", *others]) if kind == "in"
                      else ("ann@us.example", ["cat@them.example", *others]))
        channel = kind if kind in ("meeting", "call") else "email"
        rows.append((days, sender, to, [], channel, "Re: x" if reply else "x"))
    return log(*rows)


def _pair(frame: pd.DataFrame) -> tuple[int, float]:
    """Strength and raw score of the ann–cat pair (the other recipients make pairs of their own, which may
    come first)."""
    out = connection_strengths(frame, now=NOW, internal=US)
    row = out[(out["internal"] == "ann@us.example") & (out["external"] == "cat@them.example")]
    return (int(row["strength"].iloc[0]), float(row["raw"].iloc[0])) if len(row) else (0, 0.0)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.lists(EVENT, max_size=12), st.integers(min_value=0, max_value=700), st.integers(min_value=0, max_value=40))
@example(events=[(0, "meeting", 10, False), (0, "meeting", 10, True), (345, "out", 10, False)], days=109, extra=18)
def test_one_more_two_way_interaction_never_lowers_strength(events: list, days: int, extra: int) -> None:
    before = _pair(_frame(events))
    after = _pair(_frame([*events, (days, "out", extra, False), (days, "in", extra, True)]))
    assert after[0] >= before[0] and after[1] >= before[1]


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(st.lists(EVENT, min_size=1, max_size=12), EVENT)
def test_any_single_extra_interaction_never_lowers_strength(events: list, extra_event: tuple) -> None:
    before, after = _pair(_frame(events)), _pair(_frame([*events, extra_event]))
    assert after[0] >= before[0] and after[1] >= before[1]


def test_no_interaction_gives_an_empty_frame_with_every_column() -> None:
    from connector.insights.wkw.strength import OUTPUT_COLUMNS

    for frame in (log(), log((1, "ann@us.example", [], [])), log((1, "no-reply@us.example", ["cat@them.example"], []))):
        out = connection_strengths(frame, now=NOW, internal=US)
        assert out.empty and list(out.columns) == list(OUTPUT_COLUMNS)
