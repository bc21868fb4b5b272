"""Settings: defaults, exactly one credential, all problems at once, secrets never shown."""

from __future__ import annotations

import pickle

import pytest

from connector.errors import ConfigurationError
from connector.settings import CredentialKind, Secret, Settings

SECRET = "s3cr3t~VALUE~do-not-leak"
BASE = {
    "OSI_DATAVERSE_URL": "https://contoso.crm.dynamics.com/",
    "OSI_TENANT_ID": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    "OSI_CLIENT_ID": "11111111-2222-3333-4444-555555555555",
}


def test_defaults_with_client_secret():
    settings = Settings.from_env({**BASE, "OSI_CLIENT_SECRET": SECRET})
    assert settings.dataverse_url == "https://contoso.crm.dynamics.com"
    assert settings.credential_kind is CredentialKind.CLIENT_SECRET
    assert settings.client_secret is not None and settings.client_secret.reveal() == SECRET
    assert (settings.batch_size, settings.max_concurrency, settings.page_size) == (100, 4, 5000)
    assert (settings.http_timeout_seconds, settings.retry_budget_seconds) == (30.0, 300.0)
    assert settings.graph_enabled is False and settings.graph_url == "https://graph.microsoft.com"
    assert settings.state_dir == ".osi/state" and settings.sync_schedule == "0 0 */4 * * *"
    assert settings.org_timezone == "UTC" and settings.storage_connection_string is None
    assert SECRET not in repr(settings) and SECRET not in str(settings) and SECRET not in f"{settings.client_secret}"
    hash(settings)  # usable as a cache key


def test_all_problems_reported_together():
    env = {
        "OSI_DATAVERSE_URL": "ftp://nope",
        "OSI_CLIENT_SECRET": SECRET,
        "OSI_MANAGED_IDENTITY": "true",
        "OSI_BATCH_SIZE": "5000",
        "OSI_PAGE_SIZE": "many",
        "OSI_GRAPH_ENABLED": "perhaps",
        "OSI_ORG_TIMEZONE": "Mars/Olympus",
    }
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env(env)
    message = str(info.value)
    for name in ("OSI_DATAVERSE_URL", "more than one credential", "OSI_BATCH_SIZE", "OSI_PAGE_SIZE",
                 "OSI_GRAPH_ENABLED", "OSI_ORG_TIMEZONE"):
        assert name in message
    assert len(info.value.problems) == 6
    assert SECRET not in message


def test_missing_everything():
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env({})
    message = str(info.value)
    assert "OSI_DATAVERSE_URL is required" in message and "no credential configured" in message


def test_client_secret_needs_tenant_and_client():
    with pytest.raises(ConfigurationError, match="OSI_TENANT_ID is required") as info:
        Settings.from_env({"OSI_DATAVERSE_URL": BASE["OSI_DATAVERSE_URL"], "OSI_CLIENT_SECRET": SECRET})
    assert "OSI_CLIENT_ID is required" in str(info.value)


def test_certificate_and_managed_identity():
    cert = Settings.from_env({**BASE, "OSI_CERTIFICATE_PATH": "/c.pfx", "OSI_CERTIFICATE_PASSWORD": SECRET})
    assert cert.credential_kind is CredentialKind.CERTIFICATE and SECRET not in repr(cert)
    mi = Settings.from_env({"OSI_DATAVERSE_URL": BASE["OSI_DATAVERSE_URL"], "OSI_MANAGED_IDENTITY": "TRUE",
                            "OSI_MANAGED_IDENTITY_CLIENT_ID": "abc"})
    assert mi.credential_kind is CredentialKind.MANAGED_IDENTITY and mi.managed_identity_client_id == "abc"


def test_stray_credential_companions_are_reported():
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env({**BASE, "OSI_CLIENT_SECRET": SECRET, "OSI_CERTIFICATE_PASSWORD": "p",
                           "OSI_MANAGED_IDENTITY_CLIENT_ID": "x"})
    assert "OSI_CERTIFICATE_PASSWORD" in str(info.value) and "OSI_MANAGED_IDENTITY_CLIENT_ID" in str(info.value)


def test_static_token_only_on_loopback():
    local = Settings.from_env({"OSI_DATAVERSE_URL": "http://127.0.0.1:8080", "OSI_STATIC_TOKEN": SECRET,
                               "OSI_GRAPH_URL": "http://localhost:8080", "OSI_GRAPH_ENABLED": "1"})
    assert local.credential_kind is CredentialKind.STATIC_TOKEN and local.is_loopback and local.graph_enabled
    with pytest.raises(ConfigurationError, match="OSI_STATIC_TOKEN is allowed only") as info:
        Settings.from_env({**BASE, "OSI_STATIC_TOKEN": SECRET})
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("graph", [{"OSI_GRAPH_ENABLED": "true"}, {"OSI_GRAPH_URL": "https://graph.microsoft.com"},
                                   {"OSI_GRAPH_ENABLED": "1", "OSI_GRAPH_URL": "https://graph.evil.example"}])
def test_static_token_needs_every_service_on_loopback(graph):
    env = {"OSI_DATAVERSE_URL": "http://127.0.0.1:8080", "OSI_STATIC_TOKEN": SECRET, **graph}
    with pytest.raises(ConfigurationError, match="OSI_STATIC_TOKEN is allowed only .*OSI_GRAPH_URL") as info:
        Settings.from_env(env)
    assert SECRET not in str(info.value)
    # Graph off and not configured: only the Dataverse URL counts.
    assert Settings.from_env({"OSI_DATAVERSE_URL": "http://127.0.0.1:8080", "OSI_STATIC_TOKEN": SECRET}).is_loopback


def test_plain_http_refused_off_loopback():
    with pytest.raises(ConfigurationError, match="must use https"):
        Settings.from_env({**BASE, "OSI_DATAVERSE_URL": "http://contoso.crm.dynamics.com", "OSI_CLIENT_SECRET": "x"})


def test_overrides_and_storage_secret():
    conn = "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + SECRET
    settings = Settings.from_env({**BASE, "OSI_CLIENT_SECRET": "x", "OSI_BATCH_SIZE": "1000", "OSI_PAGE_SIZE": "250",
                                  "OSI_RETRY_BUDGET_SECONDS": "60", "AzureWebJobsStorage": conn,
                                  "OSI_ORG_TIMEZONE": "Europe/Paris", "OSI_STATE_DIR": "/var/osi"})
    assert (settings.batch_size, settings.page_size, settings.retry_budget_seconds) == (1000, 250, 60.0)
    assert settings.storage_connection_string.reveal() == conn
    assert SECRET not in repr(settings) and settings.state_dir == "/var/osi"


def test_secret_refuses_pickling():
    with pytest.raises(TypeError):
        pickle.dumps(Secret(SECRET))
