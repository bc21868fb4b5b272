"""``$batch`` on Dataverse: chunking, change sets, continue-on-error, one result per input operation.

Operations are sent in chunks of at most 1,000 (Dataverse's limit). Each result carries the index of the
operation it answers. With ``change_set=True`` each chunk is one atomic change set: when one operation
fails, all of the chunk is rolled back and reported so. Without ``continue_on_error`` Dataverse stops at
the first failure; the operations after it (and later chunks, which are then not sent) are reported as not
executed with status 424.

With continue-on-error (and no change set), an operation answered with a transient failure (500 with or
without ``0x80040216``, 502, 503, 504, 429) is sent again in a smaller ``$batch`` of only such operations, under
the one retry policy (:meth:`connector.http.Transport.retry_loop`), when repeating it cannot do harm: an
update, an upsert by key or a delete. A part's status comes after the service began on the batch, so the
"the service did not act" reading of a 503 on a whole request does not hold for it: a create is never repeated.
What still fails when the policy gives up is reported per operation, as any other failure.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connector import odata
from connector.dataverse.api import DataverseApi
from connector.dataverse.multipart import PartRequest, PartResponse, decode_batch, encode_batch
from connector.dataverse.records import entity_id_from
from connector.errors import BatchError, HttpResponseError
from connector.http import PartResult, Response, RetryPolicy, decode_error, make_headers
from connector.http.policy import RetryableError

logger = logging.getLogger(__name__)

MAX_BATCH_OPERATIONS = 1000
NOT_EXECUTED = 424  # "Failed Dependency": what we report for operations the service never ran


@dataclass(frozen=True)
class BatchOperation:
    """One request in a batch; ``url`` is relative to the Web API base (``accounts(<id>)``)."""

    method: str
    url: str
    body: Mapping[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    idempotent: bool | None = None

    @property
    def is_idempotent(self) -> bool:
        """Whether repeating this operation cannot do harm (everything but POST unless marked)."""
        return self.idempotent if self.idempotent is not None else self.method.upper() != "POST"

    @classmethod
    def create(cls, entity_set: str, body: Mapping[str, Any]) -> BatchOperation:
        """POST a new record (not idempotent)."""
        return cls("POST", odata.name(entity_set), dict(body))

    @classmethod
    def update(cls, entity_set: str, key: odata.Key, body: Mapping[str, Any]) -> BatchOperation:
        """PATCH an existing record with ``If-Match: *`` (404 when missing)."""
        return cls("PATCH", odata.entity_path(entity_set, key), dict(body), {"If-Match": "*"})

    @classmethod
    def upsert(cls, entity_set: str, key: odata.Key, body: Mapping[str, Any]) -> BatchOperation:
        """PATCH by id or alternate key, creating the record when it is missing."""
        return cls("PATCH", odata.entity_path(entity_set, key), dict(body))

    @classmethod
    def delete(cls, entity_set: str, key: odata.Key) -> BatchOperation:
        """DELETE a record (a 404 result means it was already gone)."""
        return cls("DELETE", odata.entity_path(entity_set, key))


@dataclass(frozen=True)
class BatchResult(PartResult):
    """The outcome of one operation, at ``index`` in the caller's input."""

    @property
    def entity_id(self) -> str | None:
        """The id of the created or upserted record, from ``OData-EntityId``."""
        return entity_id_from(self.headers.get("OData-EntityId"))

    def raise_for_error(self) -> None:
        """Raise the failure, if any.

        Raises:
            BatchError: with ``index`` and the underlying :class:`HttpResponseError`.
        """
        if self.error is not None:
            raise BatchError(self.index, self.error) from self.error


