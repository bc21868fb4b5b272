"""The one HTTP transport (the only importer of ``requests``).

:class:`Transport` owns a pooled ``requests.Session``. :meth:`Transport.send` is four small steps:
prepare the request once (query, body, content type), then under the retry policy of
:mod:`connector.http.policy` make an authorised attempt (:class:`~connector.http.credential.BearerAuth`
adds the token for the request's origin only, and one 401 gets one fresh token), each attempt one
exchange on the wire with its own ``x-ms-client-request-id``; finally turn an error status into a typed
exception through :func:`~connector.http.response.decode_error`. Service headers (OData's for Dataverse,
Graph's for Graph) are the clients' business: the transport adds none of its own but the User-Agent and
the request id. No other code sleeps or loops on failures.
"""

from __future__ import annotations

import json as jsonlib
import logging
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn
from urllib.parse import quote, urlencode

import requests
import tenacity
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from connector import __version__
from connector.errors import TransportError
from connector.http.credential import BearerAuth
from connector.http.policy import IDEMPOTENT_METHODS, RetryableError, RetryPolicy, retrying
from connector.http.response import Response, decode_error, error_code_of, path_of, retry_after_of

logger = logging.getLogger(__name__)

USER_AGENT = f"open-sales-insights/{__version__} (+python-requests)"
# Kept readable in URLs; everything else in a query value (& = + # ? ; : / @ space) is percent-encoded.
_QUERY_SAFE = "$(),'"


def make_headers(pairs: Mapping[str, str] | Sequence[tuple[str, str]] = ()) -> Mapping[str, str]:
    """A case-insensitive header mapping (for responses decoded from ``$batch`` parts)."""
    return requests.structures.CaseInsensitiveDict(pairs)


def new_session() -> requests.Session:
    """A pooled session with our User-Agent (also handed to MSAL as its ``http_client``)."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=64, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


@dataclass(frozen=True)
class _Prepared:
    """A request as it goes on the wire, minus what each attempt adds (token, request id)."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | str | None
    idempotent: bool
    timeout: float


