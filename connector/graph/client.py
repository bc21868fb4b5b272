"""Microsoft Graph client: users and mailbox message metadata.

It shares the transport (pool, retry policy, typed errors) with the Dataverse client but sends its own
headers, and its token goes only to Graph's origin. Only message metadata is read (``Mail.ReadBasic.All``
suffices): never bodies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from connector import odata
from connector.dataverse.pager import Pager
from connector.http import BearerAuth, Credential, Transport, scope_for

GRAPH_HEADERS = {"Accept": "application/json"}
"""Sent with every Graph request (Graph wants none of Dataverse's OData headers)."""
USER_SELECT = ("id", "displayName", "mail", "userPrincipalName")


class GraphClient:
    """A client for Microsoft Graph (or the local emulator's Graph endpoint).

    Args:
        endpoint: ``https://graph.microsoft.com`` or the emulator's URL (``/v1.0`` is added).
        credential: where tokens come from (scope ``https://graph.microsoft.com/.default``).
        transport: the shared transport; a new one when omitted.

    Raises:
        ValueError: ``endpoint`` is not an http(s) URL.
    """

    def __init__(self, endpoint: str, credential: Credential, *, transport: Transport | None = None) -> None:
        endpoint = endpoint.rstrip("/")
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not an http(s) URL: {endpoint!r}")
        self._base = endpoint + "/" if parts.path.endswith(("/v1.0", "/beta")) else f"{endpoint}/v1.0/"
        # Graph's scope is its origin's .default scope, like the emulator's.
        self._auth = BearerAuth(credential, scope_for(endpoint), endpoint)
        self._transport = transport or Transport()

    def __repr__(self) -> str:
        return f"GraphClient({self._base!r})"

    def list_users(self, *, select: Sequence[str] = USER_SELECT, page_size: int = 999) -> Pager:
        """All users of the tenant, lazily (``User.Read.All``).

        Returns:
            A pager of user dicts; iterating raises ``HttpResponseError``/``TransportError`` on failure,
            ``ForeignLinkError`` for a next link off Graph's origin.

        Raises:
            ValueError: a bad column name or page size.
        """
        if not 1 <= page_size <= 999:
            raise ValueError("page_size must be between 1 and 999")
        return Pager(self._fetch, self._base + "users", odata.query_options(select=select, top=page_size),
                     what="users")

    def list_messages(
        self,
        user_id: str,
        *,
        select: Sequence[str],
        since: datetime | None = None,
        until: datetime | None = None,
        page_size: int = 100,
    ) -> Pager:
        """Message metadata of one mailbox (all folders), received in ``[since, until)``, lazily.

        Args:
            user_id: the user's object id or UPN.
            select: the properties to read (``from``, ``toRecipients``, ``receivedDateTime``, ...).
            since: inclusive lower bound on ``receivedDateTime`` (timezone-aware).
            until: exclusive upper bound on ``receivedDateTime`` (timezone-aware).
            page_size: messages per page (``$top``, 1–1000).

        Returns:
            A pager of message dicts; iterating raises ``HttpResponseError``/``TransportError`` on failure,
            ``ForeignLinkError`` for a next link off Graph's origin.

        Raises:
            ValueError: a naive datetime, a bad column name or page size.
        """
        if not 1 <= page_size <= 1000:
            raise ValueError("page_size must be between 1 and 1000")
        # Plain "a and b": Graph's message filter is picky, and two comparisons need no parentheses.
        window = " and ".join(
            clause for clause in (
                odata.compare("receivedDateTime", "ge", since) if since is not None else "",
                odata.compare("receivedDateTime", "lt", until) if until is not None else "",
            ) if clause
        )
        params = odata.query_options(select=select, filter=window or None, top=page_size)
        return Pager(self._fetch, f"{self._base}users/{quote(user_id, safe='')}/messages", params, what="messages")

    def _fetch(self, url: str, params: Mapping[str, str] | None) -> Mapping[str, Any]:
        body = self._transport.send("GET", url, auth=self._auth, headers=GRAPH_HEADERS, params=params).json()
        return body if isinstance(body, Mapping) else {}