class BatchMixin:
    """``submit_batch`` on :class:`~connector.dataverse.client.DataverseClient`."""

    _api: DataverseApi

    def submit_batch(
        self,
        operations: Sequence[BatchOperation],
        *,
        continue_on_error: bool = True,
        change_set: bool = False,
        max_ops: int = MAX_BATCH_OPERATIONS,
    ) -> list[BatchResult]:
        """Send ``operations`` in ``$batch`` requests; return one result per operation, in input order.

        Args:
            operations: the requests; writes by alternate key make a re-run harmless.
            continue_on_error: keep going after a failed operation (``Prefer: odata.continue-on-error``).
            change_set: make each chunk one atomic change set (no GETs allowed).
            max_ops: operations per request (at most 1,000).

        Returns:
            A result per operation: ``ok``, ``status_code``, ``error`` (never raised here).

        Raises:
            ValueError: a GET inside a change set, or a bad ``max_ops``.
            HttpResponseError: the batch request as a whole failed (auth, throttling beyond the budget).
            TransportError: no response after retries.
        """
        if not 1 <= max_ops <= MAX_BATCH_OPERATIONS:
            raise ValueError(f"max_ops must be between 1 and {MAX_BATCH_OPERATIONS}")
        if change_set and any(op.method.upper() == "GET" for op in operations):
            raise ValueError("a change set cannot contain GET requests")
        results: list[BatchResult] = []
        stopped = False
        for start in range(0, len(operations), max_ops):
            chunk = operations[start : start + max_ops]
            if stopped:
                why = "an earlier batch stopped at a failure"
                results += [_not_run(start + i, op, why) for i, op in enumerate(chunk)]
                continue
            indexes = range(start, start + len(chunk))
            if continue_on_error and not change_set:
                chunk_results = self._send_repeating(chunk, indexes)
            else:
                chunk_results = self._send_chunk(chunk, indexes, continue_on_error, change_set)
            results += chunk_results
            stopped = not continue_on_error and not all(r.ok for r in chunk_results)
        return results

    def _send_repeating(self, chunk: Sequence[BatchOperation], indexes: Sequence[int]) -> list[BatchResult]:
        """Send ``chunk`` with continue-on-error, then again only its operations that failed transiently and are
        safe to repeat, for as long as the retry policy allows; one result per operation, in order.

        Raises:
            HttpResponseError, TransportError: a ``$batch`` request as a whole failed (as :meth:`submit_batch`).
        """
        latest: dict[int, BatchResult | None] = dict.fromkeys(indexes)
        pending = list(indexes)
        position = dict(zip(indexes, range(len(chunk)), strict=True))

        def attempt() -> None:
            nonlocal pending
            results = self._send_chunk([chunk[position[i]] for i in pending], pending, True, False)
            latest.update((r.index, r) for r in results)
            again = [r for r in results if _repeatable(chunk[position[r.index]], r)]
            pending = [r.index for r in again]
            if again:
                waits = [r.error.retry_after for r in again if r.error is not None and r.error.retry_after is not None]
                statuses = "/".join(str(s) for s in sorted({r.status_code for r in again}))
                raise RetryableError(error=f"HTTP {statuses} on {len(again)} of {len(chunk)} operations",
                                     wait=max(waits) if waits else None)

        try:
            self._api.transport.retry_loop("POST", self._api.url("$batch"))(attempt)
        except RetryableError as final:
            logger.warning("$batch: %d operation(s) still failing when the retry policy gave up (%s); reported "
                           "per operation", len(pending), final.describe())
        return [r for r in latest.values() if r is not None]

    def _send_chunk(
        self, chunk: Sequence[BatchOperation], indexes: Sequence[int], continue_on_error: bool, change_set: bool
    ) -> list[BatchResult]:
        boundary = f"batch_{uuid.uuid4()}"
        parts = [PartRequest(op.method, self._api.url(op.url), op.body, op.headers) for op in chunk]
        body = encode_batch([parts], boundary, [f"changeset_{uuid.uuid4()}" if change_set else None])
        headers = {"Content-Type": f"multipart/mixed; boundary={boundary}"}
        if continue_on_error:
            headers["Prefer"] = "odata.continue-on-error"
        response = self._api.send(
            "POST", "$batch", headers=headers, data=body,
            idempotent=all(op.is_idempotent for op in chunk), raise_for_status=False,
        )
        content_type = response.headers.get("Content-Type", "")
        if not content_type.lower().startswith("multipart/"):
            if response.status_code >= 400:
                raise decode_error(response, method="POST")
            raise HttpResponseError(
                f"the $batch response is not multipart ({content_type or 'no content type'})",
                status_code=response.status_code, request_id=response.request_id, method="POST", url="$batch",
            )
        try:
            decoded = decode_batch(response.content, content_type)
        except ValueError as exc:
            raise HttpResponseError(
                f"the $batch response could not be decoded: {exc}", status_code=response.status_code,
                request_id=response.request_id, method="POST", url="$batch",
            ) from None
        if change_set:
            return _map_change_set(chunk, indexes, decoded, response)
        return _map_in_order(chunk, indexes, decoded, response)


