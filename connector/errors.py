"""The one exception hierarchy of the connector.

Every error the connector raises on purpose derives from :class:`OsiError`::

    OsiError
    ├── ConfigurationError            settings missing or invalid (all problems listed at once)
    ├── AuthenticationError           MSAL / managed identity could not get a token (AADSTS code, correlation id)
    ├── TransportError                the request never got an HTTP answer (connection dropped, timeout)
    ├── ForeignLinkError              a link points outside the configured services: refused, nothing sent
    ├── HttpResponseError             the service answered with an error status
    │   ├── ResourceNotFoundError     404
    │   ├── ResourceModifiedError     412 (ETag mismatch, record already exists)
    │   ├── ThrottledError            429 after the retry budget ran out
    │   └── ChangeTokenExpiredError   the delta token is too old: resync fully
    ├── PagingLoopError               a server handed back a nextLink already followed
    ├── BatchError                    one operation of a $batch failed (index of the operation)
    ├── RecordError                   one input record is malformed (names the record and field)
    ├── RunInProgressError            another sync holds the organisation's lease
    ├── LeaseLostError                our run lease could not be renewed: stop writing, another run may start
    ├── StorageError                  the state store or the run queue could not be reached
    └── InsightError                  a computation could not run (e.g. a model cannot be trained)

Messages never contain secrets or personal data: they name records by id and fields by logical name.
"""

from __future__ import annotations


class OsiError(Exception):
    """Root of every error raised on purpose by Open Sales Insights."""


class ConfigurationError(OsiError):
    """Settings are missing or invalid.

    Attributes:
        problems: one human sentence per problem, each naming the setting.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("Invalid configuration:\n- " + "\n- ".join(self.problems))


class AuthenticationError(OsiError):
    """A token could not be acquired.

    Attributes:
        error: the OAuth error (e.g. ``invalid_client``).
        aadsts_code: the ``AADSTSnnnn`` code when Entra ID gave one.
        correlation_id: Entra's correlation id, for support tickets.
    """

    def __init__(
        self,
        message: str,
        *,
        error: str | None = None,
        aadsts_code: str | None = None,
        correlation_id: str | None = None,
    ) -> None:
        self.error = error
        self.aadsts_code = aadsts_code
        self.correlation_id = correlation_id
        super().__init__(message)


class TransportError(OsiError):
    """No HTTP response was received (connection refused or dropped, timeout), after retries."""


class ForeignLinkError(OsiError):
    """A URL (a delta or next link from the state store or a response) leaves the configured services.

    Refused before any request is made, so the bearer token never reaches another host.

    Attributes:
        origin: the refused ``scheme://host:port`` (never the path or query, which may hold personal data).
        allowed: the origin the request was bound to.
    """

    def __init__(self, origin: str, allowed: str) -> None:
        self.origin = origin
        self.allowed = allowed
        super().__init__(f"refused a link to {origin}: only {allowed} receives this service's credentials")


class HttpResponseError(OsiError):
    """The service answered with an error status.

    Attributes:
        status_code: the HTTP status.
        service_error_code: Dataverse's ``error.code`` (e.g. ``0x80072322``) or Graph's code.
        message: the service's message.
        request_id: the client request id we sent (``x-ms-client-request-id``).
        service_request_id: the id the service logged (``x-ms-service-request-id`` / ``REQ_ID``).
        retry_after: seconds the service asked us to wait, when it did.
        method, url: what was requested (the URL without its query string).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        service_error_code: str | None = None,
        request_id: str | None = None,
        service_request_id: str | None = None,
        retry_after: float | None = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.service_error_code = service_error_code
        self.message = message
        self.request_id = request_id
        self.service_request_id = service_request_id
        self.retry_after = retry_after
        self.method = method
        self.url = url
        where = f" ({method} {url})" if method and url else ""
        code = f" [{service_error_code}]" if service_error_code else ""
        rid = f" request-id={request_id}" if request_id else ""
        super().__init__(f"HTTP {status_code}{code}: {message}{where}{rid}")


class ResourceNotFoundError(HttpResponseError):
    """404: the entity set, record or route does not exist."""


class ResourceModifiedError(HttpResponseError):
    """412: an ETag condition failed, or a record with the same key already exists."""


class ThrottledError(HttpResponseError):
    """429: service protection limits, still exceeded when the retry budget ran out."""


class ChangeTokenExpiredError(HttpResponseError):
    """The change-tracking token is expired or unknown; the caller must do a full read."""


class PagingLoopError(OsiError):
    """A server returned a continuation link that was already followed."""


class BatchError(OsiError):
    """One operation of a ``$batch`` failed.

    Attributes:
        index: the position of the failed operation in the caller's input.
        error: the underlying :class:`HttpResponseError`.
    """

    def __init__(self, index: int, error: HttpResponseError) -> None:
        self.index = index
        self.error = error
        super().__init__(f"batch operation {index} failed: {error}")


class RecordError(OsiError):
    """One input record is malformed; the run goes on without it.

    Attributes:
        table: the logical name of the table.
        record_id: the record's id (never its personal data).
        field: the logical name of the offending column, when one is to blame.
    """

    def __init__(self, table: str, record_id: str | None, field: str | None, problem: str) -> None:
        self.table = table
        self.record_id = record_id
        self.field = field
        self.problem = problem
        where = f"{table}({record_id})" if record_id else table
        column = f".{field}" if field else ""
        super().__init__(f"{where}{column}: {problem}")


class RunInProgressError(OsiError):
    """Another sync run holds this organisation's lease."""


class LeaseLostError(OsiError):
    """The run lease could not be renewed (or was taken): the run must stop writing at once."""


class StorageError(OsiError):
    """The state store or the run queue (Azure Storage) could not be read or written."""


class InsightError(OsiError):
    """An insight could not be computed (for example, too little data to train a model)."""
