"""The talking-points analyze command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connector.cli import main


def test_analyze_text_argument(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["talking-points", "analyze", "My daughter graduated on Saturday!", "--lang", "en"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert [p["topic"] for p in result["talking_points"]] == ["family"]
    assert set(result["talking_points"][0]) >= {"topic", "snippet", "confidence"}


def test_analyze_file_reports_bad_lines_and_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "emails.jsonl"
    src.write_text(
        '{"id": "a", "text": "Quel match hier soir ! J\'étais au stade avec mon fils.", "senton": "2025-01-01"}\n'
        '{"id": "b", "text": 5}\n'
        "not json\n\n"
        '{"id": "c", "text": "The sports equipment order shipped.", "lang": "en"}\n',
        encoding="utf-8",
    )
    assert main(["talking-points", "analyze", "--file", str(src)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in out] == ["a", "b", None, "c"]
    assert {p["topic"] for p in out[0]["talking_points"]} == {"sports", "family"}
    assert out[0]["lang"] == "fr" and out[0]["senton"] == "2025-01-01"
    assert "line 2" in out[1]["error"] and "text" in out[1]["error"]
    assert "line 3" in out[2]["error"]
    assert out[3]["talking_points"] == []


def test_unknown_topic_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["talking-points", "analyze", "x", "--topics", "politics"]) == 2
    assert "politics" in capsys.readouterr().err
