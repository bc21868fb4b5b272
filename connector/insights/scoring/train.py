"""Training: time split, model choice, metrics, threshold, readiness.

The oldest 80 % of the closed records train, the newest 20 % test (Dynamics' rule): ordered by a
time column when there is one, else by row order. The F1-maximising threshold is chosen on the test
records, as Dynamics does, so the F1 shown is an upper bound; AUC does not depend on it. After the
test, the published model is refitted on all closed records (``refit=True``) so it knows the most
recent ones; the metrics describe the procedure that produced it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import precision_recall_curve, roc_auc_score
from threadpoolctl import threadpool_limits

from connector.errors import InsightError
from connector.insights.scoring import models
from connector.insights.scoring.explain import Wording, build_evidence, influence, neutral_values
from connector.insights.scoring.features import (
    ENGINEERED_PREFIX,
    FeatureSet,
    discover,
    featurise,
    presence_lookups,
)
from connector.insights.scoring.grades import GradeCutoffs, grade_summary
from connector.insights.scoring.leakage import find_leaks
from connector.insights.scoring.trained import Preparation, TrainedModel

COLD_START_BELOW = 40
"""Fewer positive or negative closed records than this: the Bayesian cold-start model is used."""

MIN_PER_CLASS = 3
READY_AUC = 0.75
OK_AUC = 0.65
INFLUENCE_SAMPLE = 2000


def readiness(auc: float | None) -> str:
    """``Ready`` (AUC >= 0.75), ``OK`` (>= 0.65) or ``Not ready`` (lower, or unknown)."""
    if auc is None or np.isnan(auc):
        return "Not ready"
    return "Ready" if auc >= READY_AUC else "OK" if auc >= OK_AUC else "Not ready"


def time_split(frame: pd.DataFrame, time_column: str | None, *, test_share: float = 0.2) -> tuple[np.ndarray,
                                                                                               np.ndarray]:
    """Positions of the oldest ``1 - test_share`` (train) and newest ``test_share`` (test) rows.

    Rows without a time sort first (treated as oldest). Without a time column, row order is time.

    Raises:
        InsightError: the time column is not in the frame.
    """
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
    return hit.fillna(False).to_numpy(dtype=bool).astype(int)


def prepare_features(frame: pd.DataFrame, preparation: Preparation, *, target: str, time_column: str | None,
                     now: pd.Timestamp, drop: Iterable[str], include: Iterable[str],
                     ignore_empty: Iterable[str]) -> tuple[pd.DataFrame, FeatureSet, Preparation]:
    """Discover raw features, add engineered ones, and discover those too.

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
    eng = discover(full[[*eng_cols, target]], target=target, drop=drop, include=include,
                   ignore_empty=ignore_empty) if eng_cols else FeatureSet((), ())
    features = FeatureSet(raw.categorical + eng.categorical, raw.numeric + eng.numeric,
                          {**raw.dropped, **eng.dropped}, frozenset(ignore_empty))
    return full, features, prep


