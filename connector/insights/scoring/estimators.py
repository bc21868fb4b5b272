# ruff: noqa: N803, N806  -- scikit-learn names the data matrix ``X``.
"""Small scikit-learn estimators of our own: a smoothed naive Bayes scorer and a NaN-keeping binner.

Both follow the scikit-learn contract (``__init__`` only stores hyperparameters, ``fit`` returns
``self``, learned state ends in ``_``, public validation helpers only), so they compose in a
:class:`~sklearn.pipeline.Pipeline` and can be checked with ``parametrize_with_checks``.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.utils import Tags
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data


# sklearn ships no type information, so its bases are Any to mypy; subclassing them is the sklearn contract.
class NaiveBayesScorer(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Naive Bayes over coded values with additive smoothing and a Beta prior on the class rate.

    Every column is treated as categorical: each distinct value seen in ``fit`` is a category. A
    missing (NaN) value, or a value not seen in ``fit``, carries no information and is skipped, which
    is how Odoo's predictive lead scoring treats unset fields.

    Parameters
    ----------
    alpha : float, default=1.0
        Additive (Laplace) smoothing of each value's count per class. Odoo uses 0.1.
    prior_strength : float, default=1.0
        Pseudo-count added to every class when estimating the class prior (a Beta/Dirichlet prior);
        0 gives the raw class rates.
    evidence_scale : float or None, default=1.0
        Multiplies the summed per-column log-likelihoods (1.0 is plain naive Bayes). Naive Bayes
        counts correlated columns as independent evidence, so with twenty columns and a few closed
        records its probabilities pile up at 0 and 1; a scale below 1 shrinks every score towards
        the class prior. None uses ``1 / sqrt(n_features)``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    class_log_prior_ : ndarray of shape (n_classes,)
        Smoothed log prior of each class.
    scale_ : float
        The evidence scale used.
    values_ : list of ndarray
        Sorted distinct values of each column seen in ``fit``.
    value_log_prob_ : list of ndarray of shape (n_classes, n_values_j)
        Smoothed log P(value | class) per column.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [0.0], [1.0], [1.0]])
    >>> NaiveBayesScorer().fit(X, [1, 1, 0, 0]).predict([[0.0]]).tolist()
    [1]
    """

    def __init__(self, alpha: float = 1.0, prior_strength: float = 1.0,
                 evidence_scale: float | None = 1.0) -> None:
        self.alpha = alpha
        self.prior_strength = prior_strength
        self.evidence_scale = evidence_scale

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def fit(self, X: object, y: object) -> NaiveBayesScorer:
        """Count values per class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Coded values; NaN means missing.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : NaiveBayesScorer
            The fitted scorer.

        Raises
        ------
        ValueError
            ``alpha``, ``prior_strength`` or ``evidence_scale`` is negative, or the inputs are malformed.
        """
        if self.alpha < 0 or self.prior_strength < 0 or (self.evidence_scale is not None and self.evidence_scale < 0):
            raise ValueError("alpha, prior_strength and evidence_scale must be >= 0")
        data: np.ndarray
        labels: np.ndarray
        data, labels = validate_data(self, X, y, ensure_all_finite="allow-nan", dtype=np.float64)
        self.scale_ = float(self.evidence_scale) if self.evidence_scale is not None else 1.0 / float(np.sqrt(
            max(1, data.shape[1])))
        check_classification_targets(labels)
        self.classes_, y_idx = np.unique(labels, return_inverse=True)
        k = len(self.classes_)
        class_counts = np.bincount(y_idx, minlength=k).astype(float)
        prior = (class_counts + self.prior_strength) / (class_counts.sum() + k * self.prior_strength)
        self.class_log_prior_ = np.log(np.clip(prior, 1e-12, None))
        self.values_: list[np.ndarray] = []
        self.value_log_prob_: list[np.ndarray] = []
        for j in range(data.shape[1]):
            col = data[:, j]
            seen = ~np.isnan(col)
            values, codes = np.unique(col[seen], return_inverse=True)
            counts = np.zeros((k, len(values)))
            np.add.at(counts, (y_idx[seen], codes), 1.0)
            smoothed = counts + self.alpha
            totals = smoothed.sum(axis=1, keepdims=True)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_prob = np.log(np.clip(smoothed / np.where(totals > 0, totals, 1.0), 1e-12, None))
            self.values_.append(values)
            self.value_log_prob_.append(log_prob)
        return self

    def _joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        evidence = np.zeros((X.shape[0], len(self.class_log_prior_)))
        for j, (values, log_prob) in enumerate(zip(self.values_, self.value_log_prob_, strict=True)):
            if len(values) == 0:
                continue
            col = X[:, j]
            idx = np.clip(np.searchsorted(values, col), 0, len(values) - 1)
            known = ~np.isnan(col) & (values[idx] == col)
            evidence[known] += log_prob[:, idx[known]].T
        joint: np.ndarray = self.class_log_prior_ + self.scale_ * evidence
        return joint

    def predict_proba(self, X: object) -> np.ndarray:
        """Class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Coded values; NaN or unseen values are skipped.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)

        Raises
        ------
        NotFittedError
            The scorer was not fitted.
        """
        check_is_fitted(self)
        data: np.ndarray = validate_data(self, X, reset=False, ensure_all_finite="allow-nan", dtype=np.float64)
        jll = self._joint_log_likelihood(data)
        jll -= jll.max(axis=1, keepdims=True)
        proba = np.exp(jll)
        normalised: np.ndarray = proba / proba.sum(axis=1, keepdims=True)
        return normalised

    def predict(self, X: object) -> np.ndarray:
        """The most probable class of each row.

        Raises
        ------
        NotFittedError
            The scorer was not fitted.
        """
        proba = self.predict_proba(X)
        labels: np.ndarray = self.classes_[np.argmax(proba, axis=1)]
        return labels


