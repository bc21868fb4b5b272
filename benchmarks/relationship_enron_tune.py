"""Tune relationship-health constants on one split of an interactions CSV (report on a later split).

Usage: ``python benchmarks/relationship_enron_tune.py INTERACTIONS.csv SPLIT_ISO``

Prints, for each candidate setting, the health AUC (all evaluated relationships and two-way ones) of
``analytics evaluate``. The defaults in ``RelationshipSettings`` were chosen with this on the Enron
split 2001-01-01; the README reports the later split 2001-06-01 with the chosen defaults.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.insights.relationship import RelationshipSettings  # noqa: E402
from connector.insights.relationship.interactions import evaluate_health  # noqa: E402
from connector.interactions_csv import read_interactions_csv  # noqa: E402

GRID: list[dict[str, object]] = [
    {},
    {"decay_factor": 4},
    {"decay_factor": 8},
    {"decay_factor": 8, "weight_frequency": 0.5, "weight_recency": 0.2, "weight_responsiveness": 0.1,
     "weight_reciprocity": 0.1, "weight_breadth": 0.1},
    {"decay_factor": 4, "communication_frequency": "daily"},
    {"decay_factor": 4, "communication_frequency": "twice a week"},
    {"decay_factor": 8, "communication_frequency": "daily", "weight_frequency": 0.5, "weight_recency": 0.2,
     "weight_responsiveness": 0.1, "weight_reciprocity": 0.1, "weight_breadth": 0.1},
]


def main() -> int:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    log, _errors = read_interactions_csv(sys.argv[1])
    split = pd.Timestamp(sys.argv[2], tz="UTC")
    for values in GRID:
        r = evaluate_health(log, split, pd.Timedelta(days=90), None, RelationshipSettings.from_dict(values))
        print(f"health_auc={r['health_auc']} two_way={r['two_way']['health_auc']} "
              f"count_auc={r['message_count_auc']} components={r['component_auc']} settings={values}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
