"""The ``python -m connector`` command line.

Each module in :mod:`connector.commands` owns one group of subcommands and exposes
``register(subparsers)``; this module only discovers them, parses arguments and maps our errors to
exit codes. Exit codes: 0 success, 1 a run finished with failed records, 2 usage or configuration
error, 3 any other error of ours.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from connector import commands
from connector.errors import ConfigurationError, OsiError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command module's subcommands registered."""
    parser = argparse.ArgumentParser(
        prog="python -m connector",
        description="Open Sales Insights for Dataverse: sync, insights and write-back.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.handler(args) or 0)
    except ConfigurationError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OsiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
