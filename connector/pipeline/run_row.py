"""The run's summary and its ``osi_syncrun`` row: what a run did, as the admin reads it.

The row carries the real wall-clock start and end of the run, the reference time insights were computed
as of, the counts read / evaluated / changed / written per table, the timings, the failed records, the
failed insights and the warnings (settings that were refused, each named).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from connector import schema
from connector.errors import HttpResponseError, TransportError

if TYPE_CHECKING:
    from connector.pipeline.compute import ComputeResult

log = logging.getLogger(__name__)

RUNS = "osi_syncruns"
STOPPED = "the run stopped before it finished (host time-out, crash or kill); a later run redid its work"
_LIMIT = 100_000
"""Characters of a memo column (Dataverse's limit for ours)."""


@dataclass
class RunSummary:
    """What a run did, as stored in its ``osi_syncrun`` row and returned to the caller."""

    run_id: str
    trigger: str
    started_on: datetime
    as_of: datetime | None = None
    ended_on: datetime | None = None
    status: str = "Running"
    rows_read: dict[str, int] = field(default_factory=dict)
    full_reads: list[str] = field(default_factory=list)
    writes_planned: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    failed: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    insights: dict[str, int] = field(default_factory=dict)
    evaluated: dict[str, int] = field(default_factory=dict)

    @property
    def records_read(self) -> int:
        """Rows and tombstones read across streams."""
        return sum(self.rows_read.values())

    @property
    def records_written(self) -> int:
        """Rows written (updated, upserted or deleted)."""
        return sum(self.written.values())

    def take_compute(self, computed: ComputeResult) -> None:
        """Take what the compute step reports: failed insights, skipped records, warnings, notes, counts."""
        self.errors.extend(computed.errors)
        self.warnings.extend(computed.warnings)
        self.notes.extend(computed.notes)
        self.failed.extend({"table": e.table, "id": e.record_id, "field": e.field, "error": e.problem}
                           for e in computed.record_errors)
        self.insights = {name: len(df) for name, df in computed.frames.items()}
        self.evaluated = dict(computed.evaluated)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (for ``GET /api/runs/latest`` and the CLI)."""
        return {
            "run_id": self.run_id, "trigger": self.trigger, "status": self.status,
            "started_on": self.started_on.isoformat(), "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "records_read": self.records_read, "records_written": self.records_written,
            "records_failed": len(self.failed), "rows_read": self.rows_read, "full_reads": self.full_reads,
            "writes_planned": self.writes_planned, "written": self.written, "insights": self.insights,
            "evaluated": self.evaluated, "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "failed": self.failed[:50], "errors": self.errors[:50], "warnings": self.warnings[:50],
            "notes": self.notes[:50],
        }


def _stamp(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def run_row(summary: RunSummary) -> dict[str, Any]:
    """The ``osi_syncrun`` row of a summary."""
    counts = {"rows_read": summary.rows_read, "written": summary.written, "planned": summary.writes_planned,
              "insights": summary.insights, "evaluated": summary.evaluated, "timings": summary.timings,
              "full_reads": summary.full_reads, "as_of": _stamp(summary.as_of), "notes": summary.notes}
    errors = {"failed": summary.failed[:200], "errors": summary.errors[:200], "warnings": summary.warnings[:200]}
    return {
        "osi_name": f"{summary.trigger} run {summary.started_on:%Y-%m-%d %H:%M:%S}",
        "osi_startedon": _stamp(summary.started_on), "osi_endedon": _stamp(summary.ended_on),
        "osi_runstatus": schema.RUN_STATUS.value(summary.status), "osi_trigger": summary.trigger,
        "osi_recordsread": summary.records_read, "osi_recordswritten": summary.records_written,
        "osi_recordsfailed": len(summary.failed),
        "osi_counts": json.dumps(counts, sort_keys=True, default=str)[:_LIMIT],
        "osi_errors": json.dumps(errors, sort_keys=True, default=str)[:_LIMIT],
    }


def record_run(dataverse: Any, summary: RunSummary) -> None:
    """Upsert the run's row; a failure here is logged, never fatal (the run itself already happened)."""
    try:
        dataverse.upsert_record(RUNS, {"osi_key": summary.run_id}, run_row(summary))
    except (HttpResponseError, TransportError) as exc:
        log.warning("could not record the sync run row: %s", exc)


def close_stale_runs(dataverse: Any, *, ended_on: datetime) -> int:
    """Close rows left "Running" by runs that died: the caller holds the lease, so none is still running.

    Returns:
        how many rows were closed (0 when they could not be read; logged, never fatal).
    """
    running = schema.RUN_STATUS.value("Running")
    try:
        stale = list(dataverse.list_records(RUNS, select=["osi_key"], filter=f"osi_runstatus eq {running}"))
        for row in stale:
            dataverse.upsert_record(RUNS, {"osi_key": row["osi_key"]}, {
                "osi_runstatus": schema.RUN_STATUS.value("Failed"), "osi_endedon": _stamp(ended_on),
                "osi_errors": json.dumps({"errors": [STOPPED]})})
    except (HttpResponseError, TransportError) as exc:
        log.warning("could not close run rows left running by an earlier run: %s", exc)
        return 0
    return len(stale)
