"""Benchmark: how long the demo generator takes, how much it makes, and how long the store takes to load it.

Usage::

    .venv/bin/python benchmarks/seed_time.py                 # sizes S and M
    .venv/bin/python benchmarks/seed_time.py --sizes S       # one size
    .venv/bin/python benchmarks/seed_time.py --large         # S, M and L (L needs several GiB of RAM)
    .venv/bin/python benchmarks/seed_time.py --no-load       # generation only

Prints one JSON document: per size, wall and CPU seconds to generate, row counts, activity total, and
(unless ``--no-load``, and when the emulator's store is importable) seconds to bulk-load into a fresh
SQLite file and the file's size in MiB. Databases are written to a temporary directory and removed.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator.seed import counts, generate, load  # noqa: E402

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
ACTIVITIES = ("email", "phonecall", "appointment", "task")


def _one(size: str, seed: int, with_load: bool) -> dict[str, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    org = generate(size, seed, now=NOW)
    out: dict[str, object] = {"generate_wall_s": round(time.perf_counter() - wall, 2),
                              "generate_cpu_s": round(time.process_time() - cpu, 2)}
    n = counts(org)
    out["activities"] = sum(n[t] for t in ACTIVITIES)
    out["counts"] = n
    if with_load:
        try:
            import emulator.store  # noqa: F401
        except ImportError:
            out["load"] = "emulator.store not available"
        else:
            with tempfile.TemporaryDirectory(prefix="osi-seed-bench-") as tmp:
                db = Path(tmp) / "org.sqlite"
                wall = time.perf_counter()
                load(org, db)
                out["load_wall_s"] = round(time.perf_counter() - wall, 2)
                out["db_mib"] = round(sum(p.stat().st_size for p in Path(tmp).iterdir()) / 2**20, 1)
    del org
    gc.collect()
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its JSON report; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=["S", "M", "L"], default=["S", "M"])
    parser.add_argument("--large", action="store_true", help="also run size L")
    parser.add_argument("--no-load", action="store_true", help="skip loading into the store")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = list(dict.fromkeys([*args.sizes, *(["L"] if args.large else [])]))
    report = {"now": NOW.isoformat(), "seed": args.seed,
              "sizes": {size: _one(size, args.seed, not args.no_load) for size in sizes}}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
