"""Execute planned writes in ``$batch`` requests, continuing past failed records.

Updates use ``If-Match: *`` so a record deleted meanwhile is reported, never re-created; upserts
go by the ``osi_key`` alternate key so a rerun never duplicates; deletes succeed when the row is
already gone. Each failed operation is reported with its table, key and error; the others go on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from connector import schema
from connector.dataverse.batch import BatchOperation
from connector.sync.diff import Write

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


@dataclass
class LoadResult:
    """Rows written per ``table:kind`` and the writes that failed (table, key, status, error)."""

    written: dict[str, int] = field(default_factory=dict)
    failed: list[dict[str, Any]] = field(default_factory=list)




def to_operation(write: Write) -> BatchOperation:
    """The ``$batch`` operation for one write."""
    if write.kind == "upsert":
        return BatchOperation.upsert(write.entity_set, {"osi_key": write.key}, write.body)
    if write.kind == "update":
        return BatchOperation.update(write.entity_set, write.key, write.body)
    return BatchOperation.delete(write.entity_set, write.key)


def execute_writes(client: Any, writes: Sequence[Write], *, batch_size: int = 100,
                   progress: Progress | None = None) -> LoadResult:
    """Submit ``writes`` in batches of ``batch_size`` with continue-on-error.

    Returns:
        counts of rows written and the failed writes; a 404 on delete counts as written.

    Raises:
        HttpResponseError, TransportError: a whole batch request failed after the transport's retries.
    """
    result = LoadResult()
    bad = [w for w in writes if w.kind == "upsert" and schema.KEY_FORBIDDEN_CHARACTERS & set(w.key)]
    for w in bad:
        result.failed.append({"table": w.table, "id": w.key, "kind": w.kind, "status": None,
                              "error": "osi_key holds a character Dataverse refuses in a key (/ # < > * % & : \\ ? +)"})
    writes = [w for w in writes if not (w.kind == "upsert" and schema.KEY_FORBIDDEN_CHARACTERS & set(w.key))]
    for start in range(0, len(writes), batch_size):
        chunk = writes[start:start + batch_size]
        outcomes = client.submit_batch([to_operation(w) for w in chunk], continue_on_error=True)
        for write, outcome in zip(chunk, outcomes, strict=True):
            error = getattr(outcome, "error", None)
            gone = error is not None and write.kind == "delete" and getattr(error, "status_code", None) == 404
            if error is None or gone:
                key = f"{write.table}:{write.kind}"
                result.written[key] = result.written.get(key, 0) + 1
            else:
                result.failed.append({"table": write.table, "id": write.key, "kind": write.kind,
                                      "status": getattr(error, "status_code", None), "error": str(error)})
        if progress:
            progress("load", min(start + batch_size, len(writes)))
    if result.failed:
        log.warning("%d of %d writes failed (first: %s)", len(result.failed), len(writes), result.failed[0])
    return result
