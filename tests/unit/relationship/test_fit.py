"""Fitting health on an organisation's own history: signs, calibration, cut-offs, the registry value."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from connector import schema
from connector.errors import InsightError
from connector.insights.relationship import HealthModel, RelationshipSettings, relationship_insights
from connector.insights.relationship.clock import day_of
from connector.insights.relationship.fit import Examples, _evaluate
from connector.insights.relationship.indicators import indicators
from connector.insights.relationship.model import applicable, hand_set
from connector.insights.relationship.registry import fit_period, registry_rows
from connector.insights.relationship.signals import COUNT_COLUMNS

from .builders import NOW, Org


def _history(contacts: int = 70) -> Org:
    """Weekly exchanges for two years; every other contact stops writing at some point and never returns."""
    org = Org().user("u1")
    for c in range(contacts):
        org.contact(f"c{c}", created="2024-09-01")
        stop = NOW - pd.Timedelta(days=40 + 11 * c) if c % 2 else NOW
        t, i = pd.Timestamp("2024-10-01", tz="UTC") + pd.Timedelta(hours=c), 0
        while t < NOW:
            org.email(f"c{c}-{i}", str(t), "u1", [f"c{c}"], subject=f"news {c} {i}")
            if t < stop:
                org.email(f"c{c}-{i}-re", str(t + pd.Timedelta(hours=5)), f"c{c}", ["u1"],
                          subject=f"Re: news {c} {i}")
            t, i = t + pd.Timedelta(days=7), i + 1
    return org


@pytest.fixture(scope="module")
def result():
    return relationship_insights(_history().frames(), now=NOW)


@pytest.mark.slow
def test_the_contact_model_is_fitted_and_keeps_the_signs(result) -> None:
    model = result.models["contact"]
    assert model.kind == "fitted" and model.fitted_on == "2026-11-01"
    signs = {spec.name: spec.sign for spec in indicators(RelationshipSettings())}
    assert model.points and all(math.copysign(1, p) == signs[name] for name, p in model.points.items())
    assert sum(abs(p) for p in model.points.values()) == 100
    held = model.metrics["held_out"]
    assert held["auc"] > 0.9 and held["examples"] > 0
    assert set(held) >= {"default_auc", "activities_90d_auc", "recency_auc"}
    # Too few closed deals here: those types fall back to the hand-set model, and say so.
    assert result.models["opportunity"].kind == "default" and "examples" in result.models["opportunity"].note


@pytest.mark.slow
def test_cut_offs_are_where_the_calibrated_probability_is_reached(result) -> None:
    model = result.models["contact"]
    assert 0 <= model.fair_min < model.good_min <= 101
    assert model.probability(model.good_min) >= model.good_probability
    assert model.probability(model.good_min - 1) < model.good_probability
    assert model.probability(model.fair_min) >= model.fair_probability
    c = result.tables["contact"]
    shown = json.loads(c.loc["c0", "osi_healthreasons"])["model"]
    assert shown["kind"] == "fitted"
    assert shown["probability"] == round(model.probability(c.loc["c0", "osi_healthscore"]), 2)


@pytest.mark.slow
def test_the_fitted_health_separates_live_from_silent(result) -> None:
    c = result.tables["contact"]
    live = [f"c{i}" for i in range(0, 70, 2)]
    silent = [f"c{i}" for i in range(9, 70, 2)]  # stopped at least 139 days ago
    assert c.loc[live, "osi_healthscore"].min() > c.loc[silent, "osi_healthscore"].max()
    assert (c.loc[silent, "osi_healthstate"] == c.loc["c69", "osi_healthstate"]).all()


@pytest.mark.slow
def test_the_model_round_trips_through_json(result) -> None:
    for model in result.models.values():
        text = json.dumps(model.to_dict(), sort_keys=True)
        assert HealthModel.from_dict(json.loads(text)) == model


@pytest.mark.slow
def test_a_stored_model_is_used_as_is(result) -> None:
    frames = _history(10).frames()
    again = relationship_insights(frames, now=NOW, models=result.models)
    assert again.models["contact"] is result.models["contact"]


def test_a_malformed_model_is_an_insight_error() -> None:
    with pytest.raises(InsightError):
        HealthModel.from_dict({"entity": "contact", "kind": "fitted"})
    with pytest.raises(InsightError):
        HealthModel.from_dict({"entity": "planet", "kind": "fitted", "points": {}, "good_min": 60, "fair_min": 40})


def test_a_model_for_other_settings_is_refitted() -> None:
    """Its steps were named for another rhythm: it would score nothing. Fitted (here: defaulted) again."""
    stale = HealthModel(entity="contact", kind="fitted", points={"touch_under_999d": 100}, good_min=60, fair_min=40)
    org = Org().user("u1").contact("c1")
    org.email("e", "2026-11-20 10:00", "c1", ["u1"])
    out = relationship_insights(org.frames(), now=NOW, models={"contact": stale})
    assert out.models["contact"].kind == "default"


def test_the_default_is_judged_without_the_stage_a_deal_ended_at() -> None:
    """Held out, the hand-set model is scored on the facts of the as-of day, not the final sales stage.

    Every deal here has the same activity facts; only the stage differs, and it is the stage each deal
    *ended* at (3 when won, 0 when lost): scored with it, the default would rank the held-out deals
    perfectly and win the fallback comparison with knowledge of the outcome.
    """
    s = RelationshipSettings()
    n, anchor = 800, 20_000
    y = np.arange(n) % 2 == 0
    sig = pd.DataFrame(0.0, index=np.arange(n), columns=list(COUNT_COLUMNS))
    sig = sig.assign(touch_age=np.nan, contact_age=np.nan, customer_hours=np.nan, team_hours=np.nan,
                     last_age=np.nan, age=20.0, slipped=0.0, stage=np.where(y, 3.0, 0.0))
    closed = np.where(np.arange(n) < n // 2, anchor - 200, anchor - 30).astype(float)
    ex = Examples(sig, y, (closed - 30).astype(np.int64), closed)
    specs = applicable(indicators(s), "opportunity")
    default = hand_set("opportunity", specs, s, "default", "")
    assert any(default.points.get(sp.name) for sp in specs if not sp.fitted)  # the default does use the stage
    held = _evaluate("opportunity", specs, ex, anchor, default, s)["held_out"]
    assert held is not None and held["default_auc"] == 0.5


@pytest.mark.slow
def test_the_registry_row_of_the_fitted_model(result) -> None:
    """What the admin page shows of a model fitted here: its kind, cut-offs, evaluation and the next fit."""
    rows = registry_rows(result.models, period=fit_period(day_of(NOW, "UTC")), s=RelationshipSettings())
    contact = rows.set_index("osi_key").loc["contact"]
    assert contact["osi_healthmodelkind"] == schema.HEALTH_MODEL_KIND.value("Fitted")
    model = result.models["contact"]
    assert (contact["osi_goodmin"], contact["osi_fairmin"]) == (model.good_min, model.fair_min)
    assert contact["osi_fittedon"] == "2026-11-01" and contact["osi_nextfiton"] == "2026-12-01"
    assert json.loads(contact["osi_metrics"])["held_out"] == model.metrics["held_out"]
    assert json.loads(contact["osi_weights"])["steps"] == dict(model.points)
    opportunity = rows.set_index("osi_key").loc["opportunity"]
    assert opportunity["osi_healthmodelkind"] == schema.HEALTH_MODEL_KIND.value("Default")
    assert opportunity["osi_examples"] < opportunity["osi_minexamples"]
