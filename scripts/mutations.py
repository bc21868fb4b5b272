"""Check that the fast tests catch a few deliberate breaks of the health score and of a producer.

Usage: ``python scripts/mutations.py`` (from the repository root, with ``.venv``).

Each mutation is applied to a copy of the repository in a temporary folder, and the fast unit tests of
its area run there; a mutation that every test lets through is reported and the script exits 1. Prints
one line per mutation: its name, caught or not, and the first test that failed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = "connector/insights/relationship/indicators.py"
TAIL = "    out += _reciprocity() + _breadth(s) + _deal()\n    return tuple(out)"


def _without(component: str) -> tuple[str, str, str]:
    return INDICATORS, TAIL, TAIL.replace("tuple(out)", f"tuple(i for i in out if i.component != {component!r})")


MUTATIONS: dict[str, tuple[str, str, str]] = {
    "health: no recency": _without("recency"),
    "health: no reciprocity": _without("reciprocity"),
    "health: no breadth": _without("breadth"),
    "health: no responsiveness": _without("responsiveness"),
    "health: an unanswered e-mail raises it": (
        INDICATORS, 'out.append(Indicator(f"unanswered_{k}", "responsiveness", -1, ALL',
        'out.append(Indicator(f"unanswered_{k}", "responsiveness", 1, ALL'),
    "pipeline: a producer raises": (
        "connector/pipeline/producers/similar_deals.py", "    s = ctx.settings\n",
        "    s = ctx.settings\n    raise KeyError('mutated')\n"),
}
TESTS = ["tests/unit/relationship", "tests/unit/pipeline", "tests/unit/sellerday"]


def _caught(name: str, path: str, old: str, new: str) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        for part in ("connector", "tests", "emulator", "solution_assets", "pyproject.toml"):
            source = ROOT / part
            (shutil.copytree if source.is_dir() else shutil.copy)(source, copy / part)
        target = copy / path
        text = target.read_text()
        if old not in text:
            return False, f"the code to mutate is gone ({path}): update this script"
        if name != BASELINE:
            target.write_text(text.replace(old, new, 1))
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                              "-m", "not slow and not browser", *TESTS], cwd=copy, capture_output=True, text=True)
        failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
        return run.returncode != 0, failed[0][7:] if failed else run.stdout.strip().splitlines()[-1]


BASELINE = "no mutation"


def main() -> int:
    failed, detail = _caught(BASELINE, INDICATORS, TAIL, TAIL)
    if failed:
        print(f"the tests fail without any mutation ({detail}): fix them first")
        return 2
    missed = 0
    for name, (path, old, new) in MUTATIONS.items():
        caught, detail = _caught(name, path, old, new)
        missed += not caught
        print(f"{name}: {'caught by ' if caught else 'MISSED: '}{detail}", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
