"""The scoring model as a scikit-learn-style estimator: hyperparameters in, ``fit`` returns ``self``.

:class:`ScoringEstimator` holds only what the admin and the caller decide (``__init__`` stores them
unchanged, as scikit-learn asks); :meth:`ScoringEstimator.fit` discovers features, guards against
leaks, splits by time, tests, refits and packages everything a scorer needs into one
:class:`~connector.insights.scoring.trained.TrainedModel` built once (``model_``); learned state ends
in ``_`` and :func:`~sklearn.utils.validation.check_is_fitted` tells a fitted estimator apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from connector.errors import InsightError
from connector.insights.scoring import models
from connector.insights.scoring.explain import build_evidence, influence, neutral_values
from connector.insights.scoring.features import FeatureSet, featurise
from connector.insights.scoring.grades import GradeCutoffs, grade_summary
from connector.insights.scoring.leakage import LeakFinding, find_leaks
from connector.insights.scoring.train import (
    COLD_START_BELOW,
    MIN_PER_CLASS,
    confidence,
    metrics,
    prepare_features,
    time_split,
)
from connector.insights.scoring.trained import Preparation, TrainedModel, measured_contributions
from connector.insights.scoring.wording import Vocabulary, Wording

INFLUENCE_SAMPLE = 2000


@dataclass(frozen=True)
class Columns:
    """What the columns of the training records mean (their names; None when absent).

    Attributes:
        id: the record id (never a feature).
        time: orders the 80/20 split (the close time is best); row order when None.
        created: creation time, for the engineered record age.
        closed: the moment each row describes (its close, or the sampled stage moment): its age ends there.
        stage_started: when the row's stage began (engineered days in stage).
        group: the record a row belongs to when a record gives several rows (one per stage it passed):
            the split keeps a record's rows together, on the side of its newest time.
    """

    id: str | None = None
    time: str | None = None
    created: str | None = None
    closed: str | None = None
    stage_started: str | None = None
    group: str | None = None


# sklearn ships no type information, so BaseEstimator is Any to mypy; subclassing it is the sklearn contract.
class ScoringEstimator(BaseEstimator):  # type: ignore[misc]
    """Train, test and package one scoring model on closed records.

    Parameters
    ----------
    entity : str, default="record"
        ``lead``, ``opportunity`` or any record name (model version text and sentences).
    columns : Columns
        The meaning of the id, time, creation, close, stage and group columns.
    drop, include, ignore_empty : tuple of str
        Columns removed (admin "remove", known leaks), forced in (admin "add"), and whose blanks are
        skipped rather than counted as a value.
    na_values : tuple of str
        Text placeholders meaning missing (e.g. ``Select``).
    kind : str or None
        Force ``models.BOOSTED`` or ``models.COLD_START``; default by the 40 + 40 rule.
    cutoffs : GradeCutoffs or None
        Admin grade cut-offs; default from the positives' score quartiles.
    vocabulary : Vocabulary or None
        Display labels, units and missing-value words of columns, for reasons.
    version : int
        The registry version of the model.
    refit : bool
        Refit on every record after the test (production); False keeps the training-rows model.
    random_state : int
        Seed.
    threads : int or None
        Native (OpenMP/BLAS) threads while training; None leaves the process default. One by default:
        on a busy host, spinning OpenMP threads slow boosting down tenfold.

    Attributes
    ----------
    model_ : TrainedModel
        The packaged model (estimator, features, evidence, cut-offs, metrics, influence).
    features_ : FeatureSet
        The inputs and the dropped columns with their reasons.
    leaks_ : list of LeakFinding
        The features the leakage guard refused, with their figures.
    metrics_ : dict
        Test metrics, confidence and the grade summary.
    """

    def __init__(self, *, entity: str = "record", columns: Columns = Columns(), drop: tuple[str, ...] = (),
                 include: tuple[str, ...] = (), ignore_empty: tuple[str, ...] = (), na_values: tuple[str, ...] = (),
                 kind: str | None = None, cutoffs: GradeCutoffs | None = None,
                 vocabulary: Vocabulary | None = None, version: int = 1, refit: bool = True,
                 random_state: int = 0, threads: int | None = 1) -> None:
        self.entity = entity
        self.columns = columns
        self.drop = drop
        self.include = include
        self.ignore_empty = ignore_empty
        self.na_values = na_values
        self.kind = kind
        self.cutoffs = cutoffs
        self.vocabulary = vocabulary
        self.version = version
        self.refit = refit
        self.random_state = random_state
        self.threads = threads

    def fit(self, X: pd.DataFrame, y: Any, *, now: pd.Timestamp) -> ScoringEstimator:  # noqa: N803
        """Fit on closed records ``X`` (raw columns by logical name) with 0/1 outcomes ``y``.

        Args:
            X: closed records, one row per record (or per record and stage with ``columns.group``).
            y: 1 for a success (qualified, won), 0 otherwise, aligned with ``X``.
            now: the training time (UTC); the end of open records' age.

        Returns:
            ``self``, fitted.

        Raises:
            InsightError: fewer than 3 positive or 3 negative records, or no usable feature.
        """
        now = pd.Timestamp(now)
        y_all = np.asarray(y, dtype=int)
        with threadpool_limits(limits=self.threads):
            self._check_counts(y_all)
            c = self.columns
            prep0 = Preparation(c.id, c.created, c.closed, (), tuple(self.na_values), c.stage_started)
            full, features, prep = prepare_features(
                X, prep0, time_column=c.time, now=now, drop=(*self.drop, *_roles(c)),
                include=self.include, ignore_empty=self.ignore_empty)
            train_idx, test_idx = time_split(X, c.time, group_column=c.group)
            groups = None if c.group is None else X[c.group].astype("string").fillna("").to_numpy(dtype=object)
            x_all = featurise(full, features)
            leaks = find_leaks(x_all.iloc[train_idx], y_all[train_idx], features)
            if leaks:
                features = features.without({f.feature: f"leakage: {f.detail}" for f in leaks})
                x_all = x_all.loc[:, list(features.columns)]
            if not features.columns:
                raise InsightError(f"no usable feature in the {self.entity} data: " + "; ".join(
                    f"{k}: {v}" for k, v in list(features.dropped.items())[:10]))
            self.model_ = self._package(x_all, y_all, (train_idx, test_idx, groups), features, prep, leaks, now)
        self.features_ = features
        self.leaks_ = leaks
        self.metrics_ = self.model_.metrics
        return self

    def _check_counts(self, y: np.ndarray) -> None:
        n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
        if min(n_pos, n_neg) < MIN_PER_CLASS:
            raise InsightError(f"too few closed {self.entity} records to train: {n_pos} positive, {n_neg} "
                               f"negative (need {MIN_PER_CLASS} of each)")

    def _chosen_kind(self, y: np.ndarray) -> str:
        if self.kind:
            return self.kind
        return models.COLD_START if min(int(y.sum()), int(len(y) - y.sum())) < COLD_START_BELOW else models.BOOSTED

    def _build(self, kind: str, features: FeatureSet, n_rows: int) -> Any:
        if kind == models.BOOSTED:
            return models.boosted(features, n_train=n_rows, random_state=self.random_state)
        return models.bayes_cold_start(features)

    def _fit_one(self, kind: str, features: FeatureSet, x: pd.DataFrame, y: np.ndarray,
                 groups: np.ndarray | None) -> Any:
        estimator = self._build(kind, features, len(x) if groups is None else len(set(groups.tolist())))
        params = {"model__groups": groups} if groups is not None and kind == models.BOOSTED else {}
        try:
            return estimator.fit(x, y, **params)
        except ValueError as exc:
            raise InsightError(f"the {kind} model could not be trained: {exc}") from exc

    def _package(self, x_all: pd.DataFrame, y_all: np.ndarray,
                 split: tuple[np.ndarray, np.ndarray, np.ndarray | None], features: FeatureSet, prep: Preparation,
                 leaks: list[LeakFinding], now: pd.Timestamp) -> TrainedModel:
        """Test on the newest records, refit, and gather everything a scorer needs into one model.

        ``split`` is ``(train positions, test positions, record of each row or None)``.
        """
        train_idx, test_idx, groups = split
        kind = self._chosen_kind(y_all)
        estimator = self._fit_one(kind, features, x_all.iloc[train_idx], y_all[train_idx],
                                  None if groups is None else groups[train_idx])
        y_test = y_all[test_idx]
        test = metrics(y_test, estimator.predict_proba(x_all.iloc[test_idx])[:, 1])
        trust = confidence(test["auc"], y_test, cold_start=kind == models.COLD_START)
        c = self.columns
        test.update(n_train=len(train_idx), n_test=len(test_idx), readiness=trust["readiness"], confidence=trust,
                    split=(f"time: oldest 80 % by {c.time}" if c.time else "row order: first 80 %")
                    + (f", rows of one {c.group} kept together" if c.group else ""),
                    leaks=[{"feature": f.feature, "auc": round(f.auc, 4), "detail": f.detail} for f in leaks])
        if self.refit:
            estimator = self._fit_one(kind, features, x_all, y_all, groups)
            x_fit, y_fit = x_all, y_all
        else:
            x_fit, y_fit = x_all.iloc[train_idx], y_all[train_idx]
        test.update(_blend_report(estimator))
        neutral = neutral_values(x_fit, features)
        unseen = np.clip(np.round(100 * _unseen_scores(estimator, x_fit)), 0, 100)
        cutoffs = self.cutoffs or GradeCutoffs.from_positive_scores(unseen[y_fit == 1])
        test["grades"] = {"cutoffs": cutoffs.to_dict(), "summary": grade_summary(unseen, y_fit, cutoffs),
                          "scores": "out of fold" if _out_of_fold(estimator) is not None else "training rows"}
        sample = x_fit.sample(min(INFLUENCE_SAMPLE, len(x_fit)), random_state=self.random_state)
        _, deltas = measured_contributions(estimator, features, neutral, sample)
        return TrainedModel(
            entity=self.entity, kind=kind, version=self.version, features=features, preparation=prep,
            estimator=estimator, neutral=neutral, evidence=build_evidence(x_fit, y_fit, features),
            cutoffs=cutoffs, metrics=test, trained_on=now.to_pydatetime(),
            low_confidence=trust["low_confidence"],
            wording=_default_wording(self.entity, self.vocabulary or Vocabulary()),
            influence=influence(deltas, features),
            report={"n_positive": int(y_all.sum()), "n_negative": int(len(y_all) - y_all.sum()),
                    "leaks": test["leaks"]},
        )

    def predict_proba(self, X: pd.DataFrame, *, now: pd.Timestamp | None = None) -> np.ndarray:  # noqa: N803
        """Probabilities of both classes for raw records, featurised as at training time.

        Raises:
            NotFittedError: the estimator was not fitted.
        """
        check_is_fitted(self, "model_")
        model: TrainedModel = self.model_
        p = model.predict(model.prepare(X, now=pd.Timestamp(now if now is not None else model.trained_on)))
        return np.column_stack([1 - p, p])


def _roles(c: Columns) -> tuple[str, ...]:
    # The group column names a record: never an input (the id column is dropped by discovery itself).
    return tuple(v for v in (c.group,) if v)


def _positive(estimator: Any, x: pd.DataFrame) -> np.ndarray:
    if len(x) == 0:
        return np.zeros(0)
    proba = estimator.predict_proba(x)
    return np.asarray(proba[:, list(estimator.classes_).index(1)], dtype=float)


def _out_of_fold(estimator: Any) -> np.ndarray | None:
    """The final model's out-of-fold probabilities of its training rows, when it keeps them (the blend)."""
    final = getattr(estimator, "named_steps", {}).get("model")
    oof = getattr(final, "oof_proba_", None)
    return None if oof is None else np.asarray(oof, dtype=float)


