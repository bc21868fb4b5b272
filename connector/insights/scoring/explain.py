"""Per-record reasons: faithful contributions, human sentences and evidence.

A reason's weight is *measured*, not assumed: the record is scored again with that one feature set
to its neutral value (the training mode for a category, the training median for a number), and the
score change is the feature's contribution. A positive reason is one whose neutralisation lowers
the score; a negative reason raises it. So every reason shown is true of the model that produced
the score, whatever the model is (boosted trees, naive Bayes, a future model).

Evidence comes from the training records, with Dynamics' formulas: the positive rate of the
record's value (or of its number range) against the overall rate, e.g. "64 % of leads with Lead
Source = Web were qualified, vs 38 % overall" — and it must say what the contribution says: when
the record's group converts above average but the model (through the other columns) takes points
off for this value, the sentence compares with the records at the neutral value instead, or is
left out. A reason never tells the seller one thing and shows evidence of the opposite.
"""


from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from connector.insights.scoring.features import FeatureSet
from connector.insights.scoring.wording import (
    MISSING_TEXT,
    Vocabulary,
    Wording,
    category_text,
    english,
    number_text,
)

MIN_IMPACT = 0.001
"""Contributions smaller than this probability (0.1 point) are not worth a reason."""

TOP_N = 5

__all__ = ["Evidence", "Vocabulary", "Wording", "build_evidence", "contributions", "facts", "influence",
           "neutral_values", "reasons_for", "sentence"]


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
        seen = values[present]
        # Whole-number columns (counts) get whole-number edges: "below 5", never "below 4.8".
        method = "higher" if len(seen) and np.all(seen == np.round(seen)) else "linear"
        edges = np.unique(np.quantile(seen, qs, method=method)) if len(seen) else np.array([])  # type: ignore[call-overload]
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


MIN_GAP_POINTS = 1
"""An evidence sentence is shown only when the two rates it compares differ by at least this many
whole percentage points in the direction of the reason ("53 % vs 53 %" explains nothing)."""


def _group(col: str, value: Any, features: FeatureSet, evidence: Evidence,
           wording: Wording) -> dict[str, Any]:
    """The training group a value falls in: its rate, count, English ``where`` and structured range."""
    label = wording.label(col)
    if col in features.categorical:
        rate, count = evidence.categories.get(col, {}).get(str(value), (math.nan, 0))
        return {"rate": rate, "count": count, "where": f"{label} = {category_text(value)}", "range": None,
                "key": ("c", str(value))}
    number = math.nan if value is None or pd.isna(value) else float(value)
    edges, rates = evidence.bins.get(col, ()), evidence.bin_rates.get(col, ())
    if not rates:
        return {"rate": math.nan, "count": 0, "where": "", "range": None, "key": None}
    unit = wording.unit(col)
    where: dict[str, Any]
    if math.isnan(number):
        (rate, count), where = rates[-1], {"op": "missing"}
        text = f"{label} = {MISSING_TEXT.get(wording.missing(col), 'empty')}"
        return {"rate": rate, "count": count, "where": text, "range": where, "key": ("m",)}
    b = int(np.searchsorted(np.asarray(edges), number, side="right"))
    rate, count = rates[b]
    if not edges:
        where, text = {"op": "any"}, f"any {label}"
    elif b == 0:
        where, text = {"op": "below", "hi": edges[0]}, f"{label} below {number_text(edges[0], unit)}"
    elif b == len(edges):
        where, text = {"op": "at_least", "lo": edges[-1]}, f"{label} of {number_text(edges[-1], unit)} or more"
    else:
        where = {"op": "between", "lo": edges[b - 1], "hi": edges[b]}
        text = f"{label} from {number_text(edges[b - 1], unit)} to under {number_text(edges[b], unit)}"
    return {"rate": rate, "count": count, "where": text, "range": where, "key": ("b", b)}


def _agrees(sign: float, rate: float, other: float) -> bool:
    if math.isnan(rate) or math.isnan(other):
        return False
    return sign * (round(100 * rate) - round(100 * other)) >= MIN_GAP_POINTS


