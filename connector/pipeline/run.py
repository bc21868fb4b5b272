"""One sync run: lease → extract → compute → load → commit checkpoints → run row.

The run never stops for one bad record or one failing insight: it records the error (naming the
record and field) and goes on. It stops only when Dataverse cannot be read or written at all; then
the checkpoints stay where they were and the next run finishes the job. Every write is an
idempotent update or alternate-key upsert, so a rerun after a crash leaves no duplicates.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from connector import schema
from connector.errors import HttpResponseError, OsiError, TransportError
from connector.pipeline.compute import ComputeResult, compute_insights
from connector.pipeline.models import ModelStore
from connector.pipeline.writeback import plan_all_writes, read_admin_settings
from connector.sync import extract as extract_mod
from connector.sync.load import LoadResult, execute_writes
from connector.sync.snapshot import load_snapshot, save_snapshot
from connector.sync.state import StateStore

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


@dataclass
class RunSummary:
    """What a run did, as stored in its ``osi_syncrun`` row and returned to the caller."""

    run_id: str
    trigger: str
    started_on: datetime
    ended_on: datetime | None = None
    status: str = "Running"
    rows_read: dict[str, int] = field(default_factory=dict)
    full_reads: list[str] = field(default_factory=list)
    writes_planned: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    failed: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    insights: dict[str, int] = field(default_factory=dict)

    @property
    def records_read(self) -> int:
        """Rows and tombstones read across streams."""
        return sum(self.rows_read.values())

    @property
    def records_written(self) -> int:
        """Rows written (updated, upserted or deleted)."""
        return sum(self.written.values())

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (for ``GET /api/runs/latest`` and the CLI)."""
        return {
            "run_id": self.run_id, "trigger": self.trigger, "status": self.status,
            "started_on": self.started_on.isoformat(), "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "records_read": self.records_read, "records_written": self.records_written,
            "records_failed": len(self.failed), "rows_read": self.rows_read, "full_reads": self.full_reads,
            "writes_planned": self.writes_planned, "written": self.written, "insights": self.insights,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "failed": self.failed[:50], "errors": self.errors[:50],
        }


def _run_row(summary: RunSummary) -> dict[str, Any]:
    status = schema.RUN_STATUS.value(summary.status)
    counts = {"rows_read": summary.rows_read, "written": summary.written, "planned": summary.writes_planned,
              "insights": summary.insights, "timings": summary.timings, "full_reads": summary.full_reads}
    errors = {"failed": summary.failed[:200], "errors": summary.errors[:200]}
    return {
        "osi_name": f"{summary.trigger} run {summary.started_on:%Y-%m-%d %H:%M}",
        "osi_startedon": summary.started_on.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "osi_endedon": summary.ended_on.strftime("%Y-%m-%dT%H:%M:%SZ") if summary.ended_on else None,
        "osi_runstatus": status, "osi_trigger": summary.trigger,
        "osi_recordsread": summary.records_read, "osi_recordswritten": summary.records_written,
        "osi_recordsfailed": len(summary.failed),
        "osi_counts": json.dumps(counts, sort_keys=True, default=str)[:100_000],
        "osi_errors": json.dumps(errors, sort_keys=True, default=str)[:100_000],
    }


def _record_run(dataverse: Any, summary: RunSummary) -> None:
    """Upsert the run's row; a failure here is logged, never fatal (the run itself already happened)."""
    try:
        dataverse.upsert_record("osi_syncruns", {"osi_key": summary.run_id}, _run_row(summary))
    except (HttpResponseError, TransportError) as exc:
        log.warning("could not record the sync run row: %s", exc)


