"""Microsoft Graph client: users, mailbox message metadata, and JSON ``$batch`` of up to 20 requests.

It shares the transport (pool, retry policy, typed errors) with the Dataverse client. Only message
metadata is read (``Mail.ReadBasic.All`` suffices): never bodies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from connector import odata
from connector.auth import GRAPH_SCOPE, Credential, scope_for
from connector.dataverse.pager import Pager
from connector.errors import HttpResponseError
from connector.http import PartResult, Response, Transport, decode_error, make_headers

MAX_BATCH_REQUESTS = 20  # Graph's limit per JSON batch.
USER_SELECT = ("id", "displayName", "mail", "userPrincipalName")


@dataclass(frozen=True)
class GraphRequest:
    """One member of a Graph ``$batch``; ``url`` is relative to the version root (``/users/{id}/messages``)."""

    method: str
    url: str
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


GraphResponse = PartResult
"""The answer to the request at ``index`` in the caller's input."""


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
        self._scope = GRAPH_SCOPE if parts.netloc == "graph.microsoft.com" else scope_for(endpoint)
        self._credential = credential
        self._transport = transport or Transport()

    def __repr__(self) -> str:
        return f"GraphClient({self._base!r})"

    def list_users(self, *, select: Sequence[str] = USER_SELECT, page_size: int = 999) -> Pager:
        """All users of the tenant, lazily (``User.Read.All``).

        Returns:
            A pager of user dicts; iterating raises ``HttpResponseError``/``TransportError`` on failure.

        Raises:
            ValueError: a bad column name or page size.
        """
        if not 1 <= page_size <= 999:
            raise ValueError("page_size must be between 1 and 999")
        return Pager(self._fetch, self._base + "users", odata.query_options(select=select, top=page_size))

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
            A pager of message dicts; iterating raises ``HttpResponseError``/``TransportError`` on failure.

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
        return Pager(self._fetch, f"{self._base}users/{quote(user_id, safe='')}/messages", params)

    def batch(self, requests: Sequence[GraphRequest]) -> list[GraphResponse]:
        """Send ``requests`` in JSON batches of 20; return one response per request, in input order.

        Members throttled with 429 are re-sent (only those) after the longest ``Retry-After`` they carry,
        under the transport's retry policy; members still throttled when the budget runs out come back with
        a :class:`~connector.errors.ThrottledError`.

        Raises:
            HttpResponseError: a batch envelope failed (not a member: those are in the results).
            TransportError: no response after retries.
        """
        results: dict[int, GraphResponse] = {}
        for start in range(0, len(requests), MAX_BATCH_REQUESTS):
            pending = list(range(start, min(start + MAX_BATCH_REQUESTS, len(requests))))

            def step(pending: list[int] = pending) -> float | None:
                answered = self._send_batch([(i, requests[i]) for i in pending])
                results.update(answered)
                throttled = [i for i in pending if answered[i].status_code == 429]
                pending[:] = throttled
                if not throttled:
                    return None
                # 0 means "no Retry-After given": the policy then backs off on its own.
                return max((answered[i].error.retry_after or 0.0) if answered[i].error else 0.0 for i in throttled)

            self._transport.repeat_until_settled(step, what=f"Graph $batch of {len(pending)} requests")
        return [results[i] for i in range(len(requests))]

    def _send_batch(self, members: Sequence[tuple[int, GraphRequest]]) -> dict[int, GraphResponse]:
        payload = {"requests": [_member(i, request) for i, request in members]}
        body = self._send("POST", self._base + "$batch", json=payload).json() or {}
        answers = {str(a.get("id")): a for a in body.get("responses", []) if isinstance(a, dict)}
        out: dict[int, GraphResponse] = {}
        for i, request in members:
            answer = answers.get(str(i))
            if answer is None:
                error = HttpResponseError("the batch response has no answer for this request", status_code=502,
                                          method=request.method, url=request.url)
                out[i] = GraphResponse(i, 502, make_headers(), None, error)
                continue
            status = int(answer.get("status", 0))
            headers = make_headers({str(k): str(v) for k, v in (answer.get("headers") or {}).items()})
            member_body = answer.get("body")
            error = None
            if status >= 400:
                raw = _as_bytes(member_body)
                error = decode_error(Response(status, headers, raw, request.url, ""), method=request.method)
            out[i] = GraphResponse(i, status, headers, member_body, error)
        return out

    def _fetch(self, url: str, params: Mapping[str, str] | None) -> Mapping[str, Any]:
        return self._send("GET", url, params=params).json() or {}

    def _send(self, method: str, url: str, **kwargs: Any) -> Response:
        return self._transport.send(method, url, credential=self._credential, scopes=(self._scope,), **kwargs)


def _member(index: int, request: GraphRequest) -> dict[str, Any]:
    member: dict[str, Any] = {"id": str(index), "method": request.method.upper(), "url": request.url}
    headers = dict(request.headers)
    if request.body is not None:
        member["body"] = request.body
        headers.setdefault("Content-Type", "application/json")
    if headers:
        member["headers"] = headers
    return member


def _as_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    return body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8")
