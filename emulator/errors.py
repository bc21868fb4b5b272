"""Errors the emulator answers with, in Dataverse's ``{"error": {"code", "message"}}`` shape.

These are server-side answers, not connector errors: a handler raises :class:`ApiError` and the server turns it
into the HTTP response a real Dataverse would send.
"""

from __future__ import annotations


class ApiError(Exception):
    """An HTTP error answer.

    Attributes:
        status: HTTP status code.
        code: Dataverse error code (``0x...``, often ``0x0`` or empty).
        message: Dataverse's message text.
        headers: extra response headers (e.g. ``Retry-After``).
    """

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> dict[str, dict[str, str]]:
        """The JSON body."""
        return {"error": {"code": self.code, "message": self.message}}


def segment_not_found(segment: str) -> ApiError:
    """Unknown entity set, function or action (names are case-sensitive)."""
    return ApiError(404, "0x8006088a", f"Resource not found for the segment '{segment}'.")


def unknown_property(name: str, table: str) -> ApiError:
    """A property that the table does not have."""
    return ApiError(400, "0x0", f"Could not find a property named '{name}' on type 'Microsoft.Dynamics.CRM.{table}'.")


def does_not_exist(table: str, record_id: str, code: str = "0x80040217") -> ApiError:
    """The addressed record is missing."""
    return ApiError(404, code, f"{table} With Id = {record_id} Does Not Exist")


def bad_request(message: str, code: str = "0x80060888") -> ApiError:
    """A malformed request (OData syntax and similar)."""
    return ApiError(400, code, message)
