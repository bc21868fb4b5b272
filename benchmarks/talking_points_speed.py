"""Throughput of talking-point detection: e-mails analysed per second.

Usage: ``python benchmarks/talking_points_speed.py [N]`` (default 10,000 e-mails)

The e-mails are the labelled passages of ``tests/data/talking_points`` repeated to N rows, each with a
quoted reply and a padded business paragraph appended so bodies are realistic in length (~1.5 KB), every
other one as HTML with the quote in a ``gmail_quote`` block (as mail clients send them), sent by 2,000
contacts; the whole ``find_talking_points`` path (cleaning, detection, latest per topic) is timed.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere without installing the package

from connector.insights.talking_points import find_talking_points  # noqa: E402

FILLER = ("Regarding the renewal, procurement needs the updated price list and the signed order form before the "
          "end of the quarter. The integration team will review the API limits with your architects. ") * 4
QUOTE = "\n\nOn Mon, Jan 6, 2025 at 3:00 PM Paul <paul@x.example> wrote:\n> How was the holiday with the kids?\n> Best"


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 10_000
    data = ROOT / "tests" / "data" / "talking_points"
    texts = [json.loads(line)["text"] for p in sorted(data.glob("*.jsonl"))
             for line in p.read_text("utf-8").splitlines()]
    bodies = [FILLER + "\n\n" + texts[i % len(texts)] + QUOTE if i % 2 else
              f"<html><body><div><p>{FILLER}</p><p>{texts[i % len(texts)]}</p>"
              f"<div class=\"gmail_quote\">{QUOTE}</div></div></body></html>" for i in range(n)]
    frame = pd.DataFrame({
        "activity_id": [f"e{i}" for i in range(n)],
        "contact_id": [f"c{i % 2000}" for i in range(n)],
        "description": bodies,
        "occurred_on": pd.date_range("2024-01-01", periods=n, freq="17min", tz="UTC"),
        "activity_type": "email", "direction": "incoming",
    })
    start, cpu = time.perf_counter(), time.process_time()
    out = find_talking_points(frame, now=datetime(2026, 1, 1, tzinfo=UTC))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    size = sum(map(len, bodies)) / n
    # CPU time is printed too: on a shared machine wall time also measures the neighbours.
    print(f"{n} e-mails (mean {size:.0f} chars) in {elapsed:.2f} s wall / {cpu:.2f} s CPU: "
          f"{n / elapsed:,.0f} e-mails/s wall, {n / cpu:,.0f} e-mails/s CPU; {len(out)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
