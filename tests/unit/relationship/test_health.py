"""Health states, the displayed integer, reasons as stable facts, trend, and the fallback model."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from connector import schema
from connector.insights.relationship import (
    HealthModel,
    RelationshipSettings,
    compute_relationships,
    relationship_insights,
)
from connector.insights.relationship.health import STATE, TREND, grade, trend
from connector.pipeline.producers import health_timeline

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
    org = Org().user("u1").contact("c1").contact("quiet").contact("new", created="2026-11-20")
    org.contact("dead", created="2025-01-01").contact("old", created="2020-01-01")
    org.lead("closed", owner="u1", state=1, contact="c1").lead("stale", owner="u1", contact="c1", created="2023-01-01")
    _busy(org)
    _busy(org, "dead", days=400, every=10, until=300)  # nothing for 300 days
    org.email("x", "2026-11-20 10:00", "u1", ["quiet"])
    org.email("y", "2026-11-24 10:00", "u1", ["new"])
    out = compute_relationships(org.frames(), now=NOW)
    c = out["contact"]
    assert c.loc["c1", "osi_healthstate"] == STATE_OF("Good")
    assert c.loc["c1", "osi_healthscore"] >= 60
    # A relationship that went quiet, or never answered although the contact has long been there, is
    # graded: Poor. Only a new record with little activity is "Not enough info".
    assert c.loc["dead", "osi_healthstate"] == STATE_OF("Poor") and c.loc["dead", "osi_healthscore"] < 40
    assert c.loc["quiet", "osi_healthstate"] == STATE_OF("Poor")
    assert c.loc["new", "osi_healthstate"] == STATE_OF("Not enough info")
    assert pd.isna(c.loc["new", "osi_healthscore"])
    assert c.loc["old", "osi_healthstate"] == STATE_OF("Older than two years")
    assert out["lead"].loc["closed", "osi_healthstate"] == STATE_OF("Not applicable")
    assert out["lead"].loc["closed", "osi_healthtrend"] == schema.TREND.value("Not applicable")
    assert out["lead"].loc["stale", "osi_healthstate"] == STATE_OF("Older than two years")
    closed = json.loads(out["lead"].loc["closed", "osi_healthreasons"])
    assert closed == {"score": None, "state": "Not applicable", "components": []}  # nothing that ages


def test_grade_uses_the_integer_and_the_models_cut_offs() -> None:
    scores = pd.Series([80, 60, 59, 40, 39, 10])
    expected = [STATE["Good"]] * 2 + [STATE["Fair"]] * 2 + [STATE["Poor"]] * 2
    assert list(grade(scores, 60, 40)) == expected
    assert list(grade(scores, 85, 70)) == [STATE["Fair"]] + [STATE["Poor"]] * 5


def _boundary_model(good_min: int) -> HealthModel:
    # 60 points for a touch in the last 28 days, 1 for a meeting held: c1 scores exactly 60, c2 exactly 1.
    return HealthModel(entity="contact", kind="fixed", points={"touch_under_28d": 60, "meetings_1": 1},
                       good_min=good_min, fair_min=40)


@pytest.mark.parametrize(("good_min", "state"), [(60, "Good"), (61, "Fair")])
def test_state_and_displayed_score_agree_at_the_boundary(good_min: int, state: str) -> None:
    org = Org().user("u1").contact("c1").contact("c2")
    org.email("in", "2026-11-20 10:00", "c1", ["u1"], subject="hello")
    org.meeting("m", "2026-06-01 10:00", "u1", ["c2"], duration=30)
    org.email("old", "2026-06-02 10:00", "c2", ["u1"])
    result = relationship_insights(org.frames(), now=NOW, models={"contact": _boundary_model(good_min)})
    c = result.tables["contact"]
    assert c.loc["c1", "osi_healthscore"] == 60
    assert c.loc["c1", "osi_healthstate"] == STATE_OF(state)
    reasons = json.loads(c.loc["c1", "osi_healthreasons"])
    assert (reasons["score"], reasons["state"]) == (60, state)
    assert sum(comp["points"] for comp in reasons["components"]) == 60  # no rounding anywhere
    # The timeline entry quotes the same integer and state.
    current = health_timeline.current_states({"contact": c.rename_axis("contactid").reset_index()})
    before = current.assign(state=STATE_OF("Poor"), since=pd.NaT)
    entry = health_timeline.decide(current, before, now=NOW, admin_change=False).entries
    row = entry[entry["osi_key"].str.startswith("health|c1|")].iloc[0]
    assert json.loads(row["osi_details"]) == {"before": "Poor", "after": state, "score": 60}


def test_reasons_are_stable_facts() -> None:
    org = _busy(Org().user("u1").contact("c1"), days=40, until=12)  # last answer 16 days ago
    for i in range(3):  # then three e-mails nobody answered
        org.email(f"late{i}", str(NOW - pd.Timedelta(days=9 - 3 * i)), "u1", ["c1"], subject=f"ping {i}")
    now = compute_relationships(org.frames(), now=NOW)["contact"]
    later = compute_relationships(org.frames(), now=NOW + pd.Timedelta(hours=1))["contact"]
    text = now.loc["c1", "osi_healthreasons"]
    assert text == later.loc["c1", "osi_healthreasons"]
    assert "as_of" not in text and "days_since" not in text and "days ago" not in text
    reasons = json.loads(text)
    by_name = {c["name"]: c for c in reasons["components"]}
    recency = by_name["recency"]
    # The date, not an age: the panel words "16 days ago" at display time.
    assert recency["facts"]["last_two_way_on"] == "2026-11-11T14:00:00Z"
    assert recency["reason"].startswith("last two-way contact on 2026-11-11")
    steps = {s["what"]: (s["lo"], s["hi"]) for c in reasons["components"] for s in c["steps"]}
    assert steps["touch90"] == (5.0, 9.0)  # 7 answers in 90 days: the step "5 to 8" of the score
    assert reasons["model"]["kind"] == "default" and "examples" in reasons["model"]["note"]
    assert sum(c["max"] for c in reasons["components"]) == 100


def test_trend_declines_when_the_customer_goes_silent() -> None:
    org = _busy(Org().user("u1").contact("c1"), days=120)
    out = compute_relationships(org.frames(), now=NOW + pd.Timedelta(days=50))
    assert out["contact"].loc["c1", "osi_healthtrend"] == schema.TREND.value("Declining")


def test_trend_dead_band_and_hysteresis() -> None:
    s = RelationshipSettings(trend_dead_band=5)
    good = pd.Series([STATE["Good"]] * 4)
    now = pd.Series([70, 73, 73, 60])
    past = pd.Series([70, 70, 70, 70])
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
    for i in range(6):
        org.meeting(f"m{i}", str(NOW - pd.Timedelta(days=12 * i + 5)), "u1", ["c1"], duration=30)
    base = compute_relationships(org.frames(), now=NOW)["contact"].loc["c1", "osi_healthscore"]
    more = compute_relationships(org.frames(), now=NOW, settings=RelationshipSettings(influence_meeting=0.5))
    less = compute_relationships(org.frames(), now=NOW, settings=RelationshipSettings(influence_meeting=-0.5))
    assert less["contact"].loc["c1", "osi_healthscore"] < base < more["contact"].loc["c1", "osi_healthscore"]


def test_disabled_returns_empty_frames() -> None:
    org = _busy(Org().user("u1").contact("c1"))
    out = compute_relationships(org.frames(), now=NOW, settings=RelationshipSettings(enabled=False))
    assert all(frame.empty for frame in out.values())


def test_fallback_below_the_history_minimum_is_used_and_labelled() -> None:
    org = _busy(Org().user("u1").contact("c1"))
    result = relationship_insights(org.frames(), now=NOW)
    for model in result.models.values():
        assert model.kind == "default"
        assert "hand-set weights" in model.note and "fewer than 300" in model.note
    shown = json.loads(result.tables["contact"].loc["c1", "osi_healthreasons"])["model"]
    assert shown["kind"] == "default" and shown["note"] == result.models["contact"].note
    assert shown["probability"] is None  # a hand-set score states no probability
    fixed = relationship_insights(org.frames(), now=NOW, settings=RelationshipSettings(health_fit=False))
    assert {m.kind for m in fixed.models.values()} == {"fixed"}
