"""The JSON answers the Dataverse emulator sends: OData headers, rows pre-serialised by SQLite spliced in,
and the answer for an :class:`~emulator.errors.ApiError`."""

from __future__ import annotations

import json
from typing import Any

from emulator.batch import InnerResponse
from emulator.errors import ApiError
from emulator.serialize import RawRows

JSON_TYPE = "application/json; odata.metadata=minimal"
_MARKER = "\u0000osi-raw-rows\u0000"


def json_response(status: int, body: Any, headers: list[tuple[str, str]] | None = None) -> InnerResponse:
    """A JSON answer with the OData headers (rows pre-serialised by SQLite are spliced in as they are)."""
    out = [("OData-Version", "4.0"), ("Content-Type", JSON_TYPE), *(headers or [])]
    raw = body.get("value") if isinstance(body, dict) else None
    if isinstance(raw, RawRows):
        # The marker holds NUL characters: JSON-encoded it reads "\u0000...", which text from a request can
        # never produce (its backslashes would be escaped), so only the placeholder matches.
        text = json.dumps({**body, "value": _MARKER}, ensure_ascii=False, separators=(",", ":"))
        text = text.replace(json.dumps(_MARKER), "[" + ",".join(raw) + "]", 1)
    else:
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return InnerResponse(status, out, text.encode("utf-8"))


def error_response(err: ApiError) -> InnerResponse:
    """The JSON answer for an :class:`ApiError`."""
    return json_response(err.status, err.body(), list(err.headers.items()))
