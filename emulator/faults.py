"""Run-time fault injection (throttling, 5xx, latency, dropped connections) and request counters.

Rules added by tests fire on a schedule (the next N requests, every N-th, past a count in a window). The
``serve --faults`` command adds a :class:`Chaos` rule instead: each request draws once from a seeded random
source and may be throttled (429 with ``Retry-After``), fail with 500/502/503/504, lose its connection
before or after the server acted on it, or be delayed; each operation inside a ``$batch`` draws too, and
may fail alone (500, 503 or 429) before or after it was done, while the rest of the batch succeeds.
"""

from __future__ import annotations

import random
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

    kind: str  # throttle, schedule, concurrency, fail, latency, drop, chaos, operation
    route: re.Pattern[str]
    times: int | None = None
    status: int = 503
    seconds: float = 0.0
    after: int = 0
    window_seconds: float = 300.0
    retry_after: int = 2
    seen: deque[float] = field(default_factory=deque)
    chaos: Chaos | None = None
    rng: random.Random | None = None
    done: bool = False


@dataclass(frozen=True)
class Chaos:
    """Probabilities of each fault per request (they add up to at most 1), for ``serve --faults``.

    Attributes:
        throttle: 429 with ``Retry-After: retry_after`` and Dataverse's service-protection body.
        errors: 500, 502, 503 or 504 (equally likely); 500s carry ``0x80040216``, Dataverse's transient code.
        drop_before: the connection is closed before the request is processed.
        drop_after: the request is processed (a write is done), then the connection closes without an answer.
        delay: the answer is delayed by up to ``delay_max`` seconds (on top of any other outcome).
        operation_errors: per operation of a ``$batch`` (a separate draw): 500 with ``0x80040216``, 503 or 429 with
            ``Retry-After`` for that operation alone, half of them after the operation was done.
    """

    throttle: float = 0.0
    errors: float = 0.0
    drop_before: float = 0.0
    drop_after: float = 0.0
    delay: float = 0.0
    delay_max: float = 0.3
    retry_after: int = 1
    operation_errors: float = 0.0

    @classmethod
    def parse(cls, spec: str) -> Chaos:
        """Read ``"throttle=0.03,errors=0.05,drop-before=0.01,drop-after=0.01,delay=0.05,delay-max=0.2"``.

        ``all`` stands for a mix of every fault (what the chaos suite uses).

        Raises:
            ValueError: an unknown name, a value that is not a number, or probabilities beyond 1.
        """
        if spec.strip() == "all":
            return cls(throttle=0.03, errors=0.06, drop_before=0.015, drop_after=0.015, delay=0.05, delay_max=0.2,
                       operation_errors=0.03)
        names = {"throttle", "errors", "drop_before", "drop_after", "delay", "delay_max", "retry_after",
                 "operation_errors"}
        values: dict[str, float] = {}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            name, _, raw = item.partition("=")
            key = name.strip().replace("-", "_")
            if key not in names:
                known = ", ".join(sorted(n.replace("_", "-") for n in names))
                raise ValueError(f"unknown fault {name.strip()!r}: use {known}")
            try:
                values[key] = float(raw)
            except ValueError:
                raise ValueError(f"fault {name.strip()!r} needs a number, not {raw!r}") from None
            if values[key] < 0:
                raise ValueError(f"fault {name.strip()!r} cannot be negative")
        chaos = cls(**{k: (int(v) if k == "retry_after" else v) for k, v in values.items()})  # type: ignore[arg-type]
        if (chaos.throttle + chaos.errors + chaos.drop_before + chaos.drop_after > 1 or chaos.delay > 1
                or chaos.operation_errors > 1):
            raise ValueError("fault probabilities add up to more than 1")
        return chaos


