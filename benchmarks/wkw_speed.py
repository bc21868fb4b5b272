"""Throughput of connection strengths on an interactions CSV.

Usage: ``python benchmarks/wkw_speed.py INTERACTIONS.csv [REPEAT]``

Reads the CSV (e.g. ``.osi/enron_interactions.csv`` from ``benchmarks/enron_to_interactions.py``), optionally
repeats it REPEAT times with shifted addresses to simulate a larger organisation, and times
``connection_strengths`` (every address a person, unordered pairs) at the log's last timestamp.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere without installing the package

from connector.insights.wkw import connection_strengths  # noqa: E402
from connector.interactions_csv import read_interactions_csv  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    frame, _ = read_interactions_csv(argv[0])
    repeat = int(argv[1]) if len(argv) > 1 else 1
    copies = []
    for k in range(repeat):
        shift = (lambda a, k=k: f"{k}.{a}") if k else (lambda a: a)
        copies.append(frame.assign(sender=frame["sender"].map(shift),
                                   recipients=frame["recipients"].map(lambda xs, s=shift: [s(x) for x in xs]),
                                   cc=frame["cc"].map(lambda xs, s=shift: [s(x) for x in xs])))
    data = pd.concat(copies, ignore_index=True)
    now = data["timestamp"].max()
    start, cpu = time.perf_counter(), time.process_time()
    out = connection_strengths(data, now=now, internal=None)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    edges = int((data["recipients"].map(len) + data["cc"].map(len)).sum())
    print(f"{len(data)} messages ({edges} recipient rows) -> {len(out)} pairs in {elapsed:.2f} s wall / "
          f"{cpu:.2f} s CPU ({len(data) / cpu:,.0f} messages/s CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
