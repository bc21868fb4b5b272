"""Credentials: MSAL (and, for the local emulator only, a static token) behind the transport's seam.

The seam itself, :class:`~connector.http.credential.Credential` (``get_token(*scopes)``), lives with the
transport that uses it. :class:`MsalCredential` wraps exactly one MSAL application (a
``ConfidentialClientApplication`` for a client secret or certificate, or a ``ManagedIdentityClient``) so its
token cache is reused; :func:`credential_from_settings` keeps one per process. MSAL reports failures as
dicts; they become :class:`AuthenticationError` here and nowhere else. :class:`StaticTokenCredential`
serves the local emulator and hands its token out only for loopback services.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msal

from connector.errors import AuthenticationError, ConfigurationError
from connector.http import Credential, new_session, scope_for
from connector.settings import CredentialKind, Secret, Settings

__all__ = [
    "GRAPH_SCOPE", "Credential", "MsalCredential", "StaticTokenCredential", "credential_from_settings",
    "reset_credential_cache", "scope_for",
]

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
_AADSTS = re.compile(r"AADSTS\d+")
_CORRELATION = re.compile(r"Correlation ID:\s*([0-9a-fA-F-]{36})")
_PEM_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.+?-----END [A-Z ]*PRIVATE KEY-----", re.S)
_PEM_CERT = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class StaticTokenCredential:
    """A fixed token, for the local emulator only: settings refuse it unless every service URL is loopback,
    and it is handed out only for loopback scopes."""

    def __init__(self, token: str | Secret) -> None:
        self._token = token if isinstance(token, Secret) else Secret(token)

    def get_token(self, *scopes: str, force_refresh: bool = False) -> str:
        """Return the fixed token (refreshing cannot change it).

        Raises:
            AuthenticationError: a scope names a service off this machine.
        """
        for scope in scopes:
            host = urlsplit(scope).hostname or ""
            if host not in _LOOPBACK_HOSTS:
                raise AuthenticationError(f"the static token is for the local emulator only, not for {host or scope}")
        return self._token.reveal()

    def __repr__(self) -> str:
        return "StaticTokenCredential('***')"


class MsalCredential:
    """Tokens from one MSAL application, whose in-memory cache is reused across calls.

    Args:
        app: a ``msal.ConfidentialClientApplication`` or ``msal.ManagedIdentityClient``.
        cache: the ``msal.TokenCache`` given to ``app`` (used to drop tokens on a forced refresh).
    """

    def __init__(self, app: msal.ConfidentialClientApplication | msal.ManagedIdentityClient, cache: msal.TokenCache):
        self._app = app
        self._cache = cache
        self._lock = threading.Lock()

    @classmethod
    def for_client_secret(
        cls, tenant_id: str, client_id: str, secret: Secret, *, authority_host: str = "https://login.microsoftonline.com",
        http_client: Any = None,
    ) -> MsalCredential:
        """A confidential client authenticating with a client secret.

        Raises:
            AuthenticationError: the authority could not be reached or rejected the tenant.
        """
        return cls._confidential(tenant_id, client_id, secret.reveal(), authority_host, http_client)

    @classmethod
    def for_certificate(
        cls, tenant_id: str, client_id: str, path: str, password: Secret | None = None, *,
        authority_host: str = "https://login.microsoftonline.com", http_client: Any = None,
    ) -> MsalCredential:
        """A confidential client authenticating with a certificate (``.pfx``/``.p12`` or PEM with key and cert).

        Raises:
            ConfigurationError: the certificate file cannot be read or holds no key and certificate.
            AuthenticationError: the authority could not be reached or rejected the tenant.
        """
        credential = _certificate_credential(path, password)
        return cls._confidential(tenant_id, client_id, credential, authority_host, http_client)

    @classmethod
    def for_managed_identity(cls, client_id: str | None = None, *, http_client: Any = None) -> MsalCredential:
        """The app's system-assigned managed identity, or the user-assigned one with ``client_id``."""
        identity: Any = (
            msal.UserAssignedManagedIdentity(client_id=client_id) if client_id else msal.SystemAssignedManagedIdentity()
        )
        cache = msal.TokenCache()
        app = msal.ManagedIdentityClient(identity, http_client=http_client or _default_http_client(), token_cache=cache)
        return cls(app, cache)

    @classmethod
    def _confidential(
        cls, tenant_id: str, client_id: str, client_credential: str | dict[str, Any], authority_host: str,
        http_client: Any,
    ) -> MsalCredential:
        cache = msal.TokenCache()
        try:
            app = msal.ConfidentialClientApplication(
                client_id,
                authority=f"{authority_host.rstrip('/')}/{tenant_id}",
                client_credential=client_credential,
                token_cache=cache,
                http_client=http_client or _default_http_client(),
            )
        except (ValueError, OSError) as exc:
            # Construction fetches the tenant's OpenID configuration and loads the certificate: an unknown
            # tenant, an unreachable authority or a wrong PFX password all surface here.
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise AuthenticationError(f"MSAL could not be set up for tenant {tenant_id}: {reason}") from None
        return cls(app, cache)

    def get_token(self, *scopes: str, force_refresh: bool = False) -> str:
        """Return a token for ``scopes``, from MSAL's cache when it is still valid.

        Args:
            scopes: for a confidential client, OAuth scopes (``<resource>/.default``); a managed identity
                asks for the resource, so a trailing ``/.default`` is removed.
            force_refresh: drop cached access tokens first (after a 401).

        Raises:
            AuthenticationError: carrying MSAL's error, the AADSTS code and correlation id.
        """
        with self._lock:  # MSAL's cache is not safe for concurrent writers.
            if force_refresh:
                for entry in list(self._cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
                    self._cache.remove_at(entry)
            try:
                if isinstance(self._app, msal.ManagedIdentityClient):
                    resource = scopes[0].removesuffix("/.default") if scopes else ""
                    result = self._app.acquire_token_for_client(resource=resource)
                else:
                    result = self._app.acquire_token_for_client(scopes=list(scopes))
            except (OSError, ValueError, KeyError) as exc:
                # Network failures (requests' errors are OSErrors) and malformed identity-provider answers
                # escape MSAL as exceptions rather than error dicts.
                raise AuthenticationError(
                    f"token request for {', '.join(scopes) or 'no scope'} failed: {type(exc).__name__}"
                ) from exc
        if not result or "access_token" not in result:
            raise _error_from_msal(result or {}, scopes)
        return str(result["access_token"])

    def __repr__(self) -> str:
        return f"MsalCredential({type(self._app).__name__})"


def _error_from_msal(result: dict[str, Any], scopes: tuple[str, ...]) -> AuthenticationError:
    """Turn MSAL's error dict into our exception, keeping only non-secret diagnostics."""
    description = str(result.get("error_description") or "")
    error = str(result.get("error") or "unknown_error")
    aadsts = _AADSTS.search(description)
    correlation = result.get("correlation_id") or (m.group(1) if (m := _CORRELATION.search(description)) else None)
    # The first line of Entra's description is the human reason; the rest repeats trace/correlation ids.
    reason = description.splitlines()[0] if description else error
    return AuthenticationError(
        f"token request for {', '.join(scopes) or 'no scope'} failed: {error}: {reason}",
        error=error,
        aadsts_code=aadsts.group(0) if aadsts else None,
        correlation_id=str(correlation) if correlation else None,
    )


def _certificate_credential(path: str, password: Secret | None) -> dict[str, Any]:
    file = Path(path)
    if file.suffix.lower() in (".pfx", ".p12"):
        if not file.is_file():
            raise ConfigurationError([f"OSI_CERTIFICATE_PATH: no certificate file at {path}"])
        credential: dict[str, Any] = {"private_key_pfx_path": str(file)}
    else:
        try:
            text = file.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            problem = f"OSI_CERTIFICATE_PATH: cannot read a PEM file at {path} ({type(exc).__name__})"
            raise ConfigurationError([problem]) from None
        key, certs = _PEM_KEY.search(text), _PEM_CERT.findall(text)
        if key is None or not certs:
            raise ConfigurationError([f"OSI_CERTIFICATE_PATH: {path} must hold a private key and a certificate (PEM)"])
        credential = {"private_key": key.group(0), "public_certificate": "\n".join(certs)}
    if password is not None:
        credential["passphrase"] = password.reveal()
    return credential


def _default_http_client() -> Any:
    return new_session()


_singleton: Credential | None = None
_singleton_key: tuple[Any, ...] | None = None
_singleton_lock = threading.Lock()


def credential_from_settings(settings: Settings, *, http_client: Any = None) -> Credential:
    """The process-wide credential for ``settings``, built on first use and then reused (token cache).

    Args:
        settings: validated settings naming exactly one credential.
        http_client: a ``requests.Session`` for MSAL (tests inject one).

    Raises:
        ConfigurationError: the certificate cannot be read.
        AuthenticationError: the authority could not be initialised.
    """
    global _singleton, _singleton_key
    key = (
        settings.credential_kind, settings.tenant_id, settings.client_id, settings.client_secret,
        settings.certificate_path, settings.managed_identity_client_id, settings.static_token,
    )
    with _singleton_lock:
        if _singleton is not None and _singleton_key == key:
            return _singleton
        _singleton = _build(settings, http_client)
        _singleton_key = key
        return _singleton


def reset_credential_cache() -> None:
    """Forget the process-wide credential (tests; or after rotating a secret)."""
    global _singleton, _singleton_key
    with _singleton_lock:
        _singleton, _singleton_key = None, None


def _build(settings: Settings, http_client: Any) -> Credential:
    kind = settings.credential_kind
    if kind is CredentialKind.STATIC_TOKEN and settings.static_token is not None:
        return StaticTokenCredential(settings.static_token)
    if kind is CredentialKind.MANAGED_IDENTITY:
        return MsalCredential.for_managed_identity(settings.managed_identity_client_id, http_client=http_client)
    tenant, client = settings.tenant_id or "", settings.client_id or ""
    if kind is CredentialKind.CERTIFICATE and settings.certificate_path:
        return MsalCredential.for_certificate(
            tenant, client, settings.certificate_path, settings.certificate_password, http_client=http_client
        )
    if kind is CredentialKind.CLIENT_SECRET and settings.client_secret is not None:
        return MsalCredential.for_client_secret(tenant, client, settings.client_secret, http_client=http_client)
    raise ConfigurationError([f"credential {kind.value} is selected but its setting is empty"])
