"""No sentence of a labelled set is quoted in the analysis code: a rule written for one sentence is a patch."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
_QUOTED = re.compile(r'(?<![rR])"([^"]{12,})"|(?<![rR])\'([^\']{12,})\'|“([^”]{12,})”')


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_no_five_word_run_of_a_labelled_note_or_email_is_quoted_in_code() -> None:
    labelled = [json.loads(line)["text"] for folder in ("notes", "talking_points")
                for path in (ROOT / "tests" / "data" / folder).glob("*.jsonl")
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    runs = {" ".join(w[i:i + 5]) for text in labelled for w in [_words(text)] for i in range(len(w) - 4)}
    assert len(runs) > 1000
    quoted = []
    for package in ("notes", "talking_points"):
        for path in (ROOT / "connector" / "insights" / package).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for groups in _QUOTED.findall(line):
                    words = _words(next(g for g in groups if g))
                    if any(" ".join(words[i:i + 5]) in runs for i in range(len(words) - 4)):
                        quoted.append(f"{path.name}:{number}")
    assert not quoted
