"""Run spans, stage durations and HTTP counts reach an OpenTelemetry SDK when one is configured."""

from __future__ import annotations

from types import SimpleNamespace

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from connector import telemetry

SPANS = InMemorySpanExporter()
READER = InMemoryMetricReader()


def _providers() -> None:
    # The global providers can be set once per process; later calls are ignored with a warning.
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(SPANS))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[READER]))


def _points(name: str) -> list:
    data = READER.get_metrics_data()
    return [p for rm in data.resource_metrics for sm in rm.scope_metrics for m in sm.metrics if m.name == name
            for p in m.data.data_points]


def test_a_run_and_its_http_responses_are_traced_and_counted() -> None:
    _providers()
    with telemetry.run_span("queue") as span:
        for status in (200, 429, 200):
            telemetry.count_response(SimpleNamespace(url="https://org.crm.dynamics.com/api/data/v9.2/x",
                                                     status_code=status))
        telemetry.record_run(span, "queue", "Succeeded", {"records_read": 10, "records_written": 2},
                             {"extract": 1.5, "compute": 2.0, "load": 0.5})
    finished = [s for s in SPANS.get_finished_spans() if s.name == "osi.run"]
    assert finished and finished[-1].attributes["osi.status"] == "Succeeded"
    assert finished[-1].attributes["osi.records_written"] == 2
    assert finished[-1].attributes["osi.duration.compute"] == 2.0
    throttled = _points("osi.http.throttled")
    assert [p.value for p in throttled] == [1]
    assert dict(throttled[0].attributes) == {"server.address": "org.crm.dynamics.com"}
    responses = {p.attributes["http.response.status_code"]: p.value for p in _points("osi.http.responses")}
    assert responses == {200: 2, 429: 1}
    stages = {p.attributes["osi.stage"]: p.sum for p in _points("osi.run.stage.duration")}
    assert stages == {"extract": 1.5, "compute": 2.0, "load": 0.5}


def test_without_a_connection_string_nothing_is_configured() -> None:
    assert telemetry.configure(None) is False
