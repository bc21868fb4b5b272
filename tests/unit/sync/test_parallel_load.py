"""The load sends several batches at once, spread over application users, and backs off when throttled."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from connector.errors import ThrottledError
from connector.sync.diff import Write
from connector.sync.load import _busiest, execute_writes


@dataclass
class Outcome:
    error: object = None


class FakeUser:
    def __init__(self, throttle_first: int = 0) -> None:
        self.batches: list[list[str]] = []
        self.throttle_left = throttle_first
        self.lock = threading.Lock()

    def submit_batch(self, operations, *, continue_on_error=True):
        with self.lock:
            if self.throttle_left:
                self.throttle_left -= 1
                raise ThrottledError("slow down", status_code=429, retry_after=3)
            self.batches.append([op.url for op in operations])
        return [Outcome() for _ in operations]


def _writes(n: int) -> list[Write]:
    return [Write("update", "contact", "contacts", f"00000000-0000-0000-0000-{i:012d}", {"osi_healthscore": i})
            for i in range(n)]


def test_every_write_goes_once_over_the_users_in_turn_and_a_throttled_batch_is_sent_again() -> None:
    waits: list[float] = []
    own, other = FakeUser(throttle_first=1), FakeUser()
    result = execute_writes(own, _writes(1000), batch_size=100, streams=3, writers=[other], sleep=waits.append)
    assert result.written == {"contact:update": 1000} and not result.failed
    urls = [u for user in (own, other) for batch in user.batches for u in batch]
    assert len(urls) == 1000 and len(set(urls)) == 1000
    assert (len(own.batches), len(other.batches)) == (5, 5)
    assert waits == [3]
    assert result.requests_per_5_minutes == [6, 5]  # the throttled attempt was a request too


def test_the_busiest_five_minutes_slide_over_the_times() -> None:
    assert _busiest([0, 100, 299, 301, 650, 651]) == 3
    assert _busiest([]) == 0


class Dies(FakeUser):
    """Only the third batch fails (the process is stopped while sending it); any other would go through."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after, self.calls = after, 0

    def submit_batch(self, operations, *, continue_on_error=True):
        with self.lock:
            self.calls += 1
            if self.calls == self.after + 1:
                raise KeyboardInterrupt("the host stopped the run")
        return super().submit_batch(operations, continue_on_error=continue_on_error)


def test_a_batch_that_fails_as_a_whole_stops_the_batches_not_yet_sent() -> None:
    user = Dies(after=2)
    try:
        execute_writes(user, _writes(2000), batch_size=100, streams=2)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the failure was swallowed")
    assert len(user.batches) <= 4, f"{len(user.batches)} batches went out after the failure"
