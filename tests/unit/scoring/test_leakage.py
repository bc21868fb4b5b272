from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from connector.insights.scoring.features import discover, featurise
from connector.insights.scoring.leakage import find_leaks, single_feature_auc
from tests.unit.scoring.conftest import fit_leads

X_EDUCATION = Path("/work/shared/datasets/x_education_leads/Leads.csv")


def test_single_feature_auc_is_direction_free_and_sees_missing_numbers() -> None:
    y = np.array([0, 0, 1, 1])
    assert single_feature_auc(pd.Series([4.0, 3.0, 2.0, 1.0]), y, categorical=False) == 1.0
    # Filled only for positives: a leak even though the filled values say nothing.
    assert single_feature_auc(pd.Series([np.nan, np.nan, 5.0, 5.0]), y, categorical=False) == 1.0
    assert single_feature_auc(pd.Series(["a", "b", "a", "b"]), y, categorical=True) == 0.5


def test_guard_names_a_field_filled_after_the_outcome(leads: pd.DataFrame) -> None:
    model = fit_leads(leads)
    assert [leak["feature"] for leak in model.report["leaks"]] == ["salesnote"]
    assert model.features.dropped["salesnote"].startswith("leakage: alone it ranks outcomes with AUC")
    assert "salesnote" not in model.features.columns
    # Honest features survive the guard.
    assert {"leadsourcecode", "industrycode", "osi_emailsreceived"} <= set(model.features.columns)


def test_guard_catches_a_large_pure_category_below_the_auc_limit() -> None:
    rng = np.random.default_rng(1)
    n = 1000
    y = (rng.random(n) < 0.4).astype(int)
    # Half the records carry a tag that is 99 % one outcome; the rest carry no signal.
    tag = np.where(rng.random(n) < 0.5, np.where(y == 1, "will buy", "no answer"), "none")
    noise = rng.random(n) < 0.01
    tag = np.where(noise & (tag != "none"), "will buy", tag)
    frame = pd.DataFrame({"tag": tag, "y": y})
    fs = discover(frame, target="y")
    x = featurise(frame, fs)
    leaks = find_leaks(x, y, fs)
    assert [f.feature for f in leaks] == ["tag"]
    assert single_feature_auc(x["tag"], y, categorical=True) < 0.97
    assert "decide" in leaks[0].detail


@pytest.mark.skipif(not X_EDUCATION.exists(), reason="x_education data set not present")
def test_guard_catches_x_education_tags_when_not_dropped() -> None:
    frame = pd.read_csv(X_EDUCATION, na_values=["Select"])
    frame = frame.loc[:, ~frame.columns.str.startswith("Unnamed")]
    fs = discover(frame, target="Converted", id_column="Prospect ID", time_column="Lead Number")
    y = frame["Converted"].to_numpy()
    leaks = {f.feature for f in find_leaks(featurise(frame, fs), y, fs)}
    assert "Tags" in leaks
    assert leaks <= {"Tags", "Lead Quality", "Last Notable Activity"}


def test_at_a_5_percent_base_rate_a_genuine_4_vs_8_percent_category_is_kept() -> None:
    rng = np.random.default_rng(5)
    n = 4000
    group = np.where(rng.random(n) < 0.75, "small", "large")
    y = (rng.random(n) < np.where(group == "small", 0.04, 0.08)).astype(int)
    frame = pd.DataFrame({"segment": group, "y": y})
    fs = discover(frame, target="y")
    x = featurise(frame, fs)
    assert 0.04 < y.mean() < 0.06
    # "small" is 96 % one outcome: a raw purity rule called it a leak; against a 5 % base rate it is
    # an honest, weak signal (lift 0.8).
    assert find_leaks(x, y, fs) == []


def test_at_a_5_percent_base_rate_a_value_that_rules_conversion_out_is_still_a_leak() -> None:
    rng = np.random.default_rng(6)
    n = 4000
    y = (rng.random(n) < 0.05).astype(int)
    # "closed - lost" is written on disqualified leads only (a status tag): it rules conversion out.
    tag = np.where((y == 0) & (rng.random(n) < 0.6), "closed - lost", np.where(rng.random(n) < 0.5, "a", "b"))
    frame = pd.DataFrame({"tag": tag, "y": y})
    fs = discover(frame, target="y")
    leaks = find_leaks(featurise(frame, fs), y, fs)
    assert [f.feature for f in leaks] == ["tag"]
    assert "lift" in leaks[0].detail and "closed - lost" in leaks[0].detail


def test_each_dropped_column_is_reported_with_its_figure_in_the_metrics(leads: pd.DataFrame) -> None:
    model = fit_leads(leads)
    [leak] = model.metrics["leaks"]
    assert leak["feature"] == "salesnote" and leak["auc"] >= 0.97 and "AUC" in leak["detail"]
