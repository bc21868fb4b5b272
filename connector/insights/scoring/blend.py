# ruff: noqa: N803, N806  -- scikit-learn names the data matrix ``X``.
"""A calibrated blend of two probabilistic classifiers, its weight chosen out of fold.

Gradient boosting wins when there are many records and interactions matter (IBM win/loss); a
regularised logistic regression wins on a few hundred records whose effects add up (a small
organisation's leads). Neither is best everywhere, and which one wins cannot be known before
training, so :class:`BlendedClassifier` lets the organisation's own closed records decide: both
models are fitted on folds of the training rows, the weight whose out-of-fold blend ranks best is
kept, the blended out-of-fold scores calibrate the final probability (so a score of 70 means about
70 % of such records convert), and both models are refitted on every training row.

One out-of-fold pass serves both the weight and the calibration, so the blend costs the boosted
model no more fits than calibrating it alone did.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.utils.validation import check_is_fitted

_EPS = 1e-6


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    logit: np.ndarray = np.log(p / (1 - p))
    return logit


# sklearn ships no type information, so its bases are Any to mypy; subclassing them is the sklearn contract.
class BlendedClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """``w * first + (1 - w) * second``, with ``w`` chosen out of fold, then calibrated.

    Parameters
    ----------
    first : estimator
        A binary classifier with ``predict_proba`` (the boosted pipeline).
    second : estimator
        Another binary classifier with ``predict_proba`` (the logistic pipeline).
    weights : tuple of float, default=(0.0, 0.25, 0.5, 0.75, 1.0)
        Candidate weights of ``first``. Ties go to the larger weight.
    cv : int, default=3
        Stratified folds for the out-of-fold predictions.
    method : {"sigmoid", "isotonic"}, default="sigmoid"
        Calibration of the blended score: Platt scaling on its logit, or isotonic regression (which
        needs about a thousand rows not to overfit).
    random_state : int, default=0
        Seed of the fold shuffling.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The class labels.
    weight_ : float
        The chosen weight of ``first``.
    oof_auc_ : dict
        Out-of-fold AUC of each candidate weight (for the model report).
    first_, second_ : estimator
        The two models refitted on every row.
    calibrator_ : estimator
        Maps the blended score to a probability.
    oof_proba_ : ndarray of shape (n_samples,)
        Calibrated positive-class probability of each training row from the models that did not see it
        (its record, with ``groups``): how the blend scores records it has never seen, unlike its
        predictions on its own training rows, which an overfitted booster pushes towards 0 and 1. Grade
        cut-offs are read from these.
    """

    def __init__(self, first: object, second: object, *, weights: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0),
                 cv: int = 3, method: str = "sigmoid", random_state: int = 0) -> None:
        self.first = first
        self.second = second
        self.weights = weights
        self.cv = cv
        self.method = method
        self.random_state = random_state

    def fit(self, X: object, y: object, groups: object = None) -> BlendedClassifier:
        """Choose the weight and the calibration out of fold, then refit both models on every row.

        ``groups`` names the record of each row when a record gives several rows (one per stage it
        passed): the folds then keep a record's rows together, so the weight is not chosen by how well
        a model recognises a record it has already seen.

        Raises
        ------
        ValueError
            ``y`` is not binary, a class has fewer than ``cv`` rows, or ``method`` is unknown.
        """
        if self.method not in ("sigmoid", "isotonic"):
            raise ValueError(f"unknown calibration method {self.method!r}")
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError("BlendedClassifier needs exactly two classes")
        target = (y == self.classes_[1]).astype(int)
        if groups is None:
            splits = StratifiedKFold(n_splits=self.cv, shuffle=True, random_state=self.random_state).split(
                np.zeros(len(target)), target)
        else:
            splits = StratifiedGroupKFold(n_splits=self.cv, shuffle=True, random_state=self.random_state).split(
                np.zeros(len(target)), target, np.asarray(groups))
        oof = np.zeros((len(target), 2))
        for train, test in splits:
            for j, model in enumerate((self.first, self.second)):
                fitted = clone(model).fit(_rows(X, train), target[train])
                oof[test, j] = fitted.predict_proba(_rows(X, test))[:, 1]
        self.oof_auc_ = {float(w): float(roc_auc_score(target, w * oof[:, 0] + (1 - w) * oof[:, 1]))
                         for w in self.weights}
        best = max(self.oof_auc_.values())
        self.weight_ = max(w for w, auc in self.oof_auc_.items() if auc >= best - 1e-12)
        blended = self.weight_ * oof[:, 0] + (1 - self.weight_) * oof[:, 1]
        if self.method == "isotonic":
            self.calibrator_ = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(blended, target)
        else:
            self.calibrator_ = LogisticRegression(C=1e6).fit(_logit(blended)[:, None], target)
        self.oof_proba_ = self._calibrated(blended)
        # A zero weight still refits both: the artifact and the reasons then never depend on which won.
        self.first_ = clone(self.first).fit(X, target)
        self.second_ = clone(self.second).fit(X, target)
        return self

    def predict_proba(self, X: object) -> np.ndarray:
        """Calibrated probabilities of both classes.

        Raises
        ------
        NotFittedError
            The blend was not fitted.
        """
        check_is_fitted(self, "calibrator_")
        score = np.zeros(_len(X))
        if self.weight_ > 0:
            score += self.weight_ * self.first_.predict_proba(X)[:, 1]
        if self.weight_ < 1:
            score += (1 - self.weight_) * self.second_.predict_proba(X)[:, 1]
        p = self._calibrated(score)
        return np.column_stack([1 - p, p])

    def _calibrated(self, score: np.ndarray) -> np.ndarray:
        """The calibrated probability of blended scores, within [0, 1]."""
        if self.method == "isotonic":
            p = self.calibrator_.predict(score)
        else:
            p = self.calibrator_.predict_proba(_logit(score)[:, None])[:, 1]
        clipped: np.ndarray = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
        return clipped

    def predict(self, X: object) -> np.ndarray:
        """The more probable class of each row.

        Raises
        ------
        NotFittedError
            The blend was not fitted.
        """
        labels: np.ndarray = self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]
        return labels


def _rows(X: object, index: np.ndarray) -> object:
    return X.iloc[index] if hasattr(X, "iloc") else np.asarray(X)[index]


def _len(X: object) -> int:
    return X.shape[0] if hasattr(X, "shape") else len(X)  # type: ignore[arg-type]