class QuantileBinner(TransformerMixin, BaseEstimator):  # type: ignore[misc]  # untyped sklearn bases, as above
    """Replace each number by the index of its quantile bin, keeping NaN as NaN.

    Parameters
    ----------
    n_bins : int, default=5
        Largest number of bins per column (fewer when values repeat).

    Attributes
    ----------
    edges_ : list of ndarray
        Inner bin edges of each column.
    n_features_in_ : int
        Number of columns seen in ``fit``.
    """

    def __init__(self, n_bins: int = 5) -> None:
        self.n_bins = n_bins

    def __sklearn_tags__(self) -> Tags:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def fit(self, X: object, y: object = None) -> QuantileBinner:
        """Learn the quantile edges of every column.

        Raises
        ------
        ValueError
            ``n_bins`` is below 2, or the input is malformed.
        """
        if self.n_bins < 2:
            raise ValueError("n_bins must be >= 2")
        data: np.ndarray = validate_data(self, X, ensure_all_finite="allow-nan", dtype=np.float64)
        qs = np.linspace(0, 1, self.n_bins + 1)[1:-1]
        self.edges_: list[np.ndarray] = []
        for j in range(data.shape[1]):
            col = data[:, j]
            col = col[~np.isnan(col)]
            self.edges_.append(np.unique(np.quantile(col, qs)) if len(col) else np.array([]))
        return self

    def transform(self, X: object) -> np.ndarray:
        """Bin indices (float, NaN kept).

        Raises
        ------
        NotFittedError
            The binner was not fitted.
        """
        check_is_fitted(self)
        data: np.ndarray = validate_data(self, X, reset=False, ensure_all_finite="allow-nan", dtype=np.float64)
        out = np.empty_like(data)
        for j, edges in enumerate(self.edges_):
            col = data[:, j]
            out[:, j] = np.where(np.isnan(col), np.nan, np.searchsorted(edges, col, side="right"))
        return out
