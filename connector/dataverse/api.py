"""The Dataverse Web API endpoint bound to a credential and a transport: URLs, headers and sending.

Every request carries the OData headers Dataverse documents (and only Dataverse requests do). Links the
service hands back (next and delta links, also when read back from the state store) are followed only on
the organisation's own origin: anything else is refused before a token is attached.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from connector.http import BearerAuth, Credential, Response, Transport, scope_for

MAX_PAGE_SIZE = 5000  # Dataverse ignores larger odata.maxpagesize values.
ODATA_HEADERS = {"Accept": "application/json", "OData-MaxVersion": "4.0", "OData-Version": "4.0"}
"""Sent with every Dataverse request (documented request headers)."""


class DataverseApi:
    """Sends requests to one Dataverse organisation's Web API.

    Args:
        endpoint: the organisation URL (``https://org.crm.dynamics.com``), or the Web API base itself
            (``.../api/data/v9.2/``).
        credential: where tokens come from; the scope is ``<org>/.default``.
        transport: the shared transport.
        api_version: the Web API version when ``endpoint`` is the organisation URL.
    """

    def __init__(self, endpoint: str, credential: Credential, transport: Transport, api_version: str = "9.2") -> None:
        endpoint = endpoint.rstrip("/")
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not an http(s) URL: {endpoint!r}")
        self.base_url = endpoint + "/" if "/api/data/v" in parts.path else f"{endpoint}/api/data/v{api_version}/"
        self.scope = scope_for(endpoint)
        self.auth = BearerAuth(credential, self.scope, endpoint)
        self.transport = transport

    def url(self, path: str) -> str:
        """``path`` relative to the Web API base, or unchanged when it is already absolute."""
        return path if path.startswith(("http://", "https://")) else self.base_url + path.lstrip("/")

    def send(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        data: bytes | None = None,
        idempotent: bool | None = None,
        raise_for_status: bool = True,
    ) -> Response:
        """Send one request to the Web API (see :meth:`Transport.send` for what it raises, including
        :class:`~connector.errors.ForeignLinkError` for an absolute ``path`` off the organisation)."""
        sent = {**ODATA_HEADERS, **(headers or {})}
        if method.upper() == "GET":
            # Defeats caching of expanded collections (documented Dataverse header).
            sent.setdefault("If-None-Match", "null")
        return self.transport.send(
            method, self.url(path), auth=self.auth, headers=sent, params=params,
            json=json, data=data, idempotent=idempotent, raise_for_status=raise_for_status,
        )

    def get_json(
        self, path: str, params: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
    ) -> Any:
        """GET ``path`` and return the JSON body (raises as :meth:`send`)."""
        return self.send("GET", path, params=params, headers=headers).json()


def prefer(
    *, page_size: int | None = None, track_changes: bool = False, annotations: str | None = None
) -> dict[str, str]:
    """The ``Prefer`` header for a read, or an empty dict when nothing is preferred."""
    values = []
    if track_changes:
        values.append("odata.track-changes")
    if page_size is not None:
        values.append(f"odata.maxpagesize={max(1, min(int(page_size), MAX_PAGE_SIZE))}")
    if annotations:
        values.append(f'odata.include-annotations="{annotations}"')
    return {"Prefer": ",".join(values)} if values else {}
