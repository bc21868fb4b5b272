"""Grades A–D from score cut-offs, and the score trend from the score history.

A grade only groups scores into four buckets (as in Dynamics): the admin may set the cut-offs; the
default places them at the quartiles of the scores the model gives to the *positive* training
records, so an A record scores like the best quarter of the records that did convert, and a D
record scores below three quarters of them.

The trend compares a record's latest score with its previous one (an earlier day of
``osi_scorehistory``): a change within the dead-band is Steady, so a one-point wobble is not news.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from connector import schema
from connector.errors import ConfigurationError, InsightError

GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class GradeCutoffs:
    """Minimum scores of grades A, B and C (D is everything below ``c``).

    Raises:
        ConfigurationError: the cut-offs are not ``0 <= c < b < a <= 100``.
    """

    a: int
    b: int
    c: int

    def __post_init__(self) -> None:
        if not (0 <= self.c < self.b < self.a <= 100):
            raise ConfigurationError(
                [f"grade cut-offs must satisfy 0 <= C < B < A <= 100, got A={self.a}, B={self.b}, C={self.c}"]
            )

    @classmethod
    def from_positive_scores(cls, scores: np.ndarray) -> GradeCutoffs:
        """Default cut-offs: upper quartile, median and lower quartile of the positives' scores.

        Ties are pulled apart so the four grades stay distinct (A at least 3, C at least 0).

        Args:
            scores: the 0–100 scores of positive training records.

        Raises:
            InsightError: ``scores`` is empty.
        """
        if len(scores) == 0:
            raise InsightError("no positive records to set default grade cut-offs from")
        q75, q50, q25 = (int(round(float(np.quantile(scores, q)))) for q in (0.75, 0.5, 0.25))
        a = min(100, max(q75, 3))
        b = min(a - 1, max(q50, 2))
        c = min(b - 1, max(q25, 1))
        return cls(a, b, max(c, 0))

    def grade(self, scores: pd.Series | np.ndarray) -> np.ndarray:
        """The grade letter of each score."""
        s = np.asarray(scores, dtype=float)
        return np.select([s >= self.a, s >= self.b, s >= self.c], ["A", "B", "C"], default="D")

    def to_dict(self) -> dict[str, int]:
        """JSON form (stored with the model's metrics)."""
        return {"A": self.a, "B": self.b, "C": self.c}


def grade_option(letter: str) -> int:
    """The ``osi_grade`` option value of a grade letter.

    Raises:
        KeyError: not a grade letter.
    """
    return schema.GRADE.value(letter)


def grade_summary(scores: np.ndarray, y: np.ndarray, cutoffs: GradeCutoffs) -> dict[str, dict[str, float]]:
    """Per grade: share of records in it and their positive rate (the grading screen's figures)."""
    grades = cutoffs.grade(scores)
    out: dict[str, dict[str, float]] = {}
    for g in GRADES:
        sel = grades == g
        out[g] = {
            "share": round(float(sel.mean()), 4) if len(sel) else 0.0,
            "positive_rate": round(float(np.asarray(y)[sel].mean()), 4) if sel.any() else float("nan"),
        }
    return out


def score_trend(history: pd.DataFrame, *, now: pd.Timestamp, dead_band: float = 5.0,
                window_days: int = 14) -> pd.DataFrame:
    """Trend of every record's score: its score now against its score ``window_days`` earlier.

    The history holds a row each time a record's score or grade changed (one per day at most), so the
    score at a time is the last row at or before it. A record first scored inside the window is compared
    with its first score; a record scored once, inside the window, has not enough history yet.

    Args:
        history: rows of ``osi_scorehistory`` with ``osi_recordid``, ``osi_day`` (date or datetime)
            and ``osi_score``.
        now: only history up to this time counts.
        dead_band: a change smaller than this many points is Steady.
        window_days: how far back the score is compared.

    Returns:
        A frame with ``osi_recordid``, ``osi_scoretrend`` (option value of :data:`schema.TREND`) and
        ``delta`` (score now minus score then, NaN when not enough info).

    Raises:
        InsightError: a required column is missing.
    """
    missing = {"osi_recordid", "osi_day", "osi_score"} - set(history.columns)
    if missing:
        raise InsightError(f"score history lacks columns {sorted(missing)}")
    h = history.loc[:, ["osi_recordid", "osi_day", "osi_score"]].copy()
    h["osi_day"] = pd.to_datetime(h["osi_day"], utc=True, errors="coerce").dt.normalize()
    h["osi_score"] = pd.to_numeric(h["osi_score"], errors="coerce")
    h = h.dropna()
    h = h[h["osi_day"] <= pd.Timestamp(now)]
    # One score per record per day: the last one written that day wins.
    h = h.drop_duplicates(["osi_recordid", "osi_day"], keep="last").sort_values(["osi_recordid", "osi_day"])
    last = h.groupby("osi_recordid").tail(1).set_index("osi_recordid")
    then = h[h["osi_day"] <= pd.Timestamp(now).normalize() - pd.Timedelta(days=window_days)]
    reference = then.groupby("osi_recordid").tail(1).set_index("osi_recordid")["osi_score"]
    first = h.groupby("osi_recordid").head(1).set_index("osi_recordid")
    # First scored inside the window: its first score is the reference, once it has a later one.
    later = first["osi_day"].reindex(last.index) < last["osi_day"]
    reference = reference.reindex(last.index).fillna(first["osi_score"].reindex(last.index).where(later))
    out = last[[]].copy()
    delta = last["osi_score"] - reference
    labels = np.select(
        [delta.isna(), delta >= dead_band, delta <= -dead_band],
        ["Not enough info", "Improving", "Declining"],
        default="Steady",
    )
    out["osi_scoretrend"] = [schema.TREND.value(str(lbl)) for lbl in labels]
    out["delta"] = delta.astype(float)
    return out.reset_index()
