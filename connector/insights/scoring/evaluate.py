"""Evaluation on any table of closed records: our model against two baselines, on the same split.

Used by ``python -m connector scoring evaluate``. The same feature discovery, engineered fields and
leakage guard as production training run; then the same oldest-80 % / newest-20 % split trains

- our model (boosted + calibrated, or the Bayesian cold start below 40 + 40),
- a one-hot logistic regression,
- Odoo's naive Bayes (blank values skipped, as Odoo skips unset fields),

and all three are scored on the same test rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from connector.insights.scoring import models
from connector.insights.scoring.features import FeatureSet, featurise
from connector.insights.scoring.train import labels_of, prepare_features, time_split, train_model
from connector.insights.scoring.trained import Preparation


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
    """Train and test our model and the two baselines; return a JSON-ready report.

    Args:
        frame: closed records.
        target: outcome column.
        positive: the success value of ``target``.
        now: evaluation time (UTC), the end of open records' age.
        time_column: orders the split; row order when None.
        id_column: record id column.
        drop: columns never used (known leaks).
        na_values: text placeholders for missing.
        random_state: seed.
        kind: force the model kind (``boosted-blend`` or ``bayes-cold-start``).

    Returns:
        ``auc``, ``accuracy``, ``precision``, ``recall``, ``f1``, ``threshold``, ``confusion``,
        ``n_train``, ``n_test``, ``model_kind``, ``readiness``, ``split``, ``top_features``,
        ``dropped_features``, ``leaks`` and ``baselines`` (AUC of each).

    Raises:
        InsightError: the data cannot train a model (see :func:`train_model`).
    """
    drop, na_values = list(drop), list(na_values)
    model = train_model(frame, entity="record", target=target, positive=positive, now=now, time_column=time_column,
                        id_column=id_column, drop=drop, na_values=na_values, refit=False,
                        random_state=random_state, kind=kind)
    full, _, _ = prepare_features(frame, Preparation(id_column, None, None, (), tuple(na_values)), target=target,
                                  time_column=time_column, now=pd.Timestamp(now), drop=drop, include=(),
                                  ignore_empty=())
    y = labels_of(frame, target, positive)
    train_idx, test_idx = time_split(frame, time_column)
    features = model.features
    x = featurise(full, features)
    skip_blanks = FeatureSet(features.categorical, features.numeric, features.dropped, frozenset(features.columns))
    x_odoo = featurise(full, skip_blanks)
    with threadpool_limits(limits=1):
        baselines = {
            models.LOGISTIC: _auc_of(models.logistic_baseline(features), x, y, train_idx, test_idx),
            models.ODOO: _auc_of(models.odoo_baseline(features), x_odoo, y, train_idx, test_idx),
        }
    m = model.metrics
    return {
        "auc": m["auc"], "accuracy": m["accuracy"], "precision": m["precision"], "recall": m["recall"],
        "f1": m["f1"], "threshold": m["threshold"], "confusion": m["confusion"],
        "conversion_rate": m["conversion_rate"], "calibration_error": m["calibration_error"],
        "n_train": m["n_train"], "n_test": m["n_test"],
        "model_kind": model.kind, "low_confidence": model.low_confidence, "readiness": m["readiness"],
        "split": m["split"],
        "top_features": [{"feature": f, "mean_abs_impact_points": v} for f, v in model.influence[:10]],
        "features_used": list(features.columns),
        "dropped_features": dict(features.dropped),
        "leaks": model.report["leaks"],
        "baselines": {name: {"auc": auc} for name, auc in baselines.items()},
        "beats_baselines": bool(m["auc"] is not None and all(m["auc"] > a for a in baselines.values()
                                                               if a is not None)),
    }


def _auc_of(estimator: Any, x: pd.DataFrame, y: np.ndarray, train_idx: np.ndarray,
            test_idx: np.ndarray) -> float | None:
    if len(np.unique(y[test_idx])) < 2:
        return None
    estimator.fit(x.iloc[train_idx], y[train_idx])
    p = estimator.predict_proba(x.iloc[test_idx])[:, 1]
    return round(float(roc_auc_score(y[test_idx], p)), 4)
