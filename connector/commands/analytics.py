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
import math
import sys

import pandas as pd
from sklearn.metrics import roc_auc_score

from connector.errors import ConfigurationError
from connector.insights.relationship import RelationshipSettings, compute_relationships
from connector.insights.relationship.compute import first_responses
from connector.insights.relationship.interactions import build
from connector.interactions_csv import read_interactions_csv

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
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


def _auc(label: pd.Series, score: pd.Series) -> float | None:
    if label.nunique() < 2:
        return None
    return round(float(roc_auc_score(label.astype(int), score.astype(float))), 4)


def _median(values: pd.Series) -> float | None:
    values = values.dropna()
    return None if values.empty else round(float(values.median()), 2)


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
    frames, table = build(frame, split, horizon, args.internal_domain)
    out = compute_relationships(frames, now=split, settings=settings)["contact"]
    reasons = out["osi_healthreasons"].map(json.loads)
    table = table[table["evaluated"]].join(reasons.rename("reasons"), how="inner")
    health = table["reasons"].map(lambda r: r["score"])
    components = {c["name"] for r in table["reasons"] for c in r["components"]}
    turns = first_responses(frames, now=split, settings=settings)
    result = {
        "protocol": "team vs customers" if args.internal_domain else "pairs",
        "messages": int(len(frame)), "rows_skipped": len(errors), "split_time": split.isoformat(),
        "horizon_days": args.horizon_days,
        "relationships_evaluated": int(len(table)), "still_communicating": int(table["label"].sum()),
        # team turns are answered by the customer, customer turns by the team.
        "median_first_response_hours": {"team": _median(turns.loc[turns["side"] == "customer", "hours"]),
                                        "customer": _median(turns.loc[turns["side"] == "team", "hours"])},
        "reply_rate": {
            who: (round(float(t["hours"].notna().sum() / t["counted"].sum()), 4) if t["counted"].sum() else None)
            for who, t in (("team", turns[turns["side"] == "customer"]), ("customer", turns[turns["side"] == "team"]))
        },
        "health_auc": _auc(table["label"], health),
        "message_count_auc": _auc(table["label"], table["messages_90d"]),
        "message_count_365d_auc": _auc(table["label"], table["messages_365d"]),
        "component_auc": {
            name: _auc(table["label"], table["reasons"].map(
                lambda r, n=name: next((c["value"] for c in r["components"] if c["name"] == n), math.nan)))
            for name in sorted(components)
        },
    }
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
