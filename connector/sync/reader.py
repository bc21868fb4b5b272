"""Read several streams' pages at once, a page ahead, while the caller turns the last ones into frames.

Each stream is walked by a worker thread that fetches its pages (HTTP and JSON decoding) into one bounded
queue; the caller takes pages from the queue in whatever order they arrive and transforms them, so
fetching the next pages overlaps transforming the current one. The queue holds at most ``2 × workers``
pages, so memory stays at a few pages whatever the stream's size.

Service protection: the transport already honours every ``429 Retry-After`` of a request. When a read is
still throttled after the transport's retries, the number of streams read at once is halved (down to
one) and the stream goes on from the link of the page that failed, after the wait the service asked for;
after a run of pages without throttling, one more stream may be read at once again, up to the setting.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from connector.errors import ThrottledError

log = logging.getLogger(__name__)

P = TypeVar("P")

PageWalk = Callable[[str | None], Iterable[P]]
"""``walk(link)`` yields a stream's pages from ``link`` (its start when ``None``)."""

RECOVER_AFTER_PAGES = 20
"""Pages read without throttling before one more stream may be read at once again."""
MAX_THROTTLED_RETRIES = 5
"""Times one stream may be throttled past the transport's retries before the read fails."""


class AdaptiveLimit:
    """How many streams may fetch at once: halved when throttled, grown back slowly while reads go well.

    Args:
        ceiling: the most streams read at once (the setting).
        sleep: how to wait (injectable so tests never really sleep).
    """

    def __init__(self, ceiling: int, sleep: Callable[[float], None] = time.sleep) -> None:
        self.ceiling = max(1, ceiling)
        self.limit = self.ceiling
        self.throttled = 0
        self._active = 0
        self._good = 0
        self._cond = threading.Condition()
        self._sleep = sleep

    def acquire(self, stop: threading.Event) -> bool:
        """Wait for a slot; ``False`` when ``stop`` was set meanwhile."""
        with self._cond:
            while self._active >= self.limit:
                if stop.is_set():
                    return False
                self._cond.wait(0.1)
            self._active += 1
            return not stop.is_set()

    def release(self) -> None:
        """Give the slot back."""
        with self._cond:
            self._active -= 1
            self._cond.notify_all()

    def page_read(self) -> None:
        """One page came back without throttling."""
        with self._cond:
            self._good += 1
            if self._good >= RECOVER_AFTER_PAGES and self.limit < self.ceiling:
                self.limit += 1
                self._good = 0
                self._cond.notify_all()

    def was_throttled(self, retry_after: float | None) -> None:
        """A read stayed throttled past the transport's retries: read fewer streams at once, then wait."""
        with self._cond:
            self.throttled += 1
            self.limit = max(1, self.limit // 2)
            self._good = 0
        log.warning("throttled past the transport's retries: %d at once from now", self.limit)
        self._sleep(retry_after if retry_after else 5.0)


@dataclass(frozen=True)
class Event(Generic[P]):
    """What a worker hands the caller: a page of ``stream``, or its end (``page is None``), or its failure."""

    stream: str
    page: P | None = None
    error: BaseException | None = None


_LinkOf = Callable[[Any], str | None]


def _walk(name: str, walk: PageWalk[P], start: str | None, next_link: _LinkOf, limit: AdaptiveLimit,
          out: queue.Queue[Event[P]], stop: threading.Event) -> None:
    """Read one stream to its end into ``out``; on throttling, go on from the page that failed."""
    link, throttled = start, 0
    while limit.acquire(stop):
        wait: float | None = None
        try:
            for page in walk(link):
                limit.page_read()
                if not _put(out, Event(name, page), stop):
                    return
                link = next_link(page)
            _put(out, Event(name), stop)
            return
        except ThrottledError as exc:
            throttled += 1
            if throttled > MAX_THROTTLED_RETRIES:
                _put(out, Event(name, error=exc), stop)
                return
            wait = exc.retry_after
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, who raises it
            _put(out, Event(name, error=exc), stop)
            return
        finally:
            limit.release()
        limit.was_throttled(wait)


def _put(out: queue.Queue[Event[P]], event: Event[P], stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            out.put(event, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def read_streams(walks: Sequence[tuple[str, PageWalk[P], str | None]], *, next_link: _LinkOf,
                 workers: int = 2, limit: AdaptiveLimit | None = None) -> Iterator[tuple[str, P | None]]:
    """Yield ``(stream, page)`` as pages arrive, then ``(stream, None)`` when a stream is complete.

    Args:
        walks: ``(stream name, walk, link to start from)`` per stream.
        next_link: the link a page hands out for the next one (``None`` after the last page).
        workers: streams read at once (the adaptive limit's ceiling).
        limit: the shared limit (a new one when omitted).

    Raises:
        Whatever a stream's read raised (after the other workers are stopped).
    """
    if not walks:
        return
    limit = limit or AdaptiveLimit(workers)
    out: queue.Queue[Event[P]] = queue.Queue(maxsize=2 * max(1, workers))
    stop = threading.Event()
    threads = [threading.Thread(target=_walk, args=(name, walk, start, next_link, limit, out, stop),
                                name=f"osi-read-{name}", daemon=True) for name, walk, start in walks]
    for thread in threads:
        thread.start()
    left = len(walks)
    try:
        while left:
            event = out.get()
            if event.error is not None:
                raise event.error
            if event.page is None:
                left -= 1
            yield event.stream, event.page
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
