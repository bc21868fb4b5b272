from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from connector import schema
from connector.errors import ConfigurationError, InsightError
from connector.insights.scoring import GradeCutoffs, score_trend
from connector.insights.scoring.grades import grade_option, grade_summary

NOW = pd.Timestamp("2026-01-10T12:00:00Z")


@pytest.mark.parametrize(("score", "grade"), [(100, "A"), (60, "A"), (59, "B"), (30, "B"), (29, "C"), (20, "C"),
                                              (19, "D"), (0, "D")])
def test_admin_cutoffs_bucket_scores(score: int, grade: str) -> None:
    # The example of the Dynamics grading screen: A 100-60, B 59-30, C 29-20, D 19-0.
    assert GradeCutoffs(60, 30, 20).grade(np.array([score])).tolist() == [grade]


@pytest.mark.parametrize("bad", [(30, 30, 10), (50, 20, 30), (101, 50, 10), (50, 20, -1)])
def test_invalid_cutoffs_are_refused(bad: tuple[int, int, int]) -> None:
    with pytest.raises(ConfigurationError, match="grade cut-offs"):
        GradeCutoffs(*bad)


def test_default_cutoffs_are_the_quartiles_of_positive_scores() -> None:
    cut = GradeCutoffs.from_positive_scores(np.arange(0, 101))
    assert (cut.a, cut.b, cut.c) == (75, 50, 25)
    # Degenerate distributions still give four distinct, ordered grades.
    tied = GradeCutoffs.from_positive_scores(np.full(50, 90))
    assert tied.a == 90 and tied.c < tied.b < tied.a
    low = GradeCutoffs.from_positive_scores(np.zeros(10))
    assert 0 <= low.c < low.b < low.a
    with pytest.raises(InsightError):
        GradeCutoffs.from_positive_scores(np.array([]))


def test_grade_option_values_and_summary() -> None:
    assert grade_option("A") == schema.GRADE.value("A") and grade_option("D") == schema.GRADE.value("D")
    summary = grade_summary(np.array([90, 80, 40, 10]), np.array([1, 1, 0, 0]), GradeCutoffs(75, 50, 25))
    assert summary["A"] == {"share": 0.5, "positive_rate": 1.0}
    assert summary["D"] == {"share": 0.25, "positive_rate": 0.0}


def _history(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["osi_recordid", "osi_day", "osi_score"])


def test_trend_compares_the_score_now_with_the_score_two_weeks_earlier() -> None:
    # The history holds a row each time a score changed (NOW is 2026-01-10).
    history = _history([
        ("up", "2025-12-01", 40), ("up", "2026-01-05", 55),
        ("down", "2025-12-01", 65), ("down", "2026-01-09", 45),
        ("flat", "2025-12-01", 50), ("flat", "2026-01-09", 54),
        ("edge", "2025-12-01", 50), ("edge", "2026-01-09", 55),
        ("once", "2026-01-09", 70),
        ("long ago", "2025-10-01", 20),
        ("new", "2026-01-02", 40), ("new", "2026-01-08", 60),
        ("settled", "2025-12-01", 20), ("settled", "2025-12-20", 80),
        ("future", "2026-01-09", 50), ("future", "2026-02-01", 90),
        ("sameday", "2025-12-01", 10), ("sameday", "2026-01-09", 30), ("sameday", "2026-01-09", 12),
    ])
    out = score_trend(history, now=NOW).set_index("osi_recordid")
    label = {rid: schema.TREND.label(v) for rid, v in out["osi_scoretrend"].items()}
    assert label == {
        "up": "Improving", "down": "Declining", "flat": "Steady", "edge": "Improving", "once": "Not enough info",
        "long ago": "Steady", "new": "Improving", "settled": "Steady", "future": "Not enough info",
        "sameday": "Steady",
    }
    assert out.loc["down", "delta"] == -20


def test_trend_requires_the_history_columns() -> None:
    with pytest.raises(InsightError, match="osi_score"):
        score_trend(pd.DataFrame({"osi_recordid": [], "osi_day": []}), now=NOW)



def _staged_deals(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Closed records given once per stage they passed (three rows each, the same attributes): the outcome depends
    on two numbers and a category, six more numbers are noise a booster can learn records by."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8))
    kind = rng.choice(list("abcdefgh"), n)
    logit = 1.2 * x[:, 0] - 0.8 * x[:, 1] + np.where(np.isin(kind, ["a", "b"]), 0.8, 0.0)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    created = NOW - pd.to_timedelta(rng.integers(30, 700, n), unit="D")
    deals = pd.DataFrame({"dealid": [f"d{i}" for i in range(n)], "kind": kind, "createdon": created,
                          "closedon": created + pd.to_timedelta(rng.integers(5, 60, n), unit="D"),
                          **{f"x{j}": x[:, j] for j in range(8)}})
    rows = pd.concat([deals.assign(stage=f"stage {k}") for k in range(3)], ignore_index=True)
    return rows, np.tile(y, 3)


def test_default_cutoffs_come_from_scores_of_records_the_model_did_not_see() -> None:
    # A booster's scores of its own training rows (a record's other stage rows included) sit above what it gives
    # new records: cut-offs read from them graded most open opportunities D. The default cut-offs are the
    # quartiles of the won rows' out-of-fold scores, which are how the model scores records it has not seen.
    from connector.insights.scoring import Columns, ScoringEstimator

    rows, y = _staged_deals(300, seed=0)
    columns = Columns(id="dealid", time="closedon", created="createdon", closed="closedon", group="dealid")
    model = ScoringEstimator(entity="opportunity", columns=columns).fit(rows, y, now=NOW).model_
    assert model.metrics["grades"]["scores"] == "out of fold"
    unseen = np.clip(np.round(100 * model.estimator.named_steps["model"].oof_proba_), 0, 100)
    assert model.cutoffs == GradeCutoffs.from_positive_scores(unseen[y == 1])
    # The grading screen's figures come from the same unseen scores: A converts more often than D.
    summary = model.metrics["grades"]["summary"]
    assert summary["A"]["positive_rate"] > summary["D"]["positive_rate"]
