"""``python -m connector doctor``: the preflight before the first sync, one line per check with its fix."""

from __future__ import annotations

import argparse
import os

from connector.doctor import run_checks
from connector.settings import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``doctor``."""
    parser = subparsers.add_parser(
        "doctor", help="check credentials, change tracking, the app user's privileges, keys, solution and Graph")
    parser.set_defaults(handler=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    # Imported here so `--help` does not load the HTTP stack.
    from connector.pipeline.service import clients

    dataverse, graph = clients(Settings.from_env(os.environ))
    checks = run_checks(dataverse, graph)
    for check in checks:
        print(check.line())
    failed = sum(1 for c in checks if c.outcome == "fail")
    warned = sum(1 for c in checks if c.outcome == "warn")
    print(f"doctor: {len(checks)} checks, {failed} failed, {warned} warnings")
    return 1 if failed else 0