def _result(index: int, op: BatchOperation, part: PartResponse, batch: Response) -> BatchResult:
    headers = make_headers(part.headers)
    body = _json_or_none(part.body)
    if part.status_code < 400:
        return BatchResult(index, part.status_code, headers, body)
    error = decode_error(Response(part.status_code, headers, part.body, op.url, batch.request_id), method=op.method)
    return BatchResult(index, part.status_code, headers, body, error)


def _not_run(index: int, op: BatchOperation, why: str, request_id: str | None = None) -> BatchResult:
    error = HttpResponseError(
        f"not executed: {why}", status_code=NOT_EXECUTED, request_id=request_id, method=op.method, url=op.url
    )
    return BatchResult(index, NOT_EXECUTED, make_headers(), None, error)


def _repeatable(op: BatchOperation, result: BatchResult) -> bool:
    """Whether a failed operation is worth sending again: a transient failure, and an operation safe to repeat."""
    error = result.error
    return (error is not None and op.is_idempotent and result.status_code != NOT_EXECUTED
            and RetryPolicy.should_retry(result.status_code, error.service_error_code, True))


def _map_in_order(
    chunk: Sequence[BatchOperation], indexes: Sequence[int], parts: list[PartResponse], batch: Response
) -> list[BatchResult]:
    """Parts answer operations in order (the documented order); missing tail parts were never run."""
    if batch.status_code >= 400 and len(parts) == 1 and len(chunk) > 1 and parts[0].status_code >= 400:
        # Dataverse may return only the failing part when it stops; which operation failed is then unknowable.
        failure = _result(indexes[0], chunk[0], parts[0], batch).error
        why = f"the batch stopped at a failure it did not attribute to an operation: {failure}"
        return [_not_run(indexes[i], op, why, batch.request_id) for i, op in enumerate(chunk)]
    results = [_result(indexes[i], op, part, batch) for i, (op, part) in enumerate(zip(chunk, parts, strict=False))]
    failed = next((r.index for r in results if not r.ok), None)
    why = f"the batch stopped at operation {failed}" if failed is not None else "the service returned no answer"
    results += [_not_run(indexes[i], chunk[i], why, batch.request_id) for i in range(len(parts), len(chunk))]
    return results


def _map_change_set(
    chunk: Sequence[BatchOperation], indexes: Sequence[int], parts: list[PartResponse], batch: Response
) -> list[BatchResult]:
    """All parts succeed (matched by Content-ID), or one error part stands for the rolled-back set."""
    by_id = {p.content_id: p for p in parts if p.content_id}
    failures = [p for p in parts if p.status_code >= 400]
    if not failures and len(parts) == len(chunk):
        ordered = [by_id.get(str(n + 1), parts[n]) for n in range(len(chunk))]
        return [_result(indexes[i], op, part, batch) for i, (op, part) in enumerate(zip(chunk, ordered, strict=True))]
    failure = failures[0] if failures else None
    content_id = failure.content_id if failure is not None else None
    failed_at = int(content_id) - 1 if content_id is not None and content_id.isdigit() else None
    if failure is None:
        cause = "a response that did not match the change set"
    elif failed_at is None:
        cause = f"an operation the service did not name: {_result(indexes[0], chunk[0], failure, batch).error}"
    else:
        cause = f"operation {indexes[failed_at]}"
    results = []
    for i, op in enumerate(chunk):
        if failure is not None and i == failed_at:
            results.append(_result(indexes[i], op, failure, batch))
        else:
            why = f"the change set was rolled back because of {cause}"
            results.append(_not_run(indexes[i], op, why, batch.request_id))
    return results


def _json_or_none(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None
