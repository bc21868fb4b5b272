"""Run triggers: the timer (``%OSI_SYNC_SCHEDULE%``, never on startup) and the run queue (``%OSI_RUN_QUEUE%``).

Both take the organisation's one run lease, so a timer tick and a queued run never overlap.
"""

from __future__ import annotations

import json
import logging

import azure.functions as func

from connector.errors import OsiError, RunInProgressError
from connector.pipeline import service
from functions.config import settings

log = logging.getLogger(__name__)

bp = func.Blueprint()

MAX_DEQUEUE_COUNT = 10
"""host.json ``extensions.queues.maxDequeueCount``: a run request still blocked by another run after this
many tries (one a minute, ``visibilityTimeout``) is recorded as Skipped and goes to the poison queue."""


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


@bp.queue_trigger(arg_name="msg", queue_name="%OSI_RUN_QUEUE%", connection="AzureWebJobsStorage")
def queued_run(msg: func.QueueMessage) -> None:
    """Run the sync a ``POST /api/runs`` queued; while another run holds the lease, raise so the host retries."""
    try:
        message = json.loads(msg.get_body())
        summary = service.run_queued(settings(), message if isinstance(message, dict) else {},
                                     attempt=msg.dequeue_count or 1, max_attempts=MAX_DEQUEUE_COUNT)
    except ValueError as exc:  # malformed message: retrying cannot help
        log.error("run queue message %s ignored: %s", msg.id, exc)
        return
    except RunInProgressError:
        raise  # the host makes the message visible again after visibilityTimeout and retries
    except OsiError as exc:  # the failure is on the request record and the run row; the timer tries again
        log.warning("queued sync run failed: %s", exc)
        return
    log.info("queued sync run %s: %s, %d read, %d written, %d failed", summary.run_id, summary.status,
             summary.records_read, summary.records_written, len(summary.failed))
