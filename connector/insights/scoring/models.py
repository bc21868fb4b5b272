"""The estimators: boosted blend (calibrated), Bayesian cold start, and the two baselines.

Every builder returns one unfitted :class:`~sklearn.pipeline.Pipeline` (or a calibrated blend of
two) taking the typed frame of :func:`~connector.insights.scoring.features.featurise`, so feature
encoding is fitted on training rows only.

- ``boosted``: ordinal-encoded categories + numbers → ``HistGradientBoostingClassifier`` (native
  categorical splits, native missing values), blended with the one-hot logistic regression by a
  weight chosen out of fold and calibrated on the same out-of-fold scores, so that a score of 70
  means about 70 % of such records convert (:mod:`~connector.insights.scoring.blend`). Isotonic
  calibration when there are enough rows, Platt (sigmoid) otherwise.
- ``bayes_cold_start``: smoothed naive Bayes over categories and quantile-binned numbers with a Beta
  prior on the conversion rate, its evidence shrunk towards that prior (``1/sqrt(columns)``) so a
  handful of closed records cannot push scores to 0 or 100; labelled low-confidence.
- ``logistic_baseline``: one-hot logistic regression (the usual first model).
- ``odoo_baseline``: Odoo CRM's naive Bayes (0.1 additive smoothing, raw class prior, unset values
  skipped); numbers are binned into deciles since Odoo only scores choice fields.
"""

from __future__ import annotations

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler

from connector.insights.scoring.blend import BlendedClassifier
from connector.insights.scoring.estimators import NaiveBayesScorer, QuantileBinner
from connector.insights.scoring.features import FeatureSet

BOOSTED = "boosted-blend"
COLD_START = "bayes-cold-start"
LOGISTIC = "logistic-onehot"
ODOO = "odoo-naive-bayes"

ISOTONIC_MIN_ROWS = 5000
"""Below this many training records isotonic calibration overfits and gives a staircase of a few
distinct scores (grades then collapse); Platt scaling is used instead."""


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
    """Gradient boosting on native categories blended with the logistic regression, calibrated.

    The blend weight (0 = logistic only … 1 = boosting only) and the calibration are chosen on
    3-fold out-of-fold predictions of the training rows (:class:`BlendedClassifier`): on a few
    hundred records the additive model usually wins, on thousands the booster takes over.

    Args:
        features: the inputs.
        n_train: number of training records (chooses the calibration method and the leaf size).
        random_state: seed of the boosting and of the folds.

    Returns:
        The unfitted pipeline: column encoding, then the calibrated blend.
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
    blend = BlendedClassifier(hgb, _logistic_on_codes(features), method=method, cv=3, random_state=random_state)
    # The encoding sits outside the blend: it is unsupervised, and encoding once (not once per fold
    # and model) keeps the many predictions of faithful reasons cheap.
    return Pipeline([("columns", _columns(features, _ordinal(), "passthrough")), ("model", blend)])


def signed_log1p(x: np.ndarray) -> np.ndarray:
    """``sign(x) * log(1 + |x|)``: compresses heavy tails, keeps order and sign (module-level so it pickles)."""
    x = np.asarray(x, dtype=float)
    compressed: np.ndarray = np.sign(x) * np.log1p(np.abs(x))
    return compressed


def _logistic_on_codes(features: FeatureSet) -> Pipeline:
    """The logistic regression of the blend, on the booster's input (category codes, NaN missing).

    Categories are one-hot encoded from their codes (missing is a category of its own, as in the
    baseline); numbers are imputed with a missing indicator, log-compressed and scaled: amounts,
    head counts and activity counts are heavy-tailed, and a linear term on the raw value lets a few
    huge records decide the slope.
    """
    n_cat = len(features.categorical)
    cat_idx, num_idx = list(range(n_cat)), list(range(n_cat, n_cat + len(features.numeric)))
    parts = []
    if cat_idx:
        parts.append(("cat", Pipeline([
            ("impute", SimpleImputer(strategy="constant", fill_value=-1.0)),
            ("onehot", OneHotEncoder(handle_unknown="ignore", min_frequency=5)),
        ]), cat_idx))
    if num_idx:
        parts.append(("num", Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True)),
                                       ("log", FunctionTransformer(signed_log1p)),
                                       ("scale", StandardScaler())]), num_idx))
    return Pipeline([("columns", ColumnTransformer(parts, remainder="drop")),
                     ("model", LogisticRegression(max_iter=2000))])


def bayes_cold_start(features: FeatureSet) -> Pipeline:
    """Smoothed, shrunk naive Bayes for few closed records (Laplace smoothing, Beta prior, 4 number bins)."""
    cols = _columns(features, _ordinal(), QuantileBinner(n_bins=4))
    return Pipeline([("columns", cols),
                     ("model", NaiveBayesScorer(alpha=1.0, prior_strength=2.0, evidence_scale=None))])


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
