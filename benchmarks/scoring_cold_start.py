"""Cold-start check: the Bayesian model trained on 10 positive + 10 negative records, over several seeds.

Run: ``.venv/bin/python benchmarks/scoring_cold_start.py --csv FILE --target COL --positive VALUE
[--drop COL ...] [--na-value TEXT ...] [--seeds 10]``. Each seed draws 10 positive and 10 negative
records at random, trains the production cold-start path (``ScoringEstimator`` below 40 + 40) and prints the
AUC of its scores on every other record; then the mean and the minimum.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.insights.scoring import Columns, ScoringEstimator, score_records  # noqa: E402
from connector.insights.scoring.train import labels_of  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", required=True, type=Path)
    parser.add_argument("--target", required=True)
    parser.add_argument("--positive", required=True)
    parser.add_argument("--drop", nargs="*", default=[])
    parser.add_argument("--na-value", nargs="*", default=[])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--per-class", type=int, default=10)
    args = parser.parse_args()
    frame = pd.read_csv(args.csv, low_memory=False)
    frame = frame.loc[:, [c for c in frame.columns if not str(c).startswith("Unnamed:")]]
    positive: object = int(args.positive) if pd.api.types.is_numeric_dtype(frame[args.target]) else args.positive
    y = labels_of(frame, args.target, positive)
    frame["_row_id"] = np.arange(len(frame)).astype(str)
    now = pd.Timestamp("2026-01-01", tz="UTC")
    aucs = []
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        idx = np.concatenate([rng.choice(np.flatnonzero(y == 1), args.per_class, replace=False),
                              rng.choice(np.flatnonzero(y == 0), args.per_class, replace=False)])
        rest = np.setdiff1d(np.arange(len(frame)), idx)
        model = ScoringEstimator(columns=Columns(id="_row_id"), drop=tuple(args.drop), na_values=tuple(args.na_value),
                                 random_state=seed).fit(frame.iloc[idx].drop(columns=[args.target]), y[idx],
                                                        now=now).model_
        scored = score_records(model, frame.iloc[rest].drop(columns=[args.target]), now=now)
        auc = roc_auc_score(y[rest], scored["osi_score"])
        aucs.append(auc)
        print(f"seed={seed} kind={model.kind} low_confidence={model.low_confidence} auc_on_rest={auc:.4f}")
    print(f"per_class={args.per_class} seeds={args.seeds} mean_auc={np.mean(aucs):.4f} min_auc={np.min(aucs):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
