"""The Functions app indexes, and its triggers are thin adapters over the service layer."""

from __future__ import annotations

import json
from types import SimpleNamespace

import azure.functions as func
import pytest
from azure.functions.timer import TimerRequest

import function_app
from connector.errors import RunInProgressError
from functions import config, http_bp, sync_bp

ENV = {"OSI_DATAVERSE_URL": "http://127.0.0.1:9", "OSI_STATIC_TOKEN": "t"}


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch) -> None:
    config.settings.cache_clear()
    for name in ENV:
        monkeypatch.setenv(name, ENV[name])
    yield
    config.settings.cache_clear()


def _fn(builder):  # the plain Python function behind a decorated trigger
    return builder.build().get_user_function()


def test_app_indexes_with_the_expected_triggers() -> None:
    function_app.app.functions_bindings = {}  # index afresh, as the host does once per process
    functions = {f.get_function_name(): f for f in function_app.app.get_functions()}
    assert set(functions) == {"scheduled_sync", "queued_run", "start_run", "latest_run", "run_status", "health"}
    timer = json.loads(functions["scheduled_sync"].get_function_json())["bindings"][0]
    assert timer["schedule"] == "%OSI_SYNC_SCHEDULE%"
    assert timer["runOnStartup"] is False
    queue = json.loads(functions["queued_run"].get_function_json())["bindings"][0]
    assert queue["type"] == "queueTrigger"
    assert queue["queueName"] == "%OSI_RUN_QUEUE%" and queue["connection"] == "AzureWebJobsStorage"


def test_timer_runs_a_sync_and_skips_when_one_is_in_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake_run(settings, *, trigger):
        calls.append(trigger)
        if len(calls) == 2:
            raise RunInProgressError("busy")
        return SimpleNamespace(run_id="r", status="Succeeded", records_read=1, records_written=0, failed=[])

    monkeypatch.setattr(sync_bp.service, "run", fake_run)
    _fn(sync_bp.scheduled_sync)(TimerRequest(past_due=False))
    _fn(sync_bp.scheduled_sync)(TimerRequest(past_due=True))
    assert calls == ["timer", "timer"]


def test_http_run_queues_and_answers_202_with_a_status_url(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = []

    def queue(settings, *, retrain, now):
        asked.append(retrain)
        return {"request_id": "8c6f2f0e-6d1c-4a51-9d39-5b2f3f0f4a11", "status": "Queued", "retrain": sorted(retrain)}

    monkeypatch.setattr(http_bp.service, "request_run", queue)
    resp = _fn(http_bp.start_run)(func.HttpRequest("POST", "/api/runs", body=b"", params={"retrain": "all"}))
    assert resp.status_code == 202
    body = json.loads(resp.get_body())
    assert body["status_url"] == "/api/runs/8c6f2f0e-6d1c-4a51-9d39-5b2f3f0f4a11"
    assert resp.headers["Location"] == body["status_url"]
    assert asked == [frozenset({"lead", "opportunity"})]


def test_http_run_refuses_an_unknown_retrain_entity() -> None:
    resp = _fn(http_bp.start_run)(func.HttpRequest("POST", "/api/runs", body=b"", params={"retrain": "account"}))
    assert resp.status_code == 400


def test_queued_run_is_retried_while_another_run_holds_the_lease(monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(settings, message, *, attempt, max_attempts):
        raise RunInProgressError("another sync run holds the lease")

    monkeypatch.setattr(sync_bp.service, "run_queued", busy)
    with pytest.raises(RunInProgressError):
        _fn(sync_bp.queued_run)(func.QueueMessage(body=b'{"request_id": "x"}'))


def test_queued_run_drops_a_malformed_message(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(sync_bp.service, "run_queued", lambda *a, **k: calls.append(a))
    _fn(sync_bp.queued_run)(func.QueueMessage(body=b"not json"))
    assert calls == []


def test_health_names_missing_settings_without_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OSI_DATAVERSE_URL")
    monkeypatch.setenv("OSI_STATIC_TOKEN", "super-secret-token")
    resp = _fn(http_bp.health)(func.HttpRequest("GET", "/api/health", body=b""))
    body = resp.get_body().decode()
    assert resp.status_code == 503
    assert "OSI_DATAVERSE_URL" in body
    assert "super-secret-token" not in body


def test_latest_run_is_404_before_the_first_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_bp.service, "latest_run", lambda settings: None)
    resp = _fn(http_bp.latest_run)(func.HttpRequest("GET", "/api/runs/latest", body=b""))
    assert resp.status_code == 404


def test_http_run_can_retrain_the_scoring_models_on_demand(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = []

    def fake_request(settings, *, retrain, now):
        asked.append(retrain)
        return {"request_id": "8c6f2f0e-6d1c-4a51-9d39-5b2f3f0f4a11", "status": "Queued"}

    monkeypatch.setattr(http_bp.service, "request_run", fake_request)
    for query, expected in (({}, frozenset()), ({"retrain": "lead"}, {"lead"}),
                            ({"retrain": "all"}, {"lead", "opportunity"}), ({"retrain": "Lead, opportunity"},
                                                                           {"lead", "opportunity"})):
        resp = _fn(http_bp.start_run)(func.HttpRequest("POST", "/api/runs", body=b"", params=query))
        assert resp.status_code == 202
        assert asked[-1] == expected
    bad = _fn(http_bp.start_run)(func.HttpRequest("POST", "/api/runs", body=b"", params={"retrain": "contact"}))
    assert bad.status_code == 400 and "contact" in json.loads(bad.get_body())["message"]
    assert len(asked) == 4
