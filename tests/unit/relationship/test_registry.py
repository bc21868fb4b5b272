"""The health model registry row (``osi_healthmodel``): fitted, fallen back (and why), or set by an administrator."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from connector import schema
from connector.insights.relationship import HealthModel, RelationshipSettings, relationship_insights
from connector.insights.relationship.clock import day_of
from connector.insights.relationship.registry import fit_period, next_fit, registry_row, registry_rows
from connector.pipeline.contract import RunContext
from connector.pipeline.producers import relationship
from connector.sync.diff import normalize

from .builders import NOW, Org, random_org

PERIOD = fit_period(day_of(NOW, "UTC"))


def _kind(label: str) -> int:
    return schema.HEALTH_MODEL_KIND.value(label)


def _fitted() -> HealthModel:
    held_out = {"examples": 412, "positives": 130, "auc": 0.8123, "default_auc": 0.7511,
                "activities_90d_auc": 0.7402, "recency_auc": 0.7633}
    return HealthModel(
        entity="contact", kind="fitted", points={"touch_under_28d": 40, "touch90_2": 35, "unanswered_2": -25},
        good_min=57, fair_min=31, logit_at_0=-3.1, logit_per_point=0.07, good_probability=0.7,
        fair_probability=0.4, fitted_on="2026-11-01", note="fitted on 2412 examples",
        metrics={"examples": 2412, "positives": 800, "as_of": ["2026-01-01"], "held_out": held_out})


def test_the_row_of_a_fitted_model_has_its_weights_cut_offs_and_evaluation() -> None:
    row = registry_row(_fitted(), period=PERIOD, s=RelationshipSettings())
    assert row["osi_key"] == "contact" and row["osi_entityname"] == "contact"
    assert row["osi_healthmodelkind"] == _kind("Fitted")
    assert row["osi_fittedon"] == "2026-11-01" and row["osi_nextfiton"] == "2026-12-01"
    assert (row["osi_goodmin"], row["osi_fairmin"], row["osi_goodprobability"]) == (57, 31, 0.7)
    assert (row["osi_examples"], row["osi_minexamples"]) == (2412, 300)
    assert row["osi_target"] == "still in two-way contact in the next 90 days"
    weights = json.loads(row["osi_weights"])
    assert weights["steps"] == {"touch90_2": 35, "touch_under_28d": 40, "unanswered_2": -25}
    assert weights["components"] == {"recency": 40, "frequency": 35, "responsiveness": 25}
    metrics = json.loads(row["osi_metrics"])
    assert metrics["held_out"]["auc"] == 0.8123
    assert {"default_auc", "activities_90d_auc", "recency_auc"} <= set(metrics["held_out"])
    assert metrics["calibration"] == {"logit_at_0": -3.1, "logit_per_point": 0.07, "fair_probability": 0.4}


def test_every_value_fits_its_column() -> None:
    """Each value survives the load's normalisation for its column (type, range, length)."""
    columns = {c.logical_name: c for c in schema.all_columns()["osi_healthmodel"]}
    row = registry_row(_fitted(), period=PERIOD, s=RelationshipSettings())
    assert set(row) == set(columns)
    for name, value in row.items():
        assert normalize(value, columns[name]) is not None or value is None, name


def test_the_next_fit_is_the_first_of_the_next_month() -> None:
    assert next_fit(fit_period(day_of(pd.Timestamp("2026-12-31 23:00", tz="UTC"), "UTC"))) == \
        day_of(pd.Timestamp("2027-01-01", tz="UTC"), "UTC")


def test_too_little_history_falls_back_says_so_on_the_record_and_in_the_registry() -> None:
    """The issue's "fall back to today's defaults below a stated amount of history, and say so on the record"."""
    org = Org().user("u1").contact("c1")
    org.email("e1", "2026-11-20 10:00", "u1", ["c1"]).email("e2", "2026-11-21 10:00", "c1", ["u1"])
    org.email("e3", "2026-11-22 10:00", "u1", ["c1"])
    out = relationship_insights(org.frames(), now=NOW)
    model = out.models["contact"]
    assert model.kind == "default" and model.metrics["fallback"] == "too_little_history"
    # On the record: its explanation names the hand-set model and why.
    shown = json.loads(out.tables["contact"].loc["c1", "osi_healthreasons"])["model"]
    assert shown["kind"] == "default" and shown["note"].startswith("hand-set weights: ")
    assert "fewer than 300" in shown["note"]
    # In the registry: the Default kind, the history found against the minimum, the reason.
    row = registry_row(model, period=PERIOD, s=RelationshipSettings())
    assert row["osi_healthmodelkind"] == _kind("Default")
    assert row["osi_examples"] < row["osi_minexamples"] == 300
    assert row["osi_note"] == model.note and row["osi_fittedon"] is None and row["osi_nextfiton"] == "2026-12-01"
    assert row["osi_goodprobability"] is None and (row["osi_goodmin"], row["osi_fairmin"]) == (60, 40)
    metrics = json.loads(row["osi_metrics"])
    assert metrics["fallback"] == "too_little_history" and metrics["min_per_class"] == 30


