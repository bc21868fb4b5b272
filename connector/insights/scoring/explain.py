"""Per-record reasons: faithful contributions, human sentences and evidence.

A reason's weight is *measured*, not assumed: the record is scored again with that one feature set
to its neutral value (the training mode for a category, the training median for a number), and the
score change is the feature's contribution. A positive reason is one whose neutralisation lowers
the score; a negative reason raises it. So every reason shown is true of the model that produced
the score, whatever the model is (boosted trees, naive Bayes, a future model).

Evidence comes from the training records, with Dynamics' formulas: the positive rate of the
record's value (or of its number range) against the overall rate, e.g. "64 % of leads with Lead
Source = Web were qualified, vs 38 % overall".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from connector.insights.scoring.features import BLANK, FeatureSet

MIN_IMPACT = 0.001
"""Contributions smaller than this probability (0.1 point) are not worth a reason."""

TOP_N = 5


@dataclass(frozen=True)
class Evidence:
    """Training statistics behind evidence sentences.

    Attributes:
        overall: positive rate over all training records.
        n: number of training records.
        categories: feature → value → (positive rate, count).
        bins: numeric feature → inner bin edges.
        bin_rates: numeric feature → (positive rate, count) per bin, then one more for missing.
    """

    overall: float
    n: int
    categories: Mapping[str, Mapping[str, tuple[float, int]]]
    bins: Mapping[str, tuple[float, ...]]
    bin_rates: Mapping[str, tuple[tuple[float, int], ...]]


def neutral_values(x: pd.DataFrame, features: FeatureSet) -> dict[str, Any]:
    """The neutral value of each feature: mode of a category, median of a number (NaN if none)."""
    out: dict[str, Any] = {}
    for col in features.categorical:
        mode = x[col].dropna().mode()
        out[col] = mode.iloc[0] if len(mode) else np.nan
    for col in features.numeric:
        values = x[col].dropna()
        out[col] = float(values.median()) if len(values) else math.nan
    return out


def build_evidence(x: pd.DataFrame, y: np.ndarray, features: FeatureSet, *, n_bins: int = 5) -> Evidence:
    """Positive rates per category and per quantile range of every feature, on training rows."""
    categories: dict[str, dict[str, tuple[float, int]]] = {}
    bins: dict[str, tuple[float, ...]] = {}
    bin_rates: dict[str, tuple[tuple[float, int], ...]] = {}
    ys = pd.Series(y, index=x.index, dtype=float)
    for col in features.categorical:
        stats = ys.groupby(x[col].astype(object), dropna=True).agg(["mean", "count"])
        categories[col] = {str(k): (float(r["mean"]), int(r["count"])) for k, r in stats.iterrows()}
    for col in features.numeric:
        values = x[col].to_numpy(dtype=float)
        present = ~np.isnan(values)
        qs = np.linspace(0, 1, n_bins + 1)[1:-1]
        edges = np.unique(np.quantile(values[present], qs)) if present.any() else np.array([])
        codes = np.searchsorted(edges, values, side="right")
        rates = []
        for b in range(len(edges) + 1):
            sel = present & (codes == b)
            rates.append((float(y[sel].mean()) if sel.any() else math.nan, int(sel.sum())))
        missing = ~present
        rates.append((float(y[missing].mean()) if missing.any() else math.nan, int(missing.sum())))
        bins[col] = tuple(float(e) for e in edges)
        bin_rates[col] = tuple(rates)
    return Evidence(float(np.mean(y)), len(y), categories, bins, bin_rates)


def _flush(predict: Callable[[pd.DataFrame], np.ndarray], pending: list[tuple[int, np.ndarray, pd.DataFrame]],
           base: np.ndarray, deltas: np.ndarray) -> None:
    if not pending:
        return
    scores = predict(pd.concat([changed for _, _, changed in pending], ignore_index=True))
    start = 0
    for j, differs, changed in pending:
        end = start + len(changed)
        deltas[differs, j] = base[differs] - scores[start:end]
        start = end


def contributions(predict: Callable[[pd.DataFrame], np.ndarray], x: pd.DataFrame,
                  features: FeatureSet, neutral: Mapping[str, Any], *,
                  chunk_rows: int = 200_000) -> tuple[np.ndarray, np.ndarray]:
    """Measured contribution of every feature to every record's probability.

    Args:
        predict: maps a featurised frame to positive-class probabilities.
        x: featurised records.
        features: their feature set.
        neutral: neutral value per feature.
        chunk_rows: how many neutralised rows are predicted per call.

    Returns:
        ``(base, deltas)``: base probabilities (n,) and ``base - probability with the feature
        neutralised`` of shape (n, n_features), in ``features.columns`` order.
    """
    base = predict(x)
    deltas = np.zeros((len(x), len(features.columns)))
    # All neutralised copies are scored together in large chunks: per-call overhead of tree
    # ensembles dominates when the same rows are predicted once per feature.
    pending: list[tuple[int, np.ndarray, pd.DataFrame]] = []
    pending_rows = 0
    for j, col in enumerate(features.columns):
        value = neutral[col]
        current = x[col]
        if pd.isna(value):
            differs = current.notna().to_numpy()
        else:
            differs = (current.isna() | (current != value)).to_numpy()
        # Records already at the neutral value contribute exactly 0: only the others are re-scored.
        if not differs.any():
            continue
        changed = x.loc[differs].copy()
        changed[col] = pd.Series([value] * int(differs.sum()), index=changed.index, dtype=current.dtype)
        pending.append((j, differs, changed))
        pending_rows += len(changed)
        if pending_rows >= chunk_rows:
            _flush(predict, pending, base, deltas)
            pending, pending_rows = [], 0
    _flush(predict, pending, base, deltas)
    return base, deltas


def _fmt(value: float) -> str:
    if math.isnan(value):
        return "empty"
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _pct(rate: float) -> str:
    return "n/a" if math.isnan(rate) else f"{100 * rate:.0f} %"


@dataclass(frozen=True)
class Wording:
    """How sentences name things: record plural, outcome verb and column labels."""

    plural: str = "records"
    outcome: str = "positive"
    labels: Mapping[str, str] | None = None

    def label(self, col: str) -> str:
        """The display label of a column."""
        return (self.labels or {}).get(col, col)


def _shown(value: Any) -> str:
    if value is None or value == BLANK or (isinstance(value, float) and math.isnan(value)):
        return "empty"
    return str(value)[:100]


def facts(col: str, value: Any, features: FeatureSet, evidence: Evidence, wording: Wording,
          neutral: Any = None) -> dict[str, Any]:
    """The numbers behind one reason, so a panel can word it in the seller's language.

    Keys: ``kind`` (``category`` or ``number``), ``label`` (English display label), ``value`` and
    ``neutral`` (as shown), ``rate`` and ``count`` (outcome rate and closed records like this one),
    ``overall`` (outcome rate of all closed records) and, for numbers, ``range``: ``{"op": "missing" |
    "any" | "below" | "at_least" | "between", "lo", "hi"}`` (the training range the value falls in).
    """
    out: dict[str, Any] = {"label": wording.label(col), "overall": _rate(evidence.overall)}
    if col in features.categorical:
        rate, count = evidence.categories.get(col, {}).get(str(value), (math.nan, 0))
        return {**out, "kind": "category", "value": _shown(value),
                "neutral": None if neutral is None else _shown(neutral), "rate": _rate(rate), "count": count}
    number = float(value) if value is not None else math.nan
    out.update(kind="number", value=None if math.isnan(number) else number,
               neutral=None if neutral is None else float(neutral), rate=None, count=0, range=None)
    edges = evidence.bins.get(col, ())
    rates = evidence.bin_rates.get(col, ())
    if not rates:
        return out
    if math.isnan(number):
        (rate, count), where = rates[-1], {"op": "missing"}
    else:
        b = int(np.searchsorted(np.asarray(edges), number, side="right"))
        rate, count = rates[b]
        if not edges:
            where = {"op": "any"}
        elif b == 0:
            where = {"op": "below", "hi": edges[0]}
        elif b == len(edges):
            where = {"op": "at_least", "lo": edges[-1]}
        else:
            where = {"op": "between", "lo": edges[b - 1], "hi": edges[b]}
    return {**out, "rate": _rate(rate), "count": count, "range": where}


def _rate(rate: float) -> float | None:
    # Unrounded, so the English sentence and a translated one show the same percentage.
    return None if math.isnan(rate) else float(rate)


def sentence(col: str, value: Any, features: FeatureSet, evidence: Evidence, wording: Wording,
             neutral: Any = None) -> tuple[str, str]:
    """``(reason, evidence)`` sentences in English for one feature value of one record.

    The reason names what the value was compared with (the neutral value): a contribution is always
    relative to it. The same numbers, for other languages, are :func:`facts`.
    """
    return _english(facts(col, value, features, evidence, wording, neutral), wording)


def _english(f: Mapping[str, Any], wording: Wording) -> tuple[str, str]:
    """The English ``(reason, evidence)`` sentences of a reason's :func:`facts`."""
    label, plural, outcome = f["label"], wording.plural, wording.outcome
    overall = f"vs {_pct(math.nan if f['overall'] is None else f['overall'])} overall"
    rate = math.nan if f["rate"] is None else f["rate"]
    if f["kind"] == "category":
        shown = f["value"]
        reason = f"{label} is {shown}" + (f" (most common: {f['neutral']})" if f["neutral"] is not None else "")
        if f["count"] == 0:
            return reason, f"no closed {plural} had {label} = {shown}"
        return reason, (f"{_pct(rate)} of {plural} with {label} = {shown} were {outcome}, {overall} "
                        f"({f['count']:,} {plural})")
    number = math.nan if f["value"] is None else f["value"]
    typical = f" (typical: {_fmt(f['neutral'])})" if f["neutral"] is not None else ""
    reason = f"{label} is {_fmt(number)}{typical}"
    where = f["range"]
    if where is None:
        return reason, ""
    text = {"missing": f"no {label}", "any": f"any {label}",
            "below": f"{label} below {_fmt(where.get('hi', math.nan))}",
            "at_least": f"{label} of {_fmt(where.get('lo', math.nan))} or more",
            "between": f"{label} from {_fmt(where.get('lo', math.nan))} to under {_fmt(where.get('hi', math.nan))}",
            }[where["op"]]
    if f["count"] == 0:
        return reason, f"no closed {plural} had {text}"
    return reason, f"{plural} with {text} were {outcome} at {_pct(rate)}, {overall}"


