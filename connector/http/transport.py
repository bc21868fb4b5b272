"""The one HTTP transport and the one retry policy of the code base (the only importer of ``requests``).

:class:`Transport` owns a pooled ``requests.Session``; :meth:`Transport.send` adds the bearer token, a
``x-ms-client-request-id`` and the OData headers, retries what is safe to retry under
:class:`RetryPolicy`, refreshes the token once on 401, and turns any error status into a typed
exception through :func:`~connector.http.response.decode_error`. No other code sleeps or loops on failures.

What is retried (the policy, in one place):

* 429, 503, 504 for every method, waiting ``Retry-After`` seconds when given (capped), else backing off;
* 408, 502, timeouts and dropped connections only for idempotent requests (GET, PUT, DELETE, HEAD,
  OPTIONS, or a POST/PATCH the caller marks ``idempotent=True``: upserts by key, ``$batch`` of upserts);
* a connection that was refused before anything was sent, for every method.

Backoff is exponential (``backoff_base * 2**n``, capped at ``backoff_max``) with jitter; attempts stop when
``max_attempts`` is reached or the next wait would exceed the total ``budget_seconds``.
"""

from __future__ import annotations

import json as jsonlib
import logging
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import requests
import tenacity
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from connector import __version__
from connector.auth import Credential
from connector.errors import TransportError
from connector.http.response import Response, decode_error, path_of, retry_after_of
from connector.settings import Settings

logger = logging.getLogger(__name__)

USER_AGENT = f"open-sales-insights/{__version__} (+python-requests)"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_ANY_METHOD = frozenset({429, 503, 504})
RETRY_IDEMPOTENT = frozenset({408, 502})
# Kept readable in URLs; everything else in a query value (& = + # ? ; : / @ space) is percent-encoded.
_QUERY_SAFE = "$(),'"
_DEFAULT_HEADERS = {"Accept": "application/json", "OData-MaxVersion": "4.0", "OData-Version": "4.0"}

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
class RetryPolicy:
    """How long and how often to retry. Defaults suit Dataverse service protection (5-minute windows)."""

    budget_seconds: float = 300.0
    max_attempts: int = 10
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    retry_after_max: float = 300.0

    def backoff(self, retry_number: int, rng: Callable[[], float]) -> float:
        """The jittered wait before retry ``retry_number`` (1-based) when the service gave no Retry-After."""
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** (retry_number - 1))
        return ceiling * (0.5 + 0.5 * rng())


