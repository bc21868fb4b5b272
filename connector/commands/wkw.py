"""``python -m connector wkw evaluate``: does our connection strength predict who corresponds next?

Reads an interactions CSV (:mod:`connector.interactions_csv`), computes strengths from the messages before
``--split-time`` and prints JSON ``{"strength": {"precision_at_5", "auc"}, "message_count": {...},
"evaluation": {...}}``; the protocol is in :mod:`connector.insights.wkw.evaluation`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from connector.errors import ConfigurationError
from connector.insights.wkw import evaluate_rankings
from connector.interactions_csv import read_interactions_csv


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``wkw`` command group."""
    group = subparsers.add_parser("wkw", help="who knows whom: connection strength between people")
    sub = group.add_subparsers(dest="wkw_command", metavar="SUBCOMMAND", required=True)
    evaluate = sub.add_parser("evaluate", help="precision@5 and AUC of strength vs. message count on an e-mail log")
    evaluate.add_argument("--interactions", type=Path, required=True, help="interactions CSV")
    evaluate.add_argument("--split-time", required=True, help="ISO-8601 time: history before, 90-day future after")
    evaluate.add_argument("--internal-domain", help="e-mail domain of our people; without it every address is one")
    evaluate.add_argument("--horizon-days", type=int, default=90, help="length of the future window (default 90)")
    evaluate.set_defaults(handler=_evaluate)


def _evaluate(args: argparse.Namespace) -> int:
    try:
        split = pd.Timestamp(args.split_time)
    except ValueError as exc:
        raise ConfigurationError([f"--split-time: not an ISO-8601 time ({exc})"]) from exc
    if args.horizon_days < 1:
        raise ConfigurationError(["--horizon-days must be at least 1"])
    frame, errors = read_interactions_csv(args.interactions)
    for error in errors[:20]:
        print(f"skipped: {error}", file=sys.stderr)
    split_utc = split.tz_localize("UTC") if split.tzinfo is None else split.tz_convert("UTC")
    if not frame.empty and frame["timestamp"].max() < split_utc + pd.Timedelta(days=args.horizon_days):
        print(f"warning: the log ends before split + {args.horizon_days} days; the future window is truncated",
              file=sys.stderr)
    internal = None
    if args.internal_domain:
        suffix = "@" + args.internal_domain.lower().lstrip("@")
        internal = lambda address: address.endswith(suffix)  # noqa: E731
    result = evaluate_rankings(frame, split=split, horizon_days=args.horizon_days, internal=internal)
    result["evaluation"]["rows_skipped"] = len(errors)
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0
