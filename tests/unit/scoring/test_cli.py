"""``python -m connector scoring evaluate`` on the fixture CSV.

The command module is registered on its own parser, as ``connector.cli`` does, so these tests do not
depend on the other command modules.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

import pytest

from connector.commands import scoring
from connector.errors import ConfigurationError
from tests.unit.scoring.conftest import DATA


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser()
    scoring.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.handler(args))

CSV = str(DATA / "leads_small.csv")
BASE = ["scoring", "evaluate", "--csv", CSV, "--target", "statecode", "--positive", "1",
        "--time-column", "closedon", "--id-column", "leadid"]


def _run(capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    assert main([*BASE, *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_evaluate_prints_metrics_and_the_baselines(capsys: pytest.CaptureFixture[str]) -> None:
    report = _run(capsys, "--drop", "salesnote")
    for key in ("auc", "accuracy", "precision", "recall", "f1", "threshold", "n_train", "n_test", "model_kind",
                "top_features", "dropped_features", "baselines"):
        assert key in report
    assert (report["n_train"], report["n_test"]) == (320, 80)
    assert report["model_kind"] == "boosted-blend"
    assert set(report["baselines"]) == {"gradient-boosting-raw", "logistic-onehot-raw", "odoo-naive-bayes"}
    assert all(0.5 < b["auc"] <= 1 for b in report["baselines"].values())
    assert 0.5 < report["auc"] <= 1
    assert report["dropped_features"]["salesnote"].startswith("removed")
    assert report["dropped_features"]["statuscode"].startswith("outcome")
    assert report["leaks"] == []
    assert report["top_features"][0]["mean_abs_impact_points"] > 0


def test_evaluate_names_a_leak_that_was_not_dropped(capsys: pytest.CaptureFixture[str]) -> None:
    report = _run(capsys)
    assert [leak["feature"] for leak in report["leaks"]] == ["salesnote"]
    assert report["dropped_features"]["salesnote"].startswith("leakage")


def test_evaluate_cold_start_on_a_sample(capsys: pytest.CaptureFixture[str]) -> None:
    report = _run(capsys, "--drop", "salesnote", "--sample", "40", "--seed", "3")
    assert report["model_kind"] == "bayes-cold-start" and report["low_confidence"] is True
    assert report["n_train"] + report["n_test"] == 40


def test_evaluate_reports_a_missing_column_or_file_as_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="'nope' is not in leads_small.csv"):
        main(["scoring", "evaluate", "--csv", CSV, "--target", "nope", "--positive", "1"])
    with pytest.raises(ConfigurationError, match="cannot read"):
        main(["scoring", "evaluate", "--csv", CSV + ".missing", "--target", "x", "--positive", "1"])