def _unseen_scores(estimator: Any, x_fit: pd.DataFrame) -> np.ndarray:
    """Probabilities of the training rows as the model scores records it has not seen, for the grade cut-offs.

    Open records are new to the model. A booster's scores of its own training rows are stretched towards 0
    and 1 (on a demo organisation the lower quartile of won deals sat 7 points higher than on held-out
    deals), so cut-offs read from them grade most open records D. The blend's out-of-fold scores are what
    it gives unseen records. The cold-start model keeps no folds and needs none: its evidence is shrunk
    towards the prior (``1/sqrt(columns)``), so its training-row scores are not stretched the same way, and
    with a handful of records per outcome there is nothing to fold.
    """
    oof = _out_of_fold(estimator)
    return oof if oof is not None and len(oof) == len(x_fit) else _positive(estimator, x_fit)


def _blend_report(estimator: Any) -> dict[str, Any]:
    """For admins: how much the published blend leans on boosting, and the out-of-fold AUC of each weight."""
    final = getattr(estimator, "named_steps", {}).get("model")
    if final is None or not hasattr(final, "weight_"):
        return {}
    return {"blend": {"boosting_weight": final.weight_,
                      "out_of_fold_auc": {str(w): round(a, 4) for w, a in final.oof_auc_.items()}}}


def _default_wording(entity: str, vocabulary: Vocabulary) -> Wording:
    if entity == "lead":
        return Wording("leads", "qualified", vocabulary)
    if entity == "opportunity":
        return Wording("opportunities", "won", vocabulary)
    return Wording("records", "positive", vocabulary)


def fit_model(frame: pd.DataFrame, y: Any, *, now: pd.Timestamp, **params: Any) -> TrainedModel:
    """``ScoringEstimator(**params).fit(frame, y, now=now).model_``: the one-line form callers use.

    Raises:
        InsightError: see :meth:`ScoringEstimator.fit`.
    """
    return ScoringEstimator(**params).fit(frame, y, now=now).model_


