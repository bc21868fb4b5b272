"""No secret reaches a log line or an exception, whatever goes wrong on the way."""

from __future__ import annotations

import logging

import pytest
import requests
import responses

from connector import auth
from connector.auth import credential_from_settings
from connector.dataverse import BatchOperation, DataverseClient
from connector.errors import OsiError
from connector.http import RetryPolicy, Transport
from connector.settings import Settings

from .conftest import FakeClock

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_SECRET = "CLIENT-SECRET-9f2b"
STATIC_TOKEN = "STATIC-TOKEN-77c1"
STORAGE_KEY = "STORAGE-KEY-31d0"
ORG = "https://contoso.crm.dynamics.com"
SECRETS = (CLIENT_SECRET, STATIC_TOKEN, STORAGE_KEY)


def _all_text(caplog, errors: list[BaseException]) -> str:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    lines = [handler.format(record) for record in caplog.records]
    return "\n".join(lines + [f"{e!s} {e!r} {e.__cause__!r} {e.__context__!r}" for e in errors])


def test_no_secret_in_logs_or_errors(caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    auth.reset_credential_cache()
    env = {"OSI_DATAVERSE_URL": ORG, "OSI_TENANT_ID": TENANT, "OSI_CLIENT_ID": "c", "OSI_CLIENT_SECRET": CLIENT_SECRET,
           "AzureWebJobsStorage": f"AccountKey={STORAGE_KEY}"}
    settings = Settings.from_env(env)
    logging.getLogger("test").info("settings: %r", settings)
    try:
        Settings.from_env({**env, "OSI_STATIC_TOKEN": STATIC_TOKEN, "OSI_BATCH_SIZE": "0"})
    except OsiError as exc:
        errors.append(exc)

    authority = f"https://login.microsoftonline.com/{TENANT}"
    clock = FakeClock()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{authority}/v2.0/.well-known/openid-configuration",
                 json={"authorization_endpoint": f"{authority}/oauth2/v2.0/authorize",
                       "token_endpoint": f"{authority}/oauth2/v2.0/token"})
        rsps.get("https://login.microsoftonline.com/common/discovery/instance", json={
            "tenant_discovery_endpoint": f"{authority}/v2.0/.well-known/openid-configuration", "metadata": []})
        rsps.post(f"{authority}/oauth2/v2.0/token", status=401, json={
            "error": "invalid_client", "error_description": f"AADSTS7000215: Invalid client secret provided: "
            f"{CLIENT_SECRET[:3]}***.\r\nCorrelation ID: 0c3b6a8e-1f2d-4c5b-9a7e-3d2c1b0a9f8e"})
        credential = credential_from_settings(settings, http_client=requests.Session())
        client = DataverseClient(ORG, credential, transport=Transport(clock=clock, sleep=clock.sleep))
        with pytest.raises(OsiError) as info:
            client.who_am_i()
        errors.append(info.value)

        api = "http://127.0.0.1:9/api/data/v9.2/"
        local = Settings.from_env({"OSI_DATAVERSE_URL": "http://127.0.0.1:9", "OSI_STATIC_TOKEN": STATIC_TOKEN})
        static = credential_from_settings(local)
        transport = Transport(retry=RetryPolicy(budget_seconds=30), clock=clock, sleep=clock.sleep)
        client = DataverseClient(local.dataverse_url, static, transport=transport)
        throttled = {"error": {"code": "0x80072322", "message": "Number of requests exceeded"}}
        rsps.get(api + "accounts", status=429, headers={"Retry-After": "1"}, json=throttled)
        rsps.post(api + "$batch", body=requests.ConnectionError("reset"))
        rsps.get(api + "WhoAmI", status=401, json={"error": {"code": "", "message": "token rejected"}})
        for call in (lambda: list(client.list_records("accounts", select=["name"])),
                     lambda: client.submit_batch([BatchOperation.upsert("accounts", {"osi_key": "k"}, {"n": 1})]),
                     client.who_am_i):
            with pytest.raises(OsiError) as info:
                call()
            errors.append(info.value)
    auth.reset_credential_cache()

    text = _all_text(caplog, errors)
    assert "gave up" in text and "AADSTS7000215" in text  # the logs and errors did say what went wrong
    for secret in SECRETS:
        assert secret not in text