def train_model(
    frame: pd.DataFrame,
    *,
    entity: str,
    target: str,
    now: pd.Timestamp,
    positive: Any = 1,
    time_column: str | None = None,
    id_column: str | None = None,
    created_column: str | None = None,
    closed_column: str | None = None,
    stage_started_column: str | None = None,
    drop: Iterable[str] = (),
    include: Iterable[str] = (),
    ignore_empty: Iterable[str] = (),
    na_values: Iterable[str] = (),
    version: int = 1,
    cutoffs: GradeCutoffs | None = None,
    wording: Wording | None = None,
    labels: Mapping[str, str] | None = None,
    refit: bool = True,
    random_state: int = 0,
    kind: str | None = None,
    threads: int | None = 1,
) -> TrainedModel:
    """Train, test and package one scoring model on closed records.

    Args:
        frame: closed records (raw columns by logical name), one per row.
        entity: ``lead`` or ``opportunity`` (or any record name for sentences).
        target: the outcome column.
        now: the training time (UTC); also the end of open records' age.
        positive: the value of ``target`` that is a success (qualified, won).
        time_column: orders the 80/20 split (the close time is best); row order when None.
        id_column: record id column (never a feature).
        created_column: creation time, for the engineered record age.
        closed_column: close time, so a closed record's age is its age when it closed.
        stage_started_column: when the record entered its current stage (engineered time in stage).
        drop: columns removed from the model (admin "remove", known leaks).
        include: columns forced in (admin "add").
        ignore_empty: columns whose blanks are skipped rather than a value.
        na_values: text placeholders meaning missing (e.g. ``Select``).
        version: the registry version of this model.
        cutoffs: admin grade cut-offs; default from the positives' score quartiles.
        wording: sentence wording; default from ``entity``.
        labels: display labels of columns for sentences.
        refit: refit on all records after the test.
        random_state: seed.
        kind: force ``models.BOOSTED`` or ``models.COLD_START``; default by the 40 + 40 rule.
        threads: native (OpenMP/BLAS) threads while training; None leaves the process default. One
            by default: on a shared or busy host, spinning OpenMP threads slow boosting down tenfold.

    Returns:
        The :class:`TrainedModel`.

    Raises:
        InsightError: no usable feature, or fewer than 3 positive or 3 negative records.
    """
    now = pd.Timestamp(now)
    with threadpool_limits(limits=threads):
        y_all = labels_of(frame, target, positive)
        n_pos, n_neg = int(y_all.sum()), int(len(y_all) - y_all.sum())
        if min(n_pos, n_neg) < MIN_PER_CLASS:
            raise InsightError(f"too few closed {entity} records to train: {n_pos} positive, {n_neg} negative "
                               f"(need {MIN_PER_CLASS} of each)")
        prep0 = Preparation(id_column, created_column, closed_column, (), tuple(na_values), stage_started_column)
        full, features, prep = prepare_features(frame, prep0, target=target, time_column=time_column, now=now,
                                                drop=drop, include=include, ignore_empty=ignore_empty)
        train_idx, test_idx = time_split(frame, time_column)
        x_all = featurise(full, features)
        leaks = find_leaks(x_all.iloc[train_idx], y_all[train_idx], features)
        if leaks:
            features = features.without({f.feature: f"leakage: {f.detail}" for f in leaks})
            x_all = x_all.loc[:, list(features.columns)]
        if not features.columns:
            raise InsightError(f"no usable feature in the {entity} data: " + "; ".join(
                f"{k}: {v}" for k, v in list(features.dropped.items())[:10]))
        chosen = kind or (models.COLD_START if min(n_pos, n_neg) < COLD_START_BELOW else models.BOOSTED)

        def build(n_rows: int) -> Any:
            if chosen == models.BOOSTED:
                return models.boosted(features, n_train=n_rows, random_state=random_state)
            return models.bayes_cold_start(features)

        x_train, y_train = x_all.iloc[train_idx], y_all[train_idx]
        estimator = build(len(train_idx))
        _fit(estimator, x_train, y_train, chosen)
        test_metrics = metrics(y_all[test_idx], estimator.predict_proba(x_all.iloc[test_idx])[:, 1])
        test_metrics.update(n_train=len(train_idx), n_test=len(test_idx), readiness=readiness(test_metrics["auc"]),
                            split=f"time: oldest 80 % by {time_column}" if time_column else "row order: first 80 %")
        if refit:
            estimator = build(len(x_all))
            _fit(estimator, x_all, y_all, chosen)
            x_fit, y_fit = x_all, y_all
        else:
            x_fit, y_fit = x_train, y_train
        words = wording or _default_wording(entity, labels)
        model = TrainedModel(
            entity=entity, kind=chosen, version=version, features=features, preparation=prep, estimator=estimator,
            neutral=neutral_values(x_fit, features), evidence=build_evidence(x_fit, y_fit, features),
            cutoffs=GradeCutoffs(50, 25, 10), metrics=test_metrics, trained_on=now.to_pydatetime(),
            low_confidence=chosen == models.COLD_START, wording=words,
            report={"n_positive": n_pos, "n_negative": n_neg,
                    "leaks": [{"feature": f.feature, "auc": round(f.auc, 4), "detail": f.detail} for f in leaks]},
        )
        model.metrics.update(_blend_report(estimator))
        fit_scores = np.clip(np.round(100 * model.predict(x_fit)), 0, 100)
        model.cutoffs = cutoffs or GradeCutoffs.from_positive_scores(fit_scores[y_fit == 1])
        model.metrics["grades"] = {"cutoffs": model.cutoffs.to_dict(),
                                   "summary": grade_summary(fit_scores, y_fit, model.cutoffs)}
        sample = x_fit.sample(min(INFLUENCE_SAMPLE, len(x_fit)), random_state=random_state)
        _, deltas = model.contributions(sample)
        model.influence = influence(deltas, features)
        return model


def _blend_report(estimator: Any) -> dict[str, Any]:
    """For admins: how much the published blend leans on boosting, and the out-of-fold AUC of each weight."""
    final = getattr(estimator, "named_steps", {}).get("model")
    if not hasattr(final, "weight_"):
        return {}
    return {"blend": {"boosting_weight": final.weight_,
                      "out_of_fold_auc": {str(w): round(a, 4) for w, a in final.oof_auc_.items()}}}


def _fit(estimator: Any, x: pd.DataFrame, y: np.ndarray, kind: str) -> None:
    try:
        estimator.fit(x, y)
    except ValueError as exc:
        raise InsightError(f"the {kind} model could not be trained: {exc}") from exc


def _default_wording(entity: str, labels: Mapping[str, str] | None) -> Wording:
    if entity == "lead":
        return Wording("leads", "qualified", labels)
    if entity == "opportunity":
        return Wording("opportunities", "won", labels)
    return Wording("records", "positive", labels)
