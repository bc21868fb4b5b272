"""Training and scoring time of the scoring model at demo size M (10,000 leads, 6,000 opportunities).

Run: ``.venv/bin/python benchmarks/scoring_benchmark.py [--leads 10000] [--opportunities 6000]``.
Prints, per entity: rows, training seconds, scoring seconds (score, grade and reasons of every record),
the model's test AUC and the AUC of the generator's latent truth on the same test rows (the ceiling).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring_synthetic import synthetic_records  # noqa: E402

from connector.insights.scoring import Columns, ScoringEstimator, score_records  # noqa: E402
from connector.insights.scoring.train import time_split  # noqa: E402


def run(entity: str, n: int, now: pd.Timestamp) -> None:
    """Benchmark one entity and print one line of figures."""
    frame, truth = synthetic_records(n, entity=entity, seed=1, now=now)
    t0 = time.perf_counter()
    columns = Columns(id=f"{entity}id", time="closedon", created="createdon", closed="closedon")
    model = ScoringEstimator(entity=entity, columns=columns).fit(
        frame.drop(columns=["statecode"]), (frame["statecode"] == 1).astype(int).to_numpy(), now=now).model_
    t1 = time.perf_counter()
    open_records = frame.drop(columns=["statecode", "statuscode", "closedon"])
    scored = score_records(model, open_records, now=now)
    t2 = time.perf_counter()
    _, test_idx = time_split(frame, "closedon")
    y = (frame["statecode"].to_numpy() == 1).astype(int)
    ceiling = roc_auc_score(y[test_idx], truth[test_idx])
    print(f"{entity:12s} rows={n:6d} kind={model.kind} train_s={t1 - t0:6.2f} score_s={t2 - t1:6.2f} "
          f"scored={len(scored)} test_auc={model.metrics['auc']:.4f} latent_truth_auc={ceiling:.4f} "
          f"features={len(model.features.columns)} reasons_per_record="
          f"{np.mean([s.count('evidence') for s in scored['osi_scorereasons']]):.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--opportunities", type=int, default=6_000)
    args = parser.parse_args()
    now = pd.Timestamp("2026-01-01", tz="UTC")
    run("lead", args.leads, now)
    run("opportunity", args.opportunities, now)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