def test_weights_an_administrator_fixed_are_the_row_of_every_record_type() -> None:
    s = RelationshipSettings(health_fit=False, weight_recency=0.4, weight_frequency=0.3, weight_responsiveness=0.1,
                             weight_reciprocity=0.1, weight_breadth=0.1, good_min=70, fair_min=45)
    org = Org().user("u1").contact("c1")
    org.email("e1", "2026-11-20 10:00", "u1", ["c1"])
    rows = registry_rows(relationship_insights(org.frames(), now=NOW, settings=s).models, period=PERIOD, s=s)
    assert rows["osi_key"].tolist() == ["contact", "account", "lead", "opportunity"]
    assert set(rows["osi_healthmodelkind"]) == {_kind("Set by an administrator")}
    contact = rows.iloc[0]
    assert json.loads(contact["osi_weights"])["components"] == {"recency": 40, "frequency": 30, "responsiveness": 10,
                                                                "reciprocity": 10, "breadth": 10}
    assert (contact["osi_goodmin"], contact["osi_fairmin"]) == (70, 45)
    assert contact["osi_nextfiton"] is None and contact["osi_examples"] is None  # never refitted while fixed
    assert "administrator" in contact["osi_note"]


@pytest.fixture(scope="module")
def org() -> Any:
    return random_org(11, contacts=24)


def test_the_producer_writes_the_rows_and_the_same_rows_an_hour_later(org: Any) -> None:
    frames = org.frames()
    settings = relationship.PRODUCER.settings()
    first = relationship.PRODUCER.compute(frames, RunContext(now=NOW.to_pydatetime(), settings=settings))
    rows = first.frames["osi_healthmodel"]
    assert rows["osi_key"].tolist() == ["contact", "account", "lead", "opportunity"]
    assert "osi_healthmodel" in relationship.PRODUCER.writes
    later = RunContext(now=(NOW + pd.Timedelta(hours=1)).to_pydatetime(), settings=settings, state=first.state,
                       recompute_all=False)
    again = relationship.PRODUCER.compute(frames, later)
    pd.testing.assert_frame_equal(again.frames["osi_healthmodel"], rows)


def test_states_a_refit_moved_are_not_timeline_news(org: Any) -> None:
    """The first run of a month fits new models: the states they move get no health-change entry, and the run
    row says how many moved; the same move with the models unchanged is news."""
    frames = org.frames()
    settings = relationship.PRODUCER.settings()
    first = relationship.PRODUCER.compute(frames, RunContext(now=NOW.to_pydatetime(), settings=settings))
    health = first.state["health"].copy()
    graded = health["state"].isin([schema.HEALTH_STATE.value(s) for s in ("Good", "Fair")])
    assert graded.sum() > 0
    health.loc[graded, "state"] = schema.HEALTH_STATE.value("Poor")  # as if they had all been Poor
    later = NOW + pd.Timedelta(hours=1)

    def rerun(models: pd.DataFrame) -> Any:
        state = {**first.state, "health": health, relationship.MODELS: models}
        ctx = RunContext(now=later.to_pydatetime(), settings=settings, state=state, recompute_all=False)
        return relationship.PRODUCER.compute(frames, ctx)

    same = rerun(first.state[relationship.MODELS])
    assert len(same.frames["osi_insight"]) == graded.sum() and not same.notes
    other = first.state[relationship.MODELS].assign(month=lambda f: f["month"] - 30)  # last month's models
    other.loc[other["record_type"] == "contact", "model"] = json.dumps(HealthModel(
        entity="contact", kind="default", points={"touch_under_28d": 100}, good_min=90, fair_min=50).to_dict())
    refit = rerun(other)
    assert "osi_insight" not in refit.frames
    assert refit.notes == [f"health models refitted: {graded.sum()} health states moved (no timeline entries)"]
