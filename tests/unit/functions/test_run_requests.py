"""Queued run requests: their record follows the run, and a run blocked by the shared lease is retried."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from connector.errors import ConfigurationError, RunInProgressError
from connector.pipeline import service
from connector.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    service._state_root.cache_clear()
    return Settings.from_env({"OSI_DATAVERSE_URL": "http://127.0.0.1:9", "OSI_STATIC_TOKEN": "t",
                              "OSI_STATE_DIR": str(tmp_path)})


def test_a_run_blocked_by_the_lease_waits_then_is_skipped_on_the_last_try(settings, monkeypatch) -> None:
    def busy(*args, **kwargs):
        raise RunInProgressError("the timer's run holds the lease")

    monkeypatch.setattr(service, "run", busy)
    request_id = str(uuid.uuid4())
    with pytest.raises(RunInProgressError):
        service.run_queued(settings, {"request_id": request_id, "retrain": []}, attempt=1, max_attempts=3)
    assert service.run_request(settings, request_id)["status"] == "Waiting"
    with pytest.raises(RunInProgressError):
        service.run_queued(settings, {"request_id": request_id, "retrain": []}, attempt=3, max_attempts=3)
    record = service.run_request(settings, request_id)
    assert record["status"] == "Skipped" and record["reason"] == "another run held the lease"


def test_a_finished_queued_run_records_its_summary(settings, monkeypatch) -> None:
    summary = SimpleNamespace(status="Succeeded", run_id="run-1", as_dict=lambda: {"status": "Succeeded"})
    seen = []

    def fake_run(s, *, trigger, now, retrain):
        seen.append((trigger, retrain))
        return summary

    monkeypatch.setattr(service, "run", fake_run)
    request_id = str(uuid.uuid4())
    service.run_queued(settings, {"request_id": request_id, "retrain": ["lead"]}, attempt=1, max_attempts=3)
    record = service.run_request(settings, request_id)
    assert record["status"] == "Succeeded" and record["run_id"] == "run-1"
    assert seen == [("queue", frozenset({"lead"}))]


@pytest.mark.parametrize("message", [{"request_id": "../../etc"}, {"request_id": str(uuid.uuid4()),
                                                                     "retrain": ["account"]}])
def test_a_malformed_message_is_refused_before_anything_is_written(settings, message) -> None:
    with pytest.raises(ValueError):
        service.run_queued(settings, message, attempt=1, max_attempts=3)


def test_queuing_needs_azure_storage(settings, tmp_path) -> None:
    from datetime import UTC, datetime

    with pytest.raises(ConfigurationError):
        service.request_run(settings, retrain=frozenset(), now=datetime(2026, 1, 1, tzinfo=UTC))
    assert not (tmp_path / "requests").exists()


def test_latest_run_before_any_run_reads_nothing_from_dataverse(settings) -> None:
    assert service.latest_run(settings) is None  # no index yet: no WhoAmI, no request at all