class Transport:
    """Sends HTTP requests with auth, correlation ids, retries and typed errors.

    Args:
        session: the pooled session to use (default: a new one).
        timeout: seconds to wait for a response (connect and read), per attempt.
        retry: the retry policy.
        clock: monotonic seconds, injectable so tests control time.
        sleep: how to wait between attempts, injectable so tests never really sleep.
        rng: a ``[0, 1)`` source for backoff jitter.
    """

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._session = session or new_session()
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._clock = clock
        self._sleep = sleep
        self._rng = rng

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        auth: BearerAuth | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        data: bytes | str | None = None,
        timeout: float | None = None,
        idempotent: bool | None = None,
        raise_for_status: bool = True,
    ) -> Response:
        """Send one request under the retry policy and return the final response.

        Args:
            method: HTTP method.
            url: absolute URL; ``params`` are appended with ``%20`` for spaces (OData needs that).
            auth: the service's bearer auth; no ``Authorization`` header when None.
            headers: the service's headers for this request.
            params: query options.
            json: a JSON body. data: a raw body (exclusive with ``json``).
            timeout: per-attempt timeout in seconds (default: the transport's).
            idempotent: True when repeating the request cannot do harm (upsert by key); default: by method.
            raise_for_status: when False, an error status is returned instead of raised (``$batch`` bodies).

        Returns:
            The response (2xx/3xx, or any status when ``raise_for_status`` is False).

        Raises:
            ForeignLinkError: ``url`` is not on the origin ``auth`` is bound to; nothing was sent.
            HttpResponseError: (or a subclass from :func:`decode_error`) the service answered with an error.
            TransportError: no response after the retries (connection refused or dropped, timeouts).
            AuthenticationError: the credential could not produce a token.
        """
        if auth is not None:
            auth.check(url)
        request = self._prepare(method, url, headers, params, json, data, timeout, idempotent)
        started = self._clock()
        attempts = 0

        def attempt() -> Response:
            nonlocal attempts
            attempts += 1
            return self._authorised(request, auth)

        loop = retrying(self._retry, started=started, clock=self._clock, sleep=self._sleep, rng=self._rng,
                        method=request.method, url=request.url)
        try:
            response: Response = loop(attempt)
        except RetryableError as final:
            return self._give_up(final, request, started, attempts, raise_for_status)
        if raise_for_status and response.status_code >= 400:
            raise decode_error(response, method=request.method)
        return response

    def retry_loop(self, method: str, url: str) -> tenacity.Retrying:
        """The retry policy's loop, on this transport's clock, for work that decides for itself what failed: it
        raises :class:`~connector.http.policy.RetryableError` to be repeated (the operations of a ``$batch`` that
        failed transiently), and gets it back when the policy gives up."""
        return retrying(self._retry, started=self._clock(), clock=self._clock, sleep=self._sleep, rng=self._rng,
                        method=method.upper(), url=url)

    def _prepare(
        self, method: str, url: str, headers: Mapping[str, str] | None, params: Mapping[str, str] | None,
        json: Any, data: bytes | str | None, timeout: float | None, idempotent: bool | None,
    ) -> _Prepared:
        method = method.upper()
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params, quote_via=quote, safe=_QUERY_SAFE)}"
        sent = dict(headers or {})
        body = data
        if json is not None:
            body = jsonlib.dumps(json, ensure_ascii=False).encode("utf-8")
            sent.setdefault("Content-Type", "application/json; charset=utf-8")
        safe = idempotent if idempotent is not None else method in IDEMPOTENT_METHODS
        return _Prepared(method, url, sent, body, safe, timeout if timeout is not None else self._timeout)

    def _authorised(self, request: _Prepared, auth: BearerAuth | None) -> Response:
        """One attempt with the current token; a 401 gets one fresh token and one more exchange."""
        token = auth.header(request.url) if auth is not None else None
        response = self._once(request, token)
        if response.status_code == 401 and auth is not None:
            # The cached token may have been revoked or expired early: ask for a new one, once.
            logger.debug("401 for %s %s (request %s); refreshing the token once",
                         request.method, path_of(request.url), response.request_id)
            response = self._once(request, auth.header(request.url, refresh=True))
        return response

    def _once(self, request: _Prepared, authorization: str | None) -> Response:
        """One exchange on the wire; raises :class:`RetryableError` for outcomes the policy may retry."""
        request_id = str(uuid.uuid4())
        headers = {**request.headers, "x-ms-client-request-id": request_id}
        if authorization is not None:
            headers["Authorization"] = authorization
        started = self._clock()
        try:
            raw = self._session.request(
                request.method, request.url, headers=headers, data=request.body,
                timeout=(min(request.timeout, 10.0), request.timeout), allow_redirects=False,
            )
        except requests.RequestException as exc:
            self._connection_failed(request, exc, request_id)
        response = Response(raw.status_code, raw.headers, raw.content, request.url, request_id)
        logger.debug("%s %s -> %d in %.0f ms (request %s)", request.method, path_of(request.url),
                     raw.status_code, (self._clock() - started) * 1000, request_id)
        if response.status_code >= 400:
            code = error_code_of(response)
            if self._retry.should_retry(response.status_code, code, request.idempotent):
                raise RetryableError(response=response, wait=retry_after_of(response))
        return response

    def _connection_failed(self, request: _Prepared, exc: requests.RequestException, request_id: str) -> NoReturn:
        """Classify a request that got no answer.

        Raises:
            RetryableError: the policy may repeat it (refused before sending, or idempotent).
            TransportError: it must not be repeated (a POST the service may have acted on).
        """
        kind = type(exc).__name__
        logger.debug("%s %s (request %s) failed: %s", request.method, path_of(request.url), request_id, kind)
        dropped = isinstance(exc, requests.ConnectionError | requests.Timeout)
        if _refused_before_send(exc) or (request.idempotent and dropped):
            raise RetryableError(error=kind) from None
        raise TransportError(f"{request.method} {path_of(request.url)} failed: {kind} (request-id={request_id})"
                             ) from None

    def _give_up(
        self, final: RetryableError, request: _Prepared, started: float, attempts: int, raise_for_status: bool
    ) -> Response:
        spent = self._clock() - started
        summary = (f"gave up after {attempts} attempts over {spent:.0f} s "
                   f"(retry budget {self._retry.budget_seconds:.0f} s)")
        logger.warning("%s %s: %s, last outcome %s", request.method, path_of(request.url), summary, final.describe())
        if final.response is None:
            raise TransportError(f"{request.method} {path_of(request.url)} failed: {final.error}; {summary}")
        if not raise_for_status:
            return final.response
        raise decode_error(final.response, method=request.method, note=summary)


def _refused_before_send(exc: requests.RequestException) -> bool:
    """True when the connection was never established, so the server cannot have seen the request."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError | ConnectTimeoutError)
