"""Training helpers: time split, metrics, threshold, readiness and confidence, feature preparation.

The oldest 80 % of the closed records train, the newest 20 % test (Dynamics' rule): ordered by a
time column when there is one, else by row order; the rows of one record (one per stage it passed)
stay on one side. The F1-maximising threshold is chosen on the test records, as Dynamics does, so
the F1 shown is an upper bound; AUC does not depend on it. The estimator that uses these is
:class:`~connector.insights.scoring.scorer.ScoringEstimator`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import precision_recall_curve, roc_auc_score

from connector.errors import InsightError
from connector.insights.scoring.features import ENGINEERED_PREFIX, FeatureSet, discover, presence_lookups
from connector.insights.scoring.trained import Preparation

COLD_START_BELOW = 40
"""Fewer positive or negative closed records than this: the Bayesian cold-start model is used."""

MIN_PER_CLASS = 3
READY_AUC = 0.75
OK_AUC = 0.65
MIN_TEST_RECORDS = 50
"""Fewer test records than this, or fewer than :data:`MIN_TEST_PER_CLASS` of either outcome among
them, and the test AUC is too noisy to call a model ready (with 8 test records, an AUC of 0.9 is
luck as often as skill): the model is "Not ready" and its scores are labelled low-confidence."""
MIN_TEST_PER_CLASS = 10


def readiness(auc: float | None, n_test: int | None = None, n_test_minority: int | None = None) -> str:
    """``Ready`` (AUC >= 0.75), ``OK`` (>= 0.65) or ``Not ready`` (lower, unknown, or too few test records)."""
    if auc is None or np.isnan(auc):
        return "Not ready"
    if (n_test is not None and n_test < MIN_TEST_RECORDS) or (
            n_test_minority is not None and n_test_minority < MIN_TEST_PER_CLASS):
        return "Not ready"
    return "Ready" if auc >= READY_AUC else "OK" if auc >= OK_AUC else "Not ready"


def confidence(auc: float | None, y_test: np.ndarray, *, cold_start: bool) -> dict[str, Any]:
    """How far a seller can trust the scores: readiness, the test's size and why confidence is low.

    Returns:
        ``readiness``, ``low_confidence`` (cold-start model, or too few test records),
        ``n_test``, ``n_test_positive``, ``n_test_negative``, ``min_test`` and ``min_test_per_class``
        (the stated minimums) and ``reasons`` (codes: ``cold_start``, ``few_test_records``).
    """
    n_pos = int(np.sum(y_test))
    n_neg = int(len(y_test) - n_pos)
    few = len(y_test) < MIN_TEST_RECORDS or min(n_pos, n_neg) < MIN_TEST_PER_CLASS
    reasons = [code for code, on in (("cold_start", cold_start), ("few_test_records", few)) if on]
    return {"readiness": readiness(auc, len(y_test), min(n_pos, n_neg)), "low_confidence": bool(reasons),
            "n_test": len(y_test), "n_test_positive": n_pos, "n_test_negative": n_neg,
            "min_test": MIN_TEST_RECORDS, "min_test_per_class": MIN_TEST_PER_CLASS, "reasons": reasons}


def time_split(frame: pd.DataFrame, time_column: str | None, *, test_share: float = 0.2,
               group_column: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the oldest ``1 - test_share`` (train) and newest ``test_share`` (test) rows.

    Rows without a time sort first (treated as oldest). Without a time column, row order is time.
    With ``group_column``, the records (groups) are split instead, each at its newest time (ties by
    group value), so the several rows of one record never sit on both sides.

    Raises:
        InsightError: the time or group column is not in the frame.
    """
    if group_column is not None:
        return _group_split(frame, time_column, group_column, test_share)
    n = len(frame)
    if time_column is None:
        order = np.arange(n)
    else:
        if time_column not in frame.columns:
            raise InsightError(f"the time column {time_column!r} is not in the data")
        raw = frame[time_column]
        key = raw if pd.api.types.is_numeric_dtype(raw) else pd.to_datetime(raw, utc=True, errors="coerce")
        order = np.argsort(pd.Series(key).rank(method="first", na_option="top").to_numpy(), kind="stable")
    n_test = max(1, int(round(n * test_share)))
    return order[: n - n_test], order[n - n_test:]


