from __future__ import annotations

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from connector.insights.scoring.estimators import NaiveBayesScorer, QuantileBinner


@parametrize_with_checks([NaiveBayesScorer(), QuantileBinner()])
def test_sklearn_contract(estimator, check) -> None:  # noqa: ANN001 (sklearn's check objects)
    check(estimator)


def test_naive_bayes_skips_missing_and_unseen_values() -> None:
    x = np.array([[0.0, 1.0], [0.0, 2.0], [1.0, 1.0], [1.0, 2.0]])
    model = NaiveBayesScorer(alpha=1.0, prior_strength=1.0).fit(x, [1, 1, 0, 0])
    p = model.predict_proba(np.array([[0.0, np.nan], [7.0, 1.0], [np.nan, np.nan]]))[:, 1]
    assert p[0] > 0.5
    # Unseen or missing values carry no information: the prior (0.5 here) remains.
    assert p[1] == pytest.approx(0.5) and p[2] == pytest.approx(0.5)
    # Laplace smoothing: (2 + 1) / (2 + 2) vs (0 + 1) / (2 + 2) for column 0.
    assert p[0] == pytest.approx(0.75)


def test_quantile_binner_keeps_missing() -> None:
    out = QuantileBinner(n_bins=2).fit([[1.0], [2.0], [3.0], [4.0]]).transform([[1.0], [np.nan], [4.0]])
    assert out[0, 0] == 0 and np.isnan(out[1, 0]) and out[2, 0] == 1
    with pytest.raises(ValueError, match="n_bins"):
        QuantileBinner(n_bins=1).fit([[1.0]])
