"""``python -m connector analytics evaluate``: how well relationship health predicts that a relationship lives on.

Reads an interactions CSV (:mod:`connector.interactions_csv`), builds relationships as of ``--split-time``
(:mod:`connector.insights.relationship.interactions` documents the two protocols), runs the product's
relationship analytics on them, and prints JSON: median first-response hours and reply rate each way,
and the AUC of health at the split for "the relationship still exchanges messages in the next
``--horizon-days``", next to the AUC of the plain message count.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

import pandas as pd

from connector.errors import ConfigurationError
from connector.insights.relationship import RelationshipSettings
from connector.insights.relationship.interactions import evaluate_health
from connector.interactions_csv import read_interactions_csv

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``analytics evaluate``."""
    parser = subparsers.add_parser("analytics", help="relationship analytics tools")
    sub = parser.add_subparsers(dest="analytics_command", metavar="ACTION", required=True)
    ev = sub.add_parser("evaluate", help="evaluate relationship health on an interactions CSV")
    ev.add_argument("--interactions", required=True, help="interactions CSV (timestamp,sender,recipients,cc,subject)")
    ev.add_argument("--split-time", required=True, help="ISO time: health is computed as of it")
    ev.add_argument("--internal-domain", help="e-mail domain of our team; without it every pair is evaluated")
    ev.add_argument("--horizon-days", type=int, default=90, help="label window after the split (default 90)")
    ev.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                    help="override a relationship setting (repeatable), e.g. decay_factor=3")
    ev.set_defaults(handler=evaluate)


def _settings(pairs: list[str]) -> RelationshipSettings:
    values: dict[str, object] = {}
    for item in pairs:
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigurationError([f"--setting {item!r:.40}: expected NAME=VALUE"])
        values[name.strip()] = value.strip()
    return RelationshipSettings.from_dict(values)


def evaluate(args: argparse.Namespace) -> int:
    """Run the evaluation and print its JSON; 0 on success, 2 on a bad split time or setting."""
    settings = _settings(args.setting)
    try:
        split = pd.Timestamp(args.split_time)
    except ValueError as exc:
        raise ConfigurationError([f"--split-time: not an ISO time ({exc})"]) from exc
    split = split.tz_localize("UTC") if split.tzinfo is None else split.tz_convert("UTC")
    frame, errors = read_interactions_csv(args.interactions)
    horizon = pd.Timedelta(days=args.horizon_days)
    result = {"messages": int(len(frame)), "rows_skipped": len(errors),
              **evaluate_health(frame, split, horizon, args.internal_domain, settings)}
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
