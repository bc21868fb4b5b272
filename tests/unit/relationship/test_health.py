"""Health states, grades, reasons and trend."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from connector import schema
from connector.insights.relationship import RelationshipSettings, compute_relationships
from connector.insights.relationship.health import STATE, TREND, grade, trend

from .builders import NOW, Org

STATE_OF = schema.HEALTH_STATE.value


def _busy(org: Org, who: str = "c1", days: int = 60, every: int = 4, until: int = 0) -> Org:
    """A lively e-mail exchange: we write every few days and the customer answers within 2 h."""
    for i, day in enumerate(range(days, until, -every)):
        t = NOW - pd.Timedelta(days=day)
        org.email(f"{who}-q{i}", str(t), "u1", [who], subject=f"q{i} {who}")
        org.email(f"{who}-a{i}", str(t + pd.Timedelta(hours=2)), who, ["u1"], subject=f"Re: q{i} {who}")
    return org


def test_states() -> None:
    org = Org().user("u1").contact("c1").contact("quiet").contact("old", created="2020-01-01")
    org.lead("closed", owner="u1", state=1, contact="c1").lead("stale", owner="u1", contact="c1", created="2023-01-01")
    _busy(org)
    org.email("x", "2026-11-20 10:00", "u1", ["quiet"])
    out = compute_relationships(org.frames(), now=NOW)
    c = out["contact"]
    assert c.loc["c1", "osi_healthstate"] == STATE_OF("Good")
    assert c.loc["c1", "osi_healthscore"] >= 60
    assert c.loc["quiet", "osi_healthstate"] == STATE_OF("Not enough info")
    assert pd.isna(c.loc["quiet", "osi_healthscore"])
    assert c.loc["old", "osi_healthstate"] == STATE_OF("Older than two years")
    assert out["lead"].loc["closed", "osi_healthstate"] == STATE_OF("Not applicable")
    assert out["lead"].loc["closed", "osi_healthtrend"] == schema.TREND.value("Not applicable")
    assert out["lead"].loc["stale", "osi_healthstate"] == STATE_OF("Older than two years")


def test_grade_cut_offs_are_settings() -> None:
    scores = pd.Series([80.0, 60.0, 59.9, 40.0, 39.0, 10.0])
    expected = [STATE["Good"]] * 2 + [STATE["Fair"]] * 2 + [STATE["Poor"]] * 2
    assert list(grade(scores, RelationshipSettings())) == expected
    strict = RelationshipSettings(good_min=85, fair_min=70)
    assert list(grade(scores, strict)) == [STATE["Fair"]] + [STATE["Poor"]] * 5


def test_reasons_explain_silence_and_fast_answers() -> None:
    org = _busy(Org().user("u1").contact("c1"), days=40, until=12)  # last answer 16 days ago
    for i in range(3):  # then three e-mails nobody answered
        org.email(f"late{i}", str(NOW - pd.Timedelta(days=9 - 3 * i)), "u1", ["c1"], subject=f"ping {i}")
    out = compute_relationships(org.frames(), now=NOW)
    reasons = json.loads(out["contact"].loc["c1", "osi_healthreasons"])
    by_name = {c["name"]: c for c in reasons["components"]}
    assert "no reply to the last 3 e-mails" in by_name["responsiveness"]["reason"]
    assert "customer answers within 2 h" in by_name["responsiveness"]["reason"]
    assert by_name["recency"]["reason"] == "last two-way contact 16 days ago (expected every 7 days)"
    # The same numbers travel with each sentence, for the panel to word them in French.
    assert by_name["responsiveness"]["facts"]["unanswered_tail"] == 3
    assert round(by_name["responsiveness"]["facts"]["customer_hours"]) == 2
    assert round(by_name["recency"]["facts"]["days_since"]) == 16 and by_name["recency"]["facts"]["frequency_days"] == 7
    assert sum(c["weight"] for c in reasons["components"]) == pytest.approx(1.0, abs=1e-3)
    assert sum(c["contribution"] for c in reasons["components"]) == pytest.approx(reasons["score"], abs=0.3)
    assert reasons["state"] == schema.HEALTH_STATE.label(int(out["contact"].loc["c1", "osi_healthstate"]))


def test_opportunity_stage_is_a_component() -> None:
    org = Org().user("u1").contact("c1").opportunity("early", "u1", contact="c1", stage=0)
    org.opportunity("late", "u1", contact="c1", stage=3)
    _busy(org)
    out = compute_relationships(org.frames(), now=NOW)["opportunity"]
    assert out.loc["late", "osi_healthscore"] > out.loc["early", "osi_healthscore"]
    names = [c["name"] for c in json.loads(out.loc["late", "osi_healthreasons"])["components"]]
    assert "stage" in names


def test_trend_declines_when_the_customer_goes_silent() -> None:
    org = _busy(Org().user("u1").contact("c1"), days=120)
    silent_since = NOW + pd.Timedelta(days=25)
    out = compute_relationships(org.frames(), now=silent_since)
    assert out["contact"].loc["c1", "osi_healthtrend"] == schema.TREND.value("Declining")


def test_trend_dead_band_and_hysteresis() -> None:
    s = RelationshipSettings(trend_dead_band=5)
    good = pd.Series([STATE["Good"]] * 4)
    now = pd.Series([70.0, 73.0, 73.0, 60.0])
    past = pd.Series([70.0, 70.0, 70.0, 70.0])
    none = pd.Series([pd.NA] * 4, dtype="Int64")
    assert list(trend(now, good, past, good, none, s)) == [TREND["Steady"], TREND["Steady"], TREND["Steady"],
                                                         TREND["Declining"]]
    was_up = pd.Series([TREND["Improving"]] * 4)
    # +3 is inside the band, but the last run said Improving and +3 is over half the band: it stays.
    assert list(trend(now, good, past, good, was_up, s))[1] == TREND["Improving"]
    assert list(trend(now, good, past, good, was_up, s))[0] == TREND["Steady"]
    past_unknown = pd.Series([STATE["Not enough info"]] * 4)
    assert set(trend(now, good, past, past_unknown, none, s)) == {TREND["Not enough info"]}


def test_influence_changes_the_weight_of_a_type() -> None:
    org = Org().user("u1").contact("c1")
    for i in range(4):
        org.meeting(f"m{i}", str(NOW - pd.Timedelta(days=20 * i + 10)), "u1", ["c1"], duration=30)
    base = compute_relationships(org.frames(), now=NOW)["contact"].loc["c1", "osi_healthscore"]
    more = compute_relationships(org.frames(), now=NOW, settings=RelationshipSettings(influence_meeting=0.5))
    less = compute_relationships(org.frames(), now=NOW, settings=RelationshipSettings(influence_meeting=-0.5))
    assert less["contact"].loc["c1", "osi_healthscore"] < base < more["contact"].loc["c1", "osi_healthscore"]


def test_disabled_returns_empty_frames() -> None:
    org = _busy(Org().user("u1").contact("c1"))
    out = compute_relationships(org.frames(), now=NOW, settings=RelationshipSettings(enabled=False))
    assert all(frame.empty for frame in out.values())

