"""The evaluation protocol and the wkw evaluate command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from connector.cli import main
from connector.errors import InsightError
from connector.insights.wkw import evaluate_rankings
from connector.insights.wkw.evaluation import precision_at_k


def test_precision_at_k_counts_ties_at_expected_value() -> None:
    assert precision_at_k(np.array([3.0, 2.0, 1.0]), np.array([1, 0, 1]), k=2) == 0.5
    # Four tied candidates, two positive: any two picked are expected to hold one positive.
    assert precision_at_k(np.array([1.0, 1.0, 1.0, 1.0]), np.array([1, 1, 0, 0]), k=2) == pytest.approx(0.5)
    assert precision_at_k(np.array([5.0, 1.0]), np.array([1, 0]), k=5) == 0.5  # k = min(5, n)
    assert precision_at_k(np.array([]), np.array([]), k=5) == 0.0


def _csv(tmp_path: Path) -> Path:
    rows = []
    start = pd.Timestamp("2024-01-01T00:00:00Z")
    # Ann writes a lot to Old (long ago, then silence) and a little to New (recently, and they go on).
    for d in range(0, 30):
        rows.append((start + pd.Timedelta(days=d), "ann@x.example", "old@y.example"))
    for d in range(170, 180):
        rows.append((start + pd.Timedelta(days=d), "ann@x.example", "new@y.example"))
        rows.append((start + pd.Timedelta(days=d, hours=1), "new@y.example", "ann@x.example"))
    for d in range(182, 200):
        rows.append((start + pd.Timedelta(days=d), "ann@x.example", "new@y.example"))
    frame = pd.DataFrame(rows, columns=["timestamp", "sender", "recipients"]).assign(cc="", subject="s")
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    path = tmp_path / "log.csv"
    frame.to_csv(path, index=False)
    return path


def test_recency_wins_where_counts_mislead(tmp_path: Path) -> None:
    from connector.interactions_csv import read_interactions_csv

    frame, errors = read_interactions_csv(_csv(tmp_path))
    assert not errors
    result = evaluate_rankings(frame, split="2024-07-01")
    assert result["strength"]["auc"] == 1.0 and result["message_count"]["auc"] == 0.0
    assert result["evaluation"]["people"] >= 1
    with pytest.raises(InsightError, match="before the split"):
        evaluate_rankings(frame, split="2000-01-01")


def test_cli_prints_the_promised_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path)
    assert main(["wkw", "evaluate", "--interactions", str(path), "--split-time", "2024-07-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("strength", "message_count"):
        assert set(out[key]) == {"precision_at_5", "auc"}
    assert main(["wkw", "evaluate", "--interactions", str(path), "--split-time", "2024-07-01",
                 "--internal-domain", "x.example"]) == 0
    assert json.loads(capsys.readouterr().out)["evaluation"]["people"] == 1
    assert main(["wkw", "evaluate", "--interactions", str(path), "--split-time", "soon"]) == 2
