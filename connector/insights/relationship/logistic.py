"""Sign-constrained logistic regression and its translation into integer points (pure numpy/scipy).

The fit minimises the mean log-loss plus ``l2/2·‖β‖²`` with every indicator weight held to its sign
(``+`` indicators ≥ 0, ``−`` indicators ≤ 0; L-BFGS-B bounds), so no amount of a good signal lowers the
score and no amount of a bad one raises it. The weights become integer points whose component maxima add
up to 100 (:mod:`.model`), and the integer score is calibrated again by a one-variable logistic fit, so
the stored probability is that of the displayed number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from connector.insights.relationship.model import largest_remainder

L2 = 0.002
"""Ridge strength per example; chosen on the Enron splits up to 2001-03-01 and demo seed 7 (S)."""


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1 / (1 + np.exp(-np.clip(z, -35, 35))), dtype=float)


def fit_signed(x: np.ndarray, y: np.ndarray, signs: Sequence[int], l2: float | None = None) -> tuple[float, np.ndarray]:
    """Intercept and weights of a logistic regression whose weight ``j`` has the sign ``signs[j]`` (or is 0).

    Args:
        x: examples × indicators (0/1).
        y: 0/1 labels.
        signs: +1 or −1 per indicator.
        l2: ridge strength (the intercept is not penalised; default :data:`L2`).
    """
    l2 = L2 if l2 is None else l2
    xf = x.astype(np.float64)
    yf = y.astype(np.float64)
    n, k = xf.shape
    prior = min(max(yf.mean(), 1e-3), 1 - 1e-3)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = theta[0] + xf @ theta[1:]
        p = _sigmoid(z)
        eps = 1e-12
        value = -np.mean(yf * np.log(p + eps) + (1 - yf) * np.log(1 - p + eps)) + l2 / 2 * theta[1:] @ theta[1:]
        g = p - yf
        grad = np.concatenate([[g.mean()], xf.T @ g / n + l2 * theta[1:]])
        return float(value), grad

    bounds = [(None, None)] + [(0.0, None) if sg > 0 else (None, 0.0) for sg in signs]
    start = np.zeros(k + 1)
    start[0] = math.log(prior / (1 - prior))
    # One BLAS thread: these products are small, and threads fighting over shared cores cost 5x here.
    with threadpool_limits(limits=1, user_api="blas"):
        res = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 500})
    return float(res.x[0]), np.asarray(res.x[1:], dtype=float)


def to_points(intercept: float, weights: np.ndarray) -> list[int] | None:
    """Signed integer points whose magnitudes add up to 100 (None when every weight is 0)."""
    magnitude = np.abs(weights)
    if magnitude.sum() < 1e-6:
        return None
    ints = largest_remainder(magnitude.tolist(), 100)
    return [int(m) if w >= 0 else -int(m) for m, w in zip(ints, weights, strict=True)]


def integer_scores(x: np.ndarray, points: Sequence[int]) -> np.ndarray:
    """The 0–100 score of each row (see :func:`model.score`)."""
    p = np.asarray(points, dtype=np.int64)
    pos = np.clip(p, 0, None)
    neg = np.clip(-p, 0, None)
    return (x.astype(np.int64) @ pos + (1 - x.astype(np.int64)) @ neg).clip(0, 100)


def calibrate(score: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``(a, b)`` with ``P(y) = sigmoid(a + b·score)``, ``b ≥ 0``: the probability of a displayed score."""
    a, w = fit_signed(score.reshape(-1, 1) / 100.0, y, [1], l2=0.0)
    return a, float(w[0]) / 100.0


def cut_off(a: float, b: float, probability: float) -> int:
    """The lowest integer score whose calibrated probability reaches ``probability`` (101: none does)."""
    target = math.log(probability / (1 - probability))
    if b <= 1e-12:
        return 0 if a >= target else 101
    return int(min(max(math.ceil((target - a) / b - 1e-9), 0), 101))


def auc(y: np.ndarray, score: np.ndarray) -> float | None:
    """ROC AUC (None with a single class), rounded to 4 places."""
    ok = ~np.isnan(score.astype(float))
    if ok.sum() == 0 or len(set(y[ok].tolist())) < 2:
        return None
    return round(float(roc_auc_score(y[ok], score[ok])), 4)
