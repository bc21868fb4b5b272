"""Runs off the request path, on Azurite and the emulator: POST queues and answers 202 without calling
Dataverse; the queue-triggered function runs the sync to completion as the application user with only the
shipped role; the status calls read only the state."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import azure.functions as func
import pytest

from connector.pipeline import service
from connector.provision import provision
from connector.solution.role import app_user_privileges
from connector.sync.run_queue import RunQueue
from emulator.seed import generate
from emulator.server import Emulator
from functions import config, http_bp, sync_bp
from tests.integration.azurite import azurite

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _fn(builder: Any) -> Any:  # the plain function behind a decorated trigger, as the host calls it
    return builder.build().get_user_function()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Emulator, dict[str, str]]]:
    home = tmp_path_factory.mktemp("queued")
    with azurite(home / "azurite") as storage, Emulator(home / "org.db", token="t", clock=lambda: NOW) as em:
        em.store.load_org(generate("S", seed=5, now=NOW - timedelta(hours=1)))
        env = {"OSI_DATAVERSE_URL": em.url, "OSI_STATIC_TOKEN": "t", "OSI_GRAPH_ENABLED": "true",
               "OSI_GRAPH_URL": em.url, "OSI_BATCH_SIZE": "200", "AzureWebJobsStorage": storage,
               "OSI_RUN_QUEUE": "osi-runs-test"}
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        config.settings.cache_clear()
        try:
            provision(service.services(config.settings()).dataverse, sleep=lambda _s: None)
            # From here on the caller is the application user with only the role the solution ships: the
            # queued run below proves that role is enough for a whole sync.
            em.security.grant_only(app_user_privileges())
            yield em, env
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            config.settings.cache_clear()


def test_post_queues_a_run_that_the_queue_trigger_completes(app) -> None:
    em, env = app
    before = em.counters.snapshot()["total_requests"]
    response = _fn(http_bp.start_run)(func.HttpRequest("POST", "/api/runs", body=b"", params={"retrain": "lead"}))
    assert response.status_code == 202
    body = json.loads(response.get_body())
    assert body["status"] == "Queued" and response.headers["Location"] == body["status_url"]
    # Queuing never touches Dataverse: nothing the emulator counts happened during the POST.
    assert em.counters.snapshot()["total_requests"] == before

    status = _fn(http_bp.run_status)(func.HttpRequest("GET", body["status_url"], body=b"",
                                                      route_params={"request_id": body["request_id"]}))
    assert json.loads(status.get_body())["status"] == "Queued"

    # The host would now call the queue trigger with the message; take it off Azurite and do the same.
    messages = RunQueue(config.settings().storage, env["OSI_RUN_QUEUE"]).receive()
    assert [m["request_id"] for m, _ in messages] == [body["request_id"]]
    message, _dequeue_count = messages[0]
    assert message["retrain"] == ["lead"]
    _fn(sync_bp.queued_run)(func.QueueMessage(id="m1", body=json.dumps(message).encode()))

    done = json.loads(_fn(http_bp.run_status)(func.HttpRequest(
        "GET", body["status_url"], body=b"", route_params={"request_id": body["request_id"]})).get_body())
    assert done["status"] == "Succeeded", done
    assert done["summary"]["errors"] == [] and done["summary"]["records_failed"] == 0
    assert done["summary"]["trigger"] == "queue"

    # The status calls read the state store only: no Dataverse request while answering them.
    service.services.cache_clear()
    before = em.counters.snapshot()["total_requests"]
    latest = _fn(http_bp.latest_run)(func.HttpRequest("GET", "/api/runs/latest", body=b""))
    assert latest.status_code == 200
    assert json.loads(latest.get_body())["run_id"] == done["run_id"]
    assert em.counters.snapshot()["total_requests"] == before
