"""MSAL token acquisition (secret, certificate, managed identity) against mocked Entra endpoints."""

from __future__ import annotations

import base64
import json
import logging
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
import requests
import responses
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from connector import auth
from connector.auth import GRAPH_SCOPE, MsalCredential, StaticTokenCredential, credential_from_settings, scope_for
from connector.errors import AuthenticationError, ConfigurationError
from connector.settings import Secret, Settings

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT = "11111111-2222-3333-4444-555555555555"
SECRET = "cl1ent~SECRET~value-never-logged"
PASSWORD = "pfx-PASSWORD-never-logged"
AUTHORITY = f"https://login.microsoftonline.com/{TENANT}"
TOKEN_URL = f"{AUTHORITY}/oauth2/v2.0/token"
ORG_SCOPE = "https://contoso.crm.dynamics.com/.default"
CORRELATION = "0c3b6a8e-1f2d-4c5b-9a7e-3d2c1b0a9f8e"


@pytest.fixture
def entra():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(
            f"{AUTHORITY}/v2.0/.well-known/openid-configuration",
            json={
                "authorization_endpoint": f"{AUTHORITY}/oauth2/v2.0/authorize",
                "token_endpoint": TOKEN_URL,
                "issuer": f"https://login.microsoftonline.com/{TENANT}/v2.0",
            },
        )
        rsps.get(
            "https://login.microsoftonline.com/common/discovery/instance",
            json={"tenant_discovery_endpoint": f"{AUTHORITY}/v2.0/.well-known/openid-configuration",
                  "metadata": [{"preferred_network": "login.microsoftonline.com",
                                "aliases": ["login.microsoftonline.com"]}]},
        )
        yield rsps


def _token_ok(rsps, token="at-123"):
    rsps.post(TOKEN_URL, json={"token_type": "Bearer", "expires_in": 3599, "access_token": token})


def _form(call) -> dict[str, list[str]]:
    body = call.request.body
    return parse_qs(body if isinstance(body, str) else body.decode())


def test_client_secret_token_is_cached(entra):
    _token_ok(entra)
    credential = MsalCredential.for_client_secret(TENANT, CLIENT, Secret(SECRET), http_client=requests.Session())
    assert credential.get_token(ORG_SCOPE) == "at-123"
    assert credential.get_token(ORG_SCOPE) == "at-123"
    token_calls = [c for c in entra.calls if c.request.url == TOKEN_URL]
    assert len(token_calls) == 1  # the second call came from MSAL's cache
    form = _form(token_calls[0])
    assert form["grant_type"] == ["client_credentials"] and form["client_secret"] == [SECRET]
    assert form["scope"] == [ORG_SCOPE]


def test_force_refresh_bypasses_the_cache(entra):
    _token_ok(entra, "first")
    credential = MsalCredential.for_client_secret(TENANT, CLIENT, Secret(SECRET), http_client=requests.Session())
    assert credential.get_token(ORG_SCOPE) == "first"
    fresh = {"token_type": "Bearer", "expires_in": 3599, "access_token": "second"}
    entra.replace(responses.POST, TOKEN_URL, json=fresh)
    assert credential.get_token(ORG_SCOPE, force_refresh=True) == "second"


def test_msal_error_becomes_authentication_error_without_secrets(entra, caplog):
    caplog.set_level(logging.DEBUG)
    description = (
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client "
        f"secret value.\r\nTrace ID: 5d1f0a3e-aaaa-bbbb-cccc-ddddeeeeffff\r\nCorrelation ID: {CORRELATION}\r\n"
    )
    entra.post(TOKEN_URL, status=401, json={"error": "invalid_client", "error_description": description,
                                            "error_codes": [7000215], "correlation_id": CORRELATION})
    credential = MsalCredential.for_client_secret(TENANT, CLIENT, Secret(SECRET), http_client=requests.Session())
    with pytest.raises(AuthenticationError) as info:
        credential.get_token(ORG_SCOPE)
    error = info.value
    assert error.error == "invalid_client" and error.aadsts_code == "AADSTS7000215"
    assert error.correlation_id == CORRELATION
    assert "Invalid client secret provided" in str(error)
    everything = str(error) + repr(error) + "\n".join(r.getMessage() for r in caplog.records)
    assert SECRET not in everything


def _self_signed() -> tuple[bytes, bytes, rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "osi-test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM), key, cert


def _jwt_header(assertion: str) -> dict[str, object]:
    head = assertion.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))


@pytest.mark.parametrize("kind", ["pem", "pfx"])
def test_certificate_sends_a_signed_assertion(entra, tmp_path, kind):
    key_pem, cert_pem, key, cert = _self_signed()
    if kind == "pem":
        path = tmp_path / "cert.pem"
        path.write_bytes(key_pem + cert_pem)
        password = None
    else:
        path = tmp_path / "cert.pfx"
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            b"osi", key, cert, None, serialization.BestAvailableEncryption(PASSWORD.encode())))
        password = Secret(PASSWORD)
    _token_ok(entra, "cert-token")
    credential = MsalCredential.for_certificate(TENANT, CLIENT, str(path), password, http_client=requests.Session())
    assert credential.get_token(ORG_SCOPE) == "cert-token"
    form = _form([c for c in entra.calls if c.request.url == TOKEN_URL][0])
    assert form["client_assertion_type"] == ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]
    assert "client_secret" not in form
    header = _jwt_header(form["client_assertion"][0])
    expected = base64.urlsafe_b64encode(cert.fingerprint(hashes.SHA256())).decode().rstrip("=")
    assert str(header["x5t#S256"]).rstrip("=") == expected  # the thumbprint of our own certificate


