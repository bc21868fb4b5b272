"""Benchmark the sync over real time on the emulator: the clock moves between runs, as it does in an org.

Usage: ``python benchmarks/sync_bench.py [--sizes S M] [--workdir .osi/bench]``

For each size it seeds an organisation (``python -m emulator seed``) as of an hour before ``T`` (the wall
clock, or the next UTC midnight when the hour after the wall clock crosses one), serves it in a separate
process (``python -m emulator serve``) so the figures are the connector's own, provisions it, and runs the
sync as of ``T`` (the first, full run), ``T + 1 h``, ``T + 1 day`` and ``T + 7 days`` with no data change,
then changes 1 % of the organisation through the Web API (updates, new e-mails and notes, deletions;
:mod:`org_changes`) and runs once more as of ``T + 7 days + 1 h``, and once after the admin sets the
relationship frequency to monthly, as of ``T + 7 days + 2 h``. It prints one JSON object per size: per run,
seconds per step, HTTP requests and bytes received, rows read, rows written per table, records evaluated per
insight, the share of customer records written, the peak resident memory of this process, and why each
timeline entry and note suggestion written changed (read back from Dataverse around the run, outside its
timings). Figures vary with the machine; compare runs measured in the same call.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
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


def _visible(client: DataverseClient) -> tuple[dict[str, tuple[Any, ...]], dict[str, Any]]:
    """Timeline entries (key → raised, expires, subject) and note suggestions (id → status) as Dataverse holds them."""
    entries = {str(r.get("osi_key")): (r.get("osi_raisedon"), r.get("osi_expireson"), r.get("subject"))
               for r in client.list_records("osi_insights", select=["osi_key", "osi_raisedon", "osi_expireson",
                                                                     "subject"])}
    status = {str(r["osi_notesuggestionid"]): r.get("osi_suggestionstatus")
              for r in client.list_records("osi_notesuggestions", select=["osi_notesuggestionid",
                                                                          "osi_suggestionstatus"])}
    return entries, status


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None


def _causes(before: tuple[dict[str, tuple[Any, ...]], dict[str, Any]],
            after: tuple[dict[str, tuple[Any, ...]], dict[str, Any]], since: datetime, now: datetime) -> dict[str, int]:
    """Why each timeline entry and note suggestion this run wrote changed: a card raised or ended at a time
    between the previous run and this one (the clock made it due), a health entry, or anything else."""
    out: dict[str, int] = {}
    for key, row in after[0].items():
        if before[0].get(key) == row:
            continue
        times = [t for t in (_when(row[0]), _when(row[1])) if t is not None]
        if key.startswith("card|"):
            kind = key.split("|")[1]
            due = kind != "health_change" and any(since < t <= now for t in times)  # a jump is raised by a run
            cause = f"card raised or ended since the last run: {kind}" if due else f"card: {kind}"
        else:
            cause = "health state change" if key.startswith("health|") else "other timeline entry"
        out[cause] = out.get(cause, 0) + 1
    for key, status in after[1].items():
        if before[1].get(key) != status:
            cause = f"note suggestion status {status}"
            out[cause] = out.get(cause, 0) + 1
    return dict(sorted(out.items()))


Visible = tuple[dict[str, tuple[Any, ...]], dict[str, Any]]


def _run(client: DataverseClient, graph: GraphClient, state: LocalStateStore, meter: Meter, now: datetime,
         records: int, since: datetime | None, held: Visible) -> tuple[dict[str, Any], Visible]:
    """One run's figures, and the timeline entries and suggestions after it (``held``: those before it)."""
    before = (meter.requests, meter.bytes)
    started = time.perf_counter()
    summary = run_sync(client, state, now=now, graph=graph, options=RunOptions(batch_size=200))
    wall = round(time.perf_counter() - started, 2)
    written = {k: v for k, v in sorted(summary.written.items()) if not k.startswith("osi_syncrun")}
    customers = sum(v for k, v in written.items() if k.split(":")[0] in CUSTOMER_TABLES)
    after = _visible(client)
    return {
        "as_of": now.isoformat(), "status": summary.status, "wall_seconds": wall,
        "seconds": {k: round(v, 2) for k, v in summary.timings.items()},
        "http_requests": meter.requests - before[0], "http_mb_received": round((meter.bytes - before[1]) / 2**20, 1),
        "rows_read": summary.records_read, "rows_written": sum(written.values()), "written": written,
        "customer_records_written_share": round(customers / records, 4) if records else None,
        "evaluated": summary.evaluated, "records_failed": len(summary.failed), "insight_errors": summary.errors,
        "warnings": summary.warnings[:5], "notes": summary.notes, "peak_rss_mb": round(_peak_mb(), 0),
        "why_timeline_and_suggestions": _causes(held, after, since or now, now),
    }, after


def _change_relationship_frequency(client: DataverseClient) -> None:
    """The admin sets the relationship insight's communication frequency to monthly (the settings row)."""
    row = next(iter(client.list_records("osi_settings", select=["osi_settingid", "osi_value"],
                                        filter="osi_key eq 'relationship'")))
    value = json.loads(row["osi_value"])
    value["communication_frequency"] = "monthly"
    client.update_record("osi_settings", row["osi_settingid"], {"osi_value": json.dumps(value)})


def _start() -> datetime:
    """The wall clock, or the next UTC midnight when the hour after it crosses one (insights change at
    midnight by design: the ``T + 1 h`` run is meant to measure an hour within one day)."""
    now = datetime.now(UTC).replace(microsecond=0)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0)
    return midnight + timedelta(minutes=5) if now + timedelta(hours=1) >= midnight else now


def bench(size: str, workdir: Path) -> dict[str, Any]:
    """Seed, serve, provision and sync one size as the clock moves; return the figures."""
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"bench-{size}.db"
    for old in workdir.glob(f"bench-{size}.db*"):
        old.unlink()
    start = _start()
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
        schedule: list[tuple[str, timedelta, Callable[[], None] | None]] = [
            ("first", timedelta(0), None), ("plus_1_hour", timedelta(hours=1), None),
            ("plus_1_day", timedelta(days=1), None), ("plus_7_days", timedelta(days=7), None),
            ("after_1_percent_change", timedelta(days=7, hours=1),
             lambda: changes.update(change_share(client, share=0.01, when=start + timedelta(days=7, minutes=30),
                                                 seed=1).counts)),
            ("after_relationship_setting_change", timedelta(days=7, hours=2),
             lambda: _change_relationship_frequency(client))]
        changes: dict[str, int] = {}
        previous: datetime | None = None
        held = _visible(client)
        for name, offset, change in schedule:
            if change is not None:
                change()
                held = _visible(client)  # what the change itself did is not the run's
            runs[name], held = _run(client, graph, state, meter, start + offset, records, previous, held)
            previous = start + offset
        runs["after_1_percent_change"]["changes"] = changes
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
