"""The one retry policy of the code base: what is retried, how long to wait, when to give up.

What is retried:

* 429, 503 and 504 for every method (the service did not act), waiting ``Retry-After`` seconds when given
  (capped), else backing off;
* 408, 500, 502, Dataverse's transient error codes (``0x80040216`` "An unexpected error occurred", which
  Dataverse answers with HTTP 500), timeouts and dropped connections, only for idempotent requests: GET,
  PUT, DELETE, HEAD, OPTIONS, or a PATCH/POST the caller marks ``idempotent=True`` (an update with
  ``If-Match``, an upsert by key, a ``$batch`` made only of those). A plain POST that creates a record is
  never repeated after an answer that leaves open whether it was done;
* a connection refused before anything was sent, for every method;
* never an error whose code says that repeating cannot help (``0x80044352``, an expired change-tracking
  token, whatever the status it comes with).

Backoff is exponential (``backoff_base * 2**n``, capped at ``backoff_max``) with jitter; attempts stop when
``max_attempts`` is reached or the next wait would pass the total ``budget_seconds``. The loop itself is
tenacity's: :func:`retrying` builds it from the policy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import tenacity

from connector.http.response import Response, path_of

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_ANY_METHOD = frozenset({429, 503, 504})
RETRY_IDEMPOTENT = frozenset({408, 500, 502})
TRANSIENT_CODES = frozenset({"0x80040216"})
"""Dataverse error codes of transient server failures (retried for idempotent requests at any status)."""
PERMANENT_CODES = frozenset({"0x80044352"})
"""Error codes that no repetition can fix (an expired change-tracking token: read fully instead)."""


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
        ceiling = min(self.backoff_max, self.backoff_base * 2.0 ** (retry_number - 1))
        return ceiling * (0.5 + 0.5 * rng())

    @staticmethod
    def should_retry(status: int, code: str | None, idempotent: bool) -> bool:
        """Whether an answer with ``status`` and service error ``code`` is worth another attempt."""
        if (code or "").lower() in PERMANENT_CODES:
            return False
        if status in RETRY_ANY_METHOD:
            return True
        return idempotent and (status in RETRY_IDEMPOTENT or (code or "").lower() in TRANSIENT_CODES)


class RetryableError(Exception):
    """Internal signal: this attempt failed in a way the policy may retry.

    Attributes:
        response: the error answer, when there was one.
        error: the ``requests`` exception name when no answer came.
        wait: seconds the service asked us to wait (``Retry-After``), when it did.
    """

    def __init__(self, *, response: Response | None = None, error: str | None = None,
                 wait: float | None = None) -> None:
        super().__init__()
        self.response = response
        self.error = error
        self.wait = wait

    def describe(self) -> str:
        """The outcome for logs: status and request id, or the kind of connection failure."""
        if self.response is not None:
            after = f", Retry-After {self.wait:g} s" if self.wait is not None else ""
            return f"HTTP {self.response.status_code}{after} (request {self.response.request_id})"
        return self.error or "error"


def retrying(
    policy: RetryPolicy, *, started: float, clock: Callable[[], float], sleep: Callable[[float], None],
    rng: Callable[[], float], method: str, url: str,
) -> tenacity.Retrying:
    """A tenacity loop that repeats on :class:`RetryableError` under ``policy``, from ``started`` on ``clock``."""

    def wait(state: tenacity.RetryCallState) -> float:
        signal = state.outcome.exception() if state.outcome else None
        if isinstance(signal, RetryableError) and signal.wait:
            return min(signal.wait, policy.retry_after_max)
        return policy.backoff(state.attempt_number, rng)

    def stop(state: tenacity.RetryCallState) -> bool:
        spent = clock() - started
        return state.attempt_number >= policy.max_attempts or spent + state.upcoming_sleep > policy.budget_seconds

    def log_retry(state: tenacity.RetryCallState) -> None:
        signal = state.outcome.exception() if state.outcome else None
        cause = signal.describe() if isinstance(signal, RetryableError) else "error"
        # Automatic retries are DEBUG: only giving up is a warning.
        logger.debug("retrying %s %s after %s: attempt %d, waiting %.1f s",
                     method, path_of(url), cause, state.attempt_number + 1, state.upcoming_sleep)

    return tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(RetryableError), wait=wait, stop=stop, sleep=sleep,
        before_sleep=log_retry, reraise=True,
    )
