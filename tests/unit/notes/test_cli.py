"""``python -m connector notes analyze``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connector.cli import main


def test_text_argument_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["notes", "analyze", "--reference-time", "2026-04-28T09:30", "--timezone", "Europe/Paris",
                 "Rencontrer le client le 4 mai à 16 h 00"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["id"] == "1"
    [s] = out["suggestions"]
    assert (s["type"], s["start"], s["span"]) == ("appointment", "2026-05-04T14:00:00Z", [0, 39])
    assert s["payload"]["subject"] == "Rencontrer le client le 4 mai à 16 h 00"


def test_file_with_createdon_lang_and_bad_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.jsonl"
    notes.write_text("\n".join([
        json.dumps({"id": "a", "text": "Call Ana tomorrow at 10am", "createdon": "2026-10-30T12:00:00Z"}),
        "not json",
        json.dumps({"id": "b", "text": "RDV demain 10h", "lang": "fr"}),
        json.dumps({"id": "c", "text": 7}),
        json.dumps({"id": "d", "text": None}),
    ]), encoding="utf-8")
    code = main(["notes", "analyze", "--reference-time", "2026-04-28T09:30", "--timezone", "Europe/Paris",
                 "--file", str(notes)])
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert code == 1
    assert [line["id"] for line in lines] == ["a", "b", "d"]
    # Created Friday 30 Oct; "tomorrow" is Saturday 31 Oct, still summer time in Paris (UTC+1 from 25 Oct).
    assert lines[0]["suggestions"][0]["start"] == "2026-10-31T09:00:00Z"
    assert lines[1]["suggestions"][0]["start"] == "2026-04-29T08:00:00Z"
    assert lines[2]["suggestions"] == []
    assert "line 2: skipped" in captured.err and "line 4: skipped" in captured.err


@pytest.mark.parametrize("argv", [
    ["notes", "analyze", "--reference-time", "2026-04-28", "--timezone", "Europe/Paris"],
    ["notes", "analyze", "--reference-time", "yesterday", "some text"],
    ["notes", "analyze", "--reference-time", "2026-04-28", "--timezone", "Nowhere/City", "text"],
])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err
