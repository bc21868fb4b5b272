"""Throughput of notes analysis.

Usage:
    .venv/bin/python benchmarks/notes_speed.py [--notes 10000]

Builds a canonical ``notes`` frame of N notes by cycling through the development set's texts (English and
French, a third without intent; every tenth note wrapped in HTML), analyses it with ``analyze_notes`` and
prints JSON: notes, suggestions, seconds, notes per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.insights.notes import analyze_notes  # noqa: E402

DEV = Path(__file__).resolve().parents[1] / "tests" / "data" / "notes" / "dev.jsonl"


def build(count: int) -> pd.DataFrame:
    """A notes frame of ``count`` rows made from the development set's texts."""
    texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = pd.Timestamp("2026-04-28T07:30Z")
    rows = []
    for index in range(count):
        text = texts[index % len(texts)]
        if index % 10 == 0:
            text = f"<div><p>{text}</p><br/>-- sent from my phone</div>"
        rows.append({"note_id": f"note-{index:06d}", "object_id": f"acc-{index % 500}", "object_type": "account",
                     "subject": None, "text": text, "owner_id": f"user-{index % 20}",
                     "created_on": base + pd.Timedelta(minutes=17 * index), "modified_on": pd.NaT})
    return pd.DataFrame(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    args = parser.parse_args()
    notes = build(args.notes)
    zones = {f"user-{i}": ("Europe/Paris", "America/New_York", "America/Toronto", "Europe/London")[i % 4]
             for i in range(20)}
    started = time.perf_counter()
    result = analyze_notes(notes, now=dt.datetime(2026, 5, 1, tzinfo=dt.UTC), org_timezone="Europe/Paris",
                           user_timezones=zones)
    seconds = time.perf_counter() - started
    print(json.dumps({"notes": len(notes), "suggestions": len(result), "seconds": round(seconds, 2),
                      "notes_per_second": round(len(notes) / seconds, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
