"""Execute planned writes in ``$batch`` requests, continuing past failed records, several batches at once.

Updates use ``If-Match: *`` so a record deleted meanwhile is reported, never re-created; upserts
go by the ``osi_key`` alternate key so a rerun never duplicates; deletes succeed when the row is
already gone. Each failed operation is reported with its table, key and error; the others go on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from connector import schema
from connector.dataverse.batch import BatchOperation
from connector.errors import ThrottledError
from connector.sync.diff import Write
from connector.sync.reader import MAX_THROTTLED_RETRIES, AdaptiveLimit

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


@dataclass
class LoadResult:
    """Rows written per ``table:kind``, the writes that failed (table, key, status, error), and per
    application user (the run's own first) the ``$batch`` requests sent in its busiest 5 minutes."""

    written: dict[str, int] = field(default_factory=dict)
    failed: list[dict[str, Any]] = field(default_factory=list)
    requests_per_5_minutes: list[int] = field(default_factory=list)


def to_operation(write: Write) -> BatchOperation:
    """The ``$batch`` operation for one write."""
    if write.kind == "upsert":
        return BatchOperation.upsert(write.entity_set, {"osi_key": write.key}, write.body)
    if write.kind == "update":
        return BatchOperation.update(write.entity_set, write.key, write.body)
    return BatchOperation.delete(write.entity_set, write.key)


def execute_writes(client: Any, writes: Sequence[Write], *, batch_size: int = 100,
                   progress: Progress | None = None, streams: int = 1, writers: Sequence[Any] = (),
                   clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
                   ) -> LoadResult:
    """Submit ``writes`` in batches of ``batch_size`` with continue-on-error, ``streams`` batches at once.

    Batches go to ``client`` and the ``writers`` (other application users' clients of the same organisation)
    in turn, so each user's share of Dataverse's per-user limits is smaller. When a batch stays throttled
    past the transport's retries, fewer batches are sent at once (down to one) and that batch is sent
    again after the wait the service asked for.

    Returns:
        counts of rows written, the failed writes (a 404 on delete counts as written), and the ``$batch``
        requests each user sent in its busiest 5 minutes.

    Raises:
        HttpResponseError, TransportError: a whole batch request failed after the transport's retries (and,
            when throttled, after the adaptive retries).
    """
    result = LoadResult()
    bad = [w for w in writes if w.kind == "upsert" and schema.KEY_FORBIDDEN_CHARACTERS & set(w.key)]
    for w in bad:
        result.failed.append({"table": w.table, "id": w.key, "kind": w.kind, "status": None,
                              "error": "osi_key holds a character Dataverse refuses in a key (/ # < > * % & : \\ ? +)"})
    writes = [w for w in writes if not (w.kind == "upsert" and schema.KEY_FORBIDDEN_CHARACTERS & set(w.key))]
    chunks = [writes[start:start + batch_size] for start in range(0, len(writes), batch_size)]
    sender = _Sender([client, *writers], chunks, AdaptiveLimit(streams, sleep=sleep), clock)
    done = 0
    try:
        if streams <= 1:
            outcomes_of = (sender.send(n) for n in range(len(chunks)))
            for n, outcomes in enumerate(outcomes_of):
                done = _take(result, chunks[n], outcomes, done, progress)
        else:
            with ThreadPoolExecutor(max_workers=streams, thread_name_prefix="osi-load") as pool:
                try:
                    for n, outcomes in enumerate(pool.map(sender.send, range(len(chunks)))):
                        done = _take(result, chunks[n], outcomes, done, progress)
                except BaseException:
                    # A batch failed as a whole: the batches not yet sent are not sent (the pool waits only
                    # for those in flight).
                    sender.stop.set()
                    raise
    finally:
        sender.stop.set()
    result.requests_per_5_minutes = [_busiest(times) for times in sender.sent]
    if result.failed:
        log.warning("%d of %d writes failed (first: %s)", len(result.failed), len(writes), result.failed[0])
    return result


class _Sender:
    """Sends batch ``n`` as user ``n mod users``, within the adaptive limit, again when throttled."""

    def __init__(self, users: Sequence[Any], chunks: Sequence[Sequence[Write]], limit: AdaptiveLimit,
                 clock: Callable[[], float]) -> None:
        self.users, self.chunks, self.limit, self.clock = users, chunks, limit, clock
        self.sent: list[list[float]] = [[] for _ in users]
        self.stop = threading.Event()

    def send(self, n: int) -> list[Any]:
        """The outcomes of batch ``n``.

        Raises:
            ThrottledError: still throttled after :data:`MAX_THROTTLED_RETRIES` adaptive retries.
            HttpResponseError, TransportError: as ``submit_batch``.
        """
        user = n % len(self.users)
        for _ in range(MAX_THROTTLED_RETRIES + 1):
            if not self.limit.acquire(self.stop):
                raise RuntimeError("the load was stopped")
            wait: float | None = None
            try:
                self.sent[user].append(self.clock())
                outcomes = self.users[user].submit_batch([to_operation(w) for w in self.chunks[n]],
                                                         continue_on_error=True)
                self.limit.page_read()
                return list(outcomes)
            except ThrottledError as exc:
                wait = exc.retry_after
            finally:
                self.limit.release()
            self.limit.was_throttled(wait)
        raise ThrottledError("the batch stayed throttled", status_code=429)


def _take(result: LoadResult, chunk: Sequence[Write], outcomes: Sequence[Any], done: int,
          progress: Progress | None) -> int:
    for write, outcome in zip(chunk, outcomes, strict=True):
        error = getattr(outcome, "error", None)
        gone = error is not None and write.kind == "delete" and getattr(error, "status_code", None) == 404
        if error is None or gone:
            key = f"{write.table}:{write.kind}"
            result.written[key] = result.written.get(key, 0) + 1
        else:
            result.failed.append({"table": write.table, "id": write.key, "kind": write.kind,
                                  "status": getattr(error, "status_code", None), "error": str(error)})
    done += len(chunk)
    if progress:
        progress("load", done)
    return done


def _busiest(times: list[float], window: float = 300.0) -> int:
    """The most requests in any ``window`` seconds (Dataverse's sliding 5-minute window)."""
    ordered, best, first = sorted(times), 0, 0
    for last, t in enumerate(ordered):
        while t - ordered[first] > window:
            first += 1
        best = max(best, last - first + 1)
    return best