def facts(col: str, value: Any, features: FeatureSet, evidence: Evidence, wording: Wording,
          neutral: Any = None, impact: float = 0.0) -> dict[str, Any]:
    """The numbers behind one reason, so a panel can word it in the seller's language.

    The evidence is chosen to say what the measured contribution ``impact`` says: the record's
    group against every closed record when that comparison points the same way, else against the
    records at the neutral value when that one does, else no evidence (``compare`` None).

    Keys: ``kind`` (``category`` or ``number``), ``label`` (English display label), ``value`` (a
    category as shown, a number unrounded or None), ``shown`` (English, rounded, with its unit),
    ``unit`` (numbers), ``missing`` (code of what a missing number means: ``never``,
    ``never_answered`` or ``empty``), ``rate`` and ``count`` (outcome rate and closed records of the
    record's group), ``overall``, ``range`` (numbers: ``{"op": "missing" | "any" | "below" |
    "at_least" | "between", "lo", "hi"}``), ``where`` (English), ``compare`` (``overall``,
    ``typical`` or None) and, with ``typical``, ``reference_rate``, ``reference_where``,
    ``reference_value`` and ``reference_range``.
    """
    label = wording.label(col)
    mine = _group(col, value, features, evidence, wording)
    out: dict[str, Any] = {"label": label, "overall": _rate(evidence.overall), "rate": _rate(mine["rate"]),
                           "count": mine["count"], "where": mine["where"], "range": mine["range"]}
    if col in features.categorical:
        out.update(kind="category", value=category_text(value), shown=category_text(value))
    else:
        number = None if value is None or pd.isna(value) else float(value)
        unit = wording.unit(col)
        missing = wording.missing(col)
        out.update(kind="number", value=number, unit=unit, missing=missing,
                   shown=MISSING_TEXT.get(missing, "empty") if number is None else number_text(number, unit))
    sign = 1.0 if impact > 0 else -1.0
    out["compare"] = None
    if mine["count"] and _agrees(sign, mine["rate"], evidence.overall):
        out["compare"] = "overall"
    elif neutral is not None and mine["count"]:
        ref = _group(col, neutral, features, evidence, wording)
        if ref["count"] and ref["key"] != mine["key"] and _agrees(sign, mine["rate"], ref["rate"]):
            out.update(compare="typical", reference_rate=_rate(ref["rate"]), reference_where=ref["where"],
                       reference_range=ref["range"], reference_value=None if ref["range"] is not None
                       else category_text(neutral))
    return out


def _rate(rate: float) -> float | None:
    # Unrounded, so the English sentence and a translated one show the same percentage.
    return None if math.isnan(rate) else float(rate)


def sentence(col: str, value: Any, features: FeatureSet, evidence: Evidence, wording: Wording,
             neutral: Any = None, impact: float = 0.0) -> tuple[str, str]:
    """``(reason, evidence)`` sentences in English for one feature value of one record (see :func:`facts`)."""
    return english(facts(col, value, features, evidence, wording, neutral, impact), wording)


def reasons_for(x: pd.DataFrame, deltas: np.ndarray, features: FeatureSet, evidence: Evidence,
                wording: Wording, neutral: Mapping[str, Any], *,
                top_n: int = TOP_N) -> list[dict[str, list[dict[str, Any]]]]:
    """Top positive and negative reasons of every record, as JSON-ready dicts.

    A missing value of a column that ignores empty values is never a reason (it carries no
    information by the admin's choice). Ties in impact go to the earlier feature (column order), and
    a reason whose sentence repeats one already listed for the record is left out.

    Returns:
        One ``{"positive": [...], "negative": [...]}`` per row of ``x``; each reason has ``feature``,
        ``value``, ``impact`` (score points; positive raises the score), ``text``, ``evidence`` and ``facts``.
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
        order = np.argsort(-row, kind="stable")
        seen: set[str] = set()
        lists: dict[str, list[dict[str, Any]]] = {"positive": [], "negative": []}
        for key, candidates in (("positive", [j for j in order if row[j] >= MIN_IMPACT]),
                                ("negative", [j for j in np.argsort(row, kind="stable") if row[j] <= -MIN_IMPACT])):
            for j in candidates:
                if len(lists[key]) == top_n:
                    break
                reason = _reason(cols[j], values[i, j], row[j], features, evidence, wording, neutral)
                if reason["text"] not in seen:
                    seen.add(reason["text"])
                    lists[key].append(reason)
        out.append(lists)
    return out


def _reason(col: str, value: Any, delta: float, features: FeatureSet, evidence: Evidence,
            wording: Wording, neutral: Mapping[str, Any]) -> dict[str, Any]:
    numbers = facts(col, value, features, evidence, wording, neutral.get(col), impact=float(delta))
    text, ev = english(numbers, wording)
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
