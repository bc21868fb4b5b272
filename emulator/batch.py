"""``$batch``: multipart/mixed requests with change sets, and the ``batchresponse_`` / ``changesetresponse_`` answer.

Framing is small and specific (boundaries, ``application/http`` parts holding raw HTTP requests), so it is
hand-written here rather than bent out of a MIME library that does not parse embedded HTTP requests.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from werkzeug.http import HTTP_STATUS_CODES, parse_options_header

from emulator.errors import bad_request
from emulator.store import Store

MAX_OPERATIONS = 1000


@dataclass
class Operation:
    """One HTTP request inside a batch."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    content_id: str | None = None


@dataclass
class ChangeSet:
    """Operations that succeed or fail together."""

    operations: list[Operation] = field(default_factory=list)


@dataclass
class InnerResponse:
    """The answer to one operation."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    entity_url: str | None = None


Dispatch = Callable[[Operation, dict[str, str]], InnerResponse]


class _RollBackError(Exception):
    def __init__(self, response: InnerResponse, content_id: str | None) -> None:
        super().__init__("change set failed")
        self.response = response
        self.content_id = content_id


def _split(body: str, boundary: str) -> list[str]:
    delimiter = re.compile(r"(?:^|\r?\n)--" + re.escape(boundary) + r"(--)?[ \t]*(?=\r?\n|$)")
    parts: list[str] = []
    pos: int | None = None
    for m in delimiter.finditer(body):
        if pos is not None:
            parts.append(body[pos:m.start()])
        if m.group(1):
            return parts
        pos = m.end()
    raise bad_request("The batch request body is missing its closing boundary.", code="0x0")


def _headers_and_body(text: str) -> tuple[dict[str, str], str]:
    text = text.lstrip("\r\n")
    m = re.search(r"\r?\n\r?\n", text)
    head, rest = (text[:m.start()], text[m.end():]) if m else (text, "")
    headers: dict[str, str] = {}
    for line in re.split(r"\r?\n", head):
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return headers, rest


def _operation(part: str) -> Operation:
    headers, inner = _headers_and_body(part)
    if "application/http" not in headers.get("content-type", ""):
        raise bad_request("Each batch part must have Content-Type: application/http.", code="0x0")
    first, _, rest = inner.lstrip("\r\n").partition("\n")
    m = re.match(r"^([A-Z]+)\s+(\S+)(?:\s+HTTP/1\.[01])?$", first.strip())
    if m is None:
        raise bad_request(f"Invalid request line in batch part: '{first.strip()[:200]}'.", code="0x0")
    if re.match(r"^\r?\n", rest):
        request_headers, body = {}, re.sub(r"^\r?\n", "", rest)
    else:
        request_headers, body = _headers_and_body(rest)
    content_id = headers.get("content-id") or request_headers.get("content-id")
    return Operation(m.group(1), m.group(2), request_headers, body.rstrip("\r\n").encode("utf-8"), content_id)


def parse_batch(content_type: str, body: bytes) -> list[Operation | ChangeSet]:
    """Parse a ``$batch`` body.

    Raises:
        ApiError: 400 for a malformed body, a GET inside a change set, or more than 1,000 operations.
    """
    mimetype, options = parse_options_header(content_type)
    if mimetype != "multipart/mixed" or "boundary" not in options:
        raise bad_request("The batch request must have Content-Type multipart/mixed with a boundary.", code="0x0")
    items: list[Operation | ChangeSet] = []
    total = 0
    for part in _split(body.decode("utf-8"), options["boundary"]):
        headers, inner = _headers_and_body(part)
        part_type, part_options = parse_options_header(headers.get("content-type", ""))
        if part_type == "multipart/mixed":
            changeset = ChangeSet()
            for sub in _split(inner, part_options.get("boundary", "")):
                op = _operation(sub)
                if op.method == "GET":
                    raise bad_request("A GET request cannot be part of a change set.", code="0x0")
                changeset.operations.append(op)
            items.append(changeset)
            total += len(changeset.operations)
        else:
            items.append(_operation(part))
            total += 1
    if total > MAX_OPERATIONS:
        raise bad_request(f"The number of requests in the batch ({total}) exceeded the limit of {MAX_OPERATIONS}.",
                          code="0x0")
    return items


def _render(response: InnerResponse, content_id: str | None) -> str:
    lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if content_id is not None:
        lines.append(f"Content-ID: {content_id}")
    lines += ["", f"HTTP/1.1 {response.status} {HTTP_STATUS_CODES.get(response.status, 'Unknown')}"]
    lines += [f"{name}: {value}" for name, value in response.headers]
    lines += ["", response.body.decode("utf-8")]
    return "\r\n".join(lines)


def count_operations(items: list[Operation | ChangeSet]) -> int:
    """Number of operations, change-set members included."""
    return sum(len(i.operations) if isinstance(i, ChangeSet) else 1 for i in items)


def run_batch(store: Store, items: list[Operation | ChangeSet], dispatch: Dispatch, *,
              continue_on_error: bool) -> tuple[int, str, bytes]:
    """Execute parsed batch items; returns (status, Content-Type, body).

    Without ``continue_on_error`` the first failure stops the batch and becomes the only part of an answer with
    that failure's status; a failed change set is rolled back either way.
    """
    boundary = f"batchresponse_{uuid.uuid4()}"
    chunks: list[str] = []
    for item in items:
        if isinstance(item, Operation):
            response = dispatch(item, {})
            if response.status >= 400 and not continue_on_error:
                return _single_error(boundary, response, None)
            chunks.append(_render(response, None))
            continue
        content_ids: dict[str, str] = {}
        done: list[tuple[InnerResponse, str | None]] = []
        try:
            with store.transaction():
                for op in item.operations:
                    response = dispatch(op, content_ids)
                    if response.status >= 400:
                        raise _RollBackError(response, op.content_id)
                    if op.content_id is not None and response.entity_url:
                        content_ids[f"${op.content_id}"] = response.entity_url
                    done.append((response, op.content_id))
        except _RollBackError as failed:
            if not continue_on_error:
                return _single_error(boundary, failed.response, failed.content_id)
            chunks.append(_render(failed.response, failed.content_id))
            continue
        cs_boundary = f"changesetresponse_{uuid.uuid4()}"
        inner = "".join(f"--{cs_boundary}\r\n{_render(r, cid)}\r\n" for r, cid in done) + f"--{cs_boundary}--"
        chunks.append(f"Content-Type: multipart/mixed; boundary={cs_boundary}\r\n\r\n{inner}")
    body = "".join(f"--{boundary}\r\n{chunk}\r\n" for chunk in chunks) + f"--{boundary}--\r\n"
    return 200, f"multipart/mixed; boundary={boundary}", body.encode("utf-8")


def _single_error(boundary: str, response: InnerResponse, content_id: str | None) -> tuple[int, str, bytes]:
    body = f"--{boundary}\r\n{_render(response, content_id)}\r\n--{boundary}--\r\n"
    return response.status, f"multipart/mixed; boundary={boundary}", body.encode("utf-8")

