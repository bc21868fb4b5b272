"""What an HTTP answer means: our :class:`Response` type and the one :func:`decode_error`.

:func:`decode_error` maps every error status to the matching :class:`HttpResponseError` subclass, reading
Dataverse's and Graph's error bodies, the service request id and ``Retry-After``. It also decides, in this
one place, when a change-tracking token has expired.
"""

from __future__ import annotations

import json as jsonlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from connector.errors import (
    ChangeTokenExpiredError,
    HttpResponseError,
    ResourceModifiedError,
    ResourceNotFoundError,
    ThrottledError,
)

# Change-tracking tokens that are too old. Dataverse answers with code 0x80044352 (ExpiredVersionStamp,
# "Version stamp associated with the client has expired"); its HTTP status is not documented, so the code is
# recognised whatever the status. Graph answers 410 / syncStateNotFound / resyncRequired. A message saying so
# is trusted only with 400 or 410 (a 500's text is no evidence).
_EXPIRED_TOKEN_CODES = frozenset({"0x80044352", "syncstatenotfound", "resyncrequired", "syncstateinvalid"})
_EXPIRED_TOKEN_MESSAGE = re.compile(
    r"(version stamp|change[- ]?tracking token|delta ?token|sync state)"
    r".{0,80}(expired|not found|invalid|not valid|no longer)",
    re.I | re.S,
)
# A quoted literal in a key segment, except the table name of a metadata URL.
_KEY_VALUE = re.compile(r"(?<!LogicalName=)'(?:[^']|'')*'")


@dataclass(frozen=True)
class Response:
    """A received HTTP response (our own type, so callers never see ``requests``)."""

    status_code: int
    headers: Mapping[str, str]
    content: bytes
    url: str
    request_id: str

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes replaced)."""
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON.

        Raises:
            HttpResponseError: the body is not JSON although a JSON answer was expected.
        """
        try:
            return jsonlib.loads(self.content) if self.content else None
        except ValueError:
            raise HttpResponseError(
                "the service answered with a body that is not JSON",
                status_code=self.status_code, request_id=self.request_id, url=path_of(self.url),
            ) from None


def decode_error(response: Response, *, method: str | None = None, note: str | None = None) -> HttpResponseError:
    """Map an error response to the matching :class:`HttpResponseError` subclass.

    Reads Dataverse's and Graph's ``{"error": {"code", "message", "innererror": {"message"}}}`` body, the
    service request id (``x-ms-service-request-id`` / ``REQ_ID`` / Graph's ``request-id``) and ``Retry-After``.

    Args:
        response: the error response.
        method: the HTTP method, for the message.
        note: extra context appended to the message (e.g. how long the retries ran).

    Returns:
        The exception to raise (the caller raises it).
    """
    code, message = _error_body(response)
    if note:
        message = f"{message} ({note})"
    status = response.status_code
    cls: type[HttpResponseError] = HttpResponseError
    if _is_expired_token(status, code, message):
        cls = ChangeTokenExpiredError
    elif status == 404:
        cls = ResourceNotFoundError
    elif status == 412:
        cls = ResourceModifiedError
    elif status == 429:
        cls = ThrottledError
    headers = response.headers
    return cls(
        message,
        status_code=status,
        service_error_code=code,
        request_id=response.request_id,
        service_request_id=headers.get("x-ms-service-request-id") or headers.get("REQ_ID") or headers.get("request-id"),
        retry_after=retry_after_of(response),
        method=method,
        url=path_of(response.url),
    )


def _error_body(response: Response) -> tuple[str | None, str]:
    try:
        body = jsonlib.loads(response.content) if response.content else None
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        text = response.text.strip()
        return None, (text[:300] if text and not text.startswith("<") else _reason(response.status_code))
    code = str(error.get("code") or "") or None
    message = str(error.get("message") or "") or _reason(response.status_code)
    inner = error.get("innererror") or error.get("innerError")
    if isinstance(inner, dict) and isinstance(inner.get("message"), str) and inner["message"] not in message:
        message = f"{message} ({inner['message']})"
    return code, message[:1000]


def _is_expired_token(status: int, code: str | None, message: str) -> bool:
    if (code or "").lower() in _EXPIRED_TOKEN_CODES:
        return True
    return status in (400, 410) and bool(_EXPIRED_TOKEN_MESSAGE.search(message))


def error_code_of(response: Response) -> str | None:
    """The service's error code (Dataverse ``0x…`` or Graph's name) of an error answer, or None."""
    return _error_body(response)[0]


def retry_after_of(response: Response) -> float | None:
    """The seconds of a ``Retry-After`` header, or None when absent or an HTTP-date."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # An HTTP-date; Dataverse and Graph send seconds, so fall back to backoff.
    return max(0.0, seconds)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


def path_of(url: str) -> str:
    """The URL for logs and errors: no query (filters may hold personal data, next links are long), and
    alternate-key values masked (``contacts(emailaddress1='…')``); GUIDs and table names stay."""
    parts = urlsplit(url)
    path = _KEY_VALUE.sub("'…'", parts.path)
    return f"{parts.scheme}://{parts.netloc}{path}" if parts.scheme else path


@dataclass(frozen=True)
class PartResult:
    """The outcome of one member of a batch (Dataverse ``$batch`` part or Graph ``$batch`` member),
    at ``index`` in the caller's input."""

    index: int
    status_code: int
    headers: Mapping[str, str]
    body: Any = None
    error: HttpResponseError | None = None

    @property
    def ok(self) -> bool:
        """True when the member succeeded."""
        return self.error is None
