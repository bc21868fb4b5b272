"""Traces and metrics of runs and HTTP calls, through the OpenTelemetry API.

Without a configured provider every call here is a no-op (the OpenTelemetry API's default), so the CLI,
the demo and the tests pay nothing. In Azure, :func:`configure` installs the Azure Monitor distro
(``azure-monitor-opentelemetry``) when ``APPLICATIONINSIGHTS_CONNECTION_STRING`` is set, and the same
calls feed Application Insights: one span per run (``osi.run``) with its counts and status, the
per-stage durations as a histogram, and every Dataverse / Graph response counted by host and status
(429s apart, so throttling shows at a glance).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from opentelemetry import metrics, trace

log = logging.getLogger(__name__)

_SCOPE = "open-sales-insights"
_tracer = trace.get_tracer(_SCOPE)
_meter = metrics.get_meter(_SCOPE)

HTTP_RESPONSES = _meter.create_counter(
    "osi.http.responses", unit="{response}", description="HTTP responses from Dataverse and Graph, by host and status")
THROTTLED = _meter.create_counter(
    "osi.http.throttled", unit="{response}", description="429 answers (service protection limits), by host")
STAGE_SECONDS = _meter.create_histogram(
    "osi.run.stage.duration", unit="s", description="Duration of each stage of a sync run (extract, compute, load)")
RUNS = _meter.create_counter("osi.runs", unit="{run}", description="Sync runs, by trigger and status")

_configured = False


def configure(connection_string: str | None) -> bool:
    """Send traces, metrics and logs to Application Insights when a connection string is given.

    Called once by ``function_app.py``; a second call does nothing.

    Returns:
        Whether Azure Monitor is now configured.
    """
    global _configured
    if _configured or not connection_string:
        return _configured
    from azure.monitor.opentelemetry import configure_azure_monitor

    # The connector's own loggers only: the storage SDK's request logging would drown the run's story.
    configure_azure_monitor(connection_string=connection_string, logger_name="connector")
    _configured = True
    return True


def count_response(response: object, *args: object, **kwargs: object) -> None:
    """A ``requests`` response hook: count the response by host and status (429s also on their own)."""
    host = urlsplit(str(getattr(response, "url", ""))).hostname or "unknown"
    status = int(getattr(response, "status_code", 0))
    HTTP_RESPONSES.add(1, {"server.address": host, "http.response.status_code": status})
    if status == 429:
        THROTTLED.add(1, {"server.address": host})


@contextlib.contextmanager
def run_span(trigger: str) -> Iterator[Any]:
    """A span around one run; exceptions are recorded on it and re-raised."""
    with _tracer.start_as_current_span("osi.run", attributes={"osi.trigger": trigger}) as span:
        yield span


def record_run(span: Any, trigger: str, status: str, counts: Mapping[str, int], timings: Mapping[str, float]) -> None:
    """Put a finished run's outcome on its span and its stage durations in the histogram."""
    span.set_attribute("osi.status", status)
    for name, value in sorted(counts.items()):
        span.set_attribute(f"osi.{name}", int(value))
    for stage, seconds in sorted(timings.items()):
        span.set_attribute(f"osi.duration.{stage}", float(seconds))
        STAGE_SECONDS.record(float(seconds), {"osi.stage": stage, "osi.trigger": trigger})
    RUNS.add(1, {"osi.trigger": trigger, "osi.status": status})
