"""Benchmark the sync end to end on the emulator: a first (full) run and a no-change second run.

Usage: ``python benchmarks/sync_bench.py [--sizes S M] [--workdir .osi/bench]``

For each size it seeds an organisation (``python -m emulator seed``), serves it in a separate
process (``python -m emulator serve``) so the figures are the connector's own, provisions it, and
runs the sync twice. It prints one JSON object per size: extract, compute and load seconds, HTTP
requests and bytes received, rows read and written, and the peak resident memory of this process,
for both runs. Figures vary with the machine; compare sizes and runs measured in the same call.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.auth import StaticTokenCredential  # noqa: E402
from connector.dataverse.client import DataverseClient  # noqa: E402
from connector.graph.client import GraphClient  # noqa: E402
from connector.http import Transport, new_session  # noqa: E402
from connector.pipeline.run import RunOptions, run_sync  # noqa: E402
from connector.provision import provision  # noqa: E402
from connector.sync.state import LocalStateStore  # noqa: E402

TOKEN = "osi-bench-token"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


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
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--db", str(db), "--token", TOKEN],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"emulator did not start: {line!r}")
    return proc, match.group(1)


def _run(client: DataverseClient, graph: GraphClient, state: LocalStateStore, meter: Meter) -> dict[str, Any]:
    before = (meter.requests, meter.bytes)
    summary = run_sync(client, state, now=NOW, graph=graph, options=RunOptions(batch_size=200))
    return {
        "status": summary.status, "seconds": {k: round(v, 2) for k, v in summary.timings.items()},
        "http_requests": meter.requests - before[0], "http_mb_received": round((meter.bytes - before[1]) / 2**20, 1),
        "rows_read": summary.records_read, "rows_written": summary.records_written,
        "records_failed": len(summary.failed), "insight_errors": summary.errors,
        "peak_rss_mb": round(_peak_mb(), 0),
    }


def bench(size: str, workdir: Path) -> dict[str, Any]:
    """Seed, serve, provision and sync one size twice; return the figures."""
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"bench-{size}.db"
    for old in workdir.glob(f"bench-{size}.db*"):
        old.unlink()
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "emulator", "seed", "--db", str(db), "--size", size, "--seed", "1",
                    "--now", (NOW - timedelta(hours=1)).isoformat()], check=True, stdout=subprocess.DEVNULL)
    seed_seconds = time.perf_counter() - t0
    proc, url = _serve(db)
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
        first = _run(client, graph, state, meter)
        second = _run(client, graph, state, meter)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"size": size, "seed_seconds": round(seed_seconds, 1), "first_run": first, "no_change_run": second}


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
