"""``python -m connector provision``: create the ``osi_`` schema on the organisation, idempotently."""

from __future__ import annotations

import argparse
import os
import sys

from tqdm import tqdm

from connector import schema
from connector.provision import MetadataClient, ProvisionStep, plan_size, provision
from connector.settings import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``provision``."""
    parser = subparsers.add_parser(
        "provision",
        help="create the osi publisher, the solution, and the osi_ tables, columns and alternate keys through the "
             "metadata API (idempotent; needs a System Customizer's credentials)",
    )
    parser.add_argument("--solution", default=schema.SOLUTION_UNIQUE_NAME,
                        help="unmanaged solution the new components are added to (default: %(default)s)")
    parser.set_defaults(handler=_provision)


def _client(settings: Settings) -> MetadataClient:
    # Imported here so `solution generate` and `--help` do not load the HTTP stack.
    from connector.pipeline.service import services

    return services(settings).dataverse


def _provision(args: argparse.Namespace) -> int:
    settings = Settings.from_env(os.environ)
    client = _client(settings)
    # A bar on a terminal; otherwise only the summary below (provisioning also logs failures as they happen).
    with tqdm(total=plan_size(), desc="provision", unit="item", disable=not sys.stderr.isatty()) as bar:

        def advance(_step: ProvisionStep) -> None:
            bar.update()

        report = provision(client, solution=args.solution, progress=advance)
    for step in report.steps:
        if step.outcome != "present":
            print(f"{step.outcome:8} {step.kind:6} {step.table}.{step.name} {step.detail}".rstrip())
    print(f"provision: {report.summary()}")
    return 0 if report.ok else 1
