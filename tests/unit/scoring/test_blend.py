"""The calibrated blend: the weight follows the better model out of fold, probabilities are calibrated."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.tree import DecisionTreeClassifier

from connector.insights.scoring.blend import BlendedClassifier


def _column(j: int) -> object:
    return make_pipeline(FunctionTransformer(lambda x, j=j: np.asarray(x)[:, [j]]), LogisticRegression())


def _data(n: int = 600, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    y = (rng.random(n) < 1 / (1 + np.exp(-2.5 * x[:, 0]))).astype(int)  # only column 0 matters
    return x, y


def test_the_weight_goes_to_the_model_that_sees_the_signal() -> None:
    x, y = _data()
    assert BlendedClassifier(_column(0), _column(1)).fit(x, y).weight_ == 1.0
    assert BlendedClassifier(_column(1), _column(0)).fit(x, y).weight_ == 0.0


def test_probabilities_are_calibrated_and_rank_like_the_signal() -> None:
    x, y = _data(4000, seed=1)
    model = BlendedClassifier(_column(0), DecisionTreeClassifier(max_depth=2), method="isotonic").fit(x, y)
    xt, yt = _data(4000, seed=2)
    p = model.predict_proba(xt)[:, 1]
    assert np.all((p >= 0) & (p <= 1))
    assert abs(p.mean() - yt.mean()) < 0.03
    high = p > 0.7
    assert high.sum() > 100 and yt[high].mean() > 0.7
    assert set(model.predict(xt)) <= {0, 1}


def test_the_same_seed_gives_the_same_model() -> None:
    x, y = _data()
    a = BlendedClassifier(_column(0), DecisionTreeClassifier(max_depth=3, random_state=0)).fit(x, y)
    b = BlendedClassifier(_column(0), DecisionTreeClassifier(max_depth=3, random_state=0)).fit(x, y)
    assert a.weight_ == b.weight_ and a.oof_auc_ == b.oof_auc_
    np.testing.assert_allclose(a.predict_proba(x), b.predict_proba(x))


def test_bad_input_is_refused() -> None:
    x, y = _data()
    with pytest.raises(ValueError, match="two classes"):
        BlendedClassifier(_column(0), _column(1)).fit(x, np.zeros(len(y)))
    with pytest.raises(ValueError, match="calibration"):
        BlendedClassifier(_column(0), _column(1), method="beta").fit(x, y)


def test_out_of_fold_scores_are_those_of_records_the_models_did_not_see() -> None:
    # Labels are noise: a tree that learns its rows by heart separates them perfectly, records it never saw not at all.
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(600, 3)), (rng.random(600) < 0.5).astype(int)
    model = BlendedClassifier(DecisionTreeClassifier(random_state=0), _column(0), weights=(1.0,)).fit(x, y)
    assert model.oof_proba_.shape == (600,)
    assert roc_auc_score(y, model.first_.predict_proba(x)[:, 1]) == 1.0
    assert abs(roc_auc_score(y, model.oof_proba_) - 0.5) < 0.1
