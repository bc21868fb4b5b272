"""How well a ranking of someone's contacts predicts whom they will correspond with next.

Protocol (``python -m connector wkw evaluate``):

1. Split the interactions at ``split``. Strengths are computed from the messages strictly before it, with
   ``now = split``; the *message count* baseline (Microsoft's basic mode: frequency only) is the number
   of messages the two exchanged before it, either direction, from the same cleaned interactions
   (automated senders and excluded users removed for both).
2. People: with an internal domain, every internal address; without one, every address (pairs unordered,
   each side sees the other as a contact). A person's *candidates* are the people they interacted with
   before the split.
3. Labels: a candidate is positive when the two exchange at least one message (either direction) in the
   ``horizon_days`` (90) after the split. People with no positive candidate are left out (nothing to predict).
4. Figures, per person then averaged over people: precision@5 (share of the top five that are positive;
   ``k = min(5, candidates)``; ties are counted at their expected value under random order, so a score
   with many ties gains nothing from an arbitrary tie-break) and ROC AUC (people with both positive and
   negative candidates; ties count half).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from connector.errors import InsightError
from connector.insights.wkw.strength import StrengthParams, connection_strengths


def precision_at_k(scores: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    """Expected precision of the top ``min(k, n)`` by score, ties broken uniformly at random."""
    n = len(scores)
    k = min(k, n)
    if k == 0:
        return 0.0
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    hits, remaining, i = 0.0, k, 0
    while i < n and remaining > 0:
        j = i
        while j < n and s[j] == s[i]:
            j += 1
        size, positives = j - i, float(y[i:j].sum())
        take = min(size, remaining)
        hits += positives * take / size
        remaining -= take
        i = j
    return hits / k


def mean(values: list[float]) -> float:
    """The mean rounded to 4 places (NaN for none)."""
    return round(float(np.mean(values)), 4) if values else float("nan")


def _pairs_by_person(pairs: pd.DataFrame, symmetric: bool) -> pd.DataFrame:
    view = pairs.rename(columns={"internal": "person", "external": "contact"})
    if not symmetric:
        return view
    mirrored = pairs.rename(columns={"internal": "contact", "external": "person"})
    return pd.concat([view, mirrored[view.columns]], ignore_index=True)


def _figures_per_person(cand: pd.DataFrame, k: int) -> dict[str, list[float]]:
    """Precision@k (and AUC where both labels occur) per person with a positive candidate."""
    results: dict[str, list[float]] = {"strength_p": [], "count_p": [], "strength_auc": [], "count_auc": []}
    for _, group in cand.groupby("person", sort=True):
        y = group["label"].to_numpy()
        if y.sum() == 0:
            continue
        # The raw score orders pairs the rounded 0-100 strength would tie.
        strength = group["raw"].to_numpy(dtype=float)
        count = group["count"].to_numpy(dtype=float)
        results["strength_p"].append(precision_at_k(strength, y, k))
        results["count_p"].append(precision_at_k(count, y, k))
        if 0 < y.sum() < len(y):
            results["strength_auc"].append(float(roc_auc_score(y, strength)))
            results["count_auc"].append(float(roc_auc_score(y, count)))
    return results


def evaluate_rankings(
    interactions: pd.DataFrame,
    *,
    split: datetime,
    horizon_days: int = 90,
    internal: set[str] | Callable[[str], bool] | None = None,
    excluded_users: Iterable[str] = (),
    k: int = 5,
    **params: float,
) -> dict[str, dict[str, float]]:
    """Precision@k and AUC of our strength and of plain message count, per the module's protocol.

    Returns:
        ``{"strength": {"precision_at_5", "auc"}, "message_count": {...}, "evaluation": {...}}`` where
        ``evaluation`` gives the people and candidate counts behind the figures.

    Raises:
        InsightError: no message before the split, or no person with a future correspondent.
    """
    split_ts = pd.Timestamp(split)
    split_ts = split_ts.tz_localize("UTC") if split_ts.tzinfo is None else split_ts.tz_convert("UTC")
    end = split_ts + timedelta(days=horizon_days)
    times = interactions["timestamp"]
    history = interactions[times < split_ts]
    future = interactions[(times >= split_ts) & (times < end)]
    excluded = list(excluded_users)
    model = StrengthParams.of(params)
    past = connection_strengths(history, now=split_ts, internal=internal, excluded_users=excluded, params=model)
    if past.empty:
        raise InsightError("who knows whom evaluation: no interaction before the split time")
    # The future only says who corresponded; its strengths are not used.
    ahead = connection_strengths(future, now=end, internal=internal, excluded_users=excluded, params=model)
    symmetric = internal is None
    cand = _pairs_by_person(
        past.assign(count=past["email_count"] + past["meeting_count"] + past["call_count"])[
            ["internal", "external", "strength", "raw", "count"]], symmetric)
    later = _pairs_by_person(ahead[["internal", "external"]], symmetric).assign(label=1)
    cand = cand.merge(later.drop_duplicates(), on=["person", "contact"], how="left")
    cand["label"] = cand["label"].fillna(0).astype(int)

    results = _figures_per_person(cand, k)
    people = len(results["strength_p"])
    if not people:
        raise InsightError("who knows whom evaluation: nobody corresponds after the split with a past contact")
    return {
        "strength": {f"precision_at_{k}": mean(results["strength_p"]), "auc": mean(results["strength_auc"])},
        "message_count": {f"precision_at_{k}": mean(results["count_p"]), "auc": mean(results["count_auc"])},
        "evaluation": {
            "split": split_ts.isoformat(), "horizon_days": horizon_days, "people": people,
            "people_with_auc": len(results["strength_auc"]), "candidates": int(len(cand)),
            "positives": int(cand["label"].sum()), "messages_before": int(len(history)),
            "messages_after": int(len(future)),
        },
    }
