"""The ``multipart/mixed`` framing of OData ``$batch``: encode requests, split and parse responses.

Kept apart from the batch semantics (chunking, change sets, mapping results to operations) so that
each can be read and tested on its own. Lines end in CRLF as RFC 2046 and the OData spec require.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

CRLF = "\r\n"
_URL_SAFE = "%/:=&?~#+!$,;'@()*[]"
_BOUNDARY = re.compile(r'boundary\s*=\s*"?([^";]+)"?', re.I)
_STATUS_LINE = re.compile(rb"^HTTP/\d(?:\.\d)?\s+(\d{3})")


@dataclass(frozen=True)
class PartRequest:
    """One HTTP request inside a batch."""

    method: str
    url: str
    body: Mapping[str, Any] | None = None
    headers: Mapping[str, str] | None = None


@dataclass(frozen=True)
class PartResponse:
    """One HTTP response decoded from a batch response.

    Attributes:
        status_code: the part's own status.
        headers: the part's HTTP headers (names lowercased).
        body: the raw body bytes.
        content_id: the ``Content-ID`` echoed for change-set parts, else None.
        in_change_set: whether the part came inside a change-set response.
    """

    status_code: int
    headers: dict[str, str]
    body: bytes
    content_id: str | None
    in_change_set: bool


def boundary_of(content_type: str) -> str | None:
    """The ``boundary`` parameter of a ``multipart/*`` content type, or None."""
    if not content_type.lower().startswith("multipart/"):
        return None
    match = _BOUNDARY.search(content_type)
    return match.group(1).strip() if match else None


def encode_request(part: PartRequest, content_id: str | None = None) -> str:
    """One ``application/http`` body part (without its delimiter line)."""
    lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if content_id is not None:
        lines.append(f"Content-ID: {content_id}")
    # A request line cannot hold spaces or non-ASCII; escapes already present are kept as they are.
    lines += ["", f"{part.method.upper()} {quote(part.url, safe=_URL_SAFE)} HTTP/1.1"]
    headers = dict(part.headers or {})
    if part.body is not None:
        headers.setdefault("Content-Type", "application/json; type=entry")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append("")
    lines.append(json.dumps(part.body, ensure_ascii=False) if part.body is not None else "")
    return CRLF.join(lines)


def encode_batch(
    groups: Sequence[Sequence[PartRequest]], batch_boundary: str, changeset_boundaries: Sequence[str | None]
) -> bytes:
    """A whole batch body. Each group is one change set when its boundary is given, else plain parts."""
    chunks: list[str] = []
    for group, cs_boundary in zip(groups, changeset_boundaries, strict=True):
        if cs_boundary is None:
            chunks += [f"--{batch_boundary}{CRLF}{encode_request(part)}" for part in group]
            continue
        inner = [f"--{cs_boundary}{CRLF}{encode_request(part, str(n))}" for n, part in enumerate(group, start=1)]
        chunks.append(
            f"--{batch_boundary}{CRLF}Content-Type: multipart/mixed; boundary={cs_boundary}{CRLF}{CRLF}"
            + CRLF.join(inner) + f"{CRLF}--{cs_boundary}--"
        )
    return (CRLF.join(chunks) + f"{CRLF}--{batch_boundary}--{CRLF}").encode("utf-8")


def decode_batch(content: bytes, content_type: str) -> list[PartResponse]:
    """Split a batch response into its parts, change-set responses flattened in order.

    Raises:
        ValueError: the content type has no boundary or a part is not an HTTP response.
    """
    boundary = boundary_of(content_type)
    if boundary is None:
        raise ValueError(f"a $batch response must be multipart with a boundary, got {content_type!r}")
    parts: list[PartResponse] = []
    for raw in _split(content, boundary):
        headers, body = _head_and_body(raw)
        inner = boundary_of(headers.get("content-type", ""))
        if inner is not None:
            for cs_raw in _split(body, inner):
                cs_headers, cs_body = _head_and_body(cs_raw)
                parts.append(_http_response(cs_body, cs_headers.get("content-id"), True))
        else:
            parts.append(_http_response(body, headers.get("content-id"), False))
    return parts


def _split(content: bytes, boundary: str) -> list[bytes]:
    delimiter = b"--" + boundary.encode("ascii")
    segments = content.split(delimiter)
    parts = []
    for segment in segments[1:]:
        if segment.startswith(b"--"):
            break  # the close delimiter; anything after it is epilogue
        parts.append(segment.removeprefix(b"\r\n").removeprefix(b"\n").removesuffix(b"\n").removesuffix(b"\r"))
    return parts


def _head_and_body(raw: bytes) -> tuple[dict[str, str], bytes]:
    """Headers (lowercase names) and body of a MIME part or an HTTP message."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        head, found, body = raw.partition(separator)
        if found:
            break
    else:
        head, body = raw, b""
    headers: dict[str, str] = {}
    for line in head.decode("latin-1").splitlines():
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return headers, body


def _http_response(raw: bytes, content_id: str | None, in_change_set: bool) -> PartResponse:
    raw = raw.lstrip(b"\r\n")
    status_line, _, rest = raw.partition(b"\n")
    match = _STATUS_LINE.match(status_line.strip())
    if not match:
        raise ValueError("a $batch response part does not start with an HTTP status line")
    head: dict[str, str]
    if rest.startswith((b"\r\n", b"\n")):  # no headers, the blank line comes at once
        head, body = {}, rest
    else:
        head, body = _head_and_body(rest)
    return PartResponse(int(match.group(1)), head, body.strip(b"\r\n"), content_id, in_change_set)
