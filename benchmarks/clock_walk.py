"""What a clock move alone would make every insight write, with no change to any record.

Usage: ``python benchmarks/clock_walk.py [--size S] [--start 2026-11-02T09:17:00Z] [--steps 1h 1d 7d]``

Reads a demo organisation's canonical frames once (cached by :mod:`wkw_demo_frames`), computes every producer
as of ``start``, makes the frames hold what that run would have written (as Dataverse would after the load),
then computes again as of each later time and plans the writes against those held values. It prints, per
step and per table, the rows that would be written and the share of customer records (contacts, accounts,
leads, opportunities) among them: what a real run would write if nothing happened in the organisation.
The producers run with their saved state, as in a real run; the first computation has none.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from wkw_demo_frames import demo_frames  # noqa: E402

from connector.pipeline.compute import ComputeInputs, compute_insights  # noqa: E402
from connector.pipeline.models import ModelStore  # noqa: E402
from connector.pipeline.registry import REGISTRY  # noqa: E402
from connector.pipeline.writeback import plan_all_writes  # noqa: E402
from connector.record_types import RECORD_TYPES  # noqa: E402
from connector.sync.state import LocalStateStore  # noqa: E402

STEPS = {"1h": timedelta(hours=1), "1d": timedelta(days=1), "7d": timedelta(days=7)}


def _hold(frames: dict[str, pd.DataFrame], computed: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames as the next run would read them back: our values on records, our rows in our tables."""
    held = dict(frames)
    targets = REGISTRY.targets()
    for table, frame in computed.items():
        if table in RECORD_TYPES:
            rt = RECORD_TYPES[table]
            base = held[rt.frame]
            ours = frame.rename(columns={rt.primary_id: rt.frame_key})
            keep = [c for c in base.columns if not (c.startswith("osi_") and c in ours.columns)]
            held[rt.frame] = base[keep].merge(ours, on=rt.frame_key, how="left")
        elif targets[table].kind == "upsert":
            td = next(t for t in REGISTRY.tables() if t.logical_name == table)
            rows = frame.copy()
            rows[td.primary_id] = [f"id-{k}" for k in rows["osi_key"]]
            held[f"own_{table}"] = rows
    return held


def walk(size: str, start: datetime, steps: list[str]) -> dict[str, Any]:
    """Compute at ``start`` and at each step after it; return the planned writes per step."""
    frames = demo_frames(size)
    models = ModelStore(LocalStateStore(tempfile.mkdtemp(prefix="osi-clock-walk-")))
    first = compute_insights(frames, ComputeInputs(now=start, admin={}, models=models))
    memory = first.memory
    held = _hold(frames, first.frames)
    records = sum(len(frames[rt.frame]) for rt in RECORD_TYPES.values())
    out: dict[str, Any] = {"size": size, "start": start.isoformat(), "customer_records": records,
                           "errors": first.errors}
    for step in steps:
        now = start + STEPS[step]
        later = compute_insights(held, ComputeInputs(now=now, admin={}, memory=memory, models=models))
        writes = plan_all_writes(later, held, now=now)
        per_table = Counter(f"{w.table}:{w.kind}" for w in writes)
        customers = {w.key for w in writes if w.table in RECORD_TYPES}
        columns = Counter(c for w in writes if w.table in RECORD_TYPES for c in w.body)
        out[step] = {"writes": dict(sorted(per_table.items())), "customer_records_written": len(customers),
                     "customer_share": round(len(customers) / records, 4), "columns": dict(columns.most_common(8)),
                     "errors": later.errors}
    return out


def main() -> None:
    """Parse arguments, walk the clock, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S", choices=["XS", "S", "M"])
    parser.add_argument("--start", default="2026-11-02T09:17:00+00:00")
    parser.add_argument("--steps", nargs="+", default=["1h", "1d", "7d"], choices=list(STEPS))
    args = parser.parse_args()
    start = datetime.fromisoformat(args.start.replace("Z", "+00:00")).astimezone(UTC)
    print(json.dumps(walk(args.size, start, args.steps), indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
