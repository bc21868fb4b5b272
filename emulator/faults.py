"""Run-time fault injection (throttling, 5xx, latency, dropped connections) and request counters."""

from __future__ import annotations

import re
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

THROTTLE_CODE = "0x80072322"
THROTTLE_MESSAGE = "Number of requests exceeded the limit of 6000 over time window of 300 seconds."
CONCURRENCY_CODE = "0x80072326"


@dataclass
class Rule:
    """One fault rule, matched with ``re.search`` against the request path."""

    kind: str  # throttle, schedule, concurrency, fail, latency, drop
    route: re.Pattern[str]
    times: int | None = None
    status: int = 503
    seconds: float = 0.0
    after: int = 0
    window_seconds: float = 300.0
    retry_after: int = 2
    seen: deque[float] = field(default_factory=deque)


@dataclass
class Decision:
    """What to do with one request."""

    delay: float = 0.0
    drop: bool = False
    status: int | None = None
    code: str = ""
    message: str = ""
    retry_after: int | None = None


class Faults:
    """Fault rules, evaluated in the order they were added. Thread-safe.

    Args:
        clock: returns the current aware datetime (the throttle's sliding window uses it).
    """

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._rules: list[Rule] = []

    def throttle(self, route: str = ".*", *, after: int, window_seconds: float = 300.0, retry_after: int = 2) -> None:
        """Answer 429 (service protection) once more than ``after`` requests matched within the sliding window."""
        self._add(Rule("throttle", re.compile(route), after=after, window_seconds=window_seconds,
                       retry_after=retry_after))

    def throttle_every(self, route: str = ".*", *, every: int, retry_after: int = 2) -> None:
        """Answer 429 (service protection) to every ``every``-th matching request: throttling on a schedule.

        Raises:
            ValueError: ``every`` is less than 1.
        """
        if every < 1:
            raise ValueError("every must be at least 1")
        self._add(Rule("schedule", re.compile(route), after=every, retry_after=retry_after))

    def concurrency(self, route: str = ".*", *, limit: int, retry_after: int = 1) -> None:
        """Answer 429 (``0x80072326``) while more than ``limit`` requests are in flight (latency included)."""
        self._add(Rule("concurrency", re.compile(route), after=limit, retry_after=retry_after))

    def fail(self, route: str = ".*", *, status: int = 503, times: int = 1) -> None:
        """Answer ``status`` to the next ``times`` matching requests."""
        self._add(Rule("fail", re.compile(route), status=status, times=times))

    def latency(self, route: str = ".*", *, seconds: float) -> None:
        """Delay every matching request by ``seconds``."""
        self._add(Rule("latency", re.compile(route), seconds=seconds))

    def drop(self, route: str = ".*", *, times: int = 1) -> None:
        """Close the connection without an answer for the next ``times`` matching requests."""
        self._add(Rule("drop", re.compile(route), times=times))

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def _add(self, rule: Rule) -> None:
        with self._lock:
            self._rules.append(rule)

    def decide(self, path: str, in_flight: int = 1) -> Decision:
        """Apply the rules to a request for ``path``; ``in_flight`` counts the requests being served, this one
        included."""
        decision = Decision()
        now = self._clock().timestamp()
        with self._lock:
            for rule in self._rules:
                if not rule.route.search(path):
                    continue
                if rule.kind == "latency":
                    decision.delay += rule.seconds
                elif rule.kind in ("fail", "drop") and rule.times:
                    rule.times -= 1
                    if rule.kind == "drop":
                        decision.drop = True
                        return decision
                    decision.status = rule.status
                    decision.code = "0x80040216" if rule.status >= 500 else "0x0"
                    decision.message = "An unexpected error occurred." if rule.status >= 500 else "Injected fault."
                    return decision
                elif rule.kind == "concurrency" and in_flight > rule.after:
                    decision.status, decision.code = 429, CONCURRENCY_CODE
                    decision.message = f"Number of concurrent requests exceeded the limit of {rule.after}."
                    decision.retry_after = rule.retry_after
                    return decision
                elif rule.kind == "schedule":
                    rule.seen.append(now)
                    if len(rule.seen) % rule.after == 0:
                        rule.seen.clear()
                        decision.status, decision.code, decision.message = 429, THROTTLE_CODE, THROTTLE_MESSAGE
                        decision.retry_after = rule.retry_after
                        return decision
                elif rule.kind == "throttle":
                    while rule.seen and rule.seen[0] <= now - rule.window_seconds:
                        rule.seen.popleft()
                    if len(rule.seen) >= rule.after:
                        decision.status, decision.code, decision.message = 429, THROTTLE_CODE, THROTTLE_MESSAGE
                        decision.retry_after = rule.retry_after
                        return decision
                    rule.seen.append(now)
        return decision


class Counters:
    """Requests, bytes sent and writes per route key; statuses and faults. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Zero every counter."""
        with getattr(self, "_lock", threading.Lock()):
            self._requests: Counter[str] = Counter()
            self._bytes: Counter[str] = Counter()
            self._writes: Counter[str] = Counter()
            self._statuses: Counter[str] = Counter()
            self._faults: Counter[str] = Counter()
            self._seconds: Counter[str] = Counter()
            self._batch_operations = 0

    def request(self, route: str, status: int, nbytes: int, seconds: float = 0.0) -> None:
        """Count one HTTP request, its answer and the server time spent building it."""
        with self._lock:
            self._requests[route] += 1
            self._bytes[route] += nbytes
            self._seconds[route] += seconds
            self._statuses[str(status)] += 1

    def write(self, entity_set: str) -> None:
        """Count one successful write to ``entity_set`` (also inside ``$batch``)."""
        with self._lock:
            self._writes[entity_set] += 1

    def batch_operations(self, n: int) -> None:
        """Count the operations of one ``$batch``."""
        with self._lock:
            self._batch_operations += n

    def fault(self, kind: str) -> None:
        """Count one injected fault."""
        with self._lock:
            self._faults[kind] += 1

    def snapshot(self) -> dict[str, Any]:
        """A copy of every counter."""
        with self._lock:
            return {"requests": dict(self._requests), "bytes_out": dict(self._bytes), "writes": dict(self._writes),
                    "statuses": dict(self._statuses), "faults": dict(self._faults),
                    "server_seconds": {k: round(v, 6) for k, v in self._seconds.items()},
                    "total_requests": sum(self._requests.values()), "total_bytes_out": sum(self._bytes.values()),
                    "total_writes": sum(self._writes.values()), "batch_operations": self._batch_operations}
