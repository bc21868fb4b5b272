"""How many records' stored relationship values change when only the clock moves (issue #14).

Usage: ``python benchmarks/relationship_stability.py [--size S] [--seed 7] [--now ISO] [--home .osi/stability]``

Seeds a demo organisation as of ``--now`` (T), extracts it through the real client into canonical frames,
computes the relationship insights at T, then, with NO data change and the models of T (what the pipeline
keeps in the registry), at T+1 h, T+1 day and T+7 days. Prints JSON: per later time and record type, how
many records have any stored value (every ``osi_`` relationship column except the computed-on stamp)
different from T, the share of all records, and how many of the changed records had a ``valid_until``
after that time (must be 0: ``valid_until`` promises no change before it).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector import schema  # noqa: E402
from connector.auth import StaticTokenCredential  # noqa: E402
from connector.dataverse.client import DataverseClient  # noqa: E402
from connector.insights.relationship import RelationshipResult, relationship_insights  # noqa: E402
from connector.provision import provision  # noqa: E402
from connector.sync.extract import extract  # noqa: E402
from connector.sync.snapshot import Snapshot  # noqa: E402
from connector.sync.streams import STREAMS  # noqa: E402
from emulator.seed import generate  # noqa: E402
from emulator.server import Emulator  # noqa: E402

STORED = [c.logical_name for c in schema.RELATIONSHIP_COLUMNS if c.logical_name != "osi_insightscomputedon"]
LATER = {"T+1h": pd.Timedelta(hours=1), "T+1d": pd.Timedelta(days=1), "T+7d": pd.Timedelta(days=7)}


def demo_frames(size: str, seed: int, now: datetime, home: Path) -> dict[str, pd.DataFrame]:
    """A freshly seeded demo organisation, extracted through the real client into canonical frames."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    org = generate(size, seed=seed, now=now)
    with Emulator(home / "org.db", token="t") as em:
        em.store.load_org(org)
        client = DataverseClient(em.url, StaticTokenCredential("t"))
        provision(client)
        snap = Snapshot()
        extract(client, snap, streams=STREAMS)
    shutil.rmtree(home, ignore_errors=True)
    return snap.frames


def changed(before: pd.DataFrame, after: pd.DataFrame) -> pd.Index:
    """Ids of the records whose stored values differ (missing on both sides counts as equal)."""
    a, b = before[STORED], after[STORED].reindex(before.index)
    differs = pd.Series(False, index=before.index)
    for col in STORED:
        x, y = a[col].astype(object), b[col].astype(object)
        differs |= ~((x == y).fillna(False) | (x.isna() & y.isna()))
    return before.index[differs.to_numpy(dtype=bool)]


def compare(first: RelationshipResult, later: RelationshipResult, at: pd.Timestamp) -> dict[str, object]:
    total = sum(len(t) for t in first.tables.values())
    out: dict[str, object] = {}
    moved, broken = 0, 0
    for rtype, table in first.tables.items():
        ids = changed(table, later.tables[rtype])
        until = first.valid_until[rtype].reindex(ids)
        early = int((until.notna() & (until > at)).sum() + until.isna().sum())
        out[rtype] = {"records": len(table), "changed": len(ids)}
        moved += len(ids)
        broken += early
    out["all"] = {"records": total, "changed": moved, "share": round(moved / total, 4) if total else None,
                  "changed_before_valid_until": broken}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", default="2026-11-02T09:00:00+00:00")
    parser.add_argument("--home", default=".osi/stability")
    args = parser.parse_args()
    now = pd.Timestamp(datetime.fromisoformat(args.now))
    frames = demo_frames(args.size, args.seed, now.to_pydatetime(), Path(args.home))
    started = time.process_time()
    first = relationship_insights(frames, now=now)
    report: dict[str, object] = {"size": args.size, "seed": args.seed, "T": now.isoformat(),
                                 "first_cpu_s": round(time.process_time() - started, 1),
                                 "models": {k: m.kind for k, m in first.models.items()}}
    for label, delta in LATER.items():
        at = now + delta
        started = time.process_time()
        later = relationship_insights(frames, now=at, models=first.models, previous=first.tables)
        report[label] = {**compare(first, later, at), "cpu_s": round(time.process_time() - started, 1)}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
