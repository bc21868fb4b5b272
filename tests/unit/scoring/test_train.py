from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from connector import schema
from connector.errors import InsightError
from connector.insights.scoring import Columns, TrainedModel, score_records
from connector.insights.scoring.models import BOOSTED, COLD_START
from connector.insights.scoring.train import metrics, readiness, time_split
from tests.unit.scoring.conftest import NOW, fit_leads


def test_metrics_follow_the_dynamics_formulas() -> None:
    y = np.array([1, 1, 1, 0, 0, 0, 1, 0])
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1, 0.3, 0.4])
    m = metrics(y, p)
    assert m["auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-4)
    tp, fp, tn, fn = (m["confusion"][k] for k in ("tp", "fp", "tn", "fn"))
    assert tp + fp + tn + fn == 8
    assert m["accuracy"] == pytest.approx((tp + tn) / 8, abs=1e-4)
    assert m["recall"] == pytest.approx(tp / (tp + fn), abs=1e-4)
    assert m["conversion_rate"] == 0.5
    # The threshold maximises F1 over every cut-off.
    best = max(
        2 * ((p >= t) & (y == 1)).sum() / ((p >= t).sum() + y.sum()) for t in p
    )
    assert m["f1"] == pytest.approx(best, abs=1e-4)
    assert metrics(np.array([1, 1]), np.array([0.2, 0.3]))["auc"] is None


def test_calibration_error() -> None:
    from connector.insights.scoring.train import calibration_error

    y = np.array([1] * 5 + [0] * 45 + [1] * 25 + [0] * 25)
    p = np.array([0.1] * 50 + [0.5] * 50)
    assert calibration_error(y, p, bins=2) == pytest.approx(0.0)
    assert calibration_error(y, p + 0.2, bins=2) == pytest.approx(0.2)


@pytest.mark.parametrize(("auc", "label"), [(0.9, "Ready"), (0.75, "Ready"), (0.7, "OK"), (0.65, "OK"),
                                             (0.6, "Not ready"), (None, "Not ready")])
def test_readiness_bands(auc: float | None, label: str) -> None:
    assert readiness(auc) == label


def test_time_split_tests_on_the_newest_fifth() -> None:
    frame = pd.DataFrame({"t": pd.to_datetime(["2025-01-05", "2025-01-01", None, "2025-01-03", "2025-01-02"],
                                              utc=True)})
    train, test = time_split(frame, "t")
    assert test.tolist() == [0] and sorted(train.tolist()) == [1, 2, 3, 4]
    train, test = time_split(frame, None)
    assert test.tolist() == [4]


def test_boosted_model_from_40_plus_40(boosted_model: TrainedModel) -> None:
    assert boosted_model.kind == BOOSTED and not boosted_model.low_confidence
    m = boosted_model.metrics
    assert m["n_train"] == 320 and m["n_test"] == 80
    assert m["auc"] > 0.6  # synthetic latent truth allows about 0.75
    assert m["readiness"] in ("Ready", "OK")
    assert boosted_model.features.dropped["statuscode"].startswith("outcome")
    assert "eng_email_domain" in boosted_model.features.columns


def test_cold_start_below_40_plus_40_is_labelled_low_confidence(cold_model: TrainedModel,
                                                                 leads: pd.DataFrame) -> None:
    assert cold_model.kind == COLD_START and cold_model.low_confidence
    scored = score_records(cold_model, leads.tail(5), now=NOW)
    assert all(json.loads(r)["low_confidence"] for r in scored["osi_scorereasons"])


def test_cold_start_ranks_better_than_chance_with_10_plus_10(leads: pd.DataFrame) -> None:
    aucs = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        pos = rng.choice(np.flatnonzero(leads.statecode == 1), 10, replace=False)
        neg = rng.choice(np.flatnonzero(leads.statecode == 2), 10, replace=False)
        train = leads.iloc[np.concatenate([pos, neg])]
        rest = leads.drop(index=train.index)
        model = fit_leads(train, columns=Columns(id="leadid"), drop=("salesnote",), random_state=seed)
        scores = score_records(model, rest, now=NOW)["osi_score"]
        aucs.append(roc_auc_score(rest.statecode == 1, scores))
    # The latent truth of the fixture allows about 0.75 with all the data; 20 records give about 0.6.
    assert np.mean(aucs) > 0.55 and min(aucs) > 0.5


def test_too_few_closed_records_is_an_insight_error(leads: pd.DataFrame) -> None:
    few = pd.concat([leads[leads.statecode == 1].head(2), leads[leads.statecode == 2].head(10)])
    with pytest.raises(InsightError, match="too few closed lead records"):
        fit_leads(few)


def test_score_records_frame(boosted_model: TrainedModel, leads: pd.DataFrame) -> None:
    records = leads.drop(columns=["statecode", "statuscode", "closedon"]).head(30).astype({"budgetamount": object})
    records.loc[records.index[0], "budgetamount"] = "not a number"
    records.loc[records.index[1], "industrycode"] = "never seen" * 1000
    records.loc[records.index[2], "leadid"] = None
    out = score_records(boosted_model, records, now=NOW)
    assert list(out.columns) == ["leadid", "osi_score", "osi_grade", "osi_scorereasons", "osi_scoredon",
                                 "osi_modelversion"]
    assert len(out) == 29
    assert out["osi_score"].between(0, 100).all()
    assert set(out["osi_grade"]) <= {schema.GRADE.value(g) for g in "ABCD"}
    assert (out["osi_scoredon"] == NOW).all()
    assert (out["osi_modelversion"] == "lead-boosted-blend-v1").all()
    assert max(len(r) for r in out["osi_scorereasons"]) < 20_000
    with pytest.raises(InsightError, match="record id column"):
        score_records(boosted_model, records.drop(columns=["leadid"]), now=NOW)


def test_cold_start_scores_stay_in_a_sensible_band_and_it_is_not_ready_on_few_test_records(
        leads: pd.DataFrame) -> None:
    small = pd.concat([leads[leads.statecode == 1].head(10), leads[leads.statecode == 2].head(10)])
    model = fit_leads(small.sort_values("closedon"), drop=("salesnote",))
    rest = leads.drop(index=small.index)
    scores = score_records(model, rest, now=NOW)
    # Shrinkage towards the base rate: no collapse to 0 and 100, yet scores still spread.
    assert scores["osi_score"].between(5, 95).all()
    assert scores["osi_score"].quantile(0.9) - scores["osi_score"].quantile(0.1) >= 5
    trust = model.metrics["confidence"]
    assert model.metrics["n_test"] == 4 and trust["n_test"] == 4
    assert model.metrics["readiness"] == "Not ready" and model.low_confidence
    assert set(trust["reasons"]) == {"cold_start", "few_test_records"} and trust["min_test"] == 50
    payload = json.loads(scores["osi_scorereasons"].iloc[0])
    assert payload["readiness"] == "Not ready" and payload["confidence"]["n_test"] == 4


@pytest.mark.parametrize(("auc", "n_test", "minority", "label"), [
    (0.9, 400, 100, "Ready"), (0.9, 49, 20, "Not ready"), (0.9, 400, 9, "Not ready"), (0.7, 60, 10, "OK")])
def test_readiness_needs_enough_test_records(auc: float, n_test: int, minority: int, label: str) -> None:
    assert readiness(auc, n_test, minority) == label
