"""``python -m connector scoring evaluate``: our scoring model against two baselines on any CSV."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from connector.errors import ConfigurationError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``scoring`` command group."""
    scoring = subparsers.add_parser("scoring", help="predictive lead and opportunity scoring tools")
    sub = scoring.add_subparsers(dest="scoring_command", metavar="SUBCOMMAND", required=True)
    ev = sub.add_parser(
        "evaluate",
        help="train and test the scoring model and two baselines on a CSV; print JSON metrics",
        description="Runs the same feature discovery, leakage guard and model as production on any CSV of "
                    "closed records, with an oldest-80 %% / newest-20 %% split, and prints JSON.",
    )
    ev.add_argument("--csv", required=True, type=Path, help="CSV file of closed records (read, never copied)")
    ev.add_argument("--target", required=True, help="outcome column")
    ev.add_argument("--positive", required=True, help="value of the outcome column that means success")
    ev.add_argument("--time-column", help="column ordering the split (oldest 80 %% train); default row order")
    ev.add_argument("--id-column", help="record id column (never a feature)")
    ev.add_argument("--drop", nargs="*", default=[], metavar="COL", help="columns never used (known leaks)")
    ev.add_argument("--na-value", nargs="*", default=[], metavar="TEXT", help="text meaning missing (e.g. Select)")
    ev.add_argument("--model", choices=["boosted-blend", "bayes-cold-start"],
                    help="force the model kind (default: by the 40 + 40 closed records rule)")
    ev.add_argument("--sample", type=int, help="use a seeded random sample of this many rows (kept in file order)")
    ev.add_argument("--seed", type=int, default=0, help="seed of the sample and of the models")
    ev.add_argument("--now", default="2026-01-01T00:00:00Z", help="evaluation time (UTC), for record ages")
    ev.set_defaults(handler=run_evaluate)


def run_evaluate(args: argparse.Namespace) -> int:
    """Read the CSV, evaluate, print the JSON report. Returns the exit code.

    Raises:
        ConfigurationError: the file cannot be read or a named column is missing.
        InsightError: the data cannot train a model.
    """
    from connector.insights.scoring.evaluate import evaluate

    try:
        frame = pd.read_csv(args.csv, low_memory=False)
    except (OSError, ValueError) as exc:
        raise ConfigurationError([f"--csv: cannot read {args.csv}: {exc}"]) from exc
    frame = frame.loc[:, [c for c in frame.columns if not str(c).startswith("Unnamed:")]]
    missing = [c for c in [args.target, args.time_column, args.id_column] if c and c not in frame.columns]
    if missing:
        raise ConfigurationError([f"column {c!r} is not in {args.csv.name}" for c in missing])
    if args.sample:
        frame = frame.sample(min(args.sample, len(frame)), random_state=args.seed).sort_index()
    report = evaluate(frame, target=args.target, positive=_typed(frame[args.target], args.positive),
                      now=pd.Timestamp(args.now), time_column=args.time_column, id_column=args.id_column,
                      drop=args.drop, na_values=args.na_value, random_state=args.seed, kind=args.model)
    report = {"csv": args.csv.name, "target": args.target, "positive": args.positive, **report}
    json.dump(report, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")
    return 0


def _typed(column: pd.Series, text: str) -> Any:
    """The ``--positive`` text as the column's type (``1`` is the number 1 in a numeric column)."""
    if pd.api.types.is_numeric_dtype(column):
        try:
            return float(text) if "." in text else int(text)
        except ValueError:
            return text
    return text
