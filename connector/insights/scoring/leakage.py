"""The leakage guard: refuse any single feature that alone predicts the label almost perfectly.

A field filled in *because* a lead was qualified (a sales tag, a "lead quality" judged after the call,
the last activity logged at close) makes a model look excellent and useless: at scoring time, on an
open record, the field is not filled yet. No honest single attribute of an open record separates
the outcomes almost perfectly, so such a feature is treated as a leak, dropped, and named.

Two tests, both on training rows only:

- single-feature AUC: the feature's values (numbers as they are; categories replaced by their
  smoothed positive rate) rank the records; an AUC at or above ``max_auc`` is a leak;
- pure categories: values whose outcome is at least ``max_purity`` one-sided (each seen at least 30
  times) that together cover at least ``min_share`` of the records (for example sales tags such as
  "Will revert after reading the email", 97 % converted, and "Ringing", 97 % not converted).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from connector.insights.scoring.features import FeatureSet


@dataclass(frozen=True)
class LeakFinding:
    """One feature the guard refused.

    Attributes:
        feature: the column.
        auc: its single-feature AUC on the training rows.
        detail: a human sentence saying why it was refused.
    """

    feature: str
    auc: float
    detail: str


def single_feature_auc(values: pd.Series, y: np.ndarray, *, categorical: bool) -> float:
    """AUC of one feature used alone as a score (direction-free: ``max(auc, 1 - auc)``).

    Missing values form their own group: missing numbers rank below or above all values (the better
    of the two), a missing category is a category.

    Args:
        values: the feature on the training rows.
        y: 0/1 labels aligned with ``values``.
        categorical: whether ``values`` is categorical.

    Returns:
        The AUC in [0.5, 1], or 0.5 when ``y`` has a single class.
    """
    if len(np.unique(y)) < 2:
        return 0.5
    prior = float(y.mean())
    if categorical:
        keys = values.astype(object).where(values.notna(), "\0missing")
    else:
        numbers = pd.to_numeric(values, errors="coerce").astype(float)
        if numbers.notna().all():
            auc = float(roc_auc_score(y, numbers.to_numpy()))
            return max(auc, 1.0 - auc)
        # Missing numbers rank below or above every value, whichever separates better, so that
        # "filled only for converted leads" is seen as the leak it is.
        ranks = numbers.rank(pct=True)
        return max(_auc_with(ranks.fillna(-1.0), y), _auc_with(ranks.fillna(2.0), y))
    frame = pd.DataFrame({"k": keys.to_numpy(), "y": y})
    stats = frame.groupby("k", sort=False)["y"].agg(["sum", "count"])
    rate = (stats["sum"] + prior) / (stats["count"] + 1.0)
    score = frame["k"].map(rate).to_numpy(dtype=float)
    return _auc_with(pd.Series(score), y)


def _auc_with(score: pd.Series, y: np.ndarray) -> float:
    auc = float(roc_auc_score(y, score.to_numpy(dtype=float)))
    return max(auc, 1.0 - auc)


def find_leaks(
    x: pd.DataFrame,
    y: np.ndarray,
    features: FeatureSet,
    *,
    max_auc: float = 0.97,
    max_purity: float = 0.95,
    min_share: float = 0.3,
) -> list[LeakFinding]:
    """The features that alone predict the label almost perfectly.

    Args:
        x: the featurised training rows (see :func:`~connector.insights.scoring.features.featurise`).
        y: their 0/1 labels.
        features: the feature set ``x`` was built with.
        max_auc: single-feature AUC at or above which a feature is a leak.
        max_purity: outcome purity at or above which a category counts as deciding the outcome.
        min_share: share of the records the deciding categories must cover together.

    Returns:
        One :class:`LeakFinding` per refused feature, strongest first.
    """
    findings: list[LeakFinding] = []
    n = len(y)
    if n == 0 or len(np.unique(y)) < 2:
        return findings
    for col in features.columns:
        is_cat = col in features.categorical
        auc = single_feature_auc(x[col], y, categorical=is_cat)
        if auc >= max_auc:
            findings.append(LeakFinding(col, auc, f"alone it ranks outcomes with AUC {auc:.3f} (limit {max_auc})"))
            continue
        if is_cat:
            leak = _pure_category(x[col], y, max_purity=max_purity, min_share=min_share)
            if leak is not None:
                findings.append(LeakFinding(col, auc, leak))
    return sorted(findings, key=lambda f: -f.auc)


def _pure_category(values: pd.Series, y: np.ndarray, *, max_purity: float, min_share: float) -> str | None:
    """A sentence when near-pure values (each >= 30 records) together decide ``min_share`` of the records."""
    frame = pd.DataFrame({"k": values.astype(object).to_numpy(), "y": y}).dropna()
    if frame.empty:
        return None
    stats = frame.groupby("k", sort=False)["y"].agg(["mean", "count"])
    purity = np.maximum(stats["mean"], 1.0 - stats["mean"])
    pure = stats[(purity >= max_purity) & (stats["count"] >= 30)].sort_values("count", ascending=False)
    share = float(pure["count"].sum()) / len(y)
    if share < min_share:
        return None
    examples = ", ".join(repr(str(v)[:40]) for v in pure.index[:3])
    return (f"values that are at least {max_purity:.0%} one outcome ({examples}) decide {share:.0%} "
            f"of the records")