def _group_split(frame: pd.DataFrame, time_column: str | None, group_column: str,
                 test_share: float) -> tuple[np.ndarray, np.ndarray]:
    if group_column not in frame.columns:
        raise InsightError(f"the group column {group_column!r} is not in the data")
    groups = frame[group_column].astype("string").fillna("")
    if time_column is None:
        when = pd.Series(np.arange(len(frame), dtype=float), index=frame.index)
    elif time_column not in frame.columns:
        raise InsightError(f"the time column {time_column!r} is not in the data")
    else:
        raw = frame[time_column]
        key = raw if pd.api.types.is_numeric_dtype(raw) else pd.to_datetime(raw, utc=True, errors="coerce")
        when = pd.Series(pd.Series(key).rank(method="min", na_option="top").to_numpy(), index=frame.index)
    newest = when.groupby(groups.to_numpy()).max()
    order = sorted(newest.index, key=lambda g: (newest[g], g))
    n_test = max(1, int(round(len(order) * test_share)))
    test_groups = set(order[len(order) - n_test:])
    is_test = groups.isin(test_groups).to_numpy()
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def metrics(y: np.ndarray, p: np.ndarray) -> dict[str, Any]:
    """Test metrics: AUC, accuracy, precision, recall, F1 at the F1-maximising threshold, confusion.

    Args:
        y: 0/1 labels.
        p: positive probabilities.

    Returns:
        ``auc`` (None with a single class), ``accuracy``, ``precision``, ``recall``, ``f1``,
        ``threshold`` (score 0–100: predicted positive when score >= threshold), ``confusion``
        (tp, fp, tn, fn), ``conversion_rate`` (actual positive share), ``calibration_error`` (see
        :func:`calibration_error`) and ``n``.
    """
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    out: dict[str, Any] = {"n": len(y), "conversion_rate": round(float(y.mean()), 4) if len(y) else None}
    if len(np.unique(y)) < 2:
        out.update(auc=None, accuracy=None, precision=None, recall=None, f1=None, threshold=None, confusion=None,
                   calibration_error=None)
        return out
    prec, rec, thr = precision_recall_curve(y, p)
    f1 = np.where(prec + rec > 0, 2 * prec * rec / np.maximum(prec + rec, 1e-12), 0.0)[:-1]
    best = int(np.argmax(f1))
    threshold = float(thr[best])
    pred = p >= threshold
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    tn = int((~pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    out.update(
        auc=round(float(roc_auc_score(y, p)), 4),
        accuracy=round((tp + tn) / len(y), 4),
        precision=round(tp / (tp + fp), 4) if tp + fp else 0.0,
        recall=round(tp / (tp + fn), 4) if tp + fn else 0.0,
        f1=round(float(f1[best]), 4),
        threshold=round(100 * threshold, 1),
        confusion={"tp": tp, "fp": fp, "tn": tn, "fn": fn},
        calibration_error=round(calibration_error(y, p), 4),
    )
    return out


def calibration_error(y: np.ndarray, p: np.ndarray, *, bins: int = 10) -> float:
    """Expected calibration error: mean |predicted - observed rate| over equal-count bins, weighted by size.

    0.03 means that, where the model says 70, about 67 to 73 % of the records are positive.
    """
    order = np.argsort(p, kind="stable")
    err = 0.0
    for chunk in np.array_split(order, min(bins, len(order))):
        if len(chunk):
            err += len(chunk) * abs(float(p[chunk].mean()) - float(y[chunk].mean()))
    return err / len(order)


def labels_of(frame: pd.DataFrame, target: str, positive: Any) -> np.ndarray:
    """0/1 labels: 1 where ``target`` equals ``positive`` (compared as text when types differ).

    Raises:
        InsightError: the target column is missing.
    """
    if target not in frame.columns:
        raise InsightError(f"the label column {target!r} is not in the data")
    values = frame[target]
    hit = values == positive
    if not hit.any():
        hit = values.astype("string").str.strip() == str(positive).strip()
    labels: np.ndarray = hit.fillna(False).to_numpy(dtype=bool).astype(int)
    return labels


def prepare_features(frame: pd.DataFrame, preparation: Preparation, *, time_column: str | None,
                     now: pd.Timestamp, drop: Iterable[str], include: Iterable[str],
                     ignore_empty: Iterable[str], target: str | None = None,
                     ) -> tuple[pd.DataFrame, FeatureSet, Preparation]:
    """Discover raw features, add engineered ones, and discover those too.

    ``target``, when the label is a column of ``frame``, is never a feature.

    Returns:
        ``(records with engineered columns, feature set, preparation with completeness columns)``.
    """
    drop, include, ignore_empty = list(drop), list(include), list(ignore_empty)
    cleaned = preparation.clean(frame)
    raw = discover(cleaned, target=target, id_column=preparation.id_column, time_column=time_column,
                   drop=drop, include=include, ignore_empty=ignore_empty)
    prep = replace(preparation, completeness_of=raw.columns, lookups=presence_lookups(raw))
    full = prep.raw_with_engineered(frame, now=now)
    eng_cols = [c for c in full.columns if str(c).startswith(ENGINEERED_PREFIX) and c not in cleaned.columns]
    eng = discover(full[eng_cols], target=None, drop=drop, include=include,
                   ignore_empty=ignore_empty) if eng_cols else FeatureSet((), ())
    features = FeatureSet(raw.categorical + eng.categorical, raw.numeric + eng.numeric,
                          {**raw.dropped, **eng.dropped}, frozenset(ignore_empty))
    return full, features, prep
