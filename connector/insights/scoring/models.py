"""The estimators: boosted and calibrated, Bayesian cold start, and the two baselines.

Every builder returns one unfitted :class:`~sklearn.pipeline.Pipeline` (or a calibrated wrapper of
one) taking the typed frame of :func:`~connector.insights.scoring.features.featurise`, so feature
encoding is fitted on training rows only.

- ``boosted``: ordinal-encoded categories + numbers → ``HistGradientBoostingClassifier`` (native
  categorical splits, native missing values), wrapped in ``CalibratedClassifierCV`` so that a score
  of 70 means about 70 % of such records convert. Isotonic calibration when there are enough rows,
  Platt (sigmoid) otherwise.
- ``bayes_cold_start``: smoothed naive Bayes over categories and quantile-binned numbers with a Beta
  prior on the conversion rate: it works from a handful of closed records and is labelled
  low-confidence.
- ``logistic_baseline``: one-hot logistic regression (the usual first model).
- ``odoo_baseline``: Odoo CRM's naive Bayes (0.1 additive smoothing, raw class prior, unset values
  skipped); numbers are binned into deciles since Odoo only scores choice fields.
"""

from __future__ import annotations

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from connector.insights.scoring.estimators import NaiveBayesScorer, QuantileBinner
from connector.insights.scoring.features import FeatureSet

BOOSTED = "boosted-calibrated"
COLD_START = "bayes-cold-start"
LOGISTIC = "logistic-onehot"
ODOO = "odoo-naive-bayes"

ISOTONIC_MIN_ROWS = 1000
"""Below this many training rows isotonic calibration overfits; Platt scaling is used instead."""


def _ordinal() -> OrdinalEncoder:
    return OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan)


def _columns(features: FeatureSet, cat: object, num: object) -> ColumnTransformer:
    parts = []
    if features.categorical:
        parts.append(("cat", cat, list(features.categorical)))
    if features.numeric:
        parts.append(("num", num, list(features.numeric)))
    return ColumnTransformer(parts, remainder="drop", verbose_feature_names_out=False)


def boosted(features: FeatureSet, *, n_train: int, random_state: int = 0) -> Pipeline:
    """Gradient boosting on native categories, with calibrated probabilities.

    Args:
        features: the inputs.
        n_train: number of training rows (chooses the calibration method and fold count).
        random_state: seed of the boosting.

    Returns:
        The unfitted pipeline: column encoding, then the calibrated booster.
    """
    mask = [True] * len(features.categorical) + [False] * len(features.numeric)
    hgb = HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=300,
        max_leaf_nodes=15,
        min_samples_leaf=max(5, min(40, n_train // 50)),
        l2_regularization=1.0,
        categorical_features=mask,
        early_stopping=True,
        validation_fraction=0.15,
        n_iter_no_change=20,
        random_state=random_state,
    )
    method = "isotonic" if n_train >= ISOTONIC_MIN_ROWS else "sigmoid"
    # The encoding sits outside the calibration: it is unsupervised, and encoding once (not once per
    # calibration fold) keeps the many predictions of faithful reasons cheap.
    # One booster on all rows, calibrated on its 3-fold out-of-fold predictions: a single model to
    # evaluate at scoring time (an ensemble of three would triple the cost of faithful reasons).
    calibrated = CalibratedClassifierCV(hgb, method=method, cv=3, ensemble=False)
    return Pipeline([("columns", _columns(features, _ordinal(), "passthrough")), ("model", calibrated)])


def bayes_cold_start(features: FeatureSet) -> Pipeline:
    """Smoothed naive Bayes for few closed records (Laplace smoothing, Beta prior, 4 number bins)."""
    cols = _columns(features, _ordinal(), QuantileBinner(n_bins=4))
    return Pipeline([("columns", cols), ("model", NaiveBayesScorer(alpha=1.0, prior_strength=1.0))])


def logistic_baseline(features: FeatureSet) -> Pipeline:
    """One-hot logistic regression: imputed, scaled numbers with missing indicators."""
    cat = Pipeline([
        ("impute", SimpleImputer(strategy="constant", fill_value="(missing)")),
        ("onehot", OneHotEncoder(handle_unknown="ignore", min_frequency=5)),
    ])
    num = Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True)), ("scale", StandardScaler())])
    return Pipeline([("columns", _columns(features, cat, num)), ("model", LogisticRegression(max_iter=2000))])


def odoo_baseline(features: FeatureSet) -> Pipeline:
    """Odoo-style naive Bayes: 0.1 smoothing, raw prior, unset values skipped, numbers in deciles."""
    cols = _columns(features, _ordinal(), QuantileBinner(n_bins=10))
    return Pipeline([("columns", cols), ("model", NaiveBayesScorer(alpha=0.1, prior_strength=0.0))])
