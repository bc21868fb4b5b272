"""Regenerate the scoring fixture CSVs.

Run from the repo root: ``.venv/bin/python tests/data/scoring/make_fixtures.py``.

``leads_small.csv``: 400 synthetic closed leads (see ``benchmarks/scoring_synthetic.py``) plus
``salesnote``, a field a seller fills *after* the outcome (98 % aligned with it): the leak the guard
must name. ``statecode`` 1 = qualified, 2 = disqualified.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))

from scoring_synthetic import synthetic_records  # noqa: E402


def main() -> None:
    """Write the fixtures next to this script."""
    frame, _ = synthetic_records(400, entity="lead", seed=7)
    rng = np.random.default_rng(7)
    won = frame["statecode"].to_numpy() == 1
    flip = rng.random(len(frame)) < 0.02
    frame["salesnote"] = np.where(won ^ flip, "signed up after demo", "no answer")
    for col in ("createdon", "closedon"):
        frame[col] = frame[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    frame.to_csv(Path(__file__).with_name("leads_small.csv"), index=False)


if __name__ == "__main__":
    main()
