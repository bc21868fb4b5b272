"""The connector's settings: one frozen :class:`Settings`, built once from an environment mapping.

The caller (a Functions trigger, the CLI) passes ``os.environ``; library code never reads the
environment itself. Every problem is collected and reported in one :class:`ConfigurationError`
that names each setting. Secret values are wrapped in :class:`Secret`, whose ``repr`` and ``str``
are ``'***'``, so a settings object can be logged or printed without leaking them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypedDict, TypeVar
from urllib.parse import urlsplit

from connector.errors import ConfigurationError
from connector.scale_settings import (
    MAX_PARTITION_RECORDS,
    MAX_WRITE_STREAMS,
    LakeSettings,
    Source,
    read_source,
    read_writers,
)

_N = TypeVar("_N", int, float)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_BATCH_SIZE = 1000  # Dataverse's hard limit of requests per $batch.


class Secret:
    """A secret string that never shows itself in ``repr``, ``str`` or f-strings.

    Call :meth:`reveal` at the one place the value is handed to the library that needs it.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret value itself."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __format__(self, format_spec: str) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would write the value to disk or a queue; refuse rather than leak.
        raise TypeError("Secret values cannot be pickled")


@dataclass(frozen=True)
class StorageSettings:
    """Where the state store and the run queue live: a connection string, or identity-based endpoints.

    Mirrors the Functions host's own ``AzureWebJobsStorage`` settings: the connection string when it is set,
    else ``AzureWebJobsStorage__accountName`` (or ``__blobServiceUri`` / ``__queueServiceUri``) reached with
    a Microsoft Entra token (``__credential=managedidentity``, ``__clientId`` for a user-assigned identity).
    """

    connection_string: Secret | None = None
    blob_service_uri: str | None = None
    queue_service_uri: str | None = None
    client_id: str | None = None

    @property
    def configured(self) -> bool:
        """Whether any Azure Storage is configured (otherwise state lives in a local folder)."""
        return self.connection_string is not None or self.blob_service_uri is not None

    @property
    def identity_based(self) -> bool:
        """Whether storage is reached with a token rather than a connection string."""
        return self.connection_string is None and self.blob_service_uri is not None


class CredentialKind(StrEnum):
    """Which of the mutually exclusive credentials the settings carry."""

    CLIENT_SECRET = "client_secret"
    CERTIFICATE = "certificate"
    MANAGED_IDENTITY = "managed_identity"
    STATIC_TOKEN = "static_token"


