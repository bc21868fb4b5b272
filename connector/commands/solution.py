"""``python -m connector solution generate|pack``: the Dataverse solution built from the schema."""

from __future__ import annotations

import argparse
from pathlib import Path

from connector.panel_assets import write_generated
from connector.solution.builder import ASSETS_DIR, generate
from connector.solution.pack import default_output, pack


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``solution generate`` and ``solution pack``."""
    parser = subparsers.add_parser("solution", help="generate or pack the Dataverse solution")
    actions = parser.add_subparsers(dest="solution_command", metavar="ACTION", required=True)

    gen = actions.add_parser("generate", help="rewrite solution_assets/ from connector/schema.py")
    gen.add_argument("--target", type=Path, default=ASSETS_DIR, help="solution folder (default: %(default)s)")
    gen.set_defaults(handler=_generate)

    pk = actions.add_parser("pack", help="zip solution_assets/ into an importable unmanaged solution")
    pk.add_argument("--source", type=Path, default=ASSETS_DIR, help="solution folder (default: %(default)s)")
    pk.add_argument("--output", type=Path, default=None, help=f"zip to write (default: {default_output()})")
    pk.set_defaults(handler=_pack)


def _generate(args: argparse.Namespace) -> int:
    # The generated web resources first: the solution lists every file under WebResources/.
    for path in [*write_generated(args.target / "WebResources"), *generate(args.target)]:
        print(f"wrote {path}")
    return 0


def _pack(args: argparse.Namespace) -> int:
    print(f"wrote {pack(args.source, args.output)}")
    return 0
