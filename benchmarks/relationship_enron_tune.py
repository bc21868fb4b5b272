"""Tune the health fit on early splits of an interactions CSV (the later splits stay unseen).

Usage: ``python benchmarks/relationship_enron_tune.py INTERACTIONS.csv SPLIT_ISO [SPLIT_ISO ...]``

For each candidate ridge strength (:data:`connector.insights.relationship.logistic.L2`) and minimum
step size (:data:`connector.insights.relationship.fit.MIN_POINTS`), prints the health AUC against the
90-day message count and the recency of the last message, for both targets ("still writes, either way";
"still writes both ways"), at each split given. The shipped values were chosen with the Enron splits
2000-09-01, 2000-12-01 and 2001-03-01 only; the README reports 2001-06-01 and 2001-09-01, each once.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.insights.relationship import RelationshipSettings, fit, logistic  # noqa: E402
from connector.insights.relationship.interactions import evaluate_health  # noqa: E402
from connector.interactions_csv import read_interactions_csv  # noqa: E402

GRID: list[tuple[float, int]] = [(0.0005, 3), (0.002, 3), (0.008, 3), (0.002, 1), (0.002, 5)]


def main() -> int:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    log, _errors = read_interactions_csv(sys.argv[1])
    splits = [pd.Timestamp(x, tz="UTC") for x in sys.argv[2:]]
    for l2, min_points in GRID:
        logistic.L2, fit.MIN_POINTS = l2, min_points
        for split in splits:
            r = evaluate_health(log, split, pd.Timedelta(days=90), None, RelationshipSettings())
            cells = " | ".join(f"{t}: health {r[t]['health_auc']} count {r[t]['message_count_90d_auc']} "
                               f"recency {r[t]['recency_auc']}" for t in ("either_way", "both_ways"))
            print(f"L2={l2} min_points={min_points} split={split.date()} model={r['model']['kind']} {cells}",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
