"""Our scoring model against the independent baselines, on a public data set and imbalanced versions of it.

Usage::

    python benchmarks/scoring_imbalanced.py --csv PATH --target COL --positive VALUE \\
        [--time-column COL] [--id-column COL] [--drop COL ...] [--na-value TEXT ...] \\
        [--rates natural 0.05 0.10] [--seeds 0 1 2] [--fraction 0.9]

For each positive rate and seed, a version of the data set is built in memory (never written):

- ``natural``: a seeded random ``--fraction`` of the rows, so seeds give a spread at the data set's
  own positive rate;
- a number such as ``0.05``: every negative record kept and a seeded random subset of the positive
  records, so that positives make up that share (negatives are subsampled instead when there are too
  few positives).

Rows keep their file order (the chronological split is the same as on the full file: oldest 80 %
by ``--time-column`` train, newest 20 % test) and :func:`connector.insights.scoring.evaluate.evaluate`
trains and tests our model and the baselines on it. Prints JSON: per rate, the test AUC of ours and
of each baseline per seed, their mean and standard deviation over seeds, and our margin over each
baseline and over the best one (mean, standard deviation, minimum).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.commands.scoring import _typed  # noqa: E402
from connector.insights.scoring.evaluate import evaluate  # noqa: E402
from connector.insights.scoring.train import labels_of  # noqa: E402

NOW = pd.Timestamp("2026-01-01T00:00:00Z")


def resample(frame: pd.DataFrame, y: np.ndarray, rate: str, seed: int, fraction: float) -> pd.DataFrame:
    """The version of ``frame`` for one rate and seed, in file order.

    Raises:
        ValueError: ``rate`` is neither ``natural`` nor a share strictly between 0 and 1.
    """
    rng = np.random.default_rng(seed)
    if rate == "natural":
        keep = np.sort(rng.choice(len(frame), size=int(round(fraction * len(frame))), replace=False))
        return frame.iloc[keep]
    share = float(rate)
    if not 0 < share < 1:
        raise ValueError(f"rate must be 'natural' or a share between 0 and 1, not {rate!r}")
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    want_pos = int(round(share / (1 - share) * len(neg)))
    if want_pos <= len(pos):
        pos = rng.choice(pos, size=want_pos, replace=False)
    else:
        neg = rng.choice(neg, size=int(round(len(pos) * (1 - share) / share)), replace=False)
    return frame.iloc[np.sort(np.concatenate([pos, neg]))]


def _stats(values: list[float]) -> dict[str, float]:
    arr = np.asarray(values, dtype=float)
    return {"mean": round(float(arr.mean()), 4), "sd": round(float(arr.std(ddof=1)) if len(arr) > 1 else 0.0, 4),
            "min": round(float(arr.min()), 4)}


def run(frame: pd.DataFrame, args: argparse.Namespace) -> dict[str, Any]:
    """Evaluate every rate and seed; the JSON-ready summary."""
    positive = _typed(frame[args.target], args.positive)
    y = labels_of(frame, args.target, positive)
    out: dict[str, Any] = {"csv": Path(args.csv).name, "rows": len(frame), "positive_rate": round(float(y.mean()), 4),
                           "seeds": args.seeds, "rates": {}}
    for rate in args.rates:
        per_seed = []
        for seed in args.seeds:
            part = resample(frame, y, rate, seed, args.fraction)
            report = evaluate(part, target=args.target, positive=positive, now=NOW, time_column=args.time_column,
                              id_column=args.id_column, drop=args.drop, na_values=args.na_value, random_state=seed)
            per_seed.append({"seed": seed, "rows": len(part), "positive_rate": report["conversion_rate"],
                             "ours": report["auc"], **{k: v["auc"] for k, v in report["baselines"].items()},
                             "leaks": [x["feature"] for x in report["leaks"]]})
            print(json.dumps({"rate": rate, **per_seed[-1]}), file=sys.stderr, flush=True)
        names = [k for k in per_seed[0] if k not in ("seed", "rows", "positive_rate", "ours", "leaks")]
        summary: dict[str, Any] = {"ours": _stats([r["ours"] for r in per_seed])}
        for name in names:
            summary[name] = _stats([r[name] for r in per_seed])
            summary[f"margin_over_{name}"] = _stats([r["ours"] - r[name] for r in per_seed])
        summary["margin_over_best_baseline"] = _stats([r["ours"] - max(r[n] for n in names) for r in per_seed])
        out["rates"][rate] = {"summary": summary, "per_seed": per_seed}
    return out


def main() -> int:
    """Parse the arguments, run, print JSON. Returns the exit code (2 for a file that cannot be read)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--positive", required=True)
    parser.add_argument("--time-column")
    parser.add_argument("--id-column")
    parser.add_argument("--drop", nargs="*", default=[])
    parser.add_argument("--na-value", nargs="*", default=[])
    parser.add_argument("--rates", nargs="+", default=["natural", "0.05", "0.10"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--fraction", type=float, default=0.9, help="share of rows kept for the natural rate")
    args = parser.parse_args()
    try:
        frame = pd.read_csv(args.csv, low_memory=False)
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.csv}: {exc}", file=sys.stderr)
        return 2
    frame = frame.loc[:, [c for c in frame.columns if not str(c).startswith("Unnamed:")]]
    print(json.dumps(run(frame, args), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
