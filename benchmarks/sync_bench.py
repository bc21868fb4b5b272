"""Benchmark the sync over real time on the emulator: the clock moves between runs, as it does in an org.

Usage: ``python benchmarks/sync_bench.py [--sizes S M] [--workdir .osi/bench]``

For each size it seeds an organisation (``python -m emulator seed``) as of an hour before the wall clock
``T``, serves it in a separate process (``python -m emulator serve``) so the figures are the connector's
own, provisions it, and runs the sync as of ``T`` (the first, full run), ``T + 1 h``, ``T + 1 day`` and
``T + 7 days`` with no data change, then changes 1 % of the organisation through the Web API (updates,
new e-mails and notes, deletions; :mod:`org_changes`) and runs once more as of ``T + 7 days + 1 h``.
It prints one JSON object per size: per run, seconds per step, HTTP requests and bytes received, rows
read, rows written per table, records evaluated per insight, the share of customer records written, and
the peak resident memory of this process. Figures vary with the machine; compare runs measured in the
same call.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from org_changes import change_share  # noqa: E402
from served_org import serve  # noqa: E402

from connector.auth import StaticTokenCredential  # noqa: E402
from connector.dataverse.client import DataverseClient  # noqa: E402
from connector.graph.client import GraphClient  # noqa: E402
from connector.http import Transport, new_session  # noqa: E402
from connector.pipeline.run import RunOptions, run_sync  # noqa: E402
from connector.provision import provision  # noqa: E402
from connector.sync.state import LocalStateStore  # noqa: E402

TOKEN = "osi-bench-token"
CUSTOMER_TABLES = ("contact", "account", "lead", "opportunity")


class Meter:
    """Counts requests and response bytes through a requests hook on the transport's session."""

    def __init__(self) -> None:
        self.requests = 0
        self.bytes = 0

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.requests += 1
        self.bytes += len(response.content)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _serve(db: Path) -> tuple[subprocess.Popen[str], str]:
    return serve(db, TOKEN)


def _run(client: DataverseClient, graph: GraphClient, state: LocalStateStore, meter: Meter, now: datetime,
         records: int) -> dict[str, Any]:
    before = (meter.requests, meter.bytes)
    started = time.perf_counter()
    summary = run_sync(client, state, now=now, graph=graph, options=RunOptions(batch_size=200))
    written = {k: v for k, v in sorted(summary.written.items()) if not k.startswith("osi_syncrun")}
    customers = sum(v for k, v in written.items() if k.split(":")[0] in CUSTOMER_TABLES)
    return {
        "as_of": now.isoformat(), "status": summary.status, "wall_seconds": round(time.perf_counter() - started, 2),
        "seconds": {k: round(v, 2) for k, v in summary.timings.items()},
        "http_requests": meter.requests - before[0], "http_mb_received": round((meter.bytes - before[1]) / 2**20, 1),
        "rows_read": summary.records_read, "rows_written": sum(written.values()), "written": written,
        "customer_records_written_share": round(customers / records, 4) if records else None,
        "evaluated": summary.evaluated, "records_failed": len(summary.failed), "insight_errors": summary.errors,
        "warnings": summary.warnings[:5], "notes": summary.notes, "peak_rss_mb": round(_peak_mb(), 0),
    }


def bench(size: str, workdir: Path) -> dict[str, Any]:
    """Seed, serve, provision and sync one size as the clock moves; return the figures."""
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"bench-{size}.db"
    for old in workdir.glob(f"bench-{size}.db*"):
        old.unlink()
    start = datetime.now(UTC).replace(microsecond=0)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "emulator", "seed", "--db", str(db), "--size", size, "--seed", "1",
                    "--now", (start - timedelta(hours=1)).isoformat()], check=True, stdout=subprocess.DEVNULL)
    seed_seconds = time.perf_counter() - t0
    proc, url = _serve(db)
    runs: dict[str, Any] = {}
    try:
        meter = Meter()
        session = new_session()
        session.hooks["response"].append(meter.hook)
        transport = Transport(session=session, timeout=120)
        credential = StaticTokenCredential(TOKEN)
        client = DataverseClient(url, credential, transport=transport)
        graph = GraphClient(url, credential, transport=transport)
        provision(client)
        state = LocalStateStore(workdir / f"state-{size}")
        for old in (workdir / f"state-{size}").rglob("*"):
            if old.is_file():
                old.unlink()
        records = sum(len(list(client.list_records(s, select=[k]))) for s, k in (
            ("contacts", "contactid"), ("accounts", "accountid"), ("leads", "leadid"),
            ("opportunities", "opportunityid")))
        for name, offset in (("first", timedelta(0)), ("plus_1_hour", timedelta(hours=1)),
                             ("plus_1_day", timedelta(days=1)), ("plus_7_days", timedelta(days=7))):
            runs[name] = _run(client, graph, state, meter, start + offset, records)
        changed = change_share(client, share=0.01, when=start + timedelta(days=7, minutes=30), seed=1)
        runs["after_1_percent_change"] = _run(client, graph, state, meter, start + timedelta(days=7, hours=1),
                                              records)
        runs["after_1_percent_change"]["changes"] = changed.counts
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"size": size, "seed_seconds": round(seed_seconds, 1), "customer_records": records, "runs": runs}


def main() -> None:
    """Parse arguments, run the sizes, print JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M"], choices=["S", "M", "L"])
    parser.add_argument("--workdir", default=".osi/bench")
    args = parser.parse_args()
    for size in args.sizes:
        print(json.dumps(bench(size, Path(args.workdir)), sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
