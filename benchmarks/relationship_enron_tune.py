"""Tune the health fit on early splits of an interactions CSV (the later splits stay unseen).

Usage: ``python benchmarks/relationship_enron_tune.py [--bound] INTERACTIONS.csv SPLIT_ISO [SPLIT_ISO ...]``

For each candidate ridge strength (:data:`connector.insights.relationship.logistic.L2`) and minimum
step size (:data:`connector.insights.relationship.fit.MIN_POINTS`), prints the health AUC against the
90-day message count and the recency of the last message, for both targets ("still writes, either way";
"still writes both ways"), at each split given. The shipped values were chosen with the Enron splits
2000-09-01, 2000-12-01 and 2001-03-01 only; the README reports 2001-06-01 and 2001-09-01.

``--bound`` prints instead, per split and target, what our indicators can reach at most with their
signs: the sign-constrained logistic fitted on the split's own labels (the answer, so an optimistic
ceiling, never a result), the same with dense extra steps (:func:`_dense_steps`), next to the 90-day
count, and how many relationships are one-way (only our side wrote in the year: every fact health has of
them is an unanswered e-mail of ours).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.insights.relationship import RelationshipSettings, fit, logistic  # noqa: E402
from connector.insights.relationship.compute import record_signals  # noqa: E402
from connector.insights.relationship.indicators import NO_REFERENCE, indicators, matrix  # noqa: E402
from connector.insights.relationship.interactions import build, evaluate_health  # noqa: E402
from connector.insights.relationship.model import applicable  # noqa: E402
from connector.interactions_csv import read_interactions_csv  # noqa: E402

GRID: list[tuple[float, int]] = [(0.0005, 3), (0.002, 3), (0.008, 3), (0.002, 1), (0.002, 5)]
HORIZON = pd.Timedelta(days=90)


STEPS = (1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 365)


def _dense_steps(sig: pd.DataFrame) -> np.ndarray:
    """Extra "+" steps at every count in :data:`STEPS` of each contact count, and "under N days" of each age.

    Tests whether the shipped steps are too coarse or saturate too early (heavy Enron pairs).
    """
    cols = []
    for col in ("touch_30", "touch_90", "touch_365", "contact_30", "contact_90", "contact_365", "answered_turns",
                "active", "customer_started"):
        cols += [sig[col].fillna(0).to_numpy(dtype=float) >= k for k in STEPS]
    for col in ("touch_age", "contact_age"):
        cols += [sig[col].fillna(1e4).to_numpy(dtype=float) < k for k in STEPS]
    return np.column_stack(cols).astype(float)


def bound(log: pd.DataFrame, split: pd.Timestamp) -> str:
    """The in-sample ceiling of our signed indicators at ``split`` (see the module doc), as one line."""
    s = RelationshipSettings()
    frames, table = build(log, split, HORIZON)
    table = table[table["evaluated"]]
    specs = applicable(indicators(s), "contact")
    sig = record_signals(frames, now=split, record_type="contact", settings=s).reindex(table.index)
    x = matrix(sig, specs, NO_REFERENCE).astype(float)
    dense = np.column_stack([x, _dense_steps(sig)])
    cells = []
    for target, col in (("either_way", "label"), ("both_ways", "label_both")):
        y = table[col].to_numpy(dtype=bool)
        _b0, w = logistic.fit_signed(x, y, [sp.sign for sp in specs])
        _b1, wd = logistic.fit_signed(dense, y, [sp.sign for sp in specs] + [1] * (dense.shape[1] - x.shape[1]),
                                      l2=1e-4)
        cells.append(f"{target}: signed fit on the answer {logistic.auc(y, x @ w)} "
                     f"with dense steps {logistic.auc(y, dense @ wd)} "
                     f"count {logistic.auc(y, table['messages_90d'].to_numpy(dtype=float))}")
    return f"split={split.date()} relationships={len(table)} one_way={int(table['one_way'].sum())} " + " | ".join(cells)


def main() -> int:
    args = sys.argv[1:]
    ceiling = "--bound" in args
    args = [a for a in args if a != "--bound"]
    if len(args) < 2:
        sys.exit(__doc__)
    log, _errors = read_interactions_csv(args[0])
    splits = [pd.Timestamp(x, tz="UTC") for x in args[1:]]
    if ceiling:
        for split in splits:
            print(bound(log, split), flush=True)
        return 0
    for l2, min_points in GRID:
        logistic.L2, fit.MIN_POINTS = l2, min_points
        for split in splits:
            r = evaluate_health(log, split, HORIZON, None, RelationshipSettings())
            cells = " | ".join(f"{t}: health {r[t]['health_auc']} count {r[t]['message_count_90d_auc']} "
                               f"recency {r[t]['recency_auc']}" for t in ("either_way", "both_ways"))
            print(f"L2={l2} min_points={min_points} split={split.date()} model={r['model']['kind']} {cells}",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
