"""Evaluation on any table of closed records: our model against independent baselines, on the same split.

Used by ``python -m connector scoring evaluate`` and ``benchmarks/scoring_imbalanced.py``. Our model
runs exactly as in production (feature discovery, engineered fields, leakage guard, blend); on the
same oldest-80 % / newest-20 % split, the same test rows score

- ``gradient-boosting-raw``: scikit-learn's gradient boosting with its default settings on the raw
  columns (categories as native categorical splits), before our guard and without our engineered
  fields: what an analyst gets in ten lines;
- ``logistic-onehot-raw``: a one-hot logistic regression on the same raw columns;
- ``odoo-naive-bayes``: Odoo's naive Bayes on our features (blank values skipped, as Odoo skips unset
  fields).

The raw baselines see every column except the target, the id, the time column and the caller's
``drop`` list, so a loss our guard or our features cause shows up as a loss.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from connector.insights.scoring import models
from connector.insights.scoring.features import FeatureSet, featurise
from connector.insights.scoring.scorer import Columns, ScoringEstimator
from connector.insights.scoring.train import labels_of, prepare_features, time_split
from connector.insights.scoring.trained import Preparation, TrainedModel

BOOSTING_RAW = "gradient-boosting-raw"
LOGISTIC_RAW = "logistic-onehot-raw"
MAX_CATEGORIES = 50


def evaluate(
    frame: pd.DataFrame,
    *,
    target: str,
    positive: Any,
    now: pd.Timestamp,
    time_column: str | None = None,
    id_column: str | None = None,
    drop: Iterable[str] = (),
    na_values: Iterable[str] = (),
    random_state: int = 0,
    kind: str | None = None,
) -> dict[str, Any]:
    """Train and test our model and the baselines; return a JSON-ready report.

    Args:
        frame: closed records.
        target: outcome column.
        positive: the success value of ``target``.
        now: evaluation time (UTC), the end of open records' age.
        time_column: orders the split; row order when None.
        id_column: record id column.
        drop: columns never used (known leaks).
        na_values: text placeholders for missing.
        random_state: seed of every model.
        kind: force the model kind (``boosted-blend`` or ``bayes-cold-start``).

    Returns:
        ``auc``, ``accuracy``, ``precision``, ``recall``, ``f1``, ``threshold``, ``confusion``,
        ``n_train``, ``n_test``, ``model_kind``, ``readiness``, ``confidence``, ``split``,
        ``top_features``, ``dropped_features``, ``leaks``, ``baselines`` (AUC of each),
        ``margin_over_best_baseline`` and ``beats_baselines``.

    Raises:
        InsightError: the data cannot train a model (too few records of an outcome, no feature).
    """
    drop, na_values = tuple(drop), tuple(na_values)
    y = labels_of(frame, target, positive)
    records = frame.drop(columns=[target])
    columns = Columns(id=id_column, time=time_column)
    model = ScoringEstimator(columns=columns, drop=drop, na_values=na_values, refit=False, random_state=random_state,
                             kind=kind).fit(records, y, now=now).model_
    split = time_split(frame, time_column)
    baselines = _baselines(records, y, split, model.features, id_column=id_column, time_column=time_column,
                           drop=drop, na_values=na_values, now=pd.Timestamp(now), random_state=random_state)
    return _report(model, baselines)


def _report(model: TrainedModel, baselines: dict[str, float | None]) -> dict[str, Any]:
    """The JSON-ready report of :func:`evaluate`: our test metrics, the baselines' AUC and the margin between."""
    m = model.metrics
    best = max((a for a in baselines.values() if a is not None), default=None)
    return {
        "auc": m["auc"], "accuracy": m["accuracy"], "precision": m["precision"], "recall": m["recall"],
        "f1": m["f1"], "threshold": m["threshold"], "confusion": m["confusion"],
        "conversion_rate": m["conversion_rate"], "calibration_error": m["calibration_error"],
        "n_train": m["n_train"], "n_test": m["n_test"],
        "model_kind": model.kind, "low_confidence": model.low_confidence, "readiness": m["readiness"],
        "confidence": m["confidence"], "split": m["split"],
        "top_features": [{"feature": f, "mean_abs_impact_points": v} for f, v in model.influence[:10]],
        "features_used": list(model.features.columns),
        "dropped_features": dict(model.features.dropped),
        "leaks": m["leaks"],
        "baselines": {name: {"auc": auc} for name, auc in baselines.items()},
        "margin_over_best_baseline": None if m["auc"] is None or best is None else round(m["auc"] - best, 4),
        "beats_baselines": bool(m["auc"] is not None and all(m["auc"] > a for a in baselines.values()
                                                               if a is not None)),
    }


