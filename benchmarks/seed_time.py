"""Benchmark: how long the demo generator takes, how much it makes, and how long the store takes to load it.

Usage::

    .venv/bin/python benchmarks/seed_time.py                 # sizes S and M
    .venv/bin/python benchmarks/seed_time.py --sizes S       # one size
    .venv/bin/python benchmarks/seed_time.py --large         # S, M and L (L needs several GiB of RAM)
    .venv/bin/python benchmarks/seed_time.py --no-load       # generation only
    .venv/bin/python benchmarks/seed_time.py --sizes S --no-load --stats   # plus outcome figures

Prints one JSON document: per size, wall and CPU seconds to generate, the process's peak RSS so far (GiB),
row counts, activity total, and
(unless ``--no-load``, and when the emulator's store is importable) seconds to bulk-load into a fresh
SQLite file and the file's size in MiB. Databases are written to a temporary directory and removed.
With ``--stats``: closed/won counts, and ROC AUC of the true propensity and of the observable
``closeprobability``/``salesstage`` against the outcome (how learnable, and how leaky, the data is).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator.org import DemoOrg  # noqa: E402
from emulator.seed import counts, generate, load  # noqa: E402

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
ACTIVITIES = ("email", "phonecall", "appointment", "task")


def _stats(org: DemoOrg) -> dict[str, object]:
    from sklearn.metrics import roc_auc_score

    leads = [r for r in org.tables["lead"] if r["statecode"] != 0]
    opps = [r for r in org.tables["opportunity"] if r["statecode"] != 0]
    qualified = [r["statecode"] == 1 for r in leads]
    won = [r["statecode"] == 1 for r in opps]
    return {
        "closed_leads": len(leads), "qualified": sum(qualified),
        "closed_opportunities": len(opps), "won": sum(won),
        "auc_true_propensity_leads": round(roc_auc_score(
            qualified, [org.truth["leads"][r["leadid"]]["propensity"] for r in leads]), 3),
        "auc_true_propensity_opportunities": round(roc_auc_score(
            won, [org.truth["opportunities"][r["opportunityid"]]["propensity"] for r in opps]), 3),
        "auc_closeprobability": round(roc_auc_score(won, [r["closeprobability"] for r in opps]), 3),
        "auc_salesstage": round(roc_auc_score(won, [r["salesstage"] for r in opps]), 3),
        "relationships": dict(Counter(t["relationship"] for t in org.truth["contacts"].values())),
        "notes_with_intents": sum(bool(t["intents"]) for t in org.truth["notes"].values()),
        "emails_with_topics": len(org.truth["email_topics"]),
    }


def _one(size: str, seed: int, with_load: bool, with_stats: bool = False) -> dict[str, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    org = generate(size, seed, now=NOW)
    out: dict[str, object] = {"generate_wall_s": round(time.perf_counter() - wall, 2),
                              "generate_cpu_s": round(time.process_time() - cpu, 2)}
    n = counts(org)
    out["peak_rss_gib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)
    out["activities"] = sum(n[t] for t in ACTIVITIES)
    out["counts"] = n
    if with_stats:
        out["stats"] = _stats(org)
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
    parser.add_argument("--stats", action="store_true", help="also report outcome rates and AUCs")
    args = parser.parse_args(argv)
    sizes = list(dict.fromkeys([*args.sizes, *(["L"] if args.large else [])]))
    report = {"now": NOW.isoformat(), "seed": args.seed,
              "sizes": {size: _one(size, args.seed, not args.no_load, args.stats) for size in sizes}}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