def run_sync(
    dataverse: Any,
    state: StateStore,
    *,
    now: datetime,
    trigger: str = "cli",
    graph: Any = None,
    page_size: int | None = None,
    batch_size: int = 100,
    lease_name: str = "sync",
    org_timezone: str = "UTC",
    retrain: frozenset[str] = frozenset(),
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> RunSummary:
    """Run one sync for one organisation.

    Args:
        dataverse: the Dataverse client.
        state: where the snapshot, checkpoints and lease live.
        now: the run's reference time (aware UTC); every insight is computed as of it.
        trigger: ``timer``, ``http`` or ``cli`` (recorded on the run row).
        graph: the Graph client when Graph mail is enabled, else ``None``.
        page_size: ``odata.maxpagesize`` for reads.
        batch_size: operations per ``$batch``.
        lease_name: the lease that keeps runs for one organisation from overlapping.
        org_timezone: IANA zone for users whose own zone is unknown (notes analysis).
        retrain: entities (``lead``, ``opportunity``) whose scoring model is retrained now, due or not.
        progress: called with (step, count) as the run advances.
        clock: monotonic clock for timings.

    Returns:
        the run summary; ``status`` is Succeeded, Partial (some records or insights failed) or Failed.

    Raises:
        RunInProgressError: another run holds the lease.
        HttpResponseError, TransportError: Dataverse could not be read or written at all; nothing
            was committed, the next run starts from the same checkpoints.
    """
    summary = RunSummary(run_id=str(uuid.uuid4()), trigger=trigger, started_on=now)
    started = clock()
    with state.lease(lease_name):
        _record_run(dataverse, summary)
        try:
            _run(dataverse, state, summary, now=now, graph=graph, page_size=page_size, batch_size=batch_size,
                 org_timezone=org_timezone, retrain=retrain, progress=progress, clock=clock)
        except OsiError as exc:
            summary.status = "Failed"
            summary.errors.append(str(exc))
            summary.ended_on = now + timedelta(seconds=clock() - started)
            _record_run(dataverse, summary)
            raise
    return summary


def _run(dataverse: Any, state: StateStore, summary: RunSummary, *, now: datetime, graph: Any,
         page_size: int | None, batch_size: int, org_timezone: str, retrain: frozenset[str],
         progress: Progress | None,
         clock: Callable[[], float]) -> None:
    t0 = clock()
    snap = load_snapshot(state)
    extracted = extract_mod.extract(dataverse, snap, page_size=page_size, progress=progress)
    admin = read_admin_settings(snap.frames)
    if graph is not None:
        excluded = admin.get("who_knows_whom", {}).get("excluded_users", [])
        extract_mod.extract_mail(graph, snap, extracted, now=now, excluded_users=excluded)
    summary.rows_read = extracted.rows_read
    summary.full_reads = extracted.full_reads
    summary.failed.extend({"table": e.table, "id": e.record_id, "field": e.field, "error": e.problem}
                          for e in extracted.errors)
    t1 = clock()
    computed: ComputeResult = compute_insights(snap.frames, now=now, admin=admin, org_timezone=org_timezone,
                                               models=ModelStore(state), retrain=retrain)
    summary.errors.extend(computed.errors)
    summary.failed.extend({"table": e.table, "id": e.record_id, "field": e.field, "error": e.problem}
                          for e in computed.record_errors)
    summary.insights = {name: len(df) for name, df in computed.frames.items()}
    t2 = clock()
    writes = plan_all_writes(computed, snap.frames)
    summary.writes_planned = dict(Counter(f"{w.table}:{w.kind}" for w in writes))
    loaded: LoadResult = execute_writes(dataverse, writes, batch_size=batch_size, progress=progress)
    summary.written = loaded.written
    summary.failed.extend(loaded.failed)
    t3 = clock()
    # Checkpoints advance only now that the load went through: a crash before this line leaves the
    # previous checkpoints, and the next run redoes the (idempotent) work.
    snap.checkpoints.update(extracted.checkpoints)
    save_snapshot(state, snap)
    summary.timings = {"extract": t1 - t0, "compute": t2 - t1, "load": t3 - t2, "total": clock() - t0,
                       **{f"compute.{name}": secs for name, secs in computed.timings.items()}}
    summary.ended_on = now + timedelta(seconds=summary.timings["total"])
    summary.status = "Partial" if (summary.failed or summary.errors) else "Succeeded"
    _record_run(dataverse, summary)

