"""``sync``, ``train`` and ``status``: run one sync (optionally retraining the scoring models), show the last run."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime

from connector.pipeline import service
from connector.progress import reporter
from connector.settings import Settings
from connector.sync.snapshot import reset_snapshot


def as_of(text: str | None) -> datetime | None:
    """The ``--now`` argument: an ISO 8601 time (naive means UTC), or ``None`` for the wall clock.

    Raises:
        argparse.ArgumentTypeError: not an ISO 8601 time.
    """
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--now must be an ISO 8601 time such as 2026-12-07T15:00:00Z: {text!r}") \
            from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _sync(args: argparse.Namespace) -> int:
    settings = Settings.from_env(os.environ)
    if args.full:
        reset_snapshot(service.services(settings).state)
    summary = service.run(settings, trigger="cli", now=args.now, progress=reporter(), full=args.full)
    json.dump(summary.as_dict(), sys.stdout, indent=2, sort_keys=True)
    print()
    return 0 if summary.status == "Succeeded" else 1


def _train(args: argparse.Namespace) -> int:
    settings = Settings.from_env(os.environ)
    entities = frozenset(("lead", "opportunity") if args.entity == "all" else (args.entity,))
    summary = service.run(settings, trigger="cli", progress=reporter(), retrain=entities)
    models = {k: v for k, v in summary.written.items() if k.startswith("osi_scoringmodel")}
    json.dump({"status": summary.status, "registry_writes": models, "errors": summary.errors}, sys.stdout, indent=2)
    print()
    return 0 if summary.status == "Succeeded" else 1


def _status(args: argparse.Namespace) -> int:
    latest = service.latest_run(Settings.from_env(os.environ))
    if latest is None:
        print("no sync has run yet for this organisation")
        return 0
    json.dump(latest, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sync``, ``train`` and ``status``."""
    p = sub.add_parser("sync", help="run one incremental sync (settings from OSI_* environment variables)")
    p.add_argument("--full", action="store_true",
                   help="forget the snapshot, read everything again and recompute every insight")
    p.add_argument("--now", type=as_of, default=None,
                   help="compute insights as of this ISO 8601 time (replays, tests); default: the wall clock")
    p.set_defaults(handler=_sync)
    t = sub.add_parser("train", help="retrain the scoring models now (inside a normal sync run)")
    t.add_argument("--entity", choices=["lead", "opportunity", "all"], default="all")
    t.set_defaults(handler=_train)
    s = sub.add_parser("status", help="show the summary of the last sync run")
    s.set_defaults(handler=_status)