@dataclass(frozen=True)
class Settings:
    """Everything the connector needs, validated. Build it with :meth:`from_env`."""

    dataverse_url: str
    tenant_id: str | None
    client_id: str | None
    credential_kind: CredentialKind
    client_secret: Secret | None = None
    certificate_path: str | None = None
    certificate_password: Secret | None = None
    managed_identity_client_id: str | None = None
    static_token: Secret | None = None
    graph_enabled: bool = False
    graph_url: str = "https://graph.microsoft.com"
    state_dir: str = ".osi/state"
    storage: StorageSettings = StorageSettings()
    batch_size: int = 100
    max_concurrency: int = 4
    http_timeout_seconds: float = 30.0
    retry_budget_seconds: float = 300.0
    page_size: int = 5000
    sync_schedule: str = "0 0 */4 * * *"
    org_timezone: str = "UTC"
    run_queue: str = "osi-runs"
    source: Source = Source.WEBAPI
    lake: LakeSettings = LakeSettings()
    writer_client_ids: tuple[str, ...] = ()
    write_streams: int = 2
    partition_records: int = 0

    @property
    def storage_connection_string(self) -> Secret | None:
        """The ``AzureWebJobsStorage`` connection string, when storage is not identity-based."""
        return self.storage.connection_string

    @property
    def is_loopback(self) -> bool:
        """Whether the Dataverse URL points at this machine (the emulator)."""
        return _is_loopback(self.dataverse_url)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Build and validate settings from an environment mapping (normally ``os.environ``).

        Args:
            env: the environment variables, by name (``OSI_DATAVERSE_URL``, ``OSI_TENANT_ID``, ...).

        Returns:
            The validated settings.

        Raises:
            ConfigurationError: listing every missing or invalid setting at once.
        """
        reader = _Reader(env)
        url = reader.url("OSI_DATAVERSE_URL", required=True)
        graph_url = reader.url("OSI_GRAPH_URL") or "https://graph.microsoft.com"
        graph_enabled = reader.boolean("OSI_GRAPH_ENABLED", False)
        used_graph = graph_url if graph_enabled or reader.raw("OSI_GRAPH_URL") else None
        kind, credential_fields = _read_credential(reader, url, used_graph)
        needs_app = kind in (CredentialKind.CLIENT_SECRET, CredentialKind.CERTIFICATE)
        tenant_id = reader.text("OSI_TENANT_ID", required=needs_app)
        client_id = reader.text("OSI_CLIENT_ID", required=needs_app)
        batch_size = reader.number("OSI_BATCH_SIZE", int, 100, low=1, high=MAX_BATCH_SIZE)
        source, lake = read_source(reader)
        shares = kind in (CredentialKind.CERTIFICATE, CredentialKind.MANAGED_IDENTITY, CredentialKind.STATIC_TOKEN)
        settings = cls(
            dataverse_url=(url or "").rstrip("/"),
            tenant_id=tenant_id,
            client_id=client_id,
            credential_kind=kind or CredentialKind.CLIENT_SECRET,
            graph_enabled=graph_enabled,
            graph_url=graph_url.rstrip("/"),
            state_dir=reader.text("OSI_STATE_DIR") or ".osi/state",
            storage=_read_storage(reader),
            batch_size=batch_size,
            max_concurrency=reader.number("OSI_MAX_CONCURRENCY", int, 4, low=1, high=52),
            http_timeout_seconds=reader.number("OSI_HTTP_TIMEOUT_SECONDS", float, 30.0, low=1.0, high=600.0),
            retry_budget_seconds=reader.number("OSI_RETRY_BUDGET_SECONDS", float, 300.0, low=0.0, high=3600.0),
            page_size=reader.number("OSI_PAGE_SIZE", int, 5000, low=1, high=5000),
            sync_schedule=reader.text("OSI_SYNC_SCHEDULE") or "0 0 */4 * * *",
            org_timezone=_read_timezone(reader),
            run_queue=_read_queue_name(reader),
            source=source,
            lake=lake,
            writer_client_ids=read_writers(reader, shares_credential=shares),
            write_streams=reader.number("OSI_WRITE_STREAMS", int, 2, low=1, high=MAX_WRITE_STREAMS),
            partition_records=reader.number("OSI_PARTITION_RECORDS", int, 0, low=0, high=MAX_PARTITION_RECORDS),
            **credential_fields,
        )
        if reader.problems:
            raise ConfigurationError(reader.problems)
        return settings


class _Reader:
    """Reads typed values from the environment, collecting problems instead of raising at the first."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env
        self.problems: list[str] = []

    def raw(self, name: str) -> str | None:
        value = self._env.get(name)
        if value is None or not value.strip():
            return None
        return value.strip()

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.raw(name)
        if value is None and required:
            self.problems.append(f"{name} is required")
        return value

    def secret(self, name: str) -> Secret | None:
        value = self.raw(name)
        return Secret(value) if value is not None else None

    def url(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.problems.append(f"{name} must be an http(s) URL with a host, e.g. https://org.crm.dynamics.com")
            return None
        if parts.scheme == "http" and not _is_loopback(value):
            self.problems.append(f"{name} must use https (plain http is allowed only for 127.0.0.1/localhost)")
            return None
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self._env.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False if lowered else default
        self.problems.append(f"{name} must be true or false")
        return default

    def number(self, name: str, kind: Callable[[str], _N], default: _N, *, low: float, high: float) -> _N:
        value = self.raw(name)
        if value is None:
            return default
        try:
            parsed = kind(value)
        except ValueError:
            self.problems.append(f"{name} must be a number between {low:g} and {high:g}")
            return default
        if not low <= parsed <= high:
            self.problems.append(f"{name} must be between {low:g} and {high:g}")
            return default
        return parsed


def _is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in _LOOPBACK_HOSTS


class _CredentialFields(TypedDict, total=False):
    """The :class:`Settings` fields a credential fills (all absent when none is configured)."""

    client_secret: Secret | None
    certificate_path: str | None
    certificate_password: Secret | None
    managed_identity_client_id: str | None
    static_token: Secret | None


def _read_credential(reader: _Reader, url: str | None, graph_url: str | None = None,
                     ) -> tuple[CredentialKind | None, _CredentialFields]:
    """Exactly one credential must be configured; return its kind and the Settings fields it fills."""
    secret = reader.secret("OSI_CLIENT_SECRET")
    cert_path = reader.text("OSI_CERTIFICATE_PATH")
    managed = reader.boolean("OSI_MANAGED_IDENTITY", False)
    token = reader.secret("OSI_STATIC_TOKEN")
    chosen = [
        kind
        for kind, present in (
            (CredentialKind.CLIENT_SECRET, secret is not None),
            (CredentialKind.CERTIFICATE, cert_path is not None),
            (CredentialKind.MANAGED_IDENTITY, managed),
            (CredentialKind.STATIC_TOKEN, token is not None),
        )
        if present
    ]
    names = "OSI_CLIENT_SECRET, OSI_CERTIFICATE_PATH, OSI_MANAGED_IDENTITY=true or OSI_STATIC_TOKEN"
    if not chosen:
        reader.problems.append(f"no credential configured: set exactly one of {names}")
        return None, {}
    if len(chosen) > 1:
        found = ", ".join(kind.value for kind in chosen)
        reader.problems.append(f"more than one credential configured ({found}): set only one of {names}")
        return None, {}
    kind = chosen[0]
    for name, service_url in (("OSI_DATAVERSE_URL", url), ("OSI_GRAPH_URL", graph_url)):
        if kind is CredentialKind.STATIC_TOKEN and service_url is not None and not _is_loopback(service_url):
            reader.problems.append(
                f"OSI_STATIC_TOKEN is allowed only with the local emulator ({name} on 127.0.0.1/localhost)"
            )
    password = reader.secret("OSI_CERTIFICATE_PASSWORD")
    if password is not None and kind is not CredentialKind.CERTIFICATE:
        reader.problems.append("OSI_CERTIFICATE_PASSWORD is set but OSI_CERTIFICATE_PATH is not")
    mi_client_id = reader.text("OSI_MANAGED_IDENTITY_CLIENT_ID")
    if mi_client_id is not None and kind is not CredentialKind.MANAGED_IDENTITY:
        reader.problems.append("OSI_MANAGED_IDENTITY_CLIENT_ID is set but OSI_MANAGED_IDENTITY is not true")
    return kind, {
        "client_secret": secret,
        "certificate_path": cert_path,
        "certificate_password": password,
        "managed_identity_client_id": mi_client_id,
        "static_token": token,
    }


def _read_timezone(reader: _Reader) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = reader.text("OSI_ORG_TIMEZONE") or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        reader.problems.append(f"OSI_ORG_TIMEZONE must be an IANA time zone name such as Europe/Paris (got {name!r})")
        return "UTC"
    return name


STORAGE = "AzureWebJobsStorage"
"""The host's storage connection: the state store and the run queue use the same account."""

DEFAULTS: dict[str, str] = {
    "OSI_GRAPH_ENABLED": "false",
    "OSI_GRAPH_URL": "https://graph.microsoft.com",
    "OSI_STATE_DIR": ".osi/state",
    "OSI_BATCH_SIZE": "100",
    "OSI_MAX_CONCURRENCY": "4",
    "OSI_HTTP_TIMEOUT_SECONDS": "30",
    "OSI_RETRY_BUDGET_SECONDS": "300",
    "OSI_PAGE_SIZE": "5000",
    "OSI_SYNC_SCHEDULE": "0 0 */4 * * *",
    "OSI_ORG_TIMEZONE": "UTC",
    "OSI_RUN_QUEUE": "osi-runs",
    "OSI_SOURCE": "webapi",
    "OSI_WRITE_STREAMS": "2",
    "OSI_PARTITION_RECORDS": "0",
}
"""Every optional app setting with the default :meth:`Settings.from_env` applies (the deployment template
sets each of them explicitly; a test holds the two together)."""


def _read_storage(reader: _Reader) -> StorageSettings:
    """The storage settings, as the Functions host reads them (connection string first)."""
    connection = reader.secret(STORAGE)
    account = reader.text(f"{STORAGE}__accountName")
    blob = reader.url(f"{STORAGE}__blobServiceUri")
    queue = reader.url(f"{STORAGE}__queueServiceUri")
    client_id = reader.text(f"{STORAGE}__clientId")
    credential = reader.text(f"{STORAGE}__credential")
    if credential is not None and credential.lower() != "managedidentity":
        reader.problems.append(f"{STORAGE}__credential must be managedidentity when set")
    if connection is not None:
        return StorageSettings(connection_string=connection)
    if account is not None:
        if not re.fullmatch(r"[a-z0-9]{3,24}", account):
            reader.problems.append(f"{STORAGE}__accountName must be a storage account name (3-24 lowercase "
                                   "letters and digits)")
            return StorageSettings()
        blob = blob or f"https://{account}.blob.core.windows.net"
        queue = queue or f"https://{account}.queue.core.windows.net"
    if (blob is None) != (queue is None):
        reader.problems.append(f"set both {STORAGE}__blobServiceUri and {STORAGE}__queueServiceUri, or "
                               f"{STORAGE}__accountName")
        return StorageSettings()
    if blob is None:
        return StorageSettings()
    return StorageSettings(blob_service_uri=blob.rstrip("/"), queue_service_uri=(queue or "").rstrip("/"),
                           client_id=client_id)


def _read_queue_name(reader: _Reader) -> str:
    name = reader.text("OSI_RUN_QUEUE") or "osi-runs"
    # Azure Storage queue names: 3-63 lowercase letters, digits and single hyphens, not at either end.
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}", name):
        reader.problems.append("OSI_RUN_QUEUE must be a queue name: 3-63 lowercase letters, digits and hyphens")
        return "osi-runs"
    return name
