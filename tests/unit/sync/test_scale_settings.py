"""The large-organisation app settings (``OSI_SOURCE``, ``OSI_LAKE_URL``, ``OSI_LAKE_CLIENT_ID``,
``OSI_WRITER_CLIENT_IDS``, ``OSI_WRITE_STREAMS``, ``OSI_PARTITION_RECORDS``) reach the run options, the producers'
context and the writers a run is given."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

import pytest
import responses

from connector.errors import ConfigurationError
from connector.feature_settings import FeatureSettings
from connector.pipeline import service
from connector.pipeline.compute import ComputeInputs, compute_insights
from connector.pipeline.contract import Frames, Produced, Producer, RunContext
from connector.pipeline.registry import Registry
from connector.pipeline.service import LeaseGuardedClient
from connector.scale_settings import LakeSettings, Source
from connector.settings import Settings
from connector.sync.lake import LakeReader

EMULATOR = {"OSI_DATAVERSE_URL": "http://127.0.0.1:9", "OSI_STATIC_TOKEN": "t"}
SECRET_APP = {"OSI_DATAVERSE_URL": "https://contoso.crm.dynamics.com", "OSI_TENANT_ID": "t-1",
              "OSI_CLIENT_ID": "c-1", "OSI_CLIENT_SECRET": "s3cr3t"}
IDS = ("aaaaaaaa-0000-0000-0000-000000000001", "aaaaaaaa-0000-0000-0000-000000000002")


def _problems(env: dict[str, str]) -> str:
    with pytest.raises(ConfigurationError) as err:
        Settings.from_env(env)
    return str(err.value)


def test_by_default_the_web_api_is_read_and_two_batches_are_sent_at_once() -> None:
    settings = Settings.from_env(EMULATOR)
    assert (settings.source, settings.lake, settings.writer_client_ids, settings.write_streams) == (
        Source.WEBAPI, LakeSettings(), (), 2)
    options = service.run_options(settings, trigger="timer")
    assert options.lake is None and options.write_streams == 2 and options.trigger == "timer"
    assert settings.partition_records == options.partition_records == 0  # every record at once
    assert options.lease_name == service.LEASE and options.page_size == 5000


def test_the_lake_source_reads_the_folder_the_settings_name(tmp_path) -> None:
    settings = Settings.from_env({**EMULATOR, "OSI_SOURCE": "LAKE", "OSI_LAKE_URL": f"{tmp_path}/",
                                  "OSI_PAGE_SIZE": "1000", "OSI_WRITE_STREAMS": "4"})
    assert settings.source is Source.LAKE and settings.lake.url == str(tmp_path)
    options = service.run_options(settings, trigger="cli", full=True)
    assert isinstance(options.lake, LakeReader) and options.lake.root == str(tmp_path)
    assert options.write_streams == 4 and options.full and settings.lake.storage_options() == {}


def test_an_adls_lake_is_read_with_the_user_assigned_identity() -> None:
    url = "abfss://dataverse-org@contosolake.dfs.core.windows.net/"
    settings = Settings.from_env({**EMULATOR, "OSI_SOURCE": "lake", "OSI_LAKE_URL": url,
                                  "OSI_LAKE_CLIENT_ID": IDS[0]})
    assert settings.lake.storage_options() == {"azure_client_id": IDS[0]}
    assert service.run_options(settings, trigger="cli").lake.root == url.rstrip("/")
    system_assigned = Settings.from_env({**EMULATOR, "OSI_SOURCE": "lake", "OSI_LAKE_URL": url})
    assert system_assigned.lake.storage_options() == {}


@pytest.mark.parametrize(("env", "named"), [
    ({"OSI_SOURCE": "lake"}, "OSI_LAKE_URL is required"),
    ({"OSI_SOURCE": "synapse"}, "OSI_SOURCE must be webapi or lake"),
    ({"OSI_SOURCE": "lake", "OSI_LAKE_URL": "https://contosolake.blob.core.windows.net/x"}, "OSI_LAKE_URL must be"),
    ({"OSI_SOURCE": "lake", "OSI_LAKE_URL": "/lake", "OSI_LAKE_CLIENT_ID": "me"}, "OSI_LAKE_CLIENT_ID must be"),
    ({"OSI_WRITE_STREAMS": "0"}, "OSI_WRITE_STREAMS must be between 1 and 16"),
    ({"OSI_PARTITION_RECORDS": "-5"}, "OSI_PARTITION_RECORDS must be between 0 and"),
    ({"OSI_PARTITION_RECORDS": "many"}, "OSI_PARTITION_RECORDS"),
    ({"OSI_WRITER_CLIENT_IDS": f"{IDS[0]}, nope"}, "OSI_WRITER_CLIENT_IDS must be client ids"),
])
def test_a_bad_large_organisation_setting_is_named(env: dict[str, str], named: str) -> None:
    assert named in _problems({**EMULATOR, **env})


def test_the_partition_size_reaches_the_producers_context() -> None:
    settings = Settings.from_env({**EMULATOR, "OSI_PARTITION_RECORDS": "5000"})
    options = service.run_options(settings, trigger="timer")
    assert settings.partition_records == options.partition_records == 5000
    seen = {}

    def compute(frames: Frames, ctx: RunContext[Any]) -> Produced:
        seen["partition_records"] = ctx.partition_records
        return Produced()

    probe = Producer(name="probe", description="the context it is given", settings=FeatureSettings, outputs=(),
                     compute=compute)
    inputs = ComputeInputs(now=datetime(2026, 3, 1, tzinfo=UTC), admin={},
                           partition_records=options.partition_records)
    result = compute_insights({}, inputs, Registry(producers=(probe,)))
    assert not result.errors and seen == {"partition_records": 5000}


def test_writers_cannot_share_a_client_secret() -> None:
    problems = _problems({**SECRET_APP, "OSI_WRITER_CLIENT_IDS": IDS[0]})
    assert "OSI_WRITER_CLIENT_IDS needs OSI_CERTIFICATE_PATH" in problems and "s3cr3t" not in problems


def test_writers_are_user_assigned_identities_each_asking_for_its_own_token(monkeypatch) -> None:
    settings = Settings.from_env({"OSI_DATAVERSE_URL": "https://contoso.crm.dynamics.com",
                                  "OSI_MANAGED_IDENTITY": "true",
                                  "OSI_WRITER_CLIENT_IDS": f"{IDS[0].upper()}, {IDS[1]},{IDS[0]}"})
    assert settings.writer_client_ids == IDS  # lower case, in order, once each
    endpoint = "http://127.0.0.1:41234/msi/token"
    monkeypatch.setenv("IDENTITY_ENDPOINT", endpoint)
    monkeypatch.setenv("IDENTITY_HEADER", "identity-header-value")
    service.writer_clients.cache_clear()
    writers = service.writer_clients(settings)
    assert service.writer_clients(settings) is writers  # built once per process (each keeps its token cache)
    with responses.RequestsMock() as rsps:
        rsps.get(endpoint, json={"access_token": "mi-token", "expires_on": str(int(time.time()) + 3600),
                                 "resource": "https://contoso.crm.dynamics.com", "token_type": "Bearer"})
        rsps.get("https://contoso.crm.dynamics.com/api/data/v9.2/WhoAmI",
                 json={"UserId": "u", "BusinessUnitId": "b", "OrganizationId": "o"})
        for writer in writers:
            writer.who_am_i()
        asked = [parse_qs(c.request.url.split("?", 1)[1]).get("client_id") for c in rsps.calls
                 if c.request.url.startswith(endpoint)]
    assert asked == [[IDS[0]], [IDS[1]]]


def test_a_run_spreads_its_writes_over_the_writers_each_guarded_by_the_lease(tmp_path, monkeypatch) -> None:
    settings = Settings.from_env({**EMULATOR, "OSI_STATE_DIR": str(tmp_path), "OSI_WRITER_CLIENT_IDS": IDS[0]})
    main_client, writer = SimpleNamespace(name="main"), SimpleNamespace(name="writer")
    monkeypatch.setattr(service, "services", lambda s: service.Services(main_client, None, _Store(), s, (writer,)))
    seen = {}

    def fake_run_sync(dataverse, state, *, now, graph, options, progress, writers):
        seen.update(dataverse=dataverse, options=options, writers=writers)
        return SimpleNamespace(as_dict=dict, status="Succeeded", records_read=0, records_written=0, failed=[],
                               timings={})

    monkeypatch.setattr(service, "run_sync", fake_run_sync)
    service.run(settings, trigger="cli")
    (guarded,) = seen["writers"]
    assert isinstance(guarded, LeaseGuardedClient) and guarded.name == "writer"
    assert isinstance(seen["dataverse"], LeaseGuardedClient) and seen["options"].write_streams == 2


class _Store:
    def write(self, name: str, data: bytes) -> None:
        self.last = (name, data)