def reasons_for(x: pd.DataFrame, deltas: np.ndarray, features: FeatureSet, evidence: Evidence,
                wording: Wording, neutral: Mapping[str, Any], *,
                top_n: int = TOP_N) -> list[dict[str, list[dict[str, Any]]]]:
    """Top positive and negative reasons of every record, as JSON-ready dicts.

    A missing value of a column that ignores empty values is never a reason (it carries no
    information by the admin's choice).

    Returns:
        One ``{"positive": [...], "negative": [...]}`` per row of ``x``; each reason has ``feature``,
        ``value``, ``impact`` (score points; positive raises the score), ``text`` and ``evidence``.
    """
    cols = list(features.columns)
    values = x.to_numpy(dtype=object)
    skip = np.zeros_like(deltas, dtype=bool)
    for j, col in enumerate(cols):
        if col in features.ignore_empty:
            skip[:, j] = pd.isna(x[col]).to_numpy()
    out: list[dict[str, list[dict[str, Any]]]] = []
    for i in range(len(x)):
        row = np.where(skip[i], 0.0, deltas[i])
        order = np.argsort(-row)
        pos = [j for j in order[:top_n] if row[j] >= MIN_IMPACT]
        neg = [j for j in order[::-1][:top_n] if row[j] <= -MIN_IMPACT]
        out.append({
            "positive": [_reason(cols[j], values[i, j], row[j], features, evidence, wording, neutral) for j in pos],
            "negative": [_reason(cols[j], values[i, j], row[j], features, evidence, wording, neutral) for j in neg],
        })
    return out


def _reason(col: str, value: Any, delta: float, features: FeatureSet, evidence: Evidence,
            wording: Wording, neutral: Mapping[str, Any]) -> dict[str, Any]:
    numbers = facts(col, value, features, evidence, wording, neutral.get(col))
    text, ev = _english(numbers, wording)
    if isinstance(value, float) and math.isnan(value):
        shown: Any = None
    elif isinstance(value, np.floating | float):
        shown = float(value)
    else:
        shown = str(value)[:100]
    return {"feature": col, "value": shown, "impact": round(100 * float(delta), 1), "text": text, "evidence": ev,
            "facts": numbers}


def influence(deltas: np.ndarray, features: FeatureSet) -> list[tuple[str, float]]:
    """Features by mean absolute contribution (score points), strongest first."""
    mean_abs = np.abs(deltas).mean(axis=0) * 100 if len(deltas) else np.zeros(len(features.columns))
    return sorted(zip(features.columns, (round(float(v), 2) for v in mean_abs), strict=True), key=lambda t: -t[1])
