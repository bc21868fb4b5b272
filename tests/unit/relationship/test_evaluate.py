"""``python -m connector analytics evaluate`` on small interaction logs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from connector.cli import main
from connector.insights.relationship.interactions import tied_block_auc


def _write(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    df = pd.DataFrame(rows, columns=["timestamp", "sender", "recipients", "subject"])
    df["cc"] = ""
    df.to_csv(path, index=False)
    return path


def _log(tmp_path: Path, ours: str = "us.example") -> Path:
    rows = []
    for week in range(20):  # a@x.com: a weekly exchange, the customer answers in 2 h, before and after the split
        t = pd.Timestamp("2001-03-01", tz="UTC") + pd.Timedelta(weeks=week)
        rows.append((t.isoformat(), f"me@{ours}", "a@x.com", f"week {week}"))
        rows.append(((t + pd.Timedelta(hours=2)).isoformat(), "a@x.com", f"me@{ours}", f"Re: week {week}"))
    rows.append(("2001-03-02T10:00:00Z", f"me@{ours}", "b@y.com", "hello"))  # b: once, never again
    rows.append(("2001-03-09T10:00:00Z", f"me@{ours}", "b@y.com;a@x.com", "news"))
    return _write(tmp_path / "log.csv", rows)


@pytest.mark.slow
def test_team_protocol(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analytics", "evaluate", "--interactions", str(_log(tmp_path)), "--split-time", "2001-06-01",
                 "--internal-domain", "us.example"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["protocol"] == "team vs customers"
    assert (out["relationships_evaluated"], out["either_way"]["still_communicating"]) == (2, 1)
    # a@x.com answers every week after the split: it still writes, and both ways; b@y.com never again.
    assert out["both_ways"]["still_communicating"] == 1
    # b@y.com only ever received our e-mails: one-way, and it does not write again.
    assert out["one_way"] == 1 and out["either_way"]["still_communicating_one_way"] == 0
    assert out["median_first_response_hours"]["customer"] == pytest.approx(2.0)
    for target in ("either_way", "both_ways"):
        assert out[target]["health_auc"] == 1.0
        assert out[target]["message_count_90d_auc"] == 1.0 and out[target]["recency_auc"] == 1.0
    assert out["model"]["kind"] == "default" and "examples" in out["model"]["note"]  # two contacts: too few
    # 14 weekly questions before the split were answered; "hello" and "news" never were.
    assert out["reply_rate"]["customer"] == pytest.approx(14 / 16)


def test_pairs_protocol_and_bad_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = _log(tmp_path, ours="x.com")  # everyone in one company: pairs
    assert main(["analytics", "evaluate", "--interactions", str(log), "--split-time", "2001-06-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["protocol"] == "pairs"
    # me–a and a–b... only pairs whose both members appear after the split are evaluated: me–a.
    assert out["relationships_evaluated"] == 1
    assert out["one_way"] == 0  # me and a both wrote
    code = main(["analytics", "evaluate", "--interactions", str(log), "--split-time", "2001-06-01",
                 "--setting", "influence_email=3"])
    assert code == 2
    assert "relationship.influence_email" in capsys.readouterr().err


def test_tied_block_auc_is_the_best_place_for_the_tied_rows() -> None:
    label = pd.Series([1, 0, 1, 0])
    score = pd.Series([4.0, 1.0, 100.0, 0.0])  # the tied rows' own values are ignored
    block = pd.Series([False, False, True, True])
    # Tied between 1 and 4: 4 > 1, 4 > c, c > 1, and the tied pair counts a half: 3.5 of 4.
    assert tied_block_auc(label, score, block) == 0.875
    assert tied_block_auc(label, score, pd.Series([False] * 4)) == 1.0
    assert tied_block_auc(pd.Series([1, 1]), pd.Series([1.0, 2.0]), pd.Series([False, True])) is None