def test_unreadable_certificate_is_a_configuration_error(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a pem")
    with pytest.raises(ConfigurationError, match="must hold a private key and a certificate"):
        MsalCredential.for_certificate(TENANT, CLIENT, str(bad))
    with pytest.raises(ConfigurationError, match="no certificate file"):
        MsalCredential.for_certificate(TENANT, CLIENT, str(tmp_path / "missing.pfx"))


def test_managed_identity_asks_for_the_resource(monkeypatch):
    endpoint = "http://127.0.0.1:41234/msi/token"
    monkeypatch.setenv("IDENTITY_ENDPOINT", endpoint)
    monkeypatch.setenv("IDENTITY_HEADER", "identity-header-value")
    with responses.RequestsMock() as rsps:
        rsps.get(endpoint, json={"access_token": "mi-token", "expires_on": str(int(time.time()) + 3600),
                                 "resource": "https://contoso.crm.dynamics.com", "token_type": "Bearer"})
        credential = MsalCredential.for_managed_identity("user-assigned-client-id", http_client=requests.Session())
        assert credential.get_token(ORG_SCOPE) == "mi-token"
        assert credential.get_token(ORG_SCOPE) == "mi-token"
        assert len(rsps.calls) == 1
        request = rsps.calls[0].request
        query = parse_qs(request.url.split("?", 1)[1])
        assert query["resource"] == ["https://contoso.crm.dynamics.com"]  # a resource, not a scope
        assert query["client_id"] == ["user-assigned-client-id"]
        assert request.headers["X-IDENTITY-HEADER"] == "identity-header-value"


def test_managed_identity_failure(monkeypatch):
    endpoint = "http://127.0.0.1:41234/msi/token"
    monkeypatch.setenv("IDENTITY_ENDPOINT", endpoint)
    monkeypatch.setenv("IDENTITY_HEADER", "h")
    with responses.RequestsMock() as rsps:
        # App Service's identity endpoint answers errors as {"statusCode", "message"}.
        rsps.get(endpoint, status=400, json={"statusCode": 400, "message": "No managed identity assigned"})
        credential = MsalCredential.for_managed_identity(http_client=requests.Session())
        with pytest.raises(AuthenticationError, match="No managed identity assigned") as info:
            credential.get_token(ORG_SCOPE)
        assert info.value.error == "invalid_scope"


def test_credential_from_settings_is_a_process_singleton(entra):
    auth.reset_credential_cache()
    settings = Settings.from_env({"OSI_DATAVERSE_URL": "https://contoso.crm.dynamics.com", "OSI_TENANT_ID": TENANT,
                                  "OSI_CLIENT_ID": CLIENT, "OSI_CLIENT_SECRET": SECRET})
    first = credential_from_settings(settings, http_client=requests.Session())
    assert credential_from_settings(settings) is first
    assert isinstance(first, MsalCredential) and SECRET not in repr(first)
    local = Settings.from_env({"OSI_DATAVERSE_URL": "http://127.0.0.1:9", "OSI_STATIC_TOKEN": "t"})
    static = credential_from_settings(local)
    assert isinstance(static, StaticTokenCredential) and "t'" not in repr(static)
    assert static.get_token("http://127.0.0.1:9/.default") == "t"
    auth.reset_credential_cache()


@pytest.mark.parametrize("scope", [GRAPH_SCOPE, "https://contoso.crm.dynamics.com/.default", "x", "http://127.0.0.2/"])
def test_static_token_is_handed_out_only_for_loopback_scopes(scope):
    with pytest.raises(AuthenticationError, match="local emulator only"):
        StaticTokenCredential("t").get_token("http://localhost:1/.default", scope)


def test_scopes():
    assert scope_for("https://contoso.crm4.dynamics.com/api/data/v9.2/") == "https://contoso.crm4.dynamics.com/.default"
    assert GRAPH_SCOPE == "https://graph.microsoft.com/.default"


def test_network_failure_becomes_authentication_error(entra):
    entra.post(TOKEN_URL, body=requests.ConnectionError("connection refused"))
    credential = MsalCredential.for_client_secret(TENANT, CLIENT, Secret(SECRET), http_client=requests.Session())
    with pytest.raises(AuthenticationError, match="ConnectionError") as info:
        credential.get_token(ORG_SCOPE)
    assert SECRET not in str(info.value)


def test_wrong_pfx_password_is_an_authentication_error(entra, tmp_path):
    _, _, key, cert = _self_signed()
    path = tmp_path / "cert.pfx"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"osi", key, cert, None, serialization.BestAvailableEncryption(PASSWORD.encode())))
    with pytest.raises(AuthenticationError) as info:
        MsalCredential.for_certificate(TENANT, CLIENT, str(path), Secret("wrong-password"),
                                       http_client=requests.Session())
    assert PASSWORD not in str(info.value) and "wrong-password" not in str(info.value)
