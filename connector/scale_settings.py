"""The settings for large organisations: where the standard tables are read from, and who writes.

``OSI_SOURCE`` chooses the source of the standard tables: ``webapi`` (the default: the Web API's change
tracking) or ``lake`` (the organisation's Synapse Link / Fabric link Delta tables under ``OSI_LAKE_URL``;
our own tables and every write still go through the Web API). ``OSI_WRITER_CLIENT_IDS`` names other
application users the load spreads its ``$batch`` requests over (each has its own service-protection
budget); ``OSI_WRITE_STREAMS`` how many ``$batch`` requests are sent at once; ``OSI_PARTITION_RECORDS`` at most
how many customer records relationship analytics computes its per-record values for at once (0: all at once).

Read by :meth:`connector.settings.Settings.from_env`, which reports every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit

from connector.odata import is_guid

_LAKE_SCHEMES = ("abfss", "abfs", "az", "azure")
"""URL schemes ``deltalake`` reads ADLS Gen2 / Blob storage with; anything else must be a local folder."""
MAX_WRITE_STREAMS = 16
MAX_PARTITION_RECORDS = 10_000_000
"""``OSI_PARTITION_RECORDS`` above any organisation's record count is a typo, not a plan."""


class _Reader(Protocol):
    """What these readers need of :class:`connector.settings._Reader` (problems collected, not raised)."""

    problems: list[str]

    def text(self, name: str, *, required: bool = False) -> str | None:
        """The trimmed value of ``name``; ``None`` when unset (a problem when ``required``)."""


class Source(StrEnum):
    """Where the standard tables are read from."""

    WEBAPI = "webapi"
    LAKE = "lake"


@dataclass(frozen=True)
class LakeSettings:
    """The Synapse Link / Fabric link lake: its URL and the identity that reads it.

    Attributes:
        url: ``abfss://<container>@<account>.dfs.core.windows.net/<folder>`` or a local folder, holding one
            Delta table per exported table.
        client_id: the user-assigned managed identity that reads the lake (``None``: the system-assigned one).
    """

    url: str | None = None
    client_id: str | None = None

    def storage_options(self) -> dict[str, str]:
        """The ``deltalake`` storage options: none for a local folder; for Azure, the managed identity's client
        id when it is user-assigned (``deltalake`` falls back to the managed identity when no key is given)."""
        if self.url is None or urlsplit(self.url).scheme not in _LAKE_SCHEMES or self.client_id is None:
            return {}
        return {"azure_client_id": self.client_id}


def read_source(reader: _Reader) -> tuple[Source, LakeSettings]:
    """``OSI_SOURCE`` and, for the lake, ``OSI_LAKE_URL`` (required) and ``OSI_LAKE_CLIENT_ID``."""
    raw = (reader.text("OSI_SOURCE") or Source.WEBAPI.value).lower()
    if raw not in {s.value for s in Source}:
        reader.problems.append(f"OSI_SOURCE must be webapi or lake (got {raw!r})")
        raw = Source.WEBAPI.value
    source = Source(raw)
    url = reader.text("OSI_LAKE_URL", required=source is Source.LAKE)
    client_id = reader.text("OSI_LAKE_CLIENT_ID")
    if url is not None:
        scheme = urlsplit(url).scheme
        if "://" in url and scheme not in _LAKE_SCHEMES:
            reader.problems.append("OSI_LAKE_URL must be an abfss:// URL (the link's container and folder) or a "
                                   f"local folder (got scheme {scheme!r})")
            url = None
    if client_id is not None and not is_guid(client_id):
        reader.problems.append("OSI_LAKE_CLIENT_ID must be the client id (a GUID) of a user-assigned managed identity")
        client_id = None
    return source, LakeSettings(url.rstrip("/") if url else None, client_id)


def read_writers(reader: _Reader, *, shares_credential: bool) -> tuple[str, ...]:
    """``OSI_WRITER_CLIENT_IDS``: comma-separated client ids of other application users of the organisation.

    Each is reached with the run's own kind of credential: the same certificate registered on each app
    registration, or a user-assigned managed identity each. A client secret belongs to one app registration,
    so writers cannot share it (``shares_credential`` is false then) and are refused.
    """
    raw = reader.text("OSI_WRITER_CLIENT_IDS")
    if raw is None:
        return ()
    ids = tuple(dict.fromkeys(part.strip().lower() for part in raw.split(",") if part.strip()))
    bad = [i for i in ids if not is_guid(i)]
    if bad:
        reader.problems.append(f"OSI_WRITER_CLIENT_IDS must be client ids (GUIDs) separated by commas ({len(bad)} "
                               "are not)")
        return ()
    if not shares_credential:
        reader.problems.append("OSI_WRITER_CLIENT_IDS needs OSI_CERTIFICATE_PATH (the same certificate on each app "
                               "registration) or OSI_MANAGED_IDENTITY=true (a user-assigned identity each); a "
                               "client secret belongs to one app registration")
        return ()
    return ids