@dataclass
class Decision:
    """What to do with one request."""

    delay: float = 0.0
    drop: bool = False
    drop_after: bool = False
    status: int | None = None
    code: str = ""
    message: str = ""
    retry_after: int | None = None
    after_done: bool = False
    """For an operation of a ``$batch``: the failure is answered after the operation was done."""


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

    def fail_operations(self, route: str = ".*", *, status: int = 500, times: int = 1, after_done: bool = False,
                        retry_after: int = 1) -> None:
        """Answer ``status`` to the next ``times`` operations inside a ``$batch`` whose URL matches ``route`` (the
        rest of the batch is served); with ``after_done`` the operation is done first, then answered so."""
        self._add(Rule("operation", re.compile(route), status=status, times=times, done=after_done,
                       retry_after=retry_after))

    def chaos(self, chaos: Chaos, *, seed: int, route: str = ".*") -> None:
        """Draw a fault for every matching request from ``chaos``'s probabilities (random source seeded)."""
        self._add(Rule("chaos", re.compile(route), chaos=chaos, rng=random.Random(seed)))

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
                elif rule.kind == "chaos" and rule.chaos is not None and rule.rng is not None:
                    if _draw(rule.chaos, rule.rng, decision):
                        return decision
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


    def decide_operation(self, url: str) -> Decision:
        """The fault, if any, of one operation inside a ``$batch`` (``url`` as the operation gives it)."""
        decision = Decision()
        with self._lock:
            for rule in self._rules:
                if not rule.route.search(url):
                    continue
                if rule.kind == "operation" and rule.times:
                    rule.times -= 1
                    _operation_failure(decision, rule.status, rule.retry_after)
                    decision.after_done = rule.done
                    return decision
                if rule.kind == "chaos" and rule.chaos is not None and rule.rng is not None:
                    if rule.chaos.operation_errors and rule.rng.random() < rule.chaos.operation_errors:
                        _operation_failure(decision, rule.rng.choice((500, 503, 429)), rule.chaos.retry_after)
                        decision.after_done = rule.rng.random() < 0.5
                        return decision
        return decision


def _operation_failure(decision: Decision, status: int, retry_after: int) -> None:
    """Fill ``decision`` with the answer Dataverse gives an operation for a transient failure of ``status``."""
    decision.status = status
    if status == 429:
        decision.code, decision.message, decision.retry_after = THROTTLE_CODE, THROTTLE_MESSAGE, retry_after
    elif status >= 500:
        decision.code, decision.message = "0x80040216", "An unexpected error occurred."
    else:
        decision.code, decision.message = "0x0", "Injected fault."


def _draw(chaos: Chaos, rng: random.Random, decision: Decision) -> bool:
    """Fill ``decision`` from one draw; True when the request is answered by the fault (no later rule)."""
    if rng.random() < chaos.delay:
        decision.delay += rng.uniform(0.0, chaos.delay_max)
    u = rng.random()
    for probability, outcome in ((chaos.throttle, "throttle"), (chaos.errors, "error"),
                                 (chaos.drop_before, "drop"), (chaos.drop_after, "drop_after")):
        if u >= probability:
            u -= probability
            continue
        if outcome == "throttle":
            decision.status, decision.code, decision.message = 429, THROTTLE_CODE, THROTTLE_MESSAGE
            decision.retry_after = chaos.retry_after
        elif outcome == "error":
            decision.status = rng.choice((500, 502, 503, 504))
            decision.code, decision.message = "0x80040216", "An unexpected error occurred."
        elif outcome == "drop":
            decision.drop = True
        else:
            decision.drop_after = True
            return False
        return True
    return False


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
            self._delayed = 0.0
            self._connections = 0

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

    def connection(self) -> None:
        """Count one TCP connection accepted (persistent connections serve many requests each)."""
        with self._lock:
            self._connections += 1

    def batch_operations(self, n: int) -> None:
        """Count the operations of one ``$batch``."""
        with self._lock:
            self._batch_operations += n

    def fault(self, kind: str, seconds: float = 0.0) -> None:
        """Count one injected fault (and the seconds it delayed the answer, for ``delay``)."""
        with self._lock:
            self._faults[kind] += 1
            self._delayed += seconds

    def snapshot(self) -> dict[str, Any]:
        """A copy of every counter."""
        with self._lock:
            return {"requests": dict(self._requests), "bytes_out": dict(self._bytes), "writes": dict(self._writes),
                    "statuses": dict(self._statuses), "faults": dict(self._faults),
                    "server_seconds": {k: round(v, 6) for k, v in self._seconds.items()},
                    "total_requests": sum(self._requests.values()), "total_bytes_out": sum(self._bytes.values()),
                    "total_writes": sum(self._writes.values()), "batch_operations": self._batch_operations,
                    "delayed_seconds": round(self._delayed, 6), "connections": self._connections}
