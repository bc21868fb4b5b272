"""The leakage guard: refuse any single feature that alone predicts the label almost perfectly.

A field filled in *because* a lead was qualified (a sales tag, a "lead quality" judged after the call,
the last activity logged at close) makes a model look excellent and useless: at scoring time, on an
open record, the field is not filled yet. No honest single attribute of an open record separates
the outcomes almost perfectly, so such a feature is treated as a leak, dropped, and named.

Two tests, both on training rows only:

- single-feature AUC: the feature's values (numbers as they are; categories replaced by their
  smoothed positive rate) rank the records; an AUC at or above ``max_auc`` is a leak;
- pure categories: values that (each seen at least 30 times) almost rule one outcome out, judged
  against the base rate, and together cover at least ``min_share`` of the records (for example sales
  tags such as "Will revert after reading the email", 97 % converted, and "Ringing", 97 % not
  converted, where 38 % convert overall). "Almost rules out" is a lift: a value whose positive rate is
  at most ``max_lift`` times the overall positive rate rules positives out (lift 0.08 for "Ringing");
  one whose negative rate is at most ``max_lift`` times the overall negative rate rules negatives out.
  With 5 % positives, a value at 4 % (lift 0.8) is an honest weak signal, not a leak: a raw purity
  threshold ("96 % one outcome") would call it one.
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
    max_lift: float = 0.1,
    min_share: float = 0.3,
) -> list[LeakFinding]:
    """The features that alone predict the label almost perfectly.

    Args:
        x: the featurised training rows (see :func:`~connector.insights.scoring.features.featurise`).
        y: their 0/1 labels.
        features: the feature set ``x`` was built with.
        max_auc: single-feature AUC at or above which a feature is a leak.
        max_lift: a category whose positive (or negative) rate is at most this share of the overall
            positive (or negative) rate counts as deciding the outcome.
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
            leak = _pure_category(x[col], y, max_lift=max_lift, min_share=min_share)
            if leak is not None:
                findings.append(LeakFinding(col, auc, leak))
    return sorted(findings, key=lambda f: (-f.auc, f.feature))


def _pure_category(values: pd.Series, y: np.ndarray, *, max_lift: float, min_share: float) -> str | None:
    """A sentence when values that rule an outcome out (each >= 30 records) decide ``min_share`` of the records."""
    frame = pd.DataFrame({"k": values.astype(object).to_numpy(), "y": y}).dropna()
    if frame.empty:
        return None
    base = float(np.mean(y))
    stats = frame.groupby("k", sort=False)["y"].agg(["mean", "count"])
    lift_pos = stats["mean"] / base
    lift_neg = (1.0 - stats["mean"]) / (1.0 - base)
    lift = np.minimum(lift_pos, lift_neg)
    pure = stats.assign(lift=lift, name=[str(k) for k in stats.index])[(lift <= max_lift) & (stats["count"] >= 30)]
    pure = pure.sort_values(["count", "lift", "name"], ascending=[False, True, True], kind="stable")
    share = float(pure["count"].sum()) / len(y)
    if share < min_share:
        return None
    examples = ", ".join(f"{v[:40]!r} ({100 * r:.0f} % vs {100 * base:.0f} % overall)"
                         for v, r in zip(pure["name"].iloc[:3], pure["mean"].iloc[:3], strict=True))
    return (f"values that almost rule an outcome out (lift {float(pure['lift'].max()):.2f} or less, limit "
            f"{max_lift}): {examples}; they decide {share:.0%} of the records")