def _baselines(records: pd.DataFrame, y: np.ndarray, split: tuple[np.ndarray, np.ndarray], features: FeatureSet, *,
               id_column: str | None, time_column: str | None, drop: tuple[str, ...], na_values: tuple[str, ...],
               now: pd.Timestamp, random_state: int) -> dict[str, float | None]:
    """Test AUC of each baseline on the same split (None when a side has a single class)."""
    train_idx, test_idx = split
    full, _, _ = prepare_features(records, Preparation(id_column, None, None, (), na_values), time_column=time_column,
                                  now=now, drop=drop, include=(), ignore_empty=())
    skip_blanks = FeatureSet(features.categorical, features.numeric, features.dropped, frozenset(features.columns))
    raw = raw_columns(Preparation(na_values=na_values).clean(records), exclude=(id_column, time_column, *drop))
    with threadpool_limits(limits=1):
        return {
            BOOSTING_RAW: _auc_of(boosting_raw(raw, random_state), raw, y, train_idx, test_idx),
            LOGISTIC_RAW: _auc_of(logistic_raw(raw), raw, y, train_idx, test_idx),
            models.ODOO: _auc_of(models.odoo_baseline(features), featurise(full, skip_blanks), y, train_idx,
                                 test_idx),
        }


def raw_columns(frame: pd.DataFrame, *, exclude: Iterable[str | None]) -> pd.DataFrame:
    """The raw inputs of the baselines: every column but the excluded ones; text as categories, numbers as floats.

    A column that is numbers in at least 98 % of its filled values is a number; a date column is left out
    (neither baseline reads dates).
    """
    gone = {c for c in exclude if c}
    out: dict[str, pd.Series] = {}
    for col in frame.columns:
        if col in gone or pd.api.types.is_datetime64_any_dtype(frame[col]):
            continue
        values = frame[col]
        numbers = pd.to_numeric(values, errors="coerce")
        filled = values.notna().sum()
        if pd.api.types.is_bool_dtype(values) or not filled or numbers.notna().sum() < 0.98 * filled:
            out[str(col)] = values.astype("string").astype(object).where(values.notna(), np.nan)
        else:
            out[str(col)] = numbers.astype(float)
    return pd.DataFrame(out, index=frame.index)


def _kinds(raw: pd.DataFrame) -> tuple[list[str], list[str]]:
    cat = [c for c in raw.columns if raw[c].dtype == object]
    return cat, [c for c in raw.columns if c not in cat]


def boosting_raw(raw: pd.DataFrame, random_state: int = 0) -> Pipeline:
    """Default gradient boosting on the raw columns (categories as native splits, at most 250 per column)."""
    cat, num = _kinds(raw)
    encode = ColumnTransformer([
        ("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan,
                               max_categories=250), cat),
        ("num", "passthrough", num)], verbose_feature_names_out=False)
    mask = [True] * len(cat) + [False] * len(num)
    return Pipeline([("columns", encode),
                     ("model", HistGradientBoostingClassifier(categorical_features=mask, random_state=random_state))])


def logistic_raw(raw: pd.DataFrame) -> Pipeline:
    """One-hot logistic regression on the raw columns: missing as a category, numbers imputed and scaled."""
    cat, num = _kinds(raw)
    encode = ColumnTransformer([
        ("cat", Pipeline([("impute", SimpleImputer(strategy="constant", fill_value="(missing)")),
                          ("onehot", OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5,
                                                   max_categories=MAX_CATEGORIES))]), cat),
        ("num", Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True)),
                          ("scale", StandardScaler())]), num)])
    return Pipeline([("columns", encode), ("model", LogisticRegression(max_iter=2000))])


def _auc_of(estimator: Any, x: pd.DataFrame, y: np.ndarray, train_idx: np.ndarray,
            test_idx: np.ndarray) -> float | None:
    if len(np.unique(y[test_idx])) < 2 or len(np.unique(y[train_idx])) < 2:
        return None
    estimator.fit(x.iloc[train_idx], y[train_idx])
    p = estimator.predict_proba(x.iloc[test_idx])[:, 1]
    return round(float(roc_auc_score(y[test_idx], p)), 4)
