"""The chaos driver: ``python -m tests.chaos`` (what ``make chaos`` runs).

Runs the suite in ``tests/chaos`` (collected only with ``OSI_CHAOS=1``, which this sets), then prints the
figures it measured: faults injected and survived, kills, rows compared, hostile records tried, crashes,
secrets found. They stay in ``.osi/chaos/figures.json`` with every organisation and log of the run.
"""

from __future__ import annotations

import os
import sys

import pytest


def main(argv: list[str] | None = None) -> int:
    """Run the chaos suite and print its figures; the exit code is pytest's."""
    os.environ["OSI_CHAOS"] = "1"
    from tests.chaos.conftest import out_dir

    figures = out_dir() / "figures.json"
    figures.unlink(missing_ok=True)
    args = ["tests/chaos", "-p", "no:cacheprovider", "-q", "-rxXs", *(argv if argv is not None else sys.argv[1:])]
    code = int(pytest.main(args))
    if figures.exists():
        print("\nChaos figures (" + str(figures) + "):")
        print(figures.read_text(encoding="utf-8"))
    return code


if __name__ == "__main__":
    sys.exit(main())
