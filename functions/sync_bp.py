"""Timer trigger: one incremental sync every ``%OSI_SYNC_SCHEDULE%`` (never on startup)."""

from __future__ import annotations

import logging

import azure.functions as func

from connector.errors import RunInProgressError
from connector.pipeline import service
from functions.config import settings

log = logging.getLogger(__name__)

bp = func.Blueprint()


@bp.timer_trigger(schedule="%OSI_SYNC_SCHEDULE%", arg_name="timer", run_on_startup=False, use_monitor=True)
def scheduled_sync(timer: func.TimerRequest) -> None:
    """Run the sync; an overlapping run is skipped (the lease says another is still going)."""
    if timer.past_due:
        log.info("the sync timer is past due; running now")
    try:
        summary = service.run(settings(), trigger="timer")
    except RunInProgressError:
        log.info("a sync run is still in progress; this tick is skipped")
        return
    log.info("sync run %s: %s, %d read, %d written, %d failed", summary.run_id, summary.status,
             summary.records_read, summary.records_written, len(summary.failed))