class _RetryableError(Exception):
    """Internal signal: this attempt failed in a way the policy may retry."""

    def __init__(
        self, *, response: Response | None = None, error: requests.RequestException | None = None,
        wait: float | None = None,
    ) -> None:
        super().__init__()
        self.response = response
        self.error = error
        self.wait = wait


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

    @classmethod
    def from_settings(cls, settings: Settings) -> Transport:
        """A transport with the timeout and retry budget from ``settings``."""
        return cls(
            timeout=settings.http_timeout_seconds,
            retry=RetryPolicy(budget_seconds=settings.retry_budget_seconds),
        )

    @property
    def retry_policy(self) -> RetryPolicy:
        """The policy this transport retries under."""
        return self._retry

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    def send(
        self,
        method: str,
        url: str,
        *,
        credential: Credential | None = None,
        scopes: Sequence[str] = (),
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
            credential: where the bearer token comes from; no ``Authorization`` header when None.
            scopes: the scopes to ask the credential for.
            headers: extra headers (override the OData defaults).
            params: query options.
            json: a JSON body. data: a raw body (exclusive with ``json``).
            timeout: per-attempt timeout in seconds (default: the transport's).
            idempotent: True when repeating the request cannot do harm (upsert by key); default: by method.
            raise_for_status: when False, an error status is returned instead of raised (``$batch`` bodies).

        Returns:
            The response (2xx/3xx, or any status when ``raise_for_status`` is False).

        Raises:
            HttpResponseError: (or a subclass from :func:`decode_error`) the service answered with an error.
            TransportError: no response after the retries (connection refused or dropped, timeouts).
            AuthenticationError: the credential could not produce a token.
        """
        method = method.upper()
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params, quote_via=quote, safe=_QUERY_SAFE)}"
        body = jsonlib.dumps(json, ensure_ascii=False).encode("utf-8") if json is not None else data
        base_headers = {**_DEFAULT_HEADERS, **(headers or {})}
        if json is not None:
            base_headers.setdefault("Content-Type", "application/json; charset=utf-8")
        safe = idempotent if idempotent is not None else method in IDEMPOTENT_METHODS
        state = {"refreshed": False, "attempts": 0}

        def attempt() -> Response:
            state["attempts"] += 1
            request_id = str(uuid.uuid4())
            sent = {**base_headers, "x-ms-client-request-id": request_id}
            if credential is not None:
                token = credential.get_token(*scopes, force_refresh=False)
                sent["Authorization"] = f"Bearer {token}"
            response = self._once(method, url, sent, body, timeout, request_id, safe)
            if response.status_code == 401 and credential is not None and not state["refreshed"]:
                # One refresh: the cached token may have been revoked or expired early.
                state["refreshed"] = True
                logger.debug("401 for %s %s (request %s); refreshing the token once", method, path_of(url), request_id)
                sent["Authorization"] = f"Bearer {credential.get_token(*scopes, force_refresh=True)}"
                sent["x-ms-client-request-id"] = request_id = str(uuid.uuid4())
                response = self._once(method, url, sent, body, timeout, request_id, safe)
            return response

        started = self._clock()
        try:
            response = self._retrying(started, method, url)(attempt)
        except _RetryableError as final:
            return self._give_up(final, method, url, started, int(state["attempts"]), raise_for_status)
        if raise_for_status and response.status_code >= 400:
            raise decode_error(response, method=method)
        return response

    def repeat_until_settled(self, step: Callable[[], float | None], *, what: str) -> bool:
        """Call ``step`` until it returns None, waiting the seconds it returns in between, under the policy.

        For work the service answers in parts (a Graph ``$batch`` whose members are throttled one by one):
        ``step`` re-sends only what is left and returns the ``Retry-After`` to honour, or None when done.

        Args:
            step: one round; returns None when nothing is left, else the seconds to wait (0: back off).
            what: a description for the logs.

        Returns:
            True when settled; False when the budget or attempts ran out (``step``'s last result stands).
        """
        started = self._clock()

        def attempt() -> None:
            wait = step()
            if wait is not None:
                raise _RetryableError(wait=wait)

        try:
            self._retrying(started, "REPEAT", what)(attempt)
        except _RetryableError:
            logger.warning("%s: gave up after retrying for %.0f s", what, self._clock() - started)
            return False
        return True

    def _once(
        self, method: str, url: str, headers: dict[str, str], body: bytes | str | None,
        timeout: float | None, request_id: str, safe: bool,
    ) -> Response:
        """One attempt on the wire; raises :class:`_RetryableError` for outcomes the policy may retry."""
        seconds = timeout if timeout is not None else self._timeout
        started = self._clock()
        try:
            raw = self._session.request(
                method, url, headers=headers, data=body, timeout=(min(seconds, 10.0), seconds), allow_redirects=False
            )
        except requests.RequestException as exc:
            kind = type(exc).__name__
            logger.debug("%s %s (request %s) failed: %s", method, path_of(url), request_id, kind)
            if _refused_before_send(exc) or (safe and isinstance(exc, requests.ConnectionError | requests.Timeout)):
                raise _RetryableError(error=exc) from None
            raise TransportError(f"{method} {path_of(url)} failed: {kind} (request-id={request_id})") from None
        response = Response(raw.status_code, raw.headers, raw.content, url, request_id)
        logger.debug(
            "%s %s -> %d in %.0f ms (request %s)", method, path_of(url), raw.status_code,
            (self._clock() - started) * 1000, request_id,
        )
        status = response.status_code
        if status in RETRY_ANY_METHOD or (status in RETRY_IDEMPOTENT and safe):
            raise _RetryableError(response=response, wait=retry_after_of(response))
        return response

    def _retrying(self, started: float, method: str, url: str) -> tenacity.Retrying:
        policy = self._retry

        def wait(state: tenacity.RetryCallState) -> float:
            signal = state.outcome.exception() if state.outcome else None
            if isinstance(signal, _RetryableError) and signal.wait:
                return min(signal.wait, policy.retry_after_max)
            return policy.backoff(state.attempt_number, self._rng)

        def stop(state: tenacity.RetryCallState) -> bool:
            spent = self._clock() - started
            return state.attempt_number >= policy.max_attempts or spent + state.upcoming_sleep > policy.budget_seconds

        def log_retry(state: tenacity.RetryCallState) -> None:
            signal = state.outcome.exception() if state.outcome else None
            cause = _describe(signal) if isinstance(signal, _RetryableError) else "error"
            logger.debug(
                "retrying %s %s after %s: attempt %d, waiting %.1f s",
                method, path_of(url), cause, state.attempt_number + 1, state.upcoming_sleep,
            )

        return tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_RetryableError),
            wait=wait,
            stop=stop,
            sleep=self._sleep,
            before_sleep=log_retry,
            reraise=True,
        )

    def _give_up(
        self, final: _RetryableError, method: str, url: str, started: float, attempts: int, raise_for_status: bool
    ) -> Response:
        spent = self._clock() - started
        budget = self._retry.budget_seconds
        summary = f"gave up after {attempts} attempts over {spent:.0f} s (retry budget {budget:.0f} s)"
        logger.warning("%s %s: %s, last outcome %s", method, path_of(url), summary, _describe(final))
        if final.response is None:
            kind = type(final.error).__name__
            raise TransportError(f"{method} {path_of(url)} failed: {kind}; {summary}") from None
        if not raise_for_status:
            return final.response
        raise decode_error(final.response, method=method, note=summary)


def _refused_before_send(exc: requests.RequestException) -> bool:
    """True when the connection was never established, so the server cannot have seen the request."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError | ConnectTimeoutError)


def _describe(signal: _RetryableError) -> str:
    if signal.response is not None:
        after = f", Retry-After {signal.wait:g} s" if signal.wait is not None else ""
        return f"HTTP {signal.response.status_code}{after} (request {signal.response.request_id})"
    if signal.error is None:
        return f"a partial answer (wait {signal.wait:g} s)" if signal.wait is not None else "a partial answer"
    return type(signal.error).__name__


